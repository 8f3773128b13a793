import type { Catalog } from './translator';

/**
 * VAT categories as a Belgian bookkeeper names them (the Peppol letter is only a detail), and the two sides of a
 * dossier's VAT codes. Stored texts name them as "@vat_category_K" parameters, translated when read.
 */
export const VAT_CATALOG: Catalog = {
  vat_category_S: { en: 'domestic', nl: 'binnenland', fr: 'opération nationale' },
  vat_category_Z: { en: 'zero rate', nl: 'nultarief', fr: 'taux zéro' },
  vat_category_E: { en: 'exempt', nl: 'vrijgesteld', fr: 'exonéré' },
  vat_category_AE: { en: 'co-contractor / reverse charge', nl: 'medecontractant / btw verlegd', fr: 'cocontractant / autoliquidation' },
  vat_category_K: { en: 'intra-community supply', nl: 'intracommunautaire levering', fr: 'livraison intracommunautaire' },
  vat_category_G: { en: 'export outside the EU', nl: 'uitvoer buiten de EU', fr: 'exportation hors UE' },
  vat_category_O: { en: 'outside the scope of VAT', nl: 'buiten het toepassingsgebied van de btw', fr: 'hors du champ d’application de la TVA' },
  vat_category_L: { en: 'Canary Islands (IGIC)', nl: 'Canarische Eilanden (IGIC)', fr: 'îles Canaries (IGIC)' },
  vat_category_M: { en: 'Ceuta and Melilla (IPSI)', nl: 'Ceuta en Melilla (IPSI)', fr: 'Ceuta et Melilla (IPSI)' },
  vat_category_B: { en: 'Italian split payment', nl: 'Italiaanse split payment', fr: 'split payment italien' },
  vat_side_sales: { en: 'sales', nl: 'verkopen', fr: 'ventes' },
  vat_side_purchases: { en: 'purchases', nl: 'aankopen', fr: 'achats' },
  /** A row of the dossier's VAT-code table: "21 % — domestic". */
  vat_rate_row: { en: '{1} % — {2}', nl: '{1} % — {2}', fr: '{1} % — {2}' },
  vat_peppol_category: { en: 'Peppol category {1}', nl: 'Peppol-categorie {1}', fr: 'catégorie Peppol {1}' },
  options_vat_met_in_documents: {
    en: 'Met in documents: choose a code',
    nl: 'Gezien in documenten: kies een code',
    fr: 'Rencontré dans des documents : choisissez un code',
  },
};
