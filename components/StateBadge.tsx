import type { TransferState } from '../lib/model/transfer';
import { t } from './i18n';

/** The state in words, coloured by page.css (state-sent, state-failed …) in both themes. */
export function StateBadge({ state }: { state: TransferState }) {
  return (
    <span className={`state state-${state}`} data-state={state}>
      {t.t(`state_${state.replace('-', '_')}`)}
    </span>
  );
}
