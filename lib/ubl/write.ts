import { dec, toFixed as moneyToFixed, toPlain as moneyToPlain } from '../money';
import { enterpriseNumberFromVat } from '../identifiers';
import type {
  AllowanceCharge,
  Delivery,
  Invoice,
  InvoiceLine,
  Party,
  Period,
  VatBreakdown,
  VatCategory,
} from '../model/invoice';
import { categoryOfVatex, DEFAULT_EXEMPTIONS } from './compute';
import {
  EAS_VAT_SCHEME,
  NS_CAC,
  NS_CBC,
  NS_CREDIT_NOTE,
  NS_INVOICE,
  PEPPOL_BILLING_PROFILE_ID,
  PEPPOL_BIS3_CUSTOMIZATION_ID,
  SCHEME_BE_ENTERPRISE,
} from './constants';
import { leaf, node, serialize } from './xml';
import type { XmlElement } from './xml';

/**
 * Writes an Invoice as a Peppol BIS Billing 3.0 UBL 2.1 document: `Invoice` for kind "invoice", `CreditNote` for
 * kind "credit-note", elements in the order of the UBL 2.1 schema, no empty elements, amounts with currencyID and
 * two decimals.
 *
 * The writer is faithful to the model (run the checks first); it only fills what Peppol requires and the model can
 * answer unambiguously:
 * - BuyerReference falls back to the invoice number when there is neither a buyer nor an order reference (R003);
 * - a sales order reference without an order reference gets OrderReference/ID "NA" (the BIS convention);
 * - a party without `endpoint` gets EndpointID 0208:<enterprise number> (or, for a Belgian VAT number without an
 *   enterprise number, the number inside it; other countries: the EAS VAT scheme of its VAT prefix);
 * - a Belgian party without enterprise number or legal id gets PartyLegalEntity/CompanyID 0208 from its BE VAT number;
 * - exemption reason codes that are not VATEX codes (e.g. UBL.BE "BETE-45") are replaced by the category's VATEX code
 *   (AE, K, G, O) or dropped (E keeps its text), since anything else is fatal in Peppol (BR-CL-22);
 * - for a credit note the due date goes to PaymentMeans/PaymentDueDate (a CreditNote has no DueDate); without payment
 *   means it goes in PaymentMeans code 1 ("instrument not defined"), so that the due date the app gives is not lost.
 */
/** Model amounts are usually already in their written form; only the others go through big.js. */
const TWO_DECIMALS = /^-?(0|[1-9]\d*)\.\d\d$/;
const PLAIN = /^-?(0|[1-9]\d*)(\.\d*[1-9])?$/;
function toFixed(value: string): string {
  return TWO_DECIMALS.test(value) && !value.startsWith('-0.00') ? value : moneyToFixed(value);
}
function toPlain(value: string): string {
  return PLAIN.test(value) && value !== '-0' ? value : moneyToPlain(value);
}

/** A credit note's due date needs a PaymentMeans to sit in; code 1 says no more than the app did. */
const CREDIT_DUE_DATE_MEANS = { code: '1' };

export function writeUbl(invoice: Invoice, options: WriteOptions = {}): string {
  return serialize(buildUbl(invoice, options));
}

export interface WriteOptions {
  customizationId?: string;
  profileId?: string;
}

/**
 * The invoice as the writer will represent it: the model with the Peppol fills listed on writeUbl applied. Reading
 * back what writeUbl wrote gives this (for the fields the model keeps).
 */
export function asWritten(inv: Invoice): Invoice {
  const isCredit = inv.kind === 'credit-note';
  const out: Invoice = { ...inv, typeCode: inv.typeCode ?? (isCredit ? '381' : '380') };
  if (!out.orderReference && out.salesOrderReference) out.orderReference = 'NA';
  if (!out.buyerReference && !out.orderReference) out.buyerReference = inv.number;
  out.seller = partyAsWritten(inv.seller);
  out.buyer = partyAsWritten(inv.buyer);
  out.vatBreakdown = inv.vatBreakdown.map((b) => {
    const code = peppolExemptionCode(b);
    const { exemptionReasonCode: _drop, ...rest } = b;
    return code ? { ...rest, exemptionReasonCode: code } : rest;
  });
  if (isCredit && !inv.paymentMeans && inv.dueDate) out.paymentMeans = CREDIT_DUE_DATE_MEANS;
  return out;
}

