import type { Invoice } from '../../lib/model/invoice';
import { dec } from '../../lib/money';
import {
  COUNTRY_NAMES,
  UNIT_LABELS,
  formatDateBE,
  formatEnterpriseNumber,
  formatIban,
  formatMoneyBE,
  formatNumberBE,
  formatQuantityBE,
} from './demo-format';

/**
 * The PDF of a demo document: one A4 page, Helvetica, header, lines, VAT breakdown and totals as plain text.
 *
 * Hand-written on purpose: a PDF 1.4 file with one page of text is five objects and an xref table, a few dozen
 * lines of code (`pdfFile` below). A PDF library would be a dependency for the sandbox only, and its output would
 * change with its version; this output is byte-for-byte deterministic (no timestamps, no random ids), so tests can
 * compare it and the UBL that embeds it. The text uses the standard 14 fonts (no embedding) in WinAnsiEncoding,
 * which covers Dutch and French (é, è, ç, û…) and the euro sign.
 */

export interface DemoPdfOptions {
  /** Prints "CONCEPT" in the title, as apps do for drafts. */
  draft?: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// The file format: objects, xref, trailer
// ---------------------------------------------------------------------------------------------------------------

/** A complete PDF 1.4 file from its objects (object i + 1 is objects[i]); every byte offset in the xref is exact. */
export function pdfFile(objects: readonly string[], rootRef: number, infoRef?: number): Uint8Array {
  const ascii = (s: string): number[] => Array.from(s, (ch) => ch.charCodeAt(0) & 0xff);
  // The second line marks the file as binary for transfer tools (bytes > 127 in a comment), as the spec suggests.
  const bytes: number[] = [...ascii('%PDF-1.4\n%'), 0xe2, 0xe3, 0xcf, 0xd3, 0x0a];
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(bytes.length);
    bytes.push(...ascii(`${i + 1} 0 obj\n${body}\nendobj\n`));
  });
  const xrefAt = bytes.length;
  // Each xref entry is exactly 20 bytes: 10-digit offset, space, 5-digit generation, space, n/f, space, LF.
  let xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) xref += `${String(offset).padStart(10, '0')} 00000 n \n`;
  xref += `trailer\n<< /Size ${objects.length + 1} /Root ${rootRef} 0 R${infoRef ? ` /Info ${infoRef} 0 R` : ''} >>\n`;
  xref += `startxref\n${xrefAt}\n%%EOF\n`;
  bytes.push(...ascii(xref));
  return Uint8Array.from(bytes);
}

/** Unicode → WinAnsiEncoding (CP1252) bytes; what the encoding lacks becomes "?". */
const WIN_ANSI_EXTRA: Readonly<Record<string, number>> = {
  '€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88, '‰': 0x89, 'Š': 0x8a,
  '‹': 0x8b, 'Œ': 0x8c, 'Ž': 0x8e, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97,
  '˜': 0x98, '™': 0x99, 'š': 0x9a, '›': 0x9b, 'œ': 0x9c, 'ž': 0x9e, 'Ÿ': 0x9f,
};

function winAnsi(text: string): number[] {
  return Array.from(text, (ch) => {
    const code = ch.codePointAt(0) ?? 0x3f;
    if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff)) return code;
    return WIN_ANSI_EXTRA[ch] ?? 0x3f;
  });
}

/** A PDF literal string, ASCII-only: ( ) \ escaped, bytes above 126 as octal escapes. */
function pdfString(text: string): string {
  let out = '(';
  for (const b of winAnsi(text)) {
    if (b === 0x28 || b === 0x29 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b > 0x7e) out += `\\${b.toString(8).padStart(3, '0')}`;
    else out += String.fromCharCode(b);
  }
  return `${out})`;
}

