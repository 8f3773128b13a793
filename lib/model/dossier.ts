import { z } from 'zod';

/** Where a dossier's documents go. */
export const transportKind = z.enum(['webservice', 'mailbox']);
export type TransportKind = z.infer<typeof transportKind>;

/**
 * An Octopus dossier the user works with. Holds no secret: credentials live in the
 * connection's secret record, read only by the background worker.
 */
export const dossier = z.object({
  id: z.string().min(1), // local id, stable
  name: z.string().min(1).max(200),
  /** The dossier id in Octopus (dossierKey.id). */
  octopusDossierId: z.number().int().positive(),
  /** The webservice connection (credentials) this dossier is reached through. */
  connectionId: z.string().min(1),
  enterpriseNumber: z.string().regex(/^[01]\d{9}$/).optional(),
  vatNumber: z.string().optional(),
  transport: transportKind.default('webservice'),
  journals: z
    .object({
      sales: z.string().min(1).default('V1'),
      /** A separate credit-note journal where the dossier is set up so; else the sales journal. */
      salesCreditNotes: z.string().min(1).optional(),
      purchases: z.string().min(1).default('A1'),
    })
    .default({ sales: 'V1', purchases: 'A1' }),
  defaultAccounts: z
    .object({ sales: z.string().regex(/^\d+$/).default('700000'), purchases: z.string().regex(/^\d+$/).default('604000') })
    .default({ sales: '700000', purchases: '604000' }),
  /** Per-dossier VAT-code override: "S:21" → "21", keyed by category and rate. */
  vatCodeOverrides: z.record(z.string(), z.string()).default({}),
  /**
   * Where a VAT code's Octopus `type` and its D prefix name different sides (sales/purchases), which reading the
   * user confirmed for this dossier; unset until asked, and then such codes are not used automatically.
   */
  vatSideReading: z.enum(['type', 'prefix']).optional(),
  mailbox: z.object({ sales: z.string().optional(), purchases: z.string().optional() }).default({}),
  /**
   * The firm's bank accounts whose CODA statements go to this dossier, each to one of its financial journals
   * (F1, F2 …). An account in no dossier waits for the user (lib/coda/routing.ts).
   */
  codaAccounts: z.array(z.object({ iban: z.string().regex(/^[A-Z]{2}\d{2}[A-Z0-9]{8,30}$/), journal: z.string().min(1) })).optional(),
});
export type Dossier = z.infer<typeof dossier>;
export type DossierInput = z.input<typeof dossier>;

/** A webservice connection: the non-secret part, safe to show in the UI. */
export const connection = z.object({
  id: z.string().min(1),
  label: z.string().min(1).max(200),
  baseUrl: z.string().url(),
  user: z.string().min(1).max(200),
});
export type Connection = z.infer<typeof connection>;

/**
 * The secret part of a connection, kept apart and never sent to a content script or logged. Bound to the
 * webservice address it was entered for (normalised, lib/platform/secret-url.ts): used for no other.
 */
export const connectionSecret = z.object({
  connectionId: z.string().min(1),
  boundUrl: z.string().min(1),
  softwareHouseUuid: z.string().min(1).max(100),
  password: z.string().min(1).max(500),
});
export type ConnectionSecret = z.infer<typeof connectionSecret>;

/**
 * What the engine learns of a transfer's site (EngineOptions.dossiersForSite): the dossiers it may book into, or that
 * it may book nowhere because the user never added it.
 */
export type SiteDossierSet = ({ ok: true; dossierIds: string[] } & AllowedDossiers) | { ok: false; reason: 'not-added' };

/** The dossiers a document may go to: a site's own set, or the one dossier chosen for a file dropped in the popup. */
export interface AllowedDossiers {
  dossierIds: readonly string[];
  /** For a document that names no VAT or enterprise number of its own; ignored unless it is one of dossierIds. */
  defaultDossierId?: string;
  /**
   * A number that is no dossier's at all goes to the default instead of waiting. Only where every dossier is allowed
   * (the sandbox's demo sites, whose invoices name a company none of the simulator's dossiers is), or for the one
   * dossier the user chose for a dropped file.
   */
  unmatchedToDefault?: boolean;
}
