import { useTranslation } from 'react-i18next';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { lossesIncomparable } from '../../core/index';
import type { RunRecord } from '../../state/runsTable';
import { axisStyle, tooltipStyle } from '../../components/chartStyle';
import { useFormatters } from './charts';

const COLORS = ['var(--chart-actual)', 'var(--chart-predicted)'];
const DASH = ['', '5 3'];

/**
 * Two runs drawn together: their test-loss curves, and their test-period predictions over the
 * actual values (when both ran on one file). Says when their losses are on different scales.
 */
export function RunsOverlay({ runs, all }: { runs: RunRecord[]; all: RunRecord[] }) {
  const { t } = useTranslation();
  const { short, valueAndName } = useFormatters();
  if (runs.length === 0) return null;
  const n = (r: RunRecord) => all.indexOf(r) + 1;
  const apart =
    runs.length === 2
      ? lossesIncomparable(
          { dataset: runs[0].dataset, config: runs[0].config },
          { dataset: runs[1].dataset, config: runs[1].config },
        )
      : null;
  const sameFile =
    runs.length === 2 && runs[0].dataset === runs[1].dataset && runs[0].target === runs[1].target;
  const epochs = Array.from(new Set(runs.flatMap((r) => r.losses.map((p) => p.epoch)))).sort(
    (a, b) => a - b,
  );
  const lossData = epochs.map((epoch) => {
    const row: Record<string, number> = { epoch };
    runs.forEach((r, k) => {
      const p = r.losses.find((q) => q.epoch === epoch);
      if (p) row[`run${k}`] = p.testLoss;
    });
    return row;
  });
  const first = runs[0];
  // Run k of the overlay: its own colour and dash, the same on both charts.
  const runLine = (r: RunRecord, k: number) => (
    <Line
      key={r.id}
      dataKey={`run${k}`}
      name={t('stock.runs.runN', { n: n(r) })}
      stroke={COLORS[k]}
      strokeDasharray={DASH[k]}
      dot={false}
      isAnimationActive={false}
      connectNulls
    />
  );
  const predData = first.prediction.slice(Math.max(0, first.testFrom)).map((p) => {
    const row: Record<string, number | string> = {
      label: p.label,
      actual: p.actual,
      run0: p.predicted,
    };
    const other = runs[1]?.prediction.find((q) => q.label === p.label);
    if (other && sameFile) row.run1 = other.predicted;
    return row;
  });
  return (
    <div className="runs-overlay" data-testid="runs-overlay" data-runs={runs.map(n).join(',')}>
      <h4>{t('stock.runs.overlayTitle', { runs: runs.map(n).join(' & ') })}</h4>
      {apart && (
        <p className="notice warn" data-testid="overlay-incomparable">
          {t(`stock.runs.apart.${apart}`)}
        </p>
      )}
      <div className="runs-overlay-charts">
        <figure className="chart" data-testid="overlay-loss">
          <figcaption>{t('stock.runs.overlayLoss')}</figcaption>
          <ResponsiveContainer width="100%" height={200}>
            <LineChart data={lossData} margin={{ top: 8, right: 12, bottom: 4, left: 4 }}>
              <CartesianGrid stroke="var(--chart-grid)" strokeDasharray="3 3" />
              <XAxis dataKey="epoch" type="number" domain={[1, 'dataMax']} tick={axisStyle} />
              <YAxis
                tick={axisStyle}
                tickFormatter={short}
                scale="log"
                domain={['auto', 'auto']}
                width={56}
              />
              <Tooltip {...tooltipStyle} formatter={valueAndName} />
              <Legend />
              {runs.map(runLine)}
            </LineChart>
          </ResponsiveContainer>
        </figure>
        <figure className="chart" data-testid="overlay-prediction">
          <figcaption>{t('stock.runs.overlayPrediction', { column: first.target })}</figcaption>
          <ResponsiveContainer width="100%" height={200}>
            <LineChart data={predData} margin={{ top: 8, right: 12, bottom: 4, left: 4 }}>
              <CartesianGrid stroke="var(--chart-grid)" strokeDasharray="3 3" />
              <XAxis dataKey="label" tick={axisStyle} minTickGap={40} />
              <YAxis tick={axisStyle} tickFormatter={short} domain={['auto', 'auto']} width={56} />
              <Tooltip {...tooltipStyle} formatter={valueAndName} />
              <Legend />
              <Line
                dataKey="actual"
                name={t('stock.chart.actual')}
                stroke="var(--text-muted)"
                dot={false}
                isAnimationActive={false}
              />
              {runs.filter((_, k) => k === 0 || sameFile).map(runLine)}
            </LineChart>
          </ResponsiveContainer>
        </figure>
      </div>
    </div>
  );
}