// Helvetica and Helvetica-Bold advance widths (per 1000 em, from the Adobe AFM files) for right-aligned text;
// glyphs not listed are taken as 556.
const HELVETICA_WIDTHS: Readonly<Record<string, number>> = {
  ' ': 278, ',': 278, '.': 278, '-': 333, '%': 889, '/': 278, '(': 333, ')': 333, ':': 278, '+': 584,
  A: 667, B: 667, C: 722, D: 722, E: 667, F: 611, G: 778, H: 722, I: 278, K: 667, L: 556, M: 833, N: 722, O: 778,
  P: 667, R: 722, S: 667, T: 611, U: 722, V: 667, W: 944, a: 556, b: 556, c: 500, d: 556, e: 556, f: 278, g: 556,
  h: 556, i: 222, j: 222, k: 500, l: 222, m: 833, n: 556, o: 556, p: 556, r: 333, s: 500, t: 278, u: 556, v: 500,
  w: 722, x: 500, y: 500, z: 500,
};
const HELVETICA_BOLD_WIDTHS: Readonly<Record<string, number>> = {
  ' ': 278, ',': 278, '.': 278, '-': 333, '%': 889, '/': 278, '(': 333, ')': 333, ':': 333, '+': 584,
  A: 722, B: 722, C: 722, D: 722, E: 667, F: 611, G: 778, H: 722, I: 278, K: 722, L: 611, M: 833, N: 722, O: 778,
  P: 667, R: 722, S: 667, T: 611, U: 722, V: 667, W: 944, a: 556, b: 611, c: 556, d: 611, e: 556, f: 333, g: 611,
  h: 611, i: 278, j: 278, k: 556, l: 278, m: 889, n: 611, o: 611, p: 611, r: 389, s: 556, t: 333, u: 611, v: 556,
  w: 778, x: 556, y: 556, z: 500,
};
function textWidth(text: string, size: number, bold: boolean): number {
  const widths = bold ? HELVETICA_BOLD_WIDTHS : HELVETICA_WIDTHS;
  let w = 0;
  for (const ch of text) w += widths[ch] ?? 556;
  return (w * size) / 1000;
}

// ---------------------------------------------------------------------------------------------------------------
// The page
// ---------------------------------------------------------------------------------------------------------------

const PAGE_W = 595;
const PAGE_H = 842;
const LEFT = 50;
const RIGHT = PAGE_W - 50;

