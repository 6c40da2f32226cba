/**
 * Chart cadences (ms between redraws, offset after a change): each chart redraws on its own
 * beat, at most 4 times a second, and never in the same task as another one, so training never
 * gives the page a long task (an e2e test holds the loss chart to its beat).
 */
export const CHART_CADENCE = {
  loss: [250, 0],
  prediction: [500, 60],
  residual: [500, 120],
  gates: [250, 180],
  metrics: [500, 220],
} as const;
