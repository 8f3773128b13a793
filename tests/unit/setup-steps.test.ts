import { describe, expect, it } from 'vitest';
import { dossierReady, setupSteps } from '../../lib/extension/setup';
import type { ReferenceImport } from '../../lib/octopus/import';

const imported = (journals: ReferenceImport['journals']) => ({ journals }) as unknown as ReferenceImport;
const octopusJournals = imported([
  { key: 'V1', side: 'sales' },
  { key: 'A1', side: 'purchases' },
  { key: 'F1', name: 'KBC' },
]);
const dossier = { id: 'd1', name: 'Demo BV', journals: { sales: 'V1', purchases: 'A1' } };
const states = (steps: ReturnType<typeof setupSteps>) => steps.map((s) => `${s.id}:${s.state}`);

describe('the guided set-up', () => {
  it('starts at connecting, with every later step waiting', () => {
    const steps = setupSteps({ connections: [], dossiers: [], sites: [] });
    expect(states(steps)).toEqual(['connect:next', 'dossiers:todo', 'journals:todo', 'site:todo']);
    expect(steps[0]!.section).toBe('connection');
  });

  it('asks for the import and journals of the first dossier not ready, by name', () => {
    const steps = setupSteps({ connections: [{ user: 'demo' }], dossiers: [dossier], sites: [] });
    expect(states(steps)).toEqual(['connect:done', 'dossiers:done', 'journals:next', 'site:todo']);
    expect(steps[0]!.text).toEqual({ key: 'setup_connect_done', params: ['demo'] });
    expect(steps[2]!.text).toEqual({ key: 'setup_journals_todo_dossier', params: ['Demo BV'] });
    expect(steps[2]!.dossierId).toBe('d1');
  });

  it('counts only a site bound to a dossier in use', () => {
    const facts = { connections: [{ user: 'demo' }], dossiers: [dossier], imports: { d1: octopusJournals } };
    expect(states(setupSteps({ ...facts, sites: [{ dossierIds: ['removed-dossier'] }] })).at(-1)).toBe('site:next');
    const done = setupSteps({ ...facts, sites: [{ dossierIds: ['d1'] }] });
    expect(done.every((s) => s.state === 'done')).toBe(true);
    expect(done[3]!.text).toEqual({ key: 'setup_site_done', params: ['1'] });
  });

  it('takes a dossier as ready only when its journals are Octopus journals of their side', () => {
    expect(dossierReady(dossier, undefined)).toBe(false);
    expect(dossierReady(dossier, octopusJournals)).toBe(true);
    // The default V1/A1 where the dossier has other journals, or the bank journal chosen for sales, are not ready.
    expect(dossierReady(dossier, imported([{ key: 'V2', side: 'sales' }, { key: 'A1', side: 'purchases' }]))).toBe(false);
    expect(dossierReady({ ...dossier, journals: { sales: 'F1', purchases: 'A1' } }, octopusJournals)).toBe(false);
    expect(dossierReady({ ...dossier, journals: { sales: 'V1', purchases: 'A1', salesCreditNotes: 'A1' } }, octopusJournals)).toBe(false);
  });
});
