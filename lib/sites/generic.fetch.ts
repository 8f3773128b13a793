import type { SiteAdapter, SiteFetcher } from './types';
import { DocumentFetchError } from './types';
import { createGenericDom, pathOfDownloadId } from './generic';
import { fetchOk, siteXml } from './detail-invoice';
import { readInvoiceXml } from '../ubl/read';

/**
 * The generic adapter, worker side: the document id carries the same-origin path of the row's UBL/CII download
 * (see downloadId); the worker fetches that path on the sender's origin only, and reads it as UBL or CII.
 */
export const genericFetch: SiteFetcher = {
  id: 'generic',
  async fetchDocument(origin, documentId, fetchFn) {
    const path = pathOfDownloadId(documentId);
    if (!path) throw new DocumentFetchError('sites_error_not_a_document', [origin, documentId], 'not a download id', false);
    const url = `${origin}${path}`;
    const xml = await siteXml(await fetchOk(url, fetchFn, origin), url, origin);
    const read = readInvoiceXml(xml);
    if (!read.ok) throw new DocumentFetchError('sites_error_download', [url], read.error.message, false);
    return { invoice: read.invoice, sourceXml: xml };
  },
};

export const generic: SiteAdapter = { ...createGenericDom(), ...genericFetch };
