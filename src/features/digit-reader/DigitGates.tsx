import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  PackedSaturationCounter,
  PIXELS,
  SIDE,
  decodePixel,
  lstmForward,
  paramsToStateDict,
  toNested,
  type GateSaturation,
} from '../../core/index';
import { SaturationPlot } from '../../components/SaturationPlot';
import { openInExplorer } from '../../state/explorer';
import { useDigits } from '../../state/digits';

/** Test digits read for the plot: enough for steady shares (×28 rows each). */
export const SATURATION_DIGITS = 100;
/** Digits per slice of work: a few milliseconds each, so no frame waits on the measurement. */
const PER_SLICE = 2;

/**
 * What each gate of the digit model learned, over the first test digits, read row by row. The
 * measurement runs in small slices between frames; a dot opens its unit in the Cell explorer,
 * reading the digit on the pad.
 */
export function DigitGates() {
  const { t } = useTranslation();
  const model = useDigits((s) => s.model);
  const test = useDigits((s) => s.test);
  const [state, setState] = useState<{
    model: unknown;
    done: number;
    result: GateSaturation | null;
  }>({ model: null, done: 0, result: null });
  const [running, setRunning] = useState(false);
  const current = state.model === model ? state : { model, done: 0, result: null };

  useEffect(() => {
    if (!running || !model || !test) return;
    const total = Math.min(SATURATION_DIGITS, test.labels.length);
    const layers = model.lstm.layers;
    const counter = new PackedSaturationCounter(layers[layers.length - 1].hiddenSize);
    let from = 0;
    let timer = 0;
    const slice = () => {
      const to = Math.min(total, from + PER_SLICE);
      const data = new Float64Array((to - from) * PIXELS);
      for (let j = 0; j < data.length; j++)
        data[j] = decodePixel(test.pixels[from * PIXELS + j]) - 0.5;
      const fwd = lstmForward(model.lstm, { data, batch: to - from, time: SIDE, features: SIDE });
      counter.add(fwd.layers[fwd.layers.length - 1].gates);
      from = to;
      const finished = from >= total;
      setState({ model, done: from, result: finished ? counter.result() : null });
      if (finished) setRunning(false);
      else timer = window.setTimeout(slice, 0);
    };
    timer = window.setTimeout(slice, 0);
    return () => window.clearTimeout(timer);
  }, [running, model, test]);

  if (!model) return null;
  const total = Math.min(SATURATION_DIGITS, test?.labels.length ?? SATURATION_DIGITS);
  return (
    <section className="card" aria-labelledby="digit-gates-title" data-testid="digit-gates">
      <h3 id="digit-gates-title">{t('saturation.title')}</h3>
      <p className="hint">{t('digits.saturation.about', { n: total })}</p>
      {!current.result && (
        <div className="toolbar">
          <button
            type="button"
            className="button"
            disabled={!test || running}
            onClick={() => setRunning(true)}
            data-testid="digit-gates-measure"
          >
            {t('digits.saturation.measure', { n: total })}
          </button>
          {running && (
            <progress
              max={total}
              value={current.done}
              aria-label={t('digits.saturation.progress')}
            />
          )}
        </div>
      )}
      {current.result && (
        <SaturationPlot
          saturation={current.result}
          testId="digit-saturation"
          pickNote={t('digits.saturation.pick')}
          onPick={(unit) => {
            const { image } = useDigits.getState();
            openInExplorer(
              {
                kind: 'digits',
                label: t('digits.saturation.explorerLabel', { unit }),
                stateDict: paramsToStateDict(model.params),
                input: toNested(
                  Float64Array.from(image, (v) => v - 0.5),
                  [SIDE, SIDE],
                ) as number[][],
              },
              { unit },
            );
          }}
        />
      )}
    </section>
  );
}
