import { Window } from 'happy-dom';
import { recordedText } from './replay';

/**
 * New InvoicePlane 1.7 documents made from the recorded ones (tests/fixtures/apps/invoiceplane-1.7): the view page of
 * invoice 4 and its ZUGFeRD 1.0 XML, with what a fixture says the page shows put in — client and address lines,
 * number, dates, items, totals, the credit-invoice notice — and the XML written as InvoicePlane writes it (no due
 * date, no line categories, no header tax at 0 %). See tests/fixtures/correctness/README.md.
 */

export interface InvoicePlaneItemShown {
  name: string;
  quantity: string;
  price: string;
  /** The selected tax rate's text ("21.00% - VAT"). */
  tax: string;
  subtotal: string;
}

export interface InvoicePlaneViewShown {
  id: string;
  /** The page's language where it is not the recorded English ("nl": InvoicePlane in Dutch, d-m-Y and 1.234,56). */
  lang?: string;
  number: string;
  /** The number of the invoice a credit invoice corrects (the page's warning names it). */
  creditFor?: string;
  client: { name: string; streetLines: string[]; town: string; country: string; countryCode: string; postcode: string; city: string; vatId?: string };
  dates: [string, string];
  items: InvoicePlaneItemShown[];
  /** Subtotal, item tax, total, paid, balance as the totals table shows them. */
  totals: [string, string, string, string, string];
}

/** The XML's facts, in the recorded set's en_US conventions. */
export interface InvoicePlaneXmlFacts {
  issueDate: string;
  lines: { name: string; quantity: string; price: string; rate: string; net: string }[];
  /** Header taxes by rate (InvoicePlane leaves 0 % out). */
  taxes: { rate: string; basis: string; amount: string }[];
  net: string;
  tax: string;
  gross: string;
}

export function invoicePlaneView(shown: InvoicePlaneViewShown): string {
  const window = new Window({
    url: 'http://127.0.0.1/',
    settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true, disableIframePageLoading: true },
  });
  const doc = window.document as unknown as Document;
  const recorded = recordedText('invoiceplane-1.7', '/index.php/invoices/view/4').replace(/invoices\/view\/4\b/g, `invoices/view/${shown.id}`);
  doc.write(shown.lang ? recorded.replace(/lang="en"/g, `lang="${shown.lang}"`) : recorded);
  doc.querySelector('#invoice_number')!.setAttribute('value', shown.number);
  doc.querySelector('#invoice_form h2 a[href*="/clients/view/"]')!.textContent = shown.client.name;
  const address = doc.querySelector('.client-address')!;
  address.innerHTML =
    shown.client.streetLines.map((l) => `<span class="client-address-street-line">${l}<br></span>`).join('\n') +
    `<span class="client-adress-town-line">${shown.client.town}</span><span class="client-adress-country-line"><br>${shown.client.country}</span>`;
  doc.querySelector('#invoice_date_created')!.setAttribute('value', shown.dates[0]);
  doc.querySelector('#invoice_date_due')!.setAttribute('value', shown.dates[1]);
  const items = Array.from(doc.querySelectorAll('tbody.item'));
  const template = items[items.length - 1]!;
  const anchor = template.nextSibling;
  const parent = template.parentNode!;
  // The first tbody.item is the hidden new-item template (no values): it stays; the recorded items go.
  items.filter((t) => t.querySelector('input[name="item_name"]')?.getAttribute('value')).forEach((t) => t.remove());
  for (const item of shown.items) {
    const body = template.cloneNode(true) as Element;
    body.querySelector('input[name="item_name"]')!.setAttribute('value', item.name);
    body.querySelector('input[name="item_quantity"]')!.setAttribute('value', item.quantity);
    body.querySelector('input[name="item_price"]')!.setAttribute('value', item.price);
    body.querySelector('textarea[name="item_description"]')!.textContent = '';
    const select = body.querySelector('select[name="item_tax_rate_id"]')!;
    select.innerHTML = `<option value="0">None</option><option value="9" selected="selected">${item.tax}</option>`;
    // The item's other amounts (discounts, tax, total) are not in the fixture: discounts shown as none, the rest left empty.
    const zero = shown.lang === 'nl' ? '0,00€' : '0.00€';
    for (const span of Array.from(body.querySelectorAll('span.amount'))) span.textContent = span.getAttribute('name') ? '' : zero;
    body.querySelector('span[name="subtotal"]')!.textContent = item.subtotal;
    parent.insertBefore(body, anchor);
  }
  const amounts = Array.from(doc.querySelectorAll('#invoice_form table.text-right td.amount'));
  amounts.forEach((td, i) => (td.innerHTML = i >= 2 ? `<b>${shown.totals[i]}</b>` : shown.totals[i]!));
  if (shown.creditFor) {
    doc.querySelector('#invoice_form')!.insertAdjacentHTML('afterbegin', `<div class="alert alert-warning"><i class="fa fa-credit-invoice"></i>&nbsp;Credit invoice for invoice ${shown.creditFor}</div>`);
  }
  const html = `<!DOCTYPE html>\n${doc.documentElement.outerHTML}`;
  void window.happyDOM.close();
  return html;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** ZUGFeRD 1.0 as InvoicePlane 1.7 writes it (the recorded XML 4 is the pattern): no due date anywhere. */
