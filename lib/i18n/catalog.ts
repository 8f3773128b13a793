import type { Catalog } from './translator';

/**
 * Every string the extension shows, in English, Dutch and French. The build turns this into
 * `_locales/<locale>/messages.json` for `browser.i18n`; Node (tests, CLI) reads it directly.
 * Keys use only letters, digits and `_` (Chrome's rule). `{1}`… are parameters.
 */
export const UI_CATALOG: Catalog = {
  extName: { en: 'octobridge: Send to Octopus', nl: 'octobridge: Naar Octopus sturen', fr: 'octobridge : Envoyer vers Octopus' },
  extDescription: {
    en: 'Send invoices and credit notes from your invoicing app to Octopus accounting.',
    nl: 'Stuur facturen en creditnota’s vanuit je facturatieprogramma naar de Octopus-boekhouding.',
    fr: 'Envoyez factures et notes de crédit de votre logiciel de facturation vers la comptabilité Octopus.',
  },

  state_queued: { en: 'Queued', nl: 'In wachtrij', fr: 'En attente' },
  state_sending: { en: 'Sending', nl: 'Bezig met verzenden', fr: 'Envoi en cours' },
  state_sent: { en: 'Sent', nl: 'Verzonden', fr: 'Envoyé' },
  state_failed: { en: 'Failed, will retry', nl: 'Mislukt, wordt opnieuw geprobeerd', fr: 'Échec, nouvel essai prévu' },
  state_needs_attention: { en: 'Needs attention', nl: 'Actie nodig', fr: 'Action requise' },

  log_queued: { en: 'Queued for Octopus', nl: 'In de wachtrij voor Octopus', fr: 'Mis en file pour Octopus' },
  log_queued_again: { en: 'Queued again at the user’s request', nl: 'Opnieuw in de wachtrij op vraag van de gebruiker', fr: 'Remis en file à la demande de l’utilisateur' },
  log_sending: { en: 'Sending (attempt {1})', nl: 'Verzenden (poging {1})', fr: 'Envoi (tentative {1})' },
  log_resumed: { en: 'Resumed after an interruption (attempt {1})', nl: 'Hervat na een onderbreking (poging {1})', fr: 'Repris après une interruption (tentative {1})' },
  log_booked: { en: 'Booked in Octopus as {1}', nl: 'Geboekt in Octopus als {1}', fr: 'Comptabilisé dans Octopus sous {1}' },
  log_already_booked: { en: 'Already booked in Octopus as {1}; not sent twice', nl: 'Al geboekt in Octopus als {1}; niet dubbel verzonden', fr: 'Déjà comptabilisé dans Octopus sous {1} ; pas envoyé deux fois' },

  error_unknown_site: { en: 'No site adapter for {1}', nl: 'Geen site-adapter voor {1}', fr: 'Aucun adaptateur de site pour {1}' },
  error_site_unreachable: { en: 'The invoicing app at {1} could not be reached', nl: 'Het facturatieprogramma op {1} is niet bereikbaar', fr: 'Le logiciel de facturation à {1} est injoignable' },
  error_site_http: { en: 'The invoicing app answered {1} for {2}', nl: 'Het facturatieprogramma antwoordde {1} voor {2}', fr: 'Le logiciel de facturation a répondu {1} pour {2}' },
  error_document_unreadable: { en: 'The document could not be read: {1}', nl: 'Het document kon niet gelezen worden: {1}', fr: 'Le document n’a pas pu être lu : {1}' },
  error_no_dossier: {
    en: 'No Octopus dossier fits this document: choose a default dossier in the options',
    nl: 'Geen Octopus-dossier past bij dit document: kies een standaarddossier in de opties',
    fr: 'Aucun dossier Octopus ne correspond à ce document : choisissez un dossier par défaut dans les options',
  },
  error_transport_not_set_up: { en: 'Dossier {1} has no way to send set up', nl: 'Voor dossier {1} is geen verzendwijze ingesteld', fr: 'Aucun mode d’envoi n’est configuré pour le dossier {1}' },
  error_no_connection: {
    en: 'Dossier {1} has no Octopus login: connect it again in the options',
    nl: 'Dossier {1} heeft geen Octopus-login: verbind het opnieuw in de opties',
    fr: 'Le dossier {1} n’a pas d’identifiants Octopus : reconnectez-le dans les options',
  },
  error_connection_missing: {
    en: 'The Octopus connection of dossier {1} was removed: connect it again in the options',
    nl: 'De Octopus-verbinding van dossier {1} is verwijderd: verbind opnieuw in de opties',
    fr: 'La connexion Octopus du dossier {1} a été supprimée : reconnectez-la dans les options',
  },
  error_unexpected: { en: 'Unexpected error; it will be retried', nl: 'Onverwachte fout; er wordt opnieuw geprobeerd', fr: 'Erreur inattendue ; un nouvel essai suivra' },

  overlay_column: { en: 'Octopus', nl: 'Octopus', fr: 'Octopus' },
  overlay_send: { en: 'Send to Octopus', nl: 'Naar Octopus', fr: 'Vers Octopus' },
  overlay_send_again: { en: 'Send again', nl: 'Opnieuw sturen', fr: 'Renvoyer' },
  overlay_retry: { en: 'Retry', nl: 'Opnieuw proberen', fr: 'Réessayer' },
  overlay_send_selected: { en: 'Send selected to Octopus', nl: 'Selectie naar Octopus', fr: 'Envoyer la sélection vers Octopus' },
  overlay_selected: { en: '{1} selected', nl: '{1} geselecteerd', fr: '{1} sélectionné(s)' },
  overlay_select_all: { en: 'Select all', nl: 'Alles selecteren', fr: 'Tout sélectionner' },
  overlay_select_row: { en: 'Select {1}', nl: '{1} selecteren', fr: 'Sélectionner {1}' },
  overlay_not_sent: { en: 'Not sent to Octopus yet', nl: 'Nog niet naar Octopus gestuurd', fr: 'Pas encore envoyé vers Octopus' },
  overlay_sent_as: { en: 'Booked in Octopus as {1}', nl: 'Geboekt in Octopus als {1}', fr: 'Comptabilisé dans Octopus sous {1}' },
  overlay_draft_not_sendable: {
    en: 'A draft cannot be sent: validate it in the app first',
    nl: 'Een concept kan niet verstuurd worden: valideer het eerst in het programma',
    fr: 'Un brouillon ne peut pas être envoyé : validez-le d’abord dans l’application',
  },
  overlay_not_sendable: { en: 'This document cannot be sent', nl: 'Dit document kan niet verstuurd worden', fr: 'Ce document ne peut pas être envoyé' },
  overlay_request_failed: { en: 'The extension did not take the request', nl: 'De extensie nam de vraag niet aan', fr: 'L’extension n’a pas accepté la demande' },
  overlay_confirm_send_again: {
    en: 'This document is already in Octopus. Send it again (it will be booked twice)?',
    nl: 'Dit document staat al in Octopus. Opnieuw sturen (het wordt dan twee keer geboekt)?',
    fr: 'Ce document est déjà dans Octopus. L’envoyer à nouveau (il sera comptabilisé deux fois) ?',
  },

  popup_title: { en: 'Transfers to Octopus', nl: 'Overdrachten naar Octopus', fr: 'Transferts vers Octopus' },
  popup_search: { en: 'Search number, customer, dossier, state…', nl: 'Zoek nummer, klant, dossier, status…', fr: 'Rechercher numéro, client, dossier, état…' },
  popup_empty: { en: 'Nothing sent yet.', nl: 'Nog niets verstuurd.', fr: 'Rien n’a encore été envoyé.' },
  popup_no_match: { en: 'No transfer matches “{1}”.', nl: 'Geen overdracht past bij “{1}”.', fr: 'Aucun transfert ne correspond à « {1} ».' },
  col_document: { en: 'Document', nl: 'Document', fr: 'Document' },
  col_dossier: { en: 'Dossier', nl: 'Dossier', fr: 'Dossier' },
  col_state: { en: 'State', nl: 'Status', fr: 'État' },
  col_time: { en: 'Time', nl: 'Tijd', fr: 'Heure' },
  col_message: { en: 'Last message', nl: 'Laatste bericht', fr: 'Dernier message' },
  popup_retry: { en: 'Send again', nl: 'Opnieuw sturen', fr: 'Renvoyer' },
  popup_options: { en: 'Options', nl: 'Opties', fr: 'Options' },
  popup_attention: { en: '{1} need attention', nl: '{1} vragen actie', fr: '{1} requièrent une action' },

  options_title: { en: 'octobridge options', nl: 'octobridge-opties', fr: 'Options d’octobridge' },
  options_connection: { en: 'Octopus webservice connection', nl: 'Verbinding met de Octopus-webservice', fr: 'Connexion au webservice Octopus' },
  options_connection_help: {
    en: 'Your Octopus login with webservice access (Management > Users > Rights > Webservice access). The password is kept in this browser only, read only by the extension’s background worker.',
    nl: 'Je Octopus-login met webservicetoegang (Beheer > Gebruikers > Rechten > Toegang webservice). Het wachtwoord blijft in deze browser en wordt enkel door de achtergrondwerker van de extensie gelezen.',
    fr: 'Votre identifiant Octopus avec accès au webservice (Gestion > Utilisateurs > Droits > Accès au webservice). Le mot de passe reste dans ce navigateur et n’est lu que par le service d’arrière-plan de l’extension.',
  },
  options_label: { en: 'Name', nl: 'Naam', fr: 'Nom' },
  options_base_url: { en: 'Webservice URL', nl: 'Webservice-URL', fr: 'URL du webservice' },
  options_software_house: { en: 'Software house ID', nl: 'Software house-ID', fr: 'Identifiant software house' },
  options_user: { en: 'User', nl: 'Gebruiker', fr: 'Utilisateur' },
  options_password: { en: 'Password', nl: 'Wachtwoord', fr: 'Mot de passe' },
  options_connect: { en: 'Test and save', nl: 'Testen en bewaren', fr: 'Tester et enregistrer' },
  options_connecting: { en: 'Connecting…', nl: 'Verbinden…', fr: 'Connexion…' },
  options_connected: { en: 'Connected: {1} dossiers available', nl: 'Verbonden: {1} dossiers beschikbaar', fr: 'Connecté : {1} dossiers disponibles' },
  options_connections: { en: 'Connections', nl: 'Verbindingen', fr: 'Connexions' },
  options_remove_connection: { en: 'Remove login', nl: 'Login verwijderen', fr: 'Supprimer l’identifiant' },
  options_available_dossiers: { en: 'Dossiers of this login', nl: 'Dossiers van deze login', fr: 'Dossiers de cet identifiant' },
  options_use_dossier: { en: 'Use', nl: 'Gebruiken', fr: 'Utiliser' },
  options_in_use: { en: 'In use', nl: 'In gebruik', fr: 'Utilisé' },
  options_dossiers: { en: 'Dossiers in use', nl: 'Dossiers in gebruik', fr: 'Dossiers utilisés' },
  options_no_dossiers: { en: 'No dossier yet: connect a login and pick a dossier.', nl: 'Nog geen dossier: verbind een login en kies een dossier.', fr: 'Aucun dossier : connectez un identifiant et choisissez un dossier.' },
  options_default: { en: 'Default', nl: 'Standaard', fr: 'Par défaut' },
  options_make_default: { en: 'Make default', nl: 'Als standaard', fr: 'Par défaut' },
  options_remove: { en: 'Remove', nl: 'Verwijderen', fr: 'Supprimer' },
  options_saved: { en: 'Saved', nl: 'Bewaard', fr: 'Enregistré' },
  options_invalid: { en: 'Check this field: {1}', nl: 'Controleer dit veld: {1}', fr: 'Vérifiez ce champ : {1}' },
};
