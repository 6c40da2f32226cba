/**
 * Where the parts sit. The wide drawing is 800 units across; on a phone the same cell is drawn
 * 440 across (narrower gates, closer together), so it fits the screen with labels that stay
 * readable instead of hiding σo, c_t and h_t behind a sideways scroll.
 */
export interface Geometry {
  width: number;
  gateW: number;
  /** Gate columns f, i, g, o; the output's tanh/× column; where h turns down; the x_t wire. */
  f: number;
  i: number;
  g: number;
  o: number;
  tanh: number;
  hBend: number;
  xIn: number;
  body: { x: number; w: number };
  /** Where f·c_{t−1} and i·g are written. */
  fcNote: { x: number; y: number };
  igNote: { x: number; y: number };
  /** Where tanh(c_t) is written, and whether the text ends there. */
  tanhNote: { x: number; y: number; end: boolean };
}

export const WIDE: Geometry = {
  width: 800,
  gateW: 92,
  f: 230,
  i: 330,
  g: 430,
  o: 560,
  tanh: 640,
  hBend: 720,
  xIn: 150,
  body: { x: 70, w: 620 },
  fcNote: { x: 300, y: 118 },
  igNote: { x: 490, y: 160 },
  tanhNote: { x: 676, y: 145, end: false },
};

export const COMPACT: Geometry = {
  width: 440,
  gateW: 64,
  f: 140,
  i: 210,
  g: 280,
  o: 350,
  tanh: 400,
  hBend: 428,
  xIn: 40,
  body: { x: 28, w: 388 },
  fcNote: { x: 8, y: 124 },
  igNote: { x: 296, y: 150 },
  tanhNote: { x: 366, y: 184, end: true },
};
