import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FitWatch } from '../../core/index';
import { restoreEpoch, nearestSnapshot } from '../../state/restoreEpoch';
import { useStockLab, type RunView } from '../../state/stockLab';

/**
 * Overfitting said out loud: once the test loss has risen for a while as the training loss
 * falls, say since when, and offer that epoch's saved weights back.
 */
export function FitNote({ run, fit }: { run: RunView; fit: FitWatch }) {
  const { t } = useTranslation();
  const snapshots = useStockLab((s) => s.snapshots);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (run.restoredEpoch !== undefined) {
    return (
      <p className="notice" role="status" data-testid="fit-restored">
        {t('stock.fit.restored', { epoch: run.restoredEpoch })}
      </p>
    );
  }
  if (fit.risingSince === null) return null;
  const snap = run.status !== 'running' ? nearestSnapshot(snapshots, fit.risingSince) : null;
  return (
    <div className="notice warn" role="status" data-testid="fit-rising">
      {t('stock.fit.rising', { epoch: fit.risingSince, last: run.epoch })}{' '}
      {snap && (
        <button
          type="button"
          className="button small"
          data-testid="fit-restore"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            setError(null);
            restoreEpoch(fit.risingSince!)
              .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
              .finally(() => setBusy(false));
          }}
        >
          {t('stock.fit.restore', { epoch: snap.epoch })}
        </button>
      )}
      {error && (
        <p className="alert" role="alert" data-testid="fit-restore-error">
          {t('stock.fit.restoreFailed', { message: error })}
        </p>
      )}
    </div>
  );
}
