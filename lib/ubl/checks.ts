import { validateEnterpriseNumber, validateIban, validateBelgianVat, validateStructuredCommunication, looksLikeStructuredCommunication, enterpriseNumberFromVat } from '../identifiers';
import { Big, dec, isDecimal, sum, toFixed } from '../money';
import type { AllowanceCharge, Invoice, Party, VatCategory } from '../model/invoice';
import { EXEMPTION_REQUIRED_CATEGORIES, NO_EXEMPTION_CATEGORIES, ZERO_VAT_CATEGORIES, lineNetAmount, vatKey } from './compute';
import { ALLOWED_ATTACHMENT_MIME_CODES, PEPPOL_CREDIT_NOTE_TYPE_CODES, PEPPOL_INVOICE_TYPE_CODES } from './constants';
import { endpointOf } from './write';
import { identifierFindings } from './checks-identifiers';

/**
 * Pre-flight checks that run in the extension before a document is written or sent (no Schematron there). They mirror
 * the EN 16931 / Peppol BIS 3 rules that a model can break — arithmetic (BR-CO-10…17, PEPPOL-EN16931-R120), VAT
 * category rules (BR-S/Z/E/AE/IC/G/O-…), mandatory fields (BR-01…BR-16 and line/allowance ones), identifiers —
 * plus a few of our own (ids "OB-…": IBAN, structured communication and Belgian VAT check digits). Each finding
 * carries the rule id, a severity, the model path and a message in English, Dutch and French.
 *
 * Fatal = the official validators would refuse the document (or, for OB- rules, Octopus/the bank would); warning =
 * accepted but worth a look. The writer's fills (see writeUbl/asWritten) are taken into account, e.g. a Belgian party
 * without explicit endpoint is not flagged.
 */

export type Severity = 'fatal' | 'warning';

export interface LocalizedMessage {
  en: string;
  nl: string;
  fr: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  /** Model path, e.g. "lines[1].netAmount", "totals.payable", "buyer.vatId". */
  path: string;
  message: LocalizedMessage;
}

export function hasFatal(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'fatal');
}

const CATEGORY_NAMES: Record<VatCategory, LocalizedMessage> = {
  S: { en: 'standard rated', nl: 'standaardtarief', fr: 'taux normal' },
  Z: { en: 'zero rated', nl: 'nultarief', fr: 'taux zéro' },
  E: { en: 'exempt from VAT', nl: 'vrijgesteld van btw', fr: 'exonéré de TVA' },
  AE: { en: 'reverse charge', nl: 'btw verlegd (medecontractant)', fr: 'autoliquidation (cocontractant)' },
  K: { en: 'intra-Community supply', nl: 'intracommunautaire levering', fr: 'livraison intracommunautaire' },
  G: { en: 'export outside the EU', nl: 'uitvoer buiten de EU', fr: 'exportation hors UE' },
  O: { en: 'not subject to VAT', nl: 'niet onderworpen aan btw', fr: 'non soumis à la TVA' },
  L: { en: 'Canary Islands IGIC', nl: 'Canarische Eilanden (IGIC)', fr: 'îles Canaries (IGIC)' },
  M: { en: 'Ceuta and Melilla IPSI', nl: 'Ceuta en Melilla (IPSI)', fr: 'Ceuta et Melilla (IPSI)' },
  B: { en: 'Italian split payment', nl: 'Italiaanse split payment', fr: 'split payment italien' },
};

/** Rule-id prefix of each VAT category in EN 16931. */
const CATEGORY_RULE: Record<VatCategory, string> = { S: 'BR-S', Z: 'BR-Z', E: 'BR-E', AE: 'BR-AE', K: 'BR-IC', G: 'BR-G', O: 'BR-O', L: 'BR-AF', M: 'BR-AG', B: 'BR-B' };

const ALLOWANCE_REASON_CODES = new Set(['41', '42', '60', '62', '63', '64', '65', '66', '67', '68', '70', '71', '88', '95', '100', '102', '103', '104', '105']);
const CHARGE_REASON_CODES = new Set(
  `AA AAA AAC AAD AAE AAF AAH AAI AAS AAT AAV AAY AAZ ABA ABB ABC ABD ABF ABK ABL ABN ABR ABS ABT ABU ACF ACG ACH ACI ACJ ACK ACL ACM
  ACS ADC ADE ADJ ADK ADL ADM ADN ADO ADP ADQ ADR ADT ADW ADY ADZ AEA AEB AEC AED AEF AEH AEI AEJ AEK AEL AEM AEN AEO AEP AES AET AEU AEV
  AEW AEX AEY AEZ AJ AU CA CAB CAD CAE CAF CAI CAJ CAK CAL CAM CAN CAO CAP CAQ CAR CAS CAT CAU CAV CAW CAX CAY CAZ CD CG CS CT DAB DAC DAD
  DAF DAG DAH DAI DAJ DAK DAL DAM DAN DAO DAP DAQ DL EG EP ER FAA FAB FAC FC FH FI GAA HAA HD HH IAA IAB ID IF IR IS KO L1 LA LAA LAB LF MAE
  MI ML NAA OA PA PAA PC PL PRV RAB RAC RAD RAF RE RF RH RV SA SAA SAD SAE SAI SG SH SM SU TAB TAC TT TV V1 V2 WH XAA YY ZZZ`.split(/\s+/),
);

const m = (en: string, nl: string, fr: string): LocalizedMessage => ({ en, nl, fr });
const blank = (v: string | undefined | null): boolean => v === undefined || v === null || v.trim() === '';
const num = (v: string | undefined): Big | undefined => (v !== undefined && isDecimal(v) ? dec(v) : undefined);
const decimals = (v: string): number => (v.includes('.') ? v.length - v.indexOf('.') - 1 : 0);

