import '@tensorflow/tfjs-backend-cpu';
import './tfjsSetup';
import { Tensor, setBackend } from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { NEXT_DAY_RECIPE, parseCsvText, prepareStockDataset } from '../core/index';
import { readShared } from '../test/shared';
import { TfRegressionTrainer } from './regressionTrainer';

beforeAll(async () => {
  await setBackend('cpu');
});
afterEach(() => vi.restoreAllMocks());

/** Reads back from the backend during the epoch's last batch, for a given batch size. */
async function readsAtEpochEnd(batchSize: number): Promise<{ reads: number; batches: number }> {
  const table = parseCsvText(readShared('data', 'SBUX.csv'));
  const config = { ...NEXT_DAY_RECIPE, seqLen: 5, hiddenSize: 4, headSize: 8, batchSize };
  const trainer = new TfRegressionTrainer(prepareStockDataset(table, config), config);
  for (let b = 1; b < trainer.batchesPerEpoch; b++) await trainer.stepBatch(false);
  const spy = vi.spyOn(Tensor.prototype, 'data');
  const last = await trainer.stepBatch(false);
  const reads = spy.mock.calls.length;
  spy.mockRestore();
  expect(last.epoch ?? last.evaluating).toBeTruthy();
  const batches = trainer.batchesPerEpoch;
  trainer.dispose();
  return { reads, batches };
}

describe('an epoch on tfjs reads its batch losses back once', () => {
  it('the end of an epoch costs the same reads with 24 batches as with 3', async () => {
    const few = await readsAtEpochEnd(64);
    const many = await readsAtEpochEnd(8);
    expect(many.batches).toBeGreaterThan(5 * few.batches);
    // One read for all the losses (plus the test set's), not one per batch.
    expect(many.reads).toBe(few.reads);
  });
});
