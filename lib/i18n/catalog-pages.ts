import type { Catalog } from './translator';

/** The options page's set-up guide, its sections and the connection form's own checks. */
export const PAGES_CATALOG: Catalog = {
  form_required: { en: '{1}: fill this in.', nl: '{1}: vul dit in.', fr: '{1} : à remplir.' },
  form_too_long: { en: '{1}: at most {2} characters.', nl: '{1}: hoogstens {2} tekens.', fr: '{1} : {2} caractères au plus.' },
  form_url: {
    en: '{1}: a web address starting with https://',
    nl: '{1}: een webadres dat begint met https://',
    fr: '{1} : une adresse web commençant par https://',
  },
  form_field_invalid: { en: '{1}: this value is not accepted.', nl: '{1}: deze waarde wordt niet aanvaard.', fr: '{1} : cette valeur n’est pas acceptée.' },
  form_invalid: { en: 'Some fields need your attention.', nl: 'Enkele velden vragen je aandacht.', fr: 'Certains champs demandent votre attention.' },
};
