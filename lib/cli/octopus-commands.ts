import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { dossier as dossierSchema } from '../model/dossier';
import { OctopusClient } from '../octopus/client';
import { OCTOPUS_PRODUCTION_BASE_URL } from '../octopus/api';
import { bookInvoice, MemoryReferenceCache } from '../octopus/booking';
import { OCTOPUS_MESSAGE_KEYS as K, isOctopusError } from '../octopus/errors';
import { PROBE_MAX_CALLS, probeOctopus } from '../octopus/probe';
import { BUDGET_ENDPOINTS, budgetScope, CallBudget, type BudgetEndpoint } from '../octopus/budget';
import { systemClock } from '../platform/clock';
import { CacheFile, cacheFilePath, defaultCacheDir } from './cache-file';
import { decodeXmlBytes, isPdf, readInvoiceFile } from '../ubl/pdf';
import { basename } from 'node:path';
import { translatorFor } from '../i18n';
import { formatReference } from '../transfer/webservice-transport';
import type { Invoice } from '../model/invoice';
import type { CliCommand, CliIo } from './main';
import { cliLocale, octopusCredentials } from './cli-env';

/** The budget as a table: endpoint, used today, limit, reserve, left. */
function formatBudget(lines: Awaited<ReturnType<CallBudget['status']>>, t: ReturnType<typeof translatorFor>): string {
  const head = [t.t('budget_endpoint'), t.t('budget_used'), t.t('budget_limit'), t.t('budget_reserve'), t.t('budget_left')];
  const rows = lines.map((l) => [l.endpoint, String(l.used), String(l.limit), String(l.reserve), l.exhausted ? t.t('budget_exhausted') : String(l.left)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return `${[line(head), ...rows.map(line)].join('\n')}\n`;
}

/**
 * A Factur-X/ZUGFeRD PDF is the visual original: it goes to Octopus with the booking (as from the popup), unless its
 * XML embeds a PDF of its own.
 */
function withOwnPdf(invoice: Invoice, bytes: Uint8Array, fileName: string): Invoice {
  if (!isPdf(bytes) || invoice.attachments.some((a) => a.mimeType === 'application/pdf')) return invoice;
  return { ...invoice, attachments: [...invoice.attachments, { id: fileName, filename: fileName, mimeType: 'application/pdf', contentBase64: Buffer.from(bytes).toString('base64') }] };
}

/**
 * `octopus:book FILE --dossier ID`: books a UBL or CII invoice with the code the extension uses.
 * Credentials come from the environment, never from arguments (they would end up in shell history).
 */
export const octopusBookCommand: CliCommand = {
  summary: 'Book a UBL or CII invoice in an Octopus dossier',
  usage:
    'octopus:book FILE --dossier ID [--base-url URL] [--sales-journal V1] [--credit-note-journal V2] [--purchase-journal A1]\n' +
    '      [--cache-dir DIR] [--no-cache] [--budget]\n' +
    '      (credentials in OCTOPUS_SOFTWARE_HOUSE_UUID, OCTOPUS_USER, OCTOPUS_PASSWORD; reference data and the day\'s\n' +
    '      Octopus call counts are kept in $XDG_CACHE_HOME/octobridge or ~/.cache/octobridge)',
  async run(args, io) {
    const t = translatorFor(cliLocale(io.env));
    let parsed;
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        options: {
          dossier: { type: 'string' },
          'base-url': { type: 'string' },
          'sales-journal': { type: 'string' },
          'credit-note-journal': { type: 'string' },
          'purchase-journal': { type: 'string' },
          'cache-dir': { type: 'string' },
          'no-cache': { type: 'boolean' },
          budget: { type: 'boolean' },
        },
      });
    } catch (error) {
      io.stderr(`${(error as Error).message}\nUsage: ${this.usage}\n`);
      return 2;
    }
    const file = parsed.positionals[0];
    const dossierId = Number(parsed.values.dossier);
    if (!file || !Number.isInteger(dossierId) || dossierId <= 0) {
      io.stderr(`Usage: ${this.usage}\n`);
      return 2;
    }
    const credentials = octopusCredentials(io);
    if (!credentials) return 2;
    const { softwareHouseUuid, user, password } = credentials;
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(file));
    } catch (error) {
      io.stderr(`${file}: ${(error as Error).message}\n`);
      return 2;
    }
    // UBL, CII, or a PDF with its Factur-X/ZUGFeRD XML inside: the same reader as the popup's drop zone.
    const read = await readInvoiceFile(bytes, basename(file));
    if (!read.ok) {
      io.stderr(`${file}: ${read.error.message}\n`);
      return 2;
    }
    const xml = isPdf(bytes) ? undefined : decodeXmlBytes(bytes);
    const dossier = dossierSchema.parse({
      id: `cli-${dossierId}`,
      name: `Dossier ${dossierId}`,
      octopusDossierId: dossierId,
      connectionId: 'cli',
      journals: {
        sales: parsed.values['sales-journal'] ?? 'V1',
        purchases: parsed.values['purchase-journal'] ?? 'A1',
        ...(parsed.values['credit-note-journal'] ? { salesCreditNotes: parsed.values['credit-note-journal'] } : {}),
      },
    });
    const baseUrl = parsed.values['base-url'] ?? OCTOPUS_PRODUCTION_BASE_URL;
    // The day's call counts are always kept (the limits hold whatever the flags); --no-cache only skips the
    // kept reference data.
    const cacheFile = new CacheFile(cacheFilePath(parsed.values['cache-dir'] ?? defaultCacheDir(io.env), softwareHouseUuid, baseUrl, dossierId), systemClock);
    const budget = new CallBudget(cacheFile.budget, systemClock);
    const client = new OctopusClient({ baseUrl, softwareHouseUuid, user, password, budget: budget.gate(baseUrl) });
    const cache = parsed.values['no-cache'] ? new MemoryReferenceCache() : cacheFile.reference;
    try {
      const result = await bookInvoice(client, dossier, withOwnPdf(read.invoice, bytes, basename(file)), { cache, ...(xml ? { sourceXml: xml } : {}) });
      const reference = formatReference(result);
      io.stdout(`${t.t(result.alreadyBooked ? 'log_already_booked' : 'log_booked', [reference])}\n`);
      io.stdout(`${JSON.stringify({ journal: result.journal, bookyear: result.bookyear, bookyearLabel: result.bookyearLabel, documentSequenceNr: result.documentSequenceNr, alreadyBooked: result.alreadyBooked, calls: result.calls })}\n`);
      if (parsed.values.budget) io.stdout(formatBudget(await budget.status(budgetScope(baseUrl, dossierId)), t));
      return 0;
    } catch (error) {
      if (isOctopusError(error)) {
        io.stderr(`${t.t(error.text.key, error.text.params)}\n  (${error.code}: ${error.detail})\n`);
        return error.retriable ? 75 : 1; // 75 = EX_TEMPFAIL: try again later
      }
      throw error;
    }
  },
};

