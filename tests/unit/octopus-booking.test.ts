import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  MemoryReferenceCache,
  attachmentsFor,
  bookInvoice,
  bookingBody,
  bookingLinesFor,
  chooseVatCode,
  externalRelationIdOf,
  findBookyearPeriod,
  journalKeyFor,
  relationFor,
  sameBooking,
  structuredCommunication,
} from '../../lib/octopus/booking';
import { OctopusClient } from '../../lib/octopus/client';
import { OCTOPUS_MESSAGE_KEYS, OctopusError } from '../../lib/octopus/errors';
import { ERROR_CODES, vatCodeSide, type OctopusBookyear, type OctopusVatCode } from '../../lib/octopus/api';
import { startOctopusSimulator, SIM_BOOKYEAR_2026, SIM_DOSSIER_ID, SIM_OTHER_DOSSIER_ID, SIM_SEED, SIM_USERS, type OctopusSimulator } from '../sandbox/octopus-sim';
import { CUSTOMER, makeDossier, makeInvoice } from './octopus-fixtures';

const VAT_CODES: OctopusVatCode[] = SIM_SEED.dossiers[0]!.vatCodes.map((v) => ({ ...v }));

function thrown(fn: () => unknown): OctopusError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(OctopusError);
    return error as OctopusError;
  }
  throw new Error('expected an OctopusError');
}

describe('journal, bookyear and period', () => {
  it('picks the journal by direction and kind', () => {
    const d = makeDossier();
    expect(journalKeyFor(d, makeInvoice())).toBe('V1');
    expect(journalKeyFor(d, makeInvoice({ kind: 'credit-note' }))).toBe('V1');
    expect(journalKeyFor(makeDossier({ journals: { sales: 'V1', salesCreditNotes: 'V2', purchases: 'A1' } }), makeInvoice({ kind: 'credit-note' }))).toBe('V2');
    expect(journalKeyFor(d, makeInvoice({ direction: 'purchase' }))).toBe('A1');
    expect(journalKeyFor(d, makeInvoice({ direction: 'purchase', kind: 'credit-note' }))).toBe('A1');
  });

  it('reads the period from the bookyear (months or quarters), never computes it', () => {
    const quarterly: OctopusBookyear[] = [
      {
        bookyearKey: { id: 7 },
        bookyearDescription: '2016',
        startDate: '2016-01-01',
        endDate: '2016-12-31',
        closed: false,
        periods: [1, 2, 3, 4].map((q) => ({
          bookyearPeriod: 201600 + q,
          startDate: `2016-${String(q * 3 - 2).padStart(2, '0')}-01`,
          endDate: `2016-${String(q * 3).padStart(2, '0')}-${q === 1 || q === 4 ? '31' : '30'}`,
        })),
      },
    ];
    expect(findBookyearPeriod(quarterly, '2016-05-31')?.period?.bookyearPeriod).toBe(201602);
    expect(findBookyearPeriod(quarterly, '2016-12-31')?.period?.bookyearPeriod).toBe(201604);
    expect(findBookyearPeriod(quarterly, '2017-01-01')).toBeUndefined();
  });
});

