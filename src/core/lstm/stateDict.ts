import { createLstm, lstmParams, type Lstm } from './lstm';
import type { Param } from './params';
import { flatten, toNested, type FloatArrayCtor, type Nested } from './tensor';

/** A PyTorch state_dict as JSON: parameter name → nested array. */
export type StateDict = Record<string, Nested>;

const LSTM_KEY = /^(.*?)(weight_ih|weight_hh|bias_ih|bias_hh)(?:_l(\d+))?$/;

/**
 * Builds an LSTM from a PyTorch state_dict: an nn.LSTMCell (`weight_ih`, …) or an nn.LSTM
 * (`weight_ih_l0`, … for any number of layers). Keys may carry a module prefix such as
 * `lstm.` (a whole model's state_dict); other modules' keys are ignored. Shapes are checked
 * and every problem is reported as one sentence.
 */
export function lstmFromStateDict(sd: unknown, ctor: FloatArrayCtor = Float64Array): Lstm {
  if (typeof sd !== 'object' || sd === null || Array.isArray(sd)) {
    throw new Error('a state_dict must be a JSON object of parameter names to arrays');
  }
  const dict = sd as Record<string, unknown>;
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
    if (!(key in dict)) throw new Error(`the state_dict is missing "${key}"`);
    return flatten(dict[key], ctor, `"${key}"`);
  };
  const suffix = (l: number) => (isCell ? '' : `_l${l}`);
  const wih0 = read(`${prefix}weight_ih${suffix(0)}`);
  const whh0 = read(`${prefix}weight_hh${suffix(0)}`);
  if (wih0.shape.length !== 2 || whh0.shape.length !== 2 || whh0.shape[0] !== 4 * whh0.shape[1]) {
    throw new Error(
      `"${prefix}weight_hh${suffix(0)}" must be 4H × H; got [${whh0.shape.join(', ')}]`,
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
        `"${p.name}" has shape [${shape.join(', ')}] but [${p.shape.join(', ')}] was expected`,
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
