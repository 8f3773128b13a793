import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/main';
import { relayToken, startRelay, type RunningRelay } from '../../lib/relay/server';
import { MemoryStore } from '../../lib/relay/store';
import { startMailSink, type MailSink } from '../sandbox/mail-sink';
import { demoDocuments } from '../sandbox/demo-data';
import { ublOf } from '../sandbox/demo-site';

const TOKEN = 'cli-relay-token-0123456789abcdef';
let sink: MailSink;
let relay: RunningRelay;
let dir: string;
let file: string;

beforeAll(async () => {
  sink = await startMailSink();
  relay = await startRelay({ host: '127.0.0.1', port: 0, tokens: [relayToken({ name: 'office', token: TOKEN, from: 'office@firm.example', domains: ['*.octopus.be'] })], smtpUrl: `smtp://127.0.0.1:${sink.port}`, maxMessageBytes: 5_000_000, store: new MemoryStore(), smtpTimeoutMs: 10_000 }, { logger: { write: () => undefined } });
  dir = mkdtempSync(join(tmpdir(), 'mail-cli-'));
  file = join(dir, 'invoice.xml');
  writeFileSync(file, ublOf(demoDocuments.find((d) => d.status !== 'draft')!));
});
afterAll(async () => {
  await relay?.close();
  await sink?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env });
  return { code, stdout, stderr };
}

describe('npm run cli -- mail:send', () => {
  it('sends through the relay, prints the Message-ID, and says "already sent" the second time without sending', async () => {
    const env = { OCTOBRIDGE_RELAY_TOKEN: TOKEN };
    const first = await cli(['mail:send', file, '--to', 'uid-1@import.octopus.be', '--relay', relay.url, '--from', 'office@firm.example'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const messageId = /^Message-ID: (<[^>]+>)$/m.exec(first.stdout)?.[1];
    expect(messageId).toMatch(/^<ubl-[0-9a-f]{32}@firm\.example>$/);
    expect(first.stdout).toMatch(/^sent$/m);
    const mail = await sink.waitFor((m) => m.messageId === messageId);
    expect(mail.attachments.map((a) => a.contentType)).toEqual(['application/xml', 'application/pdf']);

    const second = await cli(['mail:send', file, '--to', 'uid-1@import.octopus.be', '--relay', relay.url, '--from', 'office@firm.example'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`Message-ID: ${messageId}`);
    expect(second.stdout).toMatch(/^already sent$/m);
    await new Promise((ok) => setTimeout(ok, 200));
    expect(sink.messages.filter((m) => m.messageId === messageId)).toHaveLength(1);
  });

  it('refuses wrong use with exit 2 and a relay refusal with exit 1, each with a clear message', async () => {
    const bad = await cli(['mail:send', file, '--to', 'nope', '--relay', relay.url, '--from', 'office@firm.example'], { OCTOBRIDGE_RELAY_TOKEN: TOKEN });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"nope" is not an e-mail address');
    const noToken = await cli(['mail:send', file, '--to', 'uid-1@import.octopus.be', '--relay', relay.url, '--from', 'office@firm.example']);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('OCTOBRIDGE_RELAY_TOKEN');
    const both = await cli(['mail:send', file, '--to', 'uid-1@import.octopus.be'], {});
    expect(both.stderr).toContain('--relay URL or --jmap URL');
    const missing = await cli(['mail:send', join(dir, 'missing.xml'), '--to', 'uid-1@import.octopus.be', '--relay', relay.url, '--from', 'a@firm.example'], { OCTOBRIDGE_RELAY_TOKEN: TOKEN });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
    const outside = await cli(['mail:send', file, '--to', 'someone@elsewhere.example', '--relay', relay.url, '--from', 'office@firm.example'], { OCTOBRIDGE_RELAY_TOKEN: TOKEN });
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(/not sent \(rejected\).*not allowed/);
    const denied = await cli(['mail:send', file, '--to', 'uid-2@import.octopus.be', '--relay', relay.url, '--from', 'office@firm.example'], { OCTOBRIDGE_RELAY_TOKEN: 'wrong-token-00000000000' });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('(auth)');
  });
});
