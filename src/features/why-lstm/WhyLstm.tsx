import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { chanceLoss, type MemoryTask } from '../../core/index';
import { usePersistence } from '../../state/persistStatus';
import { KINDS, useRace } from '../../state/race';
import './why.css';
import { formatNumber } from '../../components/format';
import { Learn } from './Learn';
import { RaceLossChart } from './RaceLossChart';
import { useCadence } from '../../components/useCadence';
import { AfterPaint } from '../../components/AfterPaint';
import { KnockoutLab } from './knockout/KnockoutLab';
import { GradientFlowPanel } from './GradientFlow';

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
