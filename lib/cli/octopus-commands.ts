import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { dossier as dossierSchema } from '../model/dossier';
import { OctopusClient } from '../octopus/client';
import { OCTOPUS_PRODUCTION_BASE_URL } from '../octopus/api';
import { bookInvoice, MemoryReferenceCache } from '../octopus/booking';
import { OCTOPUS_MESSAGE_KEYS as K, isOctopusError } from '../octopus/errors';
import { PROBE_MAX_CALLS, probeOctopus } from '../octopus/probe';
import { decodeXmlBytes, isPdf, readInvoiceFile } from '../ubl/pdf';
import { basename } from 'node:path';
import { translatorFor } from '../i18n';
import type { Locale } from '../i18n/translator';
import { formatReference } from '../transfer/webservice-transport';
import type { Invoice } from '../model/invoice';
import type { CliCommand, CliIo } from './main';

function localeOf(env: CliIo['env']): Locale {
  const lang = (env.LANG ?? '').slice(0, 2).toLowerCase();
  return lang === 'nl' || lang === 'fr' ? lang : 'en';
}

/**
 * `octopus:book FILE --dossier ID`: books a UBL or CII invoice with the code the extension uses.
 * Credentials come from the environment, never from arguments (they would end up in shell history).
 */
/**
 * A Factur-X/ZUGFeRD PDF is the visual original: it goes to Octopus with the booking (as from the popup), unless its
 * XML embeds a PDF of its own.
 */
function withOwnPdf(invoice: Invoice, bytes: Uint8Array, fileName: string): Invoice {
  if (!isPdf(bytes) || invoice.attachments.some((a) => a.mimeType === 'application/pdf')) return invoice;
  return { ...invoice, attachments: [...invoice.attachments, { id: fileName, filename: fileName, mimeType: 'application/pdf', contentBase64: Buffer.from(bytes).toString('base64') }] };
}

export const octopusBookCommand: CliCommand = {
  summary: 'Book a UBL or CII invoice in an Octopus dossier',
  usage:
    'octopus:book FILE --dossier ID [--base-url URL] [--sales-journal V1] [--credit-note-journal V2] [--purchase-journal A1]\n' +
    '      (credentials in OCTOPUS_SOFTWARE_HOUSE_UUID, OCTOPUS_USER, OCTOPUS_PASSWORD)',
  async run(args, io) {
    const t = translatorFor(localeOf(io.env));
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
    const { OCTOPUS_SOFTWARE_HOUSE_UUID: softwareHouseUuid, OCTOPUS_USER: user, OCTOPUS_PASSWORD: password } = io.env;
    if (!softwareHouseUuid || !user || !password) {
      io.stderr('Set OCTOPUS_SOFTWARE_HOUSE_UUID, OCTOPUS_USER and OCTOPUS_PASSWORD.\n');
      return 2;
    }
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
    const client = new OctopusClient({ baseUrl: parsed.values['base-url'] ?? OCTOPUS_PRODUCTION_BASE_URL, softwareHouseUuid, user, password });
    try {
      const result = await bookInvoice(client, dossier, withOwnPdf(read.invoice, bytes, basename(file)), { cache: new MemoryReferenceCache(), ...(xml ? { sourceXml: xml } : {}) });
      const reference = formatReference(result);
      io.stdout(`${t.t(result.alreadyBooked ? 'log_already_booked' : 'log_booked', [reference])}\n`);
      io.stdout(`${JSON.stringify({ journal: result.journal, bookyear: result.bookyear, bookyearLabel: result.bookyearLabel, documentSequenceNr: result.documentSequenceNr, alreadyBooked: result.alreadyBooked, calls: result.calls })}\n`);
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
    const t = translatorFor(localeOf(io.env));
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
    const { OCTOPUS_SOFTWARE_HOUSE_UUID: softwareHouseUuid, OCTOPUS_USER: user, OCTOPUS_PASSWORD: password } = io.env;
    if (!softwareHouseUuid || !user || !password) {
      io.stderr('Set OCTOPUS_SOFTWARE_HOUSE_UUID, OCTOPUS_USER and OCTOPUS_PASSWORD.\n');
      return 2;
    }
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
