import { defineBackground } from 'wxt/utils/define-background';
import { startWorker } from '../lib/extension/worker';

export default defineBackground(() => {
  startWorker();
});
