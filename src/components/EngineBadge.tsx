import { useTranslation } from 'react-i18next';
import { useEngineStatus } from '../state/engine';

/** Always says which engine trains (or that none does yet), and why not a better one. */
export function EngineBadge({ testId = 'engine-badge' }: { testId?: string }) {
  const { t } = useTranslation();
  const { state, engine, reason } = useEngineStatus();
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
    </span>
  );
}
