import { describe, expect, it } from 'vitest';
import { traceSequence } from '../explorer/trace';
import { classifierPredict, stepSaliency } from '../lstm/models';
import { createDigitModel, misreadGallery } from './classifierTrainer';
import { drawingRowSpan, mnistFromDrawing, mnistFromDrawingMapped } from './preprocess';
import { readDigit } from './read';

describe('mnistFromDrawing', () => {
  it('scales a stroke into the 20-pixel box and centres it by mass', () => {
    const size = 280;
    const ink = new Float64Array(size * size);
    // A vertical bar drawn off-centre, near the top left.
    for (let y = 20; y < 200; y++) for (let x = 40; x < 60; x++) ink[y * size + x] = 1;
    const img = mnistFromDrawing(ink, size);
    const rows = [...Array(28).keys()].filter((y) =>
      img.slice(y * 28, y * 28 + 28).some((v) => v > 0.5),
    );
    expect(rows.length).toBe(20);
    let mass = 0;
    let cx = 0;
    let cy = 0;
    img.forEach((v, p) => {
      mass += v;
      cx += v * ((p % 28) + 0.5);
      cy += v * (Math.floor(p / 28) + 0.5);
    });
    expect(Math.abs(cx / mass - 14)).toBeLessThanOrEqual(0.6);
    expect(Math.abs(cy / mass - 14)).toBeLessThanOrEqual(0.6);
    expect(Math.max(...img)).toBeLessThanOrEqual(1);
  });
  it('gives an empty image for an empty pad', () => {
    expect(mnistFromDrawing(new Float64Array(100), 10).every((v) => v === 0)).toBe(true);
  });
});

describe('readDigit', () => {
  it('ends with exactly the classifier’s own probabilities, after 28 rows', () => {
    const model = createDigitModel(12, 3, Float64Array);
    const image = Float64Array.from({ length: 784 }, (_, p) => ((p * 37) % 11) / 10);
    const r = readDigit(model, image);
    expect(r.probs).toHaveLength(28);
    expect(r.rows).toHaveLength(28);
    const data = Float64Array.from(image, (v) => v - 0.5);
    const direct = classifierPredict(model, { data, batch: 1, time: 28, features: 28 });
    r.probs[27].forEach((v, k) => expect(v).toBeCloseTo(direct[k], 12));
    r.probs.forEach((p) => expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12));
    expect(r.predicted).toBe(r.probs[27].indexOf(Math.max(...r.probs[27])));
    // The trace and the saliency share one forward pass: both equal their own computations.
    const x = { data, batch: 1, time: 28, features: 28 };
    expect(r.rowSaliency).toEqual(stepSaliency(model, x, () => r.predicted)[0]);
    const rows = Array.from({ length: 28 }, (_, t) =>
      Array.from(data.subarray(t * 28, t * 28 + 28)),
    );
    expect(r.rows).toEqual(traceSequence(model.lstm, rows, model.lstm.layers.length - 1).steps);
  });
});

describe('the misread gallery', () => {
  it('shows the first misread of each true digit, one per digit (as its title says)', () => {
    // 30 misread zeros, then one misread 3 and two misread 7s.
    const actual = [...new Array(30).fill(0), 3, 7, 7];
    const wrong = actual.map((_, k) => ({ k, predicted: 9 }));
    const g = misreadGallery(wrong, actual);
    expect(g.map((w) => actual[w.k])).toEqual([0, 3, 7]);
    expect(g.map((w) => w.k)).toEqual([0, 30, 31]);
    expect(misreadGallery([], actual)).toEqual([]);
  });
});

describe('where the model’s rows lie on a drawing', () => {
  it('maps each row back to the drawn pixels it was made from', () => {
    const size = 280;
    const ink = new Float64Array(size * size);
    // A bar 100 px tall (rows 90–189) and 20 px wide: scaled ×0.2 to 20 rows.
    for (let y = 90; y < 190; y++) for (let x = 130; x < 150; x++) ink[y * size + x] = 1;
    const { image, rows } = mnistFromDrawingMapped(ink, size);
    expect(rows.rowHeight).toBeCloseTo(5, 9);
    // The first model row with ink begins where the drawing's ink begins.
    const firstInk = [...Array(28).keys()].find((r) =>
      image.subarray(r * 28, r * 28 + 28).some((v) => v > 0),
    )!;
    expect(drawingRowSpan(rows, firstInk, size).top).toBeCloseTo(90, 9);
    expect(drawingRowSpan(rows, firstInk + 19, size).top).toBeCloseTo(185, 9);
    // Rows above the drawing are clamped to the pad, never off it.
    expect(drawingRowSpan(rows, 0, size).top).toBeGreaterThanOrEqual(0);
    expect(
      drawingRowSpan(rows, 27, size).top + drawingRowSpan(rows, 27, size).height,
    ).toBeLessThanOrEqual(size);
  });
});
