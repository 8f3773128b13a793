import type { LedgerDb } from '../ledger/db';
import type { Ledger } from '../ledger/ledger';
import type { PageRequest } from '../messaging/protocol';
import type { TransferEngine } from '../transfer/engine';
import type { Fetch } from '../sites/types';
import { clientForConnection, dayBudget, describeOctopusFailure, failureText } from '../transfer/webservice-transport';
import { budgetScope } from '../octopus/budget';
import type { OctopusDossier } from '../octopus/api';
import { enterpriseDigits } from '../transfer/routing';
import type { Connection, Dossier } from '../model/dossier';
import { vatKeysMet } from '../octopus/vat-met';
import { importReferenceData, importedVatCodes, logEntryOf, vatMapping, type ImportLogEntry, type ReferenceImport } from '../octopus/import';
import { IndexedDbReferenceCache } from '../octopus/reference-cache';
import { referencePrefix } from '../octopus/booking';
import type { OctopusVatCode } from '../octopus/api';
import { systemClock } from '../platform/clock';
import { prepareUpload, UPLOAD_SITE } from '../adhoc/upload';
import { handleMailPageRequest } from '../mail/page-requests';
import type { SiteProblemLog } from '../ledger/site-problems';
import { secretUrl } from '../platform/secret-url';
import { sendCodaFile } from '../coda/extension-send';


export interface SettingsDeps {
  db: LedgerDb;
  ledger: Ledger;
  engine: TransferEngine;
  fetch: Fetch;
  /** The extension's own origin (chrome-extension://…), the origin of files dropped in the popup. */
  extensionOrigin?: string;
  /** The worker's site problem log (its rate limits live in memory, so "clear" goes through it). */
  problems?: SiteProblemLog;
}

/** What the options page shows of an Octopus dossier. */
export interface DossierSummary {
  id: number;
  name: string;
  vatNumber?: string;
}

function summarize(dossiers: OctopusDossier[]): DossierSummary[] {
  return dossiers.map((d) => ({
    id: d.dossierKey.id,
    name: d.dossierDescription?.trim() || `#${d.dossierKey.id}`,
    ...(d.vatNr ? { vatNumber: d.vatNr } : {}),
  }));
}

function failure(error: unknown) {
  return { ok: false, error: { code: 'failed', message: describeOctopusFailure(error), text: failureText(error) } };
}