describe('VAT codes from the dossier list', () => {
  const pick = (side: 'sales' | 'purchases', category: Parameters<typeof chooseVatCode>[1]['category'], rate: string, overrides = {}) =>
    chooseVatCode(VAT_CODES, { side, category, rate }, overrides);

  it('maps standard rates to the plain codes of the right side', () => {
    expect(pick('sales', 'S', '21')).toBe('21');
    expect(pick('sales', 'S', '21.00')).toBe('21');
    expect(pick('sales', 'S', '6')).toBe('06');
    expect(pick('purchases', 'S', '21')).toBe('D21'); // not DIC/DMC/DIM, which are 21 % too
    expect(pick('purchases', 'S', '12')).toBe('D12');
    expect(pick('sales', 'Z', '0')).toBe('00');
    expect(pick('purchases', 'Z', '0')).toBe('D00');
  });

  it('maps the 0 % categories by the codes’ descriptions', () => {
    expect(pick('sales', 'K', '0')).toBe('ICL');
    expect(pick('purchases', 'K', '0')).toBe('DIC');
    expect(pick('sales', 'G', '0')).toBe('EXP');
    expect(pick('purchases', 'G', '0')).toBe('DIM');
    expect(pick('sales', 'AE', '0')).toBe('MC');
    expect(pick('purchases', 'AE', '0')).toBe('DMC');
    expect(pick('sales', 'E', '0')).toBe('VRY');
    expect(pick('sales', 'O', '0')).toBe('NO');
  });

  it('applies the dossier overrides first, and checks them', () => {
    expect(pick('sales', 'S', '21', { 'S:21': '12' })).toBe('12');
    expect(pick('purchases', 'S', '21', { 'S:21': '12' })).toBe('D21'); // a sales override does not apply to purchases
    expect(pick('purchases', 'S', '21', { 'purchases:S:21': 'DMC' })).toBe('DMC');
    expect(pick('sales', 'K', '0', { K: 'VRY' })).toBe('VRY');
    expect(thrown(() => pick('sales', 'S', '21', { 'S:21': 'X99' }))).toMatchObject({ messageKey: 'octopus_error_vat_code_override_unknown', params: ['S:21', 'X99'] });
  });

  it('says clearly when no code or several codes fit', () => {
    expect(thrown(() => pick('sales', 'S', '9'))).toMatchObject({ kind: 'unknown-vat-code', messageKey: 'octopus_error_no_vat_code', params: ['@vat_category_S', '9', '@vat_side_sales'] });
    const two = [...VAT_CODES, { code: 'ICD', description: 'Intracommunautaire diensten', type: 2, basePercentage: 0 }];
    expect(thrown(() => chooseVatCode(two, { side: 'sales', category: 'K', rate: '0' }))).toMatchObject({ messageKey: 'octopus_error_vat_code_ambiguous', params: ['@vat_category_K', '0', 'ICL, ICD'] });
  });

  it('classifies codes by type and D prefix where they agree, and only by the dossier’s answer where they do not', () => {
    expect(vatCodeSide({ code: 'D21', type: 1 })).toBe('purchases');
    expect(vatCodeSide({ code: '21', type: 2 })).toBe('sales');
    expect(vatCodeSide({ code: 'X', type: 1 })).toBeUndefined();
    expect(vatCodeSide({ code: 'X', type: 1 }, 'type')).toBe('purchases');
    expect(vatCodeSide({ code: 'X', type: 1 }, 'prefix')).toBe('sales');
    expect(vatCodeSide({ code: 'D21', type: null })).toBe('purchases');
    expect(vatCodeSide({ code: '21' })).toBe('sales');
  });
});

