import { useState, type DragEvent } from 'react';
import type { Dossier } from '../lib/model/dossier';
import type { LocalizedText } from '../lib/model/transfer';
import { CODA_MAX_BYTES, decodeCoda, readCoda } from '../lib/coda/reader';
import { accountKey, statementYear, type CodaStatement } from '../lib/coda/model';
import { routeStatement } from '../lib/coda/routing';
import type { CodaFileOutcome, CodaStatementOutcome } from '../lib/coda/extension-send';
import { formatIban } from '../lib/identifiers';
import { ask, errorOf } from './ask';
import { t, text } from './i18n';

interface DroppedCoda {
  fileName: string;
  text: string;
  statements: CodaStatement[];
  problems: LocalizedText[];
  outcomes?: CodaStatementOutcome[];
}

const accountOf = (s: CodaStatement) => (s.account.iban ? formatIban(accountKey(s.account)) : accountKey(s.account));

/**
 * Bank statements dropped in the popup: each file read and checked here to show its statements (account, number,
 * dates, balances, where they go) before anything is sent; the worker reads and checks it again when sending.
 */
export function CodaDrop({ dossiers }: { dossiers: Dossier[] }) {
  const [files, setFiles] = useState<DroppedCoda[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function take(list: FileList | null | undefined) {
    setError(undefined);
    const taken: DroppedCoda[] = [];
    for (const file of Array.from(list ?? [])) {
      if (file.size > CODA_MAX_BYTES) {
        taken.push({ fileName: file.name, text: '', statements: [], problems: [{ key: 'coda_too_large', params: [String(Math.ceil(file.size / 1024 / 1024)), String(CODA_MAX_BYTES / 1024 / 1024)] }] });
        continue;
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      const read = readCoda(bytes);
      taken.push({ fileName: file.name, text: decodeCoda(bytes), statements: read.statements, problems: read.problems });
    }
    setFiles(taken);
  }

  async function send() {
    setBusy(true);
    const next: DroppedCoda[] = [];
    for (const file of files) {
      if (file.problems.length > 0) {
        next.push(file);
        continue;
      }
      const answer = await ask<Omit<CodaFileOutcome, 'ok'>>({ type: 'coda.send', fileName: file.fileName.slice(0, 200), text: file.text });
      if (!answer.ok) {
        setError(errorOf(answer.error));
        next.push(file);
      } else if (answer.problems.length > 0) next.push({ ...file, problems: answer.problems });
      else next.push({ ...file, outcomes: answer.statements });
    }
    setFiles(next);
    setBusy(false);
  }

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    void take(event.dataTransfer.files);
  };
  const sendable = files.some((f) => f.problems.length === 0 && f.statements.length > 0 && !f.outcomes);

  return (
    <div data-testid="coda-drop">
      <label className="drop coda-drop" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
        {t.t('coda_drop')}
        <input type="file" name="coda-files" multiple accept=".cod,.coda,.txt,.bc2,text/plain" onChange={(e) => {
            const list = e.target.files;
            void take(list).then(() => {
              // Cleared so that choosing the same file again is seen as a new choice.
              e.target.value = '';
            });
          }}
        />
      </label>
      {files.map((file) => (
        <section key={file.fileName} data-file={file.fileName} className="coda-file">
          <strong>{file.fileName}</strong>
          {file.problems.length > 0 && (
            <ul className="error" role="alert">
              {file.problems.map((p, i) => (
                <li key={i}>{text(p)}</li>
              ))}
            </ul>
          )}
          {file.problems.length === 0 && (
            <table>
              <thead>
                <tr>
                  <th>{t.t('coda_col_account')}</th>
                  <th>{t.t('coda_col_statement')}</th>
                  <th>{t.t('coda_col_date')}</th>
                  <th>{t.t('coda_col_old_balance')}</th>
                  <th>{t.t('coda_col_new_balance')}</th>
                  <th>{t.t('coda_col_movements')}</th>
                  <th>{t.t('coda_col_destination')}</th>
                </tr>
              </thead>
              <tbody>
                {file.statements.map((s) => {
                  const outcome = file.outcomes?.find((o) => o.account === accountKey(s.account) && o.statementNumber === s.statementNumber && o.year === statementYear(s));
                  const route = routeStatement(s, dossiers);
                  const destination = outcome
                    ? outcome.text
                      ? text(outcome.text)
                      : t.t(outcome.outcome === 'sent' ? 'coda_outcome_sent' : 'coda_outcome_already_sent', [outcome.dossierName ?? ''])
                    : route.kind === 'dossier'
                      ? `${dossiers.find((d) => d.id === route.dossierId)?.name ?? ''} · ${route.journal}`
                      : text(route.reason);
                  return (
                    <tr key={`${s.statementNumber}-${s.firstLine}`} data-statement={s.statementNumber} data-outcome={outcome?.outcome ?? route.kind}>
                      <td>{accountOf(s)}</td>
                      <td>{`${s.statementNumber}/${statementYear(s)}`}</td>
                      <td>{s.newBalanceDate}</td>
                      <td className="num">{`${s.oldBalance} ${s.account.currency}`}</td>
                      <td className="num">{`${s.newBalance} ${s.account.currency}`}</td>
                      <td className="num">{s.movements.filter((m) => m.detail === 0).length}</td>
                      <td>{destination}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </section>
      ))}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {sendable && (
        <button type="button" name="coda-send" disabled={busy} onClick={() => void send()} className="coda-send">
          {t.t('coda_send')}
        </button>
      )}
    </div>
  );
}
