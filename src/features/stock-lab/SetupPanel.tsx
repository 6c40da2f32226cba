import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Help } from '../../components/Help';
import { formatList } from '../../components/format';
import {
  SEED_RECIPE,
  numberColumns,
  splitRowFor,
  type StockConfig,
  type TargetKind,
  type StockRecipe,
} from '../../core/index';
import { useShallow } from 'zustand/react/shallow';
import { useStockLab } from '../../state/stockLab';

const RECIPES: StockRecipe[] = ['seed', 'window'];

/** True when the setup reads the seed notes' own columns (Open … Adj Close → Volume). */
const usesSeedColumns = (config: StockConfig) =>
  config.target === SEED_RECIPE.target &&
  SEED_RECIPE.features.every((f) => config.features.includes(f));

/** A labelled number input that only reports valid values. */
function NumberField({
  label,
  value,
  min,
  max,
  step = 1,
  onChange,
  testId,
  help,
}: {
  label: string;
  /** An explanation behind a "?" beside the label. */
  help?: string;
  value: number;
  min: number;
  max?: number;
  step?: number | 'any';
  onChange: (v: number) => void;
  testId?: string;
}) {
  const id = useId();
  return (
    // The "?" stays outside the <label>, so the input's name is the label alone.
    <div className="field">
      <span className="field-head">
        <label htmlFor={id}>{label}</label>
        {help && <Help topic={label} text={help} />}
      </span>
      <input
        id={id}
        type="number"
        value={value}
        min={min}
        max={max}
        step={step}
        data-testid={testId}
        onChange={(e) => {
          const v = e.target.valueAsNumber;
          if (Number.isFinite(v) && v >= min && (max === undefined || v <= max)) onChange(v);
        }}
      />
    </div>
  );
}