/**
 * `octopus:probe --dossier ID`: settles, against a firm's real dossier, what the public evidence leaves open
 * (lib/octopus/probe.ts), in at most 6 calls and without writing anything. Credentials as for `octopus:book`.
 */
export const octopusProbeCommand: CliCommand = {
  summary: 'Settle the open points of the Octopus API against a real dossier (at most 6 calls, writes nothing)',
  usage:
    'octopus:probe --dossier ID [--bookyear ID (default 1, the oldest)] [--base-url URL]\n' +
    '      (credentials in OCTOPUS_SOFTWARE_HOUSE_UUID, OCTOPUS_USER, OCTOPUS_PASSWORD)',
  async run(args, io) {
    const t = translatorFor(cliLocale(io.env));
    let parsed;
    try {
      parsed = parseArgs({ args, options: { dossier: { type: 'string' }, bookyear: { type: 'string' }, 'base-url': { type: 'string' } } });
    } catch (error) {
      io.stderr(`${(error as Error).message}\nUsage: ${this.usage}\n`);
      return 2;
    }
    const dossierId = Number(parsed.values.dossier);
    // Bookyear ids are small integers 1, 2, … [N]; the oldest is the likeliest to have closed periods to read.
    const bookyearId = Number(parsed.values.bookyear ?? 1);
    if (!Number.isInteger(dossierId) || dossierId <= 0 || !Number.isInteger(bookyearId) || bookyearId <= 0) {
      io.stderr(`Usage: ${this.usage}\n`);
      return 2;
    }
    const credentials = octopusCredentials(io);
    if (!credentials) return 2;
    const { softwareHouseUuid, user, password } = credentials;
    const baseUrl = parsed.values['base-url'] ?? OCTOPUS_PRODUCTION_BASE_URL;
    const client = new OctopusClient({ baseUrl, softwareHouseUuid, user, password });
    const report = await probeOctopus(client, dossierId, { bookyearId, now: new Date() });
    io.stdout(`${t.t(K.probeTitle, [String(dossierId), String(bookyearId), client.baseUrl])}\n`);
    for (const finding of report.findings) {
      const mark = t.t(finding.settled ? K.probeSettled : K.probeOpen);
      io.stdout(`[${mark}] ${finding.topic}: ${t.t(finding.text.key, finding.text.params)}\n`);
      if (finding.seen) io.stdout(`    ${t.t(K.probeSeen, [finding.seen])}\n`);
    }
    io.stdout(`${t.t(K.probeCalls, [String(report.calls), String(PROBE_MAX_CALLS)])}\n`);
    return report.findings.some((f) => f.text.key === K.probeFailed) ? 1 : 0;
  },
};