class Collector {
  readonly findings: Finding[] = [];
  add(ruleId: string, severity: Severity, path: string, message: LocalizedMessage): void {
    this.findings.push({ ruleId, severity, path, message });
  }
  fatal(ruleId: string, path: string, message: LocalizedMessage): void {
    this.add(ruleId, 'fatal', path, message);
  }
  warning(ruleId: string, path: string, message: LocalizedMessage): void {
    this.add(ruleId, 'warning', path, message);
  }
}

export function checkInvoice(inv: Invoice): Finding[] {
  const c = new Collector();
  checkMandatory(c, inv);
  checkDecimals(c, inv);
  checkLines(c, inv);
  checkAllowancesCharges(c, inv);
  checkTotals(c, inv);
  checkVat(c, inv);
  checkParties(c, inv);
  checkPayment(c, inv);
  checkAttachments(c, inv);
  return c.findings;
}

// ---------------------------------------------------------------------------------------------------------------

function checkMandatory(c: Collector, inv: Invoice): void {
  if (blank(inv.number)) c.fatal('BR-02', 'number', m('The invoice number is missing.', 'Het factuurnummer ontbreekt.', 'Le numéro de facture manque.'));
  if (blank(inv.issueDate)) c.fatal('BR-03', 'issueDate', m('The issue date is missing.', 'De factuurdatum ontbreekt.', "La date d'émission manque."));
  if (inv.typeCode !== undefined) {
    const allowed: readonly string[] = inv.kind === 'credit-note' ? PEPPOL_CREDIT_NOTE_TYPE_CODES : PEPPOL_INVOICE_TYPE_CODES;
    if (!allowed.includes(inv.typeCode)) {
      c.fatal(
        inv.kind === 'credit-note' ? 'PEPPOL-EN16931-P0101' : 'PEPPOL-EN16931-P0100',
        'typeCode',
        m(
          `Type code ${inv.typeCode} is not allowed for a ${inv.kind === 'credit-note' ? 'credit note' : 'invoice'} in Peppol.`,
          `Documenttype ${inv.typeCode} is in Peppol niet toegestaan voor een ${inv.kind === 'credit-note' ? 'creditnota' : 'factuur'}.`,
          `Le code de type ${inv.typeCode} n'est pas admis dans Peppol pour ${inv.kind === 'credit-note' ? 'une note de crédit' : 'une facture'}.`,
        ),
      );
    } else if (inv.typeCode === '326' || inv.typeCode === '384') {
      c.fatal('PEPPOL-EN16931-P0112', 'typeCode', m(`Type code ${inv.typeCode} is only allowed between German companies.`, `Documenttype ${inv.typeCode} is enkel toegestaan tussen Duitse bedrijven.`, `Le code de type ${inv.typeCode} n'est admis qu'entre entreprises allemandes.`));
    }
  }
  if (blank(inv.currency)) c.fatal('BR-05', 'currency', m('The invoice currency is missing.', 'De munt van de factuur ontbreekt.', 'La devise de la facture manque.'));
  for (const [role, p, nameRule, addrRule, countryRule] of [
    ['seller', inv.seller, 'BR-06', 'BR-08', 'BR-09'],
    ['buyer', inv.buyer, 'BR-07', 'BR-10', 'BR-11'],
  ] as const) {
    const who = role === 'seller' ? m('seller', 'verkoper', 'vendeur') : m('buyer', 'koper', 'acheteur');
    if (!p) {
      c.fatal(nameRule, role, m(`The ${who.en} is missing.`, `De ${who.nl} ontbreekt.`, `Le ${who.fr} manque.`));
      continue;
    }
    if (blank(p.name)) c.fatal(nameRule, `${role}.name`, m(`The ${who.en}'s name is missing.`, `De naam van de ${who.nl} ontbreekt.`, `Le nom du ${who.fr} manque.`));
    if (!p.address) c.fatal(addrRule, `${role}.address`, m(`The ${who.en}'s address is missing.`, `Het adres van de ${who.nl} ontbreekt.`, `L'adresse du ${who.fr} manque.`));
    else if (blank(p.address.countryCode))
      c.fatal(countryRule, `${role}.address.countryCode`, m(`The ${who.en}'s country is missing.`, `Het land van de ${who.nl} ontbreekt.`, `Le pays du ${who.fr} manque.`));
  }
  if (!inv.lines || inv.lines.length === 0) c.fatal('BR-16', 'lines', m('The invoice has no lines.', 'De factuur heeft geen lijnen.', "La facture n'a aucune ligne."));
  if (!inv.vatBreakdown || inv.vatBreakdown.length === 0) c.fatal('BR-CO-18', 'vatBreakdown', m('The VAT breakdown is missing.', 'Het btw-overzicht ontbreekt.', 'Le récapitulatif TVA manque.'));
  const period = inv.invoicePeriod;
  if (period?.start && period.end && period.end < period.start)
    c.fatal('BR-29', 'invoicePeriod.end', m('The invoicing period ends before it starts.', 'De factuurperiode eindigt vóór ze begint.', 'La période de facturation se termine avant de commencer.'));
  if (inv.dueDate && inv.issueDate && inv.dueDate < inv.issueDate)
    c.warning('OB-DUE-DATE', 'dueDate', m('The due date is before the issue date.', 'De vervaldatum ligt vóór de factuurdatum.', "L'échéance précède la date de la facture."));
}

