import { useMemo, useState } from 'react';
import { useCadence } from '../../components/useCadence';
import { useTranslation } from 'react-i18next';
import {
  type StockSeries,
  watchFit,
  isIntraday,
  predictionsCsv,
  pytorchScript,
  stockModelFile,
} from '../../core/index';
import { EngineBadge } from '../../components/EngineBadge';
import { useEngineStatus } from '../../state/engine';
import { FileButton } from '../../components/FileButton';
import { downloadText, formatNumber } from '../../components/format';
import { useShallow } from 'zustand/react/shallow';
import { useStockLab, type LossPoint, type RunView } from '../../state/stockLab';
import { usePersistence } from '../../state/persistStatus';
import { LossChart, PredictionChart, ResidualChart } from './charts';
import { ErrorBox } from './ErrorBox';
import { CHART_CADENCE } from './cadence';
import { CadencedGateStrip } from './GateStrip';
import { AfterPaint } from '../../components/AfterPaint';
import { CadencedMetrics } from './Metrics';
import { FitNote } from './FitNote';

/** Epochs per second a learner can watch, and "as fast as possible" (null). */
const SPEEDS: (number | null)[] = [1, 2, 5, 10, 30, null];

/** Step 3: train, pause, step; watch loss, predictions, gates and honest metrics; export. */
export function TrainPanel() {
  const { t, i18n } = useTranslation();
  const s = useStockLab();
  const savedRun = usePersistence((p) => p.savedRun);
  const { run, data, runError } = s;
  const status = run?.status ?? 'idle';
  // The engine trains this run now (its loop said so), not merely holds the engine ready.
  const engineTraining = useEngineStatus((e) => e.training);
  const training = engineTraining && (status === 'running' || status === 'starting');
  const busy = status === 'running' || status === 'starting';
  const live = status === 'running' || status === 'paused';
  const controls = [
    status === 'paused'
      ? { label: 'stock.train.resume', onClick: s.resume, disabled: false }
      : { label: 'stock.train.pause', onClick: s.pause, disabled: status !== 'running' },
    { label: 'stock.train.stop', onClick: s.stop, disabled: !live },
    { label: 'stock.train.stepEpoch', onClick: s.stepEpoch, disabled: status !== 'paused' },
    { label: 'stock.train.stepBatch', onClick: s.stepBatch, disabled: status !== 'paused' },
  ];
  return (
    <section className="card step" aria-labelledby="stock-train-title">
      <h3 id="stock-train-title" className="step-title">
        <span className="step-number">3</span>
        {t('stock.train.title')}
      </h3>
      <div className="toolbar">
        <button
          type="button"
          className="button primary"
          disabled={!data || busy}
          onClick={() => s.train()}
        >
          {s.imported ? t('stock.train.continue') : t('stock.train.train')}
        </button>
        {controls.map((c) => (
          <button
            key={c.label}
            type="button"
            className="button"
            disabled={c.disabled}
            onClick={c.onClick}
          >
            {t(c.label)}
          </button>
        ))}
        <label className="inline-field">
          {t('stock.train.speed')}
          <select
            value={String(s.maxEpochsPerSecond)}
            onChange={(e) => s.setSpeed(e.target.value === 'null' ? null : Number(e.target.value))}
          >
            {SPEEDS.map((v) => (
              <option key={String(v)} value={String(v)}>
                {v === null ? t('stock.train.speedMax') : t('stock.train.speedValue', { n: v })}
              </option>
            ))}
          </select>
        </label>
        <FileButton
          label={t('stock.train.import')}
          accept=".json,application/json"
          className="button subtle"
          testId="model-input"
          onFile={(file) => void s.importModel(file)}
        />
      </div>
      <div className="run-status" aria-live="polite">
        <EngineBadge
          testId="run-engine"
          active={training}
          extraDetails={run?.memory ? [t('stock.train.tensors', { n: run.memory.numTensors })] : []}
        />
        {run && (
          <span data-testid="run-status" data-status={status}>
            {t(`stock.train.status.${status}`)} ·{' '}
            <span data-testid="epoch">
              {t('stock.train.epochOf', { epoch: run.epoch, total: run.config.epochs })}
            </span>
            {/* The rate of the last running seconds; nothing while paused or stopped. */}
            {status === 'running' && run.epochsPerSecond > 0 && (
              <span data-testid="epoch-rate">
                {' · '}
                {t('stock.train.rate', {
                  rate: formatNumber(run.epochsPerSecond, i18n.language, 3),
                })}
              </span>
            )}
            {run.batch && status !== 'finished' && (
              <span data-testid="batch-status">
                {' · '}
                {Number.isFinite(run.batch.loss)
                  ? t('stock.train.batchOf', {
                      index: formatNumber(run.batch.index, i18n.language, 9),
                      count: formatNumber(run.batch.count, i18n.language, 9),
                      loss: formatNumber(run.batch.loss, i18n.language, 3),
                    })
                  : t('stock.train.batchAt', {
                      index: formatNumber(run.batch.index, i18n.language, 9),
                      count: formatNumber(run.batch.count, i18n.language, 9),
                    })}
                {status === 'running' &&
                  run.batch.eta !== undefined &&
                  ` · ${t('stock.train.eta', { time: formatClock(run.batch.eta) })}`}
              </span>
            )}
            {savedRun && savedRun.runId === run.runId && (
              <span
                className="saved"
                data-testid="saved-state"
                data-epoch={savedRun.epoch}
                data-status={savedRun.status}
              >
                {' · '}
                {t('stock.train.saved', { epoch: savedRun.epoch })}
              </span>
            )}
          </span>
        )}
        {run && (
          <progress
            max={run.config.epochs}
            value={run.epoch}
            aria-label={t('stock.train.progressAria')}
          />
        )}
      </div>
      {s.interrupted && s.model && (
        <div className="notice resume" role="status" data-testid="interrupted">
          {t('stock.train.interrupted', { epoch: s.model.epoch })}{' '}
          <button type="button" className="button primary" onClick={s.resumeInterrupted}>
            {t('stock.train.resumeSaved')}
          </button>
        </div>
      )}
      {run?.slow && status === 'paused' && <SlowEpoch run={run} />}
      {runError && <ErrorBox error={runError} scope="run" onDismiss={s.dismissRunError} />}
      {!run && <p className="empty">{t(data ? 'stock.train.ready' : 'stock.train.needData')}</p>}
      {run && (
        <AfterPaint name="stock-charts" minHeight={560}>
          <RunCharts run={run} />
        </AfterPaint>
      )}
      {run?.series && run.predictions && (
        <AfterPaint name="stock-metrics">
          <CadencedMetrics run={run} />
        </AfterPaint>
      )}
      {(run?.predictions || s.model) && <Exports />}
    </section>
  );
}

