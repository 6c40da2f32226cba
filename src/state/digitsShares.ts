import type { DigitsState } from './digits';

/**
 * The store without its training run, for the pad and the reading: they need not redraw on every
 * progress message (ten a second while a model trains). Use with `useShallow`.
 */
export function withoutTraining(s: DigitsState): Omit<DigitsState, 'train'> {
  const rest: Partial<DigitsState> = { ...s };
  delete rest.train;
  return rest as Omit<DigitsState, 'train'>;
}

/** The training card's share of the store: the run, the digits it reads and its actions. */
export const trainingShare = (s: DigitsState) => ({
  train: s.train,
  data: s.data,
  test: s.test,
  startTraining: s.startTraining,
  pause: s.pause,
  resume: s.resume,
  stop: s.stop,
  pickTest: s.pickTest,
  useTrainedModel: s.useTrainedModel,
});
