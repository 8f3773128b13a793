import { useState } from 'react';
import type { Dossier } from '../lib/model/dossier';
import type { ImportedVatCode } from '../lib/octopus/import';
import type { VatSideReading } from '../lib/octopus/api';
import { t } from './i18n';
import { ask, errorOf } from './ask';

const sideName = (side: 'sales' | 'purchases' | undefined) =>
  side === 'sales' ? t.t('options_side_sales') : side === 'purchases' ? t.t('options_side_purchases') : '–';

/**
 * Where a dossier's VAT codes have an Octopus `type` that disagrees with their D prefix, the user says once which
 * reading is right; until then the booking code does not choose those codes (a purchase code on a sale would
 * be a wrong booking in the client's books).
 */
export function VatSideQuestion({ dossier, vatCodes, onChanged }: { dossier: Dossier; vatCodes: readonly ImportedVatCode[]; onChanged: () => void }) {
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string>();
  const inConflict = vatCodes.filter((v) => v.conflict);
  if (inConflict.length === 0) return null;

  async function answer(reading: VatSideReading) {
    setError(undefined);
    const result = await ask({ type: 'dossier.update', dossierId: dossier.id, changes: { vatSideReading: reading } });
    if (!result.ok) setError(errorOf(result.error));
    else setAsking(false);
    onChanged();
  }

  if (dossier.vatSideReading && !asking) {
    return (
      <p className="muted" data-testid="vat-side-answered">
        {t.t(dossier.vatSideReading === 'type' ? 'options_vat_side_answered_type' : 'options_vat_side_answered_prefix')}{' '}
        <button type="button" name="vat-side-change" onClick={() => setAsking(true)}>
          {t.t('options_vat_side_change')}
        </button>
      </p>
    );
  }
  return (
    <div role="group" className="error" data-testid="vat-side-question">
      <p>{t.t('options_vat_side_question')}</p>
      <ul>
        {inConflict.map((v) => (
          <li key={v.code} data-vat-code={v.code}>
            {t.t('options_vat_side_row', [v.description ? `${v.code} (${v.description})` : v.code, sideName(v.typeSide), sideName(v.prefixSide)])}
          </li>
        ))}
      </ul>
      <p>
        <button type="button" name="vat-side-type" onClick={() => void answer('type')}>
          {t.t('options_vat_side_use_type')}
        </button>{' '}
        <button type="button" name="vat-side-prefix" onClick={() => void answer('prefix')}>
          {t.t('options_vat_side_use_prefix')}
        </button>
      </p>
      {error && <p role="alert">{error}</p>}
    </div>
  );
}
