import { describe, expect, it } from 'vitest';
import { gateSaturation, packedGateSaturation, saturationSummary } from './saturation';

describe('gate saturation', () => {
  it('counts, per unit, the share of steps below 0.1 and above 0.9', () => {
    // Two units, five observations each ([…][H] layout): unit 0 open 4 of 5, unit 1 shut 3 of 5.
    const f = [0.95, 0.05, 0.99, 0.02, 0.5, 0.01, 0.91, 0.5, 0.92, 0.3];
    const s = gateSaturation({ f }, ['f'], 2);
    expect(s.observations).toBe(5);
    expect(s.dots).toEqual([
      { gate: 'f', unit: 0, low: 0, high: 0.8 },
      { gate: 'f', unit: 1, low: 0.6, high: 0 },
    ]);
  });

  it('reads i, f and o out of the core LSTM’s packed [i f g o] rows', () => {
    const H = 2;
    // One row of 4H: i = (0.01, 0.99), f = (0.95, 0.5), g (ignored), o = (0.05, 0.97).
    const packed = [0.01, 0.99, 0.95, 0.5, -1, 1, 0.05, 0.97];
    const s = packedGateSaturation(packed, H);
    expect(s.gates).toEqual(['i', 'f', 'o']);
    expect(s.dots.map((d) => [d.gate, d.unit, d.low, d.high])).toEqual([
      ['i', 0, 1, 0],
      ['i', 1, 0, 1],
      ['f', 0, 0, 1],
      ['f', 1, 0, 0],
      ['o', 0, 1, 0],
      ['o', 1, 0, 1],
    ]);
  });

  it('summarises each gate: units that stay open, that stay shut (≥ 90 % of steps)', () => {
    const s = gateSaturation({ f: [0.95, 0.05, 0.5, 0.95, 0.05, 0.5] }, ['f'], 3);
    expect(saturationSummary(s)).toEqual([{ gate: 'f', open: 1, shut: 1, total: 3 }]);
  });
});
