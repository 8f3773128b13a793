import { cleanEnterpriseNumber, validateEnterpriseNumber, validateIban } from '../identifiers';
import type { InvoiceInput } from '../model/invoice';
import { Big, dec } from '../money';
import { computeVatBreakdown } from './compute';
import { PEPPOL_BIS3_CUSTOMIZATION_ID } from './constants';
import { readCii } from './read-cii';
import { DEFAULT_MAX_XML_BYTES, El, Reader, clip, fail, joinTexts, normalizeVatId, parseXml, BIC, draftInvoice, embeddedAttachment, finishRead, totalsOf } from './read-core';
import type { ReadOptions, ReadResult, SourceFormat, SourceSyntax } from './read-core';

export { DEFAULT_MAX_XML_BYTES, parseDecimalText } from './read-core';
export type { ReadIssue, ReadOptions, ReadResult, SourceFormat, SourceSyntax } from './read-core';

/**
 * Reads a UBL Invoice or CreditNote (Peppol BIS 3, UBL.BE, EN 16931 core, e-fff UBL 2.0) into the model, and hands
 * UN/CEFACT CII (Factur-X / ZUGFeRD 2.x, XRechnung CII) and ZUGFeRD 1.0 documents to ./read-cii.ts.
 *
 * - Namespace-prefix agnostic (prefixes are stripped; the root's local name decides Invoice vs CreditNote).
 * - Safe against entity expansion: a DOCTYPE (and so any entity declaration) is refused, entity processing is off and
 *   only the five predefined entities and character references are decoded; input above a size limit is refused.
 * - Errors and warnings name the path, e.g. "cac:LegalMonetaryTotal/cbc:PayableAmount missing".
 * - Amounts must be plain decimals; "1.234,50" or "1,234.50" gives an error that says so.
 */

function readParty(r: Reader, wrapper: El | undefined, wrapperPath: string, role: 'seller' | 'buyer'): InvoiceInput['seller'] | undefined {
  const p = wrapper?.one('cac:Party');
  if (!p) {
    r.issues.missing(`${wrapperPath}/cac:Party`, role);
    return undefined;
  }
  const bt = role === 'seller' ? { name: 'BT-27', country: 'BT-40' } : { name: 'BT-44', country: 'BT-55' };

  const tradingName = p.text('cac:PartyName/cbc:Name');
  const name = p.text('cac:PartyLegalEntity/cbc:RegistrationName') ?? tradingName ?? p.text('cac:PartyTaxScheme/cbc:RegistrationName');
  if (!name) r.issues.missing(p.pathOf('cac:PartyLegalEntity/cbc:RegistrationName'), `${role} name, ${bt.name}`);

  const addrEl = p.one('cac:PostalAddress') ?? p.at('cac:PartyLegalEntity/cac:RegistrationAddress');
  const addrPath = addrEl?.path ?? p.pathOf('cac:PostalAddress');
  const country = addrEl?.text('cac:Country/cbc:IdentificationCode')?.toUpperCase();
  if (!country) r.issues.missing(`${addrPath}/cac:Country/cbc:IdentificationCode`, `${role} country, ${bt.country}`);

  let street = addrEl?.text('cbc:StreetName');
  const building = addrEl?.text('cbc:BuildingNumber');
  if (building) street = street ? `${street} ${building}` : building;

  const party: NonNullable<InvoiceInput['seller']> = {
    name: name ?? '',
    address: {
      street,
      additionalStreet: addrEl?.text('cbc:AdditionalStreetName'),
      addressLine: addrEl?.text('cac:AddressLine/cbc:Line'),
      city: addrEl?.text('cbc:CityName'),
      postalCode: addrEl?.text('cbc:PostalZone'),
      countrySubdivision: addrEl?.text('cbc:CountrySubentity'),
      countryCode: country ?? '',
    },
  };
  if (tradingName) party.tradingName = tradingName;

  const endpointEl = p.one('cbc:EndpointID');
  const endpointId = endpointEl?.text();
  if (endpointId) {
    const scheme = endpointEl?.attr('schemeID');
    if (scheme) party.endpoint = { scheme, id: endpointId };
    else r.issues.warn(endpointEl?.path ?? '', 'EndpointID without schemeID ignored (BR-62/BR-63)');
  }

  const ids = p
    .all('cac:PartyIdentification')
    .map((pi) => {
      const idEl = pi.one('cbc:ID');
      const id = idEl?.text();
      if (!id) return undefined;
      const scheme = idEl?.attr('schemeID');
      return scheme ? { id, scheme } : { id };
    })
    .filter((x): x is { id: string; scheme?: string } => !!x);
  if (ids.length) party.identifiers = ids;

  for (const pts of p.all('cac:PartyTaxScheme')) {
    const companyId = pts.text('cbc:CompanyID');
    if (!companyId) continue;
    const scheme = (pts.text('cac:TaxScheme/cbc:ID') ?? '').toUpperCase();
    if (scheme === 'VAT') {
      const vatId = normalizeVatId(r, pts.pathOf('cbc:CompanyID'), companyId, country);
      if (vatId) party.vatId = vatId;
    } else if (!party.taxRegistrationId) {
      party.taxRegistrationId = companyId;
    }
  }

  const legalEl = p.at('cac:PartyLegalEntity/cbc:CompanyID');
  const legalId = legalEl?.text();
  if (legalId) {
    const scheme = legalEl?.attr('schemeID');
    const cleaned = cleanEnterpriseNumber(legalId);
    if (scheme === '0208' && /^[01]\d{9}$/.test(cleaned)) {
      party.enterpriseNumber = cleaned;
      const check = validateEnterpriseNumber(cleaned);
      if (!check.valid) r.issues.warn(legalEl?.path ?? '', check.message);
    } else {
      party.legalId = scheme ? { id: legalId, scheme } : { id: legalId };
      if (scheme === '0208') r.issues.warn(legalEl?.path ?? '', `"${legalId}" is not a 10-digit Belgian enterprise number`);
    }
  } else if (party.endpoint?.scheme === '0208' && /^[01]\d{9}$/.test(party.endpoint.id)) {
    party.enterpriseNumber = party.endpoint.id;
  }
  const legalForm = p.text('cac:PartyLegalEntity/cbc:CompanyLegalForm');
  if (legalForm) party.legalForm = legalForm;

  const contact = p.one('cac:Contact');
  if (contact) {
    const c = { name: contact.text('cbc:Name'), phone: contact.text('cbc:Telephone'), email: contact.text('cbc:ElectronicMail') };
    if (c.name || c.phone || c.email) party.contact = c;
  }
  return party;
}

