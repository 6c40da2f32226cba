import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's own reference files (src/test/reference, with their provenance). */
const REFERENCE = resolve(dirname(fileURLToPath(import.meta.url)), '../src/test/reference');

/** A real CSV from src/test/reference/data. */
export const sharedData = (file: string) => resolve(REFERENCE, 'data', file);

/** PyTorch's reference values for the LSTM cell and the 2-layer LSTM. */
export const goldenPath = () => resolve(REFERENCE, 'golden', 'lstm_golden.json');
