/**
 * A small seeded PRNG (mulberry32) so that weights, splits and generated tasks are
 * reproducible from a seed in the browser, the worker and Node alike.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  uniform(lo: number, hi: number): number;
  /** Standard normal via Box–Muller. */
  normal(): number;
  /** Integer in [0, n). */
  int(n: number): number;
}

export function createRng(seed: number): Rng {
  let state = seed >>> 0 || 0x9e3779b9;
  let spare: number | null = null;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    int: (n) => Math.floor(next() * n),
    normal: () => {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
  };
}

/** Fisher–Yates in place, from the last element down (so a seed gives the same order everywhere). */
export function shuffleInPlace<A extends { length: number; [k: number]: number }>(
  a: A,
  rng: Rng,
): A {
  for (let k = a.length - 1; k > 0; k--) {
    const j = rng.int(k + 1);
    const t = a[k];
    a[k] = a[j];
    a[j] = t;
  }
  return a;
}
