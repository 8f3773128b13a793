import type { Catalog } from './translator';

/** Messages of the ubl area, in en, nl and fr (merged into CATALOG by ./index.ts). */
export const UBL_CATALOG: Catalog = {
  // Reading a file (lib/ubl/read-core.ts, read.ts, pdf.ts): the problems a user can act on without knowing UBL paths.
  ubl_too_large: {
    en: 'The file is {1} MB, more than the {2} MB limit for an invoice.',
    nl: 'Het bestand is {1} MB, meer dan de limiet van {2} MB voor een factuur.',
    fr: 'Le fichier fait {1} Mo, plus que la limite de {2} Mo pour une facture.',
  },
  ubl_doctype: {
    en: 'The XML has a DOCTYPE declaration (line {1}); e-invoices never have one, so it is refused.',
    nl: 'De XML bevat een DOCTYPE-declaratie (regel {1}); e-facturen hebben er nooit een, dus ze wordt geweigerd.',
    fr: 'Le XML contient une déclaration DOCTYPE (ligne {1}) ; une facture électronique n’en a jamais, il est donc refusé.',
  },
  ubl_not_well_formed: {
    en: 'Not well-formed XML: {1} (line {2}, column {3}).',
    nl: 'Geen geldige XML: {1} (regel {2}, kolom {3}).',
    fr: 'XML mal formé : {1} (ligne {2}, colonne {3}).',
  },
  ubl_no_root: { en: 'The XML has no root element.', nl: 'De XML heeft geen hoofdelement.', fr: 'Le XML n’a pas d’élément racine.' },
  ubl_wrong_root: {
    en: 'The root element is <{1}>: this is not an e-invoice (UBL Invoice or CreditNote, or CII CrossIndustryInvoice).',
    nl: 'Het hoofdelement is <{1}>: dit is geen e-factuur (UBL Invoice of CreditNote, of CII CrossIndustryInvoice).',
    fr: 'L’élément racine est <{1}> : ce n’est pas une facture électronique (UBL Invoice ou CreditNote, ou CII CrossIndustryInvoice).',
  },
  ubl_xml_entity: {
    en: 'The XML uses the entity &{1}; (line {2}), which is not declared; e-invoices only use &amp;, &lt;, &gt;, &quot; and &apos;, so it is refused.',
    nl: 'De XML gebruikt de entiteit &{1}; (regel {2}), die niet gedeclareerd is; e-facturen gebruiken alleen &amp;, &lt;, &gt;, &quot; en &apos;, dus ze wordt geweigerd.',
    fr: 'Le XML utilise l’entité &{1}; (ligne {2}), qui n’est pas déclarée ; une facture électronique n’utilise que &amp;, &lt;, &gt;, &quot; et &apos;, il est donc refusé.',
  },
  ubl_xml_not_utf8: {
    en: 'The XML is not UTF-8 (line {1}) and its declaration names no other encoding: save it as UTF-8 or declare its encoding.',
    nl: 'De XML is geen UTF-8 (regel {1}) en de declaratie noemt geen andere codering: sla het bestand op als UTF-8 of vermeld de codering.',
    fr: 'Le XML n’est pas en UTF-8 (ligne {1}) et sa déclaration n’indique aucun autre encodage : enregistrez-le en UTF-8 ou déclarez son encodage.',
  },
  ubl_xml_encoding_unsupported: {
    en: 'The XML declares the encoding "{1}", which is not supported: save it as UTF-8.',
    nl: 'De XML vermeldt de codering "{1}", die niet ondersteund wordt: sla het bestand op als UTF-8.',
    fr: 'Le XML déclare l’encodage « {1} », qui n’est pas pris en charge : enregistrez-le en UTF-8.',
  },
  ubl_pdf_xml_too_large: {
    en: 'The embedded {1} is larger than {2} MB once unpacked, too large for an invoice; it is refused.',
    nl: 'Het ingebedde {1} is uitgepakt groter dan {2} MB, te groot voor een factuur; het wordt geweigerd.',
    fr: 'Le fichier joint {1} dépasse {2} Mo une fois décompressé, trop pour une facture ; il est refusé.',
  },
  ubl_not_pdf: { en: 'This is not a PDF.', nl: 'Dit is geen pdf.', fr: 'Ce n’est pas un PDF.' },
  ubl_pdf_unreadable: {
    en: 'The PDF could not be read: {1}',
    nl: 'De pdf kon niet gelezen worden: {1}',
    fr: 'Le PDF n’a pas pu être lu : {1}',
  },
  ubl_pdf_encrypted: {
    en: 'The PDF is password-protected, so its e-invoice cannot be read.',
    nl: 'De pdf is met een wachtwoord beveiligd, dus de e-factuur erin kan niet gelezen worden.',
    fr: 'Le PDF est protégé par un mot de passe : sa facture électronique ne peut pas être lue.',
  },
  ubl_pdf_no_einvoice: {
    en: 'No e-invoice in this PDF: no factur-x.xml, ZUGFeRD-invoice.xml or xrechnung.xml is embedded (attachments: {1}).',
    nl: 'Geen e-factuur in deze pdf: er zit geen factur-x.xml, ZUGFeRD-invoice.xml of xrechnung.xml in (bijlagen: {1}).',
    fr: 'Pas de facture électronique dans ce PDF : aucun factur-x.xml, ZUGFeRD-invoice.xml ou xrechnung.xml n’y est joint (pièces jointes : {1}).',
  },
  ubl_not_einvoice_file: {
    en: 'This file is neither XML nor PDF.',
    nl: 'Dit bestand is geen XML en geen pdf.',
    fr: 'Ce fichier n’est ni du XML ni un PDF.',
  },

  // The command line (lib/cli/ubl-commands.ts).
  ubl_cli_cannot_open: { en: 'Cannot open {1}: {2}', nl: 'Kan {1} niet openen: {2}', fr: 'Impossible d’ouvrir {1} : {2}' },
  ubl_cli_unreadable: {
    en: '{1} cannot be read as an invoice:',
    nl: '{1} kan niet als factuur gelezen worden:',
    fr: '{1} ne peut pas être lu comme une facture :',
  },
  ubl_cli_read_as: { en: 'Read {1} as {2}.', nl: '{1} gelezen als {2}.', fr: '{1} lu comme {2}.' },
  ubl_cli_embedded: { en: '{1} (embedded in the PDF as {2})', nl: '{1} (in de pdf ingebed als {2})', fr: '{1} (joint au PDF sous le nom {2})' },
  ubl_kind_invoice: { en: 'invoice {1}', nl: 'factuur {1}', fr: 'facture {1}' },
  ubl_kind_credit_note: { en: 'credit note {1}', nl: 'creditnota {1}', fr: 'note de crédit {1}' },
  ubl_cli_no_findings: {
    en: 'No findings: the document passes the checks.',
    nl: 'Geen opmerkingen: het document doorstaat de controles.',
    fr: 'Aucune remarque : le document passe les contrôles.',
  },
  ubl_cli_summary: {
    en: '{1} fatal, {2} warning(s).',
    nl: '{1} blokkerend, {2} waarschuwing(en).',
    fr: '{1} bloquant(s), {2} avertissement(s).',
  },
  ubl_severity_fatal: { en: 'fatal', nl: 'blokkerend', fr: 'bloquant' },
  ubl_severity_warning: { en: 'warning', nl: 'waarschuwing', fr: 'avertissement' },
  ubl_severity_read: { en: 'reading', nl: 'inlezen', fr: 'lecture' },
  ubl_cli_invalid_json: {
    en: '{1} is not valid JSON: {2}',
    nl: '{1} is geen geldige JSON: {2}',
    fr: '{1} n’est pas du JSON valide : {2}',
  },
  ubl_cli_invalid_model: {
    en: '{1} is not a valid invoice: field {2}: {3}',
    nl: '{1} is geen geldige factuur: veld {2}: {3}',
    fr: '{1} n’est pas une facture valide : champ {2} : {3}',
  },
  ubl_cli_usage_file: {
    en: 'Give one file: {1}',
    nl: 'Geef één bestand op: {1}',
    fr: 'Indiquez un seul fichier : {1}',
  },
  ubl_cli_bad_lang: {
    en: 'Unknown language "{1}": use en, nl or fr.',
    nl: 'Onbekende taal "{1}": gebruik en, nl of fr.',
    fr: 'Langue inconnue « {1} » : utilisez en, nl ou fr.',
  },
};
