import { createHash } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDocuments } from '../sandbox/demo-data';
import { renderInvoicePdf } from '../sandbox/demo-pdf';
import { startMailSink } from '../sandbox/mail-sink';
import type { MailSink } from '../sandbox/mail-sink';

let sink: MailSink;

beforeAll(async () => {
  sink = await startMailSink();
});
afterAll(async () => {
  await sink?.close();
});

const transport = (auth?: { user: string; pass: string }) =>
  createTransport({ host: sink.host, port: sink.port, secure: false, ignoreTLS: true, ...(auth ? { auth } : {}) });

describe('mail sink', () => {
  it('listens on 127.0.0.1', () => {
    expect(sink.host).toBe('127.0.0.1');
    expect(sink.port).toBeGreaterThan(0);
  });

  it('receives a message and keeps it parsed, attachments byte for byte', async () => {
    const pdf = Buffer.from(renderInvoicePdf(demoDocuments[0]!.invoice));
    const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37 + (i >> 8)) & 0xff)); // every byte value
    const waiting = sink.waitFor((m) => m.subject === 'Factuur 2026-0001', 5000);
    const info = (await transport().sendMail({
      from: 'Bakkerij Demo <boekhouding@bakkerijdemo.example>',
      to: ['scan@octopus.example', 'Boekhouder <boekhouder@example.com>'],
      bcc: 'archief@bakkerijdemo.example',
      subject: 'Factuur 2026-0001',
      text: 'Beste, in bijlage onze factuur 2026-0001. Met vriendelijke groeten, Bakkerij Demo',
      attachments: [
        { filename: '2026-0001.pdf', content: pdf, contentType: 'application/pdf' },
        { filename: 'bytes.bin', content: binary, contentType: 'application/octet-stream' },
      ],
    })) as { messageId: string };
    const message = await waiting;

    expect(message.messageId).toBe(info.messageId);
    expect(message.to).toEqual(['scan@octopus.example', 'boekhouder@example.com']);
    expect(message.envelope.rcptTo).toEqual(['scan@octopus.example', 'boekhouder@example.com', 'archief@bakkerijdemo.example']);
    expect(message.envelope.mailFrom).toBe('boekhouding@bakkerijdemo.example');
    expect(message.from).toContain('boekhouding@bakkerijdemo.example');
    expect(message.text).toContain('onze factuur 2026-0001');
    expect(message.raw.length).toBeGreaterThan(pdf.length);

    expect(message.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['2026-0001.pdf', 'application/pdf'],
      ['bytes.bin', 'application/octet-stream'],
    ]);
    const [gotPdf, gotBin] = message.attachments;
    expect(gotPdf!.content.equals(pdf)).toBe(true);
    expect(gotBin!.content.equals(binary)).toBe(true);
    expect(gotPdf!.checksum).toBe(createHash('md5').update(pdf).digest('hex'));
    expect(gotBin!.size).toBe(binary.length);
    expect(sink.messages).toContain(message);
  });

  it('accepts any authentication without TLS', async () => {
    await transport({ user: 'demo', pass: 'anything' }).sendMail({
      from: 'a@example.com',
      to: 'b@example.com',
      subject: 'with auth',
      text: 'hello',
    });
    const message = await sink.waitFor((m) => m.subject === 'with auth', 5000);
    expect(message.authUser).toBe('demo');
    expect(message.attachments).toEqual([]);
  });

  it('finds messages that arrived before waitFor, and times out when none matches', async () => {
    expect((await sink.waitFor((m) => m.subject === 'Factuur 2026-0001', 10)).subject).toBe('Factuur 2026-0001');
    await expect(sink.waitFor((m) => m.subject === 'never', 50)).rejects.toThrow(/No matching mail within 50 ms/);
  });

  it('can be cleared', () => {
    expect(sink.messages.length).toBeGreaterThanOrEqual(2);
    sink.clear();
    expect(sink.messages).toEqual([]);
  });
});
