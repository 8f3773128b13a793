/**
 * Facts of real documents that used to get lost on the way: addresses split as Octopus keeps them, and a due date the
 * app's XML leaves out but its page shows.
 */
import { describe, expect, it } from 'vitest';
import { splitAddress } from '../../lib/sites/address-split';
import { withPageFacts } from '../../lib/sites/detail-invoice';
import { customerFromTooltip } from '../../lib/sites/dolibarr.fetch';
import { completeInvoice } from '../../lib/ubl/compute';
import { belgianDraft } from '../support/fixtures';

describe('splitAddress', () => {
  it.each([
    ['Rue de la Loi 42 1000 Bruxelles', undefined, { street: 'Rue de la Loi 42', postalCode: '1000', city: 'Bruxelles' }],
    ['Rue de la Loi 42, 1000 Bruxelles, Belgique', undefined, { street: 'Rue de la Loi 42', postalCode: '1000', city: 'Bruxelles', countryCode: 'BE' }],
    ['Chaussée de Louvain 1234 1030 Schaerbeek', 'BE', { street: 'Chaussée de Louvain 1234', postalCode: '1030', city: 'Schaerbeek' }],
    ['Rue X 42 bus 3 B-1000 Brussel', undefined, { street: 'Rue X 42 bus 3', postalCode: '1000', city: 'Brussel' }],
    ['Keizersgracht 123 1015 CJ Amsterdam', 'NL', { street: 'Keizersgracht 123', postalCode: '1015 CJ', city: 'Amsterdam' }],
    ['Keizersgracht 100 1015 CV Amsterdam Netherlands', undefined, { street: 'Keizersgracht 100', postalCode: '1015 CV', city: 'Amsterdam', countryCode: 'NL' }],
    ['12 rue de Rivoli 75001 Paris', 'FR', { street: '12 rue de Rivoli', postalCode: '75001', city: 'Paris' }],
    ['Rue du Faubourg 8 75008 Paris Cedex 08', 'FR', { street: 'Rue du Faubourg 8', postalCode: '75008', city: 'Paris Cedex 08' }],
    ['Industriestrasse 7 70173 Stuttgart Germany', undefined, { street: 'Industriestrasse 7', postalCode: '70173', city: 'Stuttgart', countryCode: 'DE' }],
    ['Hauptstraße 5, D-10115 Berlin', undefined, { street: 'Hauptstraße 5', postalCode: '10115', city: 'Berlin' }],
    ['L-1234 Luxembourg Luxembourg', undefined, { postalCode: '1234', city: 'Luxembourg', countryCode: 'LU' }],
    ['1600 Amphitheatre Parkway, Mountain View, CA 94043 United States', undefined, { street: '1600 Amphitheatre Parkway', postalCode: '94043', city: 'Mountain View, CA', countryCode: 'US' }],
    ['350 Fifth Avenue, New York, NY 10118-0110', 'US', { street: '350 Fifth Avenue', postalCode: '10118-0110', city: 'New York, NY' }],
    ['Somewhere without a postcode', undefined, { street: 'Somewhere without a postcode' }],
  ])('"%s" (%s)', (line, country, expected) => {
    expect(splitAddress(line, country)).toEqual(expected);
  });

  it('several lines: street lines joined, the postcode line split, a country line taken', () => {
    expect(splitAddress(['Kerkstraat 1', 'Bus 2', '9000 Gent', 'België'])).toEqual({ street: 'Kerkstraat 1, Bus 2', postalCode: '9000', city: 'Gent', countryCode: 'BE' });
  });

  it("Dolibarr's customer tooltip, on one line and over several", () => {
    expect(customerFromTooltip('Bistro', '<b>Address:</b> 5 quai Saint-Antoine 69002 Lyon France<br><b>VAT ID:</b> FR83404833048')).toMatchObject({
      street: '5 quai Saint-Antoine',
      postalCode: '69002',
      city: 'Lyon',
      countryCode: 'FR',
      vatId: 'FR83404833048',
    });
    expect(customerFromTooltip('Brasserie', '<b>Adresse:</b> Rue de la Loi 42<br>1000 Bruxelles<br><b>N° TVA:</b> BE0428759497')).toMatchObject({
      street: 'Rue de la Loi 42',
      postalCode: '1000',
      city: 'Bruxelles',
      countryCode: 'BE',
      vatId: 'BE0428759497',
    });
  });
});

describe('withPageFacts', () => {
  const withoutDue = () => {
    const inv = completeInvoice(belgianDraft());
    delete inv.dueDate;
    return inv;
  };

  it("takes the page's due date when the XML has none", () => {
    const { invoice, notes } = withPageFacts(withoutDue(), { dueDate: '2026-05-01' });
    expect(invoice.dueDate).toBe('2026-05-01');
    expect(notes).toEqual([]);
  });

  it("keeps the XML's due date where it has one, and notes a disagreement", () => {
    const xml = completeInvoice(belgianDraft());
    expect(withPageFacts(xml, { dueDate: xml.dueDate! })).toEqual({ invoice: xml, notes: [] });
    const { invoice, notes } = withPageFacts(xml, { dueDate: '2026-06-30' });
    expect(invoice.dueDate).toBe(xml.dueDate);
    expect(notes).toEqual([{ text: { key: 'sites_note_due_date_disagrees', params: [xml.dueDate, '2026-06-30'] } }]);
  });

  it("takes the page's reverse charge for 0 % lines the XML left without a category (read as Z); K stays K", () => {
    const zero = completeInvoice(belgianDraft({ lines: [{ id: '1', description: 'Werken', quantity: '1', unitPrice: '800', vat: { category: 'Z', rate: '0' } }] }));
    const { invoice } = withPageFacts(zero, { reverseCharge: true });
    expect(invoice.lines.map((l) => l.vat.category)).toEqual(['AE']);
    expect(invoice.vatBreakdown).toMatchObject([{ category: 'AE', taxableAmount: '800.00', exemptionReasonCode: 'VATEX-EU-AE' }]);
    expect(withPageFacts(zero, { reverseCharge: false }).invoice).toEqual(zero);
    const intra = completeInvoice(belgianDraft({ lines: [{ id: '1', description: 'Onderdelen', quantity: '1', unitPrice: '800', vat: { category: 'K', rate: '0' } }] }));
    expect(withPageFacts(intra, { reverseCharge: true }).invoice).toEqual(intra);
    // A rate the app names exempt: E, with a reason.
    const exempt = withPageFacts(zero, { exempt: true }).invoice;
    expect(exempt.lines.map((l) => l.vat.category)).toEqual(['E']);
    expect(exempt.vatBreakdown).toMatchObject([{ category: 'E', taxableAmount: '800.00', exemptionReason: 'Exempt' }]);
  });
});
