import { useTranslation } from 'react-i18next';
import { trainingClient, useEngineStatus } from '../state/engine';
import { ENGINE_CHOICES, useSettings } from '../state/settings';
import { ENGINE_LABELS, type EngineChoice } from '../worker/protocol';
import { formatFixed, formatNumber } from './format';
import { useStockLab } from '../state/stockLab';

/**
 * Whether the training worker trains a model right now, and how fast (the Stock lab's rate).
 * The Digit reader's worker has its own engine and says so in its own status line.
 */
export function useTrainingActivity(): { active: boolean; epochsPerSecond: number | null } {
  const training = useEngineStatus((s) => s.training);
  const rate = useStockLab((s) => (s.run?.status === 'running' ? s.run.epochsPerSecond : 0));
  return { active: training, epochsPerSecond: training && rate > 0 ? rate : null };
}

/**
 * Says in plain words which engine trains and how fast ("Training on WASM · 12 epochs/s"), or,
 * when nothing trains, which engine is ready ("Engine: WASM"). The numbers behind it — why not
 * a better engine, the measured time per batch, fused kernels, tensors — sit in a disclosure.
 */
export function EngineBadge({
  testId = 'engine-badge',
  active,
  epochsPerSecond = null,
  extraDetails = [],
}: {
  testId?: string;
  /** A model is training on this engine now. */
  active: boolean;
  epochsPerSecond?: number | null;
  /** More lines for the disclosure (e.g. the run's tensor count). */
  extraDetails?: string[];
}) {
  const { t, i18n } = useTranslation();
  const { state, engine, reason, msPerBatch, fused, unfused } = useEngineStatus();
  const training = active && state === 'running' && engine !== null;
  const text =
    state === 'idle' || !engine
      ? t('engine.idle')
      : training
        ? t('engine.running', { engine })
        : t('engine.ready', { engine });
  const details = [
    reason &&
      `${reason.engine}: ${t(`engine.reasons.${reason.code}`, { detail: reason.detail ?? '' })}`,
    msPerBatch !== null && engine && t('engine.measured', { ms: formatFixed(msPerBatch, 1) }),
    // The fused kernels belong to a run: said only while one trains with them.
    fused && training && t('engine.fused'),
    unfused &&
      training &&
      t('engine.unfusedWideHead', {
        width: formatNumber(unfused.width, i18n.language),
        max: formatNumber(unfused.max, i18n.language),
      }),
    ...extraDetails,
  ].filter((d): d is string => typeof d === 'string' && d.length > 0);
  return (
    <span className="engine" data-testid={testId} data-engine={engine ?? ''} data-active={training}>
      <span className="dot" data-state={training ? 'running' : state} aria-hidden="true" />
      <span role="status" aria-live="polite">
        {text}
        {training && epochsPerSecond !== null && (
          <span data-testid={`${testId}-rate`}>
            {' · '}
            {t('stock.train.rate', { rate: formatNumber(epochsPerSecond, i18n.language, 3) })}
          </span>
        )}
      </span>
      {details.length > 0 && (
        <details className="engine-details" data-testid={`${testId}-details`}>
          <summary>{t('engine.details')}</summary>
          <ul>
            {details.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        </details>
      )}
    </span>
  );
}

/** The status bar's badge: the training worker's engine, and whether it trains now. */
export function StatusEngineBadge() {
  const { active, epochsPerSecond } = useTrainingActivity();
  return <EngineBadge active={active} epochsPerSecond={epochsPerSecond} />;
}

/** The engine control in the status bar: Auto, or one engine forced (kept for next time). */
export function EngineSelect() {
  const { t } = useTranslation();
  const { engine, setEngine } = useSettings();
  return (
    <label className="inline-field engine-select">
      {t('engine.choose')}
      <select
        value={engine}
        data-testid="engine-select"
        onChange={(e) => {
          const choice = e.target.value as EngineChoice;
          setEngine(choice);
          void trainingClient().init(choice);
        }}
      >
        {ENGINE_CHOICES.map((c) => (
          <option key={c} value={c}>
            {c === 'auto' ? t('engine.auto') : ENGINE_LABELS[c]}
          </option>
        ))}
      </select>
    </label>
  );
}
