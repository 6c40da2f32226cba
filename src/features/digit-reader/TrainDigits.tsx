import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { ENGINE_LABELS } from '../../worker/protocol';
import { DIGIT_LESSON } from '../../core/index';
import { testImage, useDigits } from '../../state/digits';
import { trainingShare } from '../../state/digitsShares';
import { DigitTrainingChart } from './DigitTrainingChart';
import { DigitPreview } from './DrawPad';
import { formatFixed } from '../../components/format';
import { usePaintedLater } from '../../components/AfterPaint';

const NO_HISTORY: never[] = [];
const NO_WRONG: { k: number; predicted: number }[] = [];

/** Train the digit model from scratch in a worker; watch loss, accuracy, confusions, mistakes. */
export function TrainDigits() {
  const { t } = useTranslation();
  const s = useDigits(useShallow(trainingShare));
  const [hidden, setHidden] = useState(DIGIT_LESSON.hiddenSize);
  const [epochs, setEpochs] = useState(DIGIT_LESSON.epochs);
  const tr = s.train;
  // Auto measured this engine on this model before training (the same probe as the Stock lab).
  const measuredMs = tr?.engine ? tr.engine.measured?.[tr.engine.engine] : undefined;
  // An epoch's report draws in three frames: the status line at once, the chart's new point a
  // frame later, the matrix and the misread digits a frame after that. In one commit they made
  // one frame of 55–112 ms as the epoch ended (hidden 128); the chart alone was over half.
  const historyNow = tr?.history ?? NO_HISTORY;
  const confusionNow = tr?.confusion ?? null;
  const wrongNow = tr?.wrong ?? NO_WRONG;
  const report = useMemo(
    () => ({ history: historyNow, confusion: confusionNow, wrong: wrongNow }),
    [historyNow, confusionNow, wrongNow],
  );
  const charted = usePaintedLater(report);
  const { confusion, wrong } = usePaintedLater(charted);
  const live =
    tr && (tr.status === 'running' || tr.status === 'paused' || tr.status === 'starting');
  return (
    <section className="card" aria-labelledby="digits-train-title">
      <h3 id="digits-train-title">{t('digits.train.title')}</h3>
      <p className="hint">{t('digits.train.about')}</p>
      <div className="toolbar">
        <label className="inline-field">
          {t('stock.setup.hidden')}
          <select
            value={hidden}
            onChange={(e) => setHidden(Number(e.target.value))}
            disabled={!!live}
            data-testid="digits-hidden"
          >
            {[16, 32, 64, 128].map((h) => (
              <option key={h}>{h}</option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          {t('stock.setup.epochs')}
          <select
            value={epochs}
            onChange={(e) => setEpochs(Number(e.target.value))}
            disabled={!!live}
            data-testid="digits-epochs"
          >
            {[1, 3, 5, 10, 20].map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="button primary"
          disabled={s.data !== 'ready' || !!live}
          onClick={() => s.startTraining({ ...DIGIT_LESSON, hiddenSize: hidden, epochs })}
        >
          {t('digits.train.start')}
        </button>
        {tr?.status === 'paused' ? (
          <button type="button" className="button" onClick={s.resume}>
            {t('stock.train.resume')}
          </button>
        ) : (
          <button
            type="button"
            className="button"
            onClick={s.pause}
            disabled={tr?.status !== 'running'}
          >
            {t('stock.train.pause')}
          </button>
        )}
        <button type="button" className="button" onClick={s.stop} disabled={!live}>
          {t('stock.train.stop')}
        </button>
        <button
          type="button"
          className="button subtle"
          onClick={s.useTrainedModel}
          disabled={!tr?.stateDict}
        >
          {t('digits.train.use', { epoch: tr?.epoch ?? 0 })}
        </button>
      </div>
      {tr && (
        <p
          className="run-status"
          data-testid="digits-train-status"
          data-status={tr.status}
          data-epoch={tr.epoch}
        >
          {t(`stock.train.status.${tr.status === 'failed' ? 'stopped' : tr.status}`)} ·{' '}
          {t(live && tr.batches > 0 ? 'digits.train.progress' : 'digits.train.progressDone', {
            epoch: tr.epoch,
            epochs: tr.config.epochs,
            batch: tr.batch,
            batches: tr.batches,
          })}
          {tr.engine &&
            ` · ${t(live ? 'engine.running' : 'engine.ready', { engine: ENGINE_LABELS[tr.engine.engine] })}`}
          {tr.engine && tr.workers === 2 && ` (${t('engine.twoWorkers')})`}
          {tr.history.length > 0 &&
            ` · ${t('digits.train.accuracy', { acc: formatFixed(100 * tr.history[tr.history.length - 1].accuracy, 1) })}`}
        </p>
      )}
      {tr && measuredMs !== undefined && (
        // How Auto chose is a detail for the curious, not the sentence itself.
        <details className="engine-details" data-testid="digits-engine-details">
          <summary>{t('engine.details')}</summary>
          <ul>
            <li>{t('engine.measured', { ms: formatFixed(measuredMs, 1) })}</li>
          </ul>
        </details>
      )}
      {tr?.error && (
        <div className="alert" role="alert">
          {tr.error}
        </div>
      )}
      {/* Built (collapsed) before the first epoch ends, so that message only hands the chart
          its first point: mounting the chart in it made a frame of ~170 ms. */}
      <div
        className={`digits-train-grid${charted.history.length > 0 ? '' : ' prebuilt'}`}
        aria-hidden={charted.history.length === 0}
      >
        <figure className="chart" aria-label={t('digits.train.chartAria')}>
          <DigitTrainingChart history={charted.history} />
        </figure>
        {confusion && <Confusion matrix={confusion} />}
      </div>
      {tr && confusion && wrong.length === 0 && (
        <p className="hint" data-testid="wrong-none">
          {t('digits.train.noneWrong')}
        </p>
      )}
      {wrong.length > 0 && s.test && (
        <>
          <h4>{t('digits.train.wrongTitle', { n: wrong.length })}</h4>
          <div className="gallery" data-testid="wrong-gallery">
            {wrong.map((w) => (
              <button
                key={w.k}
                type="button"
                className="gallery-item"
                onClick={() => s.pickTest(w.k)}
                title={t('digits.train.wrongItem', {
                  label: s.test!.labels[w.k],
                  predicted: w.predicted,
                })}
              >
                <LazyPreview k={w.k} />
                <span>
                  {s.test!.labels[w.k]} → <strong>{w.predicted}</strong>
                </span>
              </button>
            ))}
          </div>
        </>
      )}
    </section>
  );
}

function LazyPreview({ k }: { k: number }) {
  const test = useDigits((s) => s.test);
  const img = useMemo(() => (test ? testImage(test, k) : new Float64Array(784)), [test, k]);
  return <DigitPreview image={img} row={null} size={56} />;
}

/** confusion[actual][predicted]: the diagonal is right; everything else is a mix-up. */
function Confusion({ matrix }: { matrix: number[][] }) {
  const { t } = useTranslation();
  const max = Math.max(...matrix.flat());
  // The title and the reading hint sit above the scrolling box: as the table's caption the
  // title scrolled with a wide matrix and was cut off on a phone.
  return (
    <figure className="confusion-figure">
      <figcaption id="confusion-title">{t('digits.train.confusion')}</figcaption>
      <p className="hint">{t('digits.train.confusionHint')}</p>
      <div className="table-wrap">
        <table className="confusion" data-testid="confusion" aria-labelledby="confusion-title">
          <thead>
            <tr>
              <th scope="col">
                <span aria-hidden>↓ →</span>
                <span className="visually-hidden">{t('digits.train.actualPredicted')}</span>
              </th>
              {matrix.map((_, d) => (
                <th key={d} scope="col">
                  {d}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {matrix.map((row, a) => (
              <tr key={a}>
                <th scope="row">{a}</th>
                {row.map((n, p) => (
                  <td
                    key={p}
                    className={a === p ? 'diag' : n > 0 ? 'off' : undefined}
                    style={{ ['--v' as string]: String(max ? n / max : 0) }}
                  >
                    {n || ''}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
