import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LedgerDb } from '../../lib/ledger/db';
import { Ledger, type SendRequest } from '../../lib/ledger/ledger';
import { everyDossier, TransferEngine } from '../../lib/transfer/engine';
import { routeWithin, type SiteDossierSet } from '../../lib/transfer/routing';
import type { DeliveryContext, Transport } from '../../lib/transfer/transport';
import type { SiteFetcher } from '../../lib/sites/types';
import { invoice as invoiceSchema, type Invoice } from '../../lib/model/invoice';
import { dossier as dossierSchema, type Dossier } from '../../lib/model/dossier';
import { parseUserSites, siteDossierSet, type UserSite } from '../../lib/sites/user-sites';
import { prepareUpload, uploadFetcher, UPLOAD_SITE } from '../../lib/adhoc/upload';
import { writeUbl } from '../../lib/ubl/write';
import { translatorFor } from '../../lib/i18n';
import { describe as describeText } from '../../lib/i18n/translator';

/** Two clients of one firm: A (BE0477472701) and B (BE0403170701), and A's second company C (BE0123456749). */
const dossierOf = (id: string, name: string, number: string): Dossier =>
  dossierSchema.parse({ id, name, octopusDossierId: 1000 + id.charCodeAt(0), connectionId: 'c1', enterpriseNumber: number, vatNumber: `BE${number}` });
const A = dossierOf('A', 'Client A BV', '0477472701');
const B = dossierOf('B', 'Client B NV', '0403170701');
const C = dossierOf('C', 'Client A Twee BV', '0123456749');

function invoiceOf(number: string, own: { vatId?: string; enterpriseNumber?: string }, direction: 'sales' | 'purchase' = 'sales'): Invoice {
  const party = { name: 'Claimed', ...own, address: { countryCode: 'BE' } };
  const other = { name: 'Other party', address: { countryCode: 'BE' } };
  return invoiceSchema.parse({
    kind: 'invoice',
    direction,
    number,
    issueDate: '2026-11-02',
    currency: 'EUR',
    seller: direction === 'sales' ? party : other,
    buyer: direction === 'sales' ? other : party,
    lines: [{ id: '1', description: 'Work', quantity: '1', unitPrice: '100.00', netAmount: '100.00', vat: { category: 'S', rate: '21' } }],
    vatBreakdown: [{ category: 'S', rate: '21', taxableAmount: '100.00', taxAmount: '21.00' }],
    totals: { lineExtension: '100.00', taxExclusive: '100.00', taxTotal: '21.00', taxInclusive: '121.00', payable: '121.00' },
  });
}

const site = (origin: string, dossierIds: string[], defaultDossierId?: string): UserSite =>
  parseUserSites([{ origin, app: 'generic', addedAt: '2026-12-01T10:00:00Z', dossierIds, ...(defaultDossierId ? { defaultDossierId } : {}) }])[0]!;

