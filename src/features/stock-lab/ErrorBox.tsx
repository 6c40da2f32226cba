import { useTranslation } from 'react-i18next';
import type { UiMessage } from '../../state/stockLab';

/** What to change when a setup leaves too few windows: only what can still shrink. */
function adviceFor(error: UiMessage, t: (key: string) => string): string {
  if (error.code !== 'tooFewRows') return '';
  const { seqLen, horizon } = error.params;
  if (seqLen === undefined) return t('stock.errors.advice.all');
  const window = Number(seqLen) > 1;
  const ahead = Number(horizon) > 0;
  return t(
    `stock.errors.advice.${window && ahead ? 'all' : window ? 'window' : ahead ? 'horizon' : 'split'}`,
  );
}

/**
 * One clear message in place, in the user's language: what happened and what to do. The
 * English sentence from the core is the fallback for codes without a translation.
 */
export function ErrorBox({
  error,
  scope,
  onDismiss,
}: {
  error: UiMessage;
  scope: 'data' | 'run';
  onDismiss?: () => void;
}) {
  const { t, i18n } = useTranslation();
  const key = `stock.errors.${error.code}`;
  const text = i18n.exists(key)
    ? t(key, { detail: error.message, advice: adviceFor(error, t), ...error.params })
    : error.message;
  return (
    <div className="alert" role="alert" data-testid={`${scope}-error`}>
      <strong>{t(`stock.errors.title.${scope}`)}</strong> {text}
      {scope === 'data' && <span className="alert-note"> {t('stock.errors.kept')}</span>}
      {onDismiss && (
        <button type="button" className="link" onClick={onDismiss}>
          {t('stock.errors.dismiss')}
        </button>
      )}
    </div>
  );
}
