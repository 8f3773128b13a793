import { defineContentScript } from 'wxt/utils/define-content-script';
import { startSitesOverlay } from '../lib/extension/content';

// Sandbox build only (wxt.config.ts drops it from the product): the apps with their own adapter (Dolibarr,
// InvoicePlane) on the origins the sandbox is granted at install (127.0.0.1 and localhost: the tests' replays). Each
// adapter's detect() decides; no generic guessing here.
export default defineContentScript({
  matches: ['http://127.0.0.1/*', 'http://localhost/*'],
  runAt: 'document_idle',
  main(ctx) {
    void startSitesOverlay(ctx, { generic: false });
  },
});
