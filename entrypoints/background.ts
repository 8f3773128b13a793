import { defineBackground } from 'wxt/utils/define-background';
import { startWorker } from '../lib/extension/worker';

// Only the sandbox build (wxt build --mode sandbox) lets its loopback demo sites book without being added as sites.
const SANDBOX = import.meta.env.MODE === 'sandbox';

export default defineBackground(() => {
  startWorker({ sandboxSites: SANDBOX });
});
