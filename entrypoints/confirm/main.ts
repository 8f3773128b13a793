import { browser } from 'wxt/browser';
import { startConfirmPage } from '../../components/confirm-page';
import { t, uiLanguage } from '../../components/i18n';
import { CONFIRM_CLOSED } from '../../lib/overlay/confirm';
import '../../components/page.css';

// The token is in the fragment: it never leaves the extension's origin.
void startConfirmPage(document, location.hash.slice(1), {
  ask: (message) => browser.runtime.sendMessage(message),
  // The overlay's frame takes only this message, and only from this frame.
  close: () => parent.postMessage({ type: CONFIRM_CLOSED }, '*'),
  t,
  lang: uiLanguage(),
});
