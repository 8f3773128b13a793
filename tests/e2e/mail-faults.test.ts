import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDemoDossier } from './support/octopus';
import { extensionPage, idb, message, seeded, type BulkProgressView } from './support/pages';
import { launchWithExtension, type ExtensionBrowser } from './support/extension';
import { startDemoSite } from '../sandbox/demo-site';
import { startOctopusSimulator, SIM_SEED } from '../sandbox/octopus-sim';
import { startMailSink, type MailSink } from '../sandbox/mail-sink';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { relayToken, startRelay, type RunningRelay } from '../../lib/relay/server';
import { MemoryStore } from '../../lib/relay/store';

/**
 * Proof under faults, the mailbox half: 300 documents bulk-sent by e-mail through the reference relay
 * (lib/relay/server.ts) to the SMTP sink, with a fault-injecting proxy in front of the relay (tests/support/
 * fault-proxy.ts) that answers 20 % of requests with a 5xx (503 and 502 before the relay sees the request; 500 and
 * 504 after the relay handled it, its answer thrown away) and drops the connection of 5 % of the sends after the
 * relay handed the mail to the sink (the lost answer of a timeout, at once instead of after the client's 60 s).
 * The service worker is stopped every 40 mails and the browser is closed and reopened once on the same profile.
 * At the end: exactly 300 mails in the sink, one per document, none twice, none lost; the ledger agrees; every
 * failure is in the transfers' logs; and after every answer lost once the relay had sent, the extension asked the
 * relay (GET /v1/messages/{key}) before sending that key again.
 */

type Site = Awaited<ReturnType<typeof startDemoSite>>;
type Sim = Awaited<ReturnType<typeof startOctopusSimulator>>;

const COUNT = 300;
const STOP_EVERY = 40;
const TOKEN = 'e2e-mail-faults-token-0123456789';
const SALES_MAILBOX = 'uid-008352-24@import.octopus.be';
const SENDER = 'office@firm.example';

let site: Site;
let sim: Sim;
let sink: MailSink;
let relay: RunningRelay;
let proxy: FaultProxy;
let ext: ExtensionBrowser | undefined;
const profileDir = mkdtempSync(join(tmpdir(), 'octobridge-mail-faults-'));
const SEED = Number(process.env.FAULT_SEED ?? 20261123);

beforeAll(async () => {
  site = await startDemoSite({ port: 0, count: COUNT });
  sim = await startOctopusSimulator({ port: 0 });
  sink = await startMailSink();
  relay = await startRelay({
    host: '127.0.0.1',
    port: 0,
    tokens: [relayToken({ name: 'office', token: TOKEN, from: SENDER, domains: ['*.octopus.be'] })],
    smtpUrl: `smtp://127.0.0.1:${sink.port}`,
    // This run is about faults between the extension and the relay, not about the relay's rate limit.
    limits: { perMinute: 100_000, burst: 10_000 },
    maxMessageBytes: 10_000_000,
    store: new MemoryStore(),
    smtpTimeoutMs: 10_000,
  }, { logger: { write: () => undefined } });
  proxy = await startFaultProxy({ target: relay.url, random: seeded(SEED) });
});

afterAll(async () => {
  await ext?.close({ keepProfile: true });
  rmSync(profileDir, { recursive: true, force: true });
  await proxy?.close();
  await relay?.close();
  await sink?.close();
  await site?.close();
  await sim?.close();
});

/** The invoice number of a UBL document: its first cbc:ID (after CustomizationID and ProfileID). */
const ublNumber = (xml: string) => /<cbc:ID>([^<]+)<\/cbc:ID>/.exec(xml)?.[1];

