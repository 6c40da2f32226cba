import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `../shared/data` beside the repository: real CSVs, read in place, never copied. */
export const sharedData = (file: string) =>
  resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/data', file);

/** `../shared/golden/lstm_golden.json`: PyTorch's reference values. */
export const goldenPath = () =>
  resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/golden/lstm_golden.json');
