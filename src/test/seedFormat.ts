import type { StateDict } from '../core/index';

/**
 * The app's digit model written the way the seed notes' PyTorch `LSTMModel` saves itself:
 * their hand-written cell keeps x2h / h2h Linear layers (same i, f, g, o rows).
 */
export function toSeedDigitStateDict(sd: StateDict): StateDict {
  return {
    'lstm.x2h.weight': sd['lstm.weight_ih_l0'],
    'lstm.x2h.bias': sd['lstm.bias_ih_l0'],
    'lstm.h2h.weight': sd['lstm.weight_hh_l0'],
    'lstm.h2h.bias': sd['lstm.bias_hh_l0'],
    'fc.weight': sd['fc.weight'],
    'fc.bias': sd['fc.bias'],
  };
}