function checkDecimals(c: Collector, inv: Invoice): void {
  const check = (value: string | undefined, rule: string, path: string): void => {
    // Trailing zeros are harmless (the writer prints two decimals); anything it would have to round is not.
    if (value !== undefined && isDecimal(value) && decimals(value) > 2 && !dec(value).eq(dec(value).round(2, Big.roundHalfUp)))
      c.fatal(rule, path, m(`${value} has more than 2 decimals.`, `${value} heeft meer dan 2 decimalen.`, `${value} a plus de 2 décimales.`));
  };
  const t = inv.totals;
  if (t) {
    check(t.lineExtension, 'BR-DEC-09', 'totals.lineExtension');
    check(t.allowanceTotal, 'BR-DEC-10', 'totals.allowanceTotal');
    check(t.chargeTotal, 'BR-DEC-11', 'totals.chargeTotal');
    check(t.taxExclusive, 'BR-DEC-12', 'totals.taxExclusive');
    check(t.taxTotal, 'BR-DEC-13', 'totals.taxTotal');
    check(t.taxInclusive, 'BR-DEC-14', 'totals.taxInclusive');
    check(t.prepaid, 'BR-DEC-16', 'totals.prepaid');
    check(t.rounding, 'BR-DEC-17', 'totals.rounding');
    check(t.payable, 'BR-DEC-18', 'totals.payable');
  }
  (inv.vatBreakdown ?? []).forEach((b, i) => {
    check(b.taxableAmount, 'BR-DEC-19', `vatBreakdown[${i}].taxableAmount`);
    check(b.taxAmount, 'BR-DEC-20', `vatBreakdown[${i}].taxAmount`);
  });
  (inv.allowancesCharges ?? []).forEach((ac, i) => {
    check(ac.amount, ac.isCharge ? 'BR-DEC-05' : 'BR-DEC-01', `allowancesCharges[${i}].amount`);
    check(ac.baseAmount, ac.isCharge ? 'BR-DEC-06' : 'BR-DEC-02', `allowancesCharges[${i}].baseAmount`);
  });
  (inv.lines ?? []).forEach((l, i) => {
    check(l.netAmount, 'BR-DEC-23', `lines[${i}].netAmount`);
    (l.allowancesCharges ?? []).forEach((ac, j) => {
      check(ac.amount, ac.isCharge ? 'BR-DEC-27' : 'BR-DEC-24', `lines[${i}].allowancesCharges[${j}].amount`);
      check(ac.baseAmount, ac.isCharge ? 'BR-DEC-28' : 'BR-DEC-25', `lines[${i}].allowancesCharges[${j}].baseAmount`);
    });
  });
}

function checkLines(c: Collector, inv: Invoice): void {
  const ids = new Set<string>();
  (inv.lines ?? []).forEach((l, i) => {
    const p = `lines[${i}]`;
    const n = i + 1;
    if (blank(l.id)) c.fatal('BR-21', `${p}.id`, m(`Line ${n} has no identifier.`, `Lijn ${n} heeft geen nummer.`, `La ligne ${n} n'a pas d'identifiant.`));
    else if (ids.has(l.id)) c.warning('OB-LINE-ID', `${p}.id`, m(`Line identifier ${l.id} is used twice.`, `Lijnnummer ${l.id} komt twee keer voor.`, `L'identifiant de ligne ${l.id} est utilisé deux fois.`));
    else ids.add(l.id);
    if (blank(l.quantity)) c.fatal('BR-22', `${p}.quantity`, m(`Line ${n} has no quantity.`, `Lijn ${n} heeft geen hoeveelheid.`, `La ligne ${n} n'a pas de quantité.`));
    if (blank(l.unitCode)) c.fatal('BR-23', `${p}.unitCode`, m(`Line ${n} has no unit of measure.`, `Lijn ${n} heeft geen eenheid.`, `La ligne ${n} n'a pas d'unité.`));
    if (blank(l.netAmount)) c.fatal('BR-24', `${p}.netAmount`, m(`Line ${n} has no net amount.`, `Lijn ${n} heeft geen nettobedrag.`, `La ligne ${n} n'a pas de montant net.`));
    if (blank(l.description)) c.fatal('BR-25', `${p}.description`, m(`Line ${n} has no item name.`, `Lijn ${n} heeft geen artikelnaam.`, `La ligne ${n} n'a pas de nom d'article.`));
    const price = num(l.unitPrice);
    if (blank(l.unitPrice)) c.fatal('BR-26', `${p}.unitPrice`, m(`Line ${n} has no net price.`, `Lijn ${n} heeft geen nettoprijs.`, `La ligne ${n} n'a pas de prix net.`));
    else if (price?.lt(0))
      c.fatal('BR-27', `${p}.unitPrice`, m(`Line ${n}: the net price may not be negative (use a negative quantity).`, `Lijn ${n}: de nettoprijs mag niet negatief zijn (gebruik een negatieve hoeveelheid).`, `Ligne ${n} : le prix net ne peut pas être négatif (utilisez une quantité négative).`));
    if (l.grossPrice !== undefined && num(l.grossPrice)?.lt(0))
      c.fatal('BR-28', `${p}.grossPrice`, m(`Line ${n}: the gross price may not be negative.`, `Lijn ${n}: de brutoprijs mag niet negatief zijn.`, `Ligne ${n} : le prix brut ne peut pas être négatif.`));
    const base = num(l.priceBaseQuantity);
    if (base && base.lte(0))
      c.fatal('PEPPOL-EN16931-R121', `${p}.priceBaseQuantity`, m(`Line ${n}: the price base quantity must be above zero.`, `Lijn ${n}: de basishoeveelheid van de prijs moet groter dan nul zijn.`, `Ligne ${n} : la quantité de base du prix doit être supérieure à zéro.`));
    if (l.grossPrice !== undefined && price && num(l.grossPrice)) {
      const discount = l.priceDiscount !== undefined ? num(l.priceDiscount) : dec(l.grossPrice).minus(price);
      if (discount && !dec(l.grossPrice).minus(discount).eq(price))
        c.fatal('PEPPOL-EN16931-R046', `${p}.unitPrice`, m(`Line ${n}: net price ${l.unitPrice} is not gross price ${l.grossPrice} minus discount ${l.priceDiscount}.`, `Lijn ${n}: nettoprijs ${l.unitPrice} is niet brutoprijs ${l.grossPrice} min korting ${l.priceDiscount}.`, `Ligne ${n} : le prix net ${l.unitPrice} n'est pas le prix brut ${l.grossPrice} moins la remise ${l.priceDiscount}.`));
    }
    if (l.period?.start && l.period.end && l.period.end < l.period.start)
      c.fatal('BR-30', `${p}.period`, m(`Line ${n}: the period ends before it starts.`, `Lijn ${n}: de periode eindigt vóór ze begint.`, `Ligne ${n} : la période se termine avant de commencer.`));
    if (!l.vat?.category) c.fatal('BR-CO-04', `${p}.vat.category`, m(`Line ${n} has no VAT category.`, `Lijn ${n} heeft geen btw-categorie.`, `La ligne ${n} n'a pas de catégorie TVA.`));
    (l.allowancesCharges ?? []).forEach((ac, j) => checkOneAllowanceCharge(c, ac, `${p}.allowancesCharges[${j}]`, false, n));

    // PEPPOL-EN16931-R120: net = qty × price ÷ base ± allowances/charges (±0.02)
    if (isDecimal(l.quantity ?? '') && price && isDecimal(l.netAmount ?? '') && (l.allowancesCharges ?? []).every((ac) => isDecimal(ac.amount))) {
      const expected = lineNetAmount(l);
      const diff = expected.minus(dec(l.netAmount)).abs();
      if (diff.gt('0.02'))
        c.fatal('PEPPOL-EN16931-R120', `${p}.netAmount`, m(`Line ${n}: net amount ${l.netAmount} should be ${toFixed(expected)} (quantity × price ± allowances and charges).`, `Lijn ${n}: nettobedrag ${l.netAmount} moet ${toFixed(expected)} zijn (hoeveelheid × prijs ± kortingen en toeslagen).`, `Ligne ${n} : le montant net ${l.netAmount} devrait être ${toFixed(expected)} (quantité × prix ± remises et frais).`));
      else if (diff.gt(0))
        c.warning('PEPPOL-EN16931-R120', `${p}.netAmount`, m(`Line ${n}: net amount ${l.netAmount} differs slightly from ${toFixed(expected)}.`, `Lijn ${n}: nettobedrag ${l.netAmount} wijkt licht af van ${toFixed(expected)}.`, `Ligne ${n} : le montant net ${l.netAmount} diffère légèrement de ${toFixed(expected)}.`));
    }
  });
}