describe('booking lines and amounts', () => {
  const d = makeDossier();

  it('groups by account and rate, VAT from the breakdown (a purchase: the line accounts are the dossier’s own)', () => {
    const inv = makeInvoice({
      direction: 'purchase',
      lines: [
        { net: '100.00', description: 'Consulting' },
        { net: '33.33', account: '701000', description: 'Support' },
        { net: '33.33', account: '701000', description: 'Support' },
        { net: '10.00', rate: '6', description: 'Books' },
      ],
    });
    const { lines, amount, credit } = bookingLinesFor(inv, d, VAT_CODES);
    expect(credit).toBe(false);
    expect(lines).toEqual([
      { accountKey: 604000, baseAmount: 100, vatCodeKey: 'D21', vatAmount: 21, comment: 'Consulting', vatRecupPercentage: 100 },
      { accountKey: 701000, baseAmount: 66.66, vatCodeKey: 'D21', vatAmount: 14, comment: 'Support', vatRecupPercentage: 100 },
      { accountKey: 604000, baseAmount: 10, vatCodeKey: 'D06', vatAmount: 0.6, comment: 'Books', vatRecupPercentage: 100 },
    ]);
    // 35.00 VAT at 21 % (on 166.66) is split 21.00 / 14.00: the cents add up exactly.
    expect(amount.toFixed(2)).toBe(inv.totals.taxInclusive);
    expect(amount.toFixed(2)).toBe('212.26');
    // On a sale the line's accounting reference is the customer's cost code: the dossier's sales account is used.
    const sale = bookingLinesFor(makeInvoice({ lines: [{ net: '100.00' }, { net: '50.00', account: '604000' }, { net: '5.00', account: 'Kostenplaats 7' }] }), d, VAT_CODES);
    expect(sale.lines.map((l) => [l.accountKey, l.baseAmount])).toEqual([[700000, 155]]);
  });

  it('puts a document-level allowance on the largest line of its rate', () => {
    const inv = makeInvoice({ direction: 'purchase', lines: [{ net: '100.00' }, { net: '50.00', account: '701000' }], allowance: { amount: '10.00' } });
    const { lines, amount } = bookingLinesFor(inv, d, VAT_CODES);
    expect(lines.map((l) => [l.accountKey, l.baseAmount, l.vatAmount])).toEqual([
      [604000, 90, 18.9],
      [701000, 50, 10.5],
    ]);
    expect(amount.toFixed(2)).toBe('169.40');
  });

  it('books credit notes (and negative invoices) with a negative total and positive lines', () => {
    const cn = bookingLinesFor(makeInvoice({ kind: 'credit-note', lines: [{ net: '100.00' }] }), d, VAT_CODES);
    expect(cn).toMatchObject({ credit: true, lines: [{ baseAmount: 100, vatAmount: 21 }] });
    expect(cn.amount.toFixed(2)).toBe('-121.00');
    const negative = bookingLinesFor(makeInvoice({ lines: [{ net: '-100.00' }] }), d, VAT_CODES);
    expect(negative).toMatchObject({ credit: true, lines: [{ baseAmount: 100, vatAmount: 21 }] });
    expect(negative.amount.toFixed(2)).toBe('-121.00');
  });

  it('books purchases on the purchase account with purchase codes', () => {
    const { lines } = bookingLinesFor(makeInvoice({ direction: 'purchase', lines: [{ net: '200.00' }, { net: '50.00', category: 'K', rate: '0' }] }), d, VAT_CODES);
    expect(lines.map((l) => [l.accountKey, l.vatCodeKey])).toEqual([
      [604000, 'D21'],
      [604000, 'DIC'],
    ]);
  });

  it('refuses a non-numeric account and totals that do not add up', () => {
    expect(thrown(() => bookingLinesFor(makeInvoice({ direction: 'purchase', lines: [{ net: '10.00', account: 'Revenue' }] }), d, VAT_CODES))).toMatchObject({
      kind: 'unknown-account',
      messageKey: 'octopus_error_account_not_numeric',
      params: ['Revenue', '1'],
      retriable: false,
    });
    const inv = makeInvoice();
    const broken = { ...inv, totals: { ...inv.totals, taxInclusive: '125.00' } };
    expect(thrown(() => bookingLinesFor(broken, d, VAT_CODES))).toMatchObject({ kind: 'invalid', messageKey: 'octopus_error_amounts' });
  });
});