function readAllowanceCharge(r: Reader, el: El, documentLevel: boolean): NonNullable<InvoiceInput['allowancesCharges']>[number] | undefined {
  const isCharge = r.boolean(el.text('cbc:ChargeIndicator'), el.pathOf('cbc:ChargeIndicator'));
  if (isCharge === undefined) return undefined;
  const amount = r.amount(el, 'cbc:Amount', true, isCharge ? 'charge amount' : 'allowance amount');
  if (amount === undefined) return undefined;
  const ac: NonNullable<InvoiceInput['allowancesCharges']>[number] = { isCharge, amount };
  const base = r.amount(el, 'cbc:BaseAmount', false);
  if (base !== undefined) ac.baseAmount = base;
  const percent = r.decimal(el.one('cbc:MultiplierFactorNumeric'), el.pathOf('cbc:MultiplierFactorNumeric'), false);
  if (percent !== undefined) ac.percent = percent;
  const reason = joinTexts(el.all('cbc:AllowanceChargeReason'));
  if (reason) ac.reason = clip(r, el.pathOf('cbc:AllowanceChargeReason'), reason, 300);
  const code = el.text('cbc:AllowanceChargeReasonCode');
  if (code) ac.reasonCode = code;
  if (documentLevel) {
    const tc = el.one('cac:TaxCategory');
    if (tc) {
      const vat = r.vat(tc, tc.path);
      if (vat) ac.vat = vat;
    } else r.issues.warn(el.pathOf('cac:TaxCategory'), 'missing (BR-32/BR-37)');
  }
  return ac;
}

function detectSyntax(customizationId: string | undefined, profileId: string | undefined, ublVersion: string | undefined): SourceSyntax {
  const c = customizationId ?? '';
  if (c.startsWith(PEPPOL_BIS3_CUSTOMIZATION_ID)) return 'peppol-bis3';
  if (/UBL\.BE/i.test(c)) return 'ubl-be';
  if (/e-fff/i.test(profileId ?? '') || /e-fff/i.test(c) || (ublVersion === '2.0' && /^1\.0$/.test(c))) return 'e-fff';
  if (c.startsWith('urn:cen.eu:en16931:2017')) return 'en16931';
  return 'ubl';
}