/** Minutes and seconds, e.g. 4:05 (or h:mm:ss past an hour). */
function formatClock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const two = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}

/** Rows kept by "train on the last rows": enough for a real lesson, an epoch in seconds. */
const LAST_ROWS = 50_000;

/** The run stopped itself because an epoch would take over a minute: say so, offer choices. */
function SlowEpoch({ run }: { run: RunView }) {
  const { t, i18n } = useTranslation();
  const { data, resume, trainLastRows, resampleToDays } = useStockLab(
    useShallow((s) => ({
      data: s.data,
      resume: s.resume,
      trainLastRows: s.trainLastRows,
      resampleToDays: s.resampleToDays,
    })),
  );
  const slow = run.slow!;
  const intraday = useMemo(() => (data ? isIntraday(data.table) : false), [data]);
  return (
    <div className="notice slow" role="alert" data-testid="slow-epoch">
      <p>
        {t('stock.train.slow', {
          time: formatClock(slow.secondsPerEpoch),
          batches: formatNumber(slow.batches, i18n.language, 9),
          rows: formatNumber(slow.rows, i18n.language, 9),
        })}
      </p>
      <div className="toolbar">
        {slow.rows > LAST_ROWS && (
          <button type="button" className="button primary" onClick={() => trainLastRows(LAST_ROWS)}>
            {t('stock.train.lastRows', { rows: formatNumber(LAST_ROWS, i18n.language, 9) })}
          </button>
        )}
        {intraday && (
          <button type="button" className="button" onClick={resampleToDays}>
            {t('stock.train.toDays')}
          </button>
        )}
        <button type="button" className="button subtle" onClick={resume}>
          {t('stock.train.anyway')}
        </button>
      </div>
    </div>
  );
}

