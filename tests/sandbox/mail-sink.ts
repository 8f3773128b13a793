import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { simpleParser } from 'mailparser';
import type { AddressObject, ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A mail sink for the sandbox and the tests: an SMTP server on 127.0.0.1 that accepts every message (no TLS, any
 * or no authentication), parses it with mailparser and keeps it in memory. Nothing is relayed.
 *
 * Run it alone: `npx tsx tests/sandbox/mail-sink.ts --port 5625` prints the subject of each mail it receives.
 */

export interface SinkAttachment {
  filename?: string;
  contentType: string;
  content: Buffer;
  /** MD5 of the content, hex (mailparser's checksum). */
  checksum: string;
  size: number;
  contentId?: string;
}

export interface SinkMessage {
  messageId?: string;
  /** The From header, as text ("Name <address>"). */
  from?: string;
  /** Addresses of the To header. */
  to: string[];
  /** Addresses of the Cc header. */
  cc: string[];
  /** The SMTP envelope (includes Bcc recipients). */
  envelope: { mailFrom?: string; rcptTo: string[] };
  /** User name the client authenticated with, when it did. */
  authUser?: string;
  subject?: string;
  date?: Date;
  text?: string;
  html?: string;
  headers: ParsedMail['headers'];
  attachments: SinkAttachment[];
  /** The message as received (RFC 5322). */
  raw: Buffer;
}

export interface MailSinkOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Waits this long before answering each message's DATA: a slow mail server, for the relay's limits. */
  answerDelayMs?: number;
}

export interface MailSink {
  host: string;
  port: number;
  /** Received messages, oldest first. */
  messages: SinkMessage[];
  /** The first message (already received or still to come) matching the predicate; rejects after the timeout. */
  waitFor(predicate: (message: SinkMessage) => boolean, timeoutMs?: number): Promise<SinkMessage>;
  /** Forgets the received messages. */
  clear(): void;
  close(): Promise<void>;
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = field === undefined ? [] : Array.isArray(field) ? field : [field];
  const out: string[] = [];
  const walk = (entries: AddressObject['value']): void => {
    for (const e of entries) {
      if (e.address) out.push(e.address);
      if (e.group) walk(e.group);
    }
  };
  for (const a of list) walk(a.value);
  return out;
}

export async function startMailSink(options: MailSinkOptions = {}): Promise<MailSink> {
  const host = options.host ?? '127.0.0.1';
  const messages: SinkMessage[] = [];
  const events = new EventEmitter();

  const server = new SMTPServer({
    name: 'mail-sink.octobridge.test',
    banner: 'octobridge mail sink',
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    size: 50 * 1024 * 1024,
    closeTimeout: 1000,
    logger: false,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? 'anonymous' });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error: Error) => callback(error));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(Object.assign(new Error('Message too large'), { responseCode: 552 }));
          return;
        }
        const raw = Buffer.concat(chunks);
        new Promise((wait) => setTimeout(wait, options.answerDelayMs ?? 0))
          .then(() => simpleParser(raw))
          .then((parsed) => {
            const message: SinkMessage = {
              messageId: parsed.messageId,
              from: parsed.from?.text,
              to: addresses(parsed.to),
              cc: addresses(parsed.cc),
              envelope: {
                mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
                rcptTo: session.envelope.rcptTo.map((r) => r.address),
              },
              authUser: typeof session.user === 'string' ? session.user : undefined,
              subject: parsed.subject,
              date: parsed.date,
              text: parsed.text,
              html: parsed.html === false ? undefined : parsed.html,
              headers: parsed.headers,
              attachments: parsed.attachments.map((a) => ({
                filename: a.filename,
                contentType: a.contentType,
                content: a.content,
                checksum: a.checksum,
                size: a.size,
                contentId: a.contentId,
              })),
              raw,
            };
            messages.push(message);
            events.emit('message', message);
            callback(null, `Queued as ${messages.length}`);
          })
          .catch((error: unknown) => {
            callback(Object.assign(new Error(`Could not parse the message: ${String(error)}`), { responseCode: 451 }));
          });
      });
    },
  });

  await new Promise<void>((ok, fail) => {
    const onError = (error: Error): void => fail(error);
    server.once('error', onError);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', onError);
      ok();
    });
  });
  // Errors after start (a client resetting its connection, …) must not crash the process.
  server.on('error', () => {});
  const port = (server.server.address() as AddressInfo).port;

  return {
    host,
    port,
    messages,
    waitFor(predicate, timeoutMs = 10_000) {
      const already = messages.find(predicate);
      if (already) return Promise.resolve(already);
      return new Promise<SinkMessage>((ok, fail) => {
        const onMessage = (message: SinkMessage): void => {
          if (!predicate(message)) return;
          clearTimeout(timer);
          events.off('message', onMessage);
          ok(message);
        };
        const timer = setTimeout(() => {
          events.off('message', onMessage);
          fail(new Error(`No matching mail within ${timeoutMs} ms (${messages.length} received)`));
        }, timeoutMs);
        events.on('message', onMessage);
      });
    },
    clear() {
      messages.length = 0;
    },
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------------------------

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const i = process.argv.indexOf('--port');
  const sink = await startMailSink({ port: Number(i >= 0 ? process.argv[i + 1] : 5625) });
  console.log(`Mail sink listening on smtp://${sink.host}:${sink.port} (no TLS, any auth). Ctrl+C stops it.`);
  let seen = 0;
  const print = (): void => {
    for (const m of sink.messages.slice(seen)) {
      const files = m.attachments.map((a) => `${a.filename ?? '(unnamed)'} ${a.size} B`).join(', ');
      console.log(`✉ ${m.subject ?? '(no subject)'} → ${m.to.join(', ')}${files ? ` [${files}]` : ''}`);
    }
    seen = sink.messages.length;
  };
  // Print as they arrive: wait for "any message newer than what was printed", over and over.
  const loop = (): void => {
    sink
      .waitFor(() => sink.messages.length > seen, 2 ** 31 - 1)
      .then(() => {
        print();
        loop();
      })
      .catch(() => loop());
  };
  loop();
  const stop = () => void sink.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