describe('routing among a site’s dossiers', () => {
  const all = [A, B, C];

  it('holds a page of client A that claims client B’s VAT number, naming B, and never picks B', () => {
    const routed = routeWithin(invoiceOf('1', { vatId: 'BE0403170701' }), all, { dossierIds: ['A'], defaultDossierId: 'A' });
    expect(routed).toEqual({ ok: false, code: 'dossier-not-allowed', text: { key: 'routing_seller_other_dossier', params: ['BE0403170701', 'Client B NV'] } });
    if (routed.ok) throw new Error('routed');
    expect(describeText(translatorFor('en'), routed.text)).toBe('The seller’s VAT number BE0403170701 belongs to dossier Client B NV, which this site may not use');
    expect(describeText(translatorFor('nl'), routed.text)).toBe('Het btw-nummer BE0403170701 van de verkoper hoort bij dossier Client B NV, dat deze site niet mag gebruiken');
  });

  it('books a match inside the set there, by VAT or enterprise number, for the buyer of a purchase too', () => {
    expect(routeWithin(invoiceOf('1', { vatId: 'BE0123456749' }), all, { dossierIds: ['A', 'C'], defaultDossierId: 'A' })).toMatchObject({ ok: true, dossier: { id: 'C' } });
    expect(routeWithin(invoiceOf('2', { enterpriseNumber: '0477472701' }), all, { dossierIds: ['A', 'C'] })).toMatchObject({ ok: true, dossier: { id: 'A' } });
    expect(routeWithin(invoiceOf('3', { vatId: 'BE0477472701' }, 'purchase'), all, { dossierIds: ['A'] })).toMatchObject({ ok: true, dossier: { id: 'A' } });
    const buyerElsewhere = routeWithin(invoiceOf('4', { vatId: 'BE0403170701' }, 'purchase'), all, { dossierIds: ['A'] });
    expect(buyerElsewhere).toMatchObject({ ok: false, text: { key: 'routing_buyer_other_dossier' } });
  });

  it('sends a document without a number of its own to the site’s default, only when that default is in the set', () => {
    expect(routeWithin(invoiceOf('1', {}), all, { dossierIds: ['A', 'C'], defaultDossierId: 'C' })).toMatchObject({ ok: true, dossier: { id: 'C' } });
    // A default outside the set (another client's) is not used.
    expect(routeWithin(invoiceOf('2', {}), all, { dossierIds: ['A', 'C'], defaultDossierId: 'B' })).toMatchObject({ ok: false, code: 'no-dossier', text: { key: 'routing_no_default' } });
  });

  it('holds a number that matches none of the set (not even the default), and a site without dossiers', () => {
    const unknown = routeWithin(invoiceOf('1', { vatId: 'BE0792345686' }), all, { dossierIds: ['A'], defaultDossierId: 'A' });
    expect(unknown).toEqual({ ok: false, code: 'dossier-no-match', text: { key: 'routing_seller_no_match', params: ['BE0792345686', 'Client A BV'] } });
    expect(routeWithin(invoiceOf('2', {}), all, { dossierIds: [] })).toMatchObject({ ok: false, code: 'site-no-dossiers' });
    // Ids of dossiers removed since count for nothing.
    expect(routeWithin(invoiceOf('3', {}), all, { dossierIds: ['gone'], defaultDossierId: 'gone' })).toMatchObject({ ok: false, code: 'site-no-dossiers' });
  });

  it('lets only the sandbox’s every-dossier set send an unknown number to the default, never one that is another dossier’s', () => {
    const sandbox = { dossierIds: ['A', 'B'], defaultDossierId: 'A', unmatchedToDefault: true };
    expect(routeWithin(invoiceOf('1', { vatId: 'BE0792345686' }), all, sandbox)).toMatchObject({ ok: true, dossier: { id: 'A' } });
    expect(routeWithin(invoiceOf('2', { vatId: 'BE0123456749' }), all, sandbox)).toMatchObject({ ok: false, text: { key: 'routing_seller_other_dossier', params: ['BE0123456749', 'Client A Twee BV'] } });
  });
});

