import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SaturationPlot } from '../../components/SaturationPlot';
import { openWindowInExplorer } from './openWindow';
import { useStockLab, type RunView } from '../../state/stockLab';

/**
 * What each gate of the Stock lab's model learned, over evenly spaced windows of the series;
 * measured when training pauses or ends. A dot opens its unit, on the window shown above, in
 * the Cell explorer.
 */
export function GateSaturation({ run }: { run: RunView }) {
  const { t } = useTranslation();
  const model = useStockLab((s) => s.model);
  const [layer, setLayer] = useState(0);
  const measured = run.gates?.saturation;
  if (!run.gates) return null;
  if (!measured)
    return (
      <>
        <h5 className="saliency-title">{t('saturation.title')}</h5>
        <p className="hint" data-testid="stock-saturation-waiting">
          {t('stock.saturation.waiting')}
        </p>
      </>
    );
  const l = Math.min(layer, measured.layers.length - 1);
  return (
    <>
      <h5 className="saliency-title">{t('saturation.title')}</h5>
      <p className="hint">
        {t('stock.saturation.about', { windows: measured.windows, epoch: measured.epoch })}
      </p>
      {measured.layers.length > 1 && (
        <label className="inline-field">
          {t('stock.saturation.layer')}
          <select value={l} onChange={(e) => setLayer(Number(e.target.value))}>
            {measured.layers.map((_, k) => (
              <option key={k} value={k}>
                {k + 1}
              </option>
            ))}
          </select>
        </label>
      )}
      <SaturationPlot
        saturation={measured.layers[l]}
        testId="stock-saturation"
        pickNote={t('stock.saturation.pick', { k: run.gates.sample + 1 })}
        onPick={
          model ? (unit) => openWindowInExplorer(t, run, model, { unit, layer: l }) : undefined
        }
      />
    </>
  );
}
