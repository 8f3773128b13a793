import type { ManualInvoiceForm } from './manual';
import { detectAmountFormat, detectDateOrder, parseAmount, parseDate } from '../sites/locale';

/**
 * Guesses for the ad-hoc form from a PDF's text. Only guesses: the user sees and corrects every field. The
 * patterns cover how Belgian invoices word things in nl, fr and en.
 */
export interface PdfGuess {
  form: Partial<Omit<ManualInvoiceForm, 'counterparty'>> & { counterparty?: Partial<ManualInvoiceForm['counterparty']> };
  /** Which fields came from the text, for the form to mark them. */
  found: string[];
}

const DATE = /\b(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}|\d{4}-\d{2}-\d{2})\b/g;
const NUMBER_FIELD =
  /(?:^|\n|\s)(?:factuurnummer|factuurnr\.?|nummer|num[ée]ro(?: de facture)?|invoice (?:number|no\.?)|number|n[°º])\s*[:#]?\s*([A-Z0-9][A-Z0-9\-/._]{1,30})/i;
const ISSUE_LABEL = /(?:factuurdatum|datum|date de facture|date|invoice date|issue date)\s*:?\s*(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}|\d{4}-\d{2}-\d{2})/i;
const NUMBER_LABEL =
  /(?:factuur|creditnota|facture|note de cr[ée]dit|avoir|invoice|credit note)\s*(?:nummer|nr\.?|n[°ºo]\.?|number|num[ée]ro)?\s*[:#]?\s*([A-Z0-9][A-Z0-9\-/._]{1,30})/i;
const DUE_LABEL = /(?:vervaldag|vervaldatum|[ée]ch[ée]ance|due date|payable avant|te betalen voor)\D{0,20}(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}|\d{4}-\d{2}-\d{2})/i;
const VAT_ID = /\b(BE)\s?([01]\d{3})[.\s]?(\d{3})[.\s]?(\d{3})\b/g;
const AMOUNT = /-?\d{1,3}(?:[.\s\u00a0\u202f]\d{3})*(?:[.,]\d{2})\b|-?\d+[.,]\d{2}\b/g;
const NET_LABEL =
  /(?:totaal excl(?:\.|usief)?(?: btw)?|subtotaal|total htva|total hors tva|montant htva|sous-total|total excl(?:\.|uding)? vat|net total|subtotal)[^\d\n]{0,30}(-?\d{1,3}(?:[.\s]\d{3})*[.,]\d{2}|-?\d+[.,]\d{2})/i;
const RATE = /\b(21|12|6|0)\s?%/g;

export function guessFromPdfText(text: string, options: { ownVatIds?: readonly string[]; lang?: string } = {}): PdfGuess {
  const found: string[] = [];
  const form: PdfGuess['form'] = {};
  const flat = text.replace(/[\u00a0\u202f]/g, ' ');

  if (/creditnota|credit note|note de cr[ée]dit|\bavoir\b/i.test(flat)) {
    form.kind = 'credit-note';
    found.push('kind');
  }
  const number = [NUMBER_FIELD.exec(flat)?.[1], NUMBER_LABEL.exec(flat)?.[1]].find((n) => n && /\d/.test(n));
  if (number && /\d/.test(number)) {
    form.number = number.replace(/[.:]$/, '');
    found.push('number');
  }

  const dates = [...flat.matchAll(DATE)].map((m) => m[1]!);
  const order = detectDateOrder(dates, options.lang ?? 'nl') ?? 'dmy';
  const due = DUE_LABEL.exec(flat)?.[1];
  const dueIso = due ? parseDate(due, order) : undefined;
  const labelled = ISSUE_LABEL.exec(flat)?.[1];
  const issueIso = (labelled ? parseDate(labelled, order) : undefined) ?? dates.map((d) => parseDate(d, order)).find((d) => d && d !== dueIso);
  if (issueIso) {
    form.issueDate = issueIso;
    found.push('issueDate');
  }
  if (dueIso) {
    form.dueDate = dueIso;
    found.push('dueDate');
  }

  const own = new Set((options.ownVatIds ?? []).map((v) => v.replace(/[\s.]/g, '').toUpperCase()));
  const vatIds = [...flat.matchAll(VAT_ID)].map((m) => `${m[1]}${m[2]}${m[3]}${m[4]}`);
  const other = vatIds.find((v) => !own.has(v));
  if (other) {
    form.counterparty = { vatId: other };
    found.push('counterparty.vatId');
  }
  // Whose VAT id is ours tells the direction: ours first (letterhead) = we sold.
  if (vatIds.length > 0 && own.size > 0) {
    form.direction = own.has(vatIds[0]!) ? 'sales' : 'purchase';
    found.push('direction');
  }

  const rates = new Set([...flat.matchAll(RATE)].map((m) => m[1]!));
  const net = NET_LABEL.exec(flat)?.[1]?.trim();
  if (net) {
    const samples = [...flat.matchAll(AMOUNT)].map((m) => m[0]);
    const format = detectAmountFormat(samples, options.lang ?? 'nl') ?? { decimal: ',' };
    const amount = parseAmount(net.match(AMOUNT)?.[0] ?? net, format);
    const nonZero = [...rates].filter((r) => r !== '0');
    if (amount && nonZero.length === 1) {
      form.netByRate = { [nonZero[0] as '21']: amount };
      found.push('netByRate');
    }
  }
  return { form, found };
}
