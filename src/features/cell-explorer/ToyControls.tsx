import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { GATE_KEYS, memoryStory, type CellTrace, type GateKey } from '../../core/index';
import { gateColor } from '../../components/GatePalette';
import { formatFixed, formatList, formatValue } from '../../components/format';
import { useExplorer } from '../../state/explorer';
import { GATE_NAME } from './gateNames';
import { CellLine } from './CellLine';

/** A share that may be tiny (0.9⁵ or 0.1⁵ of the memory), with two significant digits. */
function smallShare(v: number): string {
  const pct = v * 100;
  if (pct >= 1) return `${formatFixed(pct, pct >= 10 ? 0 : 1)}%`;
  if (pct < 1e-4) return '< 0.0001%';
  return `${Number(pct.toPrecision(2))}%`;
}

const PRESETS = [0.1, 0.9] as const;

/**
 * The toy cell's controls beside the diagram: each gate's bias on a slider named by its gate,
 * the two forget presets, c_t over every step, and sentences computed from the numbers now.
 */
export function ToyControls({ trace, step }: { trace: CellTrace; step: number }) {
  const { t, i18n } = useTranslation();
  const { toy, unit, setToyWeight, setToyForget } = useExplorer();
  const bias = toy.stateDict.bias_ih as number[];
  const H = trace.hiddenSize;
  const story = useMemo(() => memoryStory(trace, unit), [trace, unit]);
  const last = trace.steps.length - 1;
  const flat = story.maxF - story.minF < 5e-4;
  return (
    <aside className="card toy-side" aria-labelledby="toy-side-title" data-testid="toy-controls">
      <h3 id="toy-side-title">{t('explorer.toySide.title', { unit })}</h3>
      <div className="toy-presets" role="group" aria-label={t('explorer.toySide.presets')}>
        {PRESETS.map((f) => (
          <button
            key={f}
            type="button"
            className="button small"
            data-testid={`forget-preset-${f}`}
            onClick={() => setToyForget(unit, f)}
          >
            {t('explorer.toySide.preset', { f: formatFixed(f, 1) })}
          </button>
        ))}
      </div>
      {GATE_KEYS.map((g: GateKey, k) => {
        const row = k * H + unit;
        const id = `toy-bias-${g}`;
        return (
          <div key={g} className="toy-bias" style={{ borderColor: gateColor(GATE_NAME[g]) }}>
            <label htmlFor={id}>
              {t('explorer.toySide.bias', { gate: t(`explorer.gateNames.${g}`), g })}
            </label>
            <output htmlFor={id}>{formatFixed(bias[row], 2)}</output>
            <input
              id={id}
              type="range"
              min={-10}
              max={10}
              step={0.01}
              value={bias[row]}
              data-testid={id}
              onChange={(e) => setToyWeight('bias_ih', row, 0, e.target.valueAsNumber)}
            />
          </div>
        );
      })}
      <CellLine trace={trace} unit={unit} step={step} />
      <p className="toy-story" data-testid="toy-story" data-verdict={story.verdict}>
        {t(flat ? 'explorer.toySide.forgetFlat' : 'explorer.toySide.forgetRange', {
          f: formatValue(story.minF),
          min: formatValue(story.minF),
          max: formatValue(story.maxF),
        })}{' '}
        {t('explorer.toySide.kept', {
          kept: smallShare(story.kept),
          last,
          verdict: t(`explorer.toySide.verdicts.${story.verdict}`),
        })}{' '}
        {story.writes.length > 0
          ? t('explorer.toySide.writes', {
              steps: formatList(
                story.writes.map((s) => String(s)),
                i18n.language,
              ),
            })
          : t('explorer.toySide.noWrites')}
      </p>
    </aside>
  );
}
