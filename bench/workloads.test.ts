import { describe, expect, it } from 'vitest';
import { WORKLOADS, epochScale } from './workloads';

const workload = (id: string) => WORKLOADS.find((w) => w.id === id)!;

describe('per-op timing scaled to an epoch', () => {
  it('scales by rows: 2 timed batches of 64 stand for 1,000 rows, ×7.8125, not ×8', () => {
    const b = workload('b');
    expect(b.samples).toBe(1000);
    expect(b.batchSize).toBe(64);
    expect(epochScale(b, 2)).toBeCloseTo(1000 / 128, 12);
  });

  it('does not scale a fully timed epoch, short last batch included', () => {
    expect(epochScale(workload('b'), Infinity)).toBe(1);
    expect(epochScale(workload('b'), 16)).toBe(1);
    expect(epochScale(workload('a'), 2)).toBe(1); // one full batch of 200
  });
});
