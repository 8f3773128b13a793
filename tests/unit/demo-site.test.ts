import { XMLValidator } from 'fast-xml-parser';
import { Window } from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoice as invoiceSchema } from '../../lib/model/invoice';
import type { Invoice } from '../../lib/model/invoice';
import { dec, round, sum, toFixed } from '../../lib/money';
import type { Big } from '../../lib/money';
import { factuurDemo } from '../../lib/sites/factuurdemo';
import { checkInvoice } from '../../lib/ubl/checks';
import { readInvoiceXml } from '../../lib/ubl/read';
import { DEMO_STATUSES, DEMO_TODAY, demoCustomers, demoDocuments, demoSeller } from '../sandbox/demo-data';
import type { DemoDocument } from '../sandbox/demo-data';
import { formatMoneyBE, formatNumberBE } from '../sandbox/demo-format';
import { renderInvoicePdf } from '../sandbox/demo-pdf';
import { DRAFT_HAS_NO_UBL, escapeHtml, startDemoSite } from '../sandbox/demo-site';
import type { DemoSite } from '../sandbox/demo-site';

// ---------------------------------------------------------------------------------------------------------------
// Independent check-digit validators (not the ones the data set uses)
// ---------------------------------------------------------------------------------------------------------------

const mod97 = (digits: string): number => Number(BigInt(digits) % 97n);
const validEnterpriseNumber = (n: string): boolean =>
  /^[01]\d{9}$/.test(n) && 97 - mod97(n.slice(0, 8)) === Number(n.slice(8));
function validIban(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false;
  const moved = iban.slice(4) + iban.slice(0, 4);
  const numeric = moved.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  return mod97(numeric) === 1;
}
/** Belgian BBAN: 3 bank + 7 account digits, then (first 10 mod 97, 0 → 97). */
const validBelgianBban = (iban: string): boolean =>
  /^BE\d{14}$/.test(iban) && (mod97(iban.slice(4, 14)) || 97) === Number(iban.slice(14));
function validStructuredCommunication(s: string): boolean {
  const m = /^\+\+\+(\d{3})\/(\d{4})\/(\d{5})\+\+\+$/.exec(s);
  if (!m) return false;
  const d = m[1]! + m[2]! + m[3]!;
  return (mod97(d.slice(0, 10)) || 97) === Number(d.slice(10));
}
/** Dutch VAT (RSIN-based): NL + 9 digits (weights 9…2, check = sum mod 11) + B + 2 digits. */
function validDutchVat(v: string): boolean {
  const m = /^NL(\d{9})B\d{2}$/.exec(v);
  if (!m) return false;
  const d = m[1]!;
  let s = 0;
  for (let i = 0; i < 8; i++) s += Number(d[i]) * (9 - i);
  return s % 11 === Number(d[8]);
}

// ---------------------------------------------------------------------------------------------------------------
// The data set
// ---------------------------------------------------------------------------------------------------------------

const invoices = demoDocuments.filter((d) => d.invoice.kind === 'invoice');
const creditNotes = demoDocuments.filter((d) => d.invoice.kind === 'credit-note');

