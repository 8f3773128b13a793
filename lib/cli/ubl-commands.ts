// The UBL commands: validate, parse, build.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { translatorFor } from '../i18n';
import type { Locale, Translator } from '../i18n/translator';
import { invoice as invoiceSchema } from '../model/invoice';
import type { Invoice } from '../model/invoice';
import { checkInvoice } from '../ubl/checks';
import { completeInvoice } from '../ubl/compute';
import type { InvoiceDraft } from '../ubl/compute';
import { readInvoiceFile } from '../ubl/pdf';
import type { FileReadResult } from '../ubl/pdf';
import type { ReadIssue } from '../ubl/read';
import { writeUbl } from '../ubl/write';
import type { CliCommand, CliIo } from './main';

/**
 * validate / parse / build: the UBL engine from the command line, for support staff and scripts. Exit codes:
 * 0 fine, 1 the document is unreadable or has a fatal finding, 2 wrong use (no file, bad option, invalid JSON/model).
 */

const LOCALES: readonly Locale[] = ['en', 'nl', 'fr'];

/** The message language: --lang, else LC_ALL / LC_MESSAGES / LANG ("nl_BE.UTF-8" → nl), else English. */
export function localeFrom(env: CliIo['env'], flag?: string): Locale | undefined {
  if (flag !== undefined) return LOCALES.includes(flag as Locale) ? (flag as Locale) : undefined;
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG']) {
    const value = env[name];
    if (!value) continue;
    const lang = value.slice(0, 2).toLowerCase();
    return LOCALES.includes(lang as Locale) ? (lang as Locale) : 'en';
  }
  return 'en';
}

interface Parsed {
  files: string[];
  lang?: string;
  unknown: string[];
}

function parseArgs(args: string[]): Parsed {
  const out: Parsed = { files: [], unknown: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--lang') out.lang = args[++i] ?? '';
    else if (a.startsWith('--lang=')) out.lang = a.slice('--lang='.length);
    else if (a.startsWith('--') && a.length > 2) out.unknown.push(a);
    else out.files.push(a);
  }
  return out;
}

/** Common start of each command: arguments, language, the one file. */
async function start(
  args: string[],
  io: CliIo,
  usage: string,
): Promise<{ t: Translator; file: string; bytes: Uint8Array } | { exit: number }> {
  const p = parseArgs(args);
  const locale = localeFrom(io.env, p.lang);
  const t = translatorFor(locale ?? 'en');
  if (!locale) {
    io.stderr(`${t.t('ubl_cli_bad_lang', [p.lang ?? ''])}\n`);
    return { exit: 2 };
  }
  const file = p.files[0];
  if (p.files.length !== 1 || !file || p.unknown.length) {
    io.stderr(`${t.t('ubl_cli_usage_file', [`npm run -s cli -- ${usage}`])}\n`);
    return { exit: 2 };
  }
  try {
    return { t, file, bytes: new Uint8Array(await readFile(file)) };
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e);
    io.stderr(`${t.t('ubl_cli_cannot_open', [file, why])}\n`);
    return { exit: 2 };
  }
}

function issueText(t: Translator, issue: ReadIssue): string {
  return issue.text ? t.t(issue.text.key, issue.text.params) : issue.message;
}

/** What kind of document was read, for the header line of validate. */
function describeSource(t: Translator, r: FileReadResult & { ok: true }): string {
  const kind: Record<string, string> = {
    'peppol-bis3': 'Peppol BIS 3.0 UBL',
    'ubl-be': 'UBL.BE',
    'e-fff': 'e-fff (UBL 2.0)',
    en16931: 'EN 16931 UBL',
    ubl: 'UBL',
    cii: 'CII (Factur-X / ZUGFeRD 2 / XRechnung)',
    'zugferd-1': 'ZUGFeRD 1.0',
  };
  const what = `${kind[r.format.syntax] ?? r.format.syntax}, ${t.t(r.invoice.kind === 'credit-note' ? 'ubl_kind_credit_note' : 'ubl_kind_invoice', [r.invoice.number])}`;
  return r.source.embeddedName ? t.t('ubl_cli_embedded', [what, r.source.embeddedName]) : what;
}

function printUnreadable(io: CliIo, t: Translator, file: string, r: FileReadResult & { ok: false }): void {
  io.stderr(`${t.t('ubl_cli_unreadable', [file])}\n`);
  for (const e of r.errors) io.stderr(`  ${t.t('ubl_severity_fatal')}  ${e.path || '-'}  ${issueText(t, e)}\n`);
}