function checkOneAllowanceCharge(c: Collector, ac: AllowanceCharge, p: string, documentLevel: boolean, lineNo?: number): void {
  const kind = ac.isCharge ? m('charge', 'toeslag', 'frais') : m('allowance', 'korting', 'remise');
  const where = lineNo ? m(`Line ${lineNo}: `, `Lijn ${lineNo}: `, `Ligne ${lineNo} : `) : m('', '', '');
  const rules = documentLevel ? (ac.isCharge ? ['BR-36', 'BR-37', 'BR-38'] : ['BR-31', 'BR-32', 'BR-33']) : ac.isCharge ? ['BR-43', '', 'BR-44'] : ['BR-41', '', 'BR-42'];
  if (blank(ac.amount)) c.fatal(rules[0] ?? '', `${p}.amount`, m(`${where.en}the ${kind.en} has no amount.`, `${where.nl}de ${kind.nl} heeft geen bedrag.`, `${where.fr}${ac.isCharge ? 'les frais n’ont' : 'la remise n’a'} pas de montant.`));
  if (documentLevel && !ac.vat?.category)
    c.fatal(rules[1] ?? '', `${p}.vat`, m(`The document ${kind.en} has no VAT category.`, `De ${kind.nl} op documentniveau heeft geen btw-categorie.`, `${ac.isCharge ? 'Les frais' : 'La remise'} au niveau du document n'${ac.isCharge ? 'ont' : 'a'} pas de catégorie TVA.`));
  if (blank(ac.reason) && blank(ac.reasonCode))
    c.fatal(rules[2] ?? '', `${p}.reason`, m(`${where.en}the ${kind.en} has no reason.`, `${where.nl}de ${kind.nl} heeft geen reden.`, `${where.fr}${ac.isCharge ? 'les frais n’ont' : 'la remise n’a'} pas de motif.`));
  if (ac.reasonCode && !(ac.isCharge ? CHARGE_REASON_CODES : ALLOWANCE_REASON_CODES).has(ac.reasonCode))
    c.fatal(ac.isCharge ? 'PEPPOL-EN16931-CL003' : 'PEPPOL-EN16931-CL002', `${p}.reasonCode`, m(`${where.en}reason code ${ac.reasonCode} is not in the ${ac.isCharge ? 'UNCL7161' : 'UNCL5189'} list.`, `${where.nl}redencode ${ac.reasonCode} staat niet in de lijst ${ac.isCharge ? 'UNCL7161' : 'UNCL5189'}.`, `${where.fr}le code motif ${ac.reasonCode} ne figure pas dans la liste ${ac.isCharge ? 'UNCL7161' : 'UNCL5189'}.`));
  const hasPct = ac.percent !== undefined;
  const hasBase = ac.baseAmount !== undefined;
  if (hasPct && !hasBase)
    c.fatal('PEPPOL-EN16931-R041', `${p}.baseAmount`, m(`${where.en}a percentage needs a base amount.`, `${where.nl}een percentage vraagt een basisbedrag.`, `${where.fr}un pourcentage demande un montant de base.`));
  if (hasBase && !hasPct)
    c.fatal('PEPPOL-EN16931-R042', `${p}.percent`, m(`${where.en}a base amount needs a percentage.`, `${where.nl}een basisbedrag vraagt een percentage.`, `${where.fr}un montant de base demande un pourcentage.`));
  const pct = num(ac.percent);
  const base = num(ac.baseAmount);
  const amount = num(ac.amount);
  if (pct && base && amount) {
    const expected = base.times(pct).div(100);
    if (expected.minus(amount).abs().gt('0.02'))
      c.fatal('PEPPOL-EN16931-R040', `${p}.amount`, m(`${where.en}${ac.amount} is not ${ac.percent} % of ${ac.baseAmount} (${toFixed(expected)}).`, `${where.nl}${ac.amount} is niet ${ac.percent} % van ${ac.baseAmount} (${toFixed(expected)}).`, `${where.fr}${ac.amount} n'est pas ${ac.percent} % de ${ac.baseAmount} (${toFixed(expected)}).`));
  }
}

