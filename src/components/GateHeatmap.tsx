import { memo, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { GATES, gateColor, type GateName } from './GatePalette';
import { resolveColor, useResolvedTheme } from './cssColor';
import { formatFixed, formatValue } from './format';

/** One layer's gate values at one step, per unit. */
export interface GateStep {
  i: number[];
  f: number[];
  g: number[];
  o: number[];
  c: number[];
  h: number[];
}

export const GATE_KEY: Record<GateName, keyof GateStep> = {
  forget: 'f',
  input: 'i',
  candidate: 'g',
  output: 'o',
  cell: 'c',
  hidden: 'h',
};

/** σ gates live in 0..1; tanh values and the cell state have a sign. */
const SIGNED: Record<GateName, boolean> = {
  forget: false,
  input: false,
  candidate: true,
  output: false,
  cell: true,
  hidden: true,
};

/**
 * The colour of one heatmap cell: the gate's own colour, as strong as the value (0 → blank,
 * 1 → full); a negative value in the neutral "negative" colour, as strong as its size.
 */
export function heatFill(gate: GateName, v: number, range = 1): { fill: string; opacity: number } {
  const x = Math.max(-1, Math.min(1, v / range));
  if (!SIGNED[gate] || x >= 0) return { fill: gateColor(gate), opacity: Math.abs(x) };
  return { fill: 'var(--heat-negative)', opacity: -x };
}

/** Step ticks under a heatmap: the first, the last and a few evenly between. */
function tickSteps(n: number): number[] {
  if (n <= 1) return [0];
  const every = Math.max(1, Math.ceil((n - 1) / 4));
  const ticks: number[] = [];
  for (let k = 0; k < n - 1; k += every) ticks.push(k);
  if (ticks.length > 1 && n - 1 - ticks[ticks.length - 1] <= every / 2) ticks.pop();
  return [...ticks, n - 1];
}

interface PanelProps {
  gate: GateName;
  steps: GateStep[];
  range: number;
  cw: number;
  ch: number;
  activeStep?: number;
  onPick?: (step: number, unit: number, gate: GateName) => void;
}

/**
 * One gate's unit × step grid on a canvas: redrawn many times a second while a model trains,
 * which thousands of SVG nodes could not do without stalling the page.
 */
function GatePanel({ gate, steps, range, cw, ch, activeStep, onPick }: PanelProps) {
  const { t } = useTranslation();
  const ref = useRef<HTMLCanvasElement>(null);
  // The canvas has to be drawn again in the other theme's colours.
  const theme = useResolvedTheme();
  const [hover, setHover] = useState<{ step: number; unit: number } | null>(null);
  const key = GATE_KEY[gate];
  const units = steps[0][key].length;
  const width = cw * steps.length;
  const height = ch * units;
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = width * dpr;
    canvas.height = height * dpr;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const positive = resolveColor(gateColor(gate));
    const negative = resolveColor('var(--heat-negative)');
    ctx.fillStyle = resolveColor('var(--surface-2)');
    ctx.fillRect(0, 0, width, height);
    const gap = cw > 6 && ch > 6 ? 1 : 0;
    steps.forEach((s, step) => {
      s[key].forEach((v, unit) => {
        const { fill, opacity } = heatFill(gate, v, range);
        ctx.globalAlpha = opacity;
        ctx.fillStyle = fill === gateColor(gate) ? positive : negative;
        ctx.fillRect(step * cw, unit * ch, cw - gap, ch - gap);
      });
    });
    ctx.globalAlpha = 1;
    if (activeStep !== undefined) {
      ctx.strokeStyle = resolveColor('var(--text)');
      ctx.lineWidth = 2;
      ctx.strokeRect(activeStep * cw + 1, 1, cw - 2, height - 2);
    }
  }, [gate, steps, key, range, cw, ch, width, height, activeStep, theme]);
  const cellAt = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const step = Math.floor(((e.clientX - box.left) / box.width) * steps.length);
    const unit = Math.floor(((e.clientY - box.top) / box.height) * units);
    return step >= 0 && step < steps.length && unit >= 0 && unit < units ? { step, unit } : null;
  };
  const mean =
    steps.reduce((a, s) => a + s[key].reduce((b, v) => b + v, 0), 0) / (steps.length * units);
  const value = hover ? steps[hover.step][key][hover.unit] : null;
  return (
    <figure className="gate-heatmap" data-gate={gate}>
      <figcaption>
        <span className="swatch" style={{ background: gateColor(gate) }} aria-hidden />
        {t(`palette.${gate}`)}
        <span className="readout">
          {value !== null && hover
            ? t('heatmap.readout', {
                step: hover.step,
                unit: hover.unit,
                value: formatValue(value),
              })
            : ''}
        </span>
      </figcaption>
      <div className="heat-plot" style={{ maxWidth: width + 28 }}>
        <span className="heat-units" aria-hidden>
          <span style={{ top: 0 }}>0</span>
          {units > 1 && <span style={{ bottom: 0 }}>{units - 1}</span>}
          {/* Named only where there is room beside a tall enough grid. */}
          {units >= 6 && <span className="heat-axis-name">{t('heatmap.unitAxis')}</span>}
        </span>
        <canvas
          ref={ref}
          style={{ width, maxWidth: '100%', aspectRatio: `${width} / ${height}` }}
          role="img"
          aria-label={t('heatmap.aria', {
            gate: t(`palette.${gate}`),
            steps: steps.length,
            units,
            mean: formatFixed(mean, 2),
          })}
          onMouseMove={(e) => setHover(cellAt(e))}
          onMouseLeave={() => setHover(null)}
          onClick={(e) => {
            const c = cellAt(e);
            if (c && onPick) onPick(c.step, c.unit, gate);
          }}
          className={onPick ? 'pickable' : undefined}
        />
        <span className="heat-steps" aria-hidden>
          {tickSteps(steps.length).map((k, n, all) => (
            // Ticks sit centred under their column; the last one ends at the edge, not past it.
            <span
              key={k}
              className={n === all.length - 1 && all.length > 1 ? 'last' : undefined}
              style={{ left: `${((k + 0.5) / steps.length) * 100}%` }}
            >
              {k}
            </span>
          ))}
          <span className="heat-axis-name">{t('heatmap.stepAxis')}</span>
        </span>
      </div>
    </figure>
  );
}

/**
 * Every gate over time for one sample: six small heatmaps (unit × step), coloured with the
 * app's gate palette. Clicking a cell reports the gate, unit and step.
 */
export const GateHeatmap = memo(function GateHeatmap({
  steps,
  activeStep,
  onPick,
  compact = false,
  gates = GATES,
}: {
  steps: GateStep[];
  activeStep?: number;
  onPick?: (step: number, unit: number, gate: GateName) => void;
  compact?: boolean;
  /** Which panels to draw (all six by default). */
  gates?: readonly GateName[];
}) {
  if (steps.length === 0) return null;
  const units = steps[0].i.length;
  const cellMax = Math.max(1e-9, ...steps.flatMap((s) => s.c.map(Math.abs)));
  const cw = Math.max(4, Math.min(24, Math.floor(240 / steps.length)));
  const ch = Math.max(3, Math.min(compact ? 14 : 20, Math.floor((compact ? 120 : 200) / units)));
  return (
    <div className={compact ? 'gate-heatmaps compact' : 'gate-heatmaps'}>
      {gates.map((gate) => (
        <GatePanel
          key={gate}
          gate={gate}
          steps={steps}
          range={gate === 'cell' ? cellMax : 1}
          cw={cw}
          ch={ch}
          activeStep={activeStep}
          onPick={onPick}
        />
      ))}
    </div>
  );
});