class Page {
  readonly ops: string[] = [];
  text(x: number, y: number, text: string, size = 10, bold = false, gray = 0): void {
    this.ops.push(`BT /${bold ? 'F2' : 'F1'} ${size} Tf ${gray} g 1 0 0 1 ${x.toFixed(2)} ${y.toFixed(2)} Tm ${pdfString(text)} Tj ET`);
  }
  right(x: number, y: number, text: string, size = 10, bold = false, gray = 0): void {
    this.text(x - textWidth(text, size, bold), y, text, size, bold, gray);
  }
  rule(y: number, gray = 0.75): void {
    this.ops.push(`${gray} G 0.5 w ${LEFT} ${y} m ${RIGHT} ${y} l S`);
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function rateLabel(category: string, rate: string): string {
  return category === 'S' || category === 'Z' ? `${formatQuantityBE(rate)}%` : `${category} ${formatQuantityBE(rate)}%`;
}

/** The PDF of an invoice or credit note, as the demo app prints it. */
export function renderInvoicePdf(inv: Invoice, options: DemoPdfOptions = {}): Uint8Array {
  const p = new Page();
  const credit = inv.kind === 'credit-note';
  const s = inv.seller;
  const b = inv.buyer;

  // Seller (left) and title (right).
  let y = 790;
  p.text(LEFT, y, s.name, 16, true);
  p.right(RIGHT, y, `${options.draft ? 'CONCEPT-' : ''}${credit ? 'CREDITNOTA' : 'FACTUUR'}`, 18, true);
  const sellerLines = [
    s.address.street,
    [s.address.postalCode, s.address.city].filter(Boolean).join(' '),
    s.vatId ? `Btw ${s.vatId}` : undefined,
    s.enterpriseNumber ? `Ondernemingsnr. ${formatEnterpriseNumber(s.enterpriseNumber)}` : undefined,
    s.contact?.email,
  ].filter((l): l is string => Boolean(l));
  sellerLines.forEach((l, i) => p.text(LEFT, y - 18 - i * 12, l, 9, false, 0.3));

  const facts: [string, string][] = [
    ['Nummer', inv.number],
    ['Datum', formatDateBE(inv.issueDate)],
  ];
  if (inv.dueDate) facts.push(['Vervaldatum', formatDateBE(inv.dueDate)]);
  if (inv.orderReference) facts.push(['Uw bestelling', inv.orderReference]);
  if (inv.buyerReference) facts.push(['Klantnummer', inv.buyerReference]);
  facts.forEach(([k, v], i) => {
    p.text(390, y - 22 - i * 12, k, 9, false, 0.4);
    p.right(RIGHT, y - 22 - i * 12, v, 9, true);
  });

  // Customer.
  y = 700;
  p.text(330, y, 'Klant', 8, false, 0.4);
  const buyerLines = [
    b.address.street,
    [b.address.postalCode, b.address.city].filter(Boolean).join(' '),
    b.address.countryCode !== 'BE' ? COUNTRY_NAMES[b.address.countryCode] ?? b.address.countryCode : undefined,
    b.vatId ? `Btw ${b.vatId}` : b.enterpriseNumber ? `Ondernemingsnr. ${formatEnterpriseNumber(b.enterpriseNumber)}` : undefined,
  ].filter((l): l is string => Boolean(l));
  p.text(330, y - 14, b.name, 11, true);
  buyerLines.forEach((l, i) => p.text(330, y - 28 - i * 12, l, 10));

  if (inv.billingReference) {
    const date = inv.billingReference.issueDate ? ` van ${formatDateBE(inv.billingReference.issueDate)}` : '';
    p.text(LEFT, 630, `Betreft factuur ${inv.billingReference.number}${date}`, 10, true);
  }
  y = 600;

  // Lines.
  const cols = { qty: 330, price: 410, vat: 450, amount: RIGHT };
  p.text(LEFT, y, 'Omschrijving', 9, true);
  p.right(cols.qty, y, 'Aantal', 9, true);
  p.right(cols.price, y, 'Prijs', 9, true);
  p.right(cols.vat, y, 'Btw', 9, true);
  p.right(cols.amount, y, 'Bedrag', 9, true);
  p.rule(y - 5, 0.3);
  y -= 19;
  for (const line of inv.lines) {
    if (y < 250) {
      p.text(LEFT, y, '… (meer lijnen in de UBL-versie)', 9, false, 0.4);
      y -= 14;
      break;
    }
    const unit = UNIT_LABELS[line.unitCode] ?? line.unitCode;
    p.text(LEFT, y, truncate(line.description, 52), 10);
    p.right(cols.qty, y, `${formatQuantityBE(line.quantity)} ${unit}`, 10);
    p.right(cols.price, y, formatNumberBE(line.unitPrice), 10);
    p.right(cols.vat, y, rateLabel(line.vat.category, line.vat.rate), 10);
    p.right(cols.amount, y, formatNumberBE(line.netAmount), 10);
    y -= 12;
    if (line.note) {
      p.text(LEFT + 8, y, truncate(line.note, 70), 8, false, 0.4);
      y -= 11;
    }
    for (const ac of line.allowancesCharges) {
      const what = `${ac.isCharge ? 'Toeslag' : 'Korting'}${ac.percent ? ` ${formatQuantityBE(ac.percent)}%` : ''}${ac.reason ? ` (${ac.reason})` : ''}`;
      p.text(LEFT + 8, y, truncate(what, 70), 8, false, 0.4);
      p.right(cols.amount, y, formatNumberBE(ac.isCharge ? ac.amount : dec(ac.amount).times(-1).toFixed(2)), 8, false, 0.4);
      y -= 11;
    }
    y -= 3;
  }
  p.rule(y + 6);

  // Document-level allowances and charges, then the VAT breakdown (left) and the totals (right).
  y -= 12;
  for (const ac of inv.allowancesCharges) {
    const what = `${ac.isCharge ? 'Toeslag' : 'Korting'}: ${ac.reason ?? ''}${ac.vat ? ` (btw ${rateLabel(ac.vat.category, ac.vat.rate)})` : ''}`;
    p.text(LEFT, y, truncate(what, 70), 9);
    p.right(cols.amount, y, formatNumberBE(ac.isCharge ? ac.amount : dec(ac.amount).times(-1).toFixed(2)), 9);
    y -= 14;
  }
  const blockTop = y - 6;
  p.text(LEFT, blockTop, 'Btw-overzicht', 9, true);
  p.right(190, blockTop, 'Maatstaf', 8, false, 0.4);
  p.right(250, blockTop, 'Btw', 8, false, 0.4);
  inv.vatBreakdown.forEach((v, i) => {
    const yy = blockTop - 13 - i * 12;
    p.text(LEFT, yy, rateLabel(v.category, v.rate), 9);
    p.right(190, yy, formatNumberBE(v.taxableAmount), 9);
    p.right(250, yy, formatNumberBE(v.taxAmount), 9);
  });
  let exemptY = blockTop - 13 - inv.vatBreakdown.length * 12;
  for (const v of inv.vatBreakdown) {
    if (v.exemptionReason) {
      p.text(LEFT, exemptY, truncate(v.exemptionReason, 80), 7, false, 0.4);
      exemptY -= 10;
    }
  }

  const t = inv.totals;
  const rows: [string, string, boolean][] = [['Totaal excl. btw', t.taxExclusive, false]];
  if (dec(t.allowanceTotal).gt(0) || dec(t.chargeTotal).gt(0)) rows.unshift(['Subtotaal lijnen', t.lineExtension, false]);
  rows.push(['Btw', t.taxTotal, false], ['Totaal incl. btw', t.taxInclusive, true]);
  if (dec(t.prepaid).gt(0)) rows.push(['Reeds betaald (voorschot)', dec(t.prepaid).times(-1).toFixed(2), false]);
  rows.push([credit ? 'Te crediteren' : 'Te betalen', t.payable, true]);
  rows.forEach(([label, value, bold], i) => {
    const yy = blockTop - i * 14;
    p.text(340, yy, label, 10, bold);
    p.right(RIGHT, yy, formatMoneyBE(value), 10, bold);
  });
  y = Math.min(exemptY, blockTop - rows.length * 14) - 16;

  // Payment, note, terms.
  p.rule(y + 8);
  y -= 8;
  const pm = inv.paymentMeans;
  if (pm?.iban && !credit) {
    p.text(LEFT, y, `Gelieve ${formatMoneyBE(t.payable)} over te schrijven op ${formatIban(pm.iban)}${pm.bic ? ` (BIC ${pm.bic})` : ''}`, 10);
    y -= 14;
    if (pm.paymentId) {
      p.text(LEFT, y, `met de gestructureerde mededeling ${pm.paymentId}${inv.dueDate ? `, uiterlijk op ${formatDateBE(inv.dueDate)}` : ''}.`, 10, true);
      y -= 14;
    }
  }
  for (const text of [inv.note, inv.paymentTerms]) {
    if (!text) continue;
    // Wrap at ~95 characters on spaces.
    const words = text.split(/\s+/);
    let line = '';
    for (const word of words) {
      if ((line + ' ' + word).trim().length > 95) {
        p.text(LEFT, y, line, 9, false, 0.3);
        y -= 12;
        line = word;
      } else line = (line + ' ' + word).trim();
    }
    if (line) {
      p.text(LEFT, y, line, 9, false, 0.3);
      y -= 12;
    }
  }

  // Footer.
  const footer = [s.name, s.legalForm, s.vatId, pm?.iban ? formatIban(pm.iban) : undefined].filter(Boolean).join(' · ');
  p.text(LEFT, 40, truncate(footer, 120), 7, false, 0.5);

  const content = p.ops.join('\n');
  const title = `${credit ? 'Creditnota' : 'Factuur'} ${inv.number}`;
  const date = `D:${inv.issueDate.replace(/-/g, '')}000000Z`;
  return pdfFile(
    [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_W} ${PAGE_H}] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>`,
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
      // The content is ASCII (pdfString escapes the rest), so its length in bytes is its length in characters.
      `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
      `<< /Title ${pdfString(title)} /Author ${pdfString(s.name)} /Producer (FactuurDemo 1.0) /CreationDate (${date}) >>`,
    ],
    1,
    7,
  );
}
