import { z } from 'zod';

/**
 * A CODA file read into the model: one statement per 0…9 group of records (a file may hold several, for one
 * account or several). Amounts are decimal strings (negative = debit), dates ISO (YYYY-MM-DD).
 */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/);

export const codaAccount = z.object({
  /** Record 1 position 2: 0 Belgian account, 1 foreign account, 2 Belgian IBAN, 3 foreign IBAN. */
  structure: z.number().int().min(0).max(3),
  /** As the bank wrote it (a 12-digit Belgian number for structure 0). */
  number: z.string(),
  /** The IBAN: as written for structures 2 and 3, derived from the Belgian number for 0; absent for 1. */
  iban: z.string().optional(),
  currency: z.string(),
});
export type CodaAccount = z.infer<typeof codaAccount>;

export const codaCounterparty = z.object({
  /** The account as written (IBAN, or a Belgian 12-digit number in version 1). */
  account: z.string(),
  iban: z.string().optional(),
  currency: z.string(),
  bic: z.string(),
  name: z.string(),
});
export type CodaCounterparty = z.infer<typeof codaCounterparty>;

export const codaMovement = z.object({
  line: z.number().int(),
  sequence: z.number().int(),
  /** 0 for a movement; above 0 for the details of a globalised movement (they do not count in balances). */
  detail: z.number().int(),
  bankReference: z.string(),
  amount: decimal,
  valueDate: isoDate.nullable(),
  entryDate: isoDate,
  /** Febelfin transaction code: type (1), family (2), operation (2), category (3). */
  transactionCode: z.string().regex(/^\d{8}$/),
  /** The communication as one text (free, or the raw structured field). */
  communication: z.string(),
  /** "+++123/4567/89012+++" when the movement carries a Belgian structured communication (types 101 and 102). */
  structuredCommunication: z.string().optional(),
  globalisation: z.number().int(),
  /** Record 2.2: the end-to-end reference of a SEPA transfer, purpose codes. */
  clientReference: z.string(),
  counterparty: codaCounterparty.optional(),
});
export type CodaMovement = z.infer<typeof codaMovement>;

export const codaInformation = z.object({
  line: z.number().int(),
  sequence: z.number().int(),
  detail: z.number().int(),
  bankReference: z.string(),
  transactionCode: z.string(),
  communication: z.string(),
});
export type CodaInformation = z.infer<typeof codaInformation>;

export const codaStatement = z.object({
  /** 1-based line numbers of the header (record 0) and the trailer (record 9). */
  firstLine: z.number().int(),
  lastLine: z.number().int(),
  version: z.union([z.literal(1), z.literal(2)]),
  creationDate: isoDate,
  bankId: z.string(),
  duplicate: z.boolean(),
  fileReference: z.string(),
  addressee: z.string(),
  bic: z.string(),
  companyId: z.string(),
  account: codaAccount,
  holderName: z.string(),
  accountDescription: z.string(),
  /** Record 1 positions 3–5: the statement's number in the account's year. */
  statementNumber: z.number().int(),
  /** Record 1 positions 126–128: the CODA file's own sequence number. */
  codaSequence: z.number().int(),
  oldBalance: decimal,
  oldBalanceDate: isoDate,
  newBalance: decimal,
  newBalanceDate: isoDate,
  movements: z.array(codaMovement),
  information: z.array(codaInformation),
  freeText: z.array(z.string()),
  trailer: z.object({ recordCount: z.number().int(), debitTotal: decimal, creditTotal: decimal }),
});
export type CodaStatement = z.infer<typeof codaStatement>;

/** The account's key for routing and exactly-once: the IBAN where there is one, else the number as written. */
export function accountKey(account: CodaAccount): string {
  return account.iban ?? account.number;
}

/** The year a statement number belongs to: statements are numbered per year, from the new balance's date. */
export function statementYear(statement: CodaStatement): number {
  return Number(statement.newBalanceDate.slice(0, 4));
}
