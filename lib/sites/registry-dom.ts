import { dolibarrDom } from './dolibarr';
import { invoicePlaneDom } from './invoiceplane';
import type { SiteDomAdapter } from './types';

/** The page sides of the apps with their own adapter, tried in order on a page; the generic adapter comes after them. */
export const APP_ADAPTERS: readonly SiteDomAdapter[] = [dolibarrDom, invoicePlaneDom];

/** The first app adapter that recognises this page. */
export function adapterForPage(doc: Document, url: URL, adapters: readonly SiteDomAdapter[] = APP_ADAPTERS): SiteDomAdapter | undefined {
  return adapters.find((a) => {
    try {
      return a.detect(doc, url) !== undefined;
    } catch {
      return false;
    }
  });
}