describe('relation and body', () => {
  it('uses a numeric app id as is and hashes the rest stably into int31', () => {
    expect(externalRelationIdOf({ ...CUSTOMER, externalId: '4711' })).toBe(4711);
    const a = externalRelationIdOf({ ...CUSTOMER, externalId: 'CUST-77' });
    expect(a).toBe(externalRelationIdOf({ ...CUSTOMER, externalId: 'CUST-77', name: 'Renamed' }));
    expect(a).not.toBe(externalRelationIdOf({ ...CUSTOMER, externalId: 'CUST-78' }));
    for (const id of ['CUST-77', '0', '99999999999', 'a'.repeat(80), 'ü']) {
      const n = externalRelationIdOf({ ...CUSTOMER, externalId: id });
      expect(Number.isInteger(n) && n >= 1_000_000_000 && n <= 2_147_483_647).toBe(true);
    }
    // Without an app id, the VAT number and the enterprise number of the same company agree.
    const { externalId: _x, ...noId } = CUSTOMER;
    expect(externalRelationIdOf({ ...noId, vatId: 'BE0403170701' })).toBe(externalRelationIdOf({ ...noId, vatId: undefined, enterpriseNumber: '0403170701' }));
  });

  it('builds the relation of the counterparty', () => {
    expect(relationFor(makeInvoice())).toMatchObject({ name: 'Klant Zonder Nummer BV', client: true, supplier: false, vatNr: 'BE0403170701', vatType: 1, country: 'BE', postalCode: '1000' });
    expect(relationFor(makeInvoice({ direction: 'purchase', party: { name: 'Leverancier GmbH', vatId: 'DE123456789', address: { countryCode: 'DE' } } }))).toMatchObject({
      name: 'Leverancier GmbH',
      client: false,
      supplier: true,
      vatType: 4,
    });
  });

  it('builds the body: period, comment, reference, dates, numbers', () => {
    const inv = makeInvoice({ number: 'F2026/7', paymentId: '090933755493', issueDate: '2026-02-28', dueDate: '2026-03-30' });
    const bookyears = [
      { bookyearKey: { id: 2 }, bookyearDescription: '2026', startDate: '2026-01-01', endDate: '2026-12-31', closed: false, periods: [{ bookyearPeriod: 202602, startDate: '2026-02-01', endDate: '2026-02-28' }] },
    ];
    const found = findBookyearPeriod(bookyears, inv.issueDate)!;
    const body = bookingBody({
      invoice: inv,
      dossier: makeDossier(),
      bookyear: found.bookyear,
      period: found.period!,
      journalKey: 'V1',
      documentSequenceNr: 42,
      relation: { relationId: 5, externalRelationId: 77 },
      lines: bookingLinesFor(inv, makeDossier(), VAT_CODES),
    });
    expect(body).toMatchObject({
      bookyearKey: { id: 2 },
      journalKey: 'V1',
      documentSequenceNr: 42,
      bookyearPeriodeNr: 202602,
      relationIdentificationServiceData: { relationKey: { id: 5 }, externalRelationId: 77 },
      documentDate: '2026-02-28',
      expiryDate: '2026-03-30',
      comment: 'F2026/7 Klant Zonder Nummer BV',
      reference: '+++090/9337/55493+++',
      amount: 121,
      currencyCode: 'EUR',
      exchangeRate: 1,
    });
    expect(structuredCommunication('INV-1')).toBeUndefined();
    expect(sameBooking({ documentSequenceNr: 42, journalKey: 'V1', amount: 121.0, documentDate: '2026-02-28', comment: 'F2026/7 Klant Zonder Nummer BV' }, body)).toBe(true);
    expect(sameBooking({ documentSequenceNr: 42, journalKey: 'V1', amount: 121.02, documentDate: '2026-02-28', comment: 'F2026/7 Klant Zonder Nummer BV' }, body)).toBe(false);
    expect(sameBooking({ documentSequenceNr: 42, journalKey: 'V1', amount: 121, documentDate: '2026-02-28', comment: 'Something else' }, body)).toBe(false);
  });

  it('attaches the PDF and the UBL XML in base64', () => {
    const inv = makeInvoice({ number: 'INV/9' });
    const att = attachmentsFor(inv, { sourceXml: '<Invoice>é</Invoice>' });
    expect(att.map((a) => a.fileName)).toEqual(['invoice.pdf', 'INV_9.xml']);
    expect(Buffer.from(att[1]!.fileData, 'base64').toString('utf8')).toBe('<Invoice>é</Invoice>');
  });
});

describe('cache and messages', () => {
  it('expires cached reference data', async () => {
    let now = 0;
    const cache = new MemoryReferenceCache({ now: () => new Date(now) });
    await cache.set('a|1', { x: 1 }, 1_000);
    await cache.set('a|2', { x: 2 }, 5_000);
    expect(await cache.get('a|1')).toEqual({ x: 1 });
    now = 2_000;
    expect(await cache.get('a|1')).toBeUndefined();
    await cache.deletePrefix('a|');
    expect(await cache.get('a|2')).toBeUndefined();
  });

  it('has en/nl/fr strings for every message key, with the same placeholders', () => {
    const messages = JSON.parse(readFileSync(new URL('../../lib/octopus/messages.json', import.meta.url), 'utf8')) as Record<string, Record<string, string>>;
    const keys = Object.values(OCTOPUS_MESSAGE_KEYS);
    expect(Object.keys(messages).sort()).toEqual([...keys].sort());
    for (const key of keys) {
      expect(key).toMatch(/^[a-z0-9_]+$/);
      const m = messages[key]!;
      const holes = (s: string) => [...new Set(s.match(/\$\d/g) ?? [])].sort().join();
      for (const lang of ['en', 'nl', 'fr']) expect(holes(m[lang]!), `${key}.${lang}`).toBe(holes(m.en!));
    }
    for (const info of Object.values(ERROR_CODES)) expect(keys).toContain(info.key);
    expect(messages.octopus_error_webservice_disabled!.fr).toContain('Gestion > Utilisateurs > Droits > Accès au webservice');
    expect(messages.octopus_error_unknown_journal!.en).toContain('File > Synchronise');
  });
});

