import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { CellTrace } from '../../core/index';
import { GateHeatmap, type GateStep } from '../../components/GateHeatmap';
import { setSequenceLength, useExplorer, type Stage } from '../../state/explorer';
import { CellDiagram } from './CellDiagram';
import { useMediaQuery } from '../../components/useMediaQuery';
import { CodePanel } from './CodePanel';
import { Equations } from './Equations';
import { SourceBar, SourceNote } from './SourceBar';
import { ToyEditor } from './ToyEditor';
import { UnitPanel } from './UnitPanel';
import { useTrace } from './useTrace';
import { ToyControls } from './ToyControls';
import { WeightsPanel } from './WeightsPanel';
import { ActivationCurves } from './ActivationCurves';
import { AfterPaint } from '../../components/AfterPaint';
import { useFeatureName } from './featureNames';
import './explorer.css';
import { formatFixed } from '../../components/format';

/** How long each stage shows while playing (the whole step when motion is reduced). */
const STAGE_MS = 450;
const STEP_MS = 1000;

const reducedMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches;

export default function CellExplorer() {
  const { t } = useTranslation();
  const e = useExplorer();
  const narrow = useMediaQuery('(max-width: 600px)');
  const { trace, layers, features, error, matrices, names } = useTrace();
  const featureName = useFeatureName();
  const toy = e.mode === 'toy';
  const T = trace?.steps.length ?? 1;
  const step = Math.min(e.step, T - 1);
  const unit = Math.min(e.unit, (trace?.hiddenSize ?? 1) - 1);

  useEffect(() => setSequenceLength(T), [T]);

  // ←/→ move through time anywhere on the view, unless the user is typing or sliding.
  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      const target = ev.target as HTMLElement;
      if (target.closest('select, textarea, input:not([type=checkbox]), [role=slider]')) return;
      if (ev.key === 'ArrowRight') {
        ev.preventDefault();
        useExplorer.getState().next();
      } else if (ev.key === 'ArrowLeft') {
        ev.preventDefault();
        useExplorer.getState().prev();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // Play: walk each step's four stages when "Sub-steps" is ticked (whole steps otherwise, or when
  // motion is reduced), stop at the end.
  useEffect(() => {
    if (!e.playing) return;
    const animate = !reducedMotion() && e.subSteps;
    const last = step >= T - 1;
    const timer = setTimeout(
      () => {
        const s = useExplorer.getState();
        if (animate && s.stage > 0 && s.stage < 4) return s.goTo(step, (s.stage + 1) as Stage);
        if (last) return useExplorer.setState({ playing: false, stage: 0 });
        s.goTo(step + 1, animate ? 1 : 0);
      },
      animate ? STAGE_MS : STEP_MS,
    );
    return () => clearTimeout(timer);
  }, [e.playing, e.stage, e.subSteps, step, T]);

  const heatSteps = useMemo<GateStep[]>(
    () => trace?.steps.map((s) => ({ i: s.i, f: s.f, g: s.g, o: s.o, c: s.c, h: s.h })) ?? [],
    [trace],
  );
  const current = trace?.steps[step];
  const equations = current && (
    <section className="card equations-card" aria-labelledby="eq-title">
      <h3 id="eq-title">{t('explorer.equations.title', { t: step, unit })}</h3>
      <Equations step={current} unit={unit} stage={e.stage} />
    </section>
  );

  return (
    <div className="cell-explorer" data-view="explorer">
      <header className="view-head">
        <h2 className="view-title">{t('nav.explorer')}</h2>
        <p className="lead">{t('views.explorer.lead')}</p>
      </header>
      <SourceBar />
      {error && (
        <div className="alert" role="alert">
          <strong>{t('explorer.cannotShow')}</strong> {error}
        </div>
      )}
      {trace && current && (
        <>
          <section className="card player" aria-label={t('explorer.player.aria')}>
            <div className="toolbar">
              <button
                type="button"
                className="button"
                onClick={e.prev}
                disabled={step === 0 && e.stage <= 1}
                aria-label={t('explorer.player.prev')}
              >
                ← <span className="wide-only">{t('explorer.player.prev')}</span>
              </button>
              <button
                type="button"
                className="button primary"
                onClick={() => {
                  const stages = e.subSteps && !reducedMotion();
                  if (!e.playing && step >= T - 1) e.goTo(0, stages ? 1 : 0);
                  else if (!e.playing && stages) e.goTo(step, 1);
                  e.setPlaying(!e.playing);
                }}
              >
                {e.playing ? t('explorer.player.pause') : t('explorer.player.play')}
              </button>
              <button
                type="button"
                className="button"
                onClick={e.next}
                disabled={step >= T - 1 && (!e.subSteps || e.stage === 4)}
                aria-label={t('explorer.player.next')}
              >
                <span className="wide-only">{t('explorer.player.next')}</span> →
              </button>
              <label className="field wide scrubber">
                <span data-testid="step-label">
                  {t('explorer.player.step', { t: step, T: T - 1 })}
                  {e.stage > 0 && ` · ${t(`explorer.stages.${e.stage}`)}`}
                </span>
                <input
                  type="range"
                  min={0}
                  max={T - 1}
                  value={step}
                  onChange={(ev) => e.goTo(ev.target.valueAsNumber)}
                  aria-label={t('explorer.player.scrub')}
                />
              </label>
            </div>
          </section>
          <div className={toy ? 'explorer-main with-side' : 'explorer-main'}>
            <div className="explorer-column">
              <section className="card diagram-card">
                {/* What the diagram shows; the sticky player above keeps only the stepping. */}
                <div className="toolbar diagram-options">
                  <label className="check">
                    <input
                      type="checkbox"
                      checked={e.subSteps}
                      onChange={(ev) => e.setSubSteps(ev.target.checked)}
                    />
                    {t('explorer.player.subSteps')}
                  </label>
                  {layers > 1 && (
                    <label className="inline-field">
                      {t('explorer.player.layer')}
                      <select
                        value={e.layer}
                        onChange={(ev) => e.setLayer(Number(ev.target.value))}
                      >
                        {Array.from({ length: layers }, (_, l) => (
                          <option key={l} value={l}>
                            {l}
                          </option>
                        ))}
                      </select>
                    </label>
                  )}
                  <label className="inline-field">
                    {t('explorer.player.unit')}
                    <select
                      value={unit}
                      onChange={(ev) => e.setUnit(Number(ev.target.value))}
                      data-testid="unit-select"
                    >
                      {Array.from({ length: trace.hiddenSize }, (_, u) => (
                        <option key={u} value={u}>
                          {u}
                        </option>
                      ))}
                    </select>
                  </label>
                </div>
                <div className="diagram-scroll">
                  <CellDiagram
                    step={current}
                    unit={unit}
                    stage={e.stage}
                    features={features}
                    compact={narrow}
                  />
                </div>
                <ValuesRow step={current} unit={unit} />
                <SourceNote />
                <p className="keeps">{t('explorer.keeps')}</p>
              </section>
              {toy && <AfterPaint name="explorer-equations">{equations}</AfterPaint>}
            </div>
            <AfterPaint name="explorer-side">
              {toy ? <ToyControls trace={trace} step={step} /> : equations}
            </AfterPaint>
          </div>
          <AfterPaint name="explorer-origin" minHeight={480}>
            <div className="explorer-origin">
              {matrices && (
                <WeightsPanel
                  matrices={matrices}
                  step={current}
                  names={names}
                  featureName={(k) => (features?.[k] ? featureName(features[k]) : `x${k}`)}
                />
              )}
              <ActivationCurves
                step={current}
                unit={unit}
                onShiftBias={toy ? (g, delta) => e.shiftToyBias(g, unit, delta) : undefined}
              />
            </div>
          </AfterPaint>
          <AfterPaint name="explorer-lower" minHeight={400}>
            <div className="explorer-lower">
              <section className="card" aria-labelledby="units-title">
                <h3 id="units-title">{t('explorer.units.title', { t: step })}</h3>
                <UnitPanel trace={trace} step={step} unit={unit} onPick={e.setUnit} />
                <h3>{t('explorer.heatmap.title')}</h3>
                <p className="hint">{t('explorer.heatmap.hint')}</p>
                <GateHeatmap
                  steps={heatSteps}
                  activeStep={step}
                  onPick={(s, u) => {
                    e.goTo(s);
                    e.setUnit(u);
                  }}
                />
              </section>
              <section className="card">
                <CodePanel stage={e.stage} />
              </section>
            </div>
          </AfterPaint>
          {e.mode === 'toy' && <ToyEditor />}
        </>
      )}
    </div>
  );
}

/** The six values of the chosen unit at this step, to four decimals. */
function ValuesRow({
  step,
  unit,
}: {
  step: NonNullable<CellTrace['steps'][number]>;
  unit: number;
}) {
  const { t } = useTranslation();
  const keys = ['i', 'f', 'g', 'o', 'c', 'h'] as const;
  return (
    <dl className="values-row" aria-label={t('explorer.values', { t: step.t, unit })}>
      {keys.map((k) => (
        <div key={k} data-gate={k}>
          <dt>{k}</dt>
          <dd data-testid={`value-${k}`}>{formatFixed(step[k][unit], 4)}</dd>
        </div>
      ))}
    </dl>
  );
}
