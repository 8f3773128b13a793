import { Window } from 'happy-dom';
import { recordedText } from './replay';

/**
 * New Dolibarr 20 documents made from the recorded pages (tests/fixtures/apps/dolibarr-20): the recorded invoice
 * card (id 4) or credit-note card (id 6) with what a fixture says the card shows put in its place — language, number,
 * customer and its tooltip (address, VAT ID), dates, lines, totals, the PDF link — and, for a credit note, the
 * customer-invoice list with its row (the card hides a credit note's due date; the list shows it). The markup around
 * them is the app's own. See tests/fixtures/correctness/README.md.
 */

export interface DolibarrLineShown {
  description: string;
  /** As the Sales tax column shows it ("6%", "0%"). */
  vat: string;
  price: string;
  qty: string;
  total: string;
}

export interface DolibarrCardShown {
  id: string;
  /** html lang of the page ("fr", "nl", "en"). */
  lang: string;
  credit?: boolean;
  number: string;
  creditedNumber?: string;
  /** The type badge's text ("Facture standard", "Avoir"). */
  typeLabel: string;
  customer: string;
  /** The customer tooltip's lines after the name, as Dolibarr writes them ("<b>Adresse:</b> …", "<b>N° TVA:</b> …"). */
  tooltip: string[];
  /** Invoice date and (invoices only) due date, as the card shows them. */
  dates: string[];
  lines: DolibarrLineShown[];
  /** Net, VAT, gross as the card shows them ("1 234,56 €"). */
  amounts: [string, string, string];
  /** A credit note's row in the list: its dates and total as the list shows them. */
  listed?: { issueDate: string; dueDate: string; net: string; gross: string };
}

export const dolibarrPdfPath = (number: string) => `/document.php?modulepart=facture&file=${encodeURIComponent(`${number}/${number}.pdf`)}&entity=1`;

function edit(html: string, change: (doc: Document) => void): string {
  const window = new Window({
    url: 'http://127.0.0.1/',
    settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true, disableIframePageLoading: true },
  });
  const doc = window.document as unknown as Document;
  doc.write(html);
  change(doc);
  const out = `<!DOCTYPE html>\n${doc.documentElement.outerHTML}`;
  void window.happyDOM.close();
  return out;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function dolibarrCard(shown: DolibarrCardShown): string {
  const recorded = shown.credit ? recordedText('dolibarr-20', '/compta/facture/card.php?id=6') : recordedText('dolibarr-20', '/compta/facture/card.php?id=4');
  const recordedId = shown.credit ? '6' : '4';
  return edit(recorded.replace(new RegExp(`([?&](?:id|facid)=)${recordedId}\\b`, 'g'), `$1${shown.id}`), (doc) => {
    doc.documentElement.setAttribute('lang', shown.lang);
    const refid = doc.querySelector('div.refid')!;
    const first = Array.from(refid.childNodes).find((n) => n.nodeType === 3 && n.textContent!.trim())!;
    first.textContent = shown.number;
    const customer = refid.querySelector('a.refurl[href*="socid="]') ?? doc.querySelector('a[href*="/comm/card.php?socid="]')!;
    const lines = [`<b>Nom:</b> ${escapeHtml(shown.customer)}`, ...shown.tooltip];
    customer.setAttribute('title', `<div class="centpercent"><u class="paddingrightonly">Client</u><br>${lines.join('<br>')}</div>`);
    customer.textContent = shown.customer;
    const typeCell = doc.querySelector('td.valuefield.fieldname_type')!;
    typeCell.querySelector('span.badgeneutral')!.textContent = shown.typeLabel;
    if (shown.creditedNumber) typeCell.querySelector('a[href*="card.php?id="]')!.textContent = shown.creditedNumber;
    const dates = Array.from(doc.querySelectorAll('table.tableforfield span.valuedate'));
    dates.forEach((span, i) => {
      if (shown.dates[i] === undefined) span.remove();
      else span.textContent = shown.dates[i]!;
    });
    Array.from(doc.querySelectorAll('table.tableforfield td.amountcard')).forEach((td, i) => (td.textContent = shown.amounts[i] ?? ''));
    const rows = Array.from(doc.querySelectorAll('#tablelines tr[data-id]'));
    const template = rows[0]!;
    rows.forEach((r) => r.remove());
    let after: Element = doc.querySelector('#tablelines tr.liste_titre')!;
    shown.lines.forEach((line, i) => {
      const row = template.cloneNode(true) as Element;
      row.setAttribute('data-id', String(900 + i));
      row.setAttribute('id', `row-${900 + i}`);
      row.querySelector('td.linecoldescription')!.textContent = line.description;
      row.querySelector('td.linecolvat')!.textContent = line.vat;
      row.querySelector('td.linecoluht')!.textContent = line.price;
      row.querySelector('td.linecolqty')!.textContent = line.qty;
      row.querySelector('td.linecolht')!.textContent = line.total;
      after.after(row);
      after = row;
    });
    const pdf = doc.querySelector('a.documentdownload[href*="document.php"]')!;
    pdf.setAttribute('href', dolibarrPdfPath(shown.number));
    pdf.textContent = `${shown.number}.pdf`;
  });
}

/** The customer-invoice list with one row: the credit note's, as the list shows it. */
export function dolibarrListWith(shown: DolibarrCardShown): string {
  const listed = shown.listed!;
  // The list's date pickers carry the user's date format, which the listing reads before the cells.
  const recorded = recordedText('dolibarr-20', '/compta/facture/list.php');
  const html = shown.lang === 'en' ? recorded : recorded.replace(/MM\/dd\/yyyy/g, 'dd/MM/yyyy');
  return edit(html, (doc) => {
    doc.documentElement.setAttribute('lang', shown.lang);
    for (const row of Array.from(doc.querySelectorAll('tr[data-rowid]'))) if (row.getAttribute('data-rowid') !== '6') row.remove();
    const row = doc.querySelector('tr[data-rowid="6"]')!;
    row.setAttribute('data-rowid', shown.id);
    row.querySelector('input.checkforselect')?.setAttribute('value', shown.id);
    const link = row.querySelector('a[href*="card.php?id=6"]')!;
    link.setAttribute('href', `/compta/facture/card.php?id=${shown.id}&save_lastsearch_values=1`);
    link.lastChild!.textContent = shown.number;
    const centered = Array.from(row.querySelectorAll('td.nowraponall[align="center"]'));
    centered[0]!.textContent = listed.issueDate;
    centered[1]!.textContent = listed.dueDate;
    const amounts = Array.from(row.querySelectorAll('td.amount'));
    amounts[0]!.textContent = listed.net;
    amounts[1]!.textContent = listed.gross;
  });
}
