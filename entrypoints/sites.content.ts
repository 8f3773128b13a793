import { defineContentScript } from 'wxt/utils/define-content-script';
import { startSitesOverlay } from '../lib/extension/content';

// Sites the user added: registered at runtime by the worker (lib/sites/user-sites.ts) for granted origins only,
// never listed in the manifest.
export default defineContentScript({
  registration: 'runtime',
  runAt: 'document_idle',
  main(ctx) {
    void startSitesOverlay(ctx, { generic: true });
  },
});