function checkAllowancesCharges(c: Collector, inv: Invoice): void {
  (inv.allowancesCharges ?? []).forEach((ac, i) => checkOneAllowanceCharge(c, ac, `allowancesCharges[${i}]`, true));
}

function checkTotals(c: Collector, inv: Invoice): void {
  const t = inv.totals;
  if (!t) {
    c.fatal('BR-12', 'totals', m('The document totals are missing.', 'De totalen ontbreken.', 'Les totaux manquent.'));
    return;
  }
  for (const [key, rule] of [['lineExtension', 'BR-12'], ['taxExclusive', 'BR-13'], ['taxInclusive', 'BR-14'], ['payable', 'BR-15']] as const) {
    if (blank(t[key])) c.fatal(rule, `totals.${key}`, m(`Total ${key} is missing.`, `Totaal ${key} ontbreekt.`, `Le total ${key} manque.`));
  }
  const lines = inv.lines ?? [];
  const acs = inv.allowancesCharges ?? [];
  const allDecimal = [t.lineExtension, t.allowanceTotal, t.chargeTotal, t.taxExclusive, t.taxTotal, t.taxInclusive, t.prepaid, t.rounding, t.payable].every((v) => isDecimal(v ?? ''));
  if (!allDecimal || !lines.every((l) => isDecimal(l.netAmount ?? '')) || !acs.every((a) => isDecimal(a.amount ?? ''))) return;
  const r2 = (b: Big): Big => b.round(2, Big.roundHalfUp);
  const mismatch = (rule: string, path: string, actual: string, expected: Big, what: LocalizedMessage): void => {
    if (!dec(actual).eq(r2(expected)))
      c.fatal(rule, path, m(`${what.en} is ${actual}, but should be ${toFixed(expected)}.`, `${what.nl} is ${actual}, maar moet ${toFixed(expected)} zijn.`, `${what.fr} est ${actual}, mais devrait être ${toFixed(expected)}.`));
  };
  mismatch('BR-CO-10', 'totals.lineExtension', t.lineExtension, sum(lines.map((l) => l.netAmount)), m('The sum of line net amounts', 'De som van de lijnbedragen', 'La somme des montants nets des lignes'));
  mismatch('BR-CO-11', 'totals.allowanceTotal', t.allowanceTotal, sum(acs.filter((a) => !a.isCharge).map((a) => a.amount)), m('The sum of document allowances', 'De som van de kortingen', 'La somme des remises'));
  mismatch('BR-CO-12', 'totals.chargeTotal', t.chargeTotal, sum(acs.filter((a) => a.isCharge).map((a) => a.amount)), m('The sum of document charges', 'De som van de toeslagen', 'La somme des frais'));
  mismatch('BR-CO-13', 'totals.taxExclusive', t.taxExclusive, dec(t.lineExtension).minus(t.allowanceTotal).plus(t.chargeTotal), m('The total without VAT', 'Het totaal zonder btw', 'Le total hors TVA'));
  const breakdown = inv.vatBreakdown ?? [];
  if (breakdown.every((b) => isDecimal(b.taxAmount ?? '')))
    mismatch('BR-CO-14', 'totals.taxTotal', t.taxTotal, sum(breakdown.map((b) => b.taxAmount)), m('The total VAT', 'Het btw-totaal', 'Le total de la TVA'));
  mismatch('BR-CO-15', 'totals.taxInclusive', t.taxInclusive, dec(t.taxExclusive).plus(t.taxTotal), m('The total with VAT', 'Het totaal met btw', 'Le total TVA comprise'));
  mismatch('BR-CO-16', 'totals.payable', t.payable, dec(t.taxInclusive).minus(t.prepaid).plus(t.rounding), m('The amount due', 'Het te betalen bedrag', 'Le montant à payer'));
}

