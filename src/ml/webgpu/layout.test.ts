import { describe, expect, it } from 'vitest';
import type { TfModel } from '../tfLstm';
import { FUSED_HEAD_MAX_WIDTH, headWorkgroupFloats, stepShape, wideHeadRefusal } from './layout';

/** Just the shapes stepShape reads from a model. */
function model(
  kind: 'regressor' | 'classifier',
  inputSize: number,
  hidden: number[],
  head: [number, number][],
) {
  let In = inputSize;
  const layers = hidden.map((H) => {
    const l = { inputSize: In, hiddenSize: H };
    In = H;
    return l;
  });
  return {
    kind,
    layers,
    head: head.map(([i, o]) => ({ kernel: { size: i * o, shape: [i, o] }, bias: { size: o } })),
  } as unknown as TfModel;
}

describe('the fused step’s flat parameter buffer', () => {
  it('lays out W_ih, W_hh, b_ih, b_hh per layer, then the head, as PyTorch counts them', () => {
    // The seed's stock model: 5 inputs, hidden 2, fc_1 2→128, fc 128→1.
    const s = stepShape(
      model(
        'regressor',
        5,
        [2],
        [
          [2, 128],
          [128, 1],
        ],
      ),
      1,
      200,
    )!;
    const [l0] = s.layers;
    expect([l0.wIh, l0.wHh, l0.bIh, l0.bHh]).toEqual([0, 40, 56, 64]);
    expect(s.head).toBe(72);
    expect(s.N).toBe(72 + 2 * 128 + 128 + 128 + 1);
    expect(s.Np % 4).toBe(0);
    expect(s.Np - s.N).toBeLessThan(4);
    expect(s.width).toBe(128);
  });

  it('stacks layers: each one reads the one below (In = H of the layer under it)', () => {
    const s = stepShape(model('classifier', 28, [16, 8, 8], [[8, 10]]), 28, 64)!;
    expect(s.layers.map((l) => [l.In, l.H])).toEqual([
      [28, 16],
      [16, 8],
      [8, 8],
    ]);
    for (let k = 1; k < 3; k++)
      expect(s.layers[k].wIh).toBe(s.layers[k - 1].bHh + 4 * s.layers[k - 1].H);
    expect(s.head).toBe(s.layers[2].bHh + 32);
  });

  it('has no fused step for a head wider than the 16 KB of workgroup memory (an imported wide fc_1)', () => {
    expect(
      stepShape(
        model(
          'regressor',
          5,
          [16],
          [
            [16, 2015],
            [2015, 1],
          ],
        ),
        20,
        32,
      ),
    ).not.toBeNull();
    expect(
      stepShape(
        model(
          'regressor',
          5,
          [16],
          [
            [16, 2016],
            [2016, 1],
          ],
        ),
        20,
        32,
      ),
    ).toBeNull();
    expect(headWorkgroupFloats(2015) * 4).toBeLessThanOrEqual(16 * 1024);
    expect(headWorkgroupFloats(2016) * 4).toBeGreaterThan(16 * 1024);
    // The refusal the UI puts into words names both widths.
    expect(FUSED_HEAD_MAX_WIDTH).toBe(2015);
    const wide = model(
      'regressor',
      5,
      [16],
      [
        [16, 2016],
        [2016, 1],
      ],
    );
    expect(wideHeadRefusal(wide)).toEqual({ width: 2016, max: 2015 });
    expect(
      wideHeadRefusal(
        model(
          'regressor',
          5,
          [16],
          [
            [16, 2015],
            [2015, 1],
          ],
        ),
      ),
    ).toBeNull();
  });

  it('has no fused step for a bare LSTM (no head) or a layer too wide for the workgroup', () => {
    expect(
      stepShape({ kind: 'lstm', layers: [], head: [] } as unknown as TfModel, 4, 2),
    ).toBeNull();
    expect(stepShape(model('regressor', 5, [4096], [[4096, 1]]), 4, 2)).toBeNull();
  });
});
