import { create } from 'zustand';
import type { StateDict } from '../core/index';

/**
 * What the Cell explorer steps through when another view sends it a model and an input: the
 * weights (any state_dict with LSTM keys) and one input sequence, [step][feature].
 */
export interface ExplorerSource {
  kind: 'stock' | 'digits' | 'import';
  label: string;
  stateDict: StateDict;
  input: number[][];
  featureNames?: string[];
}

export const useExplorerSource = create<{ source: ExplorerSource | null }>(() => ({
  source: null,
}));

/** Hands a model and a sequence to the explorer and switches to it. */
export function openInExplorer(source: ExplorerSource): void {
  useExplorerSource.setState({ source });
  location.hash = '#/explorer';
}