function checkVat(c: Collector, inv: Invoice): void {
  const lines = inv.lines ?? [];
  const acs = inv.allowancesCharges ?? [];
  const breakdown = inv.vatBreakdown ?? [];

  // Rates per category (…-05 lines, -06 allowances, -07 charges).
  const rateRule = (category: VatCategory, rate: string | undefined, rule: string, path: string, what: LocalizedMessage): void => {
    const r = num(rate);
    const name = CATEGORY_NAMES[category];
    if (category === 'S' && r && r.lte(0))
      c.fatal(rule, path, m(`${what.en}: a standard rate must be above 0 % (use Z for 0 %).`, `${what.nl}: een standaardtarief moet boven 0 % liggen (gebruik Z voor 0 %).`, `${what.fr} : un taux normal doit être supérieur à 0 % (utilisez Z pour 0 %).`));
    if (['Z', 'E', 'AE', 'K', 'G'].includes(category) && r && !r.eq(0))
      c.fatal(rule, path, m(`${what.en}: the rate for ${name.en} must be 0 %.`, `${what.nl}: het tarief voor ${name.nl} moet 0 % zijn.`, `${what.fr} : le taux pour ${name.fr} doit être 0 %.`));
  };
  lines.forEach((l, i) => {
    if (l.vat) rateRule(l.vat.category, l.vat.rate, `${CATEGORY_RULE[l.vat.category]}-05`, `lines[${i}].vat.rate`, m(`Line ${i + 1}`, `Lijn ${i + 1}`, `Ligne ${i + 1}`));
  });
  acs.forEach((ac, i) => {
    if (ac.vat) rateRule(ac.vat.category, ac.vat.rate, `${CATEGORY_RULE[ac.vat.category]}-${ac.isCharge ? '07' : '06'}`, `allowancesCharges[${i}].vat.rate`, ac.isCharge ? m('Document charge', 'Toeslag', 'Frais') : m('Document allowance', 'Korting', 'Remise'));
  });

  // Expected taxable amount per category + rate.
  const expected = new Map<string, { category: VatCategory; rate: string; taxable: Big }>();
  const add = (category: VatCategory, rate: string, amount: Big): void => {
    const k = vatKey(category, rate);
    const e = expected.get(k);
    if (e) e.taxable = e.taxable.plus(amount);
    else expected.set(k, { category, rate, taxable: amount });
  };
  let computable = true;
  for (const l of lines) {
    if (l.vat && isDecimal(l.netAmount ?? '') && (l.vat.category === 'O' || isDecimal(l.vat.rate ?? ''))) add(l.vat.category, l.vat.rate, dec(l.netAmount));
    else computable = false;
  }
  for (const ac of acs) {
    if (ac.vat && isDecimal(ac.amount ?? '') && (ac.vat.category === 'O' || isDecimal(ac.vat.rate ?? ''))) add(ac.vat.category, ac.vat.rate, ac.isCharge ? dec(ac.amount) : dec(ac.amount).neg());
    else computable = false;
  }
  const given = new Map<string, number>();
  breakdown.forEach((b, i) => {
    const k = vatKey(b.category, b.rate);
    const p = `vatBreakdown[${i}]`;
    const name = CATEGORY_NAMES[b.category];
    const prefix = CATEGORY_RULE[b.category];
    if (given.has(k))
      c.fatal(`${prefix}-01`, p, m(`The VAT breakdown has ${name.en} at ${b.rate} % twice.`, `Het btw-overzicht bevat ${name.nl} aan ${b.rate} % twee keer.`, `Le récapitulatif TVA contient ${name.fr} à ${b.rate} % deux fois.`));
    given.set(k, i);
    const e = expected.get(k);
    if (computable && isDecimal(b.taxableAmount ?? '')) {
      const want = e ? e.taxable.round(2, Big.roundHalfUp) : new Big(0);
      if (!dec(b.taxableAmount).eq(want))
        c.fatal(`${prefix}-08`, `${p}.taxableAmount`, m(`Taxable amount for ${name.en} ${b.rate} % is ${b.taxableAmount}, but the lines and allowances/charges give ${toFixed(want)}.`, `Maatstaf voor ${name.nl} ${b.rate} % is ${b.taxableAmount}, maar de lijnen en kortingen/toeslagen geven ${toFixed(want)}.`, `La base pour ${name.fr} ${b.rate} % est ${b.taxableAmount}, mais les lignes et remises/frais donnent ${toFixed(want)}.`));
    }
    if (isDecimal(b.taxableAmount ?? '') && isDecimal(b.taxAmount ?? '')) {
      if (ZERO_VAT_CATEGORIES.includes(b.category)) {
        if (!dec(b.taxAmount).eq(0))
          c.fatal(`${prefix}-09`, `${p}.taxAmount`, m(`VAT for ${name.en} must be 0.`, `De btw voor ${name.nl} moet 0 zijn.`, `La TVA pour ${name.fr} doit être 0.`));
      } else if (isDecimal(b.rate ?? '')) {
        const want = dec(b.taxableAmount).times(b.rate).div(100).round(2, Big.roundHalfUp);
        const diff = want.minus(dec(b.taxAmount)).abs();
        const msg = m(`VAT for ${name.en} ${b.rate} % is ${b.taxAmount}; ${b.taxableAmount} × ${b.rate} % = ${toFixed(want)}.`, `Btw voor ${name.nl} ${b.rate} % is ${b.taxAmount}; ${b.taxableAmount} × ${b.rate} % = ${toFixed(want)}.`, `La TVA pour ${name.fr} ${b.rate} % est ${b.taxAmount} ; ${b.taxableAmount} × ${b.rate} % = ${toFixed(want)}.`);
        if (diff.gte(1)) {
          c.fatal('BR-CO-17', `${p}.taxAmount`, msg);
          // BR-S-09 / BR-AF-09 / BR-AG-09: the same test per category.
          if (b.category === 'S' || b.category === 'L' || b.category === 'M') c.fatal(`${prefix}-09`, `${p}.taxAmount`, msg);
        }
        else if (diff.gt(0)) c.warning('BR-CO-17', `${p}.taxAmount`, msg);
      }
    }
    const hasExemption = !blank(b.exemptionReason) || !blank(b.exemptionReasonCode);
    if (NO_EXEMPTION_CATEGORIES.includes(b.category) && hasExemption)
      c.fatal(`${prefix}-10`, `${p}.exemptionReason`, m(`A ${name.en} VAT breakdown may not have an exemption reason.`, `Een btw-regel met ${name.nl} mag geen vrijstellingsreden hebben.`, `Une ligne TVA ${name.fr} ne peut pas avoir de motif d'exonération.`));
    if (EXEMPTION_REQUIRED_CATEGORIES.includes(b.category) && !hasExemption)
      c.fatal(`${prefix}-10`, `${p}.exemptionReason`, m(`A ${name.en} VAT breakdown needs an exemption reason (text or VATEX code).`, `Een btw-regel met ${name.nl} vraagt een vrijstellingsreden (tekst of VATEX-code).`, `Une ligne TVA ${name.fr} demande un motif d'exonération (texte ou code VATEX).`));
    if (b.exemptionReasonCode && !/^VATEX-/i.test(b.exemptionReasonCode))
      c.warning('BR-CL-22', `${p}.exemptionReasonCode`, m(`${b.exemptionReasonCode} is not a VATEX code; it is replaced when the UBL is written.`, `${b.exemptionReasonCode} is geen VATEX-code; ze wordt vervangen bij het schrijven van de UBL.`, `${b.exemptionReasonCode} n'est pas un code VATEX ; il est remplacé à l'écriture de l'UBL.`));
  });
  if (computable) {
    for (const [k, e] of expected) {
      if (!given.has(k)) {
        const name = CATEGORY_NAMES[e.category];
        c.fatal(`${CATEGORY_RULE[e.category]}-01`, 'vatBreakdown', m(`The VAT breakdown has no entry for ${name.en}${e.category === 'O' ? '' : ` ${e.rate} %`}.`, `Het btw-overzicht heeft geen regel voor ${name.nl}${e.category === 'O' ? '' : ` ${e.rate} %`}.`, `Le récapitulatif TVA n'a pas de ligne pour ${name.fr}${e.category === 'O' ? '' : ` ${e.rate} %`}.`));
      }
    }
  }

  // Party VAT identifiers per category, and exclusivity of O.
  const used = new Set<VatCategory>([...lines.map((l) => l.vat?.category), ...acs.map((a) => a.vat?.category), ...breakdown.map((b) => b.category)].filter((x): x is VatCategory => !!x));
  const sellerVat = !blank(inv.seller?.vatId);
  const sellerTaxReg = !blank(inv.seller?.taxRegistrationId);
  const buyerVat = !blank(inv.buyer?.vatId);
  const buyerLegal = !!(inv.buyer?.enterpriseNumber || inv.buyer?.legalId || (inv.buyer?.vatId && enterpriseNumberFromVat(inv.buyer.vatId)));
  const needSellerVat = (cat: VatCategory, allowTaxReg: boolean): void => {
    if (used.has(cat) && !sellerVat && !(allowTaxReg && sellerTaxReg)) {
      const name = CATEGORY_NAMES[cat];
      c.fatal(`${CATEGORY_RULE[cat]}-02`, 'seller.vatId', m(`Lines that are ${name.en} need the seller's VAT number.`, `Lijnen met ${name.nl} vragen het btw-nummer van de verkoper.`, `Des lignes ${name.fr} demandent le numéro de TVA du vendeur.`));
    }
  };
  needSellerVat('S', true);
  needSellerVat('Z', true);
  needSellerVat('E', true);
  needSellerVat('AE', true);
  needSellerVat('K', false);
  needSellerVat('G', false);
  if (used.has('AE') && !buyerVat && !buyerLegal)
    c.fatal('BR-AE-02', 'buyer.vatId', m("Reverse charge needs the buyer's VAT number or legal registration number.", 'Verlegging van heffing vraagt het btw- of ondernemingsnummer van de koper.', "L'autoliquidation demande le numéro de TVA ou d'entreprise de l'acheteur."));
  if (used.has('K') && !buyerVat)
    c.fatal('BR-IC-02', 'buyer.vatId', m("An intra-Community supply needs the buyer's VAT number.", 'Een intracommunautaire levering vraagt het btw-nummer van de koper.', "Une livraison intracommunautaire demande le numéro de TVA de l'acheteur."));
  if (used.has('K')) {
    if (!inv.delivery?.date && !inv.invoicePeriod?.start && !inv.invoicePeriod?.end)
      c.fatal('BR-IC-11', 'delivery.date', m('An intra-Community supply needs the delivery date or the invoicing period.', 'Een intracommunautaire levering vraagt de leveringsdatum of de factuurperiode.', 'Une livraison intracommunautaire demande la date de livraison ou la période de facturation.'));
    if (!inv.delivery?.address?.countryCode)
      c.fatal('BR-IC-12', 'delivery.address.countryCode', m('An intra-Community supply needs the country of delivery.', 'Een intracommunautaire levering vraagt het land van levering.', 'Une livraison intracommunautaire demande le pays de livraison.'));
  }
  if (used.has('O')) {
    if (sellerVat || buyerVat)
      c.fatal('BR-O-02', sellerVat ? 'seller.vatId' : 'buyer.vatId', m('A document not subject to VAT may not carry VAT numbers of seller or buyer.', 'Een document dat niet onderworpen is aan btw mag geen btw-nummers van verkoper of koper bevatten.', "Un document non soumis à la TVA ne peut pas porter de numéros de TVA du vendeur ou de l'acheteur."));
    if ([...used].some((x) => x !== 'O'))
      c.fatal('BR-O-11', 'vatBreakdown', m('"Not subject to VAT" cannot be combined with other VAT categories in one document.', '"Niet onderworpen aan btw" kan niet samen met andere btw-categorieën in één document.', '« Non soumis à la TVA » ne peut pas être combiné avec d’autres catégories de TVA dans un même document.'));
  }
}

