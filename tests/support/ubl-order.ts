/**
 * Test-only check of element order against the UBL 2.1 schema sequences, for the aggregates Peppol BIS uses.
 * (No XSD validator is available offline; this covers what XSD validation would say about order and unknown
 * children.) Invoice, CreditNote, CreditNoteLine, Delivery and CustomerParty are transcribed from the OASIS UBL 2.1
 * xsdrt schemas; the others are the UBL 2.1 sequences as documented, and the test also runs this checker over the
 * official examples, which are schema-valid.
 */
import { XMLParser } from 'fast-xml-parser';

const s = (names: string): string[] => names.trim().split(/\s+/);

const ADDRESS = s(`ID AddressTypeCode AddressFormatCode Postbox Floor Room StreetName AdditionalStreetName BlockName BuildingName
  BuildingNumber InhouseMail Department MarkAttention MarkCare PlotIdentification CitySubdivisionName CityName PostalZone CountrySubentity
  CountrySubentityCode Region District TimezoneOffset AddressLine Country LocationCoordinate`);
const PARTY = s(`MarkCareIndicator MarkAttentionIndicator WebsiteURI LogoReferenceID EndpointID IndustryClassificationCode PartyIdentification
  PartyName Language PostalAddress PhysicalLocation PartyTaxScheme PartyLegalEntity Contact Person AgentParty ServiceProviderParty
  PowerOfAttorney FinancialAccount`);
const DOCUMENT_REFERENCE = s(`ID CopyIndicator UUID IssueDate IssueTime DocumentTypeCode DocumentType XPath LanguageID LocaleCode VersionID
  DocumentStatusCode DocumentDescription Attachment ValidityPeriod IssuerParty ResultOfVerification`);
const TAX_CATEGORY = s(`ID Name Percent BaseUnitMeasure PerUnitAmount TaxExemptionReasonCode TaxExemptionReason TierRange TierRatePercent TaxScheme`);
const FINANCIAL_ACCOUNT = s(`ID Name AliasName AccountTypeCode AccountFormatCode CurrencyCode PaymentNote FinancialInstitutionBranch Country`);
const PERIOD = s(`StartDate StartTime EndDate EndTime DurationMeasure DescriptionCode Description`);
const ITEM_IDENTIFICATION = s(`ID ExtendedID BarcodeSymbologyID PhysicalAttribute MeasurementDimension IssuerParty`);