export function invoicePlaneXml(shown: InvoicePlaneViewShown, facts: InvoicePlaneXmlFacts): string {
  const recorded = recordedText('invoiceplane-1.7', '/index.php/invoices/generate_xml/4');
  // The seller is the dossier's own Belgian company (the recorded one is German).
  const head = recorded
    .slice(0, recorded.indexOf('<ram:BuyerTradeParty>'))
    .replace('Octopus Demo GmbH', 'Demo BV')
    .replace('<ram:PostcodeCode>10115</ram:PostcodeCode>', '<ram:PostcodeCode>9000</ram:PostcodeCode>')
    .replace('Hauptstrasse 1', 'Kerkstraat 1')
    .replace('<ram:CityName>Berlin</ram:CityName>', '<ram:CityName>Gent</ram:CityName>')
    .replace('<ram:CountryID>DE</ram:CountryID>', '<ram:CountryID>BE</ram:CountryID>');
  const c = shown.client;
  const buyer =
    `<ram:BuyerTradeParty>\n        <ram:Name>${esc(c.name)}</ram:Name>\n        <ram:PostalTradeAddress>\n` +
    `          <ram:PostcodeCode>${c.postcode}</ram:PostcodeCode>\n          <ram:LineOne>${esc(c.streetLines[0] ?? '')}</ram:LineOne>\n` +
    `          <ram:LineTwo>${esc(c.streetLines[1] ?? '')}</ram:LineTwo>\n          <ram:CityName>${esc(c.city)}</ram:CityName>\n` +
    `          <ram:CountryID>${c.countryCode}</ram:CountryID>\n        </ram:PostalTradeAddress>\n` +
    (c.vatId ? `        <ram:SpecifiedTaxRegistration>\n          <ram:ID schemeID="VA">${c.vatId}</ram:ID>\n        </ram:SpecifiedTaxRegistration>\n` : '') +
    `      </ram:BuyerTradeParty>\n    </ram:ApplicableSupplyChainTradeAgreement>\n`;
  const day = facts.issueDate.replace(/-/g, '');
  const taxes = facts.taxes
    .map(
      (t) =>
        `      <ram:ApplicableTradeTax>\n        <ram:CalculatedAmount currencyID="EUR">${t.amount}</ram:CalculatedAmount>\n        <ram:TypeCode>VAT</ram:TypeCode>\n` +
        `        <ram:BasisAmount currencyID="EUR">${t.basis}</ram:BasisAmount>\n        <ram:CategoryCode>S</ram:CategoryCode>\n` +
        `        <ram:ApplicablePercent>${t.rate}</ram:ApplicablePercent>\n      </ram:ApplicableTradeTax>\n`,
    )
    .join('');
  const lines = facts.lines
    .map(
      (l, i) =>
        `    <ram:IncludedSupplyChainTradeLineItem>\n      <ram:AssociatedDocumentLineDocument>\n        <ram:LineID>${i + 1}</ram:LineID>\n      </ram:AssociatedDocumentLineDocument>\n` +
        `      <ram:SpecifiedSupplyChainTradeAgreement>\n        <ram:GrossPriceProductTradePrice>\n          <ram:ChargeAmount currencyID="EUR">${l.price}</ram:ChargeAmount>\n        </ram:GrossPriceProductTradePrice>\n` +
        `        <ram:NetPriceProductTradePrice>\n          <ram:ChargeAmount currencyID="EUR">${l.price}</ram:ChargeAmount>\n        </ram:NetPriceProductTradePrice>\n      </ram:SpecifiedSupplyChainTradeAgreement>\n` +
        `      <ram:SpecifiedSupplyChainTradeDelivery>\n        <ram:BilledQuantity unitCode="C62">${l.quantity}</ram:BilledQuantity>\n      </ram:SpecifiedSupplyChainTradeDelivery>\n` +
        `      <ram:SpecifiedSupplyChainTradeSettlement>\n` +
        (Number(l.rate) > 0 ? `        <ram:ApplicableTradeTax>\n          <ram:TypeCode>VAT</ram:TypeCode>\n          <ram:ApplicablePercent>${l.rate}</ram:ApplicablePercent>\n        </ram:ApplicableTradeTax>\n` : '') +
        `        <ram:SpecifiedTradeSettlementMonetarySummation>\n          <ram:LineTotalAmount currencyID="EUR">${l.net}</ram:LineTotalAmount>\n        </ram:SpecifiedTradeSettlementMonetarySummation>\n` +
        `      </ram:SpecifiedSupplyChainTradeSettlement>\n      <ram:SpecifiedTradeProduct>\n        <ram:Name>${esc(l.name)}</ram:Name>\n      </ram:SpecifiedTradeProduct>\n    </ram:IncludedSupplyChainTradeLineItem>\n`,
    )
    .join('');
  return (
    head.replace('<ram:ID>RE-2026-0004</ram:ID>', `<ram:ID>${esc(shown.number)}</ram:ID>`).replace(/20261117/g, day) +
    buyer +
    `    <ram:ApplicableSupplyChainTradeDelivery>\n      <ram:ActualDeliverySupplyChainEvent>\n        <ram:OccurrenceDateTime>\n          <udt:DateTimeString format="102">${day}</udt:DateTimeString>\n        </ram:OccurrenceDateTime>\n      </ram:ActualDeliverySupplyChainEvent>\n    </ram:ApplicableSupplyChainTradeDelivery>\n` +
    `    <ram:ApplicableSupplyChainTradeSettlement>\n      <ram:PaymentReference>${esc(shown.number)}</ram:PaymentReference>\n      <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>\n` +
    taxes +
    `      <ram:SpecifiedTradeSettlementMonetarySummation>\n        <ram:LineTotalAmount currencyID="EUR">${facts.net}</ram:LineTotalAmount>\n        <ram:ChargeTotalAmount currencyID="EUR">0.00</ram:ChargeTotalAmount>\n` +
    `        <ram:AllowanceTotalAmount currencyID="EUR">0.00</ram:AllowanceTotalAmount>\n        <ram:TaxBasisTotalAmount currencyID="EUR">${facts.net}</ram:TaxBasisTotalAmount>\n` +
    `        <ram:TaxTotalAmount currencyID="EUR">${facts.tax}</ram:TaxTotalAmount>\n        <ram:GrandTotalAmount currencyID="EUR">${facts.gross}</ram:GrandTotalAmount>\n` +
    `        <ram:TotalPrepaidAmount currencyID="EUR">0.00</ram:TotalPrepaidAmount>\n        <ram:DuePayableAmount currencyID="EUR">${facts.gross}</ram:DuePayableAmount>\n` +
    `      </ram:SpecifiedTradeSettlementMonetarySummation>\n    </ram:ApplicableSupplyChainTradeSettlement>\n` +
    lines +
    `  </rsm:SpecifiedSupplyChainTradeTransaction>\n</rsm:CrossIndustryDocument>\n`
  );
}
