import { browser } from 'wxt/browser';
import type { PageRequest } from '../lib/messaging/protocol';
import type { LocalizedText } from '../lib/model/transfer';
import { text } from './i18n';

export type Answer<T> = ({ ok: true } & T) | { ok: false; error: { message: string; text?: LocalizedText } };

/** A request of an extension page to the worker (validated there with zod). */
export async function ask<T = unknown>(request: PageRequest): Promise<Answer<T>> {
  return (await browser.runtime.sendMessage(request)) as Answer<T>;
}

/** The error in the reader's language when the worker sent a catalog message, else its English. */
export const errorOf = (error: { message: string; text?: LocalizedText }) => (error.text ? text(error.text) : error.message);
