import type { Dossier } from '../model/dossier';
import type { VatCategory } from '../model/invoice';
import type { OctopusClient, RequestInfo } from './client';
import { journalSide, vatCodeSide, vatCodeSideByPrefix, vatCodeSideByType, vatSideInConflict, type OctopusJournal, type OctopusVatCode, type VatSide, type VatSideReading } from './api';
import { chooseVatCode, OctopusReferenceData, type ReferenceCache, type ReferencePart } from './booking';
import type { BudgetLine } from './budget';
import { isOctopusError } from './errors';
import type { LocalizedText } from '../model/transfer';

/** One HTTP exchange of an import, as the options page shows it (Billit shows its "communication log" so). */
export interface ImportLogEntry {
  at: string;
  operation: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
}

/** How one VAT category and rate maps to the dossier's code, or why it does not. */
export interface VatMappingRow {
  key: string; // "S:21"
  side: 'sales' | 'purchases';
  code?: string;
  /** Set when the mapping came from the dossier's override table. */
  overridden: boolean;
  problem?: LocalizedText;
}

export interface ReferenceImport {
  dossierId: string;
  importedAt: string;
  bookyear?: { id: number; label: string; periods: number };
  journals: { key: string; name?: string; side?: 'sales' | 'purchases'; lastBookedDocumentNr?: number }[];
  vatCodes: ImportedVatCode[];
  accounts: number;
  /** When the kept accounts and VAT codes were read from Octopus (ISO): they are not re-read on every import. */
  fetchedAt?: Partial<Record<ReferencePart, string>>;
  vatMapping: VatMappingRow[];
  log: ImportLogEntry[];
  /** The first part that failed (the others were still imported). */
  error?: { text: LocalizedText; detail: string };
  /** Every part that failed, with its own reason. */
  problems?: { part: ReferencePart; text: LocalizedText; detail: string }[];
  /** Today's calls per endpoint after the import (what a refresh would cost and what is left). */
  budget?: BudgetLine[];
}

/** A VAT code as the options page shows it, with both readings of its side. */
export interface ImportedVatCode {
  code: string;
  description?: string;
  percentage: number;
  /** The side it is used for; absent while `type` and the D prefix disagree and the dossier has no answer. */
  side?: VatSide;
  /** The side its `type` names (1 = purchases, 2 = sales, a guess), if any. */
  typeSide?: VatSide;
  /** The side its name says (D… = purchases). */
  prefixSide: VatSide;
  /** The two readings disagree for this code. */
  conflict: boolean;
}

export function importedVatCodes(vatCodes: readonly OctopusVatCode[], reading?: VatSideReading): ImportedVatCode[] {
  return vatCodes.map((v) => {
    const side = vatCodeSide(v, reading);
    const typeSide = vatCodeSideByType(v);
    return {
      code: v.code,
      ...(v.description ? { description: v.description } : {}),
      percentage: v.basePercentage,
      ...(side ? { side } : {}),
      ...(typeSide ? { typeSide } : {}),
      prefixSide: vatCodeSideByPrefix(v),
      conflict: vatSideInConflict(v),
    };
  });
}

/** The Belgian categories and rates a dossier is expected to book (the rows of the VAT-mapping table). */
export const VAT_MAPPING_KEYS: readonly { category: VatCategory; rate: string }[] = [
  { category: 'S', rate: '21' },
  { category: 'S', rate: '12' },
  { category: 'S', rate: '6' },
  { category: 'Z', rate: '0' },
  { category: 'E', rate: '0' },
  { category: 'AE', rate: '0' },
  { category: 'K', rate: '0' },
  { category: 'G', rate: '0' },
  { category: 'O', rate: '0' },
];

export function vatMapping(vatCodes: readonly OctopusVatCode[], overrides: Readonly<Record<string, string>>, reading?: VatSideReading): VatMappingRow[] {
  const rows: VatMappingRow[] = [];
  for (const side of ['sales', 'purchases'] as const) {
    for (const { category, rate } of VAT_MAPPING_KEYS) {
      const key = `${category}:${rate}`;
      const overridden = [`${side}:${key}`, `${side}:${category}`, key, category].some((k) => k in overrides);
      try {
        rows.push({ key, side, code: chooseVatCode(vatCodes, { side, category, rate }, overrides, reading), overridden });
      } catch (error) {
        rows.push({ key, side, overridden, problem: isOctopusError(error) ? error.text : { key: 'error_unexpected', params: [] } });
      }
    }
  }
  return rows;
}