describe('bookInvoice edge cases against the simulator', () => {
  let sim: OctopusSimulator;
  const clock = { now: () => new Date('2026-03-20T09:00:00Z') };
  beforeAll(async () => {
    sim = await startOctopusSimulator({ port: 0, now: clock.now });
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.reset());
  const client = () => new OctopusClient({ baseUrl: sim.url, softwareHouseUuid: SIM_SEED.softwareHouseUuid, user: SIM_USERS.demo.user, password: SIM_USERS.demo.password, clock });
  const failure = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      return e as OctopusError;
    }
    throw new Error('expected a failure');
  };

  it('books a purchase into A1 with D-codes and a supplier relation', async () => {
    const inv = makeInvoice({ direction: 'purchase', number: 'SUP-1', party: { name: 'Leverancier BV', externalId: '812', vatId: 'BE0123456749' } });
    const result = await bookInvoice(client(), makeDossier(), inv);
    expect(result).toMatchObject({ journal: 'A1', documentSequenceNr: 18, externalRelationId: 812 });
    const [booking] = sim.bookings();
    expect((booking!.data.bookingLines as { vatCodeKey: string; accountKey: number }[])[0]).toMatchObject({ vatCodeKey: 'D21', accountKey: 604000 });
    expect(sim.relations(SIM_DOSSIER_ID).find((r) => r.name === 'Leverancier BV')).toMatchObject({ supplier: true, client: false });
  });

  it('reuses a relation that already exists in Octopus (external id 5001) without a PUT', async () => {
    const inv = makeInvoice({ party: { name: 'Bestaande Klant NV', externalId: '5001', vatId: 'BE0123456749', address: { countryCode: 'BE', street: 'Meir 10', postalCode: '2000', city: 'Antwerpen' }, contact: { email: 'factuur@bestaande-klant.example' } } });
    const result = await bookInvoice(client(), makeDossier(), inv);
    expect(result.relationId).toBe(1);
    expect(sim.countRequests({ route: 'relations.put' })).toBe(0);
  });

  it('asks for File > Synchronise when the journal is not visible, and re-reads it once', async () => {
    sim.setJournalSynced(SIM_DOSSIER_ID, 'V1', false);
    const cache = new MemoryReferenceCache(clock);
    const error = await failure(bookInvoice(client(), makeDossier(), makeInvoice(), { cache }));
    expect(error).toMatchObject({ kind: 'unknown-journal', messageKey: 'octopus_error_unknown_journal', params: ['V1'], retriable: false });
    expect(sim.countRequests({ route: 'buysellbookings.post' })).toBe(0);
    sim.setJournalSynced(SIM_DOSSIER_ID, 'V1', true);
    expect((await bookInvoice(client(), makeDossier(), makeInvoice(), { cache })).documentSequenceNr).toBe(42);
  });

  it('stops before posting into a closed period, and maps Octopus’s own refusal too', async () => {
    sim.closePeriod({ dossierId: SIM_DOSSIER_ID, bookyearId: SIM_BOOKYEAR_2026, period: 202603 });
    const cached = await failure(bookInvoice(client(), makeDossier(), makeInvoice()));
    expect(cached).toMatchObject({ kind: 'period-closed', messageKey: 'octopus_error_period_closed', params: ['202603', 'V1'] });
    expect(sim.countRequests({ route: 'buysellbookings.post' })).toBe(0);
    // Closed after our journals were cached: Octopus refuses with -15.
    sim.reset();
    const cache = new MemoryReferenceCache(clock);
    await bookInvoice(client(), makeDossier(), makeInvoice(), { cache });
    sim.closePeriod({ dossierId: SIM_DOSSIER_ID, bookyearId: SIM_BOOKYEAR_2026, period: 202603, mode: 'protected' });
    const live = await failure(bookInvoice(client(), makeDossier(), makeInvoice(), { cache }));
    expect(live).toMatchObject({ kind: 'period-closed', errorCode: -15, httpStatus: 403, params: ['202603', 'V1'], retriable: false });
  });

  it('refuses an unknown GL account before posting', async () => {
    const error = await failure(bookInvoice(client(), makeDossier(), makeInvoice({ direction: 'purchase', lines: [{ net: '10.00', account: '799999' }] })));
    expect(error).toMatchObject({ kind: 'unknown-account', messageKey: 'octopus_error_unknown_account', params: ['799999'] });
    expect(sim.countRequests({ route: 'buysellbookings.post' })).toBe(0);
  });

  it('says when the dossier has no bookyear for the date', async () => {
    const error = await failure(bookInvoice(client(), makeDossier(), makeInvoice({ issueDate: '2027-01-05', dueDate: '2027-02-05' })));
    expect(error).toMatchObject({ kind: 'period-closed', messageKey: 'octopus_error_unknown_bookyear', params: ['2027-01-05'] });
  });

  it('works with quarterly periods in another dossier', async () => {
    sim.reset((seed) => {
      const d = seed.dossiers[1]! as { bookyears: unknown };
      d.bookyears = [{ id: 5, description: 'BJ 2026', year: 2026, periodsPerYear: 4 }];
      (seed.dossiers[1]! as { journals: unknown }).journals = [{ key: 'V1', name: 'Verkopen', lastBookedDocumentNr: { 5: 0 } }];
    });
    const result = await bookInvoice(client(), makeDossier({ octopusDossierId: SIM_OTHER_DOSSIER_ID }), makeInvoice({ issueDate: '2026-08-10', dueDate: '2026-09-10' }));
    expect(result).toMatchObject({ bookyear: 5, bookyearLabel: 'BJ 2026', documentSequenceNr: 1 });
    expect(sim.bookings()[0]!.bookyearPeriodeNr).toBe(202603);
  });

  it('exposes the simulator control API over HTTP', async () => {
    const post = (what: string, body: unknown) => fetch(`${sim.controlUrl}/${what}`, { method: 'POST', body: JSON.stringify(body) });
    expect((await post('journal-open', { dossierId: SIM_DOSSIER_ID, journalKey: 'V1', open: true })).status).toBe(200);
    const open = await failure(bookInvoice(client(), makeDossier(), makeInvoice()));
    expect(open.kind).toBe('journal-open');
    await post('journal-open', { dossierId: SIM_DOSSIER_ID, journalKey: 'V1', open: false });
    await post('faults', { kind: 'status', status: 500, path: 'vatcodes' });
    await post('insert-booking', { dossierId: SIM_DOSSIER_ID, journalKey: 'V1', documentDate: '2026-03-01' });
    expect((await failure(client().vatCodes(SIM_DOSSIER_ID))).kind).toBe('server');
    await bookInvoice(client(), makeDossier(), makeInvoice({ number: 'HTTP-1' }));
    const bookings = (await (await fetch(`${sim.controlUrl}/bookings?dossierId=${SIM_DOSSIER_ID}`)).json()) as { documentSequenceNr: number; source: string; attachments: { fileName: string; size: number; fileData?: string }[] }[];
    expect(bookings.map((b) => [b.documentSequenceNr, b.source])).toEqual([
      [42, 'accountant'],
      [43, 'webservice'],
    ]);
    expect(bookings[1]!.attachments[0]).toEqual({ fileName: 'invoice.pdf', size: 15 });
    const state = (await (await fetch(`${sim.controlUrl}/state`)).json()) as { dossiers: { journals: { journalKey: string; bookyearId: number; lastBookedDocumentNr: number }[] }[] };
    expect(state.dossiers[0]!.journals.find((j) => j.journalKey === 'V1' && j.bookyearId === SIM_BOOKYEAR_2026)!.lastBookedDocumentNr).toBe(43);
    await post('quota', { route: 'vatcodes.get', limit: 0 });
    expect((await failure(client().vatCodes(SIM_DOSSIER_ID))).kind).toBe('quota');
    await post('reset', {});
    expect(sim.bookings()).toHaveLength(0);
  });
});
