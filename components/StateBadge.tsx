import type { TransferState } from '../lib/model/transfer';
import { t } from './i18n';

const COLORS: Record<TransferState, string> = {
  queued: '#8a6d00',
  sending: '#8a6d00',
  sent: '#137333',
  failed: '#b3261e',
  'needs-attention': '#b3261e',
};

export function StateBadge({ state }: { state: TransferState }) {
  return (
    <span className={`state state-${state}`} data-state={state} style={{ color: COLORS[state], fontWeight: 600, whiteSpace: 'nowrap' }}>
      {t.t(`state_${state.replace('-', '_')}`)}
    </span>
  );
}
