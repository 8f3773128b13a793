import type { Party } from '../model/invoice';
import type { Finding, LocalizedMessage, Severity } from './checks';
import { endpointOf, legalIdOf } from './write';

/**
 * Peppol's code-list rule on electronic addresses and its common identifier checks (PEPPOL-COMMON-R040…R057), as the
 * official Peppol BIS 3.0 schematron states them (tests/fixtures/einvoice-samples/schematron/PEPPOL-EN16931-UBL.sch).
 * They are written out here because no npm library carries Peppol's code lists or ICD checks, and the extension cannot
 * run the schematron. The Belgian 0208 check (R043) stays with the other Belgian checks in checks.ts.
 */

/** PEPPOL-EN16931-CL008: the "Electronic Address Identifier Scheme" list ($eaid of the Peppol schematron). */
export const PEPPOL_EAS = new Set(
  (
    '0002 0007 0009 0060 0088 0096 0097 0106 0130 0135 0142 0151 0183 0184 0188 0190 0191 0192 0195 0196 0198 0199 0200 ' +
    '0201 0204 0208 0209 0210 0211 0216 0218 0221 0225 0230 0235 0240 0242 0244 0245 0246 0248 9910 9913 9914 9915 9918 ' +
    '9919 9920 9922 9923 9924 9925 9926 9927 9928 9929 9930 9931 9932 9933 9934 9935 9936 9937 9938 9939 9940 9941 9942 ' +
    '9943 9944 9945 9946 9947 9948 9949 9950 9951 9952 9953 9957 9959'
  ).split(' '),
);

const digitsOf = (value: string) => [...value].map((c) => c.charCodeAt(0) - 48);

/** GS1 check digit (u:gln). */
function gln(value: string): boolean {
  const digits = digitsOf(value);
  const check = digits.pop()!;
  const weighted = digits.reverse().reduce((sum, d, i) => sum + d * (i % 2 === 0 ? 3 : 1), 0);
  return (10 - (weighted % 10)) % 10 === check;
}

/** Norwegian organisation number, weights 2…7 from the right (u:mod11). */
function mod11(value: string): boolean {
  const digits = digitsOf(value);
  const check = digits.pop()!;
  const weighted = digits.reverse().reduce((sum, d, i) => sum + d * ((i % 6) + 2), 0);
  return Number(value) > 0 && (11 - (weighted % 11)) % 11 === check;
}

/** Swedish organisation number: Luhn over the first nine digits (u:checkSEOrgnr). */
function luhnSe(value: string): boolean {
  const digits = digitsOf(value.slice(0, 9)).reverse();
  const sum = digits.reduce((s, d, i) => s + (i % 2 === 0 ? ((d * 2) % 10) + Math.floor((d * 2) / 10) : d), 0);
  return (10 - (sum % 10)) % 10 === Number(value[9]);
}

/** Australian Business Number: weighted sum with the first digit less one, mod 89 (u:abn). */
function abn(value: string): boolean {
  const weights = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
  const digits = digitsOf(value);
  digits[0]! -= 1;
  return digits.reduce((sum, d, i) => sum + d * weights[i]!, 0) % 89 === 0;
}

interface IcdRule {
  ruleId: string;
  severity: Severity;
  valid: (value: string) => boolean;
  name: LocalizedMessage;
}

const danishCvr = (v: string) => /^DK\d{8}$/.test(v) || /^\d{8}$/.test(v);
const m = (en: string, nl: string, fr: string): LocalizedMessage => ({ en, nl, fr });

