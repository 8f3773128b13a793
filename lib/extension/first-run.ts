/** The part of browser.runtime the first run needs, so tests can drive it without a browser. */
export interface InstallEvents {
  onInstalled: { addListener(listener: (details: { reason: string }) => void): void };
  openOptionsPage(): Promise<void>;
}

/**
 * A new user lands on the guided set-up: installing opens the options page. Updates, reloads and browser updates
 * open nothing (the user has set up already). Registered synchronously, as every listener of an MV3 worker.
 */
export function openSetupOnInstall(runtime: InstallEvents): void {
  runtime.onInstalled.addListener((details) => {
    if (details.reason === 'install') void runtime.openOptionsPage().catch((error) => console.warn('octobridge: options page not opened', error));
  });
}
