import { defineBackground } from 'wxt/utils/define-background';
import { startWorker } from '../lib/extension/worker';
import { ADAPTERS } from '../lib/sites/registry';
import { SANDBOX_ADAPTERS } from '../lib/sites/registry-sandbox';

// The sandbox build (wxt build --mode sandbox) adds the demo app and serves the loopback origins its static scripts
// run on. The mode is a constant at build time, so the product's bundle holds neither branch's sandbox half.
const SANDBOX = import.meta.env.MODE === 'sandbox';

export default defineBackground(() => {
  // The sandbox also lets its loopback demo sites book without being added as sites.
  startWorker({ adapters: SANDBOX ? SANDBOX_ADAPTERS : ADAPTERS, trustAdapterPatterns: SANDBOX, sandboxSites: SANDBOX });
});