/** The ISO 6523 schemes the Peppol schematron checks, wherever they appear (endpoint, party identification, legal id). */
const ICD_RULES: Record<string, IcdRule> = {
  '0088': { ruleId: 'PEPPOL-COMMON-R040', severity: 'fatal', valid: (v) => /^\d+$/.test(v) && gln(v), name: m('GLN', 'GLN', 'GLN') },
  '0192': { ruleId: 'PEPPOL-COMMON-R041', severity: 'fatal', valid: (v) => /^\d{9}$/.test(v) && mod11(v), name: m('Norwegian organisation number', 'Noors ondernemingsnummer', "numéro d'organisation norvégien") },
  '0184': { ruleId: 'PEPPOL-COMMON-R042', severity: 'fatal', valid: danishCvr, name: m('Danish CVR number', 'Deens CVR-nummer', 'numéro CVR danois') },
  '0096': { ruleId: 'PEPPOL-COMMON-R052', severity: 'fatal', valid: (v) => /^\d{10}$/.test(v), name: m('Danish P number', 'Deens P-nummer', 'numéro P danois') },
  '0198': { ruleId: 'PEPPOL-COMMON-R053', severity: 'fatal', valid: (v) => /^DK\d{8}$/.test(v), name: m('Danish SE number', 'Deens SE-nummer', 'numéro SE danois') },
  '0007': { ruleId: 'PEPPOL-COMMON-R049', severity: 'fatal', valid: (v) => /^\d{10}$/.test(v) && luhnSe(v), name: m('Swedish organisation number', 'Zweeds ondernemingsnummer', "numéro d'organisation suédois") },
  '0151': { ruleId: 'PEPPOL-COMMON-R050', severity: 'fatal', valid: (v) => /^\d{11}$/.test(v) && abn(v), name: m('Australian Business Number', 'Australisch ondernemingsnummer (ABN)', "numéro d'entreprise australien (ABN)") },
  '0106': { ruleId: 'PEPPOL-COMMON-R054', severity: 'warning', valid: (v) => /^\d{8}$/.test(v), name: m('Dutch KVK number', 'KVK-nummer', 'numéro KVK néerlandais') },
  '0190': { ruleId: 'PEPPOL-COMMON-R055', severity: 'warning', valid: (v) => /^\d{20}$/.test(v), name: m('Dutch OIN', 'OIN', 'OIN néerlandais') },
  '0217': { ruleId: 'PEPPOL-COMMON-R057', severity: 'warning', valid: (v) => /^\d{12}$/.test(v), name: m('Dutch KVK establishment number', 'KVK-vestigingsnummer', "numéro d'établissement KVK néerlandais") },
};

/** The code-list and identifier findings of one party, as the document will be written (endpoint derived where it is). */
export function identifierFindings(p: Party, role: 'seller' | 'buyer'): Finding[] {
  const findings: Finding[] = [];
  const who = role === 'seller' ? m('seller', 'verkoper', 'vendeur') : m('buyer', 'koper', 'acheteur');
  const endpoint = endpointOf(p);
  if (endpoint && !PEPPOL_EAS.has(endpoint.scheme)) {
    findings.push({
      ruleId: 'PEPPOL-EN16931-CL008',
      severity: 'fatal',
      path: `${role}.endpoint`,
      message: m(
        `The ${who.en}'s electronic address scheme "${endpoint.scheme}" is not in Peppol's list of address schemes (EAS): Peppol refuses the document.`,
        `Het schema "${endpoint.scheme}" van het elektronisch adres van de ${who.nl} staat niet in Peppols lijst van adresschema's (EAS): Peppol weigert het document.`,
        `Le schéma « ${endpoint.scheme} » de l'adresse électronique du ${who.fr} ne figure pas dans la liste Peppol des schémas d'adresse (EAS) : Peppol refuse le document.`,
      ),
    });
  }
  const legal = legalIdOf(p);
  const places: [string, { id: string; scheme?: string } | undefined][] = [
    [`${role}.endpoint`, endpoint],
    [`${role}.legalId`, legal],
    ...(p.identifiers ?? []).map((id, i) => [`${role}.identifiers[${i}]`, id] as [string, { id: string; scheme?: string }]),
  ];
  for (const [path, identifier] of places) {
    const rule = identifier?.scheme ? ICD_RULES[identifier.scheme] : undefined;
    if (!rule || !identifier) continue;
    const value = identifier.id.trim();
    if (rule.valid(value)) continue;
    findings.push({
      ruleId: rule.ruleId,
      severity: rule.severity,
      path,
      message: m(
        `${value} (scheme ${identifier.scheme}) is not a valid ${rule.name.en}.`,
        `${value} (schema ${identifier.scheme}) is geen geldig ${rule.name.nl}.`,
        `${value} (schéma ${identifier.scheme}) n'est pas un ${rule.name.fr} valide.`,
      ),
    });
  }
  return findings;
}
