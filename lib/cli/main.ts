/**
 * octobridge's command line (`npm run -s cli -- COMMAND …`), for support staff and scripts. It runs the
 * same lib/ code as the extension. Each group of commands lives in its own module, loaded on demand.
 */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
}

export interface CliCommand {
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

const COMMANDS: Record<string, () => Promise<CliCommand>> = {
  validate: async () => (await import('./ubl-commands')).validateCommand,
  parse: async () => (await import('./ubl-commands')).parseCommand,
  build: async () => (await import('./ubl-commands')).buildCommand,
  'octopus:book': async () => (await import('./octopus-commands')).octopusBookCommand,
  'octopus:probe': async () => (await import('./octopus-commands')).octopusProbeCommand,
  'octopus:budget': async () => (await import('./octopus-commands')).octopusBudgetCommand,
  'mail:send': async () => (await import('./mail-commands')).mailSendCommand,
  'coda:parse': async () => (await import('./coda-commands')).codaParseCommand,
  'coda:send': async () => (await import('./coda-commands')).codaSendCommand,
};

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  const load = name ? COMMANDS[name] : undefined;
  if (!load) {
    io.stderr(`Usage: npm run -s cli -- COMMAND [options]\n\nCommands:\n`);
    for (const [command, get] of Object.entries(COMMANDS)) io.stderr(`  ${(await get()).usage}\n`);
    return name && name !== '--help' && name !== 'help' ? 2 : 0;
  }
  return (await load()).run(args, io);
}

/**
 * Resolves once everything written to the stream so far has been handed to the OS. Writes to a pipe are asynchronous
 * in Node: process.exit() right after a large write drops what is still buffered (output cut at 64 KiB), so the exit
 * waits for this first.
 */
export function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve();
    stream.write('', () => resolve());
  });
}

async function exitAfterFlush(code: number): Promise<never> {
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

// Run when executed directly (tsx lib/cli/main.ts …), not when imported by tests.
if (process.argv[1] && /lib[\\/]cli[\\/]main\.ts$/.test(process.argv[1])) {
  // A reader that closes the pipe early (`| head`) is not an error of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
  });
  runCli(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
  }).then(
    (code) => exitAfterFlush(code),
    (error: unknown) => {
      process.stderr.write(`octobridge: ${error instanceof Error ? error.message : String(error)}\n`);
      return exitAfterFlush(1);
    },
  );
}