/**
 * `octopus:budget --dossier ID`: the day's Octopus calls of a dossier against the daily limits (from the CLI's
 * cache file); `--set ENDPOINT=N` / `--reserve ENDPOINT=N` change a limit when Octopus states other numbers
 * (`--set ENDPOINT=default` goes back).
 */
export const octopusBudgetCommand: CliCommand = {
  summary: "Show the day's Octopus calls per endpoint against the daily limits, or change a limit",
  usage:
    'octopus:budget --dossier ID [--base-url URL] [--cache-dir DIR] [--set ENDPOINT=N|default] [--reserve ENDPOINT=N|default]\n' +
    `      (ENDPOINT: ${BUDGET_ENDPOINTS.join(', ')}; OCTOPUS_SOFTWARE_HOUSE_UUID names the cache file)`,
  async run(args, io) {
    const t = translatorFor(cliLocale(io.env));
    let parsed;
    try {
      parsed = parseArgs({
        args,
        options: {
          dossier: { type: 'string' },
          'base-url': { type: 'string' },
          'cache-dir': { type: 'string' },
          set: { type: 'string', multiple: true },
          reserve: { type: 'string', multiple: true },
        },
      });
    } catch (error) {
      io.stderr(`${(error as Error).message}\nUsage: ${this.usage}\n`);
      return 2;
    }
    const dossierId = Number(parsed.values.dossier);
    const softwareHouseUuid = io.env.OCTOPUS_SOFTWARE_HOUSE_UUID;
    if (!Number.isInteger(dossierId) || dossierId <= 0 || !softwareHouseUuid) {
      io.stderr(`Usage: ${this.usage}\n`);
      return 2;
    }
    const baseUrl = parsed.values['base-url'] ?? OCTOPUS_PRODUCTION_BASE_URL;
    const file = new CacheFile(cacheFilePath(parsed.values['cache-dir'] ?? defaultCacheDir(io.env), softwareHouseUuid, baseUrl, dossierId), systemClock);
    const budget = new CallBudget(file.budget, systemClock);
    const changes: { endpoint: BudgetEndpoint; field: 'limit' | 'reserve'; value: number | null }[] = [];
    for (const [field, list] of [['limit', parsed.values.set ?? []], ['reserve', parsed.values.reserve ?? []]] as const) {
      for (const item of list) {
        const m = /^([a-z-]+)=(\d{1,6}|default)$/.exec(item);
        const endpoint = m?.[1] as BudgetEndpoint | undefined;
        if (!m || !endpoint || !BUDGET_ENDPOINTS.includes(endpoint)) {
          io.stderr(`${t.t('budget_limit_invalid', [item])}\nUsage: ${this.usage}\n`);
          return 2;
        }
        changes.push({ endpoint, field, value: m[2] === 'default' ? null : Number(m[2]) });
      }
    }
    for (const c of changes) await budget.setLimit(c.endpoint, { [c.field]: c.value });
    io.stdout(formatBudget(await budget.status(budgetScope(baseUrl, dossierId)), t));
    return 0;
  },
};