export function readInvoiceXml(xml: string, options: ReadOptions = {}): ReadResult {
  if (typeof xml !== 'string') return fail([{ path: '', message: 'No XML text was given.' }], []);
  try {
    return readChecked(xml, options);
  } catch (e) {
    // A bug here must not take the caller down with it: report it like any unreadable document.
    return fail([{ path: '', message: `The XML could not be read: ${e instanceof Error ? e.message : String(e)}` }], []);
  }
}

function readChecked(xml: string, options: ReadOptions): ReadResult {
  const parsed = parseXml(xml, options.maxBytes ?? DEFAULT_MAX_XML_BYTES);
  if ('error' in parsed) return fail([parsed.error], []);
  const rootNode = parsed.root;
  if (rootNode.name === 'CrossIndustryInvoice' || rootNode.name === 'CrossIndustryDocument') return readCii(rootNode, options);
  if (rootNode.name !== 'Invoice' && rootNode.name !== 'CreditNote') {
    return fail(
      [
        {
          path: rootNode.name,
          message: `The root element is <${rootNode.name}>, not an e-invoice (a UBL Invoice or CreditNote, or a CII CrossIndustryInvoice).`,
          text: { key: 'ubl_wrong_root', params: [rootNode.name] },
        },
      ],
      [],
    );
  }
  const isCredit = rootNode.name === 'CreditNote';
  const root = new El(rootNode, '');
  const r = new Reader();

  const customizationId = root.text('cbc:CustomizationID');
  const profileId = root.text('cbc:ProfileID');
  const ublVersion = root.text('cbc:UBLVersionID');
  const format: SourceFormat = { root: rootNode.name, syntax: detectSyntax(customizationId, profileId, ublVersion) };
  if (customizationId) format.customizationId = customizationId;
  if (profileId) format.profileId = profileId;
  if (ublVersion) format.ublVersion = ublVersion;

  for (const [qname, what] of [
    ['cbc:TaxCurrencyCode', 'VAT accounting currency (BT-6/BT-111)'],
    ['cac:PayeeParty', 'payee (BG-10)'],
    ['cac:TaxRepresentativeParty', 'seller tax representative (BG-11)'],
    ['cac:ProjectReference', 'project reference (BT-11)'],
    ['cac:DespatchDocumentReference', 'despatch advice reference (BT-16)'],
    ['cac:ReceiptDocumentReference', 'receiving advice reference (BT-15)'],
  ] as const) {
    if (root.one(qname)) r.issues.warn(qname, `${what} is not kept`);
  }

  const currency = root.text('cbc:DocumentCurrencyCode')?.toUpperCase();
  if (!currency) r.issues.missing('cbc:DocumentCurrencyCode', 'BT-5');
  r.currency = currency ?? '';

  const number = root.text('cbc:ID');
  if (!number) r.issues.missing('cbc:ID', 'invoice number, BT-1');
  const issueDate = r.date(root, 'cbc:IssueDate', true, 'BT-2');

  const paymentMeansEls = root.all('cac:PaymentMeans');
  const pmEl = paymentMeansEls[0];
  if (paymentMeansEls.length > 1) r.issues.warn('cac:PaymentMeans', `${paymentMeansEls.length} payment means; only the first is kept`);
  const dueDate =
    r.date(root, 'cbc:DueDate', false) ??
    (pmEl ? r.date(pmEl, 'cbc:PaymentDueDate', false) : undefined) ??
    (root.one('cac:PaymentTerms') ? r.date(root.one('cac:PaymentTerms') as El, 'cbc:PaymentDueDate', false) : undefined);

  const typeCode = root.text(isCredit ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode');
  const notes = root.all('cbc:Note');
  if (notes.length > 1) r.issues.warn('cbc:Note', `${notes.length} notes joined into one`);

  const draft = draftInvoice({ isCredit, direction: options.direction, number, issueDate, currency });
  if (dueDate) draft.dueDate = dueDate;
  if (typeCode) draft.typeCode = typeCode;
  const note = clip(r, 'cbc:Note', joinTexts(notes), 2000);
  if (note) draft.note = note;
  const taxPointDate = r.date(root, 'cbc:TaxPointDate', false);
  if (taxPointDate) draft.taxPointDate = taxPointDate;
  const accountingCost = root.text('cbc:AccountingCost');
  if (accountingCost) draft.accountingCost = accountingCost;
  const buyerReference = root.text('cbc:BuyerReference');
  if (buyerReference) draft.buyerReference = buyerReference;
  const orderReference = root.text('cac:OrderReference/cbc:ID');
  if (orderReference) draft.orderReference = orderReference;
  const salesOrderReference = root.text('cac:OrderReference/cbc:SalesOrderID');
  if (salesOrderReference) draft.salesOrderReference = salesOrderReference;
  const contractReference = root.text('cac:ContractDocumentReference/cbc:ID');
  if (contractReference) draft.contractReference = contractReference;

  const billing = root.all('cac:BillingReference');
  const billingDoc = billing[0]?.one('cac:InvoiceDocumentReference');
  if (billingDoc) {
    const ref = billingDoc.text('cbc:ID');
    if (ref) {
      const refDate = r.date(billingDoc, 'cbc:IssueDate', false);
      draft.billingReference = refDate ? { number: ref, issueDate: refDate } : { number: ref };
    }
    if (billing.length > 1) r.issues.warn('cac:BillingReference', `${billing.length} preceding invoices; only the first is kept`);
  }

  const periods = root.all('cac:InvoicePeriod');
  const periodEl = periods[0];
  if (periodEl) {
    const start = r.date(periodEl, 'cbc:StartDate', false);
    const end = r.date(periodEl, 'cbc:EndDate', false);
    const code = periodEl.text('cbc:DescriptionCode');
    if (start || end || code) draft.invoicePeriod = { start, end, descriptionCode: code };
  }

  // Supporting documents: embedded ones are attachments, the rest references.
  const attachments: NonNullable<InvoiceInput['attachments']> = [];
  const references: NonNullable<InvoiceInput['documentReferences']> = [];
  for (const adr of root.all('cac:AdditionalDocumentReference')) {
    const id = adr.text('cbc:ID');
    if (!id) {
      r.issues.warn(adr.pathOf('cbc:ID'), 'supporting document without an identifier ignored (BR-52)');
      continue;
    }
    const description = adr.text('cbc:DocumentDescription') ?? adr.text('cbc:DocumentType');
    const bin = adr.at('cac:Attachment/cbc:EmbeddedDocumentBinaryObject');
    if (bin) {
      const att = embeddedAttachment(r, bin, id, description);
      if (att) attachments.push(att);
    } else {
      const ref: (typeof references)[number] = { id };
      const scheme = adr.one('cbc:ID')?.attr('schemeID');
      if (scheme) ref.scheme = scheme;
      const typeCodeRef = adr.text('cbc:DocumentTypeCode');
      if (typeCodeRef) ref.typeCode = typeCodeRef;
      if (description) ref.description = description;
      const uri = adr.text('cac:Attachment/cac:ExternalReference/cbc:URI');
      if (uri) ref.uri = uri;
      references.push(ref);
    }
  }
  if (attachments.length) draft.attachments = attachments;
  if (references.length) draft.documentReferences = references;

  const seller = readParty(r, root.one('cac:AccountingSupplierParty'), 'cac:AccountingSupplierParty', 'seller');
  const buyer = readParty(r, root.one('cac:AccountingCustomerParty'), 'cac:AccountingCustomerParty', 'buyer');
  if (seller) draft.seller = seller;
  if (buyer) draft.buyer = buyer;

  const deliveryEl = root.all('cac:Delivery')[0];
  if (deliveryEl) {
    const d: NonNullable<InvoiceInput['delivery']> = {};
    const date = r.date(deliveryEl, 'cbc:ActualDeliveryDate', false);
    if (date) d.date = date;
    const locIdEl = deliveryEl.at('cac:DeliveryLocation/cbc:ID');
    const locId = locIdEl?.text();
    if (locId) d.locationId = locIdEl?.attr('schemeID') ? { id: locId, scheme: locIdEl.attr('schemeID') as string } : { id: locId };
    const a = deliveryEl.at('cac:DeliveryLocation/cac:Address');
    if (a) {
      const c = a.text('cac:Country/cbc:IdentificationCode')?.toUpperCase();
      if (c) {
        d.address = {
          street: a.text('cbc:StreetName'),
          additionalStreet: a.text('cbc:AdditionalStreetName'),
          addressLine: a.text('cac:AddressLine/cbc:Line'),
          city: a.text('cbc:CityName'),
          postalCode: a.text('cbc:PostalZone'),
          countrySubdivision: a.text('cbc:CountrySubentity'),
          countryCode: c,
        };
      } else r.issues.warn(a.pathOf('cac:Country/cbc:IdentificationCode'), 'deliver-to address without country ignored (BR-57)');
    }
    const partyName = deliveryEl.text('cac:DeliveryParty/cac:PartyName/cbc:Name');
    if (partyName) d.partyName = partyName;
    if (Object.keys(d).length) draft.delivery = d;
  }

  if (pmEl) {
    const code = pmEl.text('cbc:PaymentMeansCode');
    if (!code) r.issues.warn(pmEl.pathOf('cbc:PaymentMeansCode'), 'missing (BR-49); taken as 1 (not defined)');
    const pm: NonNullable<InvoiceInput['paymentMeans']> = { code: code ?? '1' };
    const paymentId = pmEl.text('cbc:PaymentID');
    if (paymentId) pm.paymentId = clip(r, pmEl.pathOf('cbc:PaymentID'), paymentId, 140);
    const account = pmEl.text('cac:PayeeFinancialAccount/cbc:ID');
    if (account) {
      const iban = validateIban(account);
      if (iban.valid) pm.iban = iban.value;
      else pm.accountId = account;
    }
    const accountName = pmEl.text('cac:PayeeFinancialAccount/cbc:Name');
    if (accountName) pm.accountName = accountName;
    const branch =
      pmEl.text('cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID') ??
      pmEl.text('cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cac:FinancialInstitution/cbc:ID');
    if (branch) {
      if (BIC.test(branch.toUpperCase())) pm.bic = branch.toUpperCase();
      else pm.branchId = branch;
    }
    const mandate = pmEl.text('cac:PaymentMandate/cbc:ID');
    if (mandate) pm.mandateId = mandate;
    const payer = pmEl.text('cac:PaymentMandate/cac:PayerFinancialAccount/cbc:ID');
    if (payer) pm.payerAccount = payer;
    draft.paymentMeans = pm;
  }
  const terms = root.text('cac:PaymentTerms/cbc:Note');
  if (terms) draft.paymentTerms = clip(r, 'cac:PaymentTerms/cbc:Note', terms, 500);

  draft.allowancesCharges = root
    .all('cac:AllowanceCharge')
    .map((el) => readAllowanceCharge(r, el, true))
    .filter((x): x is NonNullable<typeof x> => !!x);

  // Lines
  const lineName = isCredit ? 'cac:CreditNoteLine' : 'cac:InvoiceLine';
  const lineEls = root.all(lineName);
  if (lineEls.length === 0) r.issues.missing(lineName, 'at least one line, BR-16');
  draft.lines = [];
  for (const le of lineEls) {
    const id = le.text('cbc:ID');
    if (!id) r.issues.missing(le.pathOf('cbc:ID'), 'line identifier, BR-21');
    const qtyName = isCredit ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity';
    const qtyEl = le.one(qtyName);
    let quantity = r.decimal(qtyEl, le.pathOf(qtyName), false);
    if (quantity === undefined && !qtyEl) {
      r.issues.warn(le.pathOf(qtyName), 'missing; taken as 1');
      quantity = '1';
    }
    const unitCode = qtyEl?.attr('unitCode');
    const netAmount = r.amount(le, 'cbc:LineExtensionAmount', true, 'line net amount, BT-131');
    const item = le.one('cac:Item');
    const itemName = item?.text('cbc:Name');
    const itemDescription = item ? joinTexts(item.all('cbc:Description')) : undefined;
    let description = itemName;
    if (!description && itemDescription) {
      r.issues.warn(le.pathOf('cac:Item/cbc:Name'), 'missing; the item description is used as name');
      description = itemDescription;
    }
    if (!description) r.issues.missing(le.pathOf('cac:Item/cbc:Name'), 'item name, BR-25');

    const ctc = item?.one('cac:ClassifiedTaxCategory');
    const lineTaxCat = le.at('cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory');
    const vat = ctc
      ? r.vat(ctc, ctc.path)
      : lineTaxCat
        ? r.vat(lineTaxCat, lineTaxCat.path, le.at('cac:TaxTotal/cac:TaxSubtotal/cbc:Percent'))
        : (r.issues.missing(le.pathOf('cac:Item/cac:ClassifiedTaxCategory'), 'VAT category, BR-CO-04'), undefined);

    const price = le.one('cac:Price');
    let unitPrice = price ? r.amount(price, 'cbc:PriceAmount', false) : undefined;
    if (unitPrice === undefined && netAmount !== undefined && quantity !== undefined && !price?.one('cbc:PriceAmount')) {
      r.issues.warn(le.pathOf('cac:Price/cbc:PriceAmount'), 'missing; derived from the line net amount and quantity');
      unitPrice = dec(quantity).eq(0) ? netAmount : dec(netAmount).div(dec(quantity)).abs().round(4, Big.roundHalfUp).toString();
    }
    const line: InvoiceInput['lines'][number] = {
      id: id ?? '',
      description: clip(r, le.pathOf('cac:Item/cbc:Name'), description, 1000) ?? '',
      quantity: quantity ?? '0',
      unitPrice: unitPrice ?? '0',
      netAmount: netAmount ?? '0',
      vat: vat ?? { category: 'S', rate: '0' },
      allowancesCharges: le
        .all('cac:AllowanceCharge')
        .map((el) => readAllowanceCharge(r, el, false))
        .filter((x): x is NonNullable<typeof x> => !!x),
    };
    if (unitCode) line.unitCode = unitCode;
    else r.issues.warn(le.pathOf(qtyName), 'no unitCode; taken as C62 (one)');
    const lineNote = joinTexts(le.all('cbc:Note'));
    if (lineNote) line.note = clip(r, le.pathOf('cbc:Note'), lineNote, 1000);
    const lineCost = le.text('cbc:AccountingCost');
    if (lineCost) line.accountingCost = lineCost;
    const lp = le.all('cac:InvoicePeriod')[0];
    if (lp) {
      const start = r.date(lp, 'cbc:StartDate', false);
      const end = r.date(lp, 'cbc:EndDate', false);
      if (start || end) line.period = { start, end };
    }
    const olr = le.text('cac:OrderLineReference/cbc:LineID');
    if (olr) line.orderLineReference = olr;
    if (item) {
      if (itemDescription && itemName) line.itemDescription = clip(r, le.pathOf('cac:Item/cbc:Description'), itemDescription, 2000);
      const buyers = item.text('cac:BuyersItemIdentification/cbc:ID');
      if (buyers) line.buyersItemId = buyers;
      const sellers = item.text('cac:SellersItemIdentification/cbc:ID');
      if (sellers) line.sellersItemId = sellers;
      const std = item.at('cac:StandardItemIdentification/cbc:ID');
      if (std?.text()) line.standardItemId = std.attr('schemeID') ? { id: std.text() as string, scheme: std.attr('schemeID') as string } : { id: std.text() as string };
      const origin = item.text('cac:OriginCountry/cbc:IdentificationCode');
      if (origin) line.originCountry = origin.toUpperCase();
      const classes = item
        .all('cac:CommodityClassification')
        .map((cc) => cc.one('cbc:ItemClassificationCode'))
        .filter((x): x is El => !!x && !!x.text())
        .map((x) => {
          const c: { code: string; listId: string; listVersionId?: string } = { code: x.text() as string, listId: x.attr('listID') ?? '' };
          const v = x.attr('listVersionID');
          if (v) c.listVersionId = v;
          return c;
        })
        .filter((c) => c.listId !== '');
      if (classes.length) line.classifications = classes;
      const props = item
        .all('cac:AdditionalItemProperty')
        .map((ip) => ({ name: ip.text('cbc:Name') ?? '', value: ip.text('cbc:Value') ?? '' }))
        .filter((x) => x.name && x.value);
      if (props.length) line.itemProperties = props;
    }
    if (price) {
      const base = r.decimal(price.one('cbc:BaseQuantity'), price.pathOf('cbc:BaseQuantity'), false);
      if (base !== undefined) line.priceBaseQuantity = base;
      const pac = price.one('cac:AllowanceCharge');
      if (pac) {
        const disc = r.amount(pac, 'cbc:Amount', false);
        if (disc !== undefined) line.priceDiscount = disc;
        const gross = r.amount(pac, 'cbc:BaseAmount', false);
        if (gross !== undefined) line.grossPrice = gross;
      }
    }
    draft.lines.push(line);
  }

  // VAT breakdown: the TaxTotal with subtotals (in the document currency).
  const taxTotals = root.all('cac:TaxTotal');
  const mainTax =
    taxTotals.find((t) => t.one('cac:TaxSubtotal') && (!t.one('cbc:TaxAmount')?.attr('currencyID') || t.one('cbc:TaxAmount')?.attr('currencyID') === r.currency)) ??
    taxTotals.find((t) => t.one('cac:TaxSubtotal'));
  let taxTotal: string | undefined;
  if (mainTax) {
    taxTotal = r.amount(mainTax, 'cbc:TaxAmount', true, 'invoice total VAT amount, BT-110');
    draft.vatBreakdown = mainTax
      .all('cac:TaxSubtotal')
      .map((st) => {
        const taxable = r.amount(st, 'cbc:TaxableAmount', true, 'BT-116');
        const tax = r.amount(st, 'cbc:TaxAmount', true, 'BT-117');
        const tc = st.one('cac:TaxCategory');
        const vat = r.vat(tc, st.pathOf('cac:TaxCategory'), st.one('cbc:Percent'));
        if (taxable === undefined || tax === undefined || !vat) return undefined;
        const b: NonNullable<InvoiceInput['vatBreakdown']>[number] = { category: vat.category, rate: vat.rate, taxableAmount: taxable, taxAmount: tax };
        const reason = tc ? joinTexts(tc.all('cbc:TaxExemptionReason')) : undefined;
        if (reason) b.exemptionReason = clip(r, st.pathOf('cac:TaxCategory/cbc:TaxExemptionReason'), reason, 300);
        const code = tc?.text('cbc:TaxExemptionReasonCode');
        if (code) b.exemptionReasonCode = code;
        return b;
      })
      .filter((x): x is NonNullable<typeof x> => !!x);
  } else if (r.issues.errors.length === 0) {
    r.issues.warn('cac:TaxTotal/cac:TaxSubtotal', 'missing; the VAT breakdown is computed from the lines');
    try {
      draft.vatBreakdown = computeVatBreakdown(
        draft.lines.map((l) => ({ netAmount: l.netAmount, vat: l.vat })),
        (draft.allowancesCharges ?? []).filter((ac) => ac.vat),
      );
    } catch (e) {
      r.issues.error('cac:TaxTotal', e instanceof Error ? e.message : String(e));
    }
    taxTotal = root.text('cac:TaxTotal/cbc:TaxAmount') ? r.amount(root.one('cac:TaxTotal') as El, 'cbc:TaxAmount', false) : undefined;
  } else {
    r.issues.missing('cac:TaxTotal/cac:TaxSubtotal', 'VAT breakdown, BR-CO-18');
  }

  const lmt = root.one('cac:LegalMonetaryTotal');
  if (!lmt) {
    r.issues.missing('cac:LegalMonetaryTotal', 'document totals');
  } else {
    const lineExtension = r.amount(lmt, 'cbc:LineExtensionAmount', true, 'BT-106');
    const taxExclusive = r.amount(lmt, 'cbc:TaxExclusiveAmount', true, 'BT-109');
    const taxInclusive = r.amount(lmt, 'cbc:TaxInclusiveAmount', true, 'BT-112');
    const payable = r.amount(lmt, 'cbc:PayableAmount', true, 'BT-115');
    const allowanceTotal = r.amount(lmt, 'cbc:AllowanceTotalAmount', false);
    const chargeTotal = r.amount(lmt, 'cbc:ChargeTotalAmount', false);
    const prepaid = r.amount(lmt, 'cbc:PrepaidAmount', false);
    const rounding = r.amount(lmt, 'cbc:PayableRoundingAmount', false);
    draft.totals = totalsOf({ lineExtension, taxExclusive, taxTotal, taxInclusive, payable, allowanceTotal, chargeTotal, prepaid, rounding }, draft.vatBreakdown);
  }

  return finishRead(draft, r.issues, format);
}
