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
  'octopus:budget': async () => (await import('./octopus-commands')).octopusBudgetCommand,
  'mail:send': async () => (await import('./mail-commands')).mailSendCommand,
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

// Run when executed directly (tsx lib/cli/main.ts …), not when imported by tests.
if (process.argv[1] && /lib[\\/]cli[\\/]main\.ts$/.test(process.argv[1])) {
  runCli(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
  }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`octobridge: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
