/**
 * `npm run demo`: the local sandbox. Starts the demo invoicing site, the Octopus webservice simulator
 * and a mail sink on 127.0.0.1, builds the extension's sandbox build if needed, and opens Chromium with it loaded
 * (headed when a display exists; otherwise it prints the URLs and keeps the servers running).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startDemoSite } from './demo-site';
import { startOctopusSimulator, SIM_SEED } from './octopus-sim';
import { startMailSink } from './mail-sink';
import { relayToken, startRelay } from '../../lib/relay/server';
import { MemoryStore } from '../../lib/relay/store';

/** The sandbox relay's token: a demo value for 127.0.0.1 only, never a real secret. */
const DEMO_RELAY_TOKEN = 'demo-relay-token-0123456789';
/** The only sender the demo token may use: enter it as your address in the options. */
const DEMO_SENDER = 'office@firm.example';
/** The demo dossier's Octopus sales mailbox. */
const DEMO_MAILBOX = 'uid-008352-24@import.octopus.be';

/** The sandbox build: the product runs only on sites added under "Sites", the demo site is not one. */
const EXTENSION_DIR = resolve('.output/chrome-mv3-sandbox');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function main() {
  const site = await startDemoSite({ port: Number(process.env.DEMO_SITE_PORT ?? 5610) });
  const sim = await startOctopusSimulator({ port: Number(process.env.OCTOPUS_SIM_PORT ?? 5620) });
  const sink = await startMailSink({ port: Number(process.env.MAIL_SINK_PORT ?? 5625) });
  // The mailbox transport's path in the sandbox: the reference relay hands mail to the sink.
  const relay = await startRelay({
    host: '127.0.0.1',
    port: Number(process.env.MAIL_RELAY_PORT ?? 5630),
    tokens: [
      relayToken({
        name: 'demo',
        token: DEMO_RELAY_TOKEN,
        from: DEMO_SENDER,
        recipients: [DEMO_MAILBOX],
        // The sink delivers nowhere, so the sandbox may also try other Octopus mailboxes and test addresses.
        domains: ['*.octopus.be', 'octopus.be', '*.example'],
      }),
    ],
    smtpUrl: `smtp://127.0.0.1:${sink.port}`,
    maxMessageBytes: 25 * 1024 * 1024,
    store: new MemoryStore(),
    smtpTimeoutMs: 10_000,
  });

  if (!existsSync(join(EXTENSION_DIR, 'manifest.json')) || process.argv.includes('--build')) {
    console.log('Building the extension…');
    const build = spawnSync('npx', ['wxt', 'build', '--mode', 'sandbox'], { stdio: 'inherit' });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }

  console.log(`
octobridge sandbox
  Demo invoicing site   ${site.url}/invoices
  Octopus simulator     ${sim.url}   (state: ${sim.url.replace(/\/octopus-rest-api\/v1$/, '')}/__sim/state)
  Mail sink (SMTP)      127.0.0.1:${sink.port}
  Mail relay            ${relay.url}   (token ${DEMO_RELAY_TOKEN}, sender ${DEMO_SENDER}, mailbox ${DEMO_MAILBOX}; delivers to the sink)
  Extension build       ${EXTENSION_DIR}

In the extension's options, connect with:
  Webservice URL     ${sim.url}
  Software house ID  ${SIM_SEED.softwareHouseUuid}
  User               ${SIM_SEED.users[0]!.user}
  Password           ${SIM_SEED.users[0]!.password}
`);

  const headed = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  if (headed && existsSync(CHROMIUM) && !process.argv.includes('--no-browser')) {
    const profile = mkdtempSync(join(tmpdir(), 'octobridge-demo-'));
    const browser = spawn(
      CHROMIUM,
      [
        `--user-data-dir=${profile}`,
        `--disable-extensions-except=${EXTENSION_DIR}`,
        `--load-extension=${EXTENSION_DIR}`,
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `${site.url}/invoices`,
      ],
      { stdio: 'ignore' },
    );
    browser.on('exit', () => console.log('Chromium closed; the servers keep running (Ctrl+C to stop).'));
  } else {
    console.log('No display: open the URLs above in a Chromium that loads the extension build. Ctrl+C stops the sandbox.');
  }

  const stop = async () => {
    await Promise.allSettled([site.close(), sim.close(), relay.close(), sink.close()]);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
