import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { GateKey, TraceStep } from '../../core/index';
import { gateColor } from '../../components/GatePalette';
import { formatFixed, formatValue } from '../../components/format';
import { GATE_NAME } from './gateNames';

const Z = 10; // the plots span z ∈ [−10, 10]: the toy lessons' biases reach ±10
const W = 320;
const HT = 170;
const PAD = { left: 30, right: 12, top: 12, bottom: 26 };
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

interface Curve {
  id: 'sigmoid' | 'tanh';
  fn: (z: number) => number;
  lo: number;
  gates: GateKey[];
  /** |z| beyond which the slope is under a tenth of its peak: the flat, saturated ends. */
  saturated: number;
}

const CURVES: Curve[] = [
  { id: 'sigmoid', fn: sigmoid, lo: 0, gates: ['i', 'f', 'o'], saturated: 3.59 },
  { id: 'tanh', fn: Math.tanh, lo: -1, gates: ['g'], saturated: 1.82 },
];

const sx = (z: number) => PAD.left + ((z + Z) / (2 * Z)) * (W - PAD.left - PAD.right);
const zOf = (x: number) => ((x - PAD.left) / (W - PAD.left - PAD.right)) * 2 * Z - Z;

/**
 * σ and tanh with each gate's z of this step and unit marked on its curve, the saturated ends
 * shaded. In the toy cell a mark can be dragged (or moved with the arrow keys): that moves the
 * gate's bias by the same amount, since z = W·[h, x] + b.
 */
export function ActivationCurves({
  step,
  unit,
  onShiftBias,
}: {
  step: TraceStep;
  unit: number;
  /** Present in the toy cell: moves a gate's bias by `delta`. */
  onShiftBias?: (gate: GateKey, delta: number) => void;
}) {
  const { t } = useTranslation();
  const drag = useRef<{ gate: GateKey; z0: number; svg: SVGSVGElement; moved: number } | null>(
    null,
  );
  const toX = (svg: SVGSVGElement, clientX: number) => {
    const box = svg.getBoundingClientRect();
    return ((clientX - box.left) / box.width) * W;
  };
  return (
    <section className="card curves-card" aria-labelledby="curves-title" data-testid="curves">
      <h3 id="curves-title">{t('explorer.curves.title')}</h3>
      <p className="hint">{t('explorer.curves.sentence')}</p>
      <div className="curves">
        {CURVES.map((c) => {
          const sy = (v: number) =>
            PAD.top + (1 - (v - c.lo) / (1 - c.lo)) * (HT - PAD.top - PAD.bottom);
          const path = Array.from({ length: 121 }, (_, k) => -Z + (k * 2 * Z) / 120)
            .map((z, k) => `${k ? 'L' : 'M'}${sx(z).toFixed(1)},${sy(c.fn(z)).toFixed(1)}`)
            .join('');
          return (
            <figure key={c.id} className="curve" data-testid={`curve-${c.id}`}>
              <figcaption>{t(`explorer.curves.${c.id}`)}</figcaption>
              <svg
                viewBox={`0 0 ${W} ${HT}`}
                role="group"
                aria-label={t(`explorer.curves.${c.id}`)}
              >
                {[-1, 1].map((side) => (
                  <rect
                    key={side}
                    className="saturated"
                    x={side < 0 ? PAD.left : sx(c.saturated)}
                    width={sx(-c.saturated) - PAD.left}
                    y={PAD.top}
                    height={HT - PAD.top - PAD.bottom}
                  />
                ))}
                <text className="tick saturated-label" x={PAD.left + 4} y={PAD.top + 12}>
                  {t('explorer.curves.saturated')}
                </text>
                <line className="axis" x1={sx(0)} x2={sx(0)} y1={PAD.top} y2={HT - PAD.bottom} />
                {[c.lo, 1].map((v) => (
                  <g key={v}>
                    <line className="grid" x1={PAD.left} x2={W - PAD.right} y1={sy(v)} y2={sy(v)} />
                    <text className="tick" x={PAD.left - 4} y={sy(v) + 4} textAnchor="end">
                      {formatFixed(v, 0)}
                    </text>
                  </g>
                ))}
                {[-Z, -5, 0, 5, Z].map((z) => (
                  <text key={z} className="tick" x={sx(z)} y={HT - 8} textAnchor="middle">
                    {formatFixed(z, 0)}
                  </text>
                ))}
                <path className="curve-path" d={path} />
                {c.gates.map((g) => {
                  const z = step.pre[g][unit];
                  const shown = Math.max(-Z, Math.min(Z, z));
                  const v = step[g][unit];
                  const editable = onShiftBias !== undefined;
                  return (
                    <g
                      key={g}
                      className={editable ? 'curve-mark editable' : 'curve-mark'}
                      data-testid={`mark-${g}`}
                      data-z={z.toFixed(4)}
                      role={editable ? 'slider' : 'img'}
                      tabIndex={editable ? 0 : undefined}
                      aria-label={t('explorer.curves.mark', {
                        gate: t(`explorer.gateNames.${g}`),
                        z: formatValue(z),
                        v: formatValue(v),
                      })}
                      aria-valuemin={editable ? -Z : undefined}
                      aria-valuemax={editable ? Z : undefined}
                      aria-valuenow={editable ? Number(z.toFixed(3)) : undefined}
                      onKeyDown={(e) => {
                        if (!onShiftBias) return;
                        const d =
                          e.key === 'ArrowRight' || e.key === 'ArrowUp'
                            ? 1
                            : e.key === 'ArrowLeft' || e.key === 'ArrowDown'
                              ? -1
                              : 0;
                        if (!d) return;
                        e.preventDefault();
                        e.stopPropagation(); // ← → here move the bias, not the step
                        onShiftBias(g, d * (e.shiftKey ? 1 : 0.1));
                      }}
                      onPointerDown={(e) => {
                        if (!onShiftBias) return;
                        const svg = (e.currentTarget as SVGGElement).ownerSVGElement!;
                        (e.currentTarget as SVGGElement).setPointerCapture(e.pointerId);
                        drag.current = { gate: g, z0: z, svg, moved: 0 };
                      }}
                      onPointerMove={(e) => {
                        const d = drag.current;
                        if (!d || d.gate !== g || !onShiftBias) return;
                        const target = Math.max(-Z, Math.min(Z, zOf(toX(d.svg, e.clientX))));
                        const delta = Math.round((target - d.z0) * 100) / 100 - d.moved;
                        if (delta !== 0) {
                          d.moved += delta;
                          onShiftBias(g, delta);
                        }
                      }}
                      onPointerUp={() => (drag.current = null)}
                      onPointerCancel={() => (drag.current = null)}
                    >
                      <line
                        className="mark-drop"
                        x1={sx(shown)}
                        x2={sx(shown)}
                        y1={sy(c.fn(shown))}
                        y2={HT - PAD.bottom}
                        style={{ stroke: gateColor(GATE_NAME[g]) }}
                      />
                      <circle
                        cx={sx(shown)}
                        cy={sy(c.fn(shown))}
                        r={editable ? 9 : 6}
                        style={{ fill: gateColor(GATE_NAME[g]) }}
                      />
                      <text
                        className="mark-label"
                        x={sx(shown)}
                        y={sy(c.fn(shown)) - 12}
                        textAnchor="middle"
                      >
                        {g}
                      </text>
                    </g>
                  );
                })}
              </svg>
            </figure>
          );
        })}
      </div>
      {onShiftBias && <p className="hint">{t('explorer.curves.drag')}</p>}
    </section>
  );
}