describe('mailbox transport under faults (Chromium, relay, SMTP sink)', () => {
  it(`e-mails ${COUNT} documents exactly once through 5xx, lost answers, worker stops and a browser restart`, async () => {
    ext = await launchWithExtension({ profileDir });
    const options = await ext.context.newPage();
    await connectDemoDossier(ext!, sim, options);
    await options.close();

    let page = await extensionPage(ext!);
    // The relay account and the dossier's mailbox, set up (and the relay tested) while the proxy still passes everything.
    const saved = (await message(page, { type: 'mail.account.save', account: { kind: 'http-relay', url: proxy.url, from: SENDER }, token: TOKEN })) as { ok: boolean };
    expect(saved).toMatchObject({ ok: true });
    const settings = (await message(page, { type: 'mail.settings.get' })) as { dossiers: { id: string; octopusDossierId: number }[] };
    const dossier = settings.dossiers.find((d) => d.octopusDossierId === SIM_SEED.dossiers[0]!.id);
    expect(dossier).toBeDefined();
    const mailbox = (await message(page, { type: 'mail.dossier.save', dossierId: dossier!.id, transport: 'mailbox', sales: SALES_MAILBOX })) as { ok: boolean };
    expect(mailbox).toMatchObject({ ok: true });
    // Shorter waits than in production (5 s doubling to 15 min; these are the setting's smallest), so the run takes minutes.
    await idb(page, 'settings', { put: { key: 'engine.retry', value: { baseMs: 200, capMs: 1_000, maxAttempts: 100 } } });
    const setupRequests = proxy.records.length;

    proxy.setFaults({
      statusProbability: 0.2,
      statuses: [
        { status: 503, phase: 'before' },
        { status: 502, phase: 'before' },
        { status: 500, phase: 'after' },
        { status: 504, phase: 'after' },
      ],
      dropProbability: 0.05,
      dropWhen: (method, path) => method === 'POST' && path === '/v1/messages',
    });

    const ids = site.documents.map((d) => d.id);
    const started = (await message(page, { type: 'bulk.start', origin: site.url, documents: ids.map((id) => ({ id })) })) as {
      ok: boolean;
      job: { jobId: string; total: number };
    };
    expect(started.ok).toBe(true);
    expect(started.job.total).toBe(COUNT);
    const jobId = started.job.jobId;

    let stops = 0;
    let nextStopAt = STOP_EVERY;
    let restarted = false;
    let progress: BulkProgressView | undefined;
    const deadline = Date.now() + 15 * 60_000;
    const t0 = Date.now();
    for (;;) {
      expect(Date.now(), `timed out; last progress ${JSON.stringify(progress)}`).toBeLessThan(deadline);
      const mailed = sink.messages.length;
      if (mailed >= nextStopAt && mailed < COUNT) {
        const cdp = await ext.context.newCDPSession(page);
        await cdp.send('ServiceWorker.enable');
        await cdp.send('ServiceWorker.stopAllWorkers');
        await cdp.detach().catch(() => undefined);
        stops++;
        nextStopAt += STOP_EVERY;
      }
      if (!restarted && mailed >= COUNT / 2) {
        // Close the whole browser mid-run and reopen it on the same profile.
        await ext.close({ keepProfile: true });
        ext = await launchWithExtension({ profileDir });
        page = await extensionPage(ext!);
        restarted = true;
      }
      // Asking for progress also wakes a stopped worker, which resumes the outbox at start.
      const answer = (await message(page, { type: 'bulk.progress', jobId }).catch(() => undefined)) as { ok: boolean; jobs: BulkProgressView[] } | undefined;
      progress = answer?.jobs?.[0] ?? progress;
      if (progress && progress.pending === 0 && progress.retrying === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const seconds = (Date.now() - t0) / 1000;
    proxy.setFaults(undefined);

    const records = proxy.records.slice(setupRequests);
    const faults = records.filter((r) => r.fault);
    const statusFaults = faults.filter((f) => f.fault === 'status');
    // Answers lost although the relay had sent the mail: a drop, or a 5xx put over the relay's "sent".
    const lostAfterSent = faults.filter((f) => f.phase === 'after' && f.method === 'POST' && f.upstreamState === 'sent');
    const duplicates = records.filter((r) => r.method === 'POST' && r.upstreamState === 'duplicate' && !r.fault).length;
    console.log(
      `mail faults run: ${COUNT} documents in ${seconds.toFixed(0)} s, ${faults.length} injected faults ` +
        `(${statusFaults.length} 5xx, ${faults.filter((f) => f.fault === 'drop').length} dropped sends; ` +
        `${lostAfterSent.length} answers lost after the relay sent) over ${records.length} relay requests ` +
        `(${records.filter((r) => r.method === 'POST').length} POST, ${records.filter((r) => r.method === 'GET' && r.key).length} status GET), ` +
        `${duplicates} "duplicate" answers, ${stops} worker stops, browser restarted: ${restarted}, seed ${SEED}`,
    );

    expect(stops).toBeGreaterThanOrEqual(Math.floor(COUNT / STOP_EVERY) - 1);
    expect(restarted).toBe(true);
    expect(statusFaults.length).toBeGreaterThan(20);
    expect(faults.filter((f) => f.fault === 'drop').length).toBeGreaterThan(3);
    expect(lostAfterSent.length).toBeGreaterThan(3);
    expect(records.filter((r) => r.error)).toEqual([]);

    // The sink: exactly one mail per document, by Message-ID and by the UBL's invoice number.
    const mails = sink.messages;
    const byMessageId = new Map<string, number>();
    const byNumber = new Map<string, number>();
    const numberOfMessageId = new Map<string, string>();
    for (const mail of mails) {
      byMessageId.set(mail.messageId ?? '', (byMessageId.get(mail.messageId ?? '') ?? 0) + 1);
      const xml = mail.attachments.find((a) => a.contentType === 'application/xml');
      const number = xml ? ublNumber(xml.content.toString('utf8')) : undefined;
      byNumber.set(number ?? '(none)', (byNumber.get(number ?? '(none)') ?? 0) + 1);
      if (number && mail.messageId) numberOfMessageId.set(mail.messageId, number);
    }
    const twiceById = [...byMessageId].filter(([, n]) => n > 1);
    const twiceByNumber = [...byNumber].filter(([, n]) => n > 1);
    const missing = site.documents.map((d) => d.invoice.number).filter((n) => !byNumber.has(n));
    if (twiceById.length > 0 || twiceByNumber.length > 0 || missing.length > 0) {
      type Logged = { documentNumber?: string; attempts: number; log: { level: string; text: { key: string }; detail?: string }[] };
      const all = await idb<Logged[]>(page, 'transfers', 'getAll');
      for (const [number] of [...twiceByNumber, ...missing.map((m) => [m, 0] as const)]) {
        const t = all.find((x) => x.documentNumber === number);
        console.log(number, t?.attempts, t?.log.map((l) => `${l.text.key}${l.detail ? `(${l.detail})` : ''}`).join(' | '));
      }
    }
    expect(twiceById).toEqual([]);
    expect(twiceByNumber).toEqual([]);
    expect(missing).toEqual([]);
    expect(mails).toHaveLength(COUNT);
    for (const mail of mails) {
      expect(mail.messageId).toMatch(/^<ubl-[0-9a-f]{32}@firm\.example>$/);
      expect(mail.envelope.rcptTo).toEqual([SALES_MAILBOX]);
      expect(mail.attachments.map((a) => a.contentType)).toEqual(['application/xml', 'application/pdf']);
    }
    // The UBL carried is the site's own, byte for byte (a sample of ten, spread over the run).
    for (const d of site.documents.filter((_, i) => i % 30 === 0)) {
      const ubl = await (await fetch(`${site.url}/invoices/${d.id}/ubl`)).text();
      const mail = mails.find((m) => m.messageId && numberOfMessageId.get(m.messageId) === d.invoice.number)!;
      expect(mail.attachments[0]!.content.toString('utf8'), d.invoice.number).toBe(ubl);
    }
    expect(progress).toMatchObject({ total: COUNT, done: COUNT, failed: 0 });

    // The ledger agrees: every transfer sent, its send record sent, with the Message-ID of the mail that carries its number.
    type T = { id: string; documentNumber?: string; state: string; transport: string; attempts: number; log: { level: string; text: { key: string }; detail?: string }[] };
    type S = { dedupKey: string; transferId: string; state: string; messageId: string; generation: number };
    const transfers = await idb<T[]>(page, 'transfers', 'getAll');
    const sends = await idb<S[]>(page, 'mailSends', 'getAll');
    expect(transfers).toHaveLength(COUNT);
    expect(transfers.filter((t) => t.state !== 'sent' || t.transport !== 'mailbox')).toEqual([]);
    expect(sends).toHaveLength(COUNT);
    expect(sends.filter((s) => s.state !== 'sent' || s.generation !== 0)).toEqual([]);
    const sendOf = new Map(sends.map((s) => [s.transferId, s]));
    for (const t of transfers) {
      const send = sendOf.get(t.id);
      expect(send, t.documentNumber).toBeDefined();
      expect(numberOfMessageId.get(send!.messageId), t.documentNumber).toBe(t.documentNumber);
    }

    // After every answer lost once the relay had sent, the next request about that key asked the relay first.
    const transferOfKey = new Map(sends.map((s) => [s.dedupKey, s.transferId]));
    for (const lost of lostAfterSent) {
      const next = records.find((r) => r.seq > lost.seq && r.key === lost.key);
      expect(next, `no request after the lost answer of ${lost.key}`).toBeDefined();
      expect(`${next!.method} ${next!.path}`, `the request after the lost answer #${lost.seq}`).toBe(`GET /v1/messages/${lost.key}`);
      expect(records.filter((r) => r.seq > lost.seq && r.key === lost.key && r.method === 'POST' && r.upstreamStatus !== undefined)).toEqual([]);
    }

    // Every failure is in the logs: each attempt that did not end in the mail left an error or "resumed" line, and
    // each transfer has at least as many of them as the faults injected into requests about its key.
    const keyedFaults = new Map<string, number>();
    for (const f of faults) if (f.key) keyedFaults.set(transferOfKey.get(f.key) ?? f.key, (keyedFaults.get(transferOfKey.get(f.key) ?? f.key) ?? 0) + 1);
    expect([...keyedFaults.keys()].filter((id) => !transfers.some((t) => t.id === id))).toEqual([]);
    let failuresLogged = 0;
    for (const t of transfers) {
      const errors = t.log.filter((l) => l.level === 'error').length;
      const resumed = t.log.filter((l) => l.text.key === 'log_resumed').length;
      failuresLogged += errors + resumed;
      const story = `${t.documentNumber}: ${t.attempts} attempts, log ${t.log.map((l) => `${l.text.key}${l.detail ? `(${l.detail})` : ''}`).join(', ')}`;
      expect(errors + resumed, story).toBe(t.attempts - 1);
      expect(errors + resumed, story).toBeGreaterThanOrEqual(keyedFaults.get(t.id) ?? 0);
    }
    expect(failuresLogged).toBeGreaterThanOrEqual(faults.length);
    console.log(`mail faults run: ${failuresLogged} failed or interrupted attempts logged across ${COUNT} transfers`);
  }, 20 * 60_000);
});
