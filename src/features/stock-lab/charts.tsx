import { memo, useCallback, useLayoutEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type MouseHandlerDataParam,
} from 'recharts';
import { lttbIndices, type StockSeries } from '../../core/index';
import { CHART_MARGIN, LEGEND_STYLE, axisStyle, tooltipStyle } from '../../components/chartStyle';
import { axisWidth, formatCompact, formatDay, formatNumber } from '../../components/format';
import type { LossPoint } from '../../state/stockLab';

/** Charts draw at most this many points, whatever the length of the series (LTTB keeps shape). */
const MAX_POINTS = 250;

/** A line series drawn the same way in every chart: no dots, no animation while training. */
const seriesLine = (dataKey: string, stroke: string, name?: string) => ({
  name,
  dataKey,
  stroke,
  dot: false,
  strokeWidth: 2,
  isAnimationActive: false,
});

/** The x axis of a time series drawn by index (trading days, no weekend gaps). */
const timeAxis = (label: (x: number) => string) => ({
  dataKey: 'x',
  type: 'number' as const,
  domain: ['dataMin', 'dataMax'] as [string, string],
  tick: axisStyle,
  tickFormatter: label,
  minTickGap: 48,
});

const splitLine = (label?: string) => ({
  stroke: 'var(--chart-split)',
  strokeDasharray: '6 4',
  strokeWidth: 2,
  label: label
    ? {
        value: label,
        position: 'insideTopRight' as const,
        fill: 'var(--chart-split)',
        fontSize: 12,
      }
    : undefined,
});

/** Formatters that keep their identity while the language does (recharts re-syncs on new ones). */
export function useFormatters() {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  return useMemo(() => {
    const short = (v: number) => formatCompact(v, lang);
    const num = (v: number) => formatNumber(v, lang);
    return {
      num,
      short,
      /** A tooltip row: the value formatted, the series' own name. */
      valueAndName: (v: unknown, name: unknown) => [num(Number(v)), name] as [string, string],
      /** An axis as wide as its longest label (the extremes and a middle value). */
      width: (lo: number, hi: number) => axisWidth([lo, hi, (lo + hi) / 2], short),
    };
  }, [lang]);
}

/** Chart props that never change, shared so recharts sees the same objects on every redraw. */
const FROM_FIRST_EPOCH: [number, string] = [1, 'dataMax'];
const AUTO_DOMAIN: [string, string] = ['auto', 'auto'];

/** The date axis and tooltip label of a series drawn by row index, stable per series. */
function useDateAxis(dates: ArrayLike<number> | null | undefined) {
  return useMemo(() => {
    const dateOf = (x: number) => (dates ? formatDay(dates[x]) : `#${x}`);
    return { axis: timeAxis(dateOf), label: (x: unknown) => dateOf(Number(x)) };
  }, [dates]);
}