function partyAsWritten(p: Party): Party {
  const out: Party = { ...p };
  const endpoint = endpointOf(p);
  if (endpoint) out.endpoint = endpoint;
  if (!p.enterpriseNumber && !p.legalId && p.vatId) {
    const en = enterpriseNumberFromVat(p.vatId);
    if (en) out.enterpriseNumber = en;
  }
  return out;
}

export function buildUbl(invoice: Invoice, options: WriteOptions = {}): XmlElement {
  const inv = asWritten(invoice);
  const isCredit = inv.kind === 'credit-note';
  const cur = inv.currency;
  const amount = (name: string, value: string | undefined): XmlElement | undefined =>
    value === undefined ? undefined : leaf(name, toFixed(value), { currencyID: cur });
  const typeCode = inv.typeCode ?? (isCredit ? '381' : '380');
  const buyerReference = inv.buyerReference;

  const children: Array<XmlElement | undefined> = [
    leaf('cbc:CustomizationID', options.customizationId ?? PEPPOL_BIS3_CUSTOMIZATION_ID),
    leaf('cbc:ProfileID', options.profileId ?? PEPPOL_BILLING_PROFILE_ID),
    leaf('cbc:ID', inv.number),
    leaf('cbc:IssueDate', inv.issueDate),
    isCredit ? undefined : leaf('cbc:DueDate', inv.dueDate),
    isCredit ? leaf('cbc:TaxPointDate', inv.taxPointDate) : undefined,
    leaf(isCredit ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode', typeCode),
    leaf('cbc:Note', inv.note),
    isCredit ? undefined : leaf('cbc:TaxPointDate', inv.taxPointDate),
    leaf('cbc:DocumentCurrencyCode', cur),
    leaf('cbc:AccountingCost', inv.accountingCost),
    leaf('cbc:BuyerReference', buyerReference),
    period('cac:InvoicePeriod', inv.invoicePeriod, true),
    node('cac:OrderReference', [leaf('cbc:ID', inv.orderReference), leaf('cbc:SalesOrderID', inv.salesOrderReference)]),
    inv.billingReference
      ? node('cac:BillingReference', [
          node('cac:InvoiceDocumentReference', [leaf('cbc:ID', inv.billingReference.number), leaf('cbc:IssueDate', inv.billingReference.issueDate)]),
        ])
      : undefined,
    node('cac:ContractDocumentReference', [leaf('cbc:ID', inv.contractReference)]),
    ...inv.attachments.map((a) =>
      node('cac:AdditionalDocumentReference', [
        leaf('cbc:ID', a.id),
        leaf('cbc:DocumentDescription', a.description),
        node('cac:Attachment', [
          leaf('cbc:EmbeddedDocumentBinaryObject', a.contentBase64.replace(/\s+/g, ''), { mimeCode: a.mimeType, filename: a.filename }),
        ]),
      ]),
    ),
    ...(inv.documentReferences ?? []).map((d) =>
      node('cac:AdditionalDocumentReference', [
        leaf('cbc:ID', d.id, { schemeID: d.scheme }),
        leaf('cbc:DocumentTypeCode', d.typeCode),
        leaf('cbc:DocumentDescription', d.description),
        node('cac:Attachment', [node('cac:ExternalReference', [leaf('cbc:URI', d.uri)])]),
      ]),
    ),
    node('cac:AccountingSupplierParty', [party(inv.seller, true)]),
    node('cac:AccountingCustomerParty', [party(inv.buyer, false)]),
    delivery(inv.delivery),
    inv.paymentMeans
      ? node('cac:PaymentMeans', [
          leaf('cbc:PaymentMeansCode', inv.paymentMeans.code),
          isCredit ? leaf('cbc:PaymentDueDate', inv.dueDate) : undefined,
          leaf('cbc:PaymentID', inv.paymentMeans.paymentId),
          node('cac:PayeeFinancialAccount', [
            leaf('cbc:ID', inv.paymentMeans.iban ?? inv.paymentMeans.accountId),
            leaf('cbc:Name', inv.paymentMeans.accountName),
            node('cac:FinancialInstitutionBranch', [leaf('cbc:ID', inv.paymentMeans.bic ?? inv.paymentMeans.branchId)]),
          ]),
          node('cac:PaymentMandate', [
            leaf('cbc:ID', inv.paymentMeans.mandateId),
            node('cac:PayerFinancialAccount', [leaf('cbc:ID', inv.paymentMeans.payerAccount)]),
          ]),
        ])
      : undefined,
    node('cac:PaymentTerms', [leaf('cbc:Note', inv.paymentTerms)]),
    ...inv.allowancesCharges.map((ac) => allowanceCharge(ac, cur, true)),
    node('cac:TaxTotal', [amount('cbc:TaxAmount', inv.totals.taxTotal), ...inv.vatBreakdown.map((b) => taxSubtotal(b, cur))]),
    legalMonetaryTotal(inv, amount),
    ...inv.lines.map((l) => line(l, isCredit, cur)),
  ];

  return {
    name: isCredit ? 'CreditNote' : 'Invoice',
    attrs: { xmlns: isCredit ? NS_CREDIT_NOTE : NS_INVOICE, 'xmlns:cac': NS_CAC, 'xmlns:cbc': NS_CBC },
    children: children.filter((c): c is XmlElement => !!c),
  };
}

function period(name: string, p: Period | undefined, documentLevel: boolean): XmlElement | undefined {
  if (!p) return undefined;
  return node(name, [leaf('cbc:StartDate', p.start), leaf('cbc:EndDate', p.end), documentLevel ? leaf('cbc:DescriptionCode', p.descriptionCode) : undefined]);
}

/** The electronic address to write: the party's own, else derived from its Belgian enterprise number or VAT number. */
export function endpointOf(p: Party): { scheme: string; id: string } | undefined {
  if (p.endpoint) return p.endpoint;
  const en = p.enterpriseNumber ?? (p.vatId ? enterpriseNumberFromVat(p.vatId) : undefined);
  if (en) return { scheme: SCHEME_BE_ENTERPRISE, id: en };
  if (p.vatId) {
    const scheme = EAS_VAT_SCHEME[p.vatId.slice(0, 2)];
    if (scheme) return { scheme, id: p.vatId };
  }
  return undefined;
}

/** The legal registration id to write (BT-30 / BT-47). */
export function legalIdOf(p: Party): { id: string; scheme?: string } | undefined {
  if (p.enterpriseNumber) return { id: p.enterpriseNumber, scheme: SCHEME_BE_ENTERPRISE };
  if (p.legalId) return p.legalId;
  const fromVat = p.vatId ? enterpriseNumberFromVat(p.vatId) : undefined;
  return fromVat ? { id: fromVat, scheme: SCHEME_BE_ENTERPRISE } : undefined;
}

function party(p: Party, isSeller: boolean): XmlElement | undefined {
  const endpoint = endpointOf(p);
  const legal = legalIdOf(p);
  return node('cac:Party', [
    endpoint ? leaf('cbc:EndpointID', endpoint.id, { schemeID: endpoint.scheme }) : undefined,
    ...(p.identifiers ?? []).map((i) => node('cac:PartyIdentification', [leaf('cbc:ID', i.id, { schemeID: i.scheme })])),
    node('cac:PartyName', [leaf('cbc:Name', p.tradingName)]),
    address('cac:PostalAddress', p.address),
    p.vatId ? node('cac:PartyTaxScheme', [leaf('cbc:CompanyID', p.vatId), node('cac:TaxScheme', [leaf('cbc:ID', 'VAT')])]) : undefined,
    isSeller && p.taxRegistrationId
      ? node('cac:PartyTaxScheme', [leaf('cbc:CompanyID', p.taxRegistrationId), node('cac:TaxScheme', [leaf('cbc:ID', 'TAX')])])
      : undefined,
    node('cac:PartyLegalEntity', [
      leaf('cbc:RegistrationName', p.name),
      legal ? leaf('cbc:CompanyID', legal.id, { schemeID: legal.scheme }) : undefined,
      isSeller ? leaf('cbc:CompanyLegalForm', p.legalForm) : undefined,
    ]),
    p.contact
      ? node('cac:Contact', [leaf('cbc:Name', p.contact.name), leaf('cbc:Telephone', p.contact.phone), leaf('cbc:ElectronicMail', p.contact.email)])
      : undefined,
  ]);
}

function address(name: string, a: Party['address'] | undefined): XmlElement | undefined {
  if (!a) return undefined;
  return node(name, [
    leaf('cbc:StreetName', a.street),
    leaf('cbc:AdditionalStreetName', a.additionalStreet),
    leaf('cbc:CityName', a.city),
    leaf('cbc:PostalZone', a.postalCode),
    leaf('cbc:CountrySubentity', a.countrySubdivision),
    node('cac:AddressLine', [leaf('cbc:Line', a.addressLine)]),
    node('cac:Country', [leaf('cbc:IdentificationCode', a.countryCode)]),
  ]);
}

function delivery(d: Delivery | undefined): XmlElement | undefined {
  if (!d) return undefined;
  return node('cac:Delivery', [
    leaf('cbc:ActualDeliveryDate', d.date),
    node('cac:DeliveryLocation', [
      d.locationId ? leaf('cbc:ID', d.locationId.id, { schemeID: d.locationId.scheme }) : undefined,
      address('cac:Address', d.address),
    ]),
    node('cac:DeliveryParty', [node('cac:PartyName', [leaf('cbc:Name', d.partyName)])]),
  ]);
}

function taxCategory(name: string, category: VatCategory, rate: string | undefined, extra: XmlElement[] = []): XmlElement | undefined {
  return node(name, [
    leaf('cbc:ID', category),
    category === 'O' || rate === undefined ? undefined : leaf('cbc:Percent', toPlain(rate)),
    ...extra,
    node('cac:TaxScheme', [leaf('cbc:ID', 'VAT')]),
  ]);
}

function allowanceCharge(ac: AllowanceCharge, cur: string, documentLevel: boolean): XmlElement | undefined {
  return node('cac:AllowanceCharge', [
    leaf('cbc:ChargeIndicator', ac.isCharge ? 'true' : 'false'),
    leaf('cbc:AllowanceChargeReasonCode', ac.reasonCode),
    leaf('cbc:AllowanceChargeReason', ac.reason),
    ac.percent !== undefined ? leaf('cbc:MultiplierFactorNumeric', toPlain(ac.percent)) : undefined,
    leaf('cbc:Amount', toFixed(ac.amount), { currencyID: cur }),
    ac.baseAmount !== undefined ? leaf('cbc:BaseAmount', toFixed(ac.baseAmount), { currencyID: cur }) : undefined,
    documentLevel && ac.vat ? taxCategory('cac:TaxCategory', ac.vat.category, ac.vat.rate) : undefined,
  ]);
}

/** The exemption code to write: VATEX codes as given; other codes (UBL.BE BETE-…) become the category's VATEX code. */
export function peppolExemptionCode(b: Pick<VatBreakdown, 'category' | 'exemptionReasonCode'>): string | undefined {
  const code = b.exemptionReasonCode?.trim();
  if (!code) return undefined;
  if (/^VATEX-/i.test(code)) return code.toUpperCase();
  const fallback = DEFAULT_EXEMPTIONS[b.category]?.code;
  return fallback && categoryOfVatex(fallback) === b.category ? fallback : undefined;
}

function taxSubtotal(b: VatBreakdown, cur: string): XmlElement | undefined {
  return node('cac:TaxSubtotal', [
    leaf('cbc:TaxableAmount', toFixed(b.taxableAmount), { currencyID: cur }),
    leaf('cbc:TaxAmount', toFixed(b.taxAmount), { currencyID: cur }),
    taxCategory(
      'cac:TaxCategory',
      b.category,
      b.rate,
      [leaf('cbc:TaxExemptionReasonCode', b.exemptionReasonCode), leaf('cbc:TaxExemptionReason', b.exemptionReason)].filter(
        (x): x is XmlElement => !!x,
      ),
    ),
  ]);
}

function legalMonetaryTotal(inv: Invoice, amount: (name: string, value: string | undefined) => XmlElement | undefined): XmlElement | undefined {
  const t = inv.totals;
  const hasAllowances = inv.allowancesCharges.some((ac) => !ac.isCharge) || !dec(t.allowanceTotal).eq(0);
  const hasCharges = inv.allowancesCharges.some((ac) => ac.isCharge) || !dec(t.chargeTotal).eq(0);
  return node('cac:LegalMonetaryTotal', [
    amount('cbc:LineExtensionAmount', t.lineExtension),
    amount('cbc:TaxExclusiveAmount', t.taxExclusive),
    amount('cbc:TaxInclusiveAmount', t.taxInclusive),
    hasAllowances ? amount('cbc:AllowanceTotalAmount', t.allowanceTotal) : undefined,
    hasCharges ? amount('cbc:ChargeTotalAmount', t.chargeTotal) : undefined,
    dec(t.prepaid).eq(0) ? undefined : amount('cbc:PrepaidAmount', t.prepaid),
    dec(t.rounding).eq(0) ? undefined : amount('cbc:PayableRoundingAmount', t.rounding),
    amount('cbc:PayableAmount', t.payable),
  ]);
}

/** Prices may have more than two decimals (BT-146 is a unit price); written with at least two. */
export function formatPrice(value: string): string {
  const plain = toPlain(value);
  const decimals = plain.includes('.') ? plain.length - plain.indexOf('.') - 1 : 0;
  return decimals >= 2 ? plain : toFixed(value);
}

function line(l: InvoiceLine, isCredit: boolean, cur: string): XmlElement | undefined {
  const discount =
    l.priceDiscount ?? (l.grossPrice !== undefined ? dec(l.grossPrice).minus(dec(l.unitPrice)).toString() : undefined);
  return node(isCredit ? 'cac:CreditNoteLine' : 'cac:InvoiceLine', [
    leaf('cbc:ID', l.id),
    leaf('cbc:Note', l.note),
    leaf(isCredit ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity', toPlain(l.quantity), { unitCode: l.unitCode }),
    leaf('cbc:LineExtensionAmount', toFixed(l.netAmount), { currencyID: cur }),
    leaf('cbc:AccountingCost', l.accountingCost),
    period('cac:InvoicePeriod', l.period, false),
    node('cac:OrderLineReference', [leaf('cbc:LineID', l.orderLineReference)]),
    ...l.allowancesCharges.map((ac) => allowanceCharge(ac, cur, false)),
    node('cac:Item', [
      leaf('cbc:Description', l.itemDescription),
      leaf('cbc:Name', l.description),
      node('cac:BuyersItemIdentification', [leaf('cbc:ID', l.buyersItemId)]),
      node('cac:SellersItemIdentification', [leaf('cbc:ID', l.sellersItemId)]),
      l.standardItemId ? node('cac:StandardItemIdentification', [leaf('cbc:ID', l.standardItemId.id, { schemeID: l.standardItemId.scheme })]) : undefined,
      node('cac:OriginCountry', [leaf('cbc:IdentificationCode', l.originCountry)]),
      ...(l.classifications ?? []).map((c) =>
        node('cac:CommodityClassification', [leaf('cbc:ItemClassificationCode', c.code, { listID: c.listId, listVersionID: c.listVersionId })]),
      ),
      taxCategory('cac:ClassifiedTaxCategory', l.vat.category, l.vat.rate),
      ...(l.itemProperties ?? []).map((p) => node('cac:AdditionalItemProperty', [leaf('cbc:Name', p.name), leaf('cbc:Value', p.value)])),
    ]),
    node('cac:Price', [
      leaf('cbc:PriceAmount', formatPrice(l.unitPrice), { currencyID: cur }),
      l.priceBaseQuantity !== undefined ? leaf('cbc:BaseQuantity', toPlain(l.priceBaseQuantity), { unitCode: l.unitCode }) : undefined,
      discount !== undefined && !dec(discount).eq(0)
        ? node('cac:AllowanceCharge', [
            leaf('cbc:ChargeIndicator', 'false'),
            leaf('cbc:Amount', formatPrice(discount), { currencyID: cur }),
            l.grossPrice !== undefined ? leaf('cbc:BaseAmount', formatPrice(l.grossPrice), { currencyID: cur }) : undefined,
          ])
        : undefined,
    ]),
  ]);
}
