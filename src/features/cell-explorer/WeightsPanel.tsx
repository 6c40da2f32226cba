import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  GATE_KEYS,
  roundToSum,
  splitPreActivation,
  type GateKey,
  type LayerMatrices,
  type TraceStep,
} from '../../core/index';
import { gateColor } from '../../components/GatePalette';
import { formatFixed } from '../../components/format';
import { useExplorer } from '../../state/explorer';
import { GATE_NAME, type WeightNames } from './gateNames';
import { PreActivationSum } from './PreActivationSum';

/** Matrices up to this many rows and columns are drawn whole; larger ones by the chosen gate. */
const MAX_ROWS = 32;
const MAX_COLS = 16;

interface Hovered {
  matrix: 'ih' | 'hh';
  row: number;
  col: number;
}

/**
 * The weights behind the gates: W_ih (4H × In) and W_hh (4H × H) as four row blocks in the gate
 * palette, and the chosen gate's pre-activation of the chosen unit taken apart into
 * W_ih·x_t + W_hh·h_{t−1} + b_ih + b_hh = z. Every weight is a button: hover, focus or tap
 * shows its term (w × input).
 */
export function WeightsPanel({
  matrices,
  step,
  names,
  featureName,
}: {
  matrices: LayerMatrices;
  step: TraceStep;
  names: WeightNames;
  featureName: (k: number) => string;
}) {
  const { t } = useTranslation();
  const { unit, gate, setGate, setUnit } = useExplorer();
  const [hovered, setHovered] = useState<Hovered | null>(null);
  const H = matrices.weightHh[0].length;
  const In = matrices.weightIh[0].length;
  const u = Math.min(unit, H - 1);
  const split = splitPreActivation(matrices, step, gate, u);
  const wide = 4 * H > MAX_ROWS;
  const rows = Array.from({ length: 4 * H }, (_, r) => r).filter(
    (r) =>
      !wide || (H <= MAX_ROWS ? Math.floor(r / H) === GATE_KEYS.indexOf(gate) : r === split.row),
  );
  const label = (r: number) => `${GATE_KEYS[Math.floor(r / H)]}${H > 1 ? `·${r % H}` : ''}`;
  const inputName = (matrix: 'ih' | 'hh', col: number) =>
    matrix === 'ih' ? `x_t[${featureName(col)}]` : `h_{t−1}[${col}]`;
  const term = (h: Hovered) => {
    const w = (h.matrix === 'ih' ? matrices.weightIh : matrices.weightHh)[h.row][h.col];
    const v = (h.matrix === 'ih' ? step.x : step.hPrev)[h.col];
    return t('explorer.weights.term', {
      name: h.matrix === 'ih' ? names.ih : names.hh,
      row: label(h.row),
      w: formatFixed(w, 3),
      input: inputName(h.matrix, h.col),
      v: formatFixed(v, 3),
      product: formatFixed(w * v, 3),
    });
  };
  const grid = (matrix: 'ih' | 'hh', cols: number) => {
    const m = matrix === 'ih' ? matrices.weightIh : matrices.weightHh;
    const shownCols = Math.min(cols, MAX_COLS);
    return (
      <div className="weight-matrix" data-testid={`matrix-${matrix}`}>
        <div className="matrix-title">
          <code>{matrix === 'ih' ? names.ih : names.hh}</code>{' '}
          <span className="muted">{t('explorer.weights.shape', { rows: 4 * H, cols })}</span>
        </div>
        <table>
          <tbody>
            {rows.map((r) => {
              const g = GATE_KEYS[Math.floor(r / H)];
              const chosen = r === split.row;
              return (
                <tr
                  key={r}
                  className={chosen ? 'chosen' : undefined}
                  style={{ borderLeftColor: gateColor(GATE_NAME[g]) }}
                >
                  <th scope="row">{label(r)}</th>
                  {m[r].slice(0, shownCols).map((w, c) => (
                    <td key={c}>
                      <button
                        type="button"
                        className="weight"
                        aria-label={term({ matrix, row: r, col: c })}
                        onMouseEnter={() => setHovered({ matrix, row: r, col: c })}
                        onFocus={() => setHovered({ matrix, row: r, col: c })}
                        onClick={() => {
                          setHovered({ matrix, row: r, col: c });
                          setGate(g);
                          setUnit(r % H);
                        }}
                      >
                        {formatFixed(w, 2)}
                      </button>
                    </td>
                  ))}
                  {cols > shownCols && <td className="muted">…</td>}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    );
  };
  const parts = roundToSum([split.inputSum, split.hiddenSum, split.biasIh, split.biasHh], 3);
  return (
    <section
      className="card weights-card"
      aria-labelledby="weights-title"
      data-testid="weights-panel"
    >
      <h3 id="weights-title">{t('explorer.weights.title')}</h3>
      <p className="hint">
        {t('explorer.weights.why', { ih: names.ih, hh: names.hh, rows: 4 * H, In, H })}
      </p>
      <div className="segmented gate-picker" role="group" aria-label={t('explorer.weights.pick')}>
        {GATE_KEYS.map((g: GateKey) => (
          <button key={g} type="button" aria-pressed={gate === g} onClick={() => setGate(g)}>
            <span className="swatch" style={{ background: gateColor(GATE_NAME[g]) }} aria-hidden />{' '}
            {t(`explorer.gateNames.${g}`)}
          </button>
        ))}
      </div>
      <PreActivationSum split={split} parts={parts} names={names} step={step} />
      <div className="weight-matrices">
        {grid('ih', In)}
        {grid('hh', H)}
      </div>
      <p className="weight-term" aria-live="polite" data-testid="weight-term">
        {hovered ? term(hovered) : t('explorer.weights.hover')}
      </p>
    </section>
  );
}
