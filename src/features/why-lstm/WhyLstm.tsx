import { useMemo } from 'react';
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
import { chanceLoss, type MemoryTask } from '../../core/index';
import { axisStyle, tooltipStyle } from '../../components/chartStyle';
import { gateColor } from '../../components/GatePalette';
import { usePersistence } from '../../state/persistStatus';
import { KINDS, useRace } from '../../state/race';
import './why.css';
import { formatFixed, formatNumber } from '../../components/format';
import { Learn } from './Learn';
import { RACE_COLORS as COLORS, RaceLossChart } from './RaceLossChart';
import { useCadence } from '../../components/useCadence';
import { AfterPaint } from '../../components/AfterPaint';
import { KnockoutLab } from './knockout/KnockoutLab';

/**
 * Why LSTM: a vanilla RNN and an LSTM race on a long-memory task, their gradients are measured
 * step by step back through time, and the four gates are explained in words.
 */
export default function WhyLstm() {
  const { t } = useTranslation();
  return (
    <div className="why-lstm" data-view="why">
      <header className="view-head">
        <h2 className="view-title">{t('nav.why')}</h2>
        <p className="lead">{t('views.why.lead')}</p>
      </header>
      <Race />
      {/* Three panels, three turns: mounted together they made one frame of ~250 ms. */}
      <AfterPaint name="why-lower" minHeight={600}>
        <GradientFlowPanel />
      </AfterPaint>
      <AfterPaint name="why-knockout" minHeight={400}>
        <KnockoutLab />
      </AfterPaint>
      <AfterPaint name="why-learn">
        <Learn />
      </AfterPaint>
    </div>
  );
}

function Race() {
  const { t, i18n } = useTranslation();
  const r = useRace();
  const savedRace = usePersistence((p) => p.savedRace);
  const chance = chanceLoss(r.settings.task, r.settings.T);
  const data = useMemo(() => {
    const byStep = new Map<number, { step: number; rnn?: number; lstm?: number }>();
    for (const k of KINDS) {
      for (const p of r.points[k]) {
        const row = byStep.get(p.step) ?? { step: p.step };
        row[k] = p.loss;
        byStep.set(p.step, row);
      }
    }
    return [...byStep.values()].sort((a, b) => a.step - b.step);
  }, [r.points]);
  // The chart redraws at most twice a second while the race runs (each redraw of recharts costs
  // tens of milliseconds; every progress message redrawing it made frames of 100–160 ms).
  const shown = useCadence(data, 500, 0, r.status === 'running');
  const last = (k: 'rnn' | 'lstm') => r.points[k][r.points[k].length - 1];
  const rnn = last('rnn');
  const lstm = last('lstm');
  const num = (v: number) => formatNumber(v, i18n.language, 3);
  const running = r.status === 'running';
  const verdict =
    rnn && lstm && Math.min(rnn.step, lstm.step) > 0
      ? lstm.loss < 0.5 * chance && rnn.loss > 0.8 * chance
        ? 'lstmWins'
        : rnn.loss < 0.5 * chance && lstm.loss < 0.5 * chance
          ? 'both'
          : lstm.loss < rnn.loss
            ? 'lstmAhead'
            : 'neither'
      : null;
  return (
    <section className="card" aria-labelledby="race-title">
      <h3 id="race-title">{t('why.race.title')}</h3>
      <p className="hint">{t(`why.tasks.${r.settings.task}.about`)}</p>
      <div className="toolbar">
        <div className="segmented" role="group" aria-label={t('why.race.task')}>
          {(['adding', 'first', 'count'] as MemoryTask[]).map((task) => (
            <button
              key={task}
              type="button"
              aria-pressed={r.settings.task === task}
              disabled={running}
              onClick={() => r.setSettings({ task })}
            >
              {t(`why.tasks.${task}.name`)}
            </button>
          ))}
        </div>
        <label className="field wide length">
          <span>{t('why.race.length', { T: r.settings.T })}</span>
          <input
            type="range"
            min={5}
            max={200}
            step={5}
            value={r.settings.T}
            disabled={running}
            onChange={(e) => r.setSettings({ T: e.target.valueAsNumber })}
            data-testid="race-length"
          />
        </label>
        <label className="inline-field">
          {t('why.race.seed')}
          <input
            type="number"
            min={0}
            value={r.settings.seed}
            disabled={running}
            onChange={(e) => {
              const v = e.target.valueAsNumber;
              if (Number.isInteger(v) && v >= 0) r.setSettings({ seed: v });
            }}
            className="narrow"
          />
        </label>
        {running ? (
          <button type="button" className="button" onClick={r.stop}>
            {t('why.race.stop')}
          </button>
        ) : (
          <button type="button" className="button primary" onClick={r.start}>
            {t('why.race.start')}
          </button>
        )}
      </div>
      <p
        className="run-status"
        data-testid="race-status"
        data-status={r.status}
        data-saved-steps={savedRace?.status === r.status ? savedRace.steps : undefined}
      >
        {t('why.race.steps', { rnn: r.steps.rnn, lstm: r.steps.lstm, max: r.maxSteps })}
        {' · '}
        {t('why.race.same', { H: r.settings.hiddenSize, lr: r.settings.learningRate })}
      </p>
      {r.error && (
        <div className="alert" role="alert">
          {r.error}
        </div>
      )}
      {data.length === 0 && <p className="empty">{t('why.race.ready')}</p>}
      {/* The chart is built before the race starts (after the view's first paint), so the first
          progress message only hands it data: mounting recharts then made a frame of ~250 ms. */}
      <figure
        className="chart"
        aria-label={t('why.race.chartAria')}
        data-testid="race-chart"
        data-rnn-loss={rnn?.loss}
        data-lstm-loss={lstm?.loss}
        data-rnn-step={rnn?.step}
        data-lstm-step={lstm?.step}
      >
        <AfterPaint name="race-chart" minHeight={260}>
          <RaceLossChart data={shown} chance={chance} />
        </AfterPaint>
        <figcaption>{t('why.race.caption')}</figcaption>
      </figure>
      {verdict && rnn && lstm && (
        <p className={`verdict ${verdict === 'lstmWins' ? 'good' : ''}`} data-testid="race-verdict">
          {t(`why.verdict.${verdict}`, {
            rnn: num(rnn.loss),
            lstm: num(lstm.loss),
            chance: num(chance),
            step: Math.min(rnn.step, lstm.step),
          })}
        </p>
      )}
    </section>
  );
}

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

