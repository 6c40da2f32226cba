import type { TFunction } from 'i18next';
import { openInExplorer } from '../../state/explorer';
import type { RunView, SavedModel } from '../../state/stockLab';

/** Opens the Stock lab's model on the window whose gates are shown, at a unit and layer. */
export function openWindowInExplorer(
  t: TFunction,
  run: RunView,
  model: SavedModel,
  at: { unit?: number; layer?: number } = {},
): void {
  const gates = run.gates;
  if (!gates) return;
  const date = run.series?.dates?.[gates.sample];
  const day = date !== undefined ? new Date(date).toISOString().slice(0, 10) : '';
  const window = { k: gates.sample + 1, date: day };
  openInExplorer(
    {
      kind: 'stock',
      label: t('stock.gates.sourceLabel', { ...window, epoch: model.epoch }),
      stateDict: model.stateDict,
      input: gates.input,
      featureNames: run.series?.features,
      window,
    },
    at,
  );
}
