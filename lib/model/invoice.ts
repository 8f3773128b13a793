import { z } from 'zod';
import { DECIMAL_PATTERN } from '../money';

/**
 * The document model, shaped after EN 16931 (the semantic model behind Peppol BIS 3.0).
 * Business-term ids (BT-/BG-) are noted where a field maps to one. Money and quantities are
 * decimal strings; dates are ISO yyyy-mm-dd.
 */

export const decimal = z.string().regex(DECIMAL_PATTERN, 'decimal number expected, e.g. 1234.50');
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'ISO date expected (yyyy-mm-dd)');
export const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 currency code expected');
export const countryCode = z.string().regex(/^[A-Z]{2}$/, 'ISO 3166 country code expected');

/** UNCL5305 VAT category codes used by EN 16931. */
export const vatCategory = z.enum(['S', 'Z', 'E', 'AE', 'K', 'G', 'O', 'L', 'M', 'B']);
export type VatCategory = z.infer<typeof vatCategory>;

/** An identifier with its optional scheme (ISO 6523 ICD or EAS code, e.g. "0208", "0088"). */
export const schemedId = z.object({ id: z.string().min(1).max(200), scheme: z.string().min(1).max(20).optional() });
export type SchemedId = z.infer<typeof schemedId>;

export const address = z.object({
  street: z.string().max(200).optional(), // BT-35 / BT-50
  additionalStreet: z.string().max(200).optional(),
  /** Third address line (BT-162 / BT-163 / BT-165): cac:AddressLine/cbc:Line. */
  addressLine: z.string().max(200).optional(),
  city: z.string().max(100).optional(), // BT-37
  postalCode: z.string().max(20).optional(), // BT-38
  countrySubdivision: z.string().max(100).optional(),
  countryCode: countryCode, // BT-40
});

export const party = z.object({
  name: z.string().min(1).max(300), // BT-27 / BT-44
  tradingName: z.string().max(300).optional(),
  /** Belgian enterprise number (KBO/BCE), 10 digits, e.g. "0123456749"; scheme 0208 in UBL. */
  enterpriseNumber: z.string().regex(/^[01]\d{9}$/).optional(),
  /** VAT identifier with its country prefix, e.g. "BE0123456749" (BT-31 / BT-48). */
  vatId: z.string().regex(/^[A-Z]{2}[0-9A-Za-z+*.]{2,13}$/).optional(),
  /** Electronic address (BT-34 / BT-49). */
  endpoint: z.object({ scheme: z.string().min(1), id: z.string().min(1) }).optional(),
  address: address,
  contact: z
    .object({ name: z.string().optional(), email: z.string().optional(), phone: z.string().optional() })
    .optional(),
  /** The invoicing app's own id for this customer or supplier (for Octopus relation matching). */
  externalId: z.string().max(100).optional(),
  /** Party identifiers (BT-29 / BT-46): cac:PartyIdentification. */
  identifiers: z.array(schemedId).optional(),
  /**
   * Legal registration identifier (BT-30 / BT-47) when it is not a Belgian enterprise number; the writer uses
   * `enterpriseNumber` (scheme 0208) first and this only when there is none.
   */
  legalId: schemedId.optional(),
  /** Seller additional legal information (BT-33), e.g. "RPR Gent". */
  legalForm: z.string().max(300).optional(),
  /** Seller tax registration identifier (BT-32): PartyTaxScheme whose TaxScheme is not VAT. */
  taxRegistrationId: z.string().max(100).optional(),
});
export type Party = z.infer<typeof party>;

export const vatOfItem = z.object({
  category: vatCategory, // BT-151 / BT-95 / BT-102
  rate: decimal, // percent, e.g. "21"
});

export const allowanceCharge = z.object({
  isCharge: z.boolean(), // false = allowance (BG-20/BG-27), true = charge (BG-21/BG-28)
  amount: decimal, // BT-92 / BT-99 / BT-136 / BT-141
  baseAmount: decimal.optional(),
  percent: decimal.optional(),
  reason: z.string().max(300).optional(),
  reasonCode: z.string().max(10).optional(),
  /** Document-level allowances and charges carry their VAT; line-level ones take the line's. */
  vat: vatOfItem.optional(),
});
export type AllowanceCharge = z.infer<typeof allowanceCharge>;

