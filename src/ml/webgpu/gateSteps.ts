/** Per step, per layer: every unit's gates i, f, g, o and its c and h. */
export type GateSteps = {
  i: number[];
  f: number[];
  g: number[];
  o: number[];
  c: number[];
  h: number[];
}[][];
