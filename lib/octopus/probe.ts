/**
 * `octopus:probe`: what a firm with real credentials runs once to settle the points the public evidence leaves
 * open (docs octopus-api-evidence.md, "To settle"), in at most 6 calls: log in, open the dossier, read the VAT
 * codes, read one bookyear's journals, look up a relation that cannot exist, read the /modified feed from a
 * time still to come. It writes nothing. The findings are localized texts; the CLI prints them.
 */
import type { LocalizedText } from '../model/transfer';
import { ALL_BOOKYEARS, HTTP_STATUS, PATHS, QUERY, errorBodySchema, formatModifiedTimeStamp, vatCodeSideByPrefix, vatCodeSideByType, type OctopusJournal, type OctopusVatCode } from './api';
import type { OctopusClient } from './client';
import { OCTOPUS_MESSAGE_KEYS as K, isOctopusError, type OctopusMessageKey } from './errors';

/** No external id octobridge makes is this one: app ids stay below 1e9 and hashed ids below 2^31 − 1. */
export const IMPOSSIBLE_EXTERNAL_RELATION_ID = 2_147_483_647;
/** The most calls the probe may make, token calls included. */
export const PROBE_MAX_CALLS = 6;

export type ProbeTopic = 'vat-type' | 'period-unit' | 'relation-filter' | 'empty-feed' | 'coda-import';

export interface ProbeFinding {
  topic: ProbeTopic;
  /** The finding answers the open point (true) or leaves it open (false). */
  settled: boolean;
  text: LocalizedText;
  /** What was seen, verbatim (codes and types, values, status and Octopus's words). */
  seen?: string;
}

export interface ProbeReport {
  dossierId: number;
  bookyearId: number;
  findings: ProbeFinding[];
  /** HTTP exchanges the probe made (tokens included). */
  calls: number;
}

const text = (key: OctopusMessageKey, ...params: (string | number)[]): LocalizedText => ({ key, params: params.map(String) });

function failed(topic: ProbeTopic, what: string, error: unknown): ProbeFinding {
  const detail = isOctopusError(error) ? `${error.httpStatus ? `HTTP ${error.httpStatus}: ` : ''}${error.detail}` : String(error);
  return { topic, settled: false, text: text(K.probeFailed, what, detail) };
}

/** `type` against the D prefix over the dossier's codes. */
export function vatTypeFinding(codes: readonly OctopusVatCode[]): ProbeFinding {
  const typed = codes.filter((c) => vatCodeSideByType(c) !== undefined);
  const seen = codes.map((c) => `${c.code}:${c.type ?? '-'}`).join(' ');
  if (typed.length === 0) {
    const types = [...new Set(codes.map((c) => String(c.type ?? '-')))].join(', ') || '-';
    return { topic: 'vat-type', settled: false, text: text(K.probeVatNone, types), seen };
  }
  const disagree = typed.filter((c) => vatCodeSideByType(c) !== vatCodeSideByPrefix(c));
  if (disagree.length === 0) return { topic: 'vat-type', settled: true, text: text(K.probeVatAgree, typed.length), seen };
  if (disagree.length === typed.length) return { topic: 'vat-type', settled: true, text: text(K.probeVatReversed, typed.length), seen };
  return {
    topic: 'vat-type',
    settled: false,
    text: text(K.probeVatMixed, typed.length - disagree.length, disagree.length, disagree.map((c) => c.code).join(', ')),
    seen,
  };
}

type PeriodUnit = 'yyyypp' | 'index' | 'unknown';

function unitOf(value: number): PeriodUnit {
  const pp = value % 100;
  if (value >= 190_001 && pp >= 1 && pp <= 24) return 'yyyypp';
  if (value >= 1 && value <= 24) return 'index';
  return 'unknown';
}

/** The unit of closedPeriod / protectedPeriod, from the non-zero values of one bookyear's journals. */
export function periodUnitFinding(journals: readonly OctopusJournal[], bookyearId: number): ProbeFinding {
  const values = journals.flatMap((j) =>
    (['closedPeriod', 'protectedPeriod'] as const).filter((f) => (j[f] ?? 0) !== 0).map((f) => ({ label: `${j.journalKey}.${f}=${j[f]}`, unit: unitOf(j[f]!) })),
  );
  const seen = values.map((v) => v.label).join(' ');
  if (values.length === 0) return { topic: 'period-unit', settled: false, text: text(K.probePeriodNone, bookyearId) };
  const units = new Set(values.map((v) => v.unit));
  const [unit] = [...units];
  if (units.size === 1 && unit !== 'unknown') {
    return { topic: 'period-unit', settled: true, text: text(unit === 'yyyypp' ? K.probePeriodYyyypp : K.probePeriodIndex, seen) };
  }
  return { topic: 'period-unit', settled: false, text: text(K.probePeriodMixed, seen) };
}

