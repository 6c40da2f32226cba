import { useTranslation } from 'react-i18next';
import type { CellTrace } from '../../core/index';
import { formatFixed, formatValue } from '../../components/format';

const W = 280;
const HT = 120;
const PAD = { left: 34, right: 10, top: 10, bottom: 24 };

/**
 * c_t of one unit over every step as a line: memory kept is a flat line, memory fading a
 * line that falls back to 0. The current step is marked.
 */
export function CellLine({ trace, unit, step }: { trace: CellTrace; unit: number; step: number }) {
  const { t } = useTranslation();
  const c = trace.steps.map((s) => s.c[unit]);
  const top = Math.max(1, ...c);
  const bottom = Math.min(-1, ...c);
  const x = (k: number) =>
    PAD.left + (c.length === 1 ? 0 : (k / (c.length - 1)) * (W - PAD.left - PAD.right));
  const y = (v: number) => PAD.top + ((top - v) / (top - bottom)) * (HT - PAD.top - PAD.bottom);
  const d = c.map((v, k) => `${k === 0 ? 'M' : 'L'}${x(k).toFixed(1)},${y(v).toFixed(1)}`).join('');
  const values = c.map((v) => formatValue(v));
  return (
    <figure className="cell-line">
      <figcaption>{t('explorer.toySide.cellLine', { unit })}</figcaption>
      <svg
        viewBox={`0 0 ${W} ${HT}`}
        role="img"
        aria-label={t('explorer.toySide.cellLineAria', { values: values.join(', ') })}
        data-testid="ct-line"
        data-values={c.map((v) => v.toFixed(4)).join(' ')}
      >
        <line className="axis" x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} />
        {[top, 0, bottom].map((v) => (
          <text key={v} className="tick" x={PAD.left - 4} y={y(v) + 4} textAnchor="end">
            {formatFixed(v, v === 0 ? 0 : 1)}
          </text>
        ))}
        {c.map((_, k) => (
          <text key={k} className="tick" x={x(k)} y={HT - 6} textAnchor="middle">
            {k}
          </text>
        ))}
        <path className="cell-line-path" d={d} />
        {c.map((v, k) => (
          <circle
            key={k}
            cx={x(k)}
            cy={y(v)}
            r={k === step ? 5 : 3}
            className={k === step ? 'cell-dot current' : 'cell-dot'}
          />
        ))}
      </svg>
    </figure>
  );
}
