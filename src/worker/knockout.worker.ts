/// <reference lib="webworker" />
import { EVAL_EVERY, KnockoutRun } from '../core/index';
import type { FromKnockout, KnockoutPoint, ToKnockout } from './knockoutProtocol';

/**
 * One lane of the knockout race, on the pure-TS core (the models are tiny, float64, and every
 * variant has an exact backward there). The page keeps as many lanes as the machine has cores
 * to spare and hands each the next run when it finishes one.
 */
declare const self: DedicatedWorkerGlobalScope;

const POST_MS = 200;

let current = 0;
const post = (msg: FromKnockout) => self.postMessage(msg);

async function race(msg: Extract<ToKnockout, { type: 'start' }>): Promise<void> {
  const { raceId, job, settings } = msg;
  current = raceId;
  const run = new KnockoutRun(job.contestant, settings, job.seed);
  let points: KnockoutPoint[] = [{ step: 0, loss: run.evaluate().loss }];
  let lastPost = 0;
  while (current === raceId && run.steps < settings.steps) {
    const { loss } = run.step();
    if (!Number.isFinite(loss)) {
      post({
        type: 'failed',
        raceId,
        job,
        message: `the loss became ${loss} at step ${run.steps}`,
      });
      return;
    }
    if (run.steps % EVAL_EVERY === 0 && run.steps < settings.steps)
      points.push({ step: run.steps, loss: run.evaluate().loss });
    const now = performance.now();
    if (now - lastPost >= POST_MS) {
      post({ type: 'progress', raceId, job, step: run.steps, points });
      points = [];
      lastPost = now;
      // Let a stop message in.
      await new Promise((r) => setTimeout(r, 0));
    }
  }
  if (current !== raceId) return;
  const loss = run.evaluate().loss;
  points.push({ step: run.steps, loss });
  post({ type: 'progress', raceId, job, step: run.steps, points });
  const stateDict = run.stateDict();
  post({
    type: 'done',
    raceId,
    job,
    loss,
    saturation: run.saturation(),
    explorer: stateDict ? { stateDict, input: run.sequence(0) } : null,
  });
}

self.onmessage = (event: MessageEvent<ToKnockout>) => {
  const msg = event.data;
  if (msg.type === 'stop') {
    if (msg.raceId === current) current = 0;
    return;
  }
  race(msg).catch((e: unknown) =>
    post({
      type: 'failed',
      raceId: msg.raceId,
      job: msg.job,
      message: e instanceof Error ? e.message : String(e),
    }),
  );
};