/**
 * Reads a dossier's reference data into the cache the bookings use, and says what it found. Bookyears and journals
 * (24 reads a day) are read afresh; accounts and VAT codes (2 a day) are read only when not kept yet or when the
 * user asks for a `refresh`. The unfiltered relation list (2 a day, and HTTP 400 on some dossiers) is not read.
 * A part that fails does not stop the others. `client` should report its exchanges to `log` (onRequest).
 */
export async function importReferenceData(
  client: OctopusClient,
  dossier: Dossier,
  cache: ReferenceCache,
  log: ImportLogEntry[],
  now: () => Date,
  options: { refresh?: boolean } = {},
): Promise<ReferenceImport> {
  const result: ReferenceImport = {
    dossierId: dossier.id,
    importedAt: now().toISOString(),
    journals: [],
    vatCodes: [],
    accounts: 0,
    vatMapping: [],
    log,
  };
  const refs = new OctopusReferenceData(client, dossier.octopusDossierId, cache, undefined, undefined, { now });
  const problems: NonNullable<ReferenceImport['problems']> = [];
  const part = async (name: ReferencePart, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      problems.push({
        part: name,
        ...(isOctopusError(error)
          ? { text: error.text, detail: error.message }
          : { text: { key: 'error_unexpected', params: [] }, detail: String(error) }),
      });
    }
  };
  const fresh = options.refresh === true;
  await part('bookyears', async () => {
    const bookyears = await refs.bookyears(true);
    const today = now().toISOString().slice(0, 10);
    const current =
      bookyears.find((b) => String(b.startDate).slice(0, 10) <= today && today <= String(b.endDate).slice(0, 10)) ??
      [...bookyears].sort((a, b) => String(b.startDate).localeCompare(String(a.startDate)))[0];
    if (!current) return;
    result.bookyear = { id: current.bookyearKey.id, label: current.bookyearDescription ?? String(current.bookyearKey.id), periods: current.periods.length };
  });
  const bookyearId = result.bookyear?.id;
  if (bookyearId !== undefined) {
    await part('journals', async () => {
      const journals: OctopusJournal[] = await refs.journals(bookyearId, true);
      result.journals = journals.map((j) => ({
        key: j.journalKey,
        ...(j.name ? { name: j.name } : {}),
        ...(journalSide(j.journalKey) ? { side: journalSide(j.journalKey)! } : {}),
        ...(typeof j.lastBookedDocumentNr === 'number' ? { lastBookedDocumentNr: j.lastBookedDocumentNr } : {}),
      }));
    });
    await part('accounts', async () => {
      result.accounts = (await refs.accounts(bookyearId, fresh)).size;
    });
  }
  await part('vatcodes', async () => {
    const vatCodes = await refs.vatCodes(fresh);
    result.vatCodes = importedVatCodes(vatCodes, dossier.vatSideReading);
    result.vatMapping = vatMapping(vatCodes, dossier.vatCodeOverrides, dossier.vatSideReading);
  });
  const fetchedAt: Partial<Record<ReferencePart, string>> = {};
  for (const name of ['bookyears', 'journals', 'accounts', 'vatcodes'] as const) {
    const at = await refs.fetchedAt(name, bookyearId);
    if (at) fetchedAt[name] = at;
  }
  result.fetchedAt = fetchedAt;
  if (problems.length > 0) {
    result.problems = problems;
    result.error = { text: problems[0]!.text, detail: problems[0]!.detail };
  }
  return result;
}

export function logEntryOf(info: RequestInfo, at: Date): ImportLogEntry {
  return { at: at.toISOString(), operation: info.operation, method: info.method, path: info.path, status: info.status, durationMs: info.durationMs };
}
