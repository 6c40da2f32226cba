import { PIXELS, SIDE } from './packing';

/**
 * A drawing → an MNIST-like digit, the way MNIST itself was made: crop to the ink, scale the
 * longer side to 20 pixels (keeping the aspect), and place it in a 28×28 field so that its
 * centre of mass sits at the centre. Input: ink (0..1) on a square raster of `size`².
 */
export function mnistFromDrawing(ink: ArrayLike<number>, size: number): Float64Array {
  return mnistFromDrawingMapped(ink, size).image;
}

/** How the model's rows lie on the drawing: row r covers [top + (r − firstRow)·rowHeight, +rowHeight). */
export interface DrawingRows {
  top: number;
  rowHeight: number;
  firstRow: number;
}

/** The drawing's span (in its own pixels) that the model reads as row `row`, clamped to the pad. */
export function drawingRowSpan(
  rows: DrawingRows,
  row: number,
  size: number,
): { top: number; height: number } {
  const top = rows.top + (row - rows.firstRow) * rows.rowHeight;
  const clampedTop = Math.min(size - 1, Math.max(0, top));
  const bottom = Math.min(size, Math.max(clampedTop + 1, top + rows.rowHeight));
  return { top: clampedTop, height: bottom - clampedTop };
}

/** mnistFromDrawing, plus where each of the 28 rows the model reads lies on the drawing. */
export function mnistFromDrawingMapped(
  ink: ArrayLike<number>,
  size: number,
): { image: Float64Array; rows: DrawingRows } {
  let minX = size;
  let minY = size;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (ink[y * size + x] > 0.05) {
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
      }
    }
  }
  const out = new Float64Array(PIXELS);
  // Nothing drawn: the rows split the pad evenly.
  if (maxX < 0) return { image: out, rows: { top: 0, rowHeight: size / SIDE, firstRow: 0 } };
  const w = maxX - minX + 1;
  const h = maxY - minY + 1;
  const scale = 20 / Math.max(w, h);
  const bw = Math.max(1, Math.round(w * scale));
  const bh = Math.max(1, Math.round(h * scale));
  // Area-average the crop into a bw × bh box.
  const box = new Float64Array(bw * bh);
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      const x0 = minX + (bx * w) / bw;
      const x1 = minX + ((bx + 1) * w) / bw;
      const y0 = minY + (by * h) / bh;
      const y1 = minY + ((by + 1) * h) / bh;
      let sum = 0;
      let area = 0;
      for (let y = Math.floor(y0); y < Math.ceil(y1); y++) {
        const fy = Math.min(y + 1, y1) - Math.max(y, y0);
        for (let x = Math.floor(x0); x < Math.ceil(x1); x++) {
          const fx = Math.min(x + 1, x1) - Math.max(x, x0);
          sum += ink[y * size + x] * fx * fy;
          area += fx * fy;
        }
      }
      box[by * bw + bx] = area > 0 ? sum / area : 0;
    }
  }
  // Centre of mass of the box, then shift so it lands on (14, 14).
  let mass = 0;
  let cx = 0;
  let cy = 0;
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const v = box[y * bw + x];
      mass += v;
      cx += v * (x + 0.5);
      cy += v * (y + 0.5);
    }
  }
  const ox = Math.round(SIDE / 2 - (mass > 0 ? cx / mass : bw / 2));
  const oy = Math.round(SIDE / 2 - (mass > 0 ? cy / mass : bh / 2));
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const tx = x + ox;
      const ty = y + oy;
      if (tx >= 0 && tx < SIDE && ty >= 0 && ty < SIDE) {
        out[ty * SIDE + tx] = Math.min(1, box[y * bw + x]);
      }
    }
  }
  return { image: out, rows: { top: minY, rowHeight: h / bh, firstRow: oy } };
}
