import { z } from 'zod';
import type { Dossier } from '../model/dossier';
import { isoDate, type Invoice, type Party } from '../model/invoice';
import { completeInvoice } from '../ubl/compute';
import { amountFormatForLanguage, parseAmount } from '../sites/locale';
import { dec, toFixed } from '../money';
import { validateBelgianVat } from '../identifiers';

/**
 * A bare PDF (no e-invoice inside) sent ad hoc by a freelancer: the few facts Octopus needs, typed in a short
 * form (pre-filled where the PDF's text allows), become an invoice with one line per VAT rate.
 */
export const MANUAL_RATES = ['21', '12', '6', '0'] as const;

export const manualInvoiceForm = z.object({
  direction: z.enum(['sales', 'purchase']),
  kind: z.enum(['invoice', 'credit-note']),
  number: z.string().trim().min(1, 'adhoc_field_required').max(100),
  issueDate: isoDate,
  dueDate: isoDate.optional(),
  counterparty: z.object({
    name: z.string().trim().min(1, 'adhoc_field_required').max(300),
    vatId: z
      .string()
      .trim()
      .transform((v) => v.replace(/[\s.]/g, '').toUpperCase())
      .pipe(
        z
          .string()
          .regex(/^[A-Z]{2}(?=[0-9A-Z]*\d)[0-9A-Z]{2,13}$/, 'adhoc_vat_invalid')
          .refine((v) => !v.startsWith('BE') || validateBelgianVat(v).valid, 'adhoc_vat_invalid'),
      )
      .optional(),
    countryCode: z.string().regex(/^[A-Z]{2}$/).default('BE'),
  }),
  /** Net amounts per VAT rate as the user typed them ("1.234,50" or "1,234.50"); empty rates are left out. */
  netByRate: z.partialRecord(z.enum(MANUAL_RATES), z.string()),
  currency: z.string().regex(/^[A-Z]{3}$/).default('EUR'),
});
export type ManualInvoiceForm = z.input<typeof manualInvoiceForm>;

export class ManualInvoiceError extends Error {
  constructor(
    readonly key: string,
    readonly params: string[],
  ) {
    super(`${key} ${params.join(' ')}`);
    this.name = 'ManualInvoiceError';
  }
}

/** An amount typed by a user in the UI language: "1.234,50" in nl/fr, "1,234.50" in en; both forms when unambiguous. */
export function parseTypedAmount(text: string, lang: string): string | undefined {
  const trimmed = text.replace(/€|EUR/gi, '').trim();
  if (!trimmed) return undefined;
  const preferred = amountFormatForLanguage(lang) ?? { decimal: ',' };
  const other = { decimal: preferred.decimal === ',' ? '.' : ',' } as const;
  return parseAmount(trimmed, preferred) ?? parseAmount(trimmed, other);
}

function dossierParty(dossier: Dossier): Party {
  return {
    name: dossier.name,
    ...(dossier.enterpriseNumber ? { enterpriseNumber: dossier.enterpriseNumber } : {}),
    ...(dossier.vatNumber && /^[A-Z]{2}[0-9A-Z]{2,13}$/.test(dossier.vatNumber) ? { vatId: dossier.vatNumber } : {}),
    address: { countryCode: 'BE' },
  };
}

/** The form as an invoice of the dossier (the dossier is the seller of a sale, the buyer of a purchase). */
export function buildManualInvoice(input: unknown, dossier: Dossier, lang: string, pdf?: { fileName: string; contentBase64: string }): Invoice {
  const parsed = manualInvoiceForm.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ManualInvoiceError(issue.message.startsWith('adhoc_') ? issue.message : 'adhoc_field_invalid', [issue.path.join('.')]);
  }
  const form = parsed.data;
  const lines = [];
  for (const rate of MANUAL_RATES) {
    const typed = form.netByRate[rate];
    if (typed === undefined || typed.trim() === '') continue;
    const amount = parseTypedAmount(typed, lang);
    if (amount === undefined) throw new ManualInvoiceError('adhoc_amount_invalid', [typed]);
    // A credit note carries positive amounts; its kind says it reduces (EN 16931, and how Octopus books it).
    const net = toFixed(dec(amount).abs());
    lines.push({
      id: String(lines.length + 1),
      description: `${form.number} ${rate} %`,
      quantity: '1',
      unitPrice: net,
      netAmount: net,
      vat: rate === '0' ? { category: 'Z' as const, rate: '0' } : { category: 'S' as const, rate },
    });
  }
  if (lines.length === 0) throw new ManualInvoiceError('adhoc_no_amounts', []);
  const counterparty: Party = {
    name: form.counterparty.name,
    ...(form.counterparty.vatId ? { vatId: form.counterparty.vatId } : {}),
    ...(form.counterparty.vatId && /^BE[01]\d{9}$/.test(form.counterparty.vatId) ? { enterpriseNumber: form.counterparty.vatId.slice(2) } : {}),
    address: { countryCode: form.counterparty.countryCode },
  };
  const self = dossierParty(dossier);
  return completeInvoice({
    kind: form.kind,
    direction: form.direction,
    number: form.number,
    issueDate: form.issueDate,
    ...(form.dueDate ? { dueDate: form.dueDate } : {}),
    currency: form.currency,
    seller: form.direction === 'sales' ? self : counterparty,
    buyer: form.direction === 'sales' ? counterparty : self,
    lines,
    ...(pdf ? { attachments: [{ id: pdf.fileName, filename: pdf.fileName, mimeType: 'application/pdf', contentBase64: pdf.contentBase64 }] } : {}),
  });
}
