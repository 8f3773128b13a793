import type { Catalog } from './translator';

/** The options page's view of Octopus's daily call budget, in en, nl and fr (merged into CATALOG by ./index.ts). */
export const BUDGET_CATALOG: Catalog = {
  budget_title: { en: 'Octopus calls today', nl: 'Octopus-oproepen vandaag', fr: 'Appels Octopus aujourd’hui' },
  budget_intro: {
    en: 'Octopus allows only a few reads a day per kind (counted per Brussels day). Bookings themselves are not limited.',
    nl: 'Octopus laat per soort maar enkele leesoproepen per dag toe (geteld per Brusselse dag). Boekingen zelf zijn niet beperkt.',
    fr: 'Octopus n’autorise que quelques lectures par jour et par type (comptées par jour bruxellois). Les écritures elles-mêmes ne sont pas limitées.',
  },
  budget_endpoint: { en: 'Read', nl: 'Oproep', fr: 'Lecture' },
  budget_used: { en: 'Used', nl: 'Gebruikt', fr: 'Utilisés' },
  budget_limit: { en: 'Per day', nl: 'Per dag', fr: 'Par jour' },
  budget_reserve: { en: 'Kept for you', nl: 'Voor u bewaard', fr: 'Réservés pour vous' },
  budget_left: { en: 'Left today', nl: 'Over vandaag', fr: 'Restants aujourd’hui' },
  budget_exhausted: { en: 'spent (Octopus said so)', nl: 'op (volgens Octopus)', fr: 'épuisé (selon Octopus)' },
  budget_limits_advanced: {
    en: 'Change the daily limits (only when Octopus states other numbers)',
    nl: 'Daglimieten wijzigen (alleen als Octopus andere aantallen opgeeft)',
    fr: 'Modifier les limites journalières (seulement si Octopus indique d’autres chiffres)',
  },
  budget_limits_saved: { en: 'Limits saved', nl: 'Limieten bewaard', fr: 'Limites enregistrées' },
  budget_limit_invalid: {
    en: 'A limit is a whole number of 0 or more: {1}',
    nl: 'Een limiet is een geheel getal van 0 of meer: {1}',
    fr: 'Une limite est un nombre entier supérieur ou égal à 0 : {1}',
  },
  budget_refresh: {
    en: 'Read accounts and VAT codes again',
    nl: 'Rekeningen en btw-codes opnieuw lezen',
    fr: 'Relire les comptes et les codes TVA',
  },
  budget_refresh_cost: {
    en: 'Costs 1 read of accounts ({1} left today) and 1 of VAT codes ({2} left today). Read on {3}.',
    nl: 'Kost 1 keer rekeningen lezen (nog {1} vandaag) en 1 keer btw-codes lezen (nog {2} vandaag). Gelezen op {3}.',
    fr: 'Coûte 1 lecture des comptes ({1} restantes aujourd’hui) et 1 des codes TVA ({2} restantes aujourd’hui). Lus le {3}.',
  },
  budget_ep_dossiers: { en: 'Dossier list', nl: 'Dossierlijst', fr: 'Liste des dossiers' },
  budget_ep_bookyears: { en: 'Bookyears', nl: 'Boekjaren', fr: 'Exercices' },
  budget_ep_journals: { en: 'Journals', nl: 'Dagboeken', fr: 'Journaux' },
  budget_ep_accounts: { en: 'Accounts', nl: 'Rekeningen', fr: 'Comptes' },
  budget_ep_accounts_modified: { en: 'Changed accounts (feed)', nl: 'Gewijzigde rekeningen (lijst)', fr: 'Comptes modifiés (flux)' },
  budget_ep_vatcodes: { en: 'VAT codes', nl: 'Btw-codes', fr: 'Codes TVA' },
  budget_ep_relations: { en: 'Full relation list', nl: 'Volledige relatielijst', fr: 'Liste complète des relations' },
  budget_ep_relations_search: { en: 'Relation searches', nl: 'Relaties zoeken', fr: 'Recherches de relations' },
  budget_ep_booking: { en: 'One booking read back', nl: 'Eén boeking teruglezen', fr: 'Relecture d’une écriture' },
  budget_ep_modified: { en: 'Changed bookings (feed)', nl: 'Gewijzigde boekingen (lijst)', fr: 'Écritures modifiées (flux)' },
  budget_ep_coda: { en: 'CODA statements sent', nl: 'Verstuurde CODA-uittreksels', fr: 'Extraits CODA envoyés' },
};
