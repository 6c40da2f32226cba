import type { GateKey } from '../../core/index';
import type { GateName } from '../../components/GatePalette';

/** The core's gate letters (PyTorch's row blocks i, f, g, o) → the palette's gate names. */
export const GATE_NAME: Record<GateKey, GateName> = {
  i: 'input',
  f: 'forget',
  g: 'candidate',
  o: 'output',
};
