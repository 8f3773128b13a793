// The mailbox commands: mail:send.
import { readFile } from 'node:fs/promises';
import { isAddress } from '../mail/address';
import { composeInvoiceMail } from '../mail/compose';
import { createHttpRelay } from '../mail/http-relay';
import { basicAuthorization, createJmapRelay } from '../mail/jmap';
import { RelayError, type MailRelay } from '../mail/relay';
import { readInvoiceXml } from '../ubl/read';
import type { CliCommand, CliIo } from './main';

/**
 * mail:send FILE --to ADDRESS (--relay URL | --jmap URL): e-mails a UBL file (with the PDF it embeds)
 * the way the extension's mailbox transport does, with the same code. The relay token comes from
 * OCTOBRIDGE_RELAY_TOKEN, the JMAP login from OCTOBRIDGE_JMAP_USER / OCTOBRIDGE_JMAP_PASSWORD (never
 * from the command line, where other users could read it). The peer is asked first whether this
 * message went already, so running it twice sends once. Exit codes: 0 sent or already sent, 1 the
 * send failed, 2 wrong use.
 */

const USAGE = 'mail:send FILE --to ADDRESS (--relay URL | --jmap URL) [--from ADDRESS] [--dossier ID] [--direction sales|purchase] [--again N]';

interface Options {
  file?: string;
  to?: string;
  relay?: string;
  jmap?: string;
  from?: string;
  dossier?: string;
  direction?: string;
  again?: string;
  problems: string[];
}

function parse(args: string[]): Options {
  const out: Options = { problems: [] };
  const valued = new Set(['--to', '--relay', '--jmap', '--from', '--dossier', '--direction', '--again']);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (valued.has(arg)) {
      const value = args[++i];
      if (value === undefined) out.problems.push(`${arg} needs a value`);
      else (out as unknown as Record<string, string>)[arg.slice(2)] = value;
    } else if (arg.startsWith('--')) out.problems.push(`unknown option ${arg}`);
    else if (out.file === undefined) out.file = arg;
    else out.problems.push(`one file only (${arg})`);
  }
  return out;
}

function wrongUse(io: CliIo, problems: string[]): number {
  io.stderr(`${problems.map((p) => `octobridge mail:send: ${p}`).join('\n')}\nUsage: npm run -s cli -- ${USAGE}\n`);
  return 2;
}

export const mailSendCommand: CliCommand = {
  summary: 'e-mail a UBL file (and its PDF) to an Octopus mailbox through a relay or JMAP, at most once',
  usage: USAGE,
  async run(args, io) {
    const o = parse(args);
    const problems = [...o.problems];
    if (!o.file) problems.push('no FILE given');
    if (!o.to) problems.push('--to ADDRESS is required');
    else if (!isAddress(o.to)) problems.push(`--to: "${o.to}" is not an e-mail address`);
    if (o.from !== undefined && !isAddress(o.from)) problems.push(`--from: "${o.from}" is not an e-mail address`);
    if (Boolean(o.relay) === Boolean(o.jmap)) problems.push('give one of --relay URL or --jmap URL');
    for (const url of [o.relay, o.jmap]) if (url && !/^https?:\/\/[^\s]+$/.test(url)) problems.push(`not an http(s) URL: ${url}`);
    if (o.direction !== undefined && o.direction !== 'sales' && o.direction !== 'purchase') problems.push('--direction is sales or purchase');
    const generation = o.again === undefined ? 0 : Number(o.again);
    if (!Number.isInteger(generation) || generation < 0) problems.push('--again is a whole number (1 for the first send again)');
    const env = io.env;
    if (o.relay && !env.OCTOBRIDGE_RELAY_TOKEN) problems.push('set OCTOBRIDGE_RELAY_TOKEN to the relay token');
    if (o.jmap && !(env.OCTOBRIDGE_JMAP_USER && env.OCTOBRIDGE_JMAP_PASSWORD)) problems.push('set OCTOBRIDGE_JMAP_USER and OCTOBRIDGE_JMAP_PASSWORD');
    if (o.relay && !o.from && !env.OCTOBRIDGE_MAIL_FROM) problems.push('--from ADDRESS (or OCTOBRIDGE_MAIL_FROM) is required with --relay');
    if (problems.length > 0) return wrongUse(io, problems);

    let xml: string;
    try {
      xml = await readFile(o.file!, 'utf8');
    } catch (error) {
      io.stderr(`octobridge mail:send: cannot read ${o.file}: ${(error as Error).message}\n`);
      return 2;
    }
    const read = readInvoiceXml(xml, o.direction ? { direction: o.direction as 'sales' | 'purchase' } : {});
    if (!read.ok) {
      io.stderr(`octobridge mail:send: ${o.file} is not a readable UBL or CII invoice: ${read.error.message}\n`);
      return 1;
    }
    const fetchFn = (input: string, init?: RequestInit) => fetch(input, init);
    const jmap = o.jmap ? createJmapRelay({ sessionUrl: o.jmap, authorization: basicAuthorization(env.OCTOBRIDGE_JMAP_USER!, env.OCTOBRIDGE_JMAP_PASSWORD!), fetch: fetchFn }) : undefined;
    const relay: MailRelay & Required<Pick<MailRelay, 'alreadySent'>> = jmap ?? createHttpRelay({ url: o.relay!, token: env.OCTOBRIDGE_RELAY_TOKEN!, fetch: fetchFn });
    try {
      const from = o.from ?? env.OCTOBRIDGE_MAIL_FROM ?? (await jmap!.identityEmail());
      if (!isAddress(from)) return wrongUse(io, [`the JMAP account's identity has no usable address ("${from}"): give --from ADDRESS`]);
      const mail = await composeInvoiceMail(
        {
          // The recipient stands for the dossier unless one is named: the same file to the same mailbox is one send.
          dossierId: o.dossier ?? `mailbox:${o.to!.toLowerCase()}`,
          direction: read.invoice.direction,
          invoice: read.invoice,
          sourceXml: xml,
          to: o.to!,
          from: { address: from },
          date: new Date(),
          generation,
        },
        await relay.maxMessageBytes(),
      );
      io.stdout(`Message-ID: ${mail.messageId}\n`);
      if (await relay.alreadySent(mail)) {
        io.stdout('already sent\n');
        return 0;
      }
      const result = await relay.send(mail);
      io.stdout(`${result.status === 'duplicate' ? 'already sent' : 'sent'}\n`);
      return 0;
    } catch (error) {
      const kind = error instanceof RelayError ? ` (${error.kind})` : '';
      io.stderr(`octobridge mail:send: not sent${kind}: ${error instanceof Error ? error.message : String(error)}\n`);
      if (error instanceof RelayError && error.kind === 'unknown-outcome') io.stderr('It may have gone out: run the same command again, it asks before sending.\n');
      return 1;
    }
  },
};
