import type { Locale, Translator } from '../i18n/translator';
import { describe } from '../i18n/translator';
import { formatReference, type LogEntry, type Transfer, type TransferAmount } from '../model/transfer';

/**
 * How the popup shows a transfer: its amount as the document has it, its bookings, its site by the user's name for
 * it, the app's page of the document, and the CSV of a filtered list. Pure, so the tests and the popup agree.
 */

const LEGACY_TOTAL = /^(-?\d+(?:\.\d+)?) ([A-Z]{3})$/;

/** The structured amount, or one read from the "1554.00 EUR" text that records made before it kept. */
export function amountOf(transfer: Transfer): TransferAmount | undefined {
  if (transfer.amount) return transfer.amount;
  const match = transfer.total ? LEGACY_TOTAL.exec(transfer.total) : null;
  if (!match) return undefined;
  // Those records kept a credit note's amount unsigned: the sign comes from the kind.
  const value = transfer.kind === 'credit-note' && !match[1]!.startsWith('-') && Number(match[1]) !== 0 ? `-${match[1]}` : match[1]!;
  return { value, currency: match[2]! };
}

/** "-1.554,00 €" in nl, "-1 554,00 €" in fr: the decimal string goes to Intl as a string, so no float rounds it. */
export function formatAmount(amount: TransferAmount, locale: string): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency: amount.currency, signDisplay: 'auto' });
  return format.format(amount.value as unknown as number);
}

export interface BookingLine {
  at: string;
  reference: string;
}

const BOOKED_KEYS = new Set(['log_booked', 'engine_log_booked_elsewhere']);

/** Every booking of the document, oldest first; records made before `bookings` existed are read from their log. */
export function bookingsOf(transfer: Transfer): BookingLine[] {
  const lines: BookingLine[] = (transfer.bookings ?? []).map((b) => ({ at: b.at, reference: formatReference(b.reference) }));
  if (lines.length === 0) {
    for (const entry of transfer.log) {
      const reference = entry.text.params[0];
      if (BOOKED_KEYS.has(entry.text.key) && reference && !lines.some((l) => l.reference === reference)) lines.push({ at: entry.at, reference });
    }
  }
  const latest = transfer.octopusReference ? formatReference(transfer.octopusReference) : undefined;
  if (latest && !lines.some((l) => l.reference === latest)) lines.push({ at: transfer.sentAt ?? transfer.updatedAt, reference: latest });
  return lines;
}

/** The site as the user named it under Sites, else its host (the port only where it is not the scheme's default). */
export function siteLabel(site: string, names: ReadonlyMap<string, string>): string {
  return names.get(site) ?? site;
}

/**
 * The document's own page in the invoicing app, where the adapter's URLs are known; undefined elsewhere. The sandbox's
 * demo app is left out on purpose: the product carries nothing of it (tests/e2e/build-output.test.ts).
 */
export function documentLink(transfer: Pick<Transfer, 'adapter' | 'origin' | 'documentId'>): string | undefined {
  const id = encodeURIComponent(transfer.documentId);
  switch (transfer.adapter) {
    case 'dolibarr':
      return `${transfer.origin}/compta/facture/card.php?id=${id}`;
    case 'invoiceplane':
      return `${transfer.origin}/index.php/invoices/view/${id}`;
    default:
      return undefined;
  }
}

/** Mail log lines carry the Message-ID as their second parameter ("E-mailed to {1} ({2})"). */
const MESSAGE_ID_KEYS = new Set(['mail_log_sent', 'mail_log_already_sent']);

export function messageIdOf(entry: LogEntry): string | undefined {
  return MESSAGE_ID_KEYS.has(entry.text.key) ? entry.text.params[1] : undefined;
}

/** The reason a transfer waits or failed, in words, with the peer's own text apart (shown as such). */
export function reasonOf(transfer: Transfer, t: Translator): { text: string; peer?: string } | undefined {
  if (!transfer.lastError) return undefined;
  return { text: describe(t, transfer.lastError.text), ...(transfer.lastError.detail ? { peer: transfer.lastError.detail } : {}) };
}

/** The peer's own words are Octopus's (webservice) or the mail server's (mailbox): said so, as they are not ours. */
export function peerKey(transfer: Pick<Transfer, 'transport'>): string {
  return transfer.transport === 'mailbox' ? 'popup_peer_mail' : 'popup_peer_octopus';
}

export interface CsvContext {
  t: Translator;
  locale: Locale;
  dossierNames: ReadonlyMap<string, string>;
  siteNames: ReadonlyMap<string, string>;
}

/**
 * Belgian Excel (nl-BE, fr-BE) takes ";" as the list separator because "," is the decimal mark, so nl and fr get
 * ";" and a decimal comma; en gets ",". Fields are quoted as RFC 4180 says (CRLF lines, "" inside quotes).
 */
export function csvSeparator(locale: Locale): string {
  return locale === 'en' ? ',' : ';';
}

function csvField(value: string, separator: string): string {
  // A cell starting with = + - @ is a formula to a spreadsheet: a counterparty's name must stay text.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return safe.includes(separator) || /["\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(transfers: readonly Transfer[], context: CsvContext): string {
  const { t, locale } = context;
  const separator = csvSeparator(locale);
  const header = [
    'popup_csv_updated',
    'popup_csv_number',
    'popup_csv_kind',
    'popup_csv_counterparty',
    'popup_csv_amount',
    'popup_csv_currency',
    'popup_csv_dossier',
    'popup_csv_site',
    'popup_csv_state',
    'popup_csv_references',
    'popup_csv_reason',
  ].map((key) => csvField(t.t(key), separator));
  const lines = [header.join(separator)];
  for (const transfer of transfers) {
    const amount = amountOf(transfer);
    const reason = reasonOf(transfer, t);
    // A number Excel reads in the user's locale; the sign stays, no grouping.
    const amountText = amount ? (locale === 'en' ? amount.value : amount.value.replace('.', ',')) : '';
    const cells = [
      transfer.updatedAt,
      transfer.documentNumber ?? transfer.documentId,
      t.t(transfer.kind === 'credit-note' ? 'popup_kind_credit_note' : 'popup_kind_invoice'),
      transfer.counterparty ?? '',
      amountText,
      amount?.currency ?? '',
      transfer.dossierId ? (context.dossierNames.get(transfer.dossierId) ?? transfer.dossierId) : '',
      siteLabel(transfer.site, context.siteNames),
      t.t(`state_${transfer.state.replace('-', '_')}`),
      bookingsOf(transfer)
        .map((b) => b.reference)
        .join(' | '),
      reason ? (reason.peer ? `${reason.text} (${t.t(peerKey(transfer), [reason.peer])})` : reason.text) : '',
    ];
    lines.push(cells.map((cell, i) => (i === 4 ? cell : csvField(cell, separator))).join(separator));
  }
  return `${lines.join('\r\n')}\r\n`;
}
