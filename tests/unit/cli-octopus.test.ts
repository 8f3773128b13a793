import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
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

function io(env: Record<string, string> = {}) {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: (t: string) => void (out.stdout += t),
      stderr: (t: string) => void (out.stderr += t),
      env: { OCTOPUS_SOFTWARE_HOUSE_UUID: SIM_SEED.softwareHouseUuid, OCTOPUS_USER: SIM_SEED.users[0]!.user, OCTOPUS_PASSWORD: SIM_SEED.users[0]!.password, ...env },
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
      env: { ...process.env, LANG: 'fr_BE.UTF-8', OCTOPUS_SOFTWARE_HOUSE_UUID: SIM_SEED.softwareHouseUuid, OCTOPUS_USER: SIM_SEED.users[0]!.user, OCTOPUS_PASSWORD: SIM_SEED.users[0]!.password },
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
