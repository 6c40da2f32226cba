import { useTranslation } from 'react-i18next';
import { useEngineStatus } from '../state/engine';
import { ENGINE_CHOICES, useSettings } from '../state/settings';
import { getTrainingClient } from '../worker/client';
import { ENGINE_LABELS, type EngineChoice } from '../worker/protocol';
import { formatFixed } from './format';

/** Always says which engine trains (or that none does yet), and why not a better one. */
export function EngineBadge({ testId = 'engine-badge' }: { testId?: string }) {
  const { t } = useTranslation();
  const { state, engine, reason, msPerBatch, fused } = useEngineStatus();
  const why = reason
    ? `${reason.engine}: ${t(`engine.reasons.${reason.code}`, { detail: reason.detail ?? '' })}`
    : null;
  const text =
    state === 'idle' || !engine
      ? t('engine.idle')
      : why
        ? t('engine.fallback', { engine, reason: why })
        : t('engine.running', { engine });
  return (
    <span className="engine" role="status" aria-live="polite" data-testid={testId}>
      <span className="dot" data-state={state} aria-hidden="true" />
      <strong>{t('engine.label')}:</strong> {text}
      {fused && state === 'running' && (
        <span data-testid="engine-fused">
          {' · '}
          {t('engine.fused')}
        </span>
      )}
      {msPerBatch !== null && state === 'running' && (
        <span data-testid="engine-measured">
          {' · '}
          {t('engine.measured', { ms: formatFixed(msPerBatch, 1) })}
        </span>
      )}
    </span>
  );
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
          void getTrainingClient().init(choice);
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
