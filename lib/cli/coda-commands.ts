import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { decodeCoda, readCoda } from '../coda/reader';
import { accountKey, statementYear, type CodaStatement } from '../coda/model';
import { CodaSendRefused, sendCodaStatements } from '../coda/send';
import { translatorFor } from '../i18n';
import { OCTOPUS_PRODUCTION_BASE_URL } from '../octopus/api';
import { CallBudget } from '../octopus/budget';
import { OctopusClient } from '../octopus/client';
import { isOctopusError } from '../octopus/errors';
import { systemClock } from '../platform/clock';
import { CacheFile, cacheFilePath, defaultCacheDir } from './cache-file';
import { CodaSentFile, codaSentFilePath } from './coda-sent-file';
import type { CliCommand, CliIo } from './main';
import { cliLocale, octopusCredentials } from './cli-env';

type Translator = ReturnType<typeof translatorFor>;

/** Reads and checks a CODA file; prints the reasons and gives the exit code when it cannot be used. */
async function readChecked(file: string, io: CliIo, t: Translator): Promise<{ text: string; statements: CodaStatement[] } | { exit: number; problems?: { key: string; params: string[]; message: string }[]; statements?: CodaStatement[] }> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (error) {
    io.stderr(`${file}: ${(error as Error).message}\n`);
    return { exit: 2 };
  }
  const read = readCoda(bytes);
  if (read.problems.length > 0) {
    const problems = read.problems.map((p) => ({ ...p, message: t.t(p.key, p.params) }));
    for (const p of problems) io.stderr(`${file}: ${p.message}\n`);
    return { exit: 1, problems, statements: read.statements };
  }
  // The text as read (windows-1252) is what goes to Octopus, statement by statement.
  return { text: decodeCoda(bytes), statements: read.statements };
}

/** `coda:parse FILE`: the statements of a CODA file as JSON; exit 1 (and the reasons) when a check fails. */
export const codaParseCommand: CliCommand = {
  summary: 'a CODA bank-statement file as JSON',
  usage: 'coda:parse FILE [--lang en|nl|fr]   prints the statements of a CODA file (versions 1 and 2) as JSON; exit 1 when a check fails',
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({ args, allowPositionals: true, options: { lang: { type: 'string' } } });
    } catch (error) {
      io.stderr(`${(error as Error).message}\nUsage: ${this.usage}\n`);
      return 2;
    }
    const file = parsed.positionals[0];
    if (!file) {
      io.stderr(`Usage: ${this.usage}\n`);
      return 2;
    }
    const t = translatorFor(cliLocale(io.env, parsed.values.lang));
    const r = await readChecked(file, io, t);
    if ('exit' in r) {
      if (r.problems) io.stdout(`${JSON.stringify({ statements: r.statements ?? [], problems: r.problems }, null, 2)}\n`);
      return r.exit;
    }
    io.stdout(`${JSON.stringify({ statements: r.statements, problems: [] }, null, 2)}\n`);
    return 0;
  },
};

const describeStatement = (s: CodaStatement) => `${accountKey(s.account)} ${s.statementNumber}/${statementYear(s)}`;

/**
 * `coda:send FILE --dossier ID`: sends the statements of a checked CODA file to Octopus's CODA import, each
 * account + statement number + year once (a record in the CLI's cache folder). Credentials as for octopus:book.
 */
export const codaSendCommand: CliCommand = {
  summary: 'Send a CODA file to an Octopus dossier, each statement once',
  usage:
    'coda:send FILE --dossier ID [--base-url URL] [--cache-dir DIR] [--again] [--lang en|nl|fr]\n' +
    '      (credentials in OCTOPUS_SOFTWARE_HOUSE_UUID, OCTOPUS_USER, OCTOPUS_PASSWORD; the statements sent are kept in\n' +
    '      $XDG_CACHE_HOME/octobridge or ~/.cache/octobridge; --again resends statements whose answer was lost, once\n' +
    '      you have seen in Octopus that they did not arrive)',
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        options: { dossier: { type: 'string' }, 'base-url': { type: 'string' }, 'cache-dir': { type: 'string' }, again: { type: 'boolean' }, lang: { type: 'string' } },
      });
    } catch (error) {
      io.stderr(`${(error as Error).message}\nUsage: ${this.usage}\n`);
      return 2;
    }
    const file = parsed.positionals[0];
    const dossierId = Number(parsed.values.dossier);
    if (!file || !Number.isInteger(dossierId) || dossierId <= 0) {
      io.stderr(`Usage: ${this.usage}\n`);
      return 2;
    }
    const credentials = octopusCredentials(io);
    if (!credentials) return 2;
    const { softwareHouseUuid, user, password } = credentials;
    const t = translatorFor(cliLocale(io.env, parsed.values.lang));
    const r = await readChecked(file, io, t);
    if ('exit' in r) return r.exit;

    const baseUrl = parsed.values['base-url'] ?? OCTOPUS_PRODUCTION_BASE_URL;
    const dir = parsed.values['cache-dir'] ?? defaultCacheDir(io.env);
    const budget = new CallBudget(new CacheFile(cacheFilePath(dir, softwareHouseUuid, baseUrl, dossierId), systemClock).budget, systemClock);
    const client = new OctopusClient({ baseUrl, softwareHouseUuid, user, password, budget: budget.gate(baseUrl) });
    const store = new CodaSentFile(codaSentFilePath(dir, softwareHouseUuid, baseUrl));
    try {
      const result = await sendCodaStatements(client, dossierId, r.text, r.statements, store, { again: parsed.values.again ?? false });
      for (const s of result.sent) io.stdout(`${t.t('coda_sent', [String(dossierId), describeStatement(s), s.newBalance])}\n`);
      for (const { statement, record } of result.alreadySent) {
        io.stdout(`${t.t('coda_already_sent', [describeStatement(statement), String(record.dossierId), record.at])}\n`);
      }
      return 0;
    } catch (error) {
      if (error instanceof CodaSendRefused) {
        io.stderr(`${t.t(error.text.key, error.text.params)}\n`);
        if (error.text.key === 'coda_outcome_unknown') io.stderr(`${t.t('coda_again_hint')}\n`);
        return 1;
      }
      if (isOctopusError(error)) {
        io.stderr(`${t.t(error.text.key, error.text.params)}\n  (${error.code}: ${error.detail})\n`);
        if (error.outcomeUnknown) io.stderr(`${t.t('coda_answer_lost')}\n`);
        return error.retriable ? 75 : 1; // 75 = EX_TEMPFAIL: try again later
      }
      throw error;
    }
  },
};
