/**
 * Test-only: the official EN 16931 (CEN) and Peppol BIS 3 Schematron rules, compiled to SaxonJS SEF and run in Node.
 * Never shipped (SaxonJS is proprietary freeware and large; see shared/docs/einvoicing.md §2).
 *
 * The XSLTs come from shared/einvoice-samples/schematron (EUPL-1.2 CEN artefacts, OpenPeppol 3.0.21, see NOTICE.md
 * there). They are compiled once with xslt3 into .cache/sef/ (git-ignored), keyed by the XSLT's hash, under a
 * cross-process lock so parallel test workers compile each at most once.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { XMLParser } from 'fast-xml-parser';
import { REPO_ROOT, SAMPLES_DIR } from './samples';

const require = createRequire(import.meta.url);

interface SaxonApi {
  transform(options: Record<string, unknown>, mode: 'sync'): { principalResult: unknown };
  serialize(node: unknown, options?: Record<string, unknown>): string;
  XPath: { evaluate(xpath: string, context: unknown, options?: Record<string, unknown>): unknown };
}
const SaxonJS = require('saxon-js') as SaxonApi;

export type RuleSet = 'cen' | 'peppol';

const XSLT: Record<RuleSet, string> = {
  cen: 'CEN-EN16931-UBL.xslt',
  peppol: 'PEPPOL-EN16931-UBL.xslt',
};

export const SEF_DIR = join(REPO_ROOT, '.cache', 'sef');

export interface SvrlFinding {
  id: string;
  /** "fatal" or "warning" (Peppol and CEN use only these two). */
  flag: string;
  location: string;
  text: string;
  kind: 'failed-assert' | 'successful-report';
}

export interface SchematronResult {
  findings: SvrlFinding[];
  fatal: SvrlFinding[];
  warnings: SvrlFinding[];
  ms: number;
}