function octopusWords(json: unknown): string {
  const body = errorBodySchema.safeParse(json);
  if (!body.success) return '';
  const parts = [
    body.data.errorCode !== undefined && body.data.errorCode !== null ? `errorCode ${body.data.errorCode}` : '',
    body.data.errorMessage ? `"${body.data.errorMessage}"` : '',
    body.data.technicalInfo ? `(${body.data.technicalInfo})` : '',
  ].filter(Boolean);
  return parts.join(' ');
}

/** Runs the probe. `now` places the feed's timestamp a year ahead, where nothing can have changed. */
export async function probeOctopus(client: OctopusClient, dossierId: number, options: { bookyearId: number; now: Date }): Promise<ProbeReport> {
  const start = client.requestCount;
  const findings: ProbeFinding[] = [];

  try {
    findings.push(vatTypeFinding(await client.vatCodes(dossierId)));
  } catch (error) {
    findings.push(failed('vat-type', 'GET vatcodes', error));
    // No session: the other probes would fail the same way and only spend calls.
    if (isOctopusError(error) && (error.kind === 'login' || error.kind === 'access' || error.kind === 'network')) {
      return { dossierId, bookyearId: options.bookyearId, findings, calls: client.requestCount - start };
    }
  }

  try {
    findings.push(periodUnitFinding(await client.journals(dossierId, options.bookyearId), options.bookyearId));
  } catch (error) {
    findings.push(failed('period-unit', `GET journals (bookyear ${options.bookyearId})`, error));
  }

  try {
    const res = await client.rawGet(dossierId, 'probe relations filter', PATHS.relations(dossierId), { [QUERY.extRelationId]: IMPOSSIBLE_EXTERNAL_RELATION_ID });
    const words = octopusWords(res.json);
    if (res.status === HTTP_STATUS.notFound || (res.status === HTTP_STATUS.ok && Array.isArray(res.json) && res.json.length === 0)) {
      findings.push({ topic: 'relation-filter', settled: true, text: text(K.probeFilterHonoured, res.status), seen: `${res.status} ${words}`.trim() });
    } else if (res.status === HTTP_STATUS.ok && Array.isArray(res.json)) {
      findings.push({ topic: 'relation-filter', settled: true, text: text(K.probeFilterIgnored, res.json.length), seen: `${res.status}, ${res.json.length}` });
    } else {
      findings.push({ topic: 'relation-filter', settled: false, text: text(K.probeFilterRefused, res.status, words || '-'), seen: `${res.status} ${words}`.trim() });
    }
  } catch (error) {
    findings.push(failed('relation-filter', 'GET relations', error));
  }

  try {
    const future = new Date(options.now.getTime() + 365 * 24 * 60 * 60_000);
    const res = await client.rawGet(dossierId, 'probe empty feed', PATHS.buySellBookingsModified(dossierId), {
      [QUERY.bookyearId]: ALL_BOOKYEARS,
      [QUERY.modifiedTimeStamp]: formatModifiedTimeStamp(future),
    });
    const words = octopusWords(res.json) || (Array.isArray(res.json) ? `[${res.json.length}]` : '-');
    // The evidence (S9, seen live) says 404 "No modified bookings found"; an empty 200 would settle it too.
    const empty = res.status === HTTP_STATUS.notFound || (res.status === HTTP_STATUS.ok && Array.isArray(res.json) && res.json.length === 0);
    findings.push({ topic: 'empty-feed', settled: empty, text: text(empty ? K.probeFeed : K.probeFeedUnexpected, res.status, words) });
  } catch (error) {
    findings.push(failed('empty-feed', 'GET buysellbookings/modified', error));
  }

  findings.push({ topic: 'coda-import', settled: false, text: text(K.probeCoda, dossierId) });
  return { dossierId, bookyearId: options.bookyearId, findings, calls: client.requestCount - start };
}
