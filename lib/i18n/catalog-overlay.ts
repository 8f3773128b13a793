import type { Catalog } from './translator';

/** The overlay's failures and the range/period preview, in en, nl and fr (merged into CATALOG by ./index.ts). */
export const OVERLAY_CATALOG: Catalog = {
  overlay_retry_now: { en: 'Retry now', nl: 'Nu opnieuw proberen', fr: 'Réessayer maintenant' },
  overlay_next_try: { en: 'Next automatic try at {1}', nl: 'Volgende automatische poging om {1}', fr: 'Prochain essai automatique à {1}' },
  /** Octopus's own words, quoted; its language is Octopus's, so the label says whose they are. */
  overlay_octopus_says: { en: 'Octopus: “{1}”', nl: 'Octopus meldt: «{1}»', fr: 'Message d’Octopus : « {1} »' },
  overlay_skip_draft: { en: 'a draft: validate it in the app first', nl: 'een concept: valideer het eerst in het programma', fr: 'un brouillon : validez-le d’abord dans l’application' },
  overlay_skip_cancelled: { en: 'cancelled in the app: never sent', nl: 'geannuleerd in het programma: wordt nooit verstuurd', fr: 'annulé dans l’application : jamais envoyé' },
  overlay_skip_sent: { en: 'already in Octopus', nl: 'staat al in Octopus', fr: 'déjà dans Octopus' },
  overlay_preview_title: { en: 'Before sending: check the list', nl: 'Voor het versturen: controleer de lijst', fr: 'Avant l’envoi : vérifiez la liste' },
  overlay_preview_go: { en: '{1} documents go to Octopus', nl: '{1} documenten gaan naar Octopus', fr: '{1} documents vont vers Octopus' },
  overlay_preview_skipped: { en: '{1} skipped', nl: '{1} overgeslagen', fr: '{1} ignorés' },
  overlay_preview_more: { en: '… and {1} more', nl: '… en nog {1}', fr: '… et {1} de plus' },
  overlay_preview_nothing: { en: 'Nothing to send: every document in this selection is skipped', nl: 'Niets te versturen: elk document in deze keuze wordt overgeslagen', fr: 'Rien à envoyer : chaque document de cette sélection est ignoré' },
  overlay_preview_confirm: { en: 'Send {1} documents', nl: '{1} documenten versturen', fr: 'Envoyer {1} documents' },
  overlay_preview_cancel: { en: 'Cancel', nl: 'Annuleren', fr: 'Annuler' },
  overlay_preview_cancelled: { en: 'Nothing was sent', nl: 'Er werd niets verstuurd', fr: 'Rien n’a été envoyé' },
  overlay_preview_loading: { en: 'Looking up the documents…', nl: 'De documenten worden opgezocht…', fr: 'Recherche des documents…' },
};
