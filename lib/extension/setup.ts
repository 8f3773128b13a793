import type { Connection, Dossier } from '../model/dossier';
import type { LocalizedText } from '../model/transfer';
import type { ReferenceImport } from '../octopus/import';

/** The options page's sections, by the anchor a firm's support can link to (options.html#sites). */
export const OPTION_SECTIONS = ['connection', 'dossiers', 'mail', 'sites', 'rules', 'support'] as const;
export type OptionSection = (typeof OPTION_SECTIONS)[number];

export type SetupStepId = 'connect' | 'dossiers' | 'journals' | 'site';
export type SetupStepState = 'done' | 'next' | 'todo';

export interface SetupStep {
  id: SetupStepId;
  state: SetupStepState;
  /** What is done, or what to do, in words. */
  text: LocalizedText;
  /** Where the step is done. */
  section: OptionSection;
  /** The dossier the step waits for (its settings are what to open). */
  dossierId?: string;
}

export interface SetupFacts {
  connections: readonly Pick<Connection, 'user'>[];
  dossiers: readonly Pick<Dossier, 'id' | 'name' | 'journals'>[];
  imports?: Readonly<Record<string, ReferenceImport | undefined>>;
  sites: readonly { dossierIds: readonly string[] }[];
}

/**
 * A dossier is ready to book once its reference data is imported and its sales and purchase journals are journals
 * of that side in Octopus (the defaults V1/A1 may not exist in the firm's dossier, so they do not count by themselves).
 */
export function dossierReady(dossier: Pick<Dossier, 'id' | 'journals'>, imported: ReferenceImport | undefined): boolean {
  if (!imported || imported.journals.length === 0) return false;
  const of = (key: string | undefined, side: 'sales' | 'purchases') => !!key && imported.journals.some((j) => j.key === key && j.side === side);
  const creditNotes = dossier.journals.salesCreditNotes;
  return of(dossier.journals.sales, 'sales') && of(dossier.journals.purchases, 'purchases') && (!creditNotes || of(creditNotes, 'sales'));
}

/** The guided set-up, derived from what is stored: the first step not done is next, the ones after it wait. */
export function setupSteps(facts: SetupFacts): SetupStep[] {
  const dossierIds = new Set(facts.dossiers.map((d) => d.id));
  const notReady = facts.dossiers.find((d) => !dossierReady(d, facts.imports?.[d.id]));
  const boundSites = facts.sites.filter((s) => s.dossierIds.some((id) => dossierIds.has(id)));
  const raw: { id: SetupStepId; done: boolean; done_text: LocalizedText; todo_text: LocalizedText; section: OptionSection; dossierId?: string }[] = [
    {
      id: 'connect',
      done: facts.connections.length > 0,
      done_text: { key: 'setup_connect_done', params: [facts.connections.map((c) => c.user).join(', ')] },
      todo_text: { key: 'setup_connect_todo', params: [] },
      section: 'connection',
    },
    {
      id: 'dossiers',
      done: facts.dossiers.length > 0,
      done_text: { key: 'setup_dossiers_done', params: [facts.dossiers.map((d) => d.name).join(', ')] },
      todo_text: { key: 'setup_dossiers_todo', params: [] },
      section: 'dossiers',
    },
    {
      id: 'journals',
      done: facts.dossiers.length > 0 && !notReady,
      done_text: { key: 'setup_journals_done', params: [] },
      todo_text: notReady ? { key: 'setup_journals_todo_dossier', params: [notReady.name] } : { key: 'setup_journals_todo', params: [] },
      section: 'dossiers',
      ...(notReady ? { dossierId: notReady.id } : {}),
    },
    {
      id: 'site',
      done: boundSites.length > 0,
      done_text: { key: 'setup_site_done', params: [String(boundSites.length)] },
      todo_text: { key: 'setup_site_todo', params: [] },
      section: 'sites',
    },
  ];
  let nextGiven = false;
  return raw.map((step) => {
    const state: SetupStepState = step.done ? 'done' : nextGiven ? 'todo' : 'next';
    if (state === 'next') nextGiven = true;
    return {
      id: step.id,
      state,
      text: step.done ? step.done_text : step.todo_text,
      section: step.section,
      ...(step.dossierId && !step.done ? { dossierId: step.dossierId } : {}),
    };
  });
}