describe('the stored site list and each site’s dossiers', () => {
  it('migrates sites stored before they had dossiers to none (they book nowhere), keeping the others readable', () => {
    const stored = [
      { origin: 'https://erp.client-a.example', app: 'dolibarr', addedAt: '2026-11-01T10:00:00Z' },
      { origin: 'not an origin', app: 'auto', addedAt: 'x' },
      { origin: 'https://app.client-b.example', app: 'auto', addedAt: '2026-11-02T10:00:00Z', dossierIds: ['B'], defaultDossierId: 'A' },
    ];
    const sites = parseUserSites(stored);
    expect(sites).toEqual([
      { origin: 'https://erp.client-a.example', app: 'dolibarr', addedAt: '2026-11-01T10:00:00Z', dossierIds: [] },
      // A default outside the site's own dossiers is dropped.
      { origin: 'https://app.client-b.example', app: 'auto', addedAt: '2026-11-02T10:00:00Z', dossierIds: ['B'] },
    ]);
    expect(parseUserSites(undefined)).toEqual([]);
    expect(siteDossierSet('erp.client-a.example', sites, { sandbox: false, allDossierIds: ['A', 'B'] })).toEqual({ ok: true, dossierIds: [] });
  });

  it('gives a site its own set (one dossier is also its default) and any site not added nothing, the sandbox on loopback only', () => {
    const sites = [site('https://app.client-b.example', ['B']), site('https://erp.client-a.example', ['A', 'C'], 'C')];
    const every = { allDossierIds: ['A', 'B', 'C'], generalDefault: 'A' };
    expect(siteDossierSet('app.client-b.example', sites, { sandbox: false, ...every })).toEqual({ ok: true, dossierIds: ['B'], defaultDossierId: 'B' });
    expect(siteDossierSet('erp.client-a.example', sites, { sandbox: true, ...every })).toEqual({ ok: true, dossierIds: ['A', 'C'], defaultDossierId: 'C' });
    expect(siteDossierSet('127.0.0.1:5610', sites, { sandbox: false, ...every })).toEqual({ ok: false, reason: 'not-added' });
    expect(siteDossierSet('127.0.0.1:5610', sites, { sandbox: true, ...every })).toEqual({
      ok: true,
      dossierIds: ['A', 'B', 'C'],
      defaultDossierId: 'A',
      unmatchedToDefault: true,
    });
    expect(siteDossierSet('evil.example', sites, { sandbox: true, ...every })).toEqual({ ok: false, reason: 'not-added' });
    expect(siteDossierSet('not a host', sites, { sandbox: true, ...every })).toEqual({ ok: false, reason: 'not-added' });
  });

  it('allows a host listed twice (http and https) only the dossiers both allow', () => {
    const sites = [site('https://erp.example.be', ['A', 'C'], 'A'), site('http://erp.example.be', ['C'])];
    expect(siteDossierSet('erp.example.be', sites, { sandbox: false, allDossierIds: ['A', 'B', 'C'] })).toEqual({ ok: true, dossierIds: ['C'] });
  });
});

class RecordingTransport implements Transport {
  kind = 'webservice' as const;
  delivered: DeliveryContext[] = [];
  async deliver(ctx: DeliveryContext) {
    this.delivered.push(ctx);
    return { reference: { journal: 'V1', bookyear: 2, documentSequenceNr: this.delivered.length }, text: { key: 'log_booked', params: ['V1'] } };
  }
}