/** Sequence of child element local names per element local name. */
export const UBL21_SEQUENCES: Record<string, string[]> = {
  Invoice: s(`UBLExtensions UBLVersionID CustomizationID ProfileID ProfileExecutionID ID CopyIndicator UUID IssueDate IssueTime DueDate
    InvoiceTypeCode Note TaxPointDate DocumentCurrencyCode TaxCurrencyCode PricingCurrencyCode PaymentCurrencyCode PaymentAlternativeCurrencyCode
    AccountingCostCode AccountingCost LineCountNumeric BuyerReference InvoicePeriod OrderReference BillingReference DespatchDocumentReference
    ReceiptDocumentReference StatementDocumentReference OriginatorDocumentReference ContractDocumentReference AdditionalDocumentReference
    ProjectReference Signature AccountingSupplierParty AccountingCustomerParty PayeeParty BuyerCustomerParty SellerSupplierParty
    TaxRepresentativeParty Delivery DeliveryTerms PaymentMeans PaymentTerms PrepaidPayment AllowanceCharge TaxExchangeRate PricingExchangeRate
    PaymentExchangeRate PaymentAlternativeExchangeRate TaxTotal WithholdingTaxTotal LegalMonetaryTotal InvoiceLine`),
  CreditNote: s(`UBLExtensions UBLVersionID CustomizationID ProfileID ProfileExecutionID ID CopyIndicator UUID IssueDate IssueTime TaxPointDate
    CreditNoteTypeCode Note DocumentCurrencyCode TaxCurrencyCode PricingCurrencyCode PaymentCurrencyCode PaymentAlternativeCurrencyCode
    AccountingCostCode AccountingCost LineCountNumeric BuyerReference InvoicePeriod DiscrepancyResponse OrderReference BillingReference
    DespatchDocumentReference ReceiptDocumentReference ContractDocumentReference AdditionalDocumentReference StatementDocumentReference
    OriginatorDocumentReference Signature AccountingSupplierParty AccountingCustomerParty PayeeParty BuyerCustomerParty SellerSupplierParty
    TaxRepresentativeParty Delivery DeliveryTerms PaymentMeans PaymentTerms TaxExchangeRate PricingExchangeRate PaymentExchangeRate
    PaymentAlternativeExchangeRate AllowanceCharge TaxTotal LegalMonetaryTotal CreditNoteLine`),
  InvoiceLine: s(`ID UUID Note InvoicedQuantity LineExtensionAmount TaxPointDate AccountingCostCode AccountingCost PaymentPurposeCode
    FreeOfChargeIndicator InvoicePeriod OrderLineReference DespatchLineReference ReceiptLineReference BillingReference DocumentReference
    PricingReference OriginatorParty Delivery PaymentTerms AllowanceCharge TaxTotal WithholdingTaxTotal Item Price DeliveryTerms SubInvoiceLine
    ItemPriceExtension`),
  CreditNoteLine: s(`ID UUID Note CreditedQuantity LineExtensionAmount TaxPointDate AccountingCostCode AccountingCost PaymentPurposeCode
    FreeOfChargeIndicator InvoicePeriod OrderLineReference DiscrepancyResponse DespatchLineReference ReceiptLineReference BillingReference
    DocumentReference PricingReference OriginatorParty Delivery PaymentTerms TaxTotal AllowanceCharge Item Price DeliveryTerms SubCreditNoteLine
    ItemPriceExtension`),
  AccountingSupplierParty: s(`CustomerAssignedAccountID AdditionalAccountID DataSendingCapability Party DespatchContact AccountingContact SellerContact`),
  AccountingCustomerParty: s(`CustomerAssignedAccountID SupplierAssignedAccountID AdditionalAccountID Party DeliveryContact AccountingContact BuyerContact`),
  Party: PARTY,
  DeliveryParty: PARTY,
  PostalAddress: ADDRESS,
  Address: ADDRESS,
  RegistrationAddress: ADDRESS,
  AddressLine: s('Line'),
  Country: s('IdentificationCode Name'),
  PartyIdentification: s('ID'),
  PartyName: s('Name'),
  PartyTaxScheme: s('RegistrationName CompanyID TaxLevelCode ExemptionReasonCode ExemptionReason RegistrationAddress TaxScheme'),
  TaxScheme: s('ID Name TaxTypeCode CurrencyCode JurisdictionRegionAddress'),
  PartyLegalEntity: s(`RegistrationName CompanyID RegistrationDate RegistrationExpirationDate CompanyLegalFormCode CompanyLegalForm
    SoleProprietorshipIndicator CompanyLiquidationStatusCode CorporateStockAmount FullyPaidSharesIndicator RegistrationAddress
    CorporateRegistrationScheme HeadOfficeParty ShareholderParty`),
  Contact: s('ID Name Telephone Telefax ElectronicMail Note OtherCommunication'),
  InvoicePeriod: PERIOD,
  OrderReference: s('ID SalesOrderID CopyIndicator UUID IssueDate IssueTime CustomerReference OrderTypeCode DocumentReference'),
  BillingReference: s(`InvoiceDocumentReference SelfBilledInvoiceDocumentReference CreditNoteDocumentReference SelfBilledCreditNoteDocumentReference
    DebitNoteDocumentReference ReminderDocumentReference AdditionalDocumentReference BillingReferenceLine`),
  InvoiceDocumentReference: DOCUMENT_REFERENCE,
  ContractDocumentReference: DOCUMENT_REFERENCE,
  AdditionalDocumentReference: DOCUMENT_REFERENCE,
  DocumentReference: DOCUMENT_REFERENCE,
  Attachment: s('EmbeddedDocumentBinaryObject ExternalReference'),
  ExternalReference: s('URI DocumentHash HashAlgorithmMethod ExpiryDate ExpiryTime MimeCode FormatCode EncodingCode CharacterSetCode FileName Description'),
  Delivery: s(`ID Quantity MinimumQuantity MaximumQuantity ActualDeliveryDate ActualDeliveryTime LatestDeliveryDate LatestDeliveryTime ReleaseID
    TrackingID DeliveryAddress DeliveryLocation AlternativeDeliveryLocation RequestedDeliveryPeriod PromisedDeliveryPeriod EstimatedDeliveryPeriod
    CarrierParty DeliveryParty NotifyParty Despatch DeliveryTerms MinimumDeliveryUnit MaximumDeliveryUnit Shipment`),
  DeliveryLocation: s(`ID Description Conditions CountrySubentity CountrySubentityCode LocationTypeCode InformationURI Name ValidityPeriod Address
    SubsidiaryLocation LocationCoordinate`),
  PaymentMeans: s(`ID PaymentMeansCode PaymentDueDate PaymentChannelCode InstructionID InstructionNote PaymentID CardAccount PayerFinancialAccount
    PayeeFinancialAccount CreditAccount PaymentMandate TradeFinancing`),
  PayeeFinancialAccount: FINANCIAL_ACCOUNT,
  PayerFinancialAccount: FINANCIAL_ACCOUNT,
  FinancialInstitutionBranch: s('ID Name FinancialInstitution Address'),
  PaymentMandate: s(`ID MandateTypeCode MaximumPaymentInstructionsNumeric MaximumPaidAmount SignatureID PayerParty PayerFinancialAccount
    ValidityPeriod PaymentReversalPeriod Clause`),
  PaymentTerms: s(`ID PaymentMeansID PrepaidPaymentReferenceID Note ReferenceEventCode SettlementDiscountPercent PenaltySurchargePercent
    PaymentPercent Amount SettlementDiscountAmount PenaltyAmount PaymentTermsDetailsURI PaymentDueDate InstallmentDueDate InvoicingPartyReference
    SettlementPeriod PenaltyPeriod ExchangeRate ValidityPeriod`),
  AllowanceCharge: s(`ID ChargeIndicator AllowanceChargeReasonCode AllowanceChargeReason MultiplierFactorNumeric PrepaidIndicator SequenceNumeric
    Amount BaseAmount AccountingCostCode AccountingCost PerUnitAmount TaxCategory TaxTotal PaymentMeans`),
  TaxCategory: TAX_CATEGORY,
  ClassifiedTaxCategory: TAX_CATEGORY,
  TaxTotal: s('TaxAmount RoundingAmount TaxEvidenceIndicator TaxIncludedIndicator TaxSubtotal'),
  TaxSubtotal: s(`TaxableAmount TaxAmount CalculationSequenceNumeric TransactionCurrencyTaxAmount Percent BaseUnitMeasure PerUnitAmount TierRange
    TierRatePercent TaxCategory`),
  LegalMonetaryTotal: s(`LineExtensionAmount TaxExclusiveAmount TaxInclusiveAmount AllowanceTotalAmount ChargeTotalAmount PrepaidAmount
    PayableRoundingAmount PayableAmount PayableAlternativeAmount`),
  OrderLineReference: s('LineID SalesOrderLineID UUID LineStatusCode OrderReference'),
  Item: s(`Description PackQuantity PackSizeNumeric CatalogueIndicator Name HazardousRiskIndicator AdditionalInformation Keyword BrandName ModelName
    BuyersItemIdentification SellersItemIdentification ManufacturersItemIdentification StandardItemIdentification CatalogueItemIdentification
    AdditionalItemIdentification CatalogueDocumentReference ItemSpecificationDocumentReference OriginCountry CommodityClassification
    TransactionConditions HazardousItem ClassifiedTaxCategory AdditionalItemProperty ManufacturerParty InformationContentProviderParty OriginAddress
    ItemInstance Certificate Dimension`),
  BuyersItemIdentification: ITEM_IDENTIFICATION,
  SellersItemIdentification: ITEM_IDENTIFICATION,
  StandardItemIdentification: ITEM_IDENTIFICATION,
  OriginCountry: s('IdentificationCode Name'),
  CommodityClassification: s('NatureCode CargoTypeCode CommodityCode ItemClassificationCode'),
  AdditionalItemProperty: s(`ID Name NameCode TestMethod Value ValueQuantity ValueQualifier ImportanceCode ListValue UsabilityPeriod
    ItemPropertyGroup RangeDimension ItemPropertyRange`),
  Price: s('PriceAmount BaseQuantity PriceChangeReason PriceTypeCode PriceType OrderableUnitFactorRate ValidityPeriod PriceList AllowanceCharge PricingExchangeRate'),
};

