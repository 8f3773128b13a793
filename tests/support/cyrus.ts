import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Debian's Cyrus IMAP (cyrus-imapd + cyrus-caldav, whose httpd speaks JMAP) as a test peer: configured
 * in a temporary directory, listening on free 127.0.0.1 ports, run in the foreground (not as a
 * daemon) and stopped with its child. Submission goes by SMTP to `smtpPort` (the test's sink).
 * Authentication accepts any password (sasl_pwcheck_method: alwaystrue): it is a sandbox.
 * .ci/install installs the packages; `cyrusMissing()` says why it cannot run here otherwise.
 */

const BIN = '/usr/lib/cyrus/bin';

export interface CyrusServer {
  jmapSessionUrl: string;
  imapPort: number;
  httpPort: number;
  user: string;
  password: string;
  stop(): Promise<void>;
}

/** Why Cyrus cannot be started here, or undefined when it can. */
export function cyrusMissing(): string | undefined {
  if (!existsSync(join(BIN, 'master')) || !existsSync(join(BIN, 'httpd'))) return 'cyrus-imapd and cyrus-caldav are not installed (bash .ci/install installs them)';
  if (process.getuid?.() !== 0) return 'Cyrus drops to the cyrus user: the tests must run as root (as in the CI container)';
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

/** One IMAP exchange: lines sent after the greeting, answered lines returned. */
async function imap(port: number, commands: string[], timeoutMs = 10_000): Promise<string> {
  return new Promise((ok, fail) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let step = -1;
    const timer = setTimeout(() => {
      socket.destroy();
      fail(new Error(`IMAP on ${port}: no answer (${received.slice(-200)})`));
    }, timeoutMs);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      // The greeting, then one tagged answer per command.
      const done = step < 0 ? /^\* OK/m.test(received) : new RegExp(`^t${step} `, 'm').test(received);
      if (!done) return;
      step++;
      if (step < commands.length) socket.write(`t${step} ${commands[step]}\r\n`);
      else {
        clearTimeout(timer);
        socket.end();
        ok(received);
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, deadline: number): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Cyrus master exited with ${child.exitCode}`);
    try {
      await imap(port, [], 1000);
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`Cyrus did not listen on ${port} in time`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }
}

export async function startCyrus(options: { smtpPort: number; user?: string }): Promise<CyrusServer> {
  const missing = cyrusMissing();
  if (missing) throw new Error(missing);
  const user = options.user ?? 'alice';
  const uid = Number(execFileSync('id', ['-u', 'cyrus']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'cyrus']).toString().trim());
  const root = mkdtempSync(join(tmpdir(), 'octobridge-cyrus-'));
  chmodSync(root, 0o755);
  const conf = join(root, 'conf');
  const spool = join(root, 'spool');
  for (const dir of [conf, spool, ...['db', 'socket', 'proc', 'lock', 'log', 'msg', 'quota', 'user', 'sync', 'sieve'].map((d) => join(conf, d))]) {
    mkdirSync(dir, { recursive: true });
    chownSync(dir, uid, gid);
  }
  const [imapPort, httpPort] = [await freePort(), await freePort()];
  const imapdConf = join(root, 'imapd.conf');
  writeFileSync(
    imapdConf,
    [
      `configdirectory: ${conf}`,
      `partition-default: ${spool}`,
      `sievedir: ${join(conf, 'sieve')}`,
      'servername: localhost',
      'admins: admin',
      'sasl_pwcheck_method: alwaystrue',
      'sasl_mech_list: PLAIN',
      'allowplaintext: yes',
      'httpmodules: jmap',
      'httpallowcompress: no',
      'conversations: yes',
      'conversations_db: twoskip',
      'jmap_nonstandard_extensions: no',
      'autocreate_quota: 0',
      'autocreate_inbox_folders: Drafts | Sent',
      'autocreate_specialuse_folders: Drafts | Sent',
      'xlist-drafts: Drafts',
      'xlist-sent: Sent',
      'unixhierarchysep: yes',
      'smtp_backend: host',
      `smtp_host: 127.0.0.1:${options.smtpPort}`,
      'syslog_prefix: octobridge-cyrus',
      '',
    ].join('\n'),
  );
  const cyrusConf = join(root, 'cyrus.conf');
  writeFileSync(
    cyrusConf,
    [
      'START {',
      `  recover cmd="ctl_cyrusdb -r -C ${imapdConf}"`,
      '}',
      'SERVICES {',
      `  imap cmd="imapd -C ${imapdConf}" listen="127.0.0.1:${imapPort}" prefork=0`,
      `  http cmd="httpd -C ${imapdConf}" listen="127.0.0.1:${httpPort}" prefork=0`,
      '}',
      'EVENTS {',
      '}',
      '',
    ].join('\n'),
  );
  const pidFile = join(root, 'master.pid');
  const child = spawn(join(BIN, 'master'), ['-C', imapdConf, '-M', cyrusConf, '-p', pidFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(root, { recursive: true, force: true });
  };
  try {
    await waitForPort(imapPort, child, Date.now() + 20_000);
    // One IMAP login creates the user's INBOX, Drafts and Sent; JMAP upload needs them.
    const login = await imap(imapPort, [`LOGIN ${user} secret`, 'LIST "" "*"', 'LOGOUT']);
    if (!/^t0 OK/m.test(login)) throw new Error(`IMAP login failed: ${login}`);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return { jmapSessionUrl: `http://127.0.0.1:${httpPort}/jmap/`, imapPort, httpPort, user, password: 'secret', stop };
}
