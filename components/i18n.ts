import { browser } from 'wxt/browser';
import { browserTranslator, describe, type Translator } from '../lib/i18n/translator';
import type { LocalizedText } from '../lib/model/transfer';

/** Extension pages translate through browser.i18n (the browser's UI language). */
export const t: Translator = browserTranslator((key, substitutions) => browser.i18n.getMessage(key as never, substitutions));

export function text(value: LocalizedText): string {
  return describe(t, value);
}

export function uiLanguage(): string {
  return browser.i18n.getUILanguage();
}
