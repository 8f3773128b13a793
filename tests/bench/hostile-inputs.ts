/**
 * `npm run bench:hostile`: each hostile input, built here, read by the extension's own code in a child process of its
 * own, so the child's peak RSS (getrusage maxrss) is that case's memory and nothing else's. Prints per case the
 * outcome (the user's message in English, or what was read), the time and the peak memory, against a baseline child
 * that only loads the same modules.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { translatorFor } from '../../lib/i18n';
import type { LocalizedText } from '../../lib/model/transfer';
import { genericFetch } from '../../lib/sites/generic.fetch';
import { downloadId } from '../../lib/sites/generic';
import { DocumentFetchError } from '../../lib/sites/types';
import { pdfInflatesWithin, readInvoiceFile } from '../../lib/ubl/pdf';
import {
  FACTUR_X_XML,
  MiB,
  billionLaughs,
  deflateBomb,
  endlessServer,
  externalEntity,
  hugeXml,
  latin1WithoutDeclaration,
  noise,
  pdfWith,
} from '../support/hostile-files';

const SCRIPT = fileURLToPath(import.meta.url);
const en = translatorFor('en');
const say = (text: LocalizedText | undefined, fallback: string): string => (text ? `${en.t(text.key, text.params)} [${text.key}]` : fallback);

interface CaseResult {
  outcome: string;
  ms: number;
  maxRssMiB: number;
  peakArrayBuffersMiB: number;
}

/** In the child: read one file (or fetch from the endless peer) with the extension's code and measure it. */
async function runCase(kind: string, file: string): Promise<void> {
  let peakArrayBuffers = process.memoryUsage().arrayBuffers;
  const sampler = setInterval(() => {
    peakArrayBuffers = Math.max(peakArrayBuffers, process.memoryUsage().arrayBuffers);
  }, 10);
  const t0 = performance.now();
  let outcome: string;
  if (kind === 'baseline') {
    outcome = 'modules loaded, nothing read';
  } else if (kind === 'http-endless' || kind === 'http-declared') {
    const peer = await endlessServer();
    try {
      const origin = peer.url;
      const id = downloadId(kind === 'http-endless' ? '/xml/endless' : '/declared/invoice.xml', `${origin}/invoices`) as string;
      try {
        await genericFetch.fetchDocument(origin, id, fetch);
        outcome = 'read (?)';
      } catch (error) {
        outcome = error instanceof DocumentFetchError ? `${en.t(error.key, error.params)} [${error.key}]` : `thrown: ${String(error)}`;
      }
      outcome += `; the peer sent ${(peer.sent() / MiB).toFixed(1)} MiB before the client stopped`;
    } finally {
      await peer.close();
    }
  } else if (kind === 'pdf-bare-bomb') {
    // A PDF without an e-invoice goes to pdfjs for its text only if its streams inflate to a bounded size.
    const bytes = new Uint8Array(readFileSync(file));
    const read = await readInvoiceFile(bytes, 'scan.pdf');
    outcome = `${read.ok ? 'read (?)' : read.error.text?.key}; then ${(await pdfInflatesWithin(bytes)) ? 'handed to pdfjs (?)' : `${en.t('adhoc_pdf_inflates_too_much', ['scan.pdf'])} [adhoc_pdf_inflates_too_much]`}`;
  } else {
    const bytes = new Uint8Array(readFileSync(file));
    const read = await readInvoiceFile(bytes, file);
    outcome = read.ok ? `read: invoice ${read.invoice.number}, ${read.invoice.totals.payable} ${read.invoice.currency} (${read.source.embeddedName ?? 'xml'})` : say(read.error.text, read.error.message);
  }
  const ms = performance.now() - t0;
  clearInterval(sampler);
  peakArrayBuffers = Math.max(peakArrayBuffers, process.memoryUsage().arrayBuffers);
  const result: CaseResult = { outcome, ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, peakArrayBuffersMiB: peakArrayBuffers / MiB };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function child(kind: string, file: string): Promise<CaseResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...process.execArgv, SCRIPT, '--case', kind, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as CaseResult);
      } catch {
        reject(new Error(`case ${kind} ended with code ${code}: ${out.slice(-500)}`));
      }
    });
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'octobridge-hostile-'));
  try {
    const build = performance.now();
    const gib = await deflateBomb(1024 * MiB);
    const files: { kind: string; what: string; bytes?: Uint8Array }[] = [
      { kind: 'baseline', what: 'baseline: the same modules, nothing read' },
      {
        kind: 'pdf-large-attachment',
        what: 'PDF: factur-x.xml beside a 1 GiB (deflated ~1 MB) attachment and 1 MB of noise',
        bytes: await pdfWith([{ name: 'factur-x.xml', content: FACTUR_X_XML }, { name: 'scan.tiff', deflated: gib }, { name: 'photo.jpg', content: noise(MiB) }]),
      },
      { kind: 'pdf-xml-512mib', what: 'PDF: factur-x.xml inflates to 512 MiB', bytes: await pdfWith([{ name: 'factur-x.xml', deflated: await deflateBomb(512 * MiB, 0x3c) }]) },
      { kind: 'pdf-alternative-bomb', what: 'PDF: invoice.xml marked /Alternative inflates to 1 GiB', bytes: await pdfWith([{ name: 'invoice.xml', deflated: gib, alternative: true }]) },
      { kind: 'pdf-bare-bomb', what: 'PDF without an e-invoice (the ad-hoc form reads its text): a 1 GiB stream', bytes: await pdfWith([{ name: 'scan.bin', deflated: gib }]) },
      { kind: 'xml-billion-laughs', what: 'XML: billion laughs (10^9 "lol")', bytes: new TextEncoder().encode(billionLaughs()) },
      { kind: 'xml-external-entity', what: 'XML: external entity naming /etc/passwd', bytes: new TextEncoder().encode(externalEntity('/etc/passwd')) },
      { kind: 'xml-huge', what: 'XML: 50 MB', bytes: hugeXml(50 * 1000 * 1000) },
      { kind: 'xml-not-utf8', what: 'XML: ISO-8859-1 without an encoding declaration', bytes: latin1WithoutDeclaration() },
      {
        kind: 'xml-unsupported-encoding',
        what: 'XML: declares encoding="Shift_JIS"',
        bytes: new TextEncoder().encode(FACTUR_X_XML.toString('utf8').replace(/^<\?xml[^>]*>/, '<?xml version="1.0" encoding="Shift_JIS"?>')),
      },
      { kind: 'http-endless', what: 'HTTP: an endless chunked answer from a peer on 127.0.0.1 (generic adapter download)' },
      { kind: 'http-declared', what: 'HTTP: Content-Length 2 GiB from a peer on 127.0.0.1' },
    ];
    console.log(`hostile inputs built in ${((performance.now() - build) / 1000).toFixed(1)} s; each case runs in its own process\n`);
    let baseline = 0;
    let slowest = 0;
    let heaviest = 0;
    const rows: string[] = [];
    for (const f of files) {
      const path = join(dir, f.kind);
      if (f.bytes) writeFileSync(path, f.bytes);
      const r = await child(f.kind, path);
      if (f.kind === 'baseline') baseline = r.maxRssMiB;
      slowest = Math.max(slowest, r.ms);
      heaviest = Math.max(heaviest, r.maxRssMiB - baseline);
      const size = f.bytes ? `${(f.bytes.length / MiB).toFixed(2)} MiB` : '—';
      rows.push(
        `${f.what}\n  input ${size}; ${r.ms.toFixed(0)} ms; peak RSS ${r.maxRssMiB.toFixed(0)} MiB (+${Math.max(0, r.maxRssMiB - baseline).toFixed(0)} over baseline); peak ArrayBuffers ${r.peakArrayBuffersMiB.toFixed(1)} MiB\n  → ${r.outcome}`,
      );
      console.log(rows[rows.length - 1]);
    }
    console.log(`\nBound reached: every case ended in at most ${(slowest / 1000).toFixed(1)} s and ${heaviest.toFixed(0)} MiB of RSS over the baseline (the 50 MB XML case includes reading its own 50 MB).`);
    console.log(
      'Caps: PDF or XML file 25 MiB; inflated invoice XML 20 MiB (inflation stops there); XML text 20 MiB; object streams 8 MiB each, 32 MiB in all;' +
        ' site documents 25 MiB, site pages 10 MiB, mail and Octopus answers 10 MiB; a PDF given to pdfjs for its text: 256 MiB inflated in all. Only the invoice attachment is inflated.',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const at = process.argv.indexOf('--case');
if (at >= 0) {
  runCase(process.argv[at + 1] ?? '', process.argv[at + 2] ?? '').catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
