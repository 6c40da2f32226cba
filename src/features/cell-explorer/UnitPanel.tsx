import { useTranslation } from 'react-i18next';
import type { CellTrace } from '../../core/index';
import { GATE_KEY } from '../../components/GateHeatmap';
import { GATES, gateColor } from '../../components/GatePalette';

const MAX_UNITS = 32;

/**
 * Small multiples: every unit's six values at this step as signed bars, so the user can see
 * which unit does what and pick one to drive the big diagram.
 */
export function UnitPanel({
  trace,
  step,
  unit,
  onPick,
}: {
  trace: CellTrace;
  step: number;
  unit: number;
  onPick: (unit: number) => void;
}) {
  const { t } = useTranslation();
  const s = trace.steps[step];
  const units = Math.min(trace.hiddenSize, MAX_UNITS);
  const cMax = Math.max(1, ...s.c.map(Math.abs));
  return (
    <div className="unit-panel">
      <div className="unit-grid" role="listbox" aria-label={t('explorer.units.aria')}>
        {Array.from({ length: units }, (_, u) => (
          <button
            key={u}
            type="button"
            role="option"
            aria-selected={u === unit}
            className="unit-card"
            onClick={() => onPick(u)}
            data-testid={`unit-${u}`}
          >
            <span className="unit-name">{t('explorer.units.unit', { unit: u })}</span>
            <svg viewBox="0 0 96 48" aria-hidden="true">
              <line x1={0} y1={24} x2={96} y2={24} stroke="var(--border)" />
              {GATES.map((gate, k) => {
                const v = s[GATE_KEY[gate]][u] / (gate === 'cell' ? cMax : 1);
                const hgt = Math.abs(v) * 22;
                return (
                  <rect
                    key={gate}
                    x={4 + k * 15}
                    width={12}
                    y={v >= 0 ? 24 - hgt : 24}
                    height={Math.max(1, hgt)}
                    fill={gateColor(gate)}
                  />
                );
              })}
            </svg>
          </button>
        ))}
      </div>
      {trace.hiddenSize > MAX_UNITS && (
        <p className="hint">
          {t('explorer.units.more', { shown: MAX_UNITS, total: trace.hiddenSize })}
        </p>
      )}
    </div>
  );
}
