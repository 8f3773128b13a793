import type { Catalog } from './translator';

/** Messages of the engine area, in en, nl and fr (merged into CATALOG by ./index.ts). */
export const ENGINE_CATALOG: Catalog = {
  engine_log_cancelled: { en: 'Cancelled before it was sent', nl: 'Geannuleerd voor het verzonden werd', fr: 'Annulé avant l’envoi' },
  engine_log_changed_after_export: {
    en: 'Document {1} changed in the app after it went to Octopus: correct it there with a credit note',
    nl: 'Document {1} is in het programma gewijzigd nadat het naar Octopus ging: corrigeer het daar met een creditnota',
    fr: 'Le document {1} a été modifié dans l’application après son envoi vers Octopus : corrigez-le par une note de crédit',
  },
  engine_log_confirmed: { en: 'Booking confirmed by Octopus', nl: 'Boeking bevestigd door Octopus', fr: 'Écriture confirmée par Octopus' },
  engine_log_booked_elsewhere: {
    en: 'Already booked in Octopus by other means as {1}; it will not be sent',
    nl: 'Al op een andere manier in Octopus geboekt als {1}; het wordt niet verzonden',
    fr: 'Déjà comptabilisé dans Octopus par un autre moyen sous {1} ; il ne sera pas envoyé',
  },
  engine_awaiting_approval: {
    en: 'Waiting for approval before it goes to Octopus',
    nl: 'Wacht op goedkeuring voor het naar Octopus gaat',
    fr: 'En attente d’approbation avant l’envoi vers Octopus',
  },
  engine_approve: { en: 'Approve and send', nl: 'Goedkeuren en verzenden', fr: 'Approuver et envoyer' },
  engine_changed_badge: { en: 'Changed after export', nl: 'Gewijzigd na export', fr: 'Modifié après l’export' },
  engine_warn_edit: {
    en: 'This document is already in Octopus. Editing it here does not change the booking: make a credit note instead.',
    nl: 'Dit document staat al in Octopus. Het hier wijzigen verandert de boeking niet: maak liever een creditnota.',
    fr: 'Ce document est déjà dans Octopus. Le modifier ici ne change pas l’écriture : faites plutôt une note de crédit.',
  },

  engine_notify_title: { en: 'Octopus: scheduled transfer done', nl: 'Octopus: geplande overdracht klaar', fr: 'Octopus : transfert planifié terminé' },
  engine_notify_body: {
    en: '{1} sent, {2} need attention, {3} skipped',
    nl: '{1} verzonden, {2} vragen actie, {3} overgeslagen',
    fr: '{1} envoyés, {2} demandent une action, {3} ignorés',
  },

  engine_progress_title: { en: 'Sending to Octopus', nl: 'Verzenden naar Octopus', fr: 'Envoi vers Octopus' },
  engine_progress_counts: { en: '{1} of {2} sent', nl: '{1} van {2} verzonden', fr: '{1} sur {2} envoyés' },
  engine_progress_failures: { en: '{1} need attention', nl: '{1} vragen actie', fr: '{1} demandent une action' },
  engine_progress_retrying: { en: '{1} retrying', nl: '{1} worden opnieuw geprobeerd', fr: '{1} en nouvel essai' },
  engine_progress_eta: { en: 'about {1} left', nl: 'nog ongeveer {1}', fr: 'encore environ {1}' },
  engine_progress_cancel: { en: 'Cancel', nl: 'Annuleren', fr: 'Annuler' },
  engine_progress_cancelled: { en: 'Cancelled', nl: 'Geannuleerd', fr: 'Annulé' },
  engine_progress_done: { en: 'Done', nl: 'Klaar', fr: 'Terminé' },
  engine_duration_minutes: { en: '{1} min', nl: '{1} min', fr: '{1} min' },
  engine_duration_seconds: { en: '{1} s', nl: '{1} s', fr: '{1} s' },

  engine_rules_title: { en: 'Automatic transfers', nl: 'Automatische overdracht', fr: 'Transferts automatiques' },
  engine_rules_dossier: { en: 'Dossier', nl: 'Dossier', fr: 'Dossier' },
  engine_rules_kind: { en: 'Document kind', nl: 'Soort document', fr: 'Type de document' },
  engine_rules_auto: { en: 'Goes automatically', nl: 'Gaat automatisch', fr: 'Part automatiquement' },
  engine_rules_status: { en: 'Once the app says', nl: 'Zodra het programma zegt', fr: 'Dès que l’application indique' },
  engine_rules_approval: { en: 'Needs approval', nl: 'Goedkeuring nodig', fr: 'Approbation requise' },
  engine_kind_salesInvoice: { en: 'Sales invoices', nl: 'Verkoopfacturen', fr: 'Factures de vente' },
  engine_kind_salesCreditNote: { en: 'Credit notes', nl: 'Creditnota’s', fr: 'Notes de crédit' },
  engine_kind_purchase: { en: 'Purchase documents', nl: 'Aankoopdocumenten', fr: 'Documents d’achat' },
  engine_status_any: { en: 'final (any status)', nl: 'definitief (elke status)', fr: 'définitif (tout statut)' },
  engine_status_sent: { en: 'sent', nl: 'verzonden', fr: 'envoyé' },
  engine_status_paid: { en: 'paid', nl: 'betaald', fr: 'payé' },
  engine_rules_schedule: { en: 'When', nl: 'Wanneer', fr: 'Quand' },
  engine_schedule_never: { en: 'Never (only when I send)', nl: 'Nooit (alleen als ik verzend)', fr: 'Jamais (seulement quand j’envoie)' },
  engine_schedule_nightly: { en: 'Every night at', nl: 'Elke nacht om', fr: 'Chaque nuit à' },
  engine_schedule_lastMonth: { en: 'The last full month, on the 1st', nl: 'De laatste volledige maand, op de 1e', fr: 'Le dernier mois complet, le 1er' },
  engine_schedule_afterCreation: { en: 'Minutes after creation', nl: 'Minuten na aanmaak', fr: 'Minutes après la création' },
  engine_rules_include_sent: { en: 'Include already transferred documents', nl: 'Ook al overgedragen documenten', fr: 'Inclure les documents déjà transférés' },
  engine_rules_warn_edit: { en: 'Warn me before I edit a transferred document', nl: 'Waarschuw me voor ik een overgedragen document wijzig', fr: 'M’avertir avant de modifier un document transféré' },
  engine_rules_save: { en: 'Save the rules', nl: 'Regels bewaren', fr: 'Enregistrer les règles' },
  engine_rules_saved: { en: 'Rules saved', nl: 'Regels bewaard', fr: 'Règles enregistrées' },
  engine_rules_invalid: { en: 'These rules are not valid: {1}', nl: 'Deze regels zijn niet geldig: {1}', fr: 'Ces règles ne sont pas valables : {1}' },
  engine_rules_none: { en: 'Add a dossier first', nl: 'Voeg eerst een dossier toe', fr: 'Ajoutez d’abord un dossier' },

  // Rules section of the options page (components/RulesSettings.tsx).
  engine_rules_help: {
    en: 'What you send yourself always goes. These rules decide what goes by itself, per dossier and kind of document.',
    nl: 'Wat u zelf verzendt, gaat altijd. Deze regels bepalen wat vanzelf gaat, per dossier en soort document.',
    fr: 'Ce que vous envoyez vous-même part toujours. Ces règles décident de ce qui part tout seul, par dossier et type de document.',
  },
  engine_rules_hour: { en: 'Hour (0–23)', nl: 'Uur (0–23)', fr: 'Heure (0–23)' },
  engine_rules_minutes: { en: 'Minutes (1–10080)', nl: 'Minuten (1–10080)', fr: 'Minutes (1–10080)' },
  engine_rules_error_hour: {
    en: 'The hour must be a whole number from 0 to 23, not “{1}”',
    nl: 'Het uur moet een geheel getal van 0 tot 23 zijn, niet „{1}”',
    fr: 'L’heure doit être un nombre entier de 0 à 23, pas « {1} »',
  },
  engine_rules_error_minutes: {
    en: 'The minutes must be a whole number from 1 to 10080 (a week), not “{1}”',
    nl: 'De minuten moeten een geheel getal van 1 tot 10080 (een week) zijn, niet „{1}”',
    fr: 'Les minutes doivent être un nombre entier de 1 à 10080 (une semaine), pas « {1} »',
  },

  // The page's bulk bar and progress (lib/overlay/progress.ts).
  engine_bulk_range: { en: 'Number range', nl: 'Nummerreeks', fr: 'Plage de numéros' },
  engine_bulk_range_year: { en: 'Year', nl: 'Jaar', fr: 'Année' },
  engine_bulk_range_from: { en: 'From number', nl: 'Van nummer', fr: 'Du numéro' },
  engine_bulk_range_to: { en: 'To number', nl: 'Tot nummer', fr: 'Au numéro' },
  engine_bulk_range_send: { en: 'Send this range', nl: 'Deze reeks verzenden', fr: 'Envoyer cette plage' },
  engine_bulk_period: { en: 'Not yet transferred, by date', nl: 'Nog niet overgedragen, per datum', fr: 'Pas encore transférés, par date' },
  engine_bulk_period_from: { en: 'From', nl: 'Van', fr: 'Du' },
  engine_bulk_period_to: { en: 'To', nl: 'Tot', fr: 'Au' },
  engine_bulk_period_send: { en: 'Send everything not yet transferred', nl: 'Alles verzenden wat nog niet overgedragen is', fr: 'Envoyer tout ce qui n’est pas encore transféré' },
  engine_bulk_error_year: {
    en: 'Enter a year from 1990 to 2100, not “{1}”',
    nl: 'Geef een jaar van 1990 tot 2100 in, niet „{1}”',
    fr: 'Indiquez une année de 1990 à 2100, pas « {1} »',
  },
  engine_bulk_error_number: {
    en: 'Enter a whole number from 0 for the range, not “{1}”',
    nl: 'Geef een geheel getal vanaf 0 in voor de reeks, niet „{1}”',
    fr: 'Indiquez un nombre entier à partir de 0 pour la plage, pas « {1} »',
  },
  engine_bulk_error_order: {
    en: 'The start ({1}) must not be after the end ({2})',
    nl: 'Het begin ({1}) mag niet na het einde ({2}) komen',
    fr: 'Le début ({1}) ne peut pas être après la fin ({2})',
  },
  engine_bulk_error_date: {
    en: 'Enter a date as YYYY-MM-DD, not “{1}”',
    nl: 'Geef een datum in als JJJJ-MM-DD, niet „{1}”',
    fr: 'Indiquez une date sous la forme AAAA-MM-JJ, pas « {1} »',
  },
  engine_bulk_none_range: {
    en: 'No document numbered {1} to {2} of {3} can be sent from this page',
    nl: 'Geen document met nummer {1} tot {2} van {3} kan vanaf deze pagina verzonden worden',
    fr: 'Aucun document numéroté de {1} à {2} de {3} ne peut être envoyé depuis cette page',
  },
  engine_bulk_none_period: {
    en: 'No document dated {1} to {2} can be sent from this page',
    nl: 'Geen document gedateerd van {1} tot {2} kan vanaf deze pagina verzonden worden',
    fr: 'Aucun document daté du {1} au {2} ne peut être envoyé depuis cette page',
  },
  engine_bulk_queued: {
    en: '{1} documents go to Octopus ({2} skipped)',
    nl: '{1} documenten gaan naar Octopus ({2} overgeslagen)',
    fr: '{1} documents partent vers Octopus ({2} ignorés)',
  },
  engine_progress_close: { en: 'Close', nl: 'Sluiten', fr: 'Fermer' },
  // A range or period send that read the app's whole list (all its pages), or could not.
  engine_bulk_none_range_app: {
    en: 'No document numbered {1} to {2} of {3} in the app’s list can be sent',
    nl: 'Geen document met nummer {1} tot {2} van {3} in de lijst van de app kan verzonden worden',
    fr: 'Aucun document numéroté de {1} à {2} de {3} dans la liste de l’application ne peut être envoyé',
  },
  engine_bulk_none_period_app: {
    en: 'No document dated {1} to {2} in the app’s list can be sent',
    nl: 'Geen document gedateerd van {1} tot {2} in de lijst van de app kan verzonden worden',
    fr: 'Aucun document daté du {1} au {2} dans la liste de l’application ne peut être envoyé',
  },
  engine_bulk_page_only: {
    en: 'Only the rows of this page were looked at.',
    nl: 'Alleen de rijen van deze pagina werden bekeken.',
    fr: 'Seules les lignes de cette page ont été examinées.',
  },
  engine_bulk_list_failed: {
    en: 'Nothing was sent: the app’s list could not be read ({1})',
    nl: 'Er werd niets verzonden: de lijst van de app kon niet gelezen worden ({1})',
    fr: 'Rien n’a été envoyé : la liste de l’application n’a pas pu être lue ({1})',
  },
  engine_bulk_list_unexpected: { en: 'unexpected error: {1}', nl: 'onverwachte fout: {1}', fr: 'erreur inattendue : {1}' },

  // The warning before editing a transferred document (eFactori's advice: a credit note, then a corrected copy).
  engine_warn_edit_steps: {
    en: 'Already in Octopus as {1}. To change it, first copy it to a credit note, then copy the invoice and edit the copy.',
    nl: 'Al in Octopus als {1}. Om het te wijzigen: kopieer het eerst naar een creditnota, kopieer dan de factuur en wijzig de kopie.',
    fr: 'Déjà dans Octopus sous {1}. Pour le modifier, copiez-le d’abord vers une note de crédit, puis copiez la facture et modifiez la copie.',
  },

  // A scheduled run that could not read a site's list: not "nothing to send"; it is tried again.
  engine_schedule_nothing_new: {
    en: 'Read the list ({1} documents): nothing new to send',
    nl: 'Lijst gelezen ({1} documenten): niets nieuws te versturen',
    fr: 'Liste lue ({1} documents) : rien de nouveau à envoyer',
  },
  engine_schedule_list_failed: {
    en: 'The scheduled run could not list the documents of {1}; it will try again',
    nl: 'De geplande overdracht kon de documenten van {1} niet ophalen; hij probeert het opnieuw',
    fr: 'Le transfert planifié n’a pas pu lister les documents de {1} ; il réessaiera',
  },

  // What the scheduled runs did (components/ScheduledRuns.tsx): the options page's list and the popup's notice.
  engine_schedule_runs_title: { en: 'Recent scheduled runs', nl: 'Recente geplande overdrachten', fr: 'Transferts planifiés récents' },
  engine_schedule_runs_help: {
    en: 'Newest first. A site whose list could not be read is tried again later; nothing of it is sent until then.',
    nl: 'Nieuwste eerst. Een site waarvan de lijst niet gelezen kon worden, wordt later opnieuw geprobeerd; tot dan wordt er niets van verzonden.',
    fr: 'Les plus récents d’abord. Un site dont la liste n’a pas pu être lue est réessayé plus tard ; rien n’en part d’ici là.',
  },
  engine_schedule_runs_none: {
    en: 'No scheduled run has queued documents or failed yet.',
    nl: 'Nog geen geplande overdracht heeft documenten klaargezet of is mislukt.',
    fr: 'Aucun transfert planifié n’a encore mis de documents en file ni échoué.',
  },
  engine_schedule_runs_time: { en: 'When', nl: 'Wanneer', fr: 'Quand' },
  engine_schedule_runs_site: { en: 'Site', nl: 'Site', fr: 'Site' },
  engine_schedule_runs_result: { en: 'What happened', nl: 'Wat er gebeurde', fr: 'Résultat' },
  engine_schedule_runs_retry: { en: 'Next try', nl: 'Volgende poging', fr: 'Prochain essai' },
  engine_schedule_runs_queued_one: { en: '1 document queued for Octopus', nl: '1 document klaargezet voor Octopus', fr: '1 document mis en file pour Octopus' },
  engine_schedule_runs_queued: { en: '{1} documents queued for Octopus', nl: '{1} documenten klaargezet voor Octopus', fr: '{1} documents mis en file pour Octopus' },
  engine_schedule_runs_failed: { en: 'Could not read the list: {1}', nl: 'Kon de lijst niet lezen: {1}', fr: 'Impossible de lire la liste : {1}' },
  engine_schedule_notice: {
    en: 'Scheduled run could not read {1}: {2}',
    nl: 'Geplande overdracht kon {1} niet lezen: {2}',
    fr: 'Le transfert planifié n’a pas pu lire {1} : {2}',
  },
  engine_schedule_notice_more: { en: '(and {1} more)', nl: '(en nog {1})', fr: '(et {1} de plus)' },
};
