export const NS_INVOICE = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';
export const NS_CREDIT_NOTE = 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2';
export const NS_CAC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2';
export const NS_CBC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2';

/** Peppol BIS Billing 3.0 specification identifier (BT-24), PEPPOL-EN16931-R004. */
export const PEPPOL_BIS3_CUSTOMIZATION_ID = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
/** Peppol business process (BT-23), PEPPOL-EN16931-R001/R007. */
export const PEPPOL_BILLING_PROFILE_ID = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';

/** Invoice type codes Peppol allows in an Invoice (P0100), and credit note type codes in a CreditNote (P0101). */
export const PEPPOL_INVOICE_TYPE_CODES = [
  '71', '80', '82', '84', '102', '218', '219', '326', '331', '380', '382', '383', '384', '386', '388', '393', '395',
  '553', '575', '623', '780', '817', '870', '875', '876', '877',
] as const;
export const PEPPOL_CREDIT_NOTE_TYPE_CODES = ['381', '396', '81', '83', '532'] as const;

/** Belgian enterprise number (KBO/BCE) in the EAS/ICD code lists. */
export const SCHEME_BE_ENTERPRISE = '0208';

/** EAS codes for VAT-number based electronic addresses, by VAT prefix (used when a party has no other endpoint). */
export const EAS_VAT_SCHEME: Readonly<Record<string, string>> = {
  AD: '9922', AL: '9923', AT: '9914', BA: '9924', BE: '9925', BG: '9926', CH: '9927', CY: '9928', CZ: '9929',
  DE: '9930', EE: '9931', GB: '9932', EL: '9933', GR: '9933', HR: '9934', IE: '9935', LI: '9936', LT: '9937',
  LU: '9938', LV: '9939', MC: '9940', ME: '9941', MK: '9942', MT: '9943', NL: '9944', PL: '9945', PT: '9946',
  RO: '9947', RS: '9948', SI: '9949', SK: '9950', SM: '9951', TR: '9952', VA: '9953', ES: '9920', FR: '9957',
};

/** MIME codes allowed for embedded attachments (BR-CL-24, PEPPOL-EN16931-CL001). */
export const ALLOWED_ATTACHMENT_MIME_CODES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.spreadsheet',
] as const;
