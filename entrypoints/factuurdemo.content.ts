import { defineContentScript } from 'wxt/utils/define-content-script';
import { factuurDemoDom } from '../lib/sites/factuurdemo.dom';
import { startContentOverlay } from '../lib/extension/content';

// Sandbox build only (wxt.config.ts drops it from the product): the demo invoicing site of tests/sandbox.
export default defineContentScript({
  matches: factuurDemoDom.matches,
  runAt: 'document_idle',
  main(ctx) {
    startContentOverlay(factuurDemoDom, ctx);
  },
});
