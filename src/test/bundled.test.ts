import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedPath } from './shared';

describe('bundled datasets', () => {
  it('the Starbucks preset is the seed notes’ SBUX.csv, byte for byte (its provenance is the reference’s)', () => {
    const app = readFileSync(new URL('../../public/datasets/SBUX.csv', import.meta.url));
    expect(app.equals(readFileSync(sharedPath('data', 'SBUX.csv')))).toBe(true);
  });
});