function checkParty(c: Collector, p: Party | undefined, role: 'seller' | 'buyer'): void {
  if (!p) return;
  const who = role === 'seller' ? m('seller', 'verkoper', 'vendeur') : m('buyer', 'koper', 'acheteur');
  if (p.enterpriseNumber !== undefined) {
    const r = validateEnterpriseNumber(p.enterpriseNumber);
    if (!r.valid) c.fatal('PEPPOL-COMMON-R043', `${role}.enterpriseNumber`, m(`The ${who.en}'s enterprise number: ${r.message}`, `Ondernemingsnummer van de ${who.nl} ongeldig (${r.reason}): ${p.enterpriseNumber}.`, `Numéro d'entreprise du ${who.fr} invalide (${r.reason}) : ${p.enterpriseNumber}.`));
  }
  for (const [path, id] of [
    [`${role}.endpoint`, p.endpoint?.scheme === '0208' ? p.endpoint.id : undefined],
    [`${role}.legalId`, p.legalId?.scheme === '0208' ? p.legalId.id : undefined],
  ] as const) {
    if (id !== undefined && !(/^\d{10}$/.test(id) && validateEnterpriseNumber(id).valid))
      c.fatal('PEPPOL-COMMON-R043', path, m(`${id} (scheme 0208) is not a valid Belgian enterprise number.`, `${id} (schema 0208) is geen geldig Belgisch ondernemingsnummer.`, `${id} (schéma 0208) n'est pas un numéro d'entreprise belge valide.`));
  }
  for (const f of identifierFindings(p, role)) c.add(f.ruleId, f.severity, f.path, f.message);
  if (p.vatId?.startsWith('BE')) {
    const r = validateBelgianVat(p.vatId);
    if (!r.valid) c.fatal('OB-BE-VAT', `${role}.vatId`, m(`The ${who.en}'s Belgian VAT number ${p.vatId} is invalid (${r.reason}).`, `Het Belgische btw-nummer van de ${who.nl}, ${p.vatId}, is ongeldig (${r.reason}).`, `Le numéro de TVA belge du ${who.fr}, ${p.vatId}, est invalide (${r.reason}).`));
    else if (p.enterpriseNumber && r.value.slice(2) !== p.enterpriseNumber)
      c.warning('OB-BE-VAT-MATCH', `${role}.vatId`, m(`The ${who.en}'s VAT number ${p.vatId} and enterprise number ${p.enterpriseNumber} differ.`, `Btw-nummer ${p.vatId} en ondernemingsnummer ${p.enterpriseNumber} van de ${who.nl} verschillen.`, `Le numéro de TVA ${p.vatId} et le numéro d'entreprise ${p.enterpriseNumber} du ${who.fr} diffèrent.`));
  }
  if (!endpointOf(p))
    c.fatal(role === 'seller' ? 'PEPPOL-EN16931-R020' : 'PEPPOL-EN16931-R010', `${role}.endpoint`, m(`The ${who.en} has no electronic address (Peppol id), and none can be derived from an enterprise or VAT number.`, `De ${who.nl} heeft geen elektronisch adres (Peppol-id), en er kan er geen afgeleid worden uit een ondernemings- of btw-nummer.`, `Le ${who.fr} n'a pas d'adresse électronique (identifiant Peppol), et aucune ne peut être déduite d'un numéro d'entreprise ou de TVA.`));
}

