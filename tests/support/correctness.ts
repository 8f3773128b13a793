import 'fake-indexeddb/auto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import Dexie from 'dexie';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { LedgerDb } from '../../lib/ledger/db';
import { createWebserviceTransport } from '../../lib/transfer/webservice-transport';
import type { Dossier } from '../../lib/model/dossier';
import type { Transfer } from '../../lib/model/transfer';
import type { FetchedDocument } from '../../lib/sites/types';
import { dec, toFixed } from '../../lib/money';
import { startOctopusSimulator, SIM_SEED, type OctopusSimulator, type SimSeed } from '../sandbox/octopus-sim';

/**
 * The correctness suite's two ends: a small app server on 127.0.0.1 that answers exactly the pages and files a
 * fixture gives it (bytes as given, so a PDF is served byte for byte), and the booking end — the worker's webservice
 * transport against the Octopus simulator — read back as the fields an accountant checks. A fixture's truth is
 * written in the same shape, from what the app shows, so each test is one field-by-field comparison.
 */

export interface ServedFile {
  type: string;
  body: string | Uint8Array;
  headers?: Record<string, string>;
}

export interface AppServer {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/** Serves `files` by request target (path and query, exactly); anything else is a 404. */
export async function serveApp(files: Map<string, ServedFile>): Promise<AppServer> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const target = req.url ?? '/';
    requests.push(target);
    const file = files.get(target);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`no such page: ${target}`);
      return;
    }
    const body = typeof file.body === 'string' ? Buffer.from(file.body, 'utf8') : Buffer.from(file.body);
    res.writeHead(200, { 'content-type': file.type, 'content-length': String(body.length), ...(file.headers ?? {}) }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A PDF of its own per document, with bytes above 0x7f (the binary comment real PDFs start with) so that a
 * text round trip anywhere on the way would show as a changed byte.
 */
export function fixturePdf(label: string): Uint8Array {
  const head = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a, 0x25, 0xe2, 0xe3, 0xcf, 0xd3, 0x0a]);
  const body = Buffer.from(
    `1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n` +
      `3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n% ${label}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
    'latin1',
  );
  const tail = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 37 + label.length) % 256));
  return new Uint8Array(Buffer.concat([head, body, Buffer.from('%'), tail, Buffer.from('\n')]));
}

export const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(typeof bytes === 'string' ? Buffer.from(bytes, 'base64') : bytes).digest('hex');

/** What a booking holds, field by field, as an accountant reads it in Octopus. */
export interface BookedFacts {
  journal: string;
  /** The document's number as Octopus shows it: in the comment (with the customer's name) and, without a structured communication, as the reference. */
  comment: string;
  reference: string;
  documentDate: string;
  expiryDate: string;
  bookyear: number;
  period: number;
  /** Total with its sign: negative for a credit note. */
  amount: string;
  relation: { name: string; streetAndNr?: string; postalCode?: string; city?: string; country: string; vatNr?: string };
  /** The GL accounts the booking lines go to. */
  accounts: number[];
  /** Per VAT code of the dossier: the sums of the booking lines' bases and VAT. */
  vat: Record<string, { base: string; vat: string }>;
  /** SHA-256 of each PDF attachment. */
  pdfs: string[];
}

/** The truth of a fixture in the booked shape: what the app shows, mapped to where Octopus keeps it. */
export type Truth = BookedFacts;

export const SALES_DOSSIER: Dossier = {
  id: 'd1',
  name: 'Demo BV',
  octopusDossierId: SIM_SEED.dossiers[0]!.id,
  connectionId: 'c1',
  enterpriseNumber: '0477472701',
  transport: 'webservice',
  journals: { sales: 'V1', salesCreditNotes: 'V2', purchases: 'A1' },
  defaultAccounts: { sales: '700000', purchases: '604000' },
  vatCodeOverrides: {},
  mailbox: {},
};

const cents = (n: number) => toFixed(dec(n));

/**
 * The simulator and a ledger for a test file: `book` delivers a fetched document as the worker does (webservice
 * transport) and returns the one booking it made, read back from the simulator as BookedFacts.
 */
export function bookingBench(seed?: (seed: SimSeed) => void) {
  let sim: OctopusSimulator;
  let db: LedgerDb;
  let dbName: string;
  const clock = { now: () => new Date() };
  beforeAll(async () => {
    sim = await startOctopusSimulator({ port: 0, ...(seed ? { seed: (s: SimSeed) => seed(s) } : {}) });
  });
  afterAll(async () => sim.close());
  beforeEach(async () => {
    sim.reset(seed);
    dbName = `correctness-${Math.random()}`;
    db = new LedgerDb(dbName);
    await db.connections.put({ id: 'c1', label: 'Sim', baseUrl: sim.url, user: SIM_SEED.users[0]!.user });
    await db.secrets.put({ connectionId: 'c1', boundUrl: sim.url, softwareHouseUuid: SIM_SEED.softwareHouseUuid, password: SIM_SEED.users[0]!.password });
  });
  afterEach(async () => {
    db.close();
    await Dexie.delete(dbName);
  });

  async function book(document: FetchedDocument, dossier: Dossier = SALES_DOSSIER): Promise<BookedFacts> {
    const transport = createWebserviceTransport(db, fetch, clock);
    await transport.deliver({ transfer: { id: `t-${document.invoice.number}` } as Transfer, dossier, document, outcomeUnknown: false, force: false });
    return booked();
  }

  /** The one booking the simulator holds, as BookedFacts (for bookings made another way, such as the CLI). */
  function booked(): BookedFacts {
    const bookings = sim.bookings({ source: 'webservice' });
    if (bookings.length !== 1) throw new Error(`expected one booking, the simulator holds ${bookings.length}`);
    const booking = bookings[0]!;
    const relation = sim.relations(booking.dossierId).find((r) => r.relationIdentificationServiceData.relationKey.id === booking.relationId);
    if (!relation) throw new Error('the booking names no relation the simulator knows');
    const vat: BookedFacts['vat'] = {};
    const lines = booking.data.bookingLines as { accountKey: number; vatCodeKey: string; baseAmount: number; vatAmount: number }[];
    for (const line of lines) {
      const sum = vat[line.vatCodeKey] ?? { base: '0.00', vat: '0.00' };
      vat[line.vatCodeKey] = { base: toFixed(dec(sum.base).plus(cents(line.baseAmount))), vat: toFixed(dec(sum.vat).plus(cents(line.vatAmount))) };
    }
    const optional = (key: string) => (typeof relation[key] === 'string' && relation[key] !== '' ? { [key]: relation[key] as string } : {});
    return {
      journal: booking.journalKey,
      comment: booking.comment,
      reference: booking.reference,
      documentDate: booking.documentDate,
      expiryDate: booking.data.expiryDate as string,
      bookyear: booking.bookyearId,
      period: booking.bookyearPeriodeNr,
      amount: cents(booking.amount),
      relation: {
        name: relation.name,
        ...optional('streetAndNr'),
        ...optional('postalCode'),
        ...optional('city'),
        country: relation.country as string,
        ...optional('vatNr'),
      },
      accounts: [...new Set(lines.map((l) => l.accountKey))].sort((a, b) => a - b),
      vat,
      pdfs: booking.attachments.filter((a) => /\.pdf$/i.test(a.fileName)).map((a) => sha256(a.fileData)),
    };
  }

  return {
    book,
    booked,
    get sim() {
      return sim;
    },
  };
}