/** Requests of the extension's own pages. Answers never carry a password or a token. */
export async function handlePageRequest(request: PageRequest, deps: SettingsDeps): Promise<unknown> {
  const { db } = deps;
  switch (request.type) {
    case 'mail.settings.get':
    case 'mail.account.save':
    case 'mail.account.delete':
    case 'mail.dossier.save':
      return handleMailPageRequest(request, deps);
    case 'settings.get': {
      const [connections, dossiers, general] = await Promise.all([
        db.connections.toArray(),
        db.dossiers.toArray(),
        db.settings.get('defaultDossierId'),
      ]);
      const imports = await db.settings.where('key').startsWith('import:').toArray();
      const waiting = await db.transfers.where('state').anyOf('needs-attention', 'failed').toArray();
      return {
        ok: true,
        connections,
        dossiers,
        defaultDossierId: general?.value ?? null,
        imports: Object.fromEntries(imports.map((row) => [row.key.slice('import:'.length), row.value])),
        vatKeysMet: vatKeysMet(waiting),
      };
    }
    case 'connection.save': {
      const input = request.connection;
      const connection: Connection = { id: crypto.randomUUID(), label: input.label, baseUrl: input.baseUrl.replace(/\/+$/, ''), user: input.user };
      let boundUrl: string;
      try {
        boundUrl = secretUrl(connection.baseUrl);
      } catch (error) {
        return { ok: false, error: { code: 'bad-request', message: error instanceof Error ? error.message : String(error), text: { key: 'error_server_url', params: [] } } };
      }
      // The password is bound to this address: no later change of the address takes it along.
      const secret = { connectionId: connection.id, boundUrl, softwareHouseUuid: input.softwareHouseUuid, password: input.password };
      // Test before keeping: a connection that cannot log in is not saved.
      const client = clientForConnection(connection, secret, deps.fetch, systemClock, undefined, dayBudget(db).gate(connection.baseUrl, { userAsked: true }));
      try {
        const dossiers = await client.dossiers();
        await db.transaction('rw', db.connections, db.secrets, async () => {
          await db.connections.put(connection);
          await db.secrets.put(secret);
        });
        return { ok: true, connection, dossiers: summarize(dossiers) };
      } catch (error) {
        return failure(error);
      }
    }
    case 'connection.dossiers': {
      const connection = await db.connections.get(request.connectionId);
      const secret = await db.secrets.get(request.connectionId);
      if (!connection || !secret) return { ok: false, error: { code: 'not-found', message: 'connection not found' } };
      try {
        const dossiers = await clientForConnection(connection, secret, deps.fetch, systemClock, undefined, dayBudget(db).gate(connection.baseUrl, { userAsked: true })).dossiers();
        return { ok: true, connection, dossiers: summarize(dossiers) };
      } catch (error) {
        return failure(error);
      }
    }
    case 'connection.delete': {
      // One click removes the credentials and the dossiers reached through them.
      await db.transaction('rw', db.connections, db.secrets, db.dossiers, async () => {
        await db.secrets.delete(request.connectionId);
        await db.connections.delete(request.connectionId);
        await db.dossiers.filter((d) => d.connectionId === request.connectionId).delete();
      });
      return { ok: true };
    }
    case 'dossier.use': {
      const existing = await db.dossiers.where('octopusDossierId').equals(request.octopusDossierId).first();
      const dossier: Dossier = {
        id: existing?.id ?? crypto.randomUUID(),
        name: request.name,
        octopusDossierId: request.octopusDossierId,
        connectionId: request.connectionId,
        enterpriseNumber: enterpriseDigits(request.vatNumber),
        vatNumber: request.vatNumber,
        transport: existing?.transport ?? 'webservice',
        journals: existing?.journals ?? { sales: 'V1', purchases: 'A1' },
        defaultAccounts: existing?.defaultAccounts ?? { sales: '700000', purchases: '604000' },
        vatCodeOverrides: existing?.vatCodeOverrides ?? {},
        ...(existing?.vatSideReading ? { vatSideReading: existing.vatSideReading } : {}),
        mailbox: existing?.mailbox ?? {},
      };
      await db.dossiers.put(dossier);
      if (request.makeDefault) await db.settings.put({ key: 'defaultDossierId', value: dossier.id });
      return { ok: true, dossier };
    }
    case 'dossier.remove': {
      await db.dossiers.delete(request.dossierId);
      await db.settings.delete(`import:${request.dossierId}`);
      const general = await db.settings.get('defaultDossierId');
      if (general?.value === request.dossierId) await db.settings.delete('defaultDossierId');
      return { ok: true };
    }
    case 'dossier.import': {
      const dossier = await db.dossiers.get(request.dossierId);
      const connection = dossier && (await db.connections.get(dossier.connectionId));
      const secret = dossier && (await db.secrets.get(dossier.connectionId));
      if (!dossier || !connection || !secret) return { ok: false, error: { code: 'not-found', message: 'dossier or connection not found' } };
      const log: ImportLogEntry[] = [];
      // The user started it: it may use the budget's reserve.
      const budget = dayBudget(db);
      let client;
      try {
        client = clientForConnection(connection, secret, deps.fetch, systemClock, (info) => log.push(logEntryOf(info, new Date())), budget.gate(connection.baseUrl, { userAsked: true }));
      } catch (error) {
        // The password was entered for another address: it is not used, the user enters it again.
        return failure(error);
      }
      const result = await importReferenceData(client, dossier, new IndexedDbReferenceCache(db, systemClock), log, () => new Date(), { refresh: request.refresh === true });
      result.budget = await budget.status(budgetScope(connection.baseUrl, dossier.octopusDossierId));
      await db.settings.put({ key: `import:${dossier.id}`, value: result });
      return { ok: true, import: result };
    }
    case 'dossier.update': {
      const dossier = await db.dossiers.get(request.dossierId);
      if (!dossier) return { ok: false, error: { code: 'not-found', message: 'dossier not found' } };
      const { journals, defaultAccounts, vatCodeOverrides, vatSideReading, codaAccounts } = request.changes;
      const updated: Dossier = {
        ...dossier,
        ...(journals ? { journals: { sales: journals.sales, purchases: journals.purchases, ...(journals.salesCreditNotes ? { salesCreditNotes: journals.salesCreditNotes } : {}) } } : {}),
        ...(defaultAccounts ? { defaultAccounts } : {}),
        ...(vatCodeOverrides ? { vatCodeOverrides } : {}),
        ...(vatSideReading ? { vatSideReading } : {}),
        ...(codaAccounts ? { codaAccounts } : {}),
      };
      await db.dossiers.put(updated);
      // The VAT codes and mapping shown in the options page follow the new overrides and side reading.
      const previous = (await db.settings.get(`import:${dossier.id}`))?.value as ReferenceImport | undefined;
      if (previous && (vatCodeOverrides || vatSideReading)) {
        const connection = await db.connections.get(dossier.connectionId);
        const codes = connection
          ? await new IndexedDbReferenceCache(db, systemClock).get<OctopusVatCode[]>(`${referencePrefix(connection.baseUrl, dossier.octopusDossierId)}vatcodes`)
          : undefined;
        if (codes) {
          const value = { ...previous, vatCodes: importedVatCodes(codes, updated.vatSideReading), vatMapping: vatMapping(codes, updated.vatCodeOverrides, updated.vatSideReading) };
          await db.settings.put({ key: `import:${dossier.id}`, value });
        }
      }
      return { ok: true, dossier: updated };
    }
    case 'octopus.budget.get': {
      const dossier = await db.dossiers.get(request.dossierId);
      const connection = dossier && (await db.connections.get(dossier.connectionId));
      if (!dossier || !connection) return { ok: false, error: { code: 'not-found', message: 'dossier or connection not found' } };
      return { ok: true, budget: await dayBudget(db).status(budgetScope(connection.baseUrl, dossier.octopusDossierId)) };
    }
    case 'octopus.budget.setLimit': {
      await dayBudget(db).setLimit(request.endpoint, {
        ...(request.limit !== undefined ? { limit: request.limit } : {}),
        ...(request.reserve !== undefined ? { reserve: request.reserve } : {}),
      });
      return { ok: true, limits: await dayBudget(db).limits() };
    }
    case 'upload.send': {
      const prepared = await prepareUpload(db, request, new Date());
      if (!prepared.ok) return { ok: false, error: prepared.error };
      await db.uploads.put(prepared.row);
      const dossier = (await db.dossiers.get(request.dossierId))!;
      const [result] = await deps.engine.send([
        {
          site: UPLOAD_SITE,
          origin: deps.extensionOrigin ?? 'chrome-extension://octobridge',
          adapter: UPLOAD_SITE,
          documentId: prepared.row.id,
          documentNumber: prepared.documentNumber,
          transport: dossier.transport,
          dossierId: dossier.id,
        },
      ]);
      return { ok: true, outcome: result?.outcome, documentNumber: prepared.documentNumber, transferId: result?.transfer.id };
    }
    case 'coda.send': {
      return sendCodaFile(db, deps.fetch, request.text);
    }
    case 'siteProblems.clear': {
      if (deps.problems) await deps.problems.clear();
      else await db.siteProblems.clear();
      return { ok: true };
    }
    case 'transfer.retry': {
      const transfer = await db.transfers.get(request.transferId);
      if (!transfer) return { ok: false, error: { code: 'not-found', message: 'transfer not found' } };
      const [result] = await deps.engine.send([
        {
          site: transfer.site,
          origin: transfer.origin,
          adapter: transfer.adapter,
          documentId: transfer.documentId,
          transport: transfer.transport,
          // A retry that meets a document booked meanwhile answers already-sent; only a confirmed send again re-books.
          force: transfer.state === 'sent' && request.again === true,
        },
      ]);
      return { ok: true, outcome: result?.outcome };
    }
  }
}
