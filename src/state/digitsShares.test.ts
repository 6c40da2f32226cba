import { describe, expect, it } from 'vitest';
import { shallow } from 'zustand/shallow';
import type { DigitsState, TrainView } from './digits';
import { trainingShare, withoutTraining } from './digitsShares';
import { DIGIT_LESSON } from '../core/index';

/** A run's progress as the store holds it, in part: the selectors pass it on whole. */
const run = (batch: number) =>
  ({ runId: 1, status: 'running', config: DIGIT_LESSON, epoch: 1, batch }) as TrainView;

const noop = () => {};
/** A store as the Digit reader holds it, in part (the actions stay the same functions). */
const state = (patch: Partial<DigitsState>): DigitsState => ({
  ...BASE,
  ...patch,
});
const BASE = {
  data: 'ready',
  test: null,
  reading: null,
  row: 27,
  rowsShown: 0,
  train: null,
  ...Object.fromEntries(
    [
      'init',
      'setDrawing',
      'clear',
      'pickTest',
      'read',
      'setRow',
      'setPlaying',
      'setUnit',
      'startTraining',
      'debugGpuError',
      'pause',
      'resume',
      'stop',
      'useTrainedModel',
      'importModel',
    ].map((k) => [k, noop]),
  ),
} as DigitsState;

/**
 * A training run posts progress ten times a second. The pad and the reading select the store
 * without the run, so that progress leaves their share equal (they do not redraw); the training
 * card's share follows it, and the reading's row animation leaves the card alone.
 */
describe('the Digit reader’s store shares', () => {
  it('a progress message leaves the pad’s share shallow-equal and changes the training card’s', () => {
    const before = state({ train: run(1) });
    const after = { ...before, train: run(2) };
    expect(shallow(withoutTraining(before), withoutTraining(after))).toBe(true);
    expect(shallow(trainingShare(before), trainingShare(after))).toBe(false);
    expect(trainingShare(after).train?.batch).toBe(2);
    expect(withoutTraining(after)).not.toHaveProperty('train');
    // What the pad shows still reaches it.
    expect(shallow(withoutTraining(after), withoutTraining({ ...after, row: 5 }))).toBe(false);
    expect(withoutTraining({ ...after, row: 5 }).row).toBe(5);
  });

  it('a step of the reading’s row animation leaves the training card’s share shallow-equal', () => {
    const before = state({ train: run(1) });
    const after = { ...before, row: 12, rowsShown: 3 };
    expect(shallow(trainingShare(before), trainingShare(after))).toBe(true);
    // The card still sees the digits arrive.
    const loaded = { ...after, data: 'ready' as const, test: { labels: new Uint8Array(1) } };
    expect(shallow(trainingShare(after), trainingShare(loaded as DigitsState))).toBe(false);
  });
});
