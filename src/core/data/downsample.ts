/**
 * Which points of a long series to draw: Largest-Triangle-Three-Buckets keeps the shape (peaks,
 * crashes) of 10⁵ points in a few hundred, so charts stay smooth while a model trains. Returns
 * indices, so companion series (predictions, dates) are picked at the same places.
 */
export function lttbIndices(values: ArrayLike<number>, maxPoints: number): number[] {
  const n = values.length;
  if (maxPoints >= n || maxPoints < 3) return Array.from({ length: n }, (_, k) => k);
  const out = [0];
  const bucket = (n - 2) / (maxPoints - 2);
  let a = 0;
  for (let b = 0; b < maxPoints - 2; b++) {
    const start = Math.floor(b * bucket) + 1;
    const end = Math.min(n - 1, Math.floor((b + 1) * bucket) + 1);
    // Average of the next bucket: the third corner of the triangle.
    const nStart = end;
    const nEnd = Math.min(n, Math.floor((b + 2) * bucket) + 1);
    let avgX = 0;
    let avgY = 0;
    let count = 0;
    for (let k = nStart; k < nEnd; k++) {
      if (!Number.isFinite(values[k])) continue;
      avgX += k;
      avgY += values[k];
      count++;
    }
    if (count === 0) {
      avgX = nStart;
      avgY = Number.isFinite(values[a]) ? values[a] : 0;
    } else {
      avgX /= count;
      avgY /= count;
    }
    let best = start;
    let bestArea = -1;
    const ay = Number.isFinite(values[a]) ? values[a] : avgY;
    for (let k = start; k < end; k++) {
      const y = Number.isFinite(values[k]) ? values[k] : ay;
      const area = Math.abs((a - avgX) * (y - ay) - (a - k) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = k;
      }
    }
    out.push(best);
    a = best;
  }
  out.push(n - 1);
  return out;
}
