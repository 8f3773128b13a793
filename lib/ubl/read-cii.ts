import { cleanEnterpriseNumber, validateEnterpriseNumber, validateIban } from '../identifiers';
import { vatCategory } from '../model/invoice';
import type { InvoiceInput, VatCategory } from '../model/invoice';
import { Big, dec } from '../money';
import { computeVatBreakdown } from './compute';
import { BIC, El, Reader, clip, fail, joinTexts, normalizeVatId, draftInvoice, embeddedAttachment, finishRead, totalsOf } from './read-core';
import type { ReadOptions, ReadResult, SourceFormat, XNode } from './read-core';

/**
 * Reads a UN/CEFACT Cross Industry Invoice into the same model as the UBL reader, so that a CII document can go on as
 * Peppol UBL (writeUbl). Two generations of the syntax:
 *
 * - CII D16B (rsm:CrossIndustryInvoice): Factur-X 1.0 / ZUGFeRD 2.x (all profiles) and XRechnung CII, mapped by the
 *   EN 16931-3-3 binding (BT numbers below).
 * - ZUGFeRD 1.0 (rsm:CrossIndustryDocument, urn:ferd:CrossIndustryDocument:invoice:1p0), as InvoicePlane 1.7 and
 *   older German software emit it. Its element names differ ("SupplyChainTrade…" instead of "HeaderTrade…"/"LineTrade…",
 *   ApplicablePercent instead of RateApplicablePercent) but the structure is the same, so one mapper reads both: each
 *   step names the D16B element first and the ZUGFeRD 1.0 one second.
 *
 * Prefixes never matter (the parser strips them). Paths in messages use the usual rsm:/ram: prefixes and the name of
 * the generation being read.
 */

/** Which of the two generations: index into the name pairs below. */
type Generation = 0 | 1;

const NAMES = {
  context: ['rsm:ExchangedDocumentContext', 'rsm:SpecifiedExchangedDocumentContext'],
  header: ['rsm:ExchangedDocument', 'rsm:HeaderExchangedDocument'],
  transaction: ['rsm:SupplyChainTradeTransaction', 'rsm:SpecifiedSupplyChainTradeTransaction'],
  agreement: ['ram:ApplicableHeaderTradeAgreement', 'ram:ApplicableSupplyChainTradeAgreement'],
  delivery: ['ram:ApplicableHeaderTradeDelivery', 'ram:ApplicableSupplyChainTradeDelivery'],
  settlement: ['ram:ApplicableHeaderTradeSettlement', 'ram:ApplicableSupplyChainTradeSettlement'],
  summation: ['ram:SpecifiedTradeSettlementHeaderMonetarySummation', 'ram:SpecifiedTradeSettlementMonetarySummation'],
  lineAgreement: ['ram:SpecifiedLineTradeAgreement', 'ram:SpecifiedSupplyChainTradeAgreement'],
  lineDelivery: ['ram:SpecifiedLineTradeDelivery', 'ram:SpecifiedSupplyChainTradeDelivery'],
  lineSettlement: ['ram:SpecifiedLineTradeSettlement', 'ram:SpecifiedSupplyChainTradeSettlement'],
  lineSummation: ['ram:SpecifiedTradeSettlementLineMonetarySummation', 'ram:SpecifiedTradeSettlementMonetarySummation'],
  percent: ['ram:RateApplicablePercent', 'ram:ApplicablePercent'],
} as const;
type NameKey = keyof typeof NAMES;

/** UNCL1001 codes of credit notes (as opposed to invoices, corrections and the like). */
const CREDIT_NOTE_TYPE_CODES = new Set(['81', '83', '261', '262', '296', '308', '381', '396', '420', '458', '532']);

const EU_VAT_PREFIXES = new Set(
  'AT BE BG CY CZ DE DK EE EL ES FI FR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK XI'.split(' '),
);

class CiiReader extends Reader {
  /** A 0 % line was taken for an intra-Community supply: the document then needs its delivery facts (BR-IC-11/12). */
  guessedIntraCommunity = false;
  constructor(readonly gen: Generation) {
    super();
  }

  /** The child of `parent` by its name in this generation (or, leniently, in the other one). */
  pick(parent: El | undefined, key: NameKey): El | undefined {
    const names = NAMES[key];
    return parent?.one(names[this.gen]) ?? parent?.one(names[this.gen === 0 ? 1 : 0]);
  }

  name(key: NameKey): string {
    return NAMES[key][this.gen];
  }

