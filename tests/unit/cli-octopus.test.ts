import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/main';
import { startDemoSite } from '../sandbox/demo-site';
import { startOctopusSimulator, SIM_SEED, type OctopusSimulator } from '../sandbox/octopus-sim';

let sim: OctopusSimulator;
let site: Awaited<ReturnType<typeof startDemoSite>>;
let dir: string;

beforeAll(async () => {
  sim = await startOctopusSimulator({ port: 0 });
  site = await startDemoSite({ port: 0 });
  dir = mkdtempSync(join(tmpdir(), 'octobridge-cli-'));
});
afterAll(async () => {
  await sim.close();
  await site.close();
});
beforeEach(() => sim.reset());

async function ublFile(id: string): Promise<string> {
  const xml = await (await fetch(`${site.url}/invoices/${id}/ubl`)).text();
  const path = join(dir, `${id}.xml`);
  writeFileSync(path, xml);
  return path;
}

/** Each run gets its own cache folder unless a test shares one: nothing is written under the user's home. */
function io(env: Record<string, string> = {}) {
  const out = { stdout: '', stderr: '' };
  const cacheHome = mkdtempSync(join(tmpdir(), 'octobridge-cache-'));
  return {
    out,
    io: {
      stdout: (t: string) => void (out.stdout += t),
      stderr: (t: string) => void (out.stderr += t),
      env: { XDG_CACHE_HOME: cacheHome, OCTOPUS_SOFTWARE_HOUSE_UUID: SIM_SEED.softwareHouseUuid, OCTOPUS_USER: SIM_SEED.users[0]!.user, OCTOPUS_PASSWORD: SIM_SEED.users[0]!.password, ...env } as Record<string, string | undefined>,
    },
  };
}

describe('cli octopus:book', () => {
  it('books a UBL file and prints the Octopus reference', async () => {
    const file = await ublFile('2026-0001');
    const { out, io: cliIo } = io();
    const code = await runCli(['octopus:book', file, '--dossier', '1001', '--base-url', sim.url], cliIo);
    expect(out.stderr).toBe('');
    expect(code).toBe(0);
    expect(out.stdout).toMatch(/^Booked in Octopus as V1\/2026\/42/);
    expect(sim.bookings({ source: 'webservice' })).toHaveLength(1);
  });

  it('speaks the user’s language and says when to try again', async () => {
    sim.setJournalOpen(1001, 'V1', true);
    const file = await ublFile('2026-0002');
    const { out, io: cliIo } = io({ LANG: 'nl_BE.UTF-8' });
    const code = await runCli(['octopus:book', file, '--dossier', '1001', '--base-url', sim.url], cliIo);
    expect(code).toBe(75);
    expect(out.stderr).toMatch(/dagboek/i);
    expect(sim.bookings({ source: 'webservice' })).toHaveLength(0);
  });

  it('refuses missing credentials, a missing dossier and an unreadable file clearly', async () => {
    const file = await ublFile('2026-0003');
    const noEnv = io();
    noEnv.io.env = {} as never;
    expect(await runCli(['octopus:book', file, '--dossier', '1001'], noEnv.io)).toBe(2);
    expect(noEnv.out.stderr).toContain('OCTOPUS_USER');
    const noDossier = io();
    expect(await runCli(['octopus:book', file], noDossier.io)).toBe(2);
    expect(noDossier.out.stderr).toContain('--dossier');
    const bad = join(dir, 'bad.xml');
    writeFileSync(bad, '<Invoice><unclosed></Invoice>');
    const badIo = io();
    expect(await runCli(['octopus:book', bad, '--dossier', '1001', '--base-url', sim.url], badIo.io)).toBe(2);
    expect(badIo.out.stderr).toContain('bad.xml');
    expect(sim.countRequests()).toBe(0);
  });

  it('runs as `npm run -s cli -- octopus:book` in a subprocess', async () => {
    const file = await ublFile('2026-0005');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'lib/cli/main.ts', 'octopus:book', file, '--dossier', '1001', '--base-url', sim.url], {
      env: { ...process.env, XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'octobridge-cache-')), LANG: 'fr_BE.UTF-8', OCTOPUS_SOFTWARE_HOUSE_UUID: SIM_SEED.softwareHouseUuid, OCTOPUS_USER: SIM_SEED.users[0]!.user, OCTOPUS_PASSWORD: SIM_SEED.users[0]!.password },
    });
    expect(stdout).toMatch(/^Comptabilisé dans Octopus sous V1\/2026\/42/);
  });
});

