import type { Page } from 'playwright-core';
import type { ExtensionBrowser } from './extension';
import { SIM_SEED, type OctopusSimulator } from '../../sandbox/octopus-sim';

/**
 * What a user does first, in the options page: connect the simulator's demo login and use its first dossier
 * (which becomes the default). Opens and closes its own page unless one is given.
 */
export async function connectDemoDossier(ext: ExtensionBrowser, sim: OctopusSimulator, page?: Page): Promise<void> {
  const options = page ?? (await ext.context.newPage());
  await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
  const user = SIM_SEED.users[0]!;
  await options.fill('input[name=baseUrl]', sim.url);
  await options.fill('input[name=softwareHouseUuid]', SIM_SEED.softwareHouseUuid);
  await options.fill('input[name=user]', user.user);
  await options.fill('input[name=password]', user.password);
  await options.click('button[name=connect]');
  await options.waitForSelector('[data-testid=available-dossiers]');
  await options.click(`[data-octopus-dossier="${SIM_SEED.dossiers[0]!.id}"] button`);
  await options.waitForSelector(`[data-testid=dossiers] [data-dossier="${SIM_SEED.dossiers[0]!.id}"]`);
  if (!page) await options.close();
}
