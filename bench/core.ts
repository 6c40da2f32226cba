/** The pure-TS core on a workload: the same model, loss and Adam the app's core engine runs. */
import {
  Adam,
  classifierLossAndGrad,
  createClassifier,
  createRegressor,
  regressorLossAndGrad,
  zeroGrads,
} from '../src/core/index';
import { workloadData, type Workload } from './workloads';

/** Returns a function that runs one unit (epoch or step) of the workload. */
export function coreRunner(w: Workload): () => void {
  const { x, y } = workloadData(w);
  const shape = { inputSize: w.features, hiddenSize: w.hidden, numLayers: 1, ctor: Float32Array };
  const model =
    w.head === 'regressor'
      ? createRegressor({ ...shape, headSize: 128 })
      : createClassifier({ ...shape, classes: 10 });
  const opt = new Adam(model.params, { lr: 1e-3 });
  const per = w.time * w.features;
  return () => {
    for (let start = 0; start < w.samples; start += w.batchSize) {
      const n = Math.min(w.batchSize, w.samples - start);
      const batch = {
        data: x.subarray(start * per, (start + n) * per),
        batch: n,
        time: w.time,
        features: w.features,
      };
      zeroGrads(model.params);
      if (model.kind === 'regressor')
        regressorLossAndGrad(model, batch, y.subarray(start, start + n));
      else classifierLossAndGrad(model, batch, Array.from(y.subarray(start, start + n)));
      opt.update();
    }
  };
}
