import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/main';
import { IMPOSSIBLE_EXTERNAL_RELATION_ID, PROBE_MAX_CALLS, periodUnitFinding, vatTypeFinding } from '../../lib/octopus/probe';
import { externalRelationIdOf } from '../../lib/octopus/booking';
import { startOctopusSimulator, SIM_DOSSIER_ID, SIM_SEED, SIM_USERS, type OctopusSimulator } from '../sandbox/octopus-sim';
import { CUSTOMER } from './octopus-fixtures';

/**
 * `octopus:probe` against the simulator, with the relation filter honoured and ignored: at most 6 calls, counted
 * at the simulator, nothing written, and each finding printed with whether it settles the open point.
 */

let sim: OctopusSimulator;
beforeAll(async () => {
  sim = await startOctopusSimulator({ port: 0 });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.reset();
  // Periods up to June 2025 are closed in V1: the unit of closedPeriod becomes visible.
  sim.closePeriod({ dossierId: SIM_DOSSIER_ID, period: 202506, bookyearId: 1, journalKey: 'V1' });
});

async function probe(args: string[] = [], env: Record<string, string> = {}) {
  const out = { stdout: '', stderr: '' };
  const code = await runCli(['octopus:probe', '--dossier', String(SIM_DOSSIER_ID), '--base-url', sim.url, ...args], {
    stdout: (t) => void (out.stdout += t),
    stderr: (t) => void (out.stderr += t),
    env: { OCTOPUS_SOFTWARE_HOUSE_UUID: SIM_SEED.softwareHouseUuid, OCTOPUS_USER: SIM_USERS.demo.user, OCTOPUS_PASSWORD: SIM_USERS.demo.password, ...env },
  });
  return { code, ...out };
}

const writes = () => sim.countRequests({ method: 'PUT' }) + sim.countRequests({ route: 'buysellbookings.post' });

describe('octopus:probe', () => {
  it('on a server that honours the relation filter: settles four points in 6 calls and writes nothing', async () => {
    const { code, stdout, stderr } = await probe();
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(sim.countRequests()).toBe(PROBE_MAX_CALLS);
    expect(PROBE_MAX_CALLS).toBe(6);
    expect(writes()).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe(`Octopus probe of dossier ${SIM_DOSSIER_ID} (bookyear 1), ${sim.url}`);
    expect(stdout).toContain('[settled] vat-type: VAT-code type: 1 = purchases, 2 = sales. It agrees with the D prefix on all 17 codes that have a type.');
    expect(stdout).toContain('seen: 21:2 12:2 06:2');
    expect(stdout).toContain('[settled] period-unit: closedPeriod and protectedPeriod are period numbers (YYYYPP), like bookyearPeriodeNr: V1.closedPeriod=202506');
    expect(stdout).toContain('[settled] relation-filter: The relation filter extRelationId is honoured: looking up an external id that cannot exist found nothing (HTTP 404).');
    expect(stdout).toContain('[settled] empty-feed: An empty /modified feed answers HTTP 404 errorCode -24 "No modified bookings found" (ERR_INSERT_BOOKING).');
    expect(stdout).toContain('[still open] coda-import: Not probed: the CODA import POST /dossiers/1001/coda (octopus-webservice.md §6.7) is unconfirmed');
    expect(lines.at(-1)).toBe('6 calls to Octopus (at most 6).');
    // What the simulator was asked: the impossible external id, and the feed from a time still to come, %20-encoded.
    expect(sim.requests({ route: 'relations.get' })[0]!.query).toBe(`?extRelationId=${IMPOSSIBLE_EXTERNAL_RELATION_ID}`);
    const feed = sim.requests({ route: 'buysellbookings.modified' })[0]!.query;
    const stamp = decodeURIComponent(/modifiedTimeStamp=([^&]+)/.exec(feed)![1]!);
    expect(feed).toContain('%20');
    expect(Date.parse(stamp.replace(' ', 'T') + 'Z')).toBeGreaterThan(Date.now() + 300 * 24 * 3600_000);
  });

  it('on a server that ignores the relation filter: says so, in 6 calls', async () => {
    sim.setIgnoreFilters(true);
    const { code, stdout } = await probe();
    expect(code).toBe(0);
    expect(sim.countRequests()).toBe(6);
    expect(writes()).toBe(0);
    expect(stdout).toContain('[settled] relation-filter: The relation filter extRelationId is NOT honoured: looking up an external id that cannot exist returned 1 relation(s).');
    expect(stdout).not.toContain('is honoured');
  });

  it('speaks Dutch, and leaves the period unit open when no period is locked in the bookyear asked', async () => {
    const { stdout } = await probe(['--bookyear', '2'], { LANG: 'nl_BE.UTF-8' });
    expect(stdout).toContain('Octopus-peiling van dossier 1001 (boekjaar 2)');
    expect(stdout).toContain('[nog open] period-unit: Geen dagboek van boekjaar 2 heeft een afgesloten of beschermde periode');
    expect(stdout).toContain('[beslecht] relation-filter: De relatiefilter extRelationId wordt toegepast');
    expect(sim.countRequests()).toBe(6);
  });

  it('stops after the first call when the login is refused', async () => {
    const { code, stdout } = await probe([], { OCTOPUS_PASSWORD: 'wrong' });
    expect(code).toBe(1);
    expect(stdout).toContain('[still open] vat-type: GET vatcodes could not be read: HTTP 401');
    expect(sim.countRequests()).toBe(1);
  });

  it('reads a reversed or mixed VAT type and period indexes for what they are', () => {
    expect(vatTypeFinding([{ code: 'D21', type: 2, basePercentage: 21 }, { code: '21', type: 1, basePercentage: 21 }])).toMatchObject({ settled: true, text: { key: 'octopus_probe_vat_reversed', params: ['2'] } });
    expect(vatTypeFinding([{ code: 'D21', type: 1, basePercentage: 21 }, { code: 'X21', type: 1, basePercentage: 21 }])).toMatchObject({ settled: false, text: { key: 'octopus_probe_vat_mixed', params: ['1', '1', 'X21'] } });
    expect(periodUnitFinding([{ journalKey: 'V1', closedPeriod: 6, protectedPeriod: 0 }], 1)).toMatchObject({ settled: true, text: { key: 'octopus_probe_period_index' } });
    expect(periodUnitFinding([{ journalKey: 'V1', closedPeriod: 6 }, { journalKey: 'A1', closedPeriod: 202506 }], 1)).toMatchObject({ settled: false, text: { key: 'octopus_probe_period_mixed' } });
    // The impossible id is beyond every external id octobridge makes.
    expect(externalRelationIdOf(CUSTOMER)).toBeLessThan(IMPOSSIBLE_EXTERNAL_RELATION_ID);
  });
});