export const validateCommand: CliCommand = {
  summary: 'pre-flight checks of a UBL, CII or PDF (Factur-X/ZUGFeRD) invoice',
  usage: 'validate FILE [--lang en|nl|fr]   checks a UBL, CII or PDF e-invoice; exit 1 on a fatal finding',
  async run(args, io) {
    const s = await start(args, io, 'validate FILE [--lang en|nl|fr]');
    if ('exit' in s) return s.exit;
    const { t, file, bytes } = s;
    const r = await readInvoiceFile(bytes, basename(file));
    if (!r.ok) {
      printUnreadable(io, t, file, r);
      return 1;
    }
    const locale = localeFrom(io.env, parseArgs(args).lang) ?? 'en';
    io.stdout(`${t.t('ubl_cli_read_as', [file, describeSource(t, r)])}\n`);
    const findings = checkInvoice(r.invoice);
    const rows: string[][] = [
      ...findings.map((f) => [t.t(f.severity === 'fatal' ? 'ubl_severity_fatal' : 'ubl_severity_warning'), f.ruleId, f.path || '-', f.message[locale]]),
      // What the reader had to guess or leave out, so nobody is surprised by the UBL it becomes.
      ...r.warnings.map((w) => [t.t('ubl_severity_warning'), 'OB-READ', w.path || '-', w.message.startsWith(`${w.path}: `) ? w.message.slice(w.path.length + 2) : w.message]),
    ];
    // Columns line up; a very long location (a CII path) just pushes its message further right.
    const widths = [0, 1, 2].map((i) => Math.min(i === 2 ? 32 : 24, Math.max(...rows.map((row) => (row[i] ?? '').length), 0)));
    for (const row of rows) io.stdout(`${row.slice(0, 3).map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')}  ${row[3]}\n`);
    const fatal = findings.filter((f) => f.severity === 'fatal').length;
    if (rows.length === 0) io.stdout(`${t.t('ubl_cli_no_findings')}\n`);
    else io.stdout(`${t.t('ubl_cli_summary', [String(fatal), String(rows.length - fatal)])}\n`);
    return fatal > 0 ? 1 : 0;
  },
};

export const parseCommand: CliCommand = {
  summary: 'a UBL, CII or PDF invoice as the model JSON',
  usage: 'parse FILE [--lang en|nl|fr]      prints a UBL, CII or PDF e-invoice as the model JSON',
  async run(args, io) {
    const s = await start(args, io, 'parse FILE');
    if ('exit' in s) return s.exit;
    const { t, file, bytes } = s;
    const r = await readInvoiceFile(bytes, basename(file));
    if (!r.ok) {
      printUnreadable(io, t, file, r);
      return 1;
    }
    for (const w of r.warnings) io.stderr(`${t.t('ubl_severity_warning')}: ${w.message}\n`);
    io.stdout(`${JSON.stringify(r.invoice, null, 2)}\n`);
    return 0;
  },
};

/** "lines.0.quantity" as the model path people read: lines[0].quantity. */
function modelPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('') || '(document)';
}

/**
 * Where JSON text stops being JSON, as an offset: a small scanner, because JSON.parse on Node 20 names the position
 * for some errors only ("Unexpected token '}', …" has none).
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = (): void => {
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const value = (depth: number): void => {
    if (depth > 1000) fail();
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    } else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      if (!m || !m[0]) fail();
      i += (m as RegExpExecArray)[0].length;
    }
  };
  try {
    value(0);
    ws();
    return i < text.length ? i : undefined;
  } catch (at) {
    return typeof at === 'number' ? at : undefined;
  }
}

/** "unexpected "}" (line 3, column 13)" for JSON that does not parse. */
function jsonErrorWhere(text: string, engineMessage: string): string {
  const at = jsonErrorOffset(text);
  if (at === undefined) return engineMessage;
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  const what = at >= text.length ? 'unexpected end of the text' : `unexpected ${JSON.stringify(text[at])}`;
  return `${what} (line ${line}, column ${column})`;
}

/**
 * The model JSON from a file: a complete Invoice (what `parse` prints), or a draft without net amounts, VAT breakdown
 * or totals, which are then computed. Field errors name the field.
 */
export function invoiceFromJson(text: string, label: string, t: Translator): { invoice: Invoice } | { error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    return { error: t.t('ubl_cli_invalid_json', [label, jsonErrorWhere(text, e instanceof Error ? e.message : String(e))]) };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { error: t.t('ubl_cli_invalid_model', [label, '(document)', 'an object {"kind": "invoice", …} expected']) };
  }
  // Validate what was given with neutral stand-ins for what may be computed, so every error is about a given field.
  const draft = data as Record<string, unknown>;
  const lines = Array.isArray(draft.lines) ? draft.lines.map((l) => (l && typeof l === 'object' && !('netAmount' in l) ? { ...l, netAmount: '0' } : l)) : draft.lines;
  const zero = { lineExtension: '0', taxExclusive: '0', taxTotal: '0', taxInclusive: '0', payable: '0' };
  const probe = {
    ...draft,
    lines,
    vatBreakdown: draft.vatBreakdown ?? [{ category: 'S', rate: '0', taxableAmount: '0', taxAmount: '0' }],
    totals: draft.totals && typeof draft.totals === 'object' ? { ...zero, ...(draft.totals as object) } : (draft.totals ?? zero),
  };
  const checked = invoiceSchema.safeParse(probe);
  if (!checked.success) {
    const first = checked.error.issues[0];
    return { error: t.t('ubl_cli_invalid_model', [label, modelPath(first?.path ?? []), first?.message ?? 'invalid']) };
  }
  try {
    return { invoice: completeInvoice(draft as unknown as InvoiceDraft) };
  } catch (e) {
    return { error: t.t('ubl_cli_invalid_model', [label, '(document)', e instanceof Error ? e.message : String(e)]) };
  }
}

export const buildCommand: CliCommand = {
  summary: 'the model JSON as Peppol BIS 3.0 UBL',
  usage: 'build FILE.json [--lang en|nl|fr] prints the model JSON (or a draft: lines are enough) as Peppol BIS 3.0 UBL',
  async run(args, io) {
    const s = await start(args, io, 'build FILE.json');
    if ('exit' in s) return s.exit;
    const { t, file, bytes } = s;
    const built = invoiceFromJson(new TextDecoder().decode(bytes), file, t);
    if ('error' in built) {
      io.stderr(`${built.error}\n`);
      return 2;
    }
    io.stdout(writeUbl(built.invoice));
    return 0;
  },
};
