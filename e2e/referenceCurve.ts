import { readFileSync } from 'node:fs';
import { parseCsvText } from '../src/core/index';
import { RegressionTrainer } from '../src/core/training/regressionTrainer';
import type { StockConfig } from '../src/core/training/stockConfig';
import { prepareStockDataset } from '../src/core/training/stockData';
import { sharedData } from './shared';

/**
 * The training losses, epoch by epoch, that the pure-TS core gives for a CSV and a setup: the
 * reference a browser run is held to (the core follows PyTorch's own curve to 1e-9, see
 * src/core/training/regressionTrainer.test.ts).
 */
export function referenceCurve(file: string, config: StockConfig): number[] {
  const data = prepareStockDataset(parseCsvText(readFileSync(sharedData(file), 'utf8')), config);
  const trainer = new RegressionTrainer(data, config);
  return Array.from({ length: config.epochs }, () => trainer.stepEpoch().trainLoss);
}
