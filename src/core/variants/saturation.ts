/**
 * What each gate learned, as Karpathy, Johnson and Fei-Fei plotted it ("Visualizing and
 * Understanding Recurrent Networks", 2015): for every unit and gate, the share of steps with
 * the gate below 0.1 (shut) and above 0.9 (open). A forget unit that is open nearly always
 * carries memory; one that is mostly shut forgets at every step.
 */
export const SHUT_BELOW = 0.1;
export const OPEN_ABOVE = 0.9;
/** A unit "stays" open or shut when it is so on at least this share of steps. */
export const MOSTLY = 0.9;

export interface SaturationDot {
  gate: string;
  unit: number;
  /** Share of steps with the gate < 0.1. */
  low: number;
  /** Share of steps with the gate > 0.9. */
  high: number;
}

export interface GateSaturation {
  gates: string[];
  hidden: number;
  /** Steps × samples each dot is measured over. */
  observations: number;
  dots: SaturationDot[];
}

/**
 * `values[gate]` holds the gate's activations in any layout whose fastest index is the unit
 * ([…][H]), as every forward in the core stores them.
 */
export function gateSaturation(
  values: Record<string, ArrayLike<number>>,
  gates: string[],
  hidden: number,
): GateSaturation {
  const n = values[gates[0]].length / hidden;
  const dots = gates.flatMap((gate) => {
    const v = values[gate];
    const low = new Float64Array(hidden);
    const high = new Float64Array(hidden);
    for (let j = 0; j < v.length; j++) {
      if (v[j] < SHUT_BELOW) low[j % hidden]++;
      else if (v[j] > OPEN_ABOVE) high[j % hidden]++;
    }
    return Array.from({ length: hidden }, (_, unit) => ({
      gate,
      unit,
      low: low[unit] / n,
      high: high[unit] / n,
    }));
  });
  return { gates, hidden, observations: n, dots };
}

/**
 * Counts for the i, f, o gates of a core LSTM layer, whose forward packs each step's activations
 * as rows of 4H (i, f, g, o). Sequences can be added one batch at a time (a page adds a few
 * between frames).
 */
export class PackedSaturationCounter {
  private readonly low: Float64Array;
  private readonly high: Float64Array;
  private rows = 0;

  constructor(readonly hidden: number) {
    this.low = new Float64Array(3 * hidden);
    this.high = new Float64Array(3 * hidden);
  }

  add(packed: ArrayLike<number>): void {
    const H = this.hidden;
    const rows = packed.length / (4 * H);
    for (let r = 0; r < rows; r++) {
      ([0, 1, 3] as const).forEach((k, g) => {
        for (let u = 0; u < H; u++) {
          const v = packed[(r * 4 + k) * H + u];
          if (v < SHUT_BELOW) this.low[g * H + u]++;
          else if (v > OPEN_ABOVE) this.high[g * H + u]++;
        }
      });
    }
    this.rows += rows;
  }

  result(): GateSaturation {
    const H = this.hidden;
    const n = Math.max(1, this.rows);
    const gates = ['i', 'f', 'o'];
    const dots = gates.flatMap((gate, g) =>
      Array.from({ length: H }, (_, unit) => ({
        gate,
        unit,
        low: this.low[g * H + unit] / n,
        high: this.high[g * H + unit] / n,
      })),
    );
    return { gates, hidden: H, observations: this.rows, dots };
  }
}

export function packedGateSaturation(packed: ArrayLike<number>, hidden: number): GateSaturation {
  const c = new PackedSaturationCounter(hidden);
  c.add(packed);
  return c.result();
}

/** Per gate: how many units stay open, stay shut, or switch (the plot's sentence). */
export function saturationSummary(
  s: GateSaturation,
): { gate: string; open: number; shut: number; total: number }[] {
  return s.gates.map((gate) => {
    const dots = s.dots.filter((d) => d.gate === gate);
    return {
      gate,
      open: dots.filter((d) => d.high >= MOSTLY).length,
      shut: dots.filter((d) => d.low >= MOSTLY).length,
      total: dots.length,
    };
  });
}