describe('demo data set', () => {
  it('has 20 invoices and 2 credit notes with unique ids, numbered in sequence', () => {
    expect(demoDocuments).toHaveLength(22);
    expect(invoices).toHaveLength(20);
    expect(creditNotes).toHaveLength(2);
    expect(new Set(demoDocuments.map((d) => d.id)).size).toBe(22);
    expect(invoices.map((d) => d.invoice.number)).toEqual(Array.from({ length: 20 }, (_, i) => `2026-${String(i + 1).padStart(4, '0')}`));
    expect(creditNotes.map((d) => d.invoice.number)).toEqual(['CN-2026-0001', 'CN-2026-0002']);
    for (const d of demoDocuments) expect(d.id).toBe(d.invoice.number);
    // Issued in order, from September to November 2026.
    const dates = demoDocuments.map((d) => d.invoice.issueDate);
    expect([...dates].sort()).toEqual(dates);
    expect(dates[0]! >= '2026-09-01' && dates[dates.length - 1]! <= '2026-11-30').toBe(true);
  });

  it('parses with the model, unchanged (every document is already in its parsed form)', () => {
    for (const d of demoDocuments) {
      const parsed = invoiceSchema.parse(JSON.parse(JSON.stringify(d.invoice)));
      expect(parsed).toEqual(d.invoice);
    }
  });

  it('covers every app status, consistent with the demo date', () => {
    expect(new Set(demoDocuments.map((d) => d.status))).toEqual(new Set(DEMO_STATUSES));
    for (const d of invoices) {
      const due = d.invoice.dueDate!;
      if (d.status === 'overdue') expect(due < DEMO_TODAY, d.id).toBe(true);
      if (d.status === 'sent') expect(due >= DEMO_TODAY, d.id).toBe(true);
    }
  });

  it('uses the Belgian rates 21/12/6/0, intra-Community supply, multi-rate invoices, allowances, a charge and a prepayment', () => {
    const lineVat = new Set(demoDocuments.flatMap((d) => d.invoice.lines.map((l) => `${l.vat.category}${l.vat.rate}`)));
    expect(lineVat).toEqual(new Set(['S21', 'S12', 'S6', 'Z0', 'K0']));
    expect(invoices.filter((d) => d.invoice.vatBreakdown.length > 1).length).toBeGreaterThanOrEqual(3);
    expect(demoDocuments.filter((d) => d.invoice.lines.some((l) => l.allowancesCharges.length > 0))).toHaveLength(1);
    expect(demoDocuments.filter((d) => d.invoice.allowancesCharges.some((a) => !a.isCharge))).toHaveLength(1);
    expect(demoDocuments.filter((d) => d.invoice.allowancesCharges.some((a) => a.isCharge))).toHaveLength(1);
    expect(demoDocuments.filter((d) => dec(d.invoice.totals.prepaid).gt(0))).toHaveLength(1);
    const ic = demoDocuments.filter((d) => d.invoice.vatBreakdown.some((b) => b.category === 'K'));
    expect(ic.length).toBeGreaterThan(0);
    for (const d of ic) {
      expect(d.invoice.buyer.address.countryCode).toBe('NL');
      expect(d.invoice.delivery?.date).toBeDefined();
      expect(d.invoice.vatBreakdown.find((b) => b.category === 'K')?.exemptionReasonCode).toBe('VATEX-EU-IC');
    }
  });

  it('has 6–8 customers: Belgian companies, a Dutch company and a private person', () => {
    expect(demoCustomers.length).toBeGreaterThanOrEqual(6);
    expect(demoCustomers.length).toBeLessThanOrEqual(8);
    const parties = demoCustomers.map((c) => c.party);
    expect(parties.filter((p) => p.address.countryCode === 'BE' && p.enterpriseNumber).length).toBeGreaterThanOrEqual(5);
    expect(parties.filter((p) => p.address.countryCode === 'NL')).toHaveLength(1);
    expect(parties.filter((p) => !p.vatId && !p.enterpriseNumber)).toHaveLength(1);
  });

  it('has valid check digits: enterprise and VAT numbers, IBAN, Dutch VAT, structured communications', () => {
    for (const p of [demoSeller, ...demoCustomers.map((c) => c.party)]) {
      if (p.enterpriseNumber) expect(validEnterpriseNumber(p.enterpriseNumber), p.name).toBe(true);
      if (p.vatId?.startsWith('BE')) expect(p.vatId, p.name).toBe(`BE${p.enterpriseNumber}`);
      if (p.vatId?.startsWith('NL')) expect(validDutchVat(p.vatId), p.name).toBe(true);
      if (p.endpoint?.scheme === '0208') expect(p.endpoint.id).toBe(p.enterpriseNumber);
    }
    for (const d of invoices) {
      const pm = d.invoice.paymentMeans!;
      expect(validIban(pm.iban!), d.id).toBe(true);
      expect(validBelgianBban(pm.iban!), d.id).toBe(true);
      expect(pm.bic).toMatch(/^[A-Z]{4}BE[A-Z0-9]{2}([A-Z0-9]{3})?$/);
      expect(validStructuredCommunication(pm.paymentId!), `${d.id} ${pm.paymentId}`).toBe(true);
    }
    expect(new Set(invoices.map((d) => d.invoice.paymentMeans?.paymentId)).size).toBe(20);
    // The validators do reject bad input.
    expect(validEnterpriseNumber('0792345687')).toBe(false);
    expect(validIban('BE11001445566749')).toBe(false);
    expect(validStructuredCommunication('+++002/0260/00197+++')).toBe(false);
    expect(validDutchVat('NL855123498B01')).toBe(false);
  });

  it('satisfies the EN 16931 arithmetic (recomputed with lib/money)', () => {
    for (const d of demoDocuments) {
      const inv = d.invoice;
      const t = inv.totals;
      const at = (what: string): string => `${d.id} ${what}`;
      for (const l of inv.lines) {
        for (const ac of l.allowancesCharges) {
          if (ac.percent) expect(ac.amount, at(`line ${l.id} allowance`)).toBe(toFixed(round(dec(ac.baseAmount!).times(ac.percent).div(100))));
        }
        const allowances = sum(l.allowancesCharges.filter((a) => !a.isCharge).map((a) => a.amount));
        const charges = sum(l.allowancesCharges.filter((a) => a.isCharge).map((a) => a.amount));
        expect(l.netAmount, at(`line ${l.id}`)).toBe(toFixed(round(dec(l.quantity).times(l.unitPrice)).minus(allowances).plus(charges)));
      }
      const docAllowances = inv.allowancesCharges.filter((a) => !a.isCharge);
      const docCharges = inv.allowancesCharges.filter((a) => a.isCharge);
      expect(t.lineExtension, at('BR-CO-10')).toBe(toFixed(sum(inv.lines.map((l) => l.netAmount))));
      expect(t.allowanceTotal, at('BR-CO-11')).toBe(toFixed(sum(docAllowances.map((a) => a.amount))));
      expect(t.chargeTotal, at('BR-CO-12')).toBe(toFixed(sum(docCharges.map((a) => a.amount))));
      expect(t.taxExclusive, at('BR-CO-13')).toBe(toFixed(dec(t.lineExtension).minus(t.allowanceTotal).plus(t.chargeTotal)));
      expect(t.taxTotal, at('BR-CO-14')).toBe(toFixed(sum(inv.vatBreakdown.map((b) => b.taxAmount))));
      expect(t.taxInclusive, at('BR-CO-15')).toBe(toFixed(dec(t.taxExclusive).plus(t.taxTotal)));
      expect(t.payable, at('BR-CO-16')).toBe(toFixed(dec(t.taxInclusive).minus(t.prepaid).plus(t.rounding)));
      // BR-CO-17 and the per-category rules: one group per category + rate, taxable = its lines − allowances + charges.
      const key = (v: { category: string; rate: string }): string => `${v.category}:${dec(v.rate).toString()}`;
      const keys = new Set([...inv.lines.map((l) => key(l.vat)), ...inv.allowancesCharges.map((a) => key(a.vat!))]);
      expect(new Set(inv.vatBreakdown.map(key)), at('groups')).toEqual(keys);
      for (const b of inv.vatBreakdown) {
        const inGroup = <T extends { vat?: { category: string; rate: string } }>(xs: T[]): T[] => xs.filter((x) => x.vat && key(x.vat) === key(b));
        const taxable: Big = sum(inGroup(inv.lines).map((l) => l.netAmount))
          .minus(sum(inGroup(docAllowances).map((a) => a.amount)))
          .plus(sum(inGroup(docCharges).map((a) => a.amount)));
        expect(b.taxableAmount, at(`taxable ${key(b)}`)).toBe(toFixed(taxable));
        expect(b.taxAmount, at(`tax ${key(b)}`)).toBe(toFixed(round(taxable.times(b.rate).div(100))));
      }
      for (const v of [t.lineExtension, t.taxExclusive, t.taxTotal, t.taxInclusive, t.payable]) expect(v).toMatch(/^\d+\.\d{2}$/);
    }
  });

  it('credit notes reference the invoice they correct', () => {
    for (const cn of creditNotes) {
      const ref = cn.invoice.billingReference!;
      const original = invoices.find((d) => d.invoice.number === ref.number);
      expect(original, cn.id).toBeDefined();
      expect(ref.issueDate).toBe(original!.invoice.issueDate);
      expect(cn.invoice.buyer).toEqual(original!.invoice.buyer);
      expect(cn.invoice.issueDate > original!.invoice.issueDate).toBe(true);
      expect(cn.invoice.typeCode).toBe('381');
      expect(dec(cn.invoice.totals.payable).lte(original!.invoice.totals.payable)).toBe(true);
    }
    // The cancelled invoice is credited in full.
    const cancelled = invoices.find((d) => d.status === 'cancelled')!;
    const full = creditNotes.find((d) => d.invoice.billingReference?.number === cancelled.invoice.number)!;
    expect(full.invoice.totals).toEqual(cancelled.invoice.totals);
  });

  it("passes the pre-flight checks (the private person's invoices only lack a Peppol address, as B2C invoices do)", () => {
    for (const d of demoDocuments) {
      const fatal = [...new Set(checkInvoice(d.invoice).filter((f) => f.severity === 'fatal').map((f) => f.ruleId))];
      const b2c = !d.invoice.buyer.vatId && !d.invoice.buyer.enterpriseNumber;
      expect(fatal, d.id).toEqual(b2c ? ['PEPPOL-EN16931-R010'] : []);
    }
  });
});

