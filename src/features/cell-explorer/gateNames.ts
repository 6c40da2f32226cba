import type { GateKey } from '../../core/index';
import type { GateName } from '../../components/GatePalette';

/** What the file calls a layer's four tensors (`lstm.x2h.weight`, `weight_ih_l0`, …). */
export interface WeightNames {
  ih: string;
  hh: string;
  bih: string;
  bhh: string;
}

/** The core's gate letters (PyTorch's row blocks i, f, g, o) → the palette's gate names. */
export const GATE_NAME: Record<GateKey, GateName> = {
  i: 'input',
  f: 'forget',
  g: 'candidate',
  o: 'output',
};