describe('the engine books a site’s documents only into the site’s dossiers', () => {
  let db: LedgerDb;
  let ledger: Ledger;
  let transport: RecordingTransport;
  let engine: TransferEngine;
  let sites: UserSite[];
  let counter = 0;
  const documents = new Map<string, Invoice>();
  const clock = { now: () => new Date('2026-12-01T10:00:00Z') };
  const fetcher: SiteFetcher = {
    id: 'fake',
    async fetchDocument(_origin, documentId) {
      return { invoice: documents.get(documentId)! };
    },
  };
  // As the worker wires it (lib/extension/worker.ts): files dropped in the popup against every dossier, narrowed
  // by the engine to the chosen one; sites by the stored list; no sandbox.
  const dossiersForSite = async (host: string): Promise<SiteDossierSet> =>
    host === UPLOAD_SITE ? everyDossier(db) : siteDossierSet(host, sites, { sandbox: false, allDossierIds: [A.id, B.id, C.id], generalDefault: B.id });
  const request = (site: string, documentId: string, extra: Partial<SendRequest> = {}): SendRequest => ({
    site,
    origin: `https://${site}`,
    adapter: 'fake',
    documentId,
    transport: 'webservice',
    ...extra,
  });

  beforeEach(async () => {
    db = new LedgerDb(`site-dossiers-${++counter}`);
    ledger = new Ledger(db, clock);
    await db.dossiers.bulkPut([A, B, C]);
    // The firm's general default is client B: it must never catch client A's documents.
    await db.settings.put({ key: 'defaultDossierId', value: B.id });
    transport = new RecordingTransport();
    engine = new TransferEngine({ ledger, adapters: [fetcher, uploadFetcher(db)], transports: { webservice: transport }, fetch, clock, dossiersForSite });
    sites = [site('https://erp.client-a.example', ['A'])];
    documents.clear();
  });
  afterEach(() => db.close());

  it('holds client A’s document claiming B’s VAT number with the reason, books nothing, and books A’s own into A', async () => {
    documents.set('claims-b', invoiceOf('F-1', { vatId: 'BE0403170701' }));
    documents.set('own', invoiceOf('F-2', { vatId: 'BE0477472701' }));
    documents.set('no-number', invoiceOf('F-3', {}));
    await engine.send([request('erp.client-a.example', 'claims-b'), request('erp.client-a.example', 'own'), request('erp.client-a.example', 'no-number')]);
    await engine.runDue();
    const byId = Object.fromEntries((await db.transfers.toArray()).map((t) => [t.documentId, t]));
    expect(byId['claims-b']).toMatchObject({ state: 'needs-attention', lastError: { text: { key: 'routing_seller_other_dossier', params: ['BE0403170701', 'Client B NV'] } } });
    expect(byId['claims-b']!.dossierId).toBeUndefined();
    expect(byId['own']).toMatchObject({ state: 'sent', dossierId: 'A' });
    // Without a number of its own: the site's one dossier, not the firm's general default (B).
    expect(byId['no-number']).toMatchObject({ state: 'sent', dossierId: 'A' });
    expect(transport.delivered.map((d) => [d.document.invoice.number, d.dossier.id])).toEqual(
      expect.arrayContaining([['F-2', 'A'], ['F-3', 'A']]),
    );
    expect(transport.delivered).toHaveLength(2);
  });

  it('holds everything of a site without dossiers and of a site that was not added, saying why', async () => {
    sites = [site('https://erp.client-a.example', [])];
    documents.set('1', invoiceOf('F-1', { vatId: 'BE0477472701' }));
    await engine.send([request('erp.client-a.example', '1'), request('unknown.example', '1')]);
    await engine.runDue();
    const transfers = await db.transfers.toArray();
    expect(transfers.map((t) => [t.site, t.state, t.lastError?.text.key]).sort()).toEqual([
      ['erp.client-a.example', 'needs-attention', 'routing_site_no_dossiers'],
      ['unknown.example', 'needs-attention', 'routing_site_not_added'],
    ]);
    expect(transport.delivered).toHaveLength(0);
  });

  it('refuses a dossier chosen for a site’s document that is not one of the site’s', async () => {
    documents.set('1', invoiceOf('F-1', {}));
    await engine.send([request('erp.client-a.example', '1', { dossierId: 'B' })]);
    await engine.runDue();
    const [transfer] = await db.transfers.toArray();
    expect(transfer).toMatchObject({ state: 'needs-attention', lastError: { text: { key: 'routing_chosen_not_allowed', params: ['Client B NV', 'erp.client-a.example'] } } });
    expect(transport.delivered).toHaveLength(0);
  });

  it('holds a dropped file whose seller is another dossier than the one chosen, and books the chosen one’s and an unknown seller’s', async () => {
    const drop = async (invoice: Invoice, dossierId: string) => {
      const prepared = await prepareUpload(db, { dossierId, fileName: `${invoice.number}.xml`, lang: 'en', xml: writeUbl(invoice) }, new Date());
      if (!prepared.ok) throw new Error(JSON.stringify(prepared.error));
      await db.uploads.put(prepared.row);
      await engine.send([{ site: UPLOAD_SITE, origin: 'chrome-extension://x', adapter: UPLOAD_SITE, documentId: prepared.row.id, transport: 'webservice', dossierId, documentNumber: prepared.documentNumber }]);
    };
    await drop(invoiceOf('U-1', { vatId: 'BE0403170701' }), 'A');
    await drop(invoiceOf('U-2', { vatId: 'BE0477472701' }), 'A');
    await drop(invoiceOf('U-3', { vatId: 'BE0792345686' }), 'A');
    await engine.runDue();
    const byNumber = Object.fromEntries((await db.transfers.toArray()).map((t) => [t.documentNumber ?? '', t]));
    expect(byNumber['U-1']).toMatchObject({ state: 'needs-attention', lastError: { text: { key: 'routing_seller_other_than_chosen', params: ['BE0403170701', 'Client B NV'] } } });
    expect(byNumber['U-2']).toMatchObject({ state: 'sent', dossierId: 'A' });
    // A number that is no dossier's at all leaves the user's choice standing.
    expect(byNumber['U-3']).toMatchObject({ state: 'sent', dossierId: 'A' });
    expect(transport.delivered.map((d) => [d.document.invoice.number, d.dossier.id]).sort()).toEqual([['U-2', 'A'], ['U-3', 'A']]);
  });
});
