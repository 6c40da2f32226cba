import { useMemo } from 'react';
import {
  layerMatrices,
  lstmFromStateDict,
  traceSequence,
  weightNames,
  type CellTrace,
  type LayerMatrices,
} from '../../core/index';
import { useExplorer } from '../../state/explorer';
import { useStockLab } from '../../state/stockLab';
import type { WeightNames } from './gateNames';

export interface Resolved {
  trace: CellTrace | null;
  layers: number;
  features?: string[];
  error: string | null;
  /** The traced layer's weights, as PyTorch lays them out, and what the file calls them. */
  matrices: LayerMatrices | null;
  names: WeightNames;
}

/** The weights and sequence of the current source, traced by the core. */
export function useTrace(): Resolved {
  const { mode, toy, linked, imported, snapshot, layer } = useExplorer();
  const liveWeights = useStockLab((s) => s.model?.stateDict);
  const snapshots = useStockLab((s) => s.snapshots);
  return useMemo(() => {
    let stateDict;
    let input: number[][];
    let features: string[] | undefined;
    if (mode === 'linked' && linked) {
      const followed =
        linked.kind === 'stock'
          ? snapshot !== null
            ? snapshots[snapshot]?.stateDict
            : liveWeights
          : undefined;
      stateDict = followed ?? linked.stateDict;
      input = linked.input;
      features = linked.featureNames;
    } else if (mode === 'import' && imported) {
      stateDict = imported.stateDict;
      input = imported.sequences[imported.sample];
      features = imported.features;
    } else {
      stateDict = toy.stateDict;
      input = toy.input;
      features = toy.features;
    }
    try {
      const lstm = lstmFromStateDict(stateDict);
      const l = Math.min(layer, lstm.layers.length - 1);
      return {
        trace: traceSequence(lstm, input, l),
        layers: lstm.layers.length,
        features,
        error: null,
        matrices: layerMatrices(lstm.layers[l]),
        names: weightNames(stateDict as Record<string, unknown>, l),
      };
    } catch (e) {
      return {
        trace: null,
        layers: 1,
        features,
        error: (e as Error).message,
        matrices: null,
        names: weightNames({}, 0),
      };
    }
  }, [mode, toy, linked, imported, snapshot, layer, liveWeights, snapshots]);
}