function lockIsStale(lock: string): boolean {
  try {
    const pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    if (pid > 0) {
      try {
        process.kill(pid, 0); // throws when no such process
      } catch {
        return true;
      }
    }
    return Date.now() - statSync(lock).mtimeMs > 5 * 60_000;
  } catch {
    // No pid file yet (just created) or the lock vanished: judge by age only.
    try {
      return Date.now() - statSync(lock).mtimeMs > 60_000;
    } catch {
      return false;
    }
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Path of the compiled SEF for a rule set, compiling it first if needed (10–40 s on a 2-core machine). */
export function ensureSef(set: RuleSet): string {
  const xslt = join(SAMPLES_DIR, 'schematron', XSLT[set]);
  const hash = createHash('sha256').update(readFileSync(xslt)).digest('hex').slice(0, 12);
  const sef = join(SEF_DIR, `${XSLT[set].replace(/\.xslt$/, '')}.${hash}.sef.json`);
  if (existsSync(sef)) return sef;
  mkdirSync(SEF_DIR, { recursive: true });
  const lock = `${sef}.lock`;
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    if (existsSync(sef)) return sef;
    try {
      mkdirSync(lock); // atomic: only one process gets it
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      // Another worker is compiling; a lock whose process is gone (or older than 5 minutes) is stale.
      if (lockIsStale(lock)) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${lock}`);
      sleep(500);
    }
  }
  try {
    if (existsSync(sef)) return sef;
    const tmp = `${sef}.${process.pid}.tmp`;
    execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'xslt3', 'xslt3.js'), `-xsl:${xslt}`, `-export:${tmp}`, '-nogo', '-relocate:on'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 5 * 60_000,
    });
    renameSync(tmp, sef);
    return sef;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

const loaded = new Map<RuleSet, unknown>();

function stylesheet(set: RuleSet): unknown {
  let sef = loaded.get(set);
  if (!sef) {
    sef = JSON.parse(readFileSync(ensureSef(set), 'utf8'));
    loaded.set(set, sef);
  }
  return sef;
}

const svrlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (name) => name === 'failed-assert' || name === 'successful-report',
});

export function parseSvrl(svrl: string): SvrlFinding[] {
  const doc = svrlParser.parse(svrl) as { 'schematron-output'?: Record<string, unknown> };
  const out = doc['schematron-output'] ?? {};
  const findings: SvrlFinding[] = [];
  for (const kind of ['failed-assert', 'successful-report'] as const) {
    for (const f of (out[kind] ?? []) as Array<Record<string, unknown>>) {
      const text = f.text;
      findings.push({
        id: String(f.id ?? ''),
        flag: String(f.flag ?? 'fatal'),
        location: String(f.location ?? ''),
        text: (typeof text === 'string' ? text : JSON.stringify(text ?? '')).trim(),
        kind,
      });
    }
  }
  return findings;
}

/** Runs one rule set over a UBL document. */
export function runSchematron(set: RuleSet, xml: string): SchematronResult {
  const sef = stylesheet(set);
  const t0 = performance.now();
  const svrl = SaxonJS.transform({ stylesheetInternal: sef, sourceText: xml, destination: 'serialized' }, 'sync').principalResult as string;
  const ms = performance.now() - t0;
  const findings = parseSvrl(svrl);
  return { findings, fatal: findings.filter((f) => f.flag === 'fatal'), warnings: findings.filter((f) => f.flag !== 'fatal'), ms };
}

/**
 * Runs one rule set over many documents in a single SaxonJS transform (initialSelection = the documents), which
 * saves the per-transform set-up that dominates small documents: about half the time per document for the CEN set.
 * Only for rule sets whose global variables do not read the document: the CEN set's only one (document-uri) is never
 * used, while the Peppol set's global params (profile, supplierCountry, …) read "/" and so would all see one
 * document. `ms` of each result is the batch's time divided by its size.
 */
export function runSchematronBatch(set: RuleSet, xmls: readonly string[]): SchematronResult[] {
  if (set !== 'cen') throw new Error(`The ${set} rules read the document in global variables: validate one document at a time`);
  if (xmls.length === 0) return [];
  const sef = stylesheet(set);
  const t0 = performance.now();
  const docs = xmls.map((x) => SaxonJS.XPath.evaluate('parse-xml($x)', null, { params: { x } }));
  const out = SaxonJS.transform({ stylesheetInternal: sef, initialSelection: docs, destination: 'raw' }, 'sync').principalResult;
  const outputs = Array.isArray(out) ? out : [out];
  if (outputs.length !== xmls.length) throw new Error(`SaxonJS gave ${outputs.length} SVRL reports for ${xmls.length} documents`);
  const svrls = outputs.map((node) => SaxonJS.serialize(node, { method: 'xml' }));
  const ms = (performance.now() - t0) / xmls.length;
  return svrls.map((svrl) => {
    const findings = parseSvrl(svrl);
    return { findings, fatal: findings.filter((f) => f.flag === 'fatal'), warnings: findings.filter((f) => f.flag !== 'fatal'), ms };
  });
}

export interface BothResult {
  cen: SchematronResult;
  peppol: SchematronResult;
  fatalIds: string[];
  warningIds: string[];
  ms: number;
}

/** CEN + Peppol rules; fatal and warning rule ids sorted and de-duplicated. */
export function validateUbl(xml: string): BothResult {
  const cen = runSchematron('cen', xml);
  const peppol = runSchematron('peppol', xml);
  const uniq = (xs: SvrlFinding[]): string[] => [...new Set(xs.map((f) => f.id))].sort();
  return {
    cen,
    peppol,
    fatalIds: uniq([...cen.fatal, ...peppol.fatal]),
    warningIds: uniq([...cen.warnings, ...peppol.warnings]),
    ms: cen.ms + peppol.ms,
  };
}

function both(cen: SchematronResult, peppol: SchematronResult): BothResult {
  const uniq = (xs: SvrlFinding[]): string[] => [...new Set(xs.map((f) => f.id))].sort();
  return {
    cen,
    peppol,
    fatalIds: uniq([...cen.fatal, ...peppol.fatal]),
    warningIds: uniq([...cen.warnings, ...peppol.warnings]),
    ms: cen.ms + peppol.ms,
  };
}

/** validateUbl for many documents: the CEN rules in one batch, the Peppol rules one document at a time. */
export function validateUblBatch(xmls: readonly string[]): BothResult[] {
  const cen = runSchematronBatch('cen', xmls);
  return xmls.map((xml, i) => both(cen[i] as SchematronResult, runSchematron('peppol', xml)));
}

/** A readable summary of fatal findings, for assertion messages. */
export function describeFatal(r: BothResult): string {
  return [...r.cen.fatal, ...r.peppol.fatal].map((f) => `${f.id}: ${f.text} @ ${f.location.replace(/\[namespace-uri\(\)='[^']*'\]/g, '')}`).join('\n');
}

interface WorkerReply {
  id: number;
  error?: string;
  cenSvrl: string[];
  cenMs: number;
  peppolSvrl: string[];
  peppolMs: number[];
}

function resultOf(svrl: string, ms: number): SchematronResult {
  const findings = parseSvrl(svrl);
  return { findings, fatal: findings.filter((f) => f.flag === 'fatal'), warnings: findings.filter((f) => f.flag !== 'fatal'), ms };
}

/**
 * validateUblBatch on worker threads (tests/support/schematron-worker.mjs), one batch per worker at a time, so a
 * large corpus uses every core vitest leaves free (on a 2-core machine vitest runs one test file at a time). Each
 * worker loads both SEFs once (~1 s) and warms up on its first batch. SCHEMATRON_WORKERS overrides the size.
 */
export class SchematronPool {
  private readonly workers: Worker[];
  private readonly idle: Worker[];
  private readonly waiting: Array<(w: Worker) => void> = [];
  private nextId = 1;

  constructor(size = Number(process.env.SCHEMATRON_WORKERS ?? Math.max(1, Math.min(2, availableParallelism())))) {
    const data = { cen: ensureSef('cen'), peppol: ensureSef('peppol') };
    const url = new URL('./schematron-worker.mjs', import.meta.url);
    this.workers = Array.from({ length: size }, () => new Worker(url, { workerData: data }));
    this.idle = [...this.workers];
  }

  get size(): number {
    return this.workers.length;
  }

  private acquire(): Promise<Worker> {
    const w = this.idle.pop();
    return w ? Promise.resolve(w) : new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(w: Worker): void {
    const next = this.waiting.shift();
    if (next) next(w);
    else this.idle.push(w);
  }

  /** CEN + Peppol over a batch of documents, on the next free worker. */
  async validate(xmls: readonly string[]): Promise<BothResult[]> {
    const worker = await this.acquire();
    try {
      const id = this.nextId++;
      const reply = await new Promise<WorkerReply>((resolve, reject) => {
        const onMessage = (m: WorkerReply): void => {
          if (m.id !== id) return;
          worker.off('message', onMessage);
          worker.off('error', reject);
          resolve(m);
        };
        worker.on('message', onMessage);
        worker.once('error', reject);
        worker.postMessage({ id, xmls });
      });
      if (reply.error) throw new Error(reply.error);
      return xmls.map((_, i) => both(resultOf(reply.cenSvrl[i] as string, reply.cenMs), resultOf(reply.peppolSvrl[i] as string, reply.peppolMs[i] as number)));
    } finally {
      this.release(worker);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
