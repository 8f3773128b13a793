import { defineContentScript } from 'wxt/utils/define-content-script';
import { factuurDemo } from '../lib/sites/factuurdemo';
import { startContentOverlay } from '../lib/extension/content';

export default defineContentScript({
  matches: factuurDemo.matches,
  runAt: 'document_idle',
  main(ctx) {
    startContentOverlay(factuurDemo, ctx);
  },
});
