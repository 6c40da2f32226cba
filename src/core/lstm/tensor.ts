/**
 * Minimal tensor plumbing for the pure core: flat typed arrays plus shapes, and conversion
 * to and from the nested arrays that PyTorch's JSON exports (and our CLI) use.
 */
export type FloatArray = Float64Array | Float32Array;
export type FloatArrayCtor = Float64ArrayConstructor | Float32ArrayConstructor;

/** A nested array of numbers of any depth, as JSON carries tensors. */
export type Nested = number | Nested[];

export function shapeOf(nested: unknown): number[] {
  const shape: number[] = [];
  let cur: unknown = nested;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  return shape;
}

/**
 * Flattens a nested array in row-major order, checking that it is rectangular and
 * numeric. Throws a plain Error whose message names the problem (used for user files).
 */
export function flatten(
  nested: unknown,
  ctor: FloatArrayCtor = Float64Array,
  what = 'array',
): { data: FloatArray; shape: number[] } {
  const shape = shapeOf(nested);
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new ctor(size);
  let k = 0;
  const walk = (node: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof node !== 'number' || !Number.isFinite(node)) {
        throw new Error(`${what} holds a value that is not a finite number (${String(node)})`);
      }
      data[k++] = node;
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      throw new Error(`${what} is not rectangular: expected shape [${shape.join(', ')}]`);
    }
    for (const child of node) walk(child, depth + 1);
  };
  walk(nested, 0);
  return { data, shape };
}

/** Rebuilds a nested array from a flat row-major buffer. */
export function toNested(data: ArrayLike<number>, shape: readonly number[], offset = 0): Nested {
  if (shape.length === 0) return data[offset];
  const [n, ...rest] = shape;
  const stride = rest.reduce((a, b) => a * b, 1);
  const out: Nested[] = new Array<Nested>(n);
  for (let i = 0; i < n; i++) out[i] = toNested(data, rest, offset + i * stride);
  return out;
}

/** Time-major [t][b][f] ↔ batch-major [b][t][f] transposition of a sequence batch. */
export function swapBatchTime<T extends FloatArray>(
  src: T,
  d0: number,
  d1: number,
  features: number,
): T {
  const out = new (src.constructor as { new (n: number): T })(src.length);
  for (let a = 0; a < d0; a++) {
    for (let b = 0; b < d1; b++) {
      const from = (a * d1 + b) * features;
      const to = (b * d0 + a) * features;
      for (let f = 0; f < features; f++) out[to + f] = src[from + f];
    }
  }
  return out;
}
