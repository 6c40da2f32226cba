import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MOSTLY, saturationSummary, type GateSaturation, type SaturationDot } from '../core/index';
import { formatPercent } from './format';
import { gateColor, type GateName } from './GatePalette';
import './saturation.css';

/** Each gate letter in the one palette; the GRU's reset and update gates borrow two free colours. */
const GATE_OF: Record<string, GateName> = {
  i: 'input',
  f: 'forget',
  o: 'output',
  r: 'hidden',
  z: 'cell',
};
/** A shape per gate as well as a colour, so the plot reads without colour too. */
const SHAPE: Record<string, 'circle' | 'square' | 'triangle' | 'diamond'> = {
  i: 'circle',
  f: 'square',
  o: 'triangle',
  r: 'diamond',
  z: 'circle',
};

const SIZE = 260;
const DOT_R = 4.5;
const PAD = { left: 44, right: 20, top: 12, bottom: 40 };
const W = SIZE - PAD.left - PAD.right;
const H = SIZE - PAD.top - PAD.bottom;
const px = (v: number) => PAD.left + v * W;
const py = (v: number) => PAD.top + (1 - v) * H;

function Mark({ dot, r }: { dot: SaturationDot; r: number }) {
  const x = px(dot.low);
  const y = py(dot.high);
  const fill = gateColor(GATE_OF[dot.gate] ?? 'hidden');
  const common = { fill, fillOpacity: 0.6, stroke: 'var(--surface)', strokeWidth: 1 };
  switch (SHAPE[dot.gate]) {
    case 'square':
      return <rect x={x - r} y={y - r} width={2 * r} height={2 * r} {...common} />;
    case 'triangle':
      return (
        <polygon points={`${x},${y - r * 1.2} ${x - r},${y + r} ${x + r},${y + r}`} {...common} />
      );
    case 'diamond':
      return (
        <polygon
          points={`${x},${y - r * 1.3} ${x + r * 1.3},${y} ${x},${y + r * 1.3} ${x - r * 1.3},${y}`}
          {...common}
        />
      );
    default:
      return <circle cx={x} cy={y} r={r} {...common} />;
  }
}

/**
 * What each gate learned (after Karpathy, Johnson & Fei-Fei, 2015): one dot per unit and gate,
 * the share of steps it is shut (x) against the share it is open (y), and a sentence per gate
 * counting the units that stay open or shut. A dot can open its unit elsewhere (`onPick`).
 */
