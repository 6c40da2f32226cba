import '@tensorflow/tfjs-backend-cpu';
import './tfjsSetup';
import { memory, setBackend } from '@tensorflow/tfjs-core';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { NEXT_DAY_RECIPE, parseCsvText, prepareStockDataset } from '../core/index';
import { readShared } from '../test/shared';
import { TfRegressionTrainer } from './regressionTrainer';

// The heap is read after a full collection: without one, a sample taken just before the collector
// runs counts garbage as growth (CI failed once at 41 MB that way). What is left after a collection
// is what a leak would keep.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

beforeAll(async () => {
  await setBackend('cpu');
});

describe('soak: 5,000 epochs on a windowed workload (tfjs CPU backend)', () => {
  it('keeps the tensor count flat and the heap bounded after warm-up', async () => {
    const table = parseCsvText(readShared('data', 'SBUX.csv'));
    const config = { ...NEXT_DAY_RECIPE, seqLen: 2, hiddenSize: 4, headSize: 8, batchSize: 0 };
    const dataset = prepareStockDataset(table, config);
    const trainer = new TfRegressionTrainer(dataset, config);
    const samples: { epoch: number; tensors: number; heap: number }[] = [];
    for (let e = 1; e <= 5000; e++) {
      await trainer.stepEpoch();
      if (e % 500 === 0) {
        await trainer.predictAll(); // the progress path reads predictions too
        collectGarbage();
        samples.push({
          epoch: e,
          tensors: memory().numTensors,
          heap: process.memoryUsage().heapUsed,
        });
      }
    }
    const after = samples.filter((s) => s.epoch >= 1000);
    expect(new Set(after.map((s) => s.tensors)).size).toBe(1);
    const growth = after[after.length - 1].heap - after[0].heap;
    expect(
      growth,
      `heap after each 500 epochs: ${after.map((s) => s.heap).join(', ')}`,
    ).toBeLessThan(32 * 2 ** 20);
    trainer.dispose();
  }, 300_000);
});
