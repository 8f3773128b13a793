import type { Catalog } from './translator';

/** Messages of the CODA bank-statement reader (lib/coda), in en, nl and fr (merged into CATALOG by ./index.ts). */
export const CODA_CATALOG: Catalog = {
  coda_empty: {
    en: 'The file is empty: it holds no CODA statement.',
    nl: 'Het bestand is leeg: het bevat geen CODA-uittreksel.',
    fr: 'Le fichier est vide : il ne contient aucun extrait CODA.',
  },
  coda_too_large: {
    en: 'The file is {1} MB, more than the {2} MB limit for bank statements.',
    nl: 'Het bestand is {1} MB, meer dan de limiet van {2} MB voor rekeninguittreksels.',
    fr: 'Le fichier fait {1} Mo, plus que la limite de {2} Mo pour des extraits de compte.',
  },
  coda_line_length: {
    en: 'Line {1} has {2} characters; every CODA line has exactly {3}. The file is not CODA, or it was cut or changed.',
    nl: 'Regel {1} telt {2} tekens; elke CODA-regel telt er precies {3}. Het bestand is geen CODA, of het werd afgekapt of gewijzigd.',
    fr: 'La ligne {1} compte {2} caractères ; chaque ligne CODA en compte exactement {3}. Le fichier n’est pas du CODA, ou il a été tronqué ou modifié.',
  },
  coda_not_a_number: {
    en: 'Line {1}, positions {2} to {3}: “{4}” should be a number.',
    nl: 'Regel {1}, posities {2} tot {3}: “{4}” zou een getal moeten zijn.',
    fr: 'Ligne {1}, positions {2} à {3} : « {4} » devrait être un nombre.',
  },
  coda_bad_sign: {
    en: 'Line {1}, position {2}: the sign of an amount is 0 (credit) or 1 (debit), not “{3}”.',
    nl: 'Regel {1}, positie {2}: het teken van een bedrag is 0 (credit) of 1 (debet), niet “{3}”.',
    fr: 'Ligne {1}, position {2} : le signe d’un montant est 0 (crédit) ou 1 (débit), pas « {3} ».',
  },
  coda_bad_date: {
    en: 'Line {1}, positions {2} to {3}: “{4}” is not a date (DDMMYY).',
    nl: 'Regel {1}, posities {2} tot {3}: “{4}” is geen datum (DDMMJJ).',
    fr: 'Ligne {1}, positions {2} à {3} : « {4} » n’est pas une date (JJMMAA).',
  },
  coda_expected_header: {
    en: 'Line {1}: a statement starts with a header record (0), not a record {2}.',
    nl: 'Regel {1}: een uittreksel begint met een hoofdrecord (0), niet met een record {2}.',
    fr: 'Ligne {1} : un extrait commence par un enregistrement d’en-tête (0), pas par un enregistrement {2}.',
  },
  coda_version: {
    en: 'Line {1}: CODA version “{2}” is not supported (versions 1 and 2 are).',
    nl: 'Regel {1}: CODA-versie “{2}” wordt niet ondersteund (versies 1 en 2 wel).',
    fr: 'Ligne {1} : la version CODA « {2} » n’est pas prise en charge (les versions 1 et 2 le sont).',
  },
  coda_unknown_record: {
    en: 'Line {1} starts with “{2}”, which is no CODA record type.',
    nl: 'Regel {1} begint met “{2}”, geen CODA-recordtype.',
    fr: 'La ligne {1} commence par « {2} », qui n’est pas un type d’enregistrement CODA.',
  },
  coda_record_order: {
    en: 'Line {1}: a record {2} cannot follow a record {3}; records are missing or out of order.',
    nl: 'Regel {1}: een record {2} kan niet volgen op een record {3}; er ontbreken records of ze staan in de verkeerde volgorde.',
    fr: 'Ligne {1} : un enregistrement {2} ne peut pas suivre un enregistrement {3} ; des enregistrements manquent ou sont dans le désordre.',
  },
  coda_missing_trailer: {
    en: 'The statement that starts at line {1} is not closed by its new balance (record 8) and trailer (record 9) by line {2}.',
    nl: 'Het uittreksel dat op regel {1} begint, wordt tegen regel {2} niet afgesloten met zijn nieuw saldo (record 8) en slotrecord (record 9).',
    fr: 'L’extrait qui commence à la ligne {1} n’est pas clos par son nouveau solde (enregistrement 8) et son enregistrement final (9) à la ligne {2}.',
  },
  coda_account_changed: {
    en: 'Line {1}: the new balance is for account {3}, but the statement opened for account {2}.',
    nl: 'Regel {1}: het nieuw saldo hoort bij rekening {3}, maar het uittreksel werd geopend voor rekening {2}.',
    fr: 'Ligne {1} : le nouveau solde porte sur le compte {3}, mais l’extrait a été ouvert pour le compte {2}.',
  },
  coda_number_changed: {
    en: 'Line {1}: the new balance names statement {3}, but the statement opened as number {2}.',
    nl: 'Regel {1}: het nieuw saldo vermeldt uittreksel {3}, maar het uittreksel werd geopend als nummer {2}.',
    fr: 'Ligne {1} : le nouveau solde mentionne l’extrait {3}, mais l’extrait a été ouvert sous le numéro {2}.',
  },
  coda_record_count: {
    en: 'Statement {1} of account {2}: the trailer (line {5}) counts {3} records, but the statement has {4}. Records were lost or added.',
    nl: 'Uittreksel {1} van rekening {2}: het slotrecord (regel {5}) telt {3} records, maar het uittreksel heeft er {4}. Er gingen records verloren of er werden er toegevoegd.',
    fr: 'Extrait {1} du compte {2} : l’enregistrement final (ligne {5}) compte {3} enregistrements, mais l’extrait en a {4}. Des enregistrements ont été perdus ou ajoutés.',
  },
  coda_debit_total: {
    en: 'Statement {1} of account {2}: the trailer’s debit total is {3}, but the debit movements add up to {4}.',
    nl: 'Uittreksel {1} van rekening {2}: het debettotaal van het slotrecord is {3}, maar de debetbewegingen tellen op tot {4}.',
    fr: 'Extrait {1} du compte {2} : le total débit de l’enregistrement final est {3}, mais les mouvements au débit totalisent {4}.',
  },
  coda_credit_total: {
    en: 'Statement {1} of account {2}: the trailer’s credit total is {3}, but the credit movements add up to {4}.',
    nl: 'Uittreksel {1} van rekening {2}: het credittotaal van het slotrecord is {3}, maar de creditbewegingen tellen op tot {4}.',
    fr: 'Extrait {1} du compte {2} : le total crédit de l’enregistrement final est {3}, mais les mouvements au crédit totalisent {4}.',
  },
  coda_balance: {
    en: 'Statement {1} of account {2}: the old balance {3} plus the movements {4} makes {5}, but the new balance is {6}.',
    nl: 'Uittreksel {1} van rekening {2}: het oud saldo {3} plus de bewegingen {4} geeft {5}, maar het nieuw saldo is {6}.',
    fr: 'Extrait {1} du compte {2} : l’ancien solde {3} plus les mouvements {4} donne {5}, mais le nouveau solde est {6}.',
  },
  coda_sequence: {
    en: 'Account {1}: statement {2} follows statement {3}; the next statement should be number {4}. A statement is missing or out of order.',
    nl: 'Rekening {1}: uittreksel {2} volgt op uittreksel {3}; het volgende uittreksel zou nummer {4} moeten zijn. Er ontbreekt een uittreksel of de volgorde klopt niet.',
    fr: 'Compte {1} : l’extrait {2} suit l’extrait {3} ; l’extrait suivant devrait porter le numéro {4}. Un extrait manque ou l’ordre est incorrect.',
  },
  coda_chain: {
    en: 'Account {1}: statement {2} opens with balance {3}, but statement {4} closed with {5}.',
    nl: 'Rekening {1}: uittreksel {2} opent met saldo {3}, maar uittreksel {4} sloot af met {5}.',
    fr: 'Compte {1} : l’extrait {2} s’ouvre sur un solde de {3}, mais l’extrait {4} s’est clôturé sur {5}.',
  },
  // Sending (lib/coda/send.ts, the CLI's coda:send).
  coda_sent: {
    en: 'Sent to Octopus dossier {1}: statement {2} (new balance {3}).',
    nl: 'Naar Octopus-dossier {1} gestuurd: uittreksel {2} (nieuw saldo {3}).',
    fr: 'Envoyé au dossier Octopus {1} : extrait {2} (nouveau solde {3}).',
  },
  coda_already_sent: {
    en: 'Statement {1} was already sent to dossier {2} on {3}; it is not sent again.',
    nl: 'Uittreksel {1} werd al op {3} naar dossier {2} gestuurd; het wordt niet opnieuw gestuurd.',
    fr: 'L’extrait {1} a déjà été envoyé au dossier {2} le {3} ; il n’est pas renvoyé.',
  },
  coda_outcome_unknown: {
    en: 'Statement {1} of account {2} was sent to dossier {3} on {4}, but no answer came back, so it is not sent again by itself. Look in Octopus whether it arrived.',
    nl: 'Uittreksel {1} van rekening {2} werd op {4} naar dossier {3} gestuurd, maar er kwam geen antwoord, dus het wordt niet vanzelf opnieuw gestuurd. Kijk in Octopus of het aankwam.',
    fr: 'L’extrait {1} du compte {2} a été envoyé au dossier {3} le {4}, mais aucune réponse n’est revenue : il n’est donc pas renvoyé automatiquement. Vérifiez dans Octopus s’il est arrivé.',
  },
  coda_again_hint: {
    en: 'If it did not arrive, send it again with --again.',
    nl: 'Kwam het niet aan, stuur het dan opnieuw met --again.',
    fr: 'S’il n’est pas arrivé, renvoyez-le avec --again.',
  },
  coda_answer_lost: {
    en: 'Octopus may have imported the statements: they are not sent again until you have checked (see --again).',
    nl: 'Octopus heeft de uittreksels misschien ingelezen: ze worden niet opnieuw gestuurd tot u het nagekeken hebt (zie --again).',
    fr: 'Octopus a peut-être importé les extraits : ils ne seront pas renvoyés avant votre vérification (voir --again).',
  },
  // Routing (lib/coda/routing.ts).
  coda_account_unknown: {
    en: 'Account {1} belongs to no dossier yet: add it to a dossier’s settings (with its financial journal), then send again.',
    nl: 'Rekening {1} hoort nog bij geen enkel dossier: voeg ze toe in de instellingen van een dossier (met haar financieel dagboek) en verstuur opnieuw.',
    fr: 'Le compte {1} n’appartient encore à aucun dossier : ajoutez-le dans les paramètres d’un dossier (avec son journal financier), puis renvoyez.',
  },
  coda_account_ambiguous: {
    en: 'Account {1} is set in several dossiers ({2}); keep it in one only, then send again.',
    nl: 'Rekening {1} staat in meerdere dossiers ({2}); houd ze in één dossier en verstuur opnieuw.',
    fr: 'Le compte {1} figure dans plusieurs dossiers ({2}) ; ne le gardez que dans un seul, puis renvoyez.',
  },
  coda_account_not_for_site: {
    en: 'Account {1} belongs to dossier {2}, which this site does not book into; it was not sent.',
    nl: 'Rekening {1} hoort bij dossier {2}, waarin deze site niet boekt; ze werd niet verstuurd.',
    fr: 'Le compte {1} appartient au dossier {2}, dans lequel ce site ne comptabilise pas ; il n’a pas été envoyé.',
  },
  coda_gap: {
    en: 'Account {1}: statement {2} is not sent, as the last statement sent of this account is {3}; send the ones in between first.',
    nl: 'Rekening {1}: uittreksel {2} wordt niet verstuurd, want het laatst verstuurde uittreksel van deze rekening is {3}; verstuur eerst de tussenliggende.',
    fr: 'Compte {1} : l’extrait {2} n’est pas envoyé, car le dernier extrait envoyé de ce compte est le {3} ; envoyez d’abord ceux qui manquent entre les deux.',
  },
  // The popup's drop zone (components/CodaDrop.tsx).
  coda_title: { en: 'Send bank statements (CODA)', nl: 'Rekeninguittreksels versturen (CODA)', fr: 'Envoyer des extraits de compte (CODA)' },
  coda_drop: {
    en: 'Drop one or more CODA files here, or choose them',
    nl: 'Sleep hier een of meer CODA-bestanden naartoe, of kies ze',
    fr: 'Déposez ici un ou plusieurs fichiers CODA, ou choisissez-les',
  },
  coda_col_account: { en: 'Account', nl: 'Rekening', fr: 'Compte' },
  coda_col_statement: { en: 'Statement', nl: 'Uittreksel', fr: 'Extrait' },
  coda_col_date: { en: 'Date', nl: 'Datum', fr: 'Date' },
  coda_col_old_balance: { en: 'Old balance', nl: 'Oud saldo', fr: 'Ancien solde' },
  coda_col_new_balance: { en: 'New balance', nl: 'Nieuw saldo', fr: 'Nouveau solde' },
  coda_col_movements: { en: 'Movements', nl: 'Bewegingen', fr: 'Mouvements' },
  coda_col_destination: { en: 'Goes to', nl: 'Gaat naar', fr: 'Destination' },
  coda_send: { en: 'Send to Octopus', nl: 'Naar Octopus sturen', fr: 'Envoyer vers Octopus' },
  coda_outcome_sent: { en: 'Sent to {1}', nl: 'Verstuurd naar {1}', fr: 'Envoyé à {1}' },
  coda_outcome_already_sent: { en: 'Already in {1}; not sent again', nl: 'Al in {1}; niet opnieuw verstuurd', fr: 'Déjà dans {1} ; pas renvoyé' },
  // The dossier settings' bank accounts (components/CodaAccountsSettings.tsx).
  coda_settings_title: { en: 'Bank statements (CODA)', nl: 'Rekeninguittreksels (CODA)', fr: 'Extraits de compte (CODA)' },
  coda_settings_intro: {
    en: 'The bank accounts whose statements go to this dossier, each into one of its financial journals. A statement of an account not listed in any dossier waits for you.',
    nl: 'De bankrekeningen waarvan de uittreksels naar dit dossier gaan, elk in een van zijn financiële dagboeken. Een uittreksel van een rekening die in geen enkel dossier staat, wacht op u.',
    fr: 'Les comptes bancaires dont les extraits vont dans ce dossier, chacun dans l’un de ses journaux financiers. Un extrait d’un compte repris dans aucun dossier vous attend.',
  },
  coda_settings_journal: { en: 'Financial journal', nl: 'Financieel dagboek', fr: 'Journal financier' },
  coda_settings_add: { en: 'Add an account', nl: 'Rekening toevoegen', fr: 'Ajouter un compte' },
  coda_settings_remove: { en: 'Remove', nl: 'Verwijderen', fr: 'Supprimer' },
  coda_settings_save: { en: 'Save the accounts', nl: 'Rekeningen bewaren', fr: 'Enregistrer les comptes' },
  coda_settings_bad_iban: {
    en: '“{1}” is not a valid IBAN; nothing was saved.',
    nl: '“{1}” is geen geldig IBAN-nummer; er werd niets bewaard.',
    fr: '« {1} » n’est pas un IBAN valide ; rien n’a été enregistré.',
  },
  coda_settings_no_journal: {
    en: 'Choose the financial journal of account {1}; nothing was saved.',
    nl: 'Kies het financieel dagboek van rekening {1}; er werd niets bewaard.',
    fr: 'Choisissez le journal financier du compte {1} ; rien n’a été enregistré.',
  },
};