function extent(values: Iterable<number | null>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

interface PricePoint {
  x: number;
  date: number | null;
  value: number;
}

/**
 * The raw target series before training, with the train/test split as a vertical line that
 * can be dragged (or clicked) to move the split.
 */
export const PriceChart = memo(function PriceChart({
  values,
  dates,
  splitRow,
  label,
  onSplit,
}: {
  values: Float64Array;
  dates: Float64Array | null;
  splitRow: number;
  label: string;
  onSplit: (row: number) => void;
}) {
  const { t } = useTranslation();
  const { num, short, width } = useFormatters();
  const dragging = useRef(false);
  // How many times this chart has been drawn, on the figure (data-renders): a test reads it to
  // check that the chart is not redrawn when nothing it shows changed.
  const figure = useRef<HTMLElement>(null);
  const renders = useRef(0);
  useLayoutEffect(() => {
    renders.current++;
    figure.current?.setAttribute('data-renders', String(renders.current));
  });
  const points = useMemo<PricePoint[]>(() => {
    return lttbIndices(values, MAX_POINTS).map((k) => ({
      x: k,
      date: dates ? dates[k] : null,
      value: values[k],
    }));
  }, [values, dates]);
  const yWidth = width(...extent(points.map((p) => p.value)));
  const rowAt = (s: MouseHandlerDataParam) => {
    const p = points[Number(s.activeTooltipIndex)];
    return p ? p.x : null;
  };
  const move = (s: MouseHandlerDataParam) => {
    if (!dragging.current) return;
    const row = rowAt(s);
    if (row !== null) onSplit(row);
  };
  return (
    <figure
      ref={figure}
      className="chart"
      aria-label={t('stock.chart.priceAria', { column: label })}
    >
      <ResponsiveContainer width="100%" height={240}>
        <LineChart
          data={points}
          margin={CHART_MARGIN}
          onMouseDown={(s) => {
            dragging.current = true;
            move(s);
          }}
          onMouseMove={move}
          onMouseUp={() => (dragging.current = false)}
          onMouseLeave={() => (dragging.current = false)}
          style={{ cursor: 'ew-resize' }}
        >
          <CartesianGrid stroke="var(--chart-grid)" strokeDasharray="3 3" />
          <XAxis {...timeAxis((x) => (dates ? formatDay(dates[x]) : String(x)))} />
          <YAxis tick={axisStyle} tickFormatter={short} width={yWidth} domain={['auto', 'auto']} />
          <Tooltip
            {...tooltipStyle}
            labelFormatter={(x) => (dates ? formatDay(dates[Number(x)]) : `#${String(x)}`)}
            formatter={(v) => [num(Number(v)), label]}
          />
          <ReferenceArea
            x1={splitRow}
            x2={values.length - 1}
            fill="var(--chart-test-area)"
            fillOpacity={1}
            ifOverflow="hidden"
          />
          <Line {...seriesLine('value', 'var(--chart-actual)')} strokeWidth={1.5} />
          <ReferenceLine x={splitRow} {...splitLine(t('stock.chart.split'))} />
        </LineChart>
      </ResponsiveContainer>
      <figcaption>{t('stock.chart.priceCaption')}</figcaption>
    </figure>
  );
});

/** Train and test loss per epoch; long runs are thinned so the chart stays smooth. */
export const LossChart = memo(function LossChart({
  history,
  log,
  bestEpoch = null,
}: {
  history: LossPoint[];
  log: boolean;
  /** The epoch with the lowest test loss, marked on the chart. */
  bestEpoch?: number | null;
}) {
  const { t } = useTranslation();
  const { num, short, width, valueAndName } = useFormatters();
  const points = useMemo(() => {
    const idx = lttbIndices(
      history.map((h) => h.trainLoss),
      MAX_POINTS,
    );
    return idx.map((k) => history[k]);
  }, [history]);
  const positive = log && points.every((p) => p.trainLoss > 0 && p.testLoss > 0);
  const epochLabel = useCallback((e: unknown) => t('stock.chart.epoch', { epoch: e }), [t]);
  const lines = useMemo(
    () => ({
      train: seriesLine('trainLoss', 'var(--chart-train)', t('stock.chart.trainLoss')),
      test: seriesLine('testLoss', 'var(--chart-test)', t('stock.chart.testLoss')),
    }),
    [t],
  );
  const yWidth = width(...extent(points.flatMap((p) => [p.trainLoss, p.testLoss])));
  const bestLabel = useMemo(
    () => ({
      value: t('stock.chart.bestEpoch', { epoch: bestEpoch }),
      position: 'insideTopRight' as const,
      fill: 'var(--text-muted)',
      fontSize: 12,
    }),
    [t, bestEpoch],
  );
  return (
    <figure
      className="chart"
      aria-label={t('stock.chart.lossAria')}
      data-testid="loss-chart"
      data-epochs={history.length}
      data-first-loss={history[0]?.trainLoss}
      data-last-loss={history[history.length - 1]?.trainLoss}
      data-best-epoch={bestEpoch ?? undefined}
    >
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={points} margin={CHART_MARGIN}>
          <CartesianGrid stroke="var(--chart-grid)" strokeDasharray="3 3" />
          <XAxis
            dataKey="epoch"
            type="number"
            domain={FROM_FIRST_EPOCH}
            tick={axisStyle}
            allowDecimals={false}
          />
          <YAxis
            tick={axisStyle}
            tickFormatter={short}
            width={yWidth}
            scale={positive ? 'log' : 'auto'}
            domain={AUTO_DOMAIN}
            allowDataOverflow={false}
          />
          <Tooltip {...tooltipStyle} labelFormatter={epochLabel} formatter={valueAndName} />
          <Legend wrapperStyle={LEGEND_STYLE} />
          <Line {...lines.train} />
          <Line {...lines.test} strokeDasharray="5 3" />
          {bestEpoch !== null && (
            <ReferenceLine
              x={bestEpoch}
              stroke="var(--chart-test)"
              strokeWidth={1.5}
              label={bestLabel}
            />
          )}
        </LineChart>
      </ResponsiveContainer>
      {history.length > 0 && (
        <figcaption className="visually-hidden">
          {t('stock.chart.lossSummary', {
            n: history.length,
            first: num(history[0].trainLoss),
            last: num(history[history.length - 1].trainLoss),
            test: num(history[history.length - 1].testLoss),
          })}
        </figcaption>
      )}
    </figure>
  );
});

interface PredictionPoint {
  x: number;
  actual: number;
  predicted: number | null;
  residual: number | null;
}

function predictionPoints(series: StockSeries, predictions: number[] | null): PredictionPoint[] {
  return lttbIndices(series.actual, MAX_POINTS).map((k) => ({
    x: k,
    actual: series.actual[k],
    predicted: predictions ? predictions[k] : null,
    residual: predictions ? predictions[k] - series.actual[k] : null,
  }));
}

/** Actual vs predicted in the target's own units, the split drawn where the seed drew it. */
export const PredictionChart = memo(function PredictionChart({
  series,
  predictions,
}: {
  series: StockSeries;
  predictions: number[] | null;
}) {
  const { t } = useTranslation();
  const { short, width, valueAndName } = useFormatters();
  const points = useMemo(() => predictionPoints(series, predictions), [series, predictions]);
  const yWidth = width(...extent(points.flatMap((p) => [p.actual, p.predicted])));
  const dates = useDateAxis(series.dates);
  const parts = useMemo(
    () => ({
      actual: seriesLine('actual', 'var(--chart-actual)', t('stock.chart.actual')),
      predicted: seriesLine('predicted', 'var(--chart-predicted)', t('stock.chart.predicted')),
      split: splitLine(t('stock.chart.split')),
    }),
    [t],
  );
  return (
    <figure
      className="chart"
      aria-label={t('stock.chart.predictionAria', { column: series.target })}
      data-testid="prediction-chart"
      data-has-predictions={predictions ? 'true' : 'false'}
    >
      <ResponsiveContainer width="100%" height={280}>
        <LineChart data={points} margin={CHART_MARGIN}>
          <CartesianGrid stroke="var(--chart-grid)" strokeDasharray="3 3" />
          <XAxis {...dates.axis} />
          <YAxis tick={axisStyle} tickFormatter={short} width={yWidth} domain={AUTO_DOMAIN} />
          <Tooltip {...tooltipStyle} labelFormatter={dates.label} formatter={valueAndName} />
          <Legend wrapperStyle={LEGEND_STYLE} />
          <ReferenceArea
            x1={series.trainCount}
            x2={series.actual.length - 1}
            fill="var(--chart-test-area)"
            fillOpacity={1}
          />
          <Line {...parts.actual} strokeWidth={1.5} />
          <Line {...parts.predicted} connectNulls />
          <ReferenceLine x={series.trainCount} {...parts.split} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
});

/** Predicted minus actual: where and when the model is wrong, in target units. */
export const ResidualChart = memo(function ResidualChart({
  series,
  predictions,
}: {
  series: StockSeries;
  predictions: number[];
}) {
  const { t } = useTranslation();
  const { num, short, width } = useFormatters();
  const points = useMemo(() => predictionPoints(series, predictions), [series, predictions]);
  const yWidth = width(...extent(points.map((p) => p.residual)));
  const dates = useDateAxis(series.dates);
  const residualValue = useCallback(
    (v: unknown) => [num(Number(v)), t('stock.chart.residual')] as [string, string],
    [num, t],
  );
  const parts = useMemo(
    () => ({
      line: seriesLine('residual', 'var(--chart-residual)', t('stock.chart.residual')),
      split: splitLine(),
    }),
    [t],
  );
  return (
    <figure className="chart" aria-label={t('stock.chart.residualAria')}>
      <ResponsiveContainer width="100%" height={160}>
        <LineChart data={points} margin={CHART_MARGIN}>
          <CartesianGrid stroke="var(--chart-grid)" strokeDasharray="3 3" />
          <XAxis {...dates.axis} />
          <YAxis tick={axisStyle} tickFormatter={short} width={yWidth} />
          <Tooltip {...tooltipStyle} labelFormatter={dates.label} formatter={residualValue} />
          <ReferenceLine y={0} stroke="var(--text-muted)" />
          <ReferenceLine x={series.trainCount} {...parts.split} />
          <Line {...parts.line} strokeWidth={1} />
        </LineChart>
      </ResponsiveContainer>
      <figcaption>{t('stock.chart.residualCaption')}</figcaption>
    </figure>
  );
});