/** Step 2: which columns, how the windows are cut, the network and the optimiser. */
export function SetupPanel() {
  const { t, i18n } = useTranslation();
  // Only what the form shows: training progress must not re-render the whole form.
  const { data, config, recipe, applyRecipe, setConfig, imported, setupNotice } = useStockLab(
    useShallow((s) => ({
      setupNotice: s.setupNotice,
      data: s.data,
      config: s.config,
      recipe: s.recipe,
      applyRecipe: s.applyRecipe,
      setConfig: s.setConfig,
      imported: s.imported,
    })),
  );
  const numeric = data ? numberColumns(data.table).map((c) => c.name) : [];
  const rows = data?.table.rowCount ?? 0;
  const splitRow = splitRowFor(config, rows);
  const set = (patch: Partial<StockConfig>) => setConfig(patch);
  const toggleFeature = (name: string, on: boolean) =>
    set({
      features: on
        ? numeric.filter((n) => n === name || config.features.includes(n))
        : config.features.filter((f) => f !== name),
    });
  return (
    <section className="card step" aria-labelledby="stock-setup-title">
      <h3 id="stock-setup-title" className="step-title">
        <span className="step-number">2</span>
        {t('stock.setup.title')}
      </h3>
      <div className="toolbar">
        <div className="segmented" role="group" aria-label={t('stock.setup.recipe')}>
          {RECIPES.map((r) => (
            <button
              key={r}
              type="button"
              aria-pressed={recipe === r}
              onClick={() => applyRecipe(r)}
            >
              {t(`stock.setup.recipes.${r}`)}
            </button>
          ))}
        </div>
        {recipe === 'custom' && <span className="badge">{t('stock.setup.custom')}</span>}
      </div>
      <p className="notice" data-testid="recipe-note">
        {t(`stock.setup.notes.${recipe}`, {
          features: formatList(config.features, i18n.language),
          target: config.target,
          train: splitRow,
          epochs: config.epochs,
          seqLen: config.seqLen,
        })}
        {recipe === 'seed' && !usesSeedColumns(config) && ` ${t('stock.setup.notes.seedColumns')}`}
      </p>
      {setupNotice && (
        <p className="notice warn" role="status" data-testid="setup-notice">
          {t(`stock.setup.${setupNotice.code}`, setupNotice.params)}
        </p>
      )}
      {imported && (
        <p className="notice ok" data-testid="imported-note">
          {t('stock.setup.imported', {
            name: imported.name,
            epoch: imported.epoch,
            hidden: imported.shape.hiddenSize,
            inputs: imported.shape.inputSize,
          })}
        </p>
      )}
      <fieldset className="group" disabled={!data}>
        <legend>{t('stock.setup.columns')}</legend>
        <div className="columns-pick">
          <div role="group" aria-label={t('stock.setup.features')} className="checks">
            <span className="field-label">{t('stock.setup.features')}</span>
            {numeric.map((n) => (
              <label key={n} className="check">
                <input
                  type="checkbox"
                  checked={config.features.includes(n)}
                  onChange={(e) => toggleFeature(n, e.target.checked)}
                />
                {n}
              </label>
            ))}
          </div>
          <label className="field">
            <span>{t('stock.setup.target')}</span>
            <select
              value={config.target}
              onChange={(e) => set({ target: e.target.value })}
              data-testid="target-select"
            >
              {numeric.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        </div>
      </fieldset>
      <fieldset className="group" disabled={!data}>
        <legend>{t('stock.setup.windows')}</legend>
        <div className="fields">
          <NumberField
            label={t('stock.setup.seqLen')}
            help={t('stock.help.seqLen')}
            value={config.seqLen}
            min={1}
            max={250}
            onChange={(seqLen) => set({ seqLen })}
          />
          <NumberField
            label={t('stock.setup.horizon')}
            help={t('stock.help.horizon')}
            value={config.horizon}
            min={0}
            max={60}
            onChange={(horizon) => set({ horizon })}
          />
          <div className="field">
            <span className="field-head">
              <label htmlFor="target-kind">{t('stock.setup.targetKind')}</label>
              <Help topic={t('stock.setup.targetKind')} text={t('stock.help.targetKind')} />
            </span>
            <select
              id="target-kind"
              value={config.horizon >= 1 ? (config.targetKind ?? 'price') : 'price'}
              disabled={config.horizon < 1}
              onChange={(e) => set({ targetKind: e.target.value as TargetKind })}
              data-testid="target-kind"
            >
              {(['price', 'change', 'logReturn'] as const).map((k) => (
                <option key={k} value={k}>
                  {t(`stock.setup.targetKinds.${k}`)}
                </option>
              ))}
            </select>
          </div>
          <label className="field wide">
            <span>
              {t('stock.setup.split', {
                train: splitRow,
                test: rows - splitRow,
                percent: rows ? Math.round((100 * splitRow) / rows) : 0,
              })}
            </span>
            <input
              type="range"
              min={1}
              max={Math.max(1, rows - 1)}
              value={splitRow}
              onChange={(e) => set({ split: { kind: 'rows', rows: e.target.valueAsNumber } })}
              aria-valuetext={`${splitRow}`}
            />
          </label>
          <div className="field">
            <span className="field-head">
              <label htmlFor="scale-fit">{t('stock.setup.scaleFit')}</label>
              <Help topic={t('stock.setup.scaleFit')} text={t('stock.help.scaleFit')} />
            </span>
            <select
              id="scale-fit"
              value={config.scaleFit}
              onChange={(e) => set({ scaleFit: e.target.value as StockConfig['scaleFit'] })}
            >
              <option value="train">{t('stock.setup.scaleFitTrain')}</option>
              <option value="all">{t('stock.setup.scaleFitAll')}</option>
            </select>
          </div>
        </div>
        <p className="hint">{t('stock.setup.scalersHint')}</p>
      </fieldset>
      <fieldset className="group" disabled={!data}>
        <legend>{t('stock.setup.network')}</legend>
        <div className="fields">
          <NumberField
            label={t('stock.setup.hidden')}
            value={config.hiddenSize}
            min={1}
            max={256}
            onChange={(hiddenSize) => set({ hiddenSize })}
          />
          <NumberField
            label={t('stock.setup.layers')}
            value={config.numLayers}
            min={1}
            max={4}
            onChange={(numLayers) => set({ numLayers })}
          />
          <NumberField
            label={t('stock.setup.lr')}
            value={config.learningRate}
            min={1e-7}
            max={10}
            step="any"
            onChange={(learningRate) => set({ learningRate })}
            testId="lr-input"
          />
          <NumberField
            label={t('stock.setup.epochs')}
            value={config.epochs}
            min={1}
            max={100000}
            onChange={(epochs) => set({ epochs })}
            testId="epochs-input"
          />
          <NumberField
            label={t('stock.setup.batch')}
            help={t('stock.help.batch')}
            value={config.batchSize}
            min={0}
            max={100000}
            onChange={(batchSize) => set({ batchSize })}
          />
          <NumberField
            label={t('stock.setup.seed')}
            value={config.seed}
            min={0}
            max={2 ** 31}
            onChange={(seed) => set({ seed })}
          />
        </div>
        <p className="hint">{t('stock.setup.batchHint')}</p>
      </fieldset>
    </section>
  );
}