  /**
   * A udt:DateTimeString (or udt:DateString / qdt:DateTimeString) under `parent/qname`: format 102 is YYYYMMDD; an
   * ISO date is accepted too (some writers ignore the format attribute).
   */
  ciiDate(parent: El | undefined, qname: string, required: boolean, what?: string): string | undefined {
    const wrapper = parent?.at(qname);
    // udt:DateTimeString, udt:DateString (BT-7) or qdt:DateTimeString (BT-26): whichever the wrapper holds.
    const prefix = qname.endsWith('FormattedIssueDateTime') ? 'qdt:' : 'udt:';
    const inner = wrapper?.node.children[0]?.name;
    const el = inner ? wrapper?.one(`${prefix}${inner}`) : wrapper;
    const path = el?.path ?? (parent ? parent.pathOf(`${qname}/${prefix}DateTimeString`) : qname);
    const raw = el?.text();
    if (raw === undefined) {
      if (required) this.issues.missing(path, what);
      return undefined;
    }
    const format = el?.attr('format') ?? '102';
    let m = /^(\d{4})(\d{2})(\d{2})$/.exec(raw);
    if (!m && format === '102') m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
    if (!m || (format !== '102' && !/^\d{4}-\d{2}-\d{2}$/.test(raw))) {
      this.issues.error(path, `"${raw}" is not a date in the form YYYYMMDD (format 102)${format !== '102' ? `; format ${format} is not supported` : ''}`);
      return undefined;
    }
    const iso = `${m[1]}-${m[2]}-${m[3]}`;
    const d = new Date(`${iso}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) {
      this.issues.error(path, `"${raw}" is not a calendar date`);
      return undefined;
    }
    return iso;
  }

  ciiCategory(el: El | undefined): VatCategory | undefined {
    const raw = el?.text('ram:CategoryCode');
    if (raw === undefined) return undefined;
    const parsed = vatCategory.safeParse(raw.toUpperCase());
    if (!parsed.success) {
      this.issues.error(el?.pathOf('ram:CategoryCode') ?? '', `"${raw}" is not a UNCL5305 VAT category code (S, Z, E, AE, K, G, O, L, M, B)`);
      return undefined;
    }
    return parsed.data;
  }

  ciiRate(el: El | undefined): string | undefined {
    if (!el) return undefined;
    const percentName = this.name('percent');
    const percentEl = this.pick(el, 'percent');
    return this.decimal(percentEl, percentEl?.path ?? el.pathOf(percentName), false);
  }

  /** The xs:boolean of a ram:ChargeIndicator (udt:Indicator inside, or the text itself in sloppy files). */
  indicator(el: El): boolean | undefined {
    const ci = el.one('ram:ChargeIndicator');
    return this.boolean(ci?.text('udt:Indicator') ?? ci?.text(), el.pathOf('ram:ChargeIndicator/udt:Indicator'));
  }
}

function address(el: El | undefined): NonNullable<InvoiceInput['seller']>['address'] | undefined {
  if (!el) return undefined;
  return {
    street: el.text('ram:LineOne'),
    additionalStreet: el.text('ram:LineTwo'),
    addressLine: el.text('ram:LineThree'),
    city: el.text('ram:CityName'),
    postalCode: el.text('ram:PostcodeCode'),
    countrySubdivision: el.text('ram:CountrySubDivisionName'),
    countryCode: el.text('ram:CountryID')?.toUpperCase() ?? '',
  };
}

function schemed(el: El | undefined): { id: string; scheme?: string } | undefined {
  const id = el?.text();
  if (!id) return undefined;
  const scheme = el?.attr('schemeID');
  return scheme ? { id, scheme } : { id };
}

function readParty(r: CiiReader, p: El | undefined, path: string, role: 'seller' | 'buyer'): InvoiceInput['seller'] | undefined {
  if (!p) {
    r.issues.missing(path, role);
    return undefined;
  }
  const bt = role === 'seller' ? { name: 'BT-27', country: 'BT-40' } : { name: 'BT-44', country: 'BT-55' };
  const legalOrg = p.one('ram:SpecifiedLegalOrganization');
  const tradingName = legalOrg?.text('ram:TradingBusinessName');
  const name = p.text('ram:Name') ?? tradingName;
  if (!name) r.issues.missing(p.pathOf('ram:Name'), `${role} name, ${bt.name}`);

  const addrEl = p.one('ram:PostalTradeAddress');
  const addr = address(addrEl);
  if (!addr?.countryCode) r.issues.missing(p.pathOf('ram:PostalTradeAddress/ram:CountryID'), `${role} country, ${bt.country}`);
  const country = addr?.countryCode || undefined;

  const party: NonNullable<InvoiceInput['seller']> = { name: name ?? '', address: addr ?? { countryCode: '' } };
  if (tradingName && tradingName !== name) party.tradingName = tradingName;

  const uri = p.at('ram:URIUniversalCommunication/ram:URIID');
  if (uri?.text()) {
    const scheme = uri.attr('schemeID');
    if (scheme) party.endpoint = { scheme, id: uri.text() as string };
    else r.issues.warn(uri.path, 'electronic address without schemeID ignored (BR-62/BR-63)');
  }

  // BT-29/BT-46: ram:ID (no scheme) and ram:GlobalID (with an ISO 6523 scheme).
  const ids = [...p.all('ram:ID'), ...p.all('ram:GlobalID')].map(schemed).filter((x): x is { id: string; scheme?: string } => !!x);
  if (ids.length) party.identifiers = ids;

  for (const reg of p.all('ram:SpecifiedTaxRegistration')) {
    const idEl = reg.one('ram:ID');
    const raw = idEl?.text();
    if (!raw || !idEl) continue; // InvoicePlane writes an empty <ram:ID schemeID="FC"/> when there is no tax number
    const scheme = (idEl.attr('schemeID') ?? '').toUpperCase();
    if (scheme === 'VA') {
      const vatId = normalizeVatId(r, idEl.path, raw, country);
      if (vatId) party.vatId = vatId;
    } else if (!party.taxRegistrationId) party.taxRegistrationId = raw;
  }

  const legalEl = legalOrg?.one('ram:ID');
  const legalId = legalEl?.text();
  if (legalEl && legalId) {
    const scheme = legalEl.attr('schemeID');
    const cleaned = cleanEnterpriseNumber(legalId);
    if (scheme === '0208' && /^[01]\d{9}$/.test(cleaned)) {
      party.enterpriseNumber = cleaned;
      const check = validateEnterpriseNumber(cleaned);
      if (!check.valid) r.issues.warn(legalEl.path, check.message);
    } else {
      party.legalId = scheme ? { id: legalId, scheme } : { id: legalId };
      if (scheme === '0208') r.issues.warn(legalEl.path, `"${legalId}" is not a 10-digit Belgian enterprise number`);
    }
  } else if (party.endpoint?.scheme === '0208' && /^[01]\d{9}$/.test(party.endpoint.id)) {
    party.enterpriseNumber = party.endpoint.id;
  }
  const legalForm = p.text('ram:Description');
  if (legalForm) party.legalForm = legalForm;

  const contactEl = p.one('ram:DefinedTradeContact');
  if (contactEl) {
    // ZUGFeRD 1.0 writers (InvoicePlane) put the person's name as the element's text instead of in ram:PersonName.
    const c = {
      name: contactEl.text('ram:PersonName') ?? contactEl.text('ram:DepartmentName') ?? (contactEl.node.children.length ? undefined : contactEl.text()),
      phone: contactEl.text('ram:TelephoneUniversalCommunication/ram:CompleteNumber'),
      email: contactEl.text('ram:EmailURIUniversalCommunication/ram:URIID'),
    };
    if (c.name || c.phone || c.email) party.contact = c;
  }
  return party;
}

function readAllowanceCharge(r: CiiReader, el: El, documentLevel: boolean): NonNullable<InvoiceInput['allowancesCharges']>[number] | undefined {
  const isCharge = r.indicator(el);
  if (isCharge === undefined) return undefined;
  const amount = r.amount(el, 'ram:ActualAmount', true, isCharge ? 'charge amount' : 'allowance amount');
  if (amount === undefined) return undefined;
  const ac: NonNullable<InvoiceInput['allowancesCharges']>[number] = { isCharge, amount };
  const base = r.amount(el, 'ram:BasisAmount', false);
  if (base !== undefined) ac.baseAmount = base;
  const percent = r.decimal(el.one('ram:CalculationPercent'), el.pathOf('ram:CalculationPercent'), false);
  if (percent !== undefined) ac.percent = percent;
  const reason = joinTexts(el.all('ram:Reason'));
  if (reason) ac.reason = clip(r, el.pathOf('ram:Reason'), reason, 300);
  const code = el.text('ram:ReasonCode');
  if (code) ac.reasonCode = code;
  if (documentLevel) {
    const tax = el.one('ram:CategoryTradeTax');
    const category = r.ciiCategory(tax);
    if (category) ac.vat = { category, rate: category === 'O' ? '0' : (r.ciiRate(tax) ?? '0') };
    else r.issues.warn(el.pathOf('ram:CategoryTradeTax/ram:CategoryCode'), 'missing (BR-32/BR-37)');
  }
  return ac;
}

/** Header VAT lines (BG-23) as found; the category may be missing in ZUGFeRD 1.0. */
interface HeaderTax {
  el: El;
  category?: VatCategory;
  rate?: string;
}

/**
 * The VAT category of a line whose ram:ApplicableTradeTax has no CategoryCode (ZUGFeRD 1.0 BASIC, as InvoicePlane
 * writes it): the header breakdown's category for the same rate if there is one; else S for a positive rate; else,
 * for 0 %, intra-Community supply (K) when the buyer has an EU VAT number of another country than the seller, zero rated (Z)
 * otherwise. A guess, so it comes with a warning.
 */
function guessCategory(
  r: CiiReader,
  path: string,
  rate: string,
  headerTaxes: HeaderTax[],
  sellerCountry: string | undefined,
  buyerVatId: string | undefined,
  buyerCountry?: string,
): VatCategory {
  const rateValue = dec(rate);
  const same = headerTaxes.filter((t) => t.category && t.rate !== undefined && dec(t.rate).eq(rateValue));
  const categories = [...new Set(same.map((t) => t.category as VatCategory))];
  if (categories.length === 1 && categories[0]) return categories[0];
  let guess: VatCategory;
  let why: string;
  if (rateValue.gt(0)) {
    guess = 'S';
    why = 'the rate is above 0';
  } else {
    const buyerPrefix = buyerVatId?.slice(0, 2);
    const crossBorder = !!buyerPrefix && EU_VAT_PREFIXES.has(buyerPrefix) && !!sellerCountry && buyerPrefix !== sellerCountry && buyerPrefix !== (sellerCountry === 'GR' ? 'EL' : sellerCountry);
    // An EU buyer registered elsewhere: an intra-Community supply (K), which Octopus books on its intra-Community
    // code; AE is the domestic co-contractor regime, a different line of the VAT return.
    // A buyer outside the EU, from a seller inside it: an export (G), which Octopus books on its export code.
    const inEu = (country: string) => EU_VAT_PREFIXES.has(country === 'GR' ? 'EL' : country);
    const export_ = !crossBorder && !!buyerCountry && !!sellerCountry && inEu(sellerCountry) && !inEu(buyerCountry);
    guess = crossBorder ? 'K' : export_ ? 'G' : 'Z';
    if (crossBorder) r.guessedIntraCommunity = true;
    why = crossBorder
      ? `0 % to a buyer with a VAT number of another EU country (${buyerPrefix})`
      : export_
        ? `0 % to a buyer outside the EU (${buyerCountry})`
        : '0 % within one country';
  }
  r.issues.warn(path, `VAT category code missing; taken as ${guess} (${why}): check it`);
  return guess;
}

export function readCii(rootNode: XNode, options: ReadOptions): ReadResult {
  const gen: Generation = rootNode.name === 'CrossIndustryDocument' ? 1 : 0;
  const r = new CiiReader(gen);
  const root = new El(rootNode, '');

  const context = r.pick(root, 'context');
  const customizationId = context?.text('ram:GuidelineSpecifiedDocumentContextParameter/ram:ID');
  const profileId = context?.text('ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID');
  const format: SourceFormat = { root: rootNode.name as SourceFormat['root'], syntax: gen === 1 ? 'zugferd-1' : 'cii' };
  if (customizationId) format.customizationId = customizationId;
  if (profileId) format.profileId = profileId;

  const header = r.pick(root, 'header');
  const tx = r.pick(root, 'transaction');
  if (!header) r.issues.missing(r.name('header'), 'document header');
  if (!tx) r.issues.missing(r.name('transaction'), 'trade transaction');
  if (!header || !tx) return fail(r.issues.errors, r.issues.warnings);

  const agreement = r.pick(tx, 'agreement');
  const deliveryEl = r.pick(tx, 'delivery');
  const settlement = r.pick(tx, 'settlement');
  if (!agreement) r.issues.missing(tx.pathOf(r.name('agreement')), 'seller and buyer');
  if (!settlement) r.issues.missing(tx.pathOf(r.name('settlement')), 'currency, VAT and totals');
  if (!agreement || !settlement) return fail(r.issues.errors, r.issues.warnings);

  const currency = settlement.text('ram:InvoiceCurrencyCode')?.toUpperCase();
  if (!currency) r.issues.missing(settlement.pathOf('ram:InvoiceCurrencyCode'), 'BT-5');
  r.currency = currency ?? '';

  const number = header.text('ram:ID');
  if (!number) r.issues.missing(header.pathOf('ram:ID'), 'invoice number, BT-1');
  const issueDate = r.ciiDate(header, 'ram:IssueDateTime', true, 'BT-2');
  const typeCode = header.text('ram:TypeCode');
  const isCredit = !!typeCode && CREDIT_NOTE_TYPE_CODES.has(typeCode);

  for (const [parent, qname, what] of [
    [settlement, 'ram:TaxCurrencyCode', 'VAT accounting currency (BT-6/BT-111)'],
    [settlement, 'ram:PayeeTradeParty', 'payee (BG-10)'],
    [agreement, 'ram:SellerTaxRepresentativeTradeParty', 'seller tax representative (BG-11)'],
    [agreement, 'ram:SpecifiedProcuringProject', 'project reference (BT-11)'],
    [deliveryEl, 'ram:DespatchAdviceReferencedDocument', 'despatch advice reference (BT-16)'],
    [deliveryEl, 'ram:ReceivingAdviceReferencedDocument', 'receiving advice reference (BT-15)'],
  ] as const) {
    const found = parent?.one(qname);
    if (found) r.issues.warn(found.path, `${what} is not kept`);
  }

  const draft = draftInvoice({ isCredit, direction: options.direction, number, issueDate, currency });
  if (typeCode) draft.typeCode = typeCode;
  const notes = header.all('ram:IncludedNote').map((n) => n.one('ram:Content')).filter((x): x is El => !!x);
  if (notes.length > 1) r.issues.warn(header.pathOf('ram:IncludedNote'), `${notes.length} notes joined into one`);
  const note = clip(r, header.pathOf('ram:IncludedNote/ram:Content'), joinTexts(notes), 2000);
  if (note) draft.note = note;

  // Agreement: references and parties.
  const buyerReference = agreement.text('ram:BuyerReference');
  if (buyerReference) draft.buyerReference = buyerReference;
  const orderReference = agreement.text('ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID') ?? agreement.text('ram:BuyerOrderReferencedDocument/ram:ID');
  if (orderReference) draft.orderReference = orderReference;
  const salesOrderReference = agreement.text('ram:SellerOrderReferencedDocument/ram:IssuerAssignedID') ?? agreement.text('ram:SellerOrderReferencedDocument/ram:ID');
  if (salesOrderReference) draft.salesOrderReference = salesOrderReference;
  const contractReference = agreement.text('ram:ContractReferencedDocument/ram:IssuerAssignedID') ?? agreement.text('ram:ContractReferencedDocument/ram:ID');
  if (contractReference) draft.contractReference = contractReference;

  const attachments: NonNullable<InvoiceInput['attachments']> = [];
  const references: NonNullable<InvoiceInput['documentReferences']> = [];
  for (const ard of agreement.all('ram:AdditionalReferencedDocument')) {
    const id = ard.text('ram:IssuerAssignedID') ?? ard.text('ram:ID');
    if (!id) {
      r.issues.warn(ard.pathOf('ram:IssuerAssignedID'), 'supporting document without an identifier ignored (BR-52)');
      continue;
    }
    const description = ard.text('ram:Name');
    const bin = ard.one('ram:AttachmentBinaryObject');
    if (bin) {
      const att = embeddedAttachment(r, bin, id, description);
      if (att) attachments.push(att);
    } else {
      const ref: (typeof references)[number] = { id };
      const typeCodeRef = ard.text('ram:TypeCode');
      // 916 "reference document" is the default meaning of a supporting document in UBL; 50 (tender) and 130 are kept.
      if (typeCodeRef && typeCodeRef !== '916') ref.typeCode = typeCodeRef;
      const scheme = ard.text('ram:ReferenceTypeCode');
      if (scheme) ref.scheme = scheme;
      if (description) ref.description = description;
      const uri = ard.text('ram:URIID');
      if (uri) ref.uri = uri;
      references.push(ref);
    }
  }
  if (attachments.length) draft.attachments = attachments;
  if (references.length) draft.documentReferences = references;

  const seller = readParty(r, agreement.one('ram:SellerTradeParty'), agreement.pathOf('ram:SellerTradeParty'), 'seller');
  const buyer = readParty(r, agreement.one('ram:BuyerTradeParty'), agreement.pathOf('ram:BuyerTradeParty'), 'buyer');
  if (seller) draft.seller = seller;
  if (buyer) draft.buyer = buyer;

  // Delivery (BG-13).
  if (deliveryEl) {
    const d: NonNullable<InvoiceInput['delivery']> = {};
    const date = r.ciiDate(deliveryEl, 'ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime', false);
    if (date) d.date = date;
    const shipTo = deliveryEl.one('ram:ShipToTradeParty');
    if (shipTo) {
      const loc = schemed(shipTo.one('ram:GlobalID')) ?? schemed(shipTo.one('ram:ID'));
      if (loc) d.locationId = loc;
      const a = address(shipTo.one('ram:PostalTradeAddress'));
      if (a?.countryCode) d.address = a;
      else if (a) r.issues.warn(shipTo.pathOf('ram:PostalTradeAddress/ram:CountryID'), 'deliver-to address without country ignored (BR-57)');
      const partyName = shipTo.text('ram:Name');
      if (partyName) d.partyName = partyName;
    }
    if (Object.keys(d).length) draft.delivery = d;
  }

  // Settlement: payment, terms, period, references.
  const terms = settlement.all('ram:SpecifiedTradePaymentTerms');
  const dueDate = terms.map((t) => r.ciiDate(t, 'ram:DueDateDateTime', false)).find((x) => !!x);
  if (dueDate) draft.dueDate = dueDate;
  const termsText = joinTexts(terms.map((t) => t.one('ram:Description')).filter((x): x is El => !!x));
  if (termsText) draft.paymentTerms = clip(r, settlement.pathOf('ram:SpecifiedTradePaymentTerms/ram:Description'), termsText, 500);

  const pmEls = settlement.all('ram:SpecifiedTradeSettlementPaymentMeans');
  if (pmEls.length > 1) r.issues.warn(pmEls[1]?.path ?? '', `${pmEls.length} payment means; only the first is kept`);
  const pmEl = pmEls[0];
  const paymentReference = settlement.text('ram:PaymentReference');
  const mandate = terms.map((t) => t.text('ram:DirectDebitMandateID')).find((x) => !!x);
  if (pmEl || paymentReference || mandate) {
    let code = pmEl?.text('ram:TypeCode');
    if (!code) {
      r.issues.warn(pmEl ? pmEl.pathOf('ram:TypeCode') : settlement.pathOf('ram:SpecifiedTradeSettlementPaymentMeans'), 'payment means code missing (BR-49); taken as 1 (not defined)');
      code = '1';
    }
    const pm: NonNullable<InvoiceInput['paymentMeans']> = { code };
    if (paymentReference) pm.paymentId = clip(r, settlement.pathOf('ram:PaymentReference'), paymentReference, 140);
    const account = pmEl?.one('ram:PayeePartyCreditorFinancialAccount');
    const accountNumber = account?.text('ram:IBANID') ?? account?.text('ram:ProprietaryID');
    if (accountNumber) {
      const iban = validateIban(accountNumber);
      if (iban.valid) pm.iban = iban.value;
      else pm.accountId = accountNumber;
    }
    const accountName = account?.text('ram:AccountName');
    if (accountName) pm.accountName = accountName;
    const bic = pmEl?.text('ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID');
    if (bic) {
      if (BIC.test(bic.toUpperCase())) pm.bic = bic.toUpperCase();
      else pm.branchId = bic;
    }
    if (mandate) pm.mandateId = mandate;
    const payer = pmEl?.text('ram:PayerPartyDebtorFinancialAccount/ram:IBANID') ?? pmEl?.text('ram:PayerPartyDebtorFinancialAccount/ram:ProprietaryID');
    if (payer) pm.payerAccount = payer;
    draft.paymentMeans = pm;
  }

  const periodEl = settlement.one('ram:BillingSpecifiedPeriod');
  const start = r.ciiDate(periodEl, 'ram:StartDateTime', false);
  const end = r.ciiDate(periodEl, 'ram:EndDateTime', false);

  const billingEl = settlement.all('ram:InvoiceReferencedDocument');
  const billingRef = billingEl[0]?.text('ram:IssuerAssignedID');
  if (billingRef && billingEl[0]) {
    const refDate = r.ciiDate(billingEl[0], 'ram:FormattedIssueDateTime', false);
    draft.billingReference = refDate ? { number: billingRef, issueDate: refDate } : { number: billingRef };
    if (billingEl.length > 1) r.issues.warn(settlement.pathOf('ram:InvoiceReferencedDocument'), `${billingEl.length} preceding invoices; only the first is kept`);
  }
  // BT-19 belongs in the settlement; @e-invoice-eu/core 2.x writes it one level up, in the transaction.
  const accountingCost =
    settlement.text('ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID') ?? tx.text('ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID');
  if (accountingCost) draft.accountingCost = accountingCost;

  // Header VAT (BG-23), also the source of BT-7 and BT-8.
  const headerTaxes: HeaderTax[] = settlement.all('ram:ApplicableTradeTax').map((el) => {
    const category = r.ciiCategory(el);
    const rate = r.ciiRate(el);
    return { el, category, rate };
  });
  let descriptionCode: string | undefined;
  for (const t of headerTaxes) {
    const taxPoint = r.ciiDate(t.el, 'ram:TaxPointDate', false);
    if (taxPoint) draft.taxPointDate = taxPoint;
    descriptionCode ??= t.el.text('ram:DueDateTypeCode');
  }
  // CII codes BT-8 with UNCL2475 (5 invoice date, 29 delivery date, 72 paid to date); UBL with UNCL2005 (3, 35, 432).
  const dueDateCode: Record<string, string> = { '5': '3', '29': '35', '72': '432' };
  const periodCode = descriptionCode ? (dueDateCode[descriptionCode] ?? descriptionCode) : undefined;
  if (start || end || periodCode) draft.invoicePeriod = { start, end, descriptionCode: periodCode };

  draft.allowancesCharges = settlement
    .all('ram:SpecifiedTradeAllowanceCharge')
    .map((el) => readAllowanceCharge(r, el, true))
    .filter((x): x is NonNullable<typeof x> => !!x);

  // Lines (BG-25).
  const lineEls = tx.all('ram:IncludedSupplyChainTradeLineItem');
  if (lineEls.length === 0) r.issues.missing(tx.pathOf('ram:IncludedSupplyChainTradeLineItem'), 'at least one line, BR-16');
  const sellerCountry = draft.seller?.address.countryCode || undefined;
  const buyerVatId = draft.buyer?.vatId;
  const buyerCountryCode = draft.buyer?.address?.countryCode || undefined;
  // InvoicePlane writes no VAT on a 0 % line, and a header tax only for the rates above 0: where other lines carry
  // their VAT, a line without any is at 0 %, not at the header's rate.
  const someLineTaxed = lineEls.some((le) => !!r.pick(le, 'lineSettlement')?.one('ram:ApplicableTradeTax'));
  draft.lines = [];
  for (const le of lineEls) {
    const doc = le.one('ram:AssociatedDocumentLineDocument');
    const id = doc?.text('ram:LineID');
    if (!id) r.issues.missing(le.pathOf('ram:AssociatedDocumentLineDocument/ram:LineID'), 'line identifier, BR-21');
    const la = r.pick(le, 'lineAgreement');
    const ld = r.pick(le, 'lineDelivery');
    const ls = r.pick(le, 'lineSettlement');
    const product = le.one('ram:SpecifiedTradeProduct');

    const qtyEl = ld?.one('ram:BilledQuantity');
    const qtyPath = (ld ?? le).pathOf(ld ? 'ram:BilledQuantity' : `${r.name('lineDelivery')}/ram:BilledQuantity`);
    let quantity = r.decimal(qtyEl, qtyPath, false);
    if (quantity === undefined && !qtyEl) {
      r.issues.warn(qtyPath, 'missing; taken as 1');
      quantity = '1';
    }
    const unitCode = qtyEl?.attr('unitCode');

    const summation = r.pick(ls, 'lineSummation');
    const netAmount = summation
      ? r.amount(summation, 'ram:LineTotalAmount', true, 'line net amount, BT-131')
      : (r.issues.missing(le.pathOf(`${r.name('lineSettlement')}/${r.name('lineSummation')}/ram:LineTotalAmount`), 'line net amount, BT-131'), undefined);

    // Item name; ZUGFeRD 1.0 writers (InvoicePlane) put "name\ndescription" into ram:Name when there is no ram:Description.
    let itemName = product?.text('ram:Name');
    let itemDescription = product ? joinTexts(product.all('ram:Description')) : undefined;
    if (itemName && !itemDescription && itemName.includes('\n')) {
      const cut = itemName.indexOf('\n');
      itemDescription = itemName.slice(cut + 1).trim() || undefined;
      itemName = itemName.slice(0, cut).trim();
    }
    let description = itemName;
    if (!description && itemDescription) {
      r.issues.warn(le.pathOf('ram:SpecifiedTradeProduct/ram:Name'), 'missing; the item description is used as name');
      description = itemDescription;
    }
    if (!description) r.issues.missing(le.pathOf('ram:SpecifiedTradeProduct/ram:Name'), 'item name, BR-25');

    const lineTax = ls?.one('ram:ApplicableTradeTax');
    const taxPath = lineTax?.path ?? le.pathOf(`${r.name('lineSettlement')}/ram:ApplicableTradeTax`);
    let vat: { category: VatCategory; rate: string } | undefined;
    if (!lineTax) {
      // No VAT at all on the line (InvoicePlane leaves it out at 0 %): the header's only category, if there is one and
      // it is not the VAT of the other lines.
      const only = headerTaxes.length === 1 && !someLineTaxed ? headerTaxes[0] : undefined;
      if (only?.category) {
        vat = { category: only.category, rate: only.category === 'O' ? '0' : (only.rate ?? '0') };
        r.issues.warn(taxPath, `missing; the document's only VAT category ${only.category} ${vat.rate} % is used`);
      } else if (headerTaxes.length === 0 || someLineTaxed) {
        vat = { category: guessCategory(r, `${taxPath}/ram:CategoryCode`, '0', headerTaxes, sellerCountry, buyerVatId, buyerCountryCode), rate: '0' };
      } else {
        r.issues.missing(taxPath, 'VAT category, BR-CO-04');
      }
    } else {
      const rate = r.ciiRate(lineTax);
      const explicit = r.ciiCategory(lineTax);
      const category = explicit ?? guessCategory(r, lineTax.pathOf('ram:CategoryCode'), rate ?? '0', headerTaxes, sellerCountry, buyerVatId, buyerCountryCode);
      if (rate === undefined && category !== 'O' && category !== 'E' && category !== 'AE' && category !== 'K' && category !== 'G' && category !== 'Z') {
        r.issues.warn(lineTax.pathOf(r.name('percent')), `missing for category ${category}; taken as 0`);
      }
      vat = { category, rate: category === 'O' ? '0' : (rate ?? '0') };
    }

