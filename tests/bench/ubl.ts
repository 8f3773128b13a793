/**
 * `npm run bench:ubl`: speed of the UBL engine, printed in ms per document (median of many warm runs), for 10-, 100-
 * and 500-line invoices, side by side with @e-invoice-eu/core generating the same invoice (its UBL output from its
 * JSON input, which it validates with its JSON Schema on the way). Prints figures; asserts nothing about time.
 *
 *   build+check  from the model as JSON data (what `cli build` and the extension hold): zod validation of the model,
 *                writeUbl and checkInvoice (the pre-flight rules); its parts are printed as (validate) (write) (check)
 *   complete     completeInvoice: an app's draft (lines only) to the model (line amounts, VAT breakdown, totals)
 *   parse        readInvoiceXml of that UBL (safe XML parse, tree, mapping, zod validation)
 *   e-invoice-eu InvoiceService.generate(json, { format: 'UBL' }): the same invoice from its JSON input (which it
 *                validates with ajv against its JSON Schema), so the like-for-like partner of build+check
 *
 * BENCH_MS (default 1500) is the time spent per measurement after warm-up.
 */
import { invoice as invoiceSchema } from '../../lib/model/invoice';
import { completeInvoice } from '../../lib/ubl/compute';
import type { InvoiceDraft, LineDraft } from '../../lib/ubl/compute';
import { checkInvoice } from '../../lib/ubl/checks';
import { readInvoiceXml } from '../../lib/ubl/read';
import { writeUbl } from '../../lib/ubl/write';
import { eInvoiceEuService, modelToEInvoiceEuJson } from '../support/einvoice-eu';
import { belgianDraft } from '../support/fixtures';

const BUDGET_MS = Number(process.env.BENCH_MS ?? 1500);

function draftWith(lineCount: number): InvoiceDraft {
  const rates = [
    { category: 'S' as const, rate: '21' },
    { category: 'S' as const, rate: '6' },
    { category: 'S' as const, rate: '12' },
  ];
  const lines: LineDraft[] = Array.from({ length: lineCount }, (_, i) => {
    const line: LineDraft = {
      id: String(i + 1),
      description: `Artikel ${i + 1} – "spécial" & co`,
      quantity: String((i % 7) + 1),
      unitCode: i % 3 === 0 ? 'HUR' : 'C62',
      unitPrice: `${(i % 50) + 1}.${String((i * 37) % 100).padStart(2, '0')}`,
      vat: rates[i % rates.length] as LineDraft['vat'],
    };
    if (i % 5 === 0) line.allowancesCharges = [{ isCharge: false, amount: '1.00', reason: 'Korting', reasonCode: '95' }];
    return line;
  });
  return belgianDraft({
    number: `BENCH-${lineCount}`,
    lines,
    allowancesCharges: [{ isCharge: true, amount: '15.00', reason: 'Levering', reasonCode: 'FC', vat: { category: 'S', rate: '21' } }],
  });
}

async function measure(fn: () => unknown | Promise<unknown>): Promise<{ median: number; runs: number }> {
  // Warm-up: JIT and caches, at least 20 runs or 300 ms.
  const warmEnd = performance.now() + 300;
  for (let i = 0; i < 20 || performance.now() < warmEnd; i++) await fn();
  const times: number[] = [];
  const end = performance.now() + BUDGET_MS;
  while (times.length < 30 || (performance.now() < end && times.length < 100_000)) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)] as number, runs: times.length };
}

/** Reads a character in the middle, which makes V8 flatten the string the writer built piecewise: that cost counts. */
const flat = (s: string): number => s.charCodeAt(s.length >> 1);

const fmt = (ms: number): string => (ms < 1 ? ms.toFixed(3) : ms < 10 ? ms.toFixed(2) : ms.toFixed(1));

async function main(): Promise<void> {
  const service = eInvoiceEuService();
  console.log(`UBL engine benchmark — node ${process.version}, ${BUDGET_MS} ms per measurement, median ms per document\n`);
  const head = ['lines', 'build+check', '(validate)', '(write)', '(check)', 'complete', 'parse', 'e-invoice-eu', 'ratio', 'UBL KB'];
  const widths = head.map((h) => Math.max(h.length, 8));
  const row = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i] ?? 8)).join('  ');
  console.log(row(head));
  const sizes = [10, 100, 500];
  const ours: Array<Record<string, number> & { kb: number }> = [];
  // Ours first for every size, the library after: its allocations would otherwise weigh on our measurements' GC.
  for (const n of sizes) {
    const draft = draftWith(n);
    const invoice = completeInvoice(draft);
    const data: unknown = JSON.parse(JSON.stringify(invoice));
    const xml = writeUbl(invoice);
    const findings = checkInvoice(invoice);
    if (findings.some((f) => f.severity === 'fatal')) throw new Error(`the ${n}-line invoice has fatal findings: ${findings.map((f) => f.ruleId).join(', ')}`);
    const back = readInvoiceXml(xml);
    if (!back.ok) throw new Error(back.error.message);
    ours.push({
      buildCheck: (
        await measure(() => {
          const inv = invoiceSchema.parse(data);
          flat(writeUbl(inv));
          checkInvoice(inv);
        })
      ).median,
      validate: (await measure(() => invoiceSchema.parse(data))).median,
      write: (await measure(() => flat(writeUbl(invoice)))).median,
      check: (await measure(() => checkInvoice(invoice))).median,
      complete: (await measure(() => completeInvoice(draft))).median,
      parse: (await measure(() => readInvoiceXml(xml))).median,
      kb: xml.length / 1024,
    });
  }
  for (const [i, n] of sizes.entries()) {
    const o = ours[i] as (typeof ours)[number];
    const json = modelToEInvoiceEuJson(completeInvoice(draftWith(n)));
    const theirs = await service.generate(structuredClone(json), { format: 'UBL', lang: 'en-us', noWarnings: true });
    if (typeof theirs !== 'string' || !theirs.includes(`BENCH-${n}`)) throw new Error('@e-invoice-eu/core gave no UBL');
    // The library may fill defaults into its input: each run gets a fresh copy (the copy's cost is measured apart).
    const copy = await measure(() => structuredClone(json));
    const lib = await measure(() => service.generate(structuredClone(json), { format: 'UBL', lang: 'en-us', noWarnings: true }));
    const libMs = Math.max(lib.median - copy.median, 0);
    console.log(
      row([
        String(n),
        fmt(o.buildCheck as number),
        fmt(o.validate as number),
        fmt(o.write as number),
        fmt(o.check as number),
        fmt(o.complete as number),
        fmt(o.parse as number),
        fmt(libMs),
        `${(libMs / (o.buildCheck as number)).toFixed(1)}×`,
        o.kb.toFixed(0),
      ]),
    );
  }
  console.log('\nratio = e-invoice-eu ÷ build+check (above 1: ours is faster). Runs per measurement vary with the budget.');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
