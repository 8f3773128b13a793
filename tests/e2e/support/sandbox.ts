import { connectDemoDossier } from './octopus';
import { launchWithExtension, type ExtensionBrowser } from './extension';
import { startDemoSite } from '../../sandbox/demo-site';
import { startOctopusSimulator } from '../../sandbox/octopus-sim';

export type DemoSite = Awaited<ReturnType<typeof startDemoSite>>;
export type Simulator = Awaited<ReturnType<typeof startOctopusSimulator>>;

export interface DemoSandbox {
  site: DemoSite;
  sim: Simulator;
  ext: ExtensionBrowser;
  close(): Promise<void>;
}

/**
 * What most browser tests start from: the demo invoicing site and the Octopus simulator on free ports, the sandbox
 * build in Chromium, and (unless `connect: false`) the demo dossier connected in the options page.
 */
export async function startDemoSandbox(options: { connect?: boolean } = {}): Promise<DemoSandbox> {
  const site = await startDemoSite({ port: 0 });
  const sim = await startOctopusSimulator({ port: 0 });
  const ext = await launchWithExtension();
  if (options.connect !== false) await connectDemoDossier(ext, sim);
  return {
    site,
    sim,
    ext,
    async close() {
      await ext.close();
      await site.close();
      await sim.close();
    },
  };
}
