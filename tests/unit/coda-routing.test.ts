import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCoda } from '../../lib/coda/reader';
import { isFinancialJournalKey, routeStatement } from '../../lib/coda/routing';
import { dossier as dossierSchema, type DossierInput } from '../../lib/model/dossier';
import { translatorFor } from '../../lib/i18n';

const statementOf = (file: string) => readCoda(new Uint8Array(readFileSync(join(import.meta.dirname, '../fixtures/coda', file)))).statements[0]!;
const make = (input: Partial<DossierInput> & Pick<DossierInput, 'id' | 'name'>) =>
  dossierSchema.parse({ octopusDossierId: 1001, connectionId: 'c1', ...input });

describe('CODA routing by account', () => {
  const bakery = make({ id: 'd1', name: 'Bakkerij Janssens', codaAccounts: [{ iban: 'BE68539007547034', journal: 'F2' }] });
  const atelier = make({ id: 'd2', name: 'Atelier Dupont', octopusDossierId: 1002, codaAccounts: [{ iban: 'NL91ABNA0417164300', journal: 'F1' }] });
  const other = make({ id: 'd3', name: 'Zonder rekeningen' });

  it('sends a statement to the dossier and financial journal its account is set in', () => {
    expect(routeStatement(statementOf('bank-a-v2-two-statements.cod'), [other, atelier, bakery])).toEqual({ kind: 'dossier', dossierId: 'd1', octopusDossierId: 1001, journal: 'F2' });
    expect(routeStatement(statementOf('bank-b-v2-free-text.cod'), [bakery, atelier])).toMatchObject({ kind: 'dossier', dossierId: 'd2', journal: 'F1' });
  });

  it('finds a version-1 statement (a Belgian 12-digit account) by the IBAN the account has', () => {
    expect(routeStatement(statementOf('bank-c-v1.cod'), [bakery])).toMatchObject({ kind: 'dossier', dossierId: 'd1' });
  });

  it('an unknown account waits, with the reason in words', () => {
    const route = routeStatement(statementOf('bank-a-v2-two-statements.cod'), [atelier, other]);
    expect(route.kind).toBe('waits');
    if (route.kind !== 'waits') return;
    expect(translatorFor('en').t(route.reason.key, route.reason.params)).toBe(
      'Account BE68 5390 0754 7034 belongs to no dossier yet: add it to a dossier’s settings (with its financial journal), then send again.',
    );
  });

  it('an account set in two dossiers waits rather than guess', () => {
    const twice = make({ id: 'd4', name: 'Kopie', codaAccounts: [{ iban: 'BE68539007547034', journal: 'F1' }] });
    const route = routeStatement(statementOf('bank-a-v2-two-statements.cod'), [bakery, twice]);
    expect(route).toEqual({ kind: 'waits', reason: { key: 'coda_account_ambiguous', params: ['BE68 5390 0754 7034', 'Bakkerij Janssens, Kopie'] } });
  });

  it('the site’s dossiers rule applies: an account of another dossier is not sent from that site', () => {
    const route = routeStatement(statementOf('bank-a-v2-two-statements.cod'), [bakery, atelier], { allowedDossierIds: ['d2'] });
    expect(route).toEqual({ kind: 'waits', reason: { key: 'coda_account_not_for_site', params: ['BE68 5390 0754 7034', 'Bakkerij Janssens'] } });
    expect(routeStatement(statementOf('bank-a-v2-two-statements.cod'), [bakery], { allowedDossierIds: ['d1'] }).kind).toBe('dossier');
  });

  it('offers the F journals as financial journals', () => {
    expect(['V1', 'F1', 'A1', 'F2', 'D1'].filter(isFinancialJournalKey)).toEqual(['F1', 'F2']);
  });

  it('keeps accounts that are not IBANs out of the settings', () => {
    expect(() => make({ id: 'x', name: 'x', codaAccounts: [{ iban: '539007547034', journal: 'F1' }] })).toThrow();
  });
});
