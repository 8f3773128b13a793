import { cleanIban, formatIban } from '../identifiers';
import type { Dossier } from '../model/dossier';
import type { LocalizedText } from '../model/transfer';
import { accountKey, type CodaStatement } from './model';

/** Where one statement goes: a dossier's financial journal, or nowhere yet, with the reason in words. */
export type CodaRoute =
  | { kind: 'dossier'; dossierId: string; octopusDossierId: number; journal: string }
  | { kind: 'waits'; reason: LocalizedText };

export interface CodaRoutingOptions {
  /** The dossiers the site the file came from may book into (the firm's site rule); absent: any dossier. */
  allowedDossierIds?: readonly string[];
}

/** Financial journals are the F journals in Octopus; the dossier settings offer these for an account. */
export function isFinancialJournalKey(key: string): boolean {
  return /^F\w*$/i.test(key);
}

/**
 * The dossier and financial journal of a statement, by its account (set in the dossier settings). An account set
 * in no dossier, in several, or in a dossier the site may not book into waits for the user: a statement in the
 * wrong dossier's books is the worst outcome, so nothing is guessed.
 */
export function routeStatement(statement: CodaStatement, dossiers: readonly Dossier[], options: CodaRoutingOptions = {}): CodaRoute {
  const account = cleanIban(accountKey(statement.account));
  const shown = statement.account.iban ? formatIban(account) : account;
  const matches = dossiers.flatMap((d) => (d.codaAccounts ?? []).filter((a) => cleanIban(a.iban) === account).map((a) => ({ dossier: d, journal: a.journal })));
  if (matches.length === 0) return { kind: 'waits', reason: { key: 'coda_account_unknown', params: [shown] } };
  if (matches.length > 1) {
    return { kind: 'waits', reason: { key: 'coda_account_ambiguous', params: [shown, matches.map((m) => m.dossier.name).join(', ')] } };
  }
  const [{ dossier, journal }] = matches as [(typeof matches)[number]];
  if (options.allowedDossierIds && !options.allowedDossierIds.includes(dossier.id)) {
    return { kind: 'waits', reason: { key: 'coda_account_not_for_site', params: [shown, dossier.name] } };
  }
  return { kind: 'dossier', dossierId: dossier.id, octopusDossierId: dossier.octopusDossierId, journal };
}