type Ordered = Record<string, unknown>;

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: true, removeNSPrefix: true, parseTagValue: false, processEntities: false });

/**
 * Problems with child order or unknown children, as "path: message". Elements whose type is not in the table are
 * not descended into (e.g. PayeeParty, TaxRepresentativeParty), so only what the table covers is judged.
 */
export function orderProblems(xml: string): string[] {
  const problems: string[] = [];
  const walk = (name: string, items: Ordered[], path: string): void => {
    const seq = UBL21_SEQUENCES[name];
    if (!seq) return;
    let last = -1;
    let lastName = '';
    for (const item of items) {
      const child = Object.keys(item).find((k) => k !== ':@' && k !== '#text' && !k.startsWith('?'));
      if (!child) continue;
      const pos = seq.indexOf(child);
      if (pos < 0) problems.push(`${path}: <${child}> is not a child of <${name}> in UBL 2.1`);
      else if (pos < last) problems.push(`${path}: <${child}> must come before <${lastName}>`);
      else {
        last = pos;
        lastName = child;
      }
      walk(child, item[child] as Ordered[], `${path}/${child}`);
    }
  };
  const doc = parser.parse(xml) as Ordered[];
  for (const item of doc) {
    const root = Object.keys(item).find((k) => k !== ':@' && !k.startsWith('?'));
    if (root) walk(root, item[root] as Ordered[], root);
  }
  return problems;
}