export function SaturationPlot({
  saturation,
  onPick,
  pickNote,
  fixed = [],
  testId,
}: {
  saturation: GateSaturation;
  onPick?: (unit: number) => void;
  /** Says what clicking a dot does, or why it does nothing here. */
  pickNote: string;
  /** Gates pinned by the variant (e.g. f = 1 without a forget gate): named, not read as learned. */
  fixed?: string[];
  testId?: string;
}) {
  const { t, i18n } = useTranslation();
  const [only, setOnly] = useState<string | null>(null);
  const pct = (v: number) => formatPercent(v, i18n.language);
  const shown = useMemo(
    () => saturation.dots.filter((d) => only === null || d.gate === only),
    [saturation, only],
  );
  const [unit, setUnit] = useState(0);
  const gateName = (g: string) => t(`saturation.gate.${g}`);
  return (
    <div className="saturation" data-testid={testId}>
      <div className="segmented" role="group" aria-label={t('saturation.show')}>
        <button type="button" aria-pressed={only === null} onClick={() => setOnly(null)}>
          {t('saturation.all')}
        </button>
        {saturation.gates.map((g) => (
          <button key={g} type="button" aria-pressed={only === g} onClick={() => setOnly(g)}>
            <svg
              width="14"
              height="14"
              viewBox={`${px(0) - 7} ${py(1) - 7} 14 14`}
              aria-hidden="true"
            >
              <Mark dot={{ gate: g, unit: 0, low: 0, high: 1 }} r={5} />
            </svg>{' '}
            {gateName(g)}
          </button>
        ))}
      </div>
      <div className="saturation-body">
        <svg
          className="saturation-plot"
          viewBox={`0 0 ${SIZE} ${SIZE}`}
          role="group"
          aria-label={t('saturation.aria', { n: saturation.observations })}
        >
          <rect x={PAD.left} y={PAD.top} width={W} height={H} className="frame" />
          {/* No point can lie past x + y = 1: a gate cannot be shut and open on the same step. */}
          <line x1={px(0)} y1={py(1)} x2={px(1)} y2={py(0)} className="limit" />
          <rect
            x={px(0)}
            y={py(1)}
            width={W * (1 - MOSTLY)}
            height={H * (1 - MOSTLY)}
            className="zone"
          />
          <rect
            x={px(MOSTLY)}
            y={py(1 - MOSTLY)}
            width={W * (1 - MOSTLY)}
            height={H * (1 - MOSTLY)}
            className="zone"
          />
          {[0, 0.5, 1].map((v) => (
            <g key={v} className="tick">
              <text x={px(v)} y={SIZE - PAD.bottom + 14} textAnchor="middle">
                {pct(v)}
              </text>
              <text x={PAD.left - 4} y={py(v) + 4} textAnchor="end">
                {pct(v)}
              </text>
            </g>
          ))}
          <text x={px(0.5)} y={SIZE - 6} textAnchor="middle" className="axis">
            {t('saturation.x')}
          </text>
          <text
            transform={`translate(12 ${py(0.5)}) rotate(-90)`}
            textAnchor="middle"
            className="axis"
          >
            {t('saturation.y')}
          </text>
          <text x={px(0) + 6} y={py(1) + 14} className="corner">
            {t('saturation.open')}
          </text>
          <text x={px(1) - 6} y={py(0) - 6} textAnchor="end" className="corner">
            {t('saturation.shut')}
          </text>
          {shown.map((d) => {
            const label = t('saturation.dot', {
              gate: gateName(d.gate),
              unit: d.unit,
              low: pct(d.low),
              high: pct(d.high),
            });
            return (
              <g
                key={`${d.gate}${d.unit}`}
                className={onPick ? 'dot pickable' : 'dot'}
                data-gate={d.gate}
                data-unit={d.unit}
                data-low={d.low}
                data-high={d.high}
                role={onPick ? 'button' : 'img'}
                tabIndex={onPick ? 0 : undefined}
                aria-label={label}
                onClick={onPick ? () => onPick(d.unit) : undefined}
                onKeyDown={
                  onPick
                    ? (e) => {
                        if (e.key === 'Enter' || e.key === ' ') {
                          e.preventDefault();
                          onPick(d.unit);
                        }
                      }
                    : undefined
                }
              >
                <title>{label}</title>
                <Mark dot={d} r={DOT_R} />
              </g>
            );
          })}
        </svg>
        <ul className="saturation-sentences">
          {saturationSummary(saturation).map((s) => (
            <li key={s.gate} data-gate={s.gate} data-open={s.open} data-shut={s.shut}>
              {fixed.includes(s.gate)
                ? t('saturation.fixed', { gate: gateName(s.gate) })
                : s.open === 0 && s.shut === 0
                  ? t('saturation.none', { gate: gateName(s.gate), total: s.total })
                  : t(`saturation.sentence.${s.gate}`, {
                      count: s.open,
                      total: s.total,
                      shut: s.shut,
                    })}
            </li>
          ))}
          <li className="hint">{pickNote}</li>
          {onPick && (
            // Dots at the same spot cover each other: every unit can also be opened from here.
            <li className="hint saturation-open">
              <label className="inline-field">
                {t('saturation.unit')}
                <select
                  value={unit}
                  onChange={(e) => setUnit(Number(e.target.value))}
                  data-testid={testId && `${testId}-unit`}
                >
                  {Array.from({ length: saturation.hidden }, (_, u) => (
                    <option key={u} value={u}>
                      {u}
                    </option>
                  ))}
                </select>
              </label>
              <button type="button" className="button subtle" onClick={() => onPick(unit)}>
                {t('saturation.openUnit')}
              </button>
            </li>
          )}
        </ul>
      </div>
    </div>
  );
}
