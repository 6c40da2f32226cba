import { createLstm, lstmParams, type Lstm } from './lstm';
import type { Param } from './params';
import { flatten, toNested, type FloatArrayCtor, type Nested } from './tensor';

/** A PyTorch state_dict as JSON: parameter name → nested array. */
export type StateDict = Record<string, Nested>;

/** The notes' cell keeps two nn.Linear layers; their rows are the same i, f, g, o chunks. */
const SEED_CELL_KEY = /^(.*?)(x2h|h2h)\.(weight|bias)$/;
const SEED_TO_CELL: Record<string, string> = {
  'x2h.weight': 'weight_ih',
  'x2h.bias': 'bias_ih',
  'h2h.weight': 'weight_hh',
  'h2h.bias': 'bias_hh',
};

/**
 * Renames the seed cell's `x2h`/`h2h` keys to nn.LSTMCell's (`weight_ih`, `bias_ih`, …), keeping
 * any module prefix. `original` maps each renamed key back, so results can use the file's names.
 */
export function canonicalStateDict(sd: unknown): {
  dict: Record<string, unknown>;
  original: Map<string, string>;
} {
  if (typeof sd !== 'object' || sd === null || Array.isArray(sd)) {
    throw new Error('a state_dict must be a JSON object of parameter names to arrays');
  }
  const dict: Record<string, unknown> = {};
  const original = new Map<string, string>();
  for (const [key, value] of Object.entries(sd)) {
    const m = SEED_CELL_KEY.exec(key);
    if (m && (m[1] === '' || m[1].endsWith('.'))) {
      const name = `${m[1]}${SEED_TO_CELL[`${m[2]}.${m[3]}`]}`;
      if (name in sd) throw new Error(`the state_dict holds both "${key}" and "${name}"`);
      dict[name] = value;
      original.set(name, key);
    } else {
      dict[key] = value;
    }
  }
  return { dict, original };
}

/** True when a JSON object looks like LSTM weights in any of the names we read. */
export function hasLstmKeys(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  return Object.keys(v).some((k) => /(^|\.)(weight_ih(_l\d+)?|x2h\.weight)$/.test(k));
}

const LSTM_KEY = /^(.*?)(weight_ih|weight_hh|bias_ih|bias_hh)(?:_l(\d+))?$/;

/**
 * Builds an LSTM from a PyTorch state_dict: an nn.LSTMCell (`weight_ih`, …) or an nn.LSTM
 * (`weight_ih_l0`, … for any number of layers) or the seed notes' cell (`x2h.*`, `h2h.*`). Keys may carry a module prefix such as
 * `lstm.` (a whole model's state_dict); other modules' keys are ignored. Shapes are checked
 * and every problem is reported as one sentence.
 */
export function lstmFromStateDict(sd: unknown, ctor: FloatArrayCtor = Float64Array): Lstm {
  const { dict, original } = canonicalStateDict(sd);
  // A file in the seed's names hears about its own names in errors.
  const CELL_TO_SEED = Object.fromEntries(Object.entries(SEED_TO_CELL).map(([a, b]) => [b, a]));
  const shown = (key: string) =>
    original.size > 0 ? key.replace(/(weight|bias)_(ih|hh)$/, (n) => CELL_TO_SEED[n] ?? n) : key;
  const found = new Map<string, { prefix: string; name: string; layer: number | null }>();
  for (const key of Object.keys(dict)) {
    const m = LSTM_KEY.exec(key);
    if (m && !m[1].includes('weight') && (m[1] === '' || m[1].endsWith('.'))) {
      found.set(key, { prefix: m[1], name: m[2], layer: m[3] === undefined ? null : Number(m[3]) });
    }
  }
  if (found.size === 0) {
    throw new Error('no LSTM weights found: expected keys weight_ih / weight_ih_l0 and the like');
  }
  const prefixes = new Set([...found.values()].map((v) => v.prefix));
  if (prefixes.size > 1) {
    throw new Error(`the state_dict holds more than one LSTM (${[...prefixes].join(', ')})`);
  }
  const prefix = [...prefixes][0];
  const isCell = [...found.values()].every((v) => v.layer === null);
  if (!isCell && [...found.values()].some((v) => v.layer === null)) {
    throw new Error(
      'the state_dict mixes LSTMCell keys (weight_ih) with nn.LSTM keys (weight_ih_l0)',
    );
  }
  const numLayers = isCell ? 1 : Math.max(...[...found.values()].map((v) => v.layer ?? 0)) + 1;
  const read = (key: string) => {
    if (!(key in dict)) throw new Error(`the state_dict is missing "${shown(key)}"`);
    return flatten(dict[key], ctor, `"${shown(key)}"`);
  };
  const suffix = (l: number) => (isCell ? '' : `_l${l}`);
  const wih0 = read(`${prefix}weight_ih${suffix(0)}`);
  const whh0 = read(`${prefix}weight_hh${suffix(0)}`);
  if (wih0.shape.length !== 2 || whh0.shape.length !== 2 || whh0.shape[0] !== 4 * whh0.shape[1]) {
    throw new Error(
      `"${shown(`${prefix}weight_hh${suffix(0)}`)}" must be 4H × H; got [${whh0.shape.join(', ')}]`,
    );
  }
  const hiddenSize = whh0.shape[1];
  const lstm = createLstm({
    inputSize: wih0.shape[1],
    hiddenSize,
    numLayers,
    flavour: isCell ? 'cell' : 'lstm',
    ctor,
    namePrefix: prefix,
  });
  for (const p of lstmParams(lstm)) {
    const { data, shape } = read(p.name);
    if (shape.length !== p.shape.length || shape.some((s, j) => s !== p.shape[j])) {
      throw new Error(
        `"${shown(p.name)}" has shape [${shape.join(', ')}] but [${p.shape.join(', ')}] was expected`,
      );
    }
    p.value.set(data);
  }
  return lstm;
}

/** Writes parameters back as a PyTorch-style state_dict (nested arrays, PyTorch names). */
export function paramsToStateDict(params: readonly Param[]): StateDict {
  const out: StateDict = {};
  for (const p of params) out[p.name] = toNested(p.value, p.shape);
  return out;
}

/** Loads values for the given params from a state_dict, checking names and shapes. */
export function loadParamsFromStateDict(params: readonly Param[], sd: unknown): void {
  if (typeof sd !== 'object' || sd === null) throw new Error('a state_dict must be a JSON object');
  const dict = sd as Record<string, unknown>;
  for (const p of params) {
    if (!(p.name in dict)) throw new Error(`the state_dict is missing "${p.name}"`);
    const ctor = p.value.constructor as FloatArrayCtor;
    const { data, shape } = flatten(dict[p.name], ctor, `"${p.name}"`);
    if (data.length !== p.value.length || shape.length !== p.shape.length) {
      throw new Error(
        `"${p.name}" has shape [${shape.join(', ')}] but [${p.shape.join(', ')}] was expected`,
      );
    }
    p.value.set(data);
  }
}

export function lstmToStateDict(lstm: Lstm): StateDict {
  return paramsToStateDict(lstmParams(lstm));
}