function GradientFlowPanel() {
  const { t, i18n } = useTranslation();
  const r = useRace();
  const count = Math.min(r.flows.rnn.length, r.flows.lstm.length);
  const index = r.flowIndex === null ? count - 1 : Math.min(r.flowIndex, count - 1);
  const rnn = r.flows.rnn[index];
  const lstm = r.flows.lstm[index];
  const data = useMemo(
    () =>
      rnn && lstm
        ? rnn.flow.norms.map((v, tStep) => ({
            t: tStep,
            rnn: v > 0 ? v : undefined,
            lstm: lstm.flow.norms[tStep] > 0 ? lstm.flow.norms[tStep] : undefined,
            forget: lstm.flow.forget[tStep],
            forgetMean: lstm.flow.forgetMean?.[tStep],
          }))
        : [],
    [rnn, lstm],
  );
  // Two charts redraw on a beat of their own (at most once a second, a quarter second off the
  // loss chart's), not on every measurement the running race sends.
  const shown = useCadence(data, 1000, 250, r.status === 'running');
  const axis = useMemo(() => decadeAxis(shown.flatMap((d) => [d.rnn ?? 0, d.lstm ?? 0])), [shown]);
  const exp = (v: number) => (v > 0 ? v.toExponential(0) : '0');
  const ratio = (norms: number[]) => norms[0] / norms[norms.length - 1];
  return (
    <section className="card" aria-labelledby="flow-title">
      <h3 id="flow-title">{t('why.flow.title')}</h3>
      <p className="hint">{t('why.flow.about')}</p>
      {/* The charts are built before the first measurement arrives, so that message only
          hands them data (mounting two charts in it made a frame of ~240 ms). */}
      {count === 0 && <p className="empty">{t('why.flow.waiting')}</p>}
      <>
        {count > 0 && (
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
          <ResponsiveContainer width="100%" height={260}>
            <LineChart data={shown} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
              <CartesianGrid stroke="var(--chart-grid)" strokeDasharray="3 3" />
              <XAxis dataKey="t" type="number" domain={[0, 'dataMax']} tick={axisStyle} />
              <YAxis
                scale="log"
                domain={axis.domain}
                ticks={axis.ticks}
                interval={0}
                tick={axisStyle}
                tickFormatter={exp}
                width={56}
              />
              <Tooltip
                {...tooltipStyle}
                labelFormatter={(s) => `t = ${String(s)}`}
                formatter={(v, name) => [Number(v).toExponential(2), name]}
              />
              <Legend wrapperStyle={{ fontSize: 13 }} />
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
          {count > 0 && (
            <figcaption>
              <span data-testid="flow-decades" data-step={axis.step}>
                {t('why.flow.decades', {
                  count: axis.step,
                  factor: new Intl.NumberFormat(i18n.language).format(10 ** axis.step),
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
          {count > 0
            ? t('why.flow.forgetTitle', { unit: lstm.flow.carrier })
            : t('why.flow.forgetTitleWaiting')}
        </h4>
        <ResponsiveContainer width="100%" height={140}>
          <LineChart data={shown} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
            <CartesianGrid stroke="var(--chart-grid)" strokeDasharray="3 3" />
            <XAxis dataKey="t" type="number" domain={[0, 'dataMax']} tick={axisStyle} />
            <YAxis
              domain={[0, 1]}
              tick={axisStyle}
              width={56}
              tickFormatter={(v: number) => formatNumber(v, i18n.language, 2)}
            />
            <Tooltip
              {...tooltipStyle}
              labelFormatter={(s) => `t = ${String(s)}`}
              formatter={(v) => [formatFixed(Number(v), 3), t('palette.forget')]}
            />
            <Line
              name={t('why.flow.forgetCarrier', { unit: lstm?.flow.carrier ?? '' })}
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
            <Legend wrapperStyle={{ fontSize: 13 }} />
          </LineChart>
        </ResponsiveContainer>
        <p className="hint">{t('why.flow.forgetAbout')}</p>
      </>
    </section>
  );
}
