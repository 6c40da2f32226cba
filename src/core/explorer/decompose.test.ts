import { describe, expect, it } from 'vitest';
import { loadModelsGolden } from '../../test/shared';
import { lstmFromStateDict } from '../lstm/stateDict';
import { GATE_KEYS, layerMatrices, roundToSum, splitPreActivation, weightNames } from './decompose';
import { LESSONS } from './lessons';
import { memoryStory, withForgetGate } from './toyStory';
import { traceSequence } from './trace';

describe('splitPreActivation', () => {
  it('W_ih·x + W_hh·h + b_ih + b_hh is the pre-activation PyTorch computed, for every gate, unit and step of the seed’s x2h/h2h cell', () => {
    const g = loadModelsGolden().seed_digit_model;
    const lstm = lstmFromStateDict(g.state_dict);
    const m = layerMatrices(lstm.layers[0]);
    expect(m.weightIh).toHaveLength(16); // 4H × In: four gates share one matrix product
    expect(m.weightIh[0]).toHaveLength(5);
    expect(m.weightHh[0]).toHaveLength(4);
    const input = Array.from({ length: 6 }, (_, t) =>
      Array.from({ length: 5 }, (_, k) => Math.sin(1 + t * 5 + k)),
    );
    const trace = traceSequence(lstm, input);
    for (const step of trace.steps) {
      for (const gate of GATE_KEYS) {
        for (let u = 0; u < 4; u++) {
          const s = splitPreActivation(m, step, gate, u);
          expect(s.row).toBe(GATE_KEYS.indexOf(gate) * 4 + u);
          expect(s.z).toBeCloseTo(step.pre[gate][u], 12);
          expect(s.input.map((t) => t.product).reduce((a, b) => a + b)).toBeCloseTo(s.inputSum, 14);
          expect(s.hidden[2]).toMatchObject({
            weight: m.weightHh[s.row][2],
            value: step.hPrev[2],
          });
        }
      }
    }
  });
});

describe('roundToSum', () => {
  it('rounded parts add up to the rounded total, where plain rounding would be off by 0.001', () => {
    const parts = [0.1234, 0.1234, 0.1234, 0.0004];
    const naive = parts.map((p) => Math.round(p * 1000) / 1000);
    const total = parts.reduce((a, b) => a + b);
    expect(Math.round(naive.reduce((a, b) => a + b) * 1000)).not.toBe(Math.round(total * 1000));
    const r = roundToSum(parts, 3);
    expect(r.total).toBe(0.371);
    expect(Math.round(r.parts.reduce((a, b) => a + b) * 1000)).toBe(371);
    r.parts.forEach((p, k) => expect(Math.abs(p - parts[k])).toBeLessThan(0.001));
  });

  it('handles negative parts', () => {
    const r = roundToSum([-1.2344, 0.5551, -0.0004], 3);
    expect(r.total).toBe(-0.68);
    expect(Math.round(r.parts.reduce((a, b) => a + b) * 1000)).toBe(-680);
  });
});

describe('memoryStory and the forget presets', () => {
  const remember = LESSONS.remember;
  const story = (f: number) => {
    const sd = withForgetGate(remember.stateDict, 0, f);
    return memoryStory(traceSequence(lstmFromStateDict(sd), remember.input), 0);
  };

  it('forget ≈ 0.9 keeps c: f is 0.9 at every step and 0.9⁵ of c survives five steps', () => {
    const s = story(0.9);
    expect(s.minF).toBeCloseTo(0.9, 3);
    expect(s.maxF).toBeCloseTo(0.9, 3);
    expect(s.kept).toBeCloseTo(0.9 ** 5, 3);
    expect(s.verdict).toBe('kept');
  });

  it('forget ≈ 0.1 lets c fade: 0.1⁵ survives', () => {
    const s = story(0.1);
    expect(s.kept).toBeCloseTo(1e-5, 6);
    expect(s.verdict).toBe('fades');
  });

  it('the lesson as shipped writes at step 0 only, and keeps what it wrote', () => {
    const s = memoryStory(traceSequence(lstmFromStateDict(remember.stateDict), remember.input), 0);
    expect(s.writes).toEqual([0]);
    expect(s.verdict).toBe('kept');
  });
});

describe('weightNames', () => {
  it('calls the tensors what the file does: the seed’s x2h/h2h, or PyTorch’s per layer', () => {
    expect(weightNames({ 'lstm.x2h.weight': 0, 'lstm.h2h.weight': 0 }, 0)).toEqual({
      ih: 'lstm.x2h.weight',
      hh: 'lstm.h2h.weight',
      bih: 'lstm.x2h.bias',
      bhh: 'lstm.h2h.bias',
    });
    expect(weightNames({ 'lstm.weight_ih_l0': 0 }, 1).hh).toBe('lstm.weight_hh_l1');
    expect(weightNames({ weight_ih: 0 }, 0).ih).toBe('weight_ih');
  });
});
