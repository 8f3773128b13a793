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

  setup_title: { en: 'Set up octobridge', nl: 'octobridge instellen', fr: 'Configurer octobridge' },
  setup_complete: {
    en: 'Set-up complete: documents of your sites can now go to Octopus.',
    nl: 'Instelling klaar: documenten van je sites kunnen nu naar Octopus.',
    fr: 'Configuration terminée : les documents de vos sites peuvent aller vers Octopus.',
  },
  setup_progress: { en: '{1} of {2} steps done', nl: '{1} van {2} stappen klaar', fr: '{1} étapes sur {2} terminées' },
  setup_state_done: { en: 'Done', nl: 'Klaar', fr: 'Fait' },
  setup_state_next: { en: 'Next', nl: 'Volgende', fr: 'Suivant' },
  setup_state_todo: { en: 'Later', nl: 'Daarna', fr: 'Ensuite' },
  setup_go: { en: 'Go to this step', nl: 'Naar deze stap', fr: 'Aller à cette étape' },
  setup_step_connect: { en: 'Connect to Octopus', nl: 'Verbinden met Octopus', fr: 'Se connecter à Octopus' },
  setup_step_dossiers: { en: 'Pick dossiers', nl: 'Dossiers kiezen', fr: 'Choisir les dossiers' },
  setup_step_journals: { en: 'Import each dossier and choose its journals', nl: 'Elk dossier importeren en zijn dagboeken kiezen', fr: 'Importer chaque dossier et choisir ses journaux' },
  setup_step_site: { en: 'Add your invoicing site', nl: 'Je facturatiesite toevoegen', fr: 'Ajouter votre site de facturation' },
  setup_connect_done: { en: 'Connected as {1}.', nl: 'Verbonden als {1}.', fr: 'Connecté en tant que {1}.' },
  setup_connect_todo: {
    en: 'Enter the webservice login you got from Octopus (webservice@octopus.be); it is tested before it is kept.',
    nl: 'Vul de webservice-login in die je van Octopus kreeg (webservice@octopus.be); hij wordt getest voor hij bewaard wordt.',
    fr: 'Saisissez l’identifiant webservice reçu d’Octopus (webservice@octopus.be) ; il est testé avant d’être enregistré.',
  },
  setup_dossiers_done: { en: 'In use: {1}.', nl: 'In gebruik: {1}.', fr: 'Utilisés : {1}.' },
  setup_dossiers_todo: {
    en: 'Choose the Octopus dossiers this browser books into; the first becomes the default.',
    nl: 'Kies de Octopus-dossiers waarin deze browser boekt; het eerste wordt het standaarddossier.',
    fr: 'Choisissez les dossiers Octopus dans lesquels ce navigateur comptabilise ; le premier devient le dossier par défaut.',
  },
  setup_journals_done: { en: 'Every dossier is imported and has its journals.', nl: 'Elk dossier is geïmporteerd en heeft zijn dagboeken.', fr: 'Chaque dossier est importé et a ses journaux.' },
  setup_journals_todo: { en: 'Import each dossier from Octopus and choose its journals.', nl: 'Importeer elk dossier uit Octopus en kies zijn dagboeken.', fr: 'Importez chaque dossier depuis Octopus et choisissez ses journaux.' },
  setup_journals_todo_dossier: {
    en: '{1}: open its settings, import it from Octopus, then choose its sales and purchase journals and save.',
    nl: '{1}: open de instellingen, importeer uit Octopus, kies dan de verkoop- en aankoopdagboeken en bewaar.',
    fr: '{1} : ouvrez ses réglages, importez-le depuis Octopus, puis choisissez ses journaux de ventes et d’achats et enregistrez.',
  },
  setup_site_done: { en: '{1} site(s) added, each bound to its dossiers.', nl: '{1} site(s) toegevoegd, elk aan zijn dossiers gekoppeld.', fr: '{1} site(s) ajouté(s), chacun lié à ses dossiers.' },
  setup_site_todo: {
    en: 'Add the address of your invoicing app and choose the dossiers it books into (or use "Add this site" in the popup on its tab).',
    nl: 'Voeg het adres van je facturatieprogramma toe en kies de dossiers waarin het boekt (of gebruik "Deze site toevoegen" in de pop-up op zijn tabblad).',
    fr: 'Ajoutez l’adresse de votre logiciel de facturation et choisissez les dossiers où il comptabilise (ou utilisez « Ajouter ce site » dans la fenêtre sur son onglet).',
  },

  options_sections: { en: 'Sections', nl: 'Onderdelen', fr: 'Sections' },
  section_connection: { en: 'Connection', nl: 'Verbinding', fr: 'Connexion' },
  section_dossiers: { en: 'Dossiers', nl: 'Dossiers', fr: 'Dossiers' },
  section_mail: { en: 'E-mail', nl: 'E-mail', fr: 'E-mail' },
  section_sites: { en: 'Sites', nl: 'Sites', fr: 'Sites' },
  section_rules: { en: 'Automatic transfers', nl: 'Automatische overdrachten', fr: 'Transferts automatiques' },
  section_support: { en: 'Support', nl: 'Ondersteuning', fr: 'Assistance' },
  support_help: {
    en: 'For your firm’s support: each section has its own address, for instance {1}. The version below says which octobridge this is.',
    nl: 'Voor de ondersteuning van je kantoor: elk onderdeel heeft een eigen adres, bijvoorbeeld {1}. De versie hieronder zegt welke octobridge dit is.',
    fr: 'Pour l’assistance de votre cabinet : chaque section a sa propre adresse, par exemple {1}. La version ci-dessous indique de quel octobridge il s’agit.',
  },
  support_version: { en: 'Version {1}, interface language {2}', nl: 'Versie {1}, taal van de interface {2}', fr: 'Version {1}, langue de l’interface {2}' },
  support_links: { en: 'Links to the sections', nl: 'Links naar de onderdelen', fr: 'Liens vers les sections' },
  options_add_login: { en: 'Add another Octopus login', nl: 'Nog een Octopus-login toevoegen', fr: 'Ajouter un autre identifiant Octopus' },
  options_vat_side_column: { en: 'Side', nl: 'Kant', fr: 'Côté' },
  col_actions: { en: 'Actions', nl: 'Acties', fr: 'Actions' },
};
