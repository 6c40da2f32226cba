import {
  asBatch,
  lstmForward,
  lstmFromStateDict,
  packedGateSaturation,
  stepRecord,
  stepSaliency,
  wholeModelFromStateDict,
  type StockDataset,
} from '../../core/index';
import type { GateSnapshot } from '../protocol';
import type { Trainer } from './trainer';

type Key = 'i' | 'f' | 'g' | 'o' | 'c' | 'h';

/**
 * The gates of one window from the trainer's current weights, and which input days mattered.
 * On the fused WebGPU step the gates are the GPU's own forward (the numbers it trains with);
 * elsewhere the core computes them from the same weights.
 */
export async function gateSnapshot(
  trainer: Trainer,
  dataset: StockDataset,
  sample: number,
  withSaturation = false,
): Promise<GateSnapshot> {
  const sd = await trainer.stateDict();
  const k = Math.min(Math.max(0, sample), dataset.all.count - 1);
  const batch = asBatch(dataset.all, Float64Array, [k]);
  const gpu = (await trainer.gates?.(k)) ?? null;
  const fwd = gpu ? null : lstmForward(lstmFromStateDict(sd), batch);
  const steps = Array.from({ length: batch.time }, (_, t) => {
    const layers = gpu
      ? gpu[t]
      : fwd!.layers.map((_, l) => {
          const s = stepRecord(fwd!, l, t);
          const row = (key: Key) => (s[key] as number[][])[0];
          return { i: row('i'), f: row('f'), g: row('g'), o: row('o'), c: row('c'), h: row('h') };
        });
    const pick = (key: Key) => layers.map((s) => s[key]);
    return { i: pick('i'), f: pick('f'), g: pick('g'), o: pick('o'), c: pick('c'), h: pick('h') };
  });
  const F = batch.features;
  const input = Array.from({ length: batch.time }, (_, t) =>
    Array.from(batch.data.subarray(t * F, (t + 1) * F)),
  );
  // Which days mattered: the core's own input gradient of the prediction, per step.
  const [saliency] = stepSaliency(wholeModelFromStateDict(sd).model, batch);
  return {
    sample: k,
    input,
    steps,
    saliency,
    ...(gpu ? { source: 'fused-webgpu' as const } : {}),
    ...(withSaturation ? { saturation: saturationOf(sd, dataset, trainer.epoch) } : {}),
  };
}

/** Windows the saturation plot reads, spread evenly over the whole series. */
export const SATURATION_WINDOWS = 256;

/** How often each unit's gates sit near 0 and near 1, per layer, over evenly spaced windows. */
function saturationOf(
  sd: Awaited<ReturnType<Trainer['stateDict']>>,
  dataset: StockDataset,
  epoch: number,
): NonNullable<GateSnapshot['saturation']> {
  const n = dataset.all.count;
  const m = Math.min(n, SATURATION_WINDOWS);
  const picks = Array.from({ length: m }, (_, j) => Math.floor((j * n) / m));
  const lstm = lstmFromStateDict(sd);
  const fwd = lstmForward(lstm, asBatch(dataset.all, Float64Array, picks));
  const layers = fwd.layers.map((layer, l) =>
    packedGateSaturation(layer.gates, lstm.layers[l].hiddenSize),
  );
  return { epoch, windows: m, layers };
}