    const netPriceEl = la?.one('ram:NetPriceProductTradePrice');
    const grossPriceEl = la?.one('ram:GrossPriceProductTradePrice');
    let unitPrice = netPriceEl ? r.amount(netPriceEl, 'ram:ChargeAmount', false) : undefined;
    if (unitPrice === undefined && netAmount !== undefined && quantity !== undefined && !netPriceEl?.one('ram:ChargeAmount')) {
      r.issues.warn(le.pathOf(`${r.name('lineAgreement')}/ram:NetPriceProductTradePrice/ram:ChargeAmount`), 'missing; derived from the line net amount and quantity');
      unitPrice = dec(quantity).eq(0) ? netAmount : dec(netAmount).div(dec(quantity)).abs().round(4, Big.roundHalfUp).toString();
    }

    const line: InvoiceInput['lines'][number] = {
      id: id ?? '',
      description: clip(r, le.pathOf('ram:SpecifiedTradeProduct/ram:Name'), description, 1000) ?? '',
      quantity: quantity ?? '0',
      unitPrice: unitPrice ?? '0',
      netAmount: netAmount ?? '0',
      vat: vat ?? { category: 'S', rate: '0' },
      allowancesCharges: (ls?.all('ram:SpecifiedTradeAllowanceCharge') ?? [])
        .map((el) => readAllowanceCharge(r, el, false))
        .filter((x): x is NonNullable<typeof x> => !!x),
    };
    if (unitCode) line.unitCode = unitCode;
    else if (qtyEl) r.issues.warn(qtyEl.path, 'no unitCode; taken as C62 (one)');
    const lineNote = doc ? joinTexts(doc.all('ram:IncludedNote').map((n) => n.one('ram:Content')).filter((x): x is El => !!x)) : undefined;
    if (lineNote) line.note = clip(r, le.pathOf('ram:AssociatedDocumentLineDocument/ram:IncludedNote'), lineNote, 1000);
    const lineCost = ls?.text('ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID');
    if (lineCost) line.accountingCost = lineCost;
    const lp = ls?.one('ram:BillingSpecifiedPeriod');
    if (lp) {
      const ps = r.ciiDate(lp, 'ram:StartDateTime', false);
      const pe = r.ciiDate(lp, 'ram:EndDateTime', false);
      if (ps || pe) line.period = { start: ps, end: pe };
    }
    const olr = la?.text('ram:BuyerOrderReferencedDocument/ram:LineID');
    if (olr) line.orderLineReference = olr;
    if (product) {
      if (itemDescription && itemName) line.itemDescription = clip(r, le.pathOf('ram:SpecifiedTradeProduct/ram:Description'), itemDescription, 2000);
      const sellers = product.text('ram:SellerAssignedID');
      if (sellers) line.sellersItemId = sellers;
      const buyers = product.text('ram:BuyerAssignedID');
      if (buyers) line.buyersItemId = buyers;
      const std = schemed(product.one('ram:GlobalID'));
      if (std) line.standardItemId = std;
      const origin = product.text('ram:OriginTradeCountry/ram:ID');
      if (origin) line.originCountry = origin.toUpperCase();
      const classes = product
        .all('ram:DesignatedProductClassification')
        .map((c) => c.one('ram:ClassCode'))
        .filter((x): x is El => !!x && !!x.text() && !!x.attr('listID'))
        .map((x) => {
          const c: { code: string; listId: string; listVersionId?: string } = { code: x.text() as string, listId: x.attr('listID') as string };
          const v = x.attr('listVersionID');
          if (v) c.listVersionId = v;
          return c;
        });
      if (classes.length) line.classifications = classes;
      const props = product
        .all('ram:ApplicableProductCharacteristic')
        .map((pc) => ({ name: pc.text('ram:Description') ?? '', value: pc.text('ram:Value') ?? '' }))
        .filter((x) => x.name && x.value);
      if (props.length) line.itemProperties = props;
    }
    if (netPriceEl) {
      const basis = r.decimal(netPriceEl.one('ram:BasisQuantity'), netPriceEl.pathOf('ram:BasisQuantity'), false);
      if (basis !== undefined) line.priceBaseQuantity = basis;
    }
    if (grossPriceEl && unitPrice !== undefined) {
      // Gross price and price discount (BT-148/BT-147) only matter when they differ from the net price.
      const gross = r.amount(grossPriceEl, 'ram:ChargeAmount', false);
      const discountEl = grossPriceEl.one('ram:AppliedTradeAllowanceCharge');
      const discount = discountEl ? r.amount(discountEl, 'ram:ActualAmount', false) : undefined;
      if (gross !== undefined && (discount !== undefined ? !dec(discount).eq(0) : !dec(gross).eq(dec(unitPrice)))) {
        line.grossPrice = gross;
        line.priceDiscount = discount ?? dec(gross).minus(dec(unitPrice)).toString();
      }
    }
    draft.lines.push(line);
  }

  // VAT breakdown: as the document gives it, else computed from the lines (ZUGFeRD 1.0 at 0 % may have none).
  if (headerTaxes.length) {
    draft.vatBreakdown = headerTaxes
      .map((t) => {
        const taxable = r.amount(t.el, 'ram:BasisAmount', true, 'BT-116');
        const tax = r.amount(t.el, 'ram:CalculatedAmount', true, 'BT-117');
        const category = t.category ?? (t.rate !== undefined ? guessCategory(r, t.el.pathOf('ram:CategoryCode'), t.rate, [], sellerCountry, buyerVatId, buyerCountryCode) : undefined);
        if (!category && !t.el.one('ram:CategoryCode')) r.issues.missing(t.el.pathOf('ram:CategoryCode'), 'VAT category, BT-118');
        if (taxable === undefined || tax === undefined || !category) return undefined;
        const b: NonNullable<InvoiceInput['vatBreakdown']>[number] = { category, rate: category === 'O' ? '0' : (t.rate ?? '0'), taxableAmount: taxable, taxAmount: tax };
        const reason = joinTexts(t.el.all('ram:ExemptionReason'));
        if (reason) b.exemptionReason = clip(r, t.el.pathOf('ram:ExemptionReason'), reason, 300);
        const code = t.el.text('ram:ExemptionReasonCode');
        if (code) b.exemptionReasonCode = code;
        return b;
      })
      .filter((x): x is NonNullable<typeof x> => !!x);
    // InvoicePlane's 0 % lines have no header tax beside the others' (see someLineTaxed): theirs is computed from them.
    const covered = new Set(draft.vatBreakdown.map((b) => `${b.category}:${dec(b.rate ?? '0').toString()}`));
    const uncovered = draft.lines.filter((l) => dec(l.vat.rate ?? '0').eq(0) && !covered.has(`${l.vat.category}:0`));
    if (someLineTaxed && uncovered.length > 0 && r.issues.errors.length === 0) {
      r.issues.warn(settlement.pathOf('ram:ApplicableTradeTax'), 'none for the 0 % lines; their VAT breakdown is computed from them');
      draft.vatBreakdown.push(...computeVatBreakdown(uncovered.map((l) => ({ netAmount: l.netAmount, vat: l.vat })), []));
    }
  } else if (r.issues.errors.length === 0) {
    r.issues.warn(settlement.pathOf('ram:ApplicableTradeTax'), 'missing; the VAT breakdown is computed from the lines');
    try {
      draft.vatBreakdown = computeVatBreakdown(
        draft.lines.map((l) => ({ netAmount: l.netAmount, vat: l.vat })),
        (draft.allowancesCharges ?? []).filter((ac) => ac.vat),
      );
    } catch (e) {
      r.issues.error(settlement.pathOf('ram:ApplicableTradeTax'), e instanceof Error ? e.message : String(e));
    }
  }

  // Totals (BG-22).
  const totalsEl = r.pick(settlement, 'summation');
  if (!totalsEl) {
    r.issues.missing(settlement.pathOf(r.name('summation')), 'document totals');
  } else {
    const lineExtension = r.amount(totalsEl, 'ram:LineTotalAmount', true, 'BT-106');
    const taxExclusive = r.amount(totalsEl, 'ram:TaxBasisTotalAmount', true, 'BT-109');
    const taxInclusive = r.amount(totalsEl, 'ram:GrandTotalAmount', true, 'BT-112');
    const payable = r.amount(totalsEl, 'ram:DuePayableAmount', true, 'BT-115');
    const allowanceTotal = r.amount(totalsEl, 'ram:AllowanceTotalAmount', false);
    const chargeTotal = r.amount(totalsEl, 'ram:ChargeTotalAmount', false);
    const prepaid = r.amount(totalsEl, 'ram:TotalPrepaidAmount', false);
    const rounding = r.amount(totalsEl, 'ram:RoundingAmount', false);
    // BT-110 in the invoice currency; a second TaxTotalAmount in the VAT accounting currency (BT-111) is not kept.
    const taxTotals = totalsEl.all('ram:TaxTotalAmount');
    const taxTotalEl = taxTotals.find((t) => !t.attr('currencyID') || t.attr('currencyID') === r.currency) ?? taxTotals[0];
    const taxTotal = taxTotalEl ? r.decimal(taxTotalEl, taxTotalEl.path, false) : undefined;
    draft.totals = totalsOf({ lineExtension, taxExclusive, taxTotal, taxInclusive, payable, allowanceTotal, chargeTotal, prepaid, rounding }, draft.vatBreakdown);
  }

  if (r.guessedIntraCommunity) completeIntraCommunityDelivery(r, draft);
  return finishRead(draft, r.issues, format);
}

/**
 * An intra-Community supply needs the delivery date and country (BR-IC-11, BR-IC-12). A ZUGFeRD 1.0 BASIC file that
 * left out the category usually leaves these out too: the buyer's country and the issue date stand in, said in a warning.
 */
function completeIntraCommunityDelivery(r: CiiReader, draft: InvoiceInput): void {
  const delivery = { ...(draft.delivery ?? {}) };
  const buyerCountry = draft.buyer?.address?.countryCode;
  if (!delivery.address?.countryCode && buyerCountry) {
    delivery.address = { ...(delivery.address ?? {}), countryCode: buyerCountry };
    r.issues.warn('delivery', `intra-Community supply without a delivery country; the buyer's (${buyerCountry}) is used`);
  }
  if (!delivery.date && !draft.invoicePeriod?.start && !draft.invoicePeriod?.end && draft.issueDate) {
    delivery.date = draft.issueDate;
    r.issues.warn('delivery', 'intra-Community supply without a delivery date or period; the issue date is used');
  }
  draft.delivery = delivery;
}