describe('cli octopus:book with a PDF', () => {
  it('books the ZUGFeRD invoice inside an InvoicePlane PDF', async () => {
    sim.reset();
    const { out, io: cliIo } = io();
    const code = await runCli(['octopus:book', 'tests/fixtures/invoiceplane/Invoice_RE-2026-0002.pdf', '--dossier', '1001', '--base-url', sim.url], cliIo);
    expect(out.stderr).toBe('');
    expect(code).toBe(0);
    expect(sim.bookings({ source: 'webservice' }).map((b) => b.comment.split(' ')[0])).toEqual(['RE-2026-0002']);
  });
});

describe('cli: reference data and the day\'s calls kept between runs', () => {
  const book = (file: string, cacheDir: string, extra: string[] = []) => {
    const run = io();
    return runCli(['octopus:book', file, '--dossier', '1001', '--base-url', sim.url, '--cache-dir', cacheDir, ...extra], run.io).then((code) => ({ code, ...run.out }));
  };

  it('books twice with one set of reference reads: the second run spends only the POST', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'octobridge-cli-cache-'));
    const first = await book(await ublFile('2026-0001'), cacheDir);
    expect(first.code).toBe(0);
    const reads = ['bookyears.get', 'journals.get', 'accounts.get', 'vatcodes.get'] as const;
    for (const route of reads) expect(sim.countRequests({ route }), route).toBe(1);
    sim.clearRequests();
    const second = await book(await ublFile('2026-0002'), cacheDir);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/V1\/2026\/43/);
    for (const route of reads) expect(sim.countRequests({ route }), route).toBe(0);
    expect(sim.countRequests({ route: 'buysellbookings.post' })).toBe(1);
    // Without the kept data it reads again (the counts are still kept).
    sim.clearRequests();
    expect((await book(await ublFile('2026-0003'), cacheDir, ['--no-cache'])).code).toBe(0);
    expect(sim.countRequests({ route: 'vatcodes.get' })).toBe(1);
    // That was the second VAT-code read of the day: a fourth run without the cache is refused before any call.
    sim.clearRequests();
    const refused = await book(await ublFile('2026-0004'), cacheDir, ['--no-cache']);
    expect(refused.code).toBe(75);
    expect(refused.stderr).toContain('Octopus allows 2 reads of VAT codes a day');
    expect(sim.countRequests({ route: 'vatcodes.get' })).toBe(0);
    expect(sim.countRequests({ route: 'buysellbookings.post' })).toBe(0);
  });

  it('starts afresh from a cache file it cannot read, and writes nothing secret into it', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'octobridge-cli-cache-'));
    expect((await book(await ublFile('2026-0001'), cacheDir)).code).toBe(0);
    const [name] = readdirSync(cacheDir);
    expect(name).toMatch(/^octopus-[0-9a-f]{16}-1001\.json$/);
    const written = readFileSync(join(cacheDir, name!), 'utf8');
    for (const secret of [SIM_SEED.softwareHouseUuid, SIM_SEED.users[0]!.password]) expect(written).not.toContain(secret);
    writeFileSync(join(cacheDir, name!), '{ not json');
    sim.clearRequests();
    const again = await book(await ublFile('2026-0002'), cacheDir);
    expect(again.code).toBe(0);
    expect(sim.countRequests({ route: 'vatcodes.get' })).toBe(1);
  });

  it('prints the budget left and changes a limit', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'octobridge-cli-cache-'));
    expect((await book(await ublFile('2026-0001'), cacheDir, ['--budget'])).stdout).toMatch(/^vatcodes\s+1\s+2\s+0\s+1$/m);
    const show = io();
    expect(await runCli(['octopus:budget', '--dossier', '1001', '--base-url', sim.url, '--cache-dir', cacheDir, '--set', 'vatcodes=5'], show.io)).toBe(0);
    expect(show.out.stdout).toMatch(/^vatcodes\s+1\s+5\s+0\s+4$/m);
    expect(show.out.stdout).toMatch(/^accounts\s+1\s+2\s+0\s+1$/m);
    const bad = io();
    expect(await runCli(['octopus:budget', '--dossier', '1001', '--base-url', sim.url, '--cache-dir', cacheDir, '--set', 'vatcodes=many'], bad.io)).toBe(2);
    expect(bad.out.stderr).toContain('vatcodes=many');
    const back = io();
    await runCli(['octopus:budget', '--dossier', '1001', '--base-url', sim.url, '--cache-dir', cacheDir, '--set', 'vatcodes=default'], back.io);
    expect(back.out.stdout).toMatch(/^vatcodes\s+1\s+2\s+0\s+1$/m);
  });
});
