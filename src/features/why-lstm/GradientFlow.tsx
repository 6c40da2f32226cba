import { memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Legend, Line, LineChart, ResponsiveContainer, Tooltip, YAxis } from 'recharts';
import { useShallow } from 'zustand/react/shallow';
import { CHART_MARGIN, LEGEND_STYLE, axisStyle, tooltipStyle } from '../../components/chartStyle';
import { formatFixed, formatNumber } from '../../components/format';
import { gateColor } from '../../components/GatePalette';
import { useCadence } from '../../components/useCadence';
import { useRace } from '../../state/race';
import { RACE_COLORS as COLORS } from './RaceLossChart';
import { chartGrid, xAxisFromZero } from './raceChartParts';

/**
 * The gradient along time for the RNN and the LSTM's cell line, and the forget gate that carries
 * it. The charts are memoised on their (cadenced) data: the panel re-renders when a measurement
 * arrives, the charts only on their beat.
 */

interface FlowPoint {
  t: number;
  rnn?: number;
  lstm?: number;
  forget: number;
  forgetMean?: number;
}

const exp = (v: number) => (v > 0 ? v.toExponential(0) : '0');

/**
 * A log axis in whole decades that holds every value: ticks at 10^lo, 10^(lo+k), … with k chosen
 * so there are at most 7 of them (the caption says k).
 */
function decadeAxis(values: number[]): {
  domain: [number, number];
  ticks: number[];
  step: number;
} {
  const pos = values.filter((v) => v > 0 && Number.isFinite(v));
  if (pos.length === 0) return { domain: [1e-3, 1], ticks: [1e-3, 1e-2, 1e-1, 1], step: 1 };
  let lo = Math.floor(Math.log10(Math.min(...pos)));
  let hi = Math.ceil(Math.log10(Math.max(...pos)));
  if (hi === lo) hi = lo + 1;
  const step = Math.max(1, Math.ceil((hi - lo) / 6));
  // Widen to whole steps so the top and bottom gridlines are labelled decades.
  hi = lo + step * Math.ceil((hi - lo) / step);
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e += step) ticks.push(10 ** e);
  lo = Math.log10(ticks[0]);
  return { domain: [10 ** lo, 10 ** hi], ticks, step };
}

export function GradientFlowPanel() {
  const { t, i18n } = useTranslation();
  // Not the race's progress (a dozen messages a second): only what this panel shows.
  const r = useRace(
    useShallow((s) => ({
      flows: s.flows,
      flowIndex: s.flowIndex,
      status: s.status,
      setFlowIndex: s.setFlowIndex,
    })),
  );
  const count = Math.min(r.flows.rnn.length, r.flows.lstm.length);
  const index = r.flowIndex === null ? count - 1 : Math.min(r.flowIndex, count - 1);
  const atRnn = r.flows.rnn[index];
  const atLstm = r.flows.lstm[index];
  // A new object only when the measurement shown changes (not on every message of the race).
  const picked = useMemo(
    () => (atRnn && atLstm ? { rnn: atRnn, lstm: atLstm } : null),
    [atRnn, atLstm],
  );
  // While the race runs, everything this panel shows (charts, step, caption) follows the newest
  // measurement on a beat of its own: at most once a second, a quarter second off the loss
  // chart's. A step the learner picks with the slider shows at once.
  const shownPair = useCadence(picked, 1000, 250, r.status === 'running' && r.flowIndex === null);
  const shown = useMemo<FlowPoint[]>(() => {
    if (!shownPair) return [];
    const { rnn, lstm } = shownPair;
    return rnn.flow.norms.map((v, tStep) => ({
      t: tStep,
      rnn: v > 0 ? v : undefined,
      lstm: lstm.flow.norms[tStep] > 0 ? lstm.flow.norms[tStep] : undefined,
      forget: lstm.flow.forget[tStep],
      forgetMean: lstm.flow.forgetMean?.[tStep],
    }));
  }, [shownPair]);
  const axis = useMemo(() => decadeAxis(shown.flatMap((d) => [d.rnn ?? 0, d.lstm ?? 0])), [shown]);
  const rnn = shownPair?.rnn;
  const lstm = shownPair?.lstm;
  const ratio = (norms: number[]) => norms[0] / norms[norms.length - 1];
  return (
    <section className="card" aria-labelledby="flow-title">
      <h3 id="flow-title">{t('why.flow.title')}</h3>
      <p className="hint">{t('why.flow.about')}</p>
      {/* The charts are built before the first measurement arrives, so that message only
          hands them data (mounting two charts in it made a frame of ~240 ms). */}
      {!rnn && <p className="empty">{t('why.flow.waiting')}</p>}
      {rnn && (
        <label className="field wide">
          <span>{t('why.flow.at', { step: rnn.step })}</span>
          <input
            type="range"
            min={0}
            max={count - 1}
            value={index}
            onChange={(e) => {
              const k = e.target.valueAsNumber;
              r.setFlowIndex(k >= count - 1 ? null : k);
            }}
            aria-label={t('why.flow.slider')}
          />
        </label>
      )}
      <figure
        className="chart"
        aria-label={t('why.flow.chartAria')}
        data-testid="flow-chart"
        data-points-rnn={shown.filter((d) => d.rnn !== undefined).length}
        data-points-lstm={shown.filter((d) => d.lstm !== undefined).length}
      >
        <NormsChart data={shown} axis={axis} />
        {rnn && lstm && (
          <figcaption>
            <span data-testid="flow-decades" data-step={axis.step}>
              {t('why.flow.decades', {
                count: axis.step,
                factor: formatNumber(10 ** axis.step, i18n.language),
              })}
            </span>{' '}
            {t('why.flow.ratios', {
              rnn: exp(ratio(rnn.flow.norms)),
              lstm: exp(ratio(lstm.flow.norms)),
            })}
          </figcaption>
        )}
      </figure>
      <h4>
        {lstm
          ? t('why.flow.forgetTitle', { unit: lstm.flow.carrier })
          : t('why.flow.forgetTitleWaiting')}
      </h4>
      <ForgetChart data={shown} carrier={lstm?.flow.carrier} />
      <p className="hint">{t('why.flow.forgetAbout')}</p>
    </section>
  );
}

