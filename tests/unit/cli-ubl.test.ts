/**
 * `npm run -s cli -- validate|parse|build`: in-process through runCli (exit codes, output, languages), and once as a
 * real subprocess through `npx tsx lib/cli/main.ts`.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/main';
import { completeInvoice } from '../../lib/ubl/compute';
import { readInvoiceXml } from '../../lib/ubl/read';
import { writeUbl } from '../../lib/ubl/write';
import { belgianDraft } from '../support/fixtures';
import { REPO_ROOT, SAMPLES_DIR } from '../support/samples';

const dir = mkdtempSync(join(tmpdir(), 'octobridge-cli-ubl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function cli(args: string[], env: Record<string, string | undefined> = { LANG: 'en_US.UTF-8' }): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), env });
  return { code, out, err };
}

const goodInvoice = completeInvoice(belgianDraft());
const goodXml = file('good.xml', writeUbl(goodInvoice));
const badTotals = structuredClone(goodInvoice);
badTotals.totals.payable = '1.00';
const badXml = file('bad-payable.xml', writeUbl(badTotals));
const IP = join(REPO_ROOT, 'tests', 'fixtures', 'invoiceplane');

describe('validate', () => {
  it('exit 0 and "no findings" for a valid invoice', async () => {
    const r = await cli(['validate', goodXml]);
    expect(r).toEqual({ code: 0, out: `Read ${goodXml} as Peppol BIS 3.0 UBL, invoice F2026-0042.\nNo findings: the document passes the checks.\n`, err: '' });
  });

  it('exit 1 with rule id, severity, location and message for a fatal finding, in the language asked', async () => {
    const en = await cli(['validate', badXml]);
    expect(en.code).toBe(1);
    expect(en.out).toMatch(/^fatal\s+BR-CO-16\s+totals\.payable\s+.*\S/m);
    expect(en.out).toMatch(/^1 fatal, 0 warning\(s\)\.$/m);
    const nl = await cli(['validate', badXml, '--lang', 'nl']);
    expect(nl.code).toBe(1);
    expect(nl.out).toMatch(/^blokkerend\s+BR-CO-16\s+totals\.payable\s+/m);
    expect(nl.out).toContain('gelezen als Peppol BIS 3.0 UBL, factuur F2026-0042.');
    const fr = await cli(['validate', '--lang=fr', badXml]);
    expect(fr.out).toMatch(/^bloquant\s+BR-CO-16\s+totals\.payable\s+/m);
    // Without --lang, LANG decides; LC_ALL wins over LANG.
    expect((await cli(['validate', badXml], { LANG: 'nl_BE.UTF-8' })).out).toMatch(/^blokkerend/m);
    expect((await cli(['validate', badXml], { LANG: 'nl_BE.UTF-8', LC_ALL: 'fr_BE.UTF-8' })).out).toMatch(/^bloquant/m);
    expect((await cli(['validate', badXml], { LANG: 'de_DE.UTF-8' })).out).toMatch(/^fatal/m);
  });

  it('reads CII and PDF too, and lists what the reader had to guess as warnings', async () => {
    const cii = await cli(['validate', join(IP, 'RE-2026-0002.zugferd.xml')]);
    expect(cii.code).toBe(1); // InvoicePlane leaves out the seller's VAT number
    expect(cii.out).toContain('as ZUGFeRD 1.0, invoice RE-2026-0002.');
    expect(cii.out).toMatch(/^warning\s+OB-READ\s+\S*ram:ApplicableTradeTax\/ram:CategoryCode\s+VAT category code missing; taken as K/m);
    const pdf = await cli(['validate', join(IP, 'Invoice_RE-2026-0002.pdf')]);
    expect(pdf.out).toContain('as ZUGFeRD 1.0, invoice RE-2026-0002 (embedded in the PDF as ZUGFeRD-invoice.xml).');
    const official = await cli(['validate', join(SAMPLES_DIR, 'base-example.xml')]);
    expect(official.code).toBe(0);
  });

  it('exit 1 for an unreadable document, exit 2 for a missing file or wrong use', async () => {
    const broken = await cli(['validate', file('broken.xml', '<Invoice><cbc:ID>1</Invoice>')]);
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(/cannot be read as an invoice:\n {2}fatal {2}- {2}Not well-formed XML: .*\(line 1, column \d+\)\.\n$/);
    const brokenNl = await cli(['validate', join(dir, 'broken.xml'), '--lang', 'nl']);
    expect(brokenNl.err).toMatch(/Geen geldige XML: .*\(regel 1, kolom \d+\)\./);
    expect(await cli(['validate', join(dir, 'nope.xml')])).toEqual({ code: 2, out: '', err: `Cannot open ${join(dir, 'nope.xml')}: no such file\n` });
    expect((await cli(['validate'])).code).toBe(2);
    expect((await cli(['validate', goodXml, badXml])).code).toBe(2);
    expect(await cli(['validate', goodXml, '--lang', 'de'])).toMatchObject({ code: 2, err: 'Unknown language "de": use en, nl or fr.\n' });
  });
});

describe('parse', () => {
  it('prints the model JSON of UBL, CII and PDF', async () => {
    const r = await cli(['parse', goodXml]);
    expect(r.code).toBe(0);
    const read = readInvoiceXml(readFileSync(goodXml, 'utf8'));
    expect(JSON.parse(r.out)).toEqual(read.ok && JSON.parse(JSON.stringify(read.invoice)));
    expect(JSON.parse(r.out)).toMatchObject({ number: goodInvoice.number, totals: goodInvoice.totals, vatBreakdown: goodInvoice.vatBreakdown });
    const pdf = await cli(['parse', join(IP, 'Invoice_RE-2026-0002.pdf')]);
    expect(pdf.code).toBe(0);
    expect(JSON.parse(pdf.out)).toMatchObject({ number: 'RE-2026-0002', totals: { payable: '1580.00', prepaid: '1000.00' } });
    expect(pdf.err).toMatch(/^warning: .*VAT category code missing/m);
  });
});

describe('build', () => {
  it('turns parse output back into the same UBL, and a draft (lines only) into a complete invoice', async () => {
    const parsed = await cli(['parse', goodXml]);
    const built = await cli(['build', file('model.json', parsed.out)]);
    expect(built).toEqual({ code: 0, out: readFileSync(goodXml, 'utf8'), err: '' });
    const draft = { ...belgianDraft() } as Record<string, unknown>;
    const fromDraft = await cli(['build', file('draft.json', JSON.stringify(draft))]);
    expect(fromDraft.code).toBe(0);
    const back = readInvoiceXml(fromDraft.out);
    expect(back.ok && back.invoice.totals).toEqual(goodInvoice.totals);
  });

  it('invalid JSON or model: a clear error naming the field, exit 2', async () => {
    const badJson = await cli(['build', file('bad.json', '{\n  "kind": "invoice",\n  "lines": [}\n')]);
    expect(badJson.code).toBe(2);
    expect(badJson.err).toBe(`${join(dir, 'bad.json')} is not valid JSON: unexpected "}" (line 3, column 13)\n`);
    const model = JSON.parse(JSON.stringify(goodInvoice)) as { lines: Array<{ quantity: string }>; seller: { vatId: string } };
    model.lines[1]!.quantity = '1,5';
    const badQty = await cli(['build', file('bad-qty.json', JSON.stringify(model))]);
    expect(badQty).toEqual({ code: 2, out: '', err: `${join(dir, 'bad-qty.json')} is not a valid invoice: field lines[1].quantity: decimal number expected, e.g. 1234.50\n` });
    const noSeller = JSON.parse(JSON.stringify(goodInvoice)) as Record<string, unknown>;
    delete noSeller.seller;
    const r = await cli(['build', file('no-seller.json', JSON.stringify(noSeller)), '--lang', 'nl']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is geen geldige factuur: veld seller: /);
    expect((await cli(['build', file('array.json', '[1,2]')])).err).toMatch(/is not a valid invoice: field \(document\): an object/);
  });
});

describe('as a subprocess (npx tsx lib/cli/main.ts)', () => {
  it('validate exits 1 on a fatal finding and prints it; build prints UBL', async () => {
    const run = promisify(execFile);
    const env = { ...process.env, LANG: 'fr_BE.UTF-8', LC_ALL: '', LC_MESSAGES: '' };
    const failed = await run('npx', ['tsx', 'lib/cli/main.ts', 'validate', badXml], { cwd: REPO_ROOT, env }).then(
      () => ({ code: 0, stdout: '' }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^bloquant\s+BR-CO-16\s+totals\.payable\s+/m);
    const built = await run('npx', ['tsx', 'lib/cli/main.ts', 'build', file('model2.json', JSON.stringify(goodInvoice))], { cwd: REPO_ROOT, env });
    expect(built.stdout).toBe(readFileSync(goodXml, 'utf8'));
  }, 60_000);

  it('build writes all of a large document into a pipe whose reader is slow (no cut at the pipe buffer)', async () => {
    const lines = Array.from({ length: 900 }, (_, i) => ({ id: String(i + 1), description: `Regel ${i + 1} – levering`, quantity: '1', unitPrice: '2.50', vat: { category: 'S' as const, rate: '21' } }));
    const big = completeInvoice(belgianDraft({ lines }));
    const expected = writeUbl(big);
    expect(Buffer.byteLength(expected)).toBeGreaterThan(256 * 1024);
    const child = spawn('npx', ['tsx', 'lib/cli/main.ts', 'build', file('big.json', JSON.stringify(big))], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    // Nothing is read for a while, so the pipe fills and the CLI is done writing before the reader catches up.
    child.stdout.pause();
    await new Promise((r) => setTimeout(r, 4000));
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stdout.resume();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(expected);
  }, 60_000);
});
