/**
 * Peppol's address-scheme list (CL008) and common identifier checks (PEPPOL-COMMON-R040…R057) in the pre-flight, with
 * the official Peppol schematron as the judge: for each value, the pre-flight flags exactly the rules the schematron
 * flags for the same document as written.
 */
import { describe, expect, it } from 'vitest';
import { checkInvoice } from '../../lib/ubl/checks';
import { completeInvoice } from '../../lib/ubl/compute';
import type { Invoice } from '../../lib/model/invoice';
import { writeUbl } from '../../lib/ubl/write';
import { belgianDraft } from '../support/fixtures';
import { validateUbl } from '../support/schematron';

const RULES = /^(PEPPOL-EN16931-CL008|PEPPOL-COMMON-R0(40|41|42|49|50|52|53|54|55|57))$/;

function withBuyerId(scheme: string, id: string, where: 'endpoint' | 'identifier' | 'legal'): Invoice {
  const inv = completeInvoice(belgianDraft());
  const buyer = inv.buyer;
  if (where === 'endpoint') buyer.endpoint = { scheme, id };
  if (where === 'identifier') buyer.identifiers = [{ scheme, id }];
  if (where === 'legal') {
    buyer.enterpriseNumber = undefined;
    buyer.legalId = { scheme, id };
  }
  return inv;
}

const ours = (inv: Invoice) => [...new Set(checkInvoice(inv).map((f) => f.ruleId).filter((id) => RULES.test(id)))].sort();
const theirs = (inv: Invoice) => {
  const r = validateUbl(writeUbl(inv));
  return [...new Set([...r.fatalIds, ...r.warningIds].filter((id) => RULES.test(id)))].sort();
};

const CASES: [string, string, 'endpoint' | 'identifier' | 'legal', string[]][] = [
  ['EM', 'jan@example.be', 'endpoint', ['PEPPOL-EN16931-CL008']],
  ['9999', '123', 'endpoint', ['PEPPOL-EN16931-CL008']],
  ['0088', '5790000435975', 'endpoint', []],
  ['0088', '5790000435976', 'endpoint', ['PEPPOL-COMMON-R040']],
  ['0088', '579000043597A', 'identifier', ['PEPPOL-COMMON-R040']],
  ['0192', '974760673', 'endpoint', []],
  ['0192', '974760674', 'legal', ['PEPPOL-COMMON-R041']],
  ['0184', 'DK12345678', 'endpoint', []],
  ['0184', '1234567', 'endpoint', ['PEPPOL-COMMON-R042']],
  ['0007', '5560360793', 'endpoint', []],
  ['0007', '5560360794', 'endpoint', ['PEPPOL-COMMON-R049']],
  ['0151', '51824753556', 'endpoint', []],
  ['0151', '51824753557', 'identifier', ['PEPPOL-COMMON-R050']],
  ['0096', '123456789', 'endpoint', ['PEPPOL-COMMON-R052']],
  ['0198', '12345678', 'endpoint', ['PEPPOL-COMMON-R053']],
  ['0106', '1234567', 'identifier', ['PEPPOL-COMMON-R054']],
  ['0190', '1234567890123456789', 'endpoint', ['PEPPOL-COMMON-R055']],
  ['0217', '12345678901', 'identifier', ['PEPPOL-COMMON-R057']],
];

describe('pre-flight identifier rules against the official Peppol schematron', () => {
  it.each(CASES)('scheme %s, "%s" as %s → %j', (scheme, id, where, expected) => {
    const inv = withBuyerId(scheme, id, where);
    expect(theirs(inv)).toEqual(expected);
    expect(ours(inv)).toEqual(expected);
  });

  it('says in all three languages why Peppol refuses an e-mail address as endpoint', () => {
    const finding = checkInvoice(withBuyerId('EM', 'jan@example.be', 'endpoint')).find((f) => f.ruleId === 'PEPPOL-EN16931-CL008');
    expect(finding).toMatchObject({ severity: 'fatal', path: 'buyer.endpoint' });
    expect(finding?.message.en).toMatch(/"EM" is not in Peppol's list/);
    expect(finding?.message.nl).toMatch(/"EM" .* staat niet in Peppols lijst/);
    expect(finding?.message.fr).toMatch(/« EM » .* ne figure pas dans la liste Peppol/);
  });
});
