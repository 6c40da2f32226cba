import { useTranslation } from 'react-i18next';
import { useFeatureName } from './featureNames';
import { gateColor, type GateName } from '../../components/GatePalette';
import { useExplorer } from '../../state/explorer';
import { formatFixed } from '../../components/format';

/** Gate blocks in PyTorch's row order (i, f, g, o) and their palette names. */
const BLOCKS: { gate: GateName; symbol: string }[] = [
  { gate: 'input', symbol: 'i' },
  { gate: 'forget', symbol: 'f' },
  { gate: 'candidate', symbol: 'g' },
  { gate: 'output', symbol: 'o' },
];

function Slider({
  label,
  gate,
  value,
  min,
  max,
  onChange,
}: {
  label: string;
  /** The gate's name, so a screen reader hears "forget gate: bias b_f", not "bf". */
  gate?: string;
  value: number;
  min: number;
  max: number;
  onChange: (v: number) => void;
}) {
  return (
    <label className="slider">
      <span>{label}</span>
      <input
        type="range"
        min={min}
        max={max}
        step={0.05}
        value={value}
        aria-label={gate ? `${gate}: ${label}` : undefined}
        onChange={(e) => onChange(e.target.valueAsNumber)}
      />
      <output>{formatFixed(value, 2)}</output>
    </label>
  );
}

/**
 * Toy mode: every weight of the chosen unit and every input value on a slider; the diagram,
 * equations and heatmaps react at once because they all recompute from these numbers.
 */
export function ToyEditor() {
  const { t } = useTranslation();
  const featureName = useFeatureName();
  const { toy, unit, setToyWeight, setToyInput, resizeToy, addToyStep, removeToyStep } =
    useExplorer();
  const wIh = toy.stateDict.weight_ih as number[][];
  const wHh = toy.stateDict.weight_hh as number[][];
  const bias = toy.stateDict.bias_ih as number[];
  const H = wHh[0].length;
  const ih = 'weight_ih';
  const hh = 'weight_hh';
  return (
    <section className="card toy-editor" aria-labelledby="toy-title">
      <h3 id="toy-title">{t('explorer.toy.title', { unit })}</h3>
      <div className="toolbar">
        <label className="inline-field">
          {t('explorer.toy.hidden')}
          <select value={H} onChange={(e) => resizeToy(Number(e.target.value))}>
            {[1, 2, 3, 4].map((h) => (
              <option key={h}>{h}</option>
            ))}
          </select>
        </label>
        <button type="button" className="button" onClick={addToyStep}>
          {t('explorer.toy.addStep')}
        </button>
        <button
          type="button"
          className="button"
          onClick={removeToyStep}
          disabled={toy.input.length <= 1}
        >
          {t('explorer.toy.removeStep')}
        </button>
      </div>
      <div className="toy-grid">
        {BLOCKS.map(({ gate, symbol }, block) => {
          const row = block * H + unit;
          return (
            <fieldset key={gate} className="toy-gate" style={{ borderColor: gateColor(gate) }}>
              <legend>
                <span className="swatch" style={{ background: gateColor(gate) }} aria-hidden />{' '}
                {t(`explorer.gateNames.${symbol}`)}
              </legend>
              {wIh[row].map((w, k) => (
                <Slider
                  key={`x${k}`}
                  gate={t(`explorer.gateNames.${symbol}`)}
                  label={t('explorer.toy.inputWeight', {
                    name: ih,
                    x: toy.features[k] ? featureName(toy.features[k]) : `x${k}`,
                  })}
                  value={w}
                  min={-12}
                  max={12}
                  onChange={(v) => setToyWeight('weight_ih', row, k, v)}
                />
              ))}
              {wHh[row].map((w, k) => (
                <Slider
                  key={`h${k}`}
                  gate={t(`explorer.gateNames.${symbol}`)}
                  label={t('explorer.toy.hiddenWeight', { name: hh, k })}
                  value={w}
                  min={-6}
                  max={6}
                  onChange={(v) => setToyWeight('weight_hh', row, k, v)}
                />
              ))}
              <Slider
                gate={t(`explorer.gateNames.${symbol}`)}
                label={t('explorer.toy.bias', { g: symbol })}
                value={bias[row]}
                min={-10}
                max={10}
                onChange={(v) => setToyWeight('bias_ih', row, 0, v)}
              />
            </fieldset>
          );
        })}
      </div>
      <h4>{t('explorer.toy.inputs')}</h4>
      <div className="toy-inputs">
        {toy.input.map((row, step) => (
          <div key={step} className="toy-step">
            <span className="muted">t={step}</span>
            {row.map((v, k) => (
              <Slider
                key={k}
                label={toy.features[k] ? featureName(toy.features[k]) : `x${k}`}
                value={v}
                min={-1}
                max={1}
                onChange={(nv) => setToyInput(step, k, nv)}
              />
            ))}
          </div>
        ))}
      </div>
    </section>
  );
}
