import type { Catalog } from './translator';

/** Messages of the mail area, in en, nl and fr (merged into CATALOG by ./index.ts). */
export const MAIL_CATALOG: Catalog = {
  // Transfer log and errors of the mailbox transport.
  mail_log_sent: { en: 'E-mailed to {1} ({2})', nl: 'Gemaild naar {1} ({2})', fr: 'Envoyé par e-mail à {1} ({2})' },
  mail_log_already_sent: {
    en: 'Already e-mailed to {1} earlier ({2}); not sent again',
    nl: 'Eerder al gemaild naar {1} ({2}); niet opnieuw verstuurd',
    fr: 'Déjà envoyé par e-mail à {1} ({2}) ; pas renvoyé',
  },
  mail_error_not_set_up: {
    en: 'No mail account is set up for the mailbox transport. Set one up in the options.',
    nl: 'Er is geen mailaccount ingesteld voor verzending per mail. Stel er een in bij de opties.',
    fr: "Aucun compte e-mail n'est configuré pour l'envoi par e-mail. Configurez-en un dans les options.",
  },
  mail_error_no_sales_address: {
    en: 'Dossier {1} has no Octopus mailbox address for sales documents. Add it in the options.',
    nl: 'Dossier {1} heeft geen Octopus-mailadres voor verkoopdocumenten. Vul het in bij de opties.',
    fr: "Le dossier {1} n'a pas d'adresse e-mail Octopus pour les documents de vente. Ajoutez-la dans les options.",
  },
  mail_error_no_purchase_address: {
    en: 'Dossier {1} has no Octopus mailbox address for purchase documents. Add it in the options.',
    nl: 'Dossier {1} heeft geen Octopus-mailadres voor aankoopdocumenten. Vul het in bij de opties.',
    fr: "Le dossier {1} n'a pas d'adresse e-mail Octopus pour les documents d'achat. Ajoutez-la dans les options.",
  },
  mail_error_preflight: {
    en: 'The UBL written from this document breaks rules the Octopus mailbox relies on: {1}. Correct the document in the app, then retry.',
    nl: 'De UBL die uit dit document geschreven werd, overtreedt regels waarop de Octopus-mailbox steunt: {1}. Verbeter het document in de app en probeer opnieuw.',
    fr: "L'UBL écrit à partir de ce document enfreint des règles dont la boîte Octopus dépend : {1}. Corrigez le document dans l'application, puis réessayez.",
  },
  mail_error_bad_address: {
    en: '"{1}" is not an e-mail address.',
    nl: '"{1}" is geen e-mailadres.',
    fr: '« {1} » n\'est pas une adresse e-mail.',
  },
  mail_error_auth: {
    en: 'The {1} account refused the credentials. Check them in the options.',
    nl: 'Het {1}-account weigerde de aanmeldgegevens. Controleer ze bij de opties.',
    fr: 'Le compte {1} a refusé les identifiants. Vérifiez-les dans les options.',
  },
  mail_error_too_large: {
    en: 'The e-mail would be larger than the {1} KB the mail account accepts; it was not sent.',
    nl: 'De mail zou groter zijn dan de {1} KB die het mailaccount aanvaardt; hij is niet verstuurd.',
    fr: "L'e-mail dépasserait les {1} Ko que le compte e-mail accepte ; il n'a pas été envoyé.",
  },
  mail_error_too_large_peer: {
    en: 'The mail account refused the e-mail as too large; it was not sent.',
    nl: 'Het mailaccount weigerde de mail omdat hij te groot is; hij is niet verstuurd.',
    fr: "Le compte e-mail a refusé l'e-mail, trop volumineux ; il n'a pas été envoyé.",
  },
  mail_error_rejected: {
    en: 'The {1} refused the e-mail; it was not sent.',
    nl: 'De {1} weigerde de mail; hij is niet verstuurd.',
    fr: "Le {1} a refusé l'e-mail ; il n'a pas été envoyé.",
  },
  mail_error_relay_forbidden: {
    en: 'The relay does not let your token send as this sender or to this mailbox; it was not sent. Your address under "Sending by e-mail" must be the one the relay set for your token, and the dossier\'s mailbox must be on its list.',
    nl: 'De relay laat uw token niet toe als deze afzender of naar deze mailbox te versturen; de mail is niet verstuurd. Uw adres bij "Versturen per mail" moet het adres zijn dat de relay voor uw token instelde, en de mailbox van het dossier moet op zijn lijst staan.',
    fr: "Le relais n'autorise pas votre jeton à envoyer sous cet expéditeur ou vers cette boîte ; l'e-mail n'a pas été envoyé. Votre adresse sous « Envoi par e-mail » doit être celle que le relais a définie pour votre jeton, et la boîte du dossier doit figurer sur sa liste.",
  },
  mail_error_unavailable: {
    en: 'The {1} cannot take the e-mail now; it stays queued and is tried again.',
    nl: 'De {1} kan de mail nu niet aannemen; hij blijft in de wachtrij en wordt opnieuw geprobeerd.',
    fr: "Le {1} ne peut pas prendre l'e-mail maintenant ; il reste en file d'attente et sera réessayé.",
  },
  mail_error_no_answer: {
    en: 'The {1} did not answer; before trying again we ask it whether the e-mail went.',
    nl: 'De {1} antwoordde niet; voor een nieuwe poging vragen we eerst of de mail vertrokken is.',
    fr: "Le {1} n'a pas répondu ; avant de réessayer, nous lui demandons si l'e-mail est parti.",
  },
  mail_error_outcome_unknown: {
    en: 'It is not known whether {1} sent the e-mail, and it cannot tell. Check the Octopus mailbox, then use "Send again" if it did not arrive.',
    nl: 'Het is niet bekend of {1} de mail verstuurd heeft, en dat kan het niet zeggen. Kijk in de Octopus-mailbox en gebruik "Opnieuw versturen" als hij niet aankwam.',
    fr: "On ne sait pas si {1} a envoyé l'e-mail, et il ne peut pas le dire. Vérifiez la boîte Octopus, puis utilisez « Renvoyer » s'il n'est pas arrivé.",
  },

  // Options page: mail account and mailbox addresses.
  mail_settings_title: { en: 'Sending by e-mail', nl: 'Versturen per mail', fr: 'Envoi par e-mail' },
  mail_settings_help: {
    en: 'Octopus imports the UBL e-mailed to the dossier mailbox (Document Import Viewer). The extension cannot speak SMTP: it sends through your firm\'s relay, a JMAP account, Microsoft 365 or Gmail.',
    nl: 'Octopus importeert de UBL die naar de mailbox van het dossier gemaild wordt (Document Import Viewer). De extensie spreekt geen SMTP: ze verstuurt via de relay van uw kantoor, een JMAP-account, Microsoft 365 of Gmail.',
    fr: "Octopus importe l'UBL envoyé à la boîte e-mail du dossier (Document Import Viewer). L'extension ne parle pas SMTP : elle envoie via le relais de votre cabinet, un compte JMAP, Microsoft 365 ou Gmail.",
  },
  mail_account_kind: { en: 'Send through', nl: 'Versturen via', fr: 'Envoyer via' },
  mail_kind_http_relay: { en: 'The firm\'s relay (HTTPS)', nl: 'De relay van het kantoor (HTTPS)', fr: 'Le relais du cabinet (HTTPS)' },
  mail_kind_jmap: { en: 'JMAP account', nl: 'JMAP-account', fr: 'Compte JMAP' },
  mail_kind_graph: { en: 'Microsoft 365 (Outlook)', nl: 'Microsoft 365 (Outlook-mail)', fr: 'Microsoft 365 (courrier Outlook)' },
  mail_kind_gmail: { en: 'Gmail (Google Workspace)', nl: 'Gmail (Google Workspace-mail)', fr: 'Gmail (courrier Google Workspace)' },
  mail_url: { en: 'Address (URL)', nl: 'Adres (URL)', fr: 'Adresse (URL)' },
  mail_token: { en: 'Token', nl: 'Token', fr: 'Jeton' },
  mail_user: { en: 'User', nl: 'Gebruiker', fr: 'Utilisateur' },
  mail_password: { en: 'Password', nl: 'Wachtwoord', fr: 'Mot de passe' },
  mail_from: { en: 'Your e-mail address (sender)', nl: 'Uw e-mailadres (afzender)', fr: 'Votre adresse e-mail (expéditeur)' },
  mail_client_id: { en: 'OAuth client id of your firm\'s app', nl: 'OAuth-client-id van de app van uw kantoor', fr: "Identifiant client OAuth de l'application du cabinet" },
  mail_secret_kept: { en: 'kept (leave empty to keep it)', nl: 'bewaard (leeg laten om te behouden)', fr: 'conservé (laisser vide pour le garder)' },
  mail_save_account: { en: 'Test and save', nl: 'Testen en bewaren', fr: 'Tester et enregistrer' },
  mail_sign_in: { en: 'Sign in and save', nl: 'Aanmelden en bewaren', fr: 'Se connecter et enregistrer' },
  mail_account_saved: { en: 'Mail account saved ({1}).', nl: 'Mailaccount bewaard ({1}).', fr: 'Compte e-mail enregistré ({1}).' },
  mail_account_removed: { en: 'Mail account removed.', nl: 'Mailaccount verwijderd.', fr: 'Compte e-mail supprimé.' },
  mail_remove_account: { en: 'Remove the mail account', nl: 'Mailaccount verwijderen', fr: 'Supprimer le compte e-mail' },
  mail_account_none: { en: 'No mail account yet.', nl: 'Nog geen mailaccount.', fr: 'Pas encore de compte e-mail.' },
  mail_account_current: { en: 'Sending through {1} as {2}', nl: 'Verstuurt via {1} als {2}', fr: 'Envoi via {1} en tant que {2}' },
  mail_dossiers_title: { en: 'Octopus mailboxes per dossier', nl: 'Octopus-mailboxen per dossier', fr: 'Boîtes e-mail Octopus par dossier' },
  mail_transport: { en: 'Transport', nl: 'Verzendwijze', fr: "Mode d'envoi" },
  mail_transport_webservice: { en: 'Webservice', nl: 'Webservice', fr: 'Service web' },
  mail_transport_mailbox: { en: 'E-mail to the mailbox', nl: 'Mail naar de mailbox', fr: 'E-mail vers la boîte' },
  mail_sales_address: { en: 'Sales mailbox', nl: 'Mailbox verkopen', fr: 'Boîte ventes' },
  mail_purchases_address: { en: 'Purchases mailbox', nl: 'Mailbox aankopen', fr: 'Boîte achats' },
  mail_save_dossier: { en: 'Save', nl: 'Bewaren', fr: 'Enregistrer' },
  mail_dossier_saved: { en: 'Saved for {1}.', nl: 'Bewaard voor {1}.', fr: 'Enregistré pour {1}.' },
  mail_not_octopus_warning: {
    en: '{1} is not an octopus.be address. Octopus mailboxes usually are (…@import.octopus.be, …@docin.octopus.be): check it.',
    nl: '{1} is geen octopus.be-adres. Octopus-mailboxen zijn dat meestal wel (…@import.octopus.be, …@docin.octopus.be): kijk het na.',
    fr: "{1} n'est pas une adresse octopus.be. Les boîtes Octopus le sont d'habitude (…@import.octopus.be, …@docin.octopus.be) : vérifiez-la.",
  },
  mail_error_needs_account: {
    en: 'Set up a mail account before choosing the mailbox transport.',
    nl: 'Stel eerst een mailaccount in voor u verzending per mail kiest.',
    fr: "Configurez d'abord un compte e-mail avant de choisir l'envoi par e-mail.",
  },
  mail_error_needs_address: {
    en: 'The mailbox transport needs at least one mailbox address.',
    nl: 'Verzending per mail heeft minstens één mailadres nodig.',
    fr: "L'envoi par e-mail demande au moins une adresse de boîte.",
  },
  mail_error_secret_url_changed: {
    en: 'The address changed: enter the token or password again for the new address. The one kept for the old address was removed.',
    nl: 'Het adres is gewijzigd: vul het token of wachtwoord opnieuw in voor het nieuwe adres. Dat van het oude adres is verwijderd.',
    fr: "L'adresse a changé : saisissez à nouveau le jeton ou le mot de passe pour la nouvelle adresse. Celui de l'ancienne adresse a été supprimé.",
  },
  mail_error_jmap_other_origin: {
    en: 'The JMAP server names another server for sending; the login is not sent there. Enter the address of the server that handles the mail itself.',
    nl: 'De JMAP-server verwijst voor het verzenden naar een andere server; de aanmelding wordt daar niet heen gestuurd. Vul het adres in van de server die de mail zelf behandelt.',
    fr: "Le serveur JMAP désigne un autre serveur pour l'envoi ; les identifiants n'y sont pas envoyés. Saisissez l'adresse du serveur qui traite lui-même le courrier.",
  },
  mail_error_redirect: {
    en: 'The mail server redirected the request elsewhere; the login is not sent on. Enter the final address of the server.',
    nl: 'De mailserver stuurde het verzoek door naar elders; de aanmelding wordt niet doorgestuurd. Vul het uiteindelijke adres van de server in.',
    fr: "Le serveur de courrier a redirigé la requête ailleurs ; les identifiants ne sont pas transmis. Saisissez l'adresse finale du serveur.",
  },
  mail_secret_again: {
    en: 'The address changed: enter the token or password again for it.',
    nl: 'Het adres is gewijzigd: vul het token of wachtwoord er opnieuw voor in.',
    fr: "L'adresse a changé : saisissez à nouveau le jeton ou le mot de passe pour celle-ci.",
  },
  mail_error_account_test: {
    en: 'The mail account could not be reached or refused the login: {1}',
    nl: 'Het mailaccount is niet bereikbaar of weigerde de aanmelding: {1}',
    fr: "Le compte e-mail est injoignable ou a refusé la connexion : {1}",
  },
};
