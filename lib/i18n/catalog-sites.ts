import type { Catalog } from './translator';

/** Messages of the sites area, in en, nl and fr (merged into CATALOG by ./index.ts). */
export const SITES_CATALOG: Catalog = {
  sites_draft_not_sendable: {
    en: 'Validate this draft in the app first; then it can be sent',
    nl: 'Valideer dit concept eerst in de app; daarna kan het verstuurd worden',
    fr: 'Validez d’abord ce brouillon dans l’application ; ensuite il pourra être envoyé',
  },
  sites_abandoned_not_sendable: {
    en: 'This invoice is abandoned in the app and is not sent',
    nl: 'Deze factuur is in de app stopgezet en wordt niet verstuurd',
    fr: 'Cette facture est abandonnée dans l’application et n’est pas envoyée',
  },
  sites_no_einvoice: {
    en: 'No UBL or CII download was found for this row',
    nl: 'Voor deze rij is geen UBL- of CII-download gevonden',
    fr: 'Aucun téléchargement UBL ou CII trouvé pour cette ligne',
  },
  sites_error_not_a_document: {
    en: '{1} did not answer with document {2}: log in to the app and send again',
    nl: '{1} antwoordde niet met document {2}: meld je aan in de app en stuur opnieuw',
    fr: '{1} n’a pas renvoyé le document {2} : connectez-vous à l’application et renvoyez',
  },
  sites_error_format_unknown: {
    en: 'The dates or amounts of {2} in {1} are in a format that could not be recognised',
    nl: 'De datums of bedragen van {2} in {1} staan in een onherkenbaar formaat',
    fr: 'Les dates ou montants de {2} dans {1} sont dans un format non reconnu',
  },
  sites_error_unreadable_value: {
    en: 'The {1} of {3} could not be read: "{2}"',
    nl: 'De {1} van {3} kon niet gelezen worden: "{2}"',
    fr: 'Le champ {1} de {3} n’a pas pu être lu : « {2} »',
  },
  sites_error_missing_field: {
    en: 'The {1} of {2} is missing in the app',
    nl: 'De {1} van {2} ontbreekt in de app',
    fr: 'Le champ {1} de {2} manque dans l’application',
  },
  sites_error_totals_mismatch: {
    en: 'The lines of {1} add up to {3}, the app shows {2}: not sent',
    nl: 'De lijnen van {1} komen op {3}, de app toont {2}: niet verstuurd',
    fr: 'Les lignes de {1} totalisent {3}, l’application affiche {2} : non envoyé',
  },
  sites_error_unsupported: {
    en: '{1} invoice {2} uses something not supported yet ({3})',
    nl: '{1}-factuur {2} gebruikt iets wat nog niet ondersteund wordt ({3})',
    fr: 'La facture {1} {2} utilise un élément pas encore pris en charge ({3})',
  },
  sites_error_download: {
    en: 'The download of {1} is not a UBL or CII invoice',
    nl: 'De download van {1} is geen UBL- of CII-factuur',
    fr: 'Le téléchargement de {1} n’est pas une facture UBL ou CII',
  },
  sites_selector_missing: {
    en: '{1}: "{2}" was not found on {3}; the app may have changed',
    nl: '{1}: "{2}" niet gevonden op {3}; de app is misschien gewijzigd',
    fr: '{1} : « {2} » introuvable sur {3} ; l’application a peut-être changé',
  },
  sites_teach_start: { en: 'Teach Octopus this table', nl: 'Leer Octopus deze tabel', fr: 'Apprendre ce tableau à Octopus' },
  sites_teach_step: {
    en: 'Click the {1} of any invoice row ({2} of {3})',
    nl: 'Klik op {1} van een factuurrij ({2} van {3})',
    fr: 'Cliquez sur {1} d’une ligne de facture ({2} sur {3})',
  },
  sites_teach_done: {
    en: 'Learned: this site’s table is kept for next time',
    nl: 'Geleerd: de tabel van deze site wordt onthouden',
    fr: 'Appris : le tableau de ce site est retenu',
  },
  sites_teach_cancel: { en: 'Cancel', nl: 'Annuleren', fr: 'Annuler' },
  sites_teach_forget: { en: 'Forget what was learned', nl: 'Geleerde vergeten', fr: 'Oublier l’apprentissage' },
  sites_field_number: { en: 'invoice number', nl: 'factuurnummer', fr: 'numéro de facture' },
  sites_field_date: { en: 'invoice date', nl: 'factuurdatum', fr: 'date de facture' },
  sites_field_customer: { en: 'customer', nl: 'klant', fr: 'client' },
  sites_field_total: { en: 'total', nl: 'totaal', fr: 'total' },
  sites_field_download: { en: 'UBL/CII download link', nl: 'UBL/CII-downloadlink', fr: 'lien de téléchargement UBL/CII' },
  sites_settings_title: { en: 'Invoicing sites', nl: 'Facturatiesites', fr: 'Sites de facturation' },
  sites_settings_intro: {
    en: 'The extension runs only on sites you add here. Adding one asks your browser for access to that site.',
    nl: 'De extensie werkt alleen op sites die je hier toevoegt. Toevoegen vraagt je browser om toegang tot die site.',
    fr: 'L’extension ne fonctionne que sur les sites ajoutés ici. En ajouter un demande l’accès à ce site à votre navigateur.',
  },
  sites_settings_url: { en: 'Address of the invoicing app', nl: 'Adres van de facturatie-app', fr: 'Adresse de l’application de facturation' },
  sites_settings_app: { en: 'App', nl: 'App', fr: 'Application' },
  sites_settings_app_auto: { en: 'Recognise automatically', nl: 'Automatisch herkennen', fr: 'Reconnaître automatiquement' },
  sites_settings_add: { en: 'Add site', nl: 'Site toevoegen', fr: 'Ajouter le site' },
  sites_settings_remove: { en: 'Remove', nl: 'Verwijderen', fr: 'Supprimer' },
  sites_settings_none: { en: 'No sites added yet.', nl: 'Nog geen sites toegevoegd.', fr: 'Aucun site ajouté.' },
  sites_settings_bad_url: {
    en: 'Enter the web address of the app, e.g. https://erp.example.be',
    nl: 'Geef het webadres van de app, bv. https://erp.example.be',
    fr: 'Indiquez l’adresse web de l’application, p. ex. https://erp.example.be',
  },
  sites_settings_denied: {
    en: 'The browser did not grant access to {1}; nothing was added',
    nl: 'De browser gaf geen toegang tot {1}; er werd niets toegevoegd',
    fr: 'Le navigateur n’a pas accordé l’accès à {1} ; rien n’a été ajouté',
  },
  sites_settings_added: { en: '{1} added', nl: '{1} toegevoegd', fr: '{1} ajouté' },
  sites_settings_failed: { en: 'That did not work: {1}', nl: 'Dat lukte niet: {1}', fr: 'Cela n’a pas fonctionné : {1}' },
};