describe('demo formats', () => {
  it('formats Belgian amounts', () => {
    expect(formatNumberBE('1234567.5')).toBe('1.234.567,50');
    expect(formatMoneyBE('1234.56')).toBe('€ 1.234,56');
    expect(formatMoneyBE('1234.56', true)).toBe('€ -1.234,56');
    expect(formatMoneyBE('0.5')).toBe('€ 0,50');
    expect(formatMoneyBE('999')).toBe('€ 999,00');
  });
  it('escapes HTML', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The PDF
// ---------------------------------------------------------------------------------------------------------------

/** Checks the file structure a reader relies on: header, trailer, startxref, every xref offset, stream lengths. */
function verifyPdf(bytes: Uint8Array): { objects: number; text: string } {
  const text = Buffer.from(bytes).toString('latin1');
  expect(text.startsWith('%PDF-1.4\n')).toBe(true);
  expect(text.endsWith('%%EOF\n')).toBe(true);
  const startxref = /startxref\n(\d+)\n%%EOF\n$/.exec(text);
  expect(startxref).not.toBeNull();
  const xrefAt = Number(startxref![1]);
  expect(text.slice(xrefAt, xrefAt + 5)).toBe('xref\n');
  const head = /^xref\n0 (\d+)\n/.exec(text.slice(xrefAt))!;
  const count = Number(head[1]);
  const entriesAt = xrefAt + head[0].length;
  for (let i = 0; i < count; i++) {
    const entry = text.slice(entriesAt + i * 20, entriesAt + (i + 1) * 20);
    expect(entry, `xref entry ${i}`).toMatch(/^\d{10} \d{5} [nf] \n$/);
    if (i === 0) {
      expect(entry).toBe('0000000000 65535 f \n');
      continue;
    }
    const offset = Number(entry.slice(0, 10));
    expect(text.slice(offset, offset + `${i} 0 obj`.length), `object ${i} at ${offset}`).toBe(`${i} 0 obj`);
  }
  expect(text.slice(entriesAt + count * 20, entriesAt + count * 20 + 7)).toBe('trailer');
  expect(text).toMatch(new RegExp(`/Size ${count} /Root 1 0 R`));
  // Stream lengths.
  for (const m of text.matchAll(/<< \/Length (\d+) >>\nstream\n/g)) {
    const start = m.index + m[0].length;
    expect(text.slice(start + Number(m[1]), start + Number(m[1]) + 10)).toBe('\nendstream');
  }
  return { objects: count - 1, text };
}

describe('demo PDF', () => {
  it('is a well-formed one-page PDF 1.4 for every document, with the number, lines and totals as text', () => {
    for (const d of demoDocuments) {
      const { objects, text } = verifyPdf(renderInvoicePdf(d.invoice, { draft: d.status === 'draft' }));
      expect(objects).toBe(7);
      expect(text).toContain('/Count 1');
      expect(text).toContain(`(${d.invoice.number}) Tj`);
      expect(text).toContain(`(\\200 ${formatNumberBE(d.invoice.totals.payable)}) Tj`); // € is \200 in WinAnsi
      for (const l of d.invoice.lines.slice(0, 3)) expect(text).toContain(formatNumberBE(l.netAmount));
      // Only ASCII in the file after the binary marker comment.
      expect(/[^\x00-\x7f]/.test(text.slice(16))).toBe(false);
    }
  });

  it('is deterministic and escapes PDF string delimiters', () => {
    const d = demoDocuments[0]!;
    expect(renderInvoicePdf(d.invoice)).toEqual(renderInvoicePdf(d.invoice));
    const tricky: Invoice = { ...d.invoice, note: 'Haakjes (zoals deze) en een backslash \\ – café €' };
    const { text } = verifyPdf(renderInvoicePdf(tricky));
    expect(text).toContain('Haakjes \\(zoals deze\\) en een backslash \\\\ \\226 caf\\351 \\200');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The site
// ---------------------------------------------------------------------------------------------------------------

let site: DemoSite;
const window = new Window({ url: 'http://127.0.0.1/' });
const parse = (html: string): Document => new window.DOMParser().parseFromString(html, 'text/html') as unknown as Document;
const get = (path: string, init?: RequestInit): Promise<Response> => fetch(`${site.url}${path}`, init);
const byId = (id: string): DemoDocument => demoDocuments.find((d) => d.id === id)!;

beforeAll(async () => {
  site = await startDemoSite();
});
afterAll(async () => {
  await site?.close();
  await window.happyDOM.close();
});

describe('demo site', () => {
  it('starts on 127.0.0.1 with the documents', () => {
    expect(site.url).toBe(`http://127.0.0.1:${site.port}`);
    expect(site.documents).toBe(demoDocuments);
  });

  it('serves the invoice list: 22 rows, newest first, with the cells the adapter reads', async () => {
    const res = await get('/invoices');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(html).toContain('<html lang="nl">');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//); // no external resources
    const doc = parse(html);
    expect(doc.querySelector('meta[name="generator"]')?.getAttribute('content')).toBe('FactuurDemo 1.0');
    expect(Array.from(doc.querySelectorAll('table#invoice-list.invoices thead th')).map((th) => th.textContent)).toEqual([
      'Nummer', 'Datum', 'Klant', 'Bedrag', 'Status', 'Acties',
    ]);
    const rows = Array.from(doc.querySelectorAll('table#invoice-list tbody tr[data-invoice-id]'));
    expect(rows).toHaveLength(22);
    const ids = rows.map((r) => r.getAttribute('data-invoice-id')!);
    const dates = ids.map((id) => byId(id).invoice.issueDate);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(ids[0]).toBe('2026-0020');
    for (const row of rows) {
      const d = byId(row.getAttribute('data-invoice-id')!);
      const inv = d.invoice;
      const link = row.querySelector('td.col-number a')!;
      expect(link.getAttribute('href')).toBe(`/invoices/${d.id}`);
      expect(link.textContent).toBe(inv.number);
      expect(row.querySelector('td.col-number')!.textContent!.trim()).toBe(inv.number);
      const [y, m, day] = inv.issueDate.split('-');
      expect(row.querySelector('td.col-date')!.textContent).toBe(`${day}/${m}/${y}`);
      expect(row.querySelector('td.col-customer')!.textContent).toBe(inv.buyer.name);
      const total = row.querySelector('td.col-total')!.textContent!;
      expect(total).toMatch(/^€ -?\d{1,3}(\.\d{3})*,\d{2}$/);
      expect(total).toBe(formatMoneyBE(inv.totals.taxInclusive, inv.kind === 'credit-note'));
      expect(total.startsWith('€ -')).toBe(inv.kind === 'credit-note');
      expect(row.getAttribute('data-status')).toBe(d.status);
      expect(row.querySelector('td.col-status .badge')).not.toBeNull();
      const actions = Array.from(row.querySelectorAll('td.col-actions a')).map((a) => [a.textContent, a.getAttribute('href')]);
      expect(actions).toEqual(
        d.status === 'draft'
          ? [['PDF', `/invoices/${d.id}/pdf`]]
          : [['PDF', `/invoices/${d.id}/pdf`], ['UBL', `/invoices/${d.id}/ubl`]],
      );
    }
    expect(doc.querySelector('tr[data-invoice-id="CN-2026-0001"] td.col-total')!.textContent).toBe('€ -663,15');
  });

  it('filters the list by status', async () => {
    for (const status of DEMO_STATUSES) {
      const doc = parse(await (await get(`/invoices?status=${status}`)).text());
      const rows = Array.from(doc.querySelectorAll('tr[data-invoice-id]'));
      expect(rows.map((r) => r.getAttribute('data-status'))).toEqual(demoDocuments.filter((d) => d.status === status).map(() => status));
    }
    const all = parse(await (await get('/invoices?status=nonsense')).text());
    expect(all.querySelectorAll('tr[data-invoice-id]')).toHaveLength(22);
  });

  it('serves a detail page per document', async () => {
    for (const d of demoDocuments) {
      const res = await get(`/invoices/${d.id}`);
      expect(res.status, d.id).toBe(200);
      const doc = parse(await res.text());
      const root = doc.querySelector('.invoice-detail[data-invoice-id]')!;
      expect(root.getAttribute('data-invoice-id')).toBe(d.id);
      expect(root.getAttribute('data-status')).toBe(d.status);
      expect(root.querySelector('.invoice-number')!.textContent).toBe(d.invoice.number);
      expect(root.querySelector('.status')).not.toBeNull();
      const actions = root.querySelector('.invoice-actions')!;
      expect(actions.querySelector(`a[href="/invoices/${d.id}/pdf"]`)).not.toBeNull();
      expect(actions.querySelector(`a[href="/invoices/${d.id}/ubl"]`) !== null).toBe(d.status !== 'draft');
      expect(root.querySelectorAll('table.lines tbody tr').length).toBe(d.invoice.lines.length + d.invoice.allowancesCharges.length);
      expect(root.querySelectorAll('table.vat-breakdown tbody tr').length).toBe(d.invoice.vatBreakdown.length);
      expect(root.querySelector('table.totals tr.grand')!.textContent).toContain(formatMoneyBE(d.invoice.totals.payable));
      const text = root.textContent ?? '';
      expect(text).toContain(d.invoice.buyer.name);
      if (d.invoice.paymentMeans?.paymentId) expect(text).toContain(d.invoice.paymentMeans.paymentId);
      if (d.invoice.billingReference) {
        expect(root.querySelector(`a[href="/invoices/${d.invoice.billingReference.number}"]`)).not.toBeNull();
      }
    }
    expect((await get('/invoices/2026-0001/')).status).toBe(200);
  });

  it('serves the PDF as a download', async () => {
    const res = await get('/invoices/2026-0012/pdf');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="2026-0012.pdf"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    verifyPdf(bytes);
    expect(bytes).toEqual(renderInvoicePdf(byId('2026-0012').invoice));
    const draft = new Uint8Array(await (await get('/invoices/2026-0020/pdf')).arrayBuffer());
    expect(verifyPdf(draft).text).toContain('(CONCEPT-FACTUUR) Tj');
  });

  it('serves the UBL (Peppol BIS 3, PDF embedded) for every validated document', async () => {
    for (const d of demoDocuments.filter((x) => x.status !== 'draft')) {
      const res = await get(`/invoices/${d.id}/ubl`);
      expect(res.status, d.id).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${d.invoice.number}.xml"`);
      const xml = await res.text();
      expect(XMLValidator.validate(xml), d.id).toBe(true);
      expect(xml).toContain(d.invoice.kind === 'credit-note' ? '<CreditNote' : '<Invoice');
      expect(xml).toContain(`<cbc:ID>${d.invoice.number}</cbc:ID>`);
      const read = readInvoiceXml(xml);
      if (!read.ok) throw new Error(`${d.id}: ${read.error.message}`);
      expect(read.invoice.number).toBe(d.invoice.number);
      expect(read.invoice.kind).toBe(d.invoice.kind);
      expect(read.invoice.totals).toEqual(d.invoice.totals);
      expect(read.invoice.vatBreakdown.map((b) => [b.category, b.taxableAmount, b.taxAmount])).toEqual(
        d.invoice.vatBreakdown.map((b) => [b.category, b.taxableAmount, b.taxAmount]),
      );
      expect(read.invoice.paymentMeans?.paymentId).toBe(d.invoice.paymentMeans?.paymentId);
      expect(read.invoice.attachments).toHaveLength(1);
      const att = read.invoice.attachments[0]!;
      expect(att).toMatchObject({ id: d.invoice.number, filename: `${d.invoice.number}.pdf`, mimeType: 'application/pdf' });
      expect(new Uint8Array(Buffer.from(att.contentBase64, 'base64'))).toEqual(renderInvoicePdf(d.invoice));
    }
  });

  it('has no UBL for drafts', async () => {
    for (const d of demoDocuments.filter((x) => x.status === 'draft')) {
      const res = await get(`/invoices/${d.id}/ubl`);
      expect(res.status).toBe(404);
      expect(await res.text()).toBe(DRAFT_HAS_NO_UBL);
    }
  });

  it('serves the model JSON', async () => {
    const res = await get('/api/invoices/2026-0007.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const json: unknown = await res.json();
    expect(invoiceSchema.parse(json)).toEqual(byId('2026-0007').invoice);
  });

  it('answers 404 to everything else, 405 to other methods, and redirects /', async () => {
    for (const path of ['/nope', '/invoices/nope', '/invoices/nope/pdf', '/invoices/nope/ubl', '/api/invoices/nope.json', '/invoices/2026-0001/xml', '/invoices/%E0%A4%A', '/favicon.ico', '/api/invoices/2026-0001']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      await res.arrayBuffer();
    }
    const post = await get('/invoices', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await get('/invoices/2026-0001/pdf', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(1000);
    const root = await get('/', { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/invoices');
  });
});

describe('the FactuurDemo adapter against the demo site', () => {
  it('detects the pages and reads rows and details; drafts are not sendable', async () => {
    const list = parse(await (await get('/invoices')).text());
    expect(factuurDemo.detect(list, new URL(`${site.url}/invoices`))).toBe('list');
    const rows = Array.from(list.querySelectorAll(factuurDemo.selectors.listRow.variants[0]!));
    expect(rows).toHaveLength(22);
    for (const row of rows) {
      const info = factuurDemo.rowInfo(row)!;
      const d = byId(info.documentId);
      expect(info.number).toBe(d.invoice.number);
      expect(info.sendable).toBe(d.status !== 'draft');
      expect(row.querySelector(factuurDemo.selectors.rowActions.variants[0]!)).not.toBeNull();
    }
    const detail = parse(await (await get('/invoices/2026-0019')).text());
    expect(factuurDemo.detect(detail, new URL(`${site.url}/invoices/2026-0019`))).toBe('detail');
    expect(factuurDemo.detailInfo(detail)).toMatchObject({ documentId: '2026-0019', number: '2026-0019', sendable: false });
    expect(detail.querySelector(factuurDemo.selectors.detailActions.variants[0]!)).not.toBeNull();
  });

  it('fetches a document through the UBL route', async () => {
    const fetched = await factuurDemo.fetchDocument(site.url, 'CN-2026-0002', fetch);
    expect(fetched.invoice.number).toBe('CN-2026-0002');
    expect(fetched.invoice.billingReference?.number).toBe('2026-0011');
    expect(fetched.invoice.totals.payable).toBe('22.26');
    await expect(factuurDemo.fetchDocument(site.url, '2026-0020', fetch)).rejects.toMatchObject({ key: 'error_site_http' });
  });
});
