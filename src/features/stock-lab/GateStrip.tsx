import { useMemo } from 'react';
import { useCadence } from '../../components/useCadence';
import { useTranslation } from 'react-i18next';
import { GateHeatmap, type GateStep } from '../../components/GateHeatmap';
import { SaliencyStrip } from '../../components/SaliencyStrip';
import { useShallow } from 'zustand/react/shallow';
import { useStockLab, type RunView } from '../../state/stockLab';
import { openWindowInExplorer } from './openWindow';
import { CHART_CADENCE } from './cadence';
import { GateSaturation } from './GateSaturation';

export function CadencedGateStrip({ run, live }: { run: RunView; live: boolean }) {
  return <GateStrip run={useCadence(run, ...CHART_CADENCE.gates, live)} />;
}

/** The gates of one window, redrawn on their cadence while the model learns. */
function GateStrip({ run }: { run: RunView }) {
  const { t } = useTranslation();
  const { gateSample, setGateSample, model, applyRecipe } = useStockLab(
    useShallow((s) => ({
      gateSample: s.gateSample,
      setGateSample: s.setGateSample,
      model: s.model,
      applyRecipe: s.applyRecipe,
    })),
  );
  const count = run.series?.actual.length ?? 0;
  const gates = run.gates;
  const steps = useMemo<GateStep[] | null>(
    () =>
      gates
        ? gates.steps.map((s) => ({
            i: s.i[s.i.length - 1],
            f: s.f[s.f.length - 1],
            g: s.g[s.g.length - 1],
            o: s.o[s.o.length - 1],
            c: s.c[s.c.length - 1],
            h: s.h[s.h.length - 1],
          }))
        : null,
    [gates],
  );
  const sample = run.gates?.sample ?? gateSample;
  const date = run.series?.dates?.[sample];
  return (
    <aside className="gate-strip" aria-labelledby="gate-strip-title" data-testid="gate-strip">
      <h4 id="gate-strip-title">{t('stock.gates.title')}</h4>
      {steps?.length !== 1 && <p className="hint">{t('stock.gates.hint')}</p>}
      {count > 0 && (
        <label className="field">
          <span>
            {t('stock.gates.sample', {
              k: sample + 1,
              n: count,
              date: date !== undefined ? new Date(date).toISOString().slice(0, 10) : '',
            })}
          </span>
          <input
            type="range"
            min={0}
            max={count - 1}
            value={sample}
            onChange={(e) => setGateSample(e.target.valueAsNumber)}
          />
        </label>
      )}
      {steps && steps.length === 1 && (
        // One step: no earlier day to weigh against, no gate changing over time to draw.
        <div className="notice" data-testid="one-step-note">
          <p>{t('stock.gates.oneStep')}</p>
          <button type="button" className="button" onClick={() => applyRecipe('window')}>
            {t('stock.gates.useWindow')}
          </button>
        </div>
      )}
      {steps ? (
        <>
          {steps.length > 1 && (
            <>
              <GateHeatmap steps={steps} compact />
              <p className="hint">{t('stock.gates.axes', { steps: steps.length })}</p>
            </>
          )}
          {run.gates?.saliency && steps.length > 1 && (
            <>
              <h5 className="saliency-title">{t('stock.saliency.title')}</h5>
              <SaliencyStrip
                values={run.gates.saliency}
                label={t('stock.saliency.aria', { steps: run.gates.saliency.length })}
                start={t('stock.saliency.oldest', { n: run.gates.saliency.length })}
                end={t('stock.saliency.newest')}
                testId="saliency-strip"
              />
              <p className="hint">{t('stock.saliency.hint')}</p>
            </>
          )}
          <button
            type="button"
            className="button subtle"
            disabled={!model}
            onClick={() => model && openWindowInExplorer(t, run, model)}
          >
            {t('stock.gates.open')}
          </button>
          <GateSaturation run={run} />
        </>
      ) : (
        <p className="empty">{t('stock.chart.waiting')}</p>
      )}
    </aside>
  );
}
