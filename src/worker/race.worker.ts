/// <reference lib="webworker" />
import { RaceRun } from '../core/index';
import type { FromRace, ToRace } from './raceProtocol';

/**
 * One contestant of the Why-LSTM race, on the pure-TS core (these models are tiny; two
 * workers let the RNN and the LSTM train at the same time on two cores).
 */
declare const self: DedicatedWorkerGlobalScope;

const EVAL_EVERY = 25;
const FLOW_EVERY = 100;
const POST_MS = 150;

let current = 0;
const post = (msg: FromRace) => self.postMessage(msg);

async function race(msg: Extract<ToRace, { type: 'start' }>): Promise<void> {
  const { runId, kind, settings, maxSteps } = msg;
  current = runId;
  const run = new RaceRun(kind, settings);
  const first = run.evaluate();
  let points = [{ step: 0, ...first }];
  post({ type: 'flow', runId, kind, step: 0, flow: run.flow() });
  let lastPost = 0;
  while (current === runId && run.steps < maxSteps) {
    const loss = run.step().loss;
    if (!Number.isFinite(loss)) {
      post({
        type: 'failed',
        runId,
        kind,
        message: `the loss became ${loss} at step ${run.steps}`,
      });
      return;
    }
    if (run.steps % EVAL_EVERY === 0) points.push({ step: run.steps, ...run.evaluate() });
    if (run.steps % FLOW_EVERY === 0)
      post({ type: 'flow', runId, kind, step: run.steps, flow: run.flow() });
    const now = performance.now();
    if (now - lastPost >= POST_MS) {
      post({ type: 'progress', runId, kind, step: run.steps, points });
      points = [];
      lastPost = now;
      // Let a stop message in.
      await new Promise((r) => setTimeout(r, 0));
    }
  }
  if (current !== runId) return;
  post({ type: 'progress', runId, kind, step: run.steps, points });
  post({ type: 'done', runId, kind, step: run.steps });
}

self.onmessage = (event: MessageEvent<ToRace>) => {
  const msg = event.data;
  if (msg.type === 'stop') {
    if (msg.runId === current) current = 0;
    return;
  }
  race(msg).catch((e: unknown) =>
    post({
      type: 'failed',
      runId: msg.runId,
      kind: msg.kind,
      message: e instanceof Error ? e.message : String(e),
    }),
  );
};