/** Invoicing period (BG-14) or invoice line period (BG-26). */
export const period = z.object({
  start: isoDate.optional(), // BT-73 / BT-134
  end: isoDate.optional(), // BT-74 / BT-135
  /** Value added tax point date code (BT-8), UNCL2005: 3, 35 or 432. Document level only. */
  descriptionCode: z.string().max(3).optional(),
});
export type Period = z.infer<typeof period>;

/** Delivery information (BG-13). */
export const delivery = z.object({
  date: isoDate.optional(), // BT-72 actual delivery date
  locationId: schemedId.optional(), // BT-71
  address: address.optional(), // BG-15 deliver-to address (BT-80 country is what BR-IC-12 wants)
  partyName: z.string().max(300).optional(), // BT-70
});
export type Delivery = z.infer<typeof delivery>;

export const invoiceLine = z.object({
  id: z.string().min(1), // BT-126
  description: z.string().max(1000), // BT-153 item name
  note: z.string().max(1000).optional(),
  quantity: decimal, // BT-129
  unitCode: z.string().min(1).default('C62'), // BT-130 (UN/ECE rec 20)
  unitPrice: decimal, // BT-146 net price
  priceBaseQuantity: decimal.optional(), // BT-149
  netAmount: decimal, // BT-131 = quantity × price − allowances + charges
  vat: vatOfItem,
  allowancesCharges: z.array(allowanceCharge).default([]),
  /** Buyer accounting reference (BT-133): for Octopus, a GL account chosen for this line. */
  accountingCost: z.string().max(100).optional(),
  /** Item description (BT-154), longer than the name. */
  itemDescription: z.string().max(2000).optional(),
  sellersItemId: z.string().max(100).optional(), // BT-155
  buyersItemId: z.string().max(100).optional(), // BT-156
  standardItemId: schemedId.optional(), // BT-157 (scheme required, e.g. 0160 GTIN)
  classifications: z
    .array(z.object({ code: z.string().min(1), listId: z.string().min(1), listVersionId: z.string().optional() }))
    .optional(), // BT-158
  originCountry: countryCode.optional(), // BT-159
  itemProperties: z.array(z.object({ name: z.string().min(1), value: z.string().min(1) })).optional(), // BG-32
  orderLineReference: z.string().max(100).optional(), // BT-132
  period: period.optional(), // BG-26
  /** Item price discount (BT-147) and gross price (BT-148): net price = gross − discount. */
  priceDiscount: decimal.optional(),
  grossPrice: decimal.optional(),
});
export type InvoiceLine = z.infer<typeof invoiceLine>;

export const vatBreakdown = z.object({
  category: vatCategory, // BT-118
  rate: decimal, // BT-119
  taxableAmount: decimal, // BT-116
  taxAmount: decimal, // BT-117
  exemptionReason: z.string().max(300).optional(), // BT-120
  exemptionReasonCode: z.string().max(30).optional(), // BT-121 (VATEX)
});
export type VatBreakdown = z.infer<typeof vatBreakdown>;

export const totals = z.object({
  lineExtension: decimal, // BT-106
  allowanceTotal: decimal.default('0.00'), // BT-107
  chargeTotal: decimal.default('0.00'), // BT-108
  taxExclusive: decimal, // BT-109
  taxTotal: decimal, // BT-110
  taxInclusive: decimal, // BT-112
  prepaid: decimal.default('0.00'), // BT-113
  rounding: decimal.default('0.00'), // BT-114
  payable: decimal, // BT-115
});

