import { describe, expect, it } from 'vitest';
import { loadGolden, loadModelsGolden, readShared } from '../../test/shared';
import { lstmFromStateDict } from '../lstm/stateDict';
import { findStateDict, sequenceFromCsv, sequencesFromJson } from './io';
import { LESSONS, resizeToyCell } from './lessons';
import { traceSequence } from './trace';

const golden = loadGolden();

describe('findStateDict', () => {
  it('finds the seed notes’ x2h/h2h cell inside a whole model file', () => {
    const g = loadModelsGolden().seed_digit_model;
    const found = findStateDict({ model: { state_dict: g.state_dict } });
    expect(found?.path).toBe('model.state_dict');
    const lstm = lstmFromStateDict(found!.stateDict);
    expect(lstm.layers[0]).toMatchObject({ inputSize: 5, hiddenSize: 4 });
  });
});

describe('traceSequence', () => {
  it('matches PyTorch for every gate of the LSTMCell, step by step', () => {
    const lstm = lstmFromStateDict(golden.lstm_cell.state_dict);
    for (const sample of [0, 1]) {
      const trace = traceSequence(lstm, golden.input[sample]);
      expect(trace.steps).toHaveLength(4);
      golden.lstm_cell.steps.forEach((ref: Record<string, number[][]>, t: number) => {
        for (const k of ['i', 'f', 'g', 'o', 'c', 'h'] as const) {
          trace.steps[t][k].forEach((v, u) => expect(v).toBeCloseTo(ref[k][sample][u], 12));
        }
        const pre = ref.pre[sample];
        trace.steps[t].pre.f.forEach((v, u) => expect(v).toBeCloseTo(pre[3 + u], 12));
      });
      // The previous state of step t is the state step t−1 produced.
      expect(trace.steps[2].cPrev).toEqual(trace.steps[1].c);
      expect(trace.steps[0].hPrev).toEqual([0, 0, 0]);
    }
  });

  it('reads the second layer of a stacked nn.LSTM, fed by the first layer’s h', () => {
    const lstm = lstmFromStateDict(golden.lstm.state_dict);
    const trace = traceSequence(lstm, golden.input[0], 1);
    const ref = golden.lstm.layers[1].steps;
    trace.steps.forEach((s, t) => s.h.forEach((v, u) => expect(v).toBeCloseTo(ref[t].h[0][u], 12)));
    const below = traceSequence(lstm, golden.input[0], 0);
    expect(trace.steps[3].x).toEqual(below.steps[3].h);
  });

  it('refuses inputs of the wrong width with one sentence', () => {
    const lstm = lstmFromStateDict(golden.lstm_cell.state_dict);
    expect(() => traceSequence(lstm, [[1, 2]])).toThrow(/step 0 has 2 values but the LSTM reads 5/);
    expect(() => traceSequence(lstm, golden.input[0], 3)).toThrow(/no layer 3/);
  });
});

describe('lessons', () => {
  const run = (id: keyof typeof LESSONS) => {
    const l = LESSONS[id];
    return traceSequence(lstmFromStateDict(l.stateDict), l.input);
  };
  it('remember: the first value is written once and kept to the end', () => {
    const s = run('remember').steps;
    expect(s[0].i[0]).toBeGreaterThan(0.99);
    for (const step of s.slice(1)) expect(step.i[0]).toBeLessThan(0.01);
    expect(s[s.length - 1].c[0]).toBeGreaterThan(0.9 * s[0].c[0]);
    expect(s[0].c[0]).toBeGreaterThan(0.75);
  });
  it('ignore noise: small inputs leave c near 0, the spike is written', () => {
    const s = run('ignoreNoise').steps;
    expect(Math.abs(s[2].c[0])).toBeLessThan(0.02);
    expect(s[3].c[0]).toBeGreaterThan(0.8);
    expect(s[6].c[0]).toBeGreaterThan(0.8);
  });
  it('count: c rises by about the same amount at every 1 and holds at every 0', () => {
    const s = run('count').steps;
    const ones = LESSONS.count.input.map((r) => r[0]);
    const deltas = s.map((step) => step.c[0] - step.cPrev[0]);
    deltas.forEach((d, t) => {
      if (ones[t] === 1) expect(d).toBeGreaterThan(0.15);
      else expect(Math.abs(d)).toBeLessThan(0.01);
    });
  });
});

describe('explorer imports', () => {
  it('finds the LSTMCell state_dict and the input inside the golden file', () => {
    const found = findStateDict(golden);
    expect(found?.path).toBe('lstm_cell.state_dict');
    const seqs = sequencesFromJson(golden)!;
    expect(seqs).toHaveLength(2);
    expect(seqs[0]).toHaveLength(4);
    expect(seqs[0][0]).toHaveLength(5);
  });
  it('reads one sequence from JSON or CSV', () => {
    expect(
      sequencesFromJson([
        [1, 2],
        [3, 4],
      ]),
    ).toEqual([
      [
        [1, 2],
        [3, 4],
      ],
    ]);
    expect(sequencesFromJson([1, 2, 3])).toEqual([[[1], [2], [3]]]);
    expect(() => sequencesFromJson([[1, 'x']])).toThrow(/not a finite number/);
    const csv = sequenceFromCsv(readShared('data', 'SBUX.csv'));
    expect(csv.features).toEqual(['Open', 'High', 'Low', 'Close', 'Adj Close', 'Volume']);
    expect(csv.input).toHaveLength(253);
  });
});

describe('resizeToyCell', () => {
  it('keeps existing weights per gate block and adds seeded new ones', () => {
    const sd = LESSONS.remember.stateDict;
    const big = resizeToyCell(sd, 3, 2);
    expect(big.weight_ih).toHaveLength(12);
    expect((big.weight_hh as number[][])[0]).toHaveLength(3);
    // Gate f of unit 0 is row 3 now (block f starts at H = 3); it keeps the lesson's values.
    expect((big.bias_ih as number[])[3]).toBe((sd.bias_ih as number[])[1]);
    expect((big.weight_ih as number[][])[6]).toEqual((sd.weight_ih as number[][])[2]);
    expect(resizeToyCell(sd, 3, 2)).toEqual(big);
    const back = resizeToyCell(big, 1, 2);
    expect(back.weight_ih).toEqual(sd.weight_ih);
    expect(() => lstmFromStateDict(big)).not.toThrow();
  });
});