function RunCharts({ run }: { run: RunView }) {
  const { t } = useTranslation();
  const [log, setLog] = useState(true);
  const live = run.status === 'running';
  const series = run.series;
  const fit = useMemo(() => watchFit(run.history), [run.history]);
  return (
    <div className="run-grid">
      <div className="run-main">
        <div className="chart-head">
          <h4>{t('stock.chart.lossTitle')}</h4>
          <label className="check">
            <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} />
            {t('stock.chart.logScale')}
          </label>
        </div>
        {/* The loss chart is built as soon as the run exists (in its own turn, after the Train
            click has painted), so the first epoch's message only hands it a point: mounting it
            in that message made one of the longest frames of a training start. */}
        {run.history.length === 0 && <p className="empty">{t('stock.chart.waiting')}</p>}
        <CadencedLoss history={run.history} log={log} live={live} bestEpoch={fit.bestEpoch} />
        {run.history.length > 0 && <FitNote run={run} fit={fit} />}
        {series && (
          <>
            <h4>{t('stock.chart.predictionTitle', { column: series.target })}</h4>
            <CadencedPrediction series={series} predictions={run.predictions} live={live} />
            {run.predictions && (
              <>
                <h4>{t('stock.chart.residualTitle')}</h4>
                <CadencedResidual series={series} predictions={run.predictions} live={live} />
              </>
            )}
          </>
        )}
      </div>
      <CadencedGateStrip run={run} live={live} />
    </div>
  );
}

/*
 * Each chart takes its data through its own cadence, inside its own component, so a redraw
 * re-renders that one chart and nothing else.
 */
function CadencedLoss(p: {
  history: LossPoint[];
  log: boolean;
  live: boolean;
  bestEpoch: number | null;
}) {
  return (
    <LossChart
      history={useCadence(p.history, ...CHART_CADENCE.loss, p.live)}
      log={p.log}
      bestEpoch={p.bestEpoch}
    />
  );
}

function CadencedPrediction(p: {
  series: StockSeries;
  predictions: number[] | null;
  live: boolean;
}) {
  return (
    <PredictionChart
      series={p.series}
      predictions={useCadence(p.predictions, ...CHART_CADENCE.prediction, p.live)}
    />
  );
}

function CadencedResidual(p: { series: StockSeries; predictions: number[]; live: boolean }) {
  return (
    <ResidualChart
      series={p.series}
      predictions={useCadence(p.predictions, ...CHART_CADENCE.residual, p.live)}
    />
  );
}

function Exports() {
  const { t } = useTranslation();
  const { run, model } = useStockLab(useShallow((s) => ({ run: s.run, model: s.model })));
  const series = model?.series ?? run?.series ?? null;
  const base = (series?.target ?? 'model').replace(/[^\w-]+/g, '_');
  const exportPredictions = () => {
    if (!run?.series || !run.predictions) return;
    downloadText(
      predictionsCsv(run.series, run.predictions),
      `lstm-lab-predictions-${base}.csv`,
      'text/csv',
    );
  };
  const file =
    model && series ? stockModelFile(series, model.config, model.epoch, model.stateDict) : null;
  const jsonName = `lstm-lab-model-${base}.json`;
  const exports = [
    {
      label: t('stock.export.predictions'),
      ready: Boolean(run?.predictions),
      save: exportPredictions,
    },
    {
      label: t('stock.export.weights', { epoch: model?.epoch ?? 0 }),
      ready: file !== null,
      save: () => file && downloadText(JSON.stringify(file), jsonName, 'application/json'),
    },
    {
      label: t('stock.export.script'),
      ready: file !== null,
      save: () =>
        file &&
        downloadText(pytorchScript(file, jsonName), `lstm-lab-model-${base}.py`, 'text/x-python'),
    },
  ];
  return (
    <div className="toolbar exports">
      <span className="field-label">{t('stock.export.title')}</span>
      {exports.map((e) => (
        <button key={e.label} type="button" className="button" disabled={!e.ready} onClick={e.save}>
          {e.label}
        </button>
      ))}
    </div>
  );
}
