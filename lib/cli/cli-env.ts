import type { Locale } from '../i18n/translator';
import type { CliIo } from './main';

/** The language of an Octopus or CODA command's output: `--lang` when given, else LANG's first two letters; English otherwise. */
export function cliLocale(env: CliIo['env'], flag?: string): Locale {
  const lang = (flag ?? env.LANG ?? '').slice(0, 2).toLowerCase();
  return lang === 'nl' || lang === 'fr' ? lang : 'en';
}

/** The Octopus login of the CLI's commands, from the environment (never from arguments, which end up in shell history). */
export function octopusCredentials(io: CliIo): { softwareHouseUuid: string; user: string; password: string } | undefined {
  const { OCTOPUS_SOFTWARE_HOUSE_UUID: softwareHouseUuid, OCTOPUS_USER: user, OCTOPUS_PASSWORD: password } = io.env;
  if (softwareHouseUuid && user && password) return { softwareHouseUuid, user, password };
  io.stderr('Set OCTOPUS_SOFTWARE_HOUSE_UUID, OCTOPUS_USER and OCTOPUS_PASSWORD.\n');
  return undefined;
}