/** The step axis both flow charts share, built once (see raceChartParts). */
const T_AXIS = xAxisFromZero('t');
const tLabel = (s: unknown) => `t = ${String(s)}`;

const NormsChart = memo(function NormsChart({
  data,
  axis,
}: {
  data: FlowPoint[];
  axis: ReturnType<typeof decadeAxis>;
}) {
  const { t } = useTranslation();
  const yAxis = useMemo(
    () => (
      <YAxis
        scale="log"
        domain={axis.domain}
        ticks={axis.ticks}
        interval={0}
        tick={axisStyle}
        tickFormatter={exp}
        width={56}
      />
    ),
    [axis],
  );
  const tooltip = useMemo(
    () => (
      <Tooltip
        {...tooltipStyle}
        labelFormatter={tLabel}
        formatter={(v, name) => [Number(v).toExponential(2), name]}
      />
    ),
    [],
  );
  return (
    <ResponsiveContainer width="100%" height={260}>
      <LineChart data={data} margin={CHART_MARGIN}>
        {chartGrid}
        {T_AXIS}
        {yAxis}
        {tooltip}
        <Legend wrapperStyle={LEGEND_STYLE} />
        <Line
          name={t('why.flow.rnn')}
          dataKey="rnn"
          stroke={COLORS.rnn}
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
        />
        <Line
          name={t('why.flow.lstm')}
          dataKey="lstm"
          stroke={COLORS.lstm}
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
        />
      </LineChart>
    </ResponsiveContainer>
  );
});

const ForgetChart = memo(function ForgetChart({
  data,
  carrier,
}: {
  data: FlowPoint[];
  carrier: number | undefined;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const [yAxis, tooltip] = useMemo(
    () => [
      <YAxis
        key="y"
        domain={[0, 1]}
        tick={axisStyle}
        width={56}
        tickFormatter={(v: number) => formatNumber(v, language, 2)}
      />,
      <Tooltip
        key="tip"
        {...tooltipStyle}
        labelFormatter={tLabel}
        formatter={(v) => [formatFixed(Number(v), 3), t('palette.forget')]}
      />,
    ],
    [t, language],
  );
  return (
    <ResponsiveContainer width="100%" height={140}>
      <LineChart data={data} margin={CHART_MARGIN}>
        {chartGrid}
        {T_AXIS}
        {yAxis}
        {tooltip}
        <Line
          name={t('why.flow.forgetCarrier', { unit: carrier ?? '' })}
          dataKey="forget"
          stroke={gateColor('forget')}
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
        />
        <Line
          name={t('why.flow.forgetMean')}
          dataKey="forgetMean"
          stroke={gateColor('forget')}
          strokeWidth={1}
          strokeDasharray="4 4"
          dot={false}
          isAnimationActive={false}
        />
        <Legend wrapperStyle={LEGEND_STYLE} />
      </LineChart>
    </ResponsiveContainer>
  );
});
