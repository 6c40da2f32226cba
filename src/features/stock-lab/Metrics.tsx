import { useCadence } from '../../components/useCadence';
import { useTranslation } from 'react-i18next';
import { verdictOf, watchFit, type RegressionMetrics } from '../../core/index';
import { formatNumber, formatPercent, formatRatio } from '../../components/format';
import { type RunView } from '../../state/stockLab';
import { CHART_CADENCE } from './cadence';

function MetricRow({ label, m, testId }: { label: string; m: RegressionMetrics; testId: string }) {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <tr data-testid={testId}>
      <th scope="row">{label}</th>
      <td className="num">{formatNumber(m.rmse, lang)}</td>
      <td className="num">{formatNumber(m.mae, lang)}</td>
      <td className="num">{Number.isFinite(m.mape) ? `${formatNumber(m.mape, lang, 3)}%` : '—'}</td>
      <td className="num">{formatPercent(m.directionAccuracy, lang)}</td>
    </tr>
  );
}

/** True when the test period's target leaves the range the training period covered. */
function outOfRange(run: RunView): boolean {
  const series = run.series;
  if (!series || series.trainCount === 0) return false;
  // Loops, not Math.min(...xs): a million-row file would overflow the argument stack.
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < series.trainCount; k++) {
    lo = Math.min(lo, series.actual[k]);
    hi = Math.max(hi, series.actual[k]);
  }
  const margin = 0.1 * (hi - lo || 1);
  for (let k = series.trainCount; k < series.actual.length; k++) {
    if (series.actual[k] > hi + margin || series.actual[k] < lo - margin) return true;
  }
  return false;
}

/** Test-period metrics in the target's units, the model beside "tomorrow = today". */
export function CadencedMetrics({ run }: { run: RunView }) {
  return <Metrics run={useCadence(run, ...CHART_CADENCE.metrics, run.status === 'running')} />;
}

function Metrics({ run }: { run: RunView }) {
  const { t, i18n } = useTranslation();
  const ev = run.evaluation;
  if (!ev) return null;
  const { ratio, verdict } = verdictOf(ev.model.rmse, ev.naive.rmse);
  // "Not yet" only while training may still change it: the test loss still improves. A
  // restored epoch is a finished choice.
  const yet =
    run.restoredEpoch === undefined && run.status !== 'finished' && watchFit(run.history).improving;
  const verdictKey = verdict === 'loses' && yet ? 'losesYet' : verdict;
  const kind = run.config.horizon >= 1 ? (run.config.targetKind ?? 'price') : 'price';
  const changes = kind === 'change' || kind === 'logReturn';
  const ratioText = formatRatio(ratio, i18n.language);
  return (
    <div className="metrics" data-testid="metrics">
      <h4>{t('stock.metrics.title', { n: ev.model.n, column: run.series?.target ?? '' })}</h4>
      <div className="table-wrap">
        <table className="metric-table">
          <thead>
            <tr>
              <th scope="col" />
              <th scope="col">RMSE</th>
              <th scope="col">MAE</th>
              <th scope="col">MAPE</th>
              <th scope="col">{t('stock.metrics.direction')}</th>
            </tr>
          </thead>
          <tbody>
            <MetricRow label={t('stock.metrics.model')} m={ev.model} testId="metrics-model" />
            <MetricRow label={t('stock.metrics.naive')} m={ev.naive} testId="metrics-naive" />
          </tbody>
        </table>
      </div>
      <p
        className={`verdict ${verdict === 'beats' ? 'good' : verdict === 'loses' ? 'bad' : 'same'}`}
        data-testid="verdict"
        data-verdict={verdict}
      >
        {t(`stock.metrics.${verdictKey}`, { ratio: ratioText })}
      </p>
      <DirectionNote accuracy={ev.model.directionAccuracy} upShare={ev.upShare} n={ev.model.n} />
      {changes && (
        <p className="notice" data-testid="changes-lesson">
          {t('stock.metrics.changesLesson', {
            kind: t(`stock.setup.targetKinds.${kind}`),
            naive: formatNumber(ev.naive.rmse, i18n.language),
            model: formatNumber(ev.model.rmse, i18n.language),
            ratio: ratioText,
          })}
        </p>
      )}
      {!changes && outOfRange(run) && (
        <p className="notice" data-testid="range-hint">
          {t('stock.metrics.outOfRange')}
        </p>
      )}
      <p className="hint">{t('stock.metrics.directionHint')}</p>
    </div>
  );
}

/**
 * Direction accuracy against the two bars that cost nothing: a coin flip (50 %) and always
 * guessing "up" (the share of up days in the test period).
 */
function DirectionNote({
  accuracy,
  upShare,
  n,
}: {
  accuracy: number;
  upShare?: number;
  n: number;
}) {
  const { t, i18n } = useTranslation();
  if (!Number.isFinite(accuracy)) return null;
  const lang = i18n.language;
  const up = upShare !== undefined && Number.isFinite(upShare) ? upShare : null;
  const bar = Math.max(0.5, up ?? 0);
  const key = accuracy > bar ? 'above' : 'below';
  return (
    <p className="direction-note" data-testid="direction-note" data-verdict={key}>
      {t('stock.metrics.directionVs', {
        accuracy: formatPercent(accuracy, lang),
        up: up === null ? '—' : formatPercent(up, lang),
        n,
      })}{' '}
      {t(`stock.metrics.directionVerdict.${key}`)}
    </p>
  );
}