export const paymentMeans = z.object({
  /** UNCL4461: 30 credit transfer, 58 SEPA credit transfer, 49 direct debit, … */
  code: z.string().min(1).default('30'),
  /** IBAN of the payee (BT-84), without spaces. */
  iban: z.string().regex(/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/).optional(),
  bic: z.string().regex(/^[A-Z0-9]{8}([A-Z0-9]{3})?$/).optional(),
  /** Remittance information (BT-83); for Belgium, the structured communication "+++123/4567/89012+++". */
  paymentId: z.string().max(140).optional(),
  /** Payment account name (BT-85). */
  accountName: z.string().max(200).optional(),
  /** Payment account identifier (BT-84) when it is not an IBAN (e.g. a domestic account or giro number). */
  accountId: z.string().max(100).optional(),
  /** Payment service provider identifier (BT-86) when it is not a BIC. */
  branchId: z.string().max(100).optional(),
  /** Direct debit (BG-19): mandate reference (BT-89) and debited account (BT-91). */
  mandateId: z.string().max(100).optional(),
  payerAccount: z.string().max(100).optional(),
});

export const attachment = z.object({
  id: z.string().min(1), // BT-122
  description: z.string().max(300).optional(),
  filename: z.string().min(1).max(200),
  mimeType: z.string().min(1),
  /** The bytes, base64 (BT-125). */
  contentBase64: z.string(),
});
export type Attachment = z.infer<typeof attachment>;

/** A supporting document without embedded content (BG-24): a reference, an external URI or an invoiced object (130). */
export const documentReference = z.object({
  id: z.string().min(1).max(200), // BT-122 / BT-18
  scheme: z.string().max(10).optional(), // BT-18-1 (only with typeCode 130)
  typeCode: z.string().max(3).optional(), // "130" invoiced object identifier
  description: z.string().max(300).optional(), // BT-123
  uri: z.string().max(1000).optional(), // BT-124
});
export type DocumentReference = z.infer<typeof documentReference>;

export const documentKind = z.enum(['invoice', 'credit-note']);
export type DocumentKind = z.infer<typeof documentKind>;
/** Seen from the dossier: a sales document was issued by the dossier, a purchase received by it. */
export const direction = z.enum(['sales', 'purchase']);
export type Direction = z.infer<typeof direction>;

export const invoice = z.object({
  kind: documentKind,
  direction: direction.default('sales'),
  number: z.string().min(1).max(100), // BT-1
  issueDate: isoDate, // BT-2
  dueDate: isoDate.optional(), // BT-9
  /** UNCL1001: 380 commercial invoice, 381 credit note, … (BT-3). */
  typeCode: z.string().regex(/^\d{3}$/).optional(),
  currency: currencyCode, // BT-5
  note: z.string().max(2000).optional(), // BT-22
  buyerReference: z.string().max(200).optional(), // BT-10
  orderReference: z.string().max(200).optional(), // BT-13
  salesOrderReference: z.string().max(200).optional(), // BT-14
  contractReference: z.string().max(200).optional(), // BT-12
  /** Buyer accounting reference at document level (BT-19). */
  accountingCost: z.string().max(100).optional(),
  taxPointDate: isoDate.optional(), // BT-7
  invoicePeriod: period.optional(), // BG-14
  delivery: delivery.optional(), // BG-13
  /** The invoice a credit note corrects (BG-3). */
  billingReference: z.object({ number: z.string().min(1), issueDate: isoDate.optional() }).optional(),
  seller: party, // BG-4
  buyer: party, // BG-7
  lines: z.array(invoiceLine).min(1), // BG-25
  allowancesCharges: z.array(allowanceCharge).default([]), // BG-20 / BG-21
  vatBreakdown: z.array(vatBreakdown).min(1), // BG-23
  totals: totals, // BG-22
  paymentMeans: paymentMeans.optional(), // BG-16
  paymentTerms: z.string().max(500).optional(), // BT-20
  attachments: z.array(attachment).default([]), // BG-24
  /** Supporting documents without embedded content (BG-24 references, external URIs, invoiced object 130). */
  documentReferences: z.array(documentReference).optional(),
});
export type Invoice = z.infer<typeof invoice>;
export type InvoiceInput = z.input<typeof invoice>;