function checkParties(c: Collector, inv: Invoice): void {
  checkParty(c, inv.seller, 'seller');
  checkParty(c, inv.buyer, 'buyer');
  const s = inv.seller;
  if (s && blank(s.vatId) && !s.enterpriseNumber && !s.legalId && !(s.identifiers ?? []).some((i) => i.scheme !== 'SEPA'))
    c.fatal('BR-CO-26', 'seller', m('The seller needs a VAT number, an enterprise/legal registration number or another identifier.', 'De verkoper heeft een btw-nummer, ondernemingsnummer of een andere identificatie nodig.', "Le vendeur a besoin d'un numéro de TVA, d'un numéro d'entreprise ou d'un autre identifiant."));
}

function checkPayment(c: Collector, inv: Invoice): void {
  const pm = inv.paymentMeans;
  if (!pm) return;
  if (blank(pm.code)) c.fatal('BR-49', 'paymentMeans.code', m('The payment means code is missing.', 'De code van de betaalwijze ontbreekt.', 'Le code du moyen de paiement manque.'));
  if ((pm.code === '30' || pm.code === '58') && blank(pm.iban) && blank(pm.accountId))
    c.fatal('BR-61', 'paymentMeans.iban', m('A credit transfer needs the account (IBAN) to pay to.', 'Een overschrijving vraagt het rekeningnummer (IBAN) van de begunstigde.', 'Un virement demande le compte (IBAN) du bénéficiaire.'));
  if ((pm.code === '49' || pm.code === '59') && blank(pm.mandateId))
    c.fatal('PEPPOL-EN16931-R061', 'paymentMeans.mandateId', m('A direct debit needs the mandate reference.', 'Een domiciliëring vraagt de mandaatreferentie.', 'Une domiciliation demande la référence du mandat.'));
  if (pm.iban) {
    const r = validateIban(pm.iban);
    if (!r.valid) c.fatal('OB-IBAN', 'paymentMeans.iban', m(`IBAN ${pm.iban} is invalid: ${r.message}`, `IBAN ${pm.iban} is ongeldig (${r.reason}).`, `L'IBAN ${pm.iban} est invalide (${r.reason}).`));
  }
  if (pm.paymentId && looksLikeStructuredCommunication(pm.paymentId)) {
    const r = validateStructuredCommunication(pm.paymentId);
    if (!r.valid)
      c.fatal('OB-OGM', 'paymentMeans.paymentId', m(`Structured communication ${pm.paymentId} is invalid (${r.reason}); the bank will refuse it.`, `Gestructureerde mededeling ${pm.paymentId} is ongeldig (${r.reason}); de bank zal ze weigeren.`, `La communication structurée ${pm.paymentId} est invalide (${r.reason}) ; la banque la refusera.`));
  }
}

function checkAttachments(c: Collector, inv: Invoice): void {
  (inv.attachments ?? []).forEach((a, i) => {
    const p = `attachments[${i}]`;
    if (blank(a.id)) c.fatal('BR-52', `${p}.id`, m('An attachment has no identifier.', 'Een bijlage heeft geen identificatie.', "Une pièce jointe n'a pas d'identifiant."));
    if (!(ALLOWED_ATTACHMENT_MIME_CODES as readonly string[]).includes(a.mimeType))
      c.fatal('BR-CL-24', `${p}.mimeType`, m(`Attachment type ${a.mimeType} is not allowed (PDF, PNG, JPEG, CSV, XLSX, ODS).`, `Bijlagetype ${a.mimeType} is niet toegestaan (PDF, PNG, JPEG, CSV, XLSX, ODS).`, `Le type de pièce jointe ${a.mimeType} n'est pas admis (PDF, PNG, JPEG, CSV, XLSX, ODS).`));
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(a.contentBase64.replace(/\s+/g, '')) || a.contentBase64.trim() === '')
      c.fatal('OB-ATTACHMENT', `${p}.contentBase64`, m(`Attachment ${a.filename} is empty or not base64.`, `Bijlage ${a.filename} is leeg of geen base64.`, `La pièce jointe ${a.filename} est vide ou n'est pas en base64.`));
  });
}
