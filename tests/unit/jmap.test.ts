import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dexie from 'dexie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cyrusMissing, startCyrus, type CyrusServer } from '../support/cyrus';
import { startMailSink, type MailSink } from '../sandbox/mail-sink';
import { basicAuthorization, createJmapRelay } from '../../lib/mail/jmap';
import { composeInvoiceMail } from '../../lib/mail/compose';
import { RelayError } from '../../lib/mail/relay';
import { LedgerDb } from '../../lib/ledger/db';
import { createMailboxTransport } from '../../lib/transfer/mailbox-transport';
import { runCli } from '../../lib/cli/main';
import { readInvoiceXml } from '../../lib/ubl/read';
import { demoDocuments } from '../sandbox/demo-data';
import { ublOf } from '../sandbox/demo-site';

const missing = cyrusMissing();
if (missing) console.warn(`\n*** JMAP tests SKIPPED: ${missing} ***\n`);

const fetchFn = (input: string, init?: RequestInit) => fetch(input, init);
let sink: MailSink;
let cyrus: CyrusServer;

const docs = demoDocuments.filter((d) => d.status !== 'draft');
function documentOf(index: number) {
  const xml = ublOf(docs[index]!);
  const read = readInvoiceXml(xml);
  if (!read.ok) throw new Error('demo UBL unreadable');
  return { invoice: read.invoice, sourceXml: xml };
}
async function mailOf(index: number) {
  const { invoice, sourceXml } = documentOf(index);
  return composeInvoiceMail({ dossierId: 'd1', direction: 'sales', invoice, sourceXml, to: 'uid-9@import.octopus.be', from: { address: 'alice@localhost' }, date: new Date('2026-11-22T10:00:00Z'), generation: 0 });
}

describe.skipIf(Boolean(missing))('JMAP against Cyrus IMAP on 127.0.0.1', () => {
  beforeAll(async () => {
    sink = await startMailSink();
    cyrus = await startCyrus({ smtpPort: sink.port });
  }, 60_000);
  afterAll(async () => {
    await cyrus?.stop();
    await sink?.close();
  });

  const relay = () => createJmapRelay({ sessionUrl: cyrus.jmapSessionUrl, authorization: basicAuthorization(cyrus.user, cyrus.password), fetch: fetchFn });

  it('uploads, imports and submits: the sink gets our Message-ID and the attachments byte for byte', async () => {
    const jmap = relay();
    const mail = await mailOf(0);
    expect(await jmap.maxMessageBytes()).toBeGreaterThan(1_000_000);
    expect(await jmap.alreadySent(mail)).toBe(false);
    const result = await jmap.send(mail);
    expect(result.status).toBe('sent');
    const got = await sink.waitFor((m) => m.messageId === mail.messageId, 15_000);
    expect(got.envelope.rcptTo).toEqual(['uid-9@import.octopus.be']);
    const { invoice, sourceXml } = documentOf(0);
    expect(got.attachments[0]!.content.toString('utf8')).toBe(sourceXml);
    expect(got.attachments[1]!.content.equals(Buffer.from(invoice.attachments[0]!.contentBase64, 'base64'))).toBe(true);
    // Email/query by Message-ID finds it in Sent: a second send is answered from there, nothing is submitted.
    expect(await jmap.alreadySent(mail)).toBe(true);
    expect((await relay().send(mail)).status).toBe('duplicate');
    await new Promise((ok) => setTimeout(ok, 500));
    expect(sink.messages.filter((m) => m.messageId === mail.messageId)).toHaveLength(1);
  });

  it('refuses a bad credential with an auth error and sends nothing', async () => {
    const bad = createJmapRelay({ sessionUrl: cyrus.jmapSessionUrl, authorization: 'Bearer not-a-token', fetch: fetchFn });
    const error = (await bad.send(await mailOf(1)).catch((e: unknown) => e)) as RelayError;
    expect(error).toBeInstanceOf(RelayError);
    expect(error.kind).toBe('auth');
  });

  it('is what the mailbox transport uses for a JMAP account, and what the CLI uses with --jmap', async () => {
    const db = new LedgerDb(`jmap-${Math.random()}`);
    try {
      await db.mailAccounts.put({ id: 'default', kind: 'jmap', url: cyrus.jmapSessionUrl, from: 'alice@localhost', user: cyrus.user });
      await db.mailSecrets.put({ id: 'default', boundUrl: cyrus.jmapSessionUrl, password: cyrus.password });
      const transport = createMailboxTransport(db, fetchFn);
      const dossier = { id: 'd1', name: 'Demo', octopusDossierId: 1, connectionId: 'c1', transport: 'mailbox' as const, journals: { sales: 'V1', purchases: 'A1' }, defaultAccounts: { sales: '700000', purchases: '604000' }, vatCodeOverrides: {}, mailbox: { sales: 'uid-10@import.octopus.be' } };
      const transfer = { id: 't1', documentKey: 's/1', site: 's', origin: 'http://127.0.0.1', adapter: 'x', documentId: '1', transport: 'mailbox' as const, state: 'sending' as const, createdAt: '', updatedAt: '', attempts: 1, log: [] };
      const sent = await transport.deliver({ transfer, dossier, document: documentOf(2), outcomeUnknown: false, force: false });
      expect(sent.text.key).toBe('mail_log_sent');
      await sink.waitFor((m) => m.messageId === sent.text.params[1], 15_000);
      // After an unknown outcome, with the ledger's record lost: Email/query answers, nothing is sent twice.
      await db.mailSends.clear();
      const again = await transport.deliver({ transfer, dossier, document: documentOf(2), outcomeUnknown: true, force: false });
      expect(again.text.key).toBe('mail_log_already_sent');
      expect(sink.messages.filter((m) => m.messageId === sent.text.params[1])).toHaveLength(1);
    } finally {
      db.close();
      await Dexie.delete(db.name);
    }

    const dir = mkdtempSync(join(tmpdir(), 'jmap-cli-'));
    try {
      const file = join(dir, 'invoice.xml');
      writeFileSync(file, ublOf(docs[3]!));
      const run = async () => {
        let stdout = '';
        const code = await runCli(['mail:send', file, '--to', 'uid-11@import.octopus.be', '--jmap', cyrus.jmapSessionUrl, '--from', 'alice@localhost'], {
          stdout: (t) => (stdout += t),
          stderr: (t) => (stdout += t),
          env: { OCTOBRIDGE_JMAP_USER: cyrus.user, OCTOBRIDGE_JMAP_PASSWORD: cyrus.password },
        });
        return { code, stdout };
      };
      const first = await run();
      expect(first.stdout).not.toContain("not sent");
      expect(first).toMatchObject({ code: 0 });
      expect(first.stdout).toMatch(/^sent$/m);
      const messageId = /Message-ID: (<[^>]+>)/.exec(first.stdout)![1]!;
      await sink.waitFor((m) => m.messageId === messageId, 15_000);
      const second = await run();
      expect(second.stdout).toMatch(/^already sent$/m);
      expect(sink.messages.filter((m) => m.messageId === messageId)).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
