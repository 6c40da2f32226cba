/// <reference lib="webworker" />
import { createDigitModel } from '../core/index';
import { classifyDigitPixels } from '../ml/digitTrainer';
import { partGradients, writeWeights } from '../ml/splitBatch';
import { disposeModel, tfModelFromCore, type TfModel } from '../ml/tfLstm';
import { activateEngine } from './engines';
import type { FromHelper, ToHelper } from './digitsHelperProtocol';

/**
 * The digits worker's helper: on the same CPU engine, with the weights it is sent, it returns the
 * loss and gradients of its half of each batch (the digits worker averages and steps), and the
 * classes of its half of the test digits.
 */
declare const self: DedicatedWorkerGlobalScope;

let model: TfModel | null = null;
const post = (msg: FromHelper, transfer: Transferable[] = []) => self.postMessage(msg, transfer);

self.onmessage = async (event: MessageEvent<ToHelper>) => {
  const msg = event.data;
  try {
    if (msg.type === 'init') {
      const skipped = await activateEngine(msg.engine);
      if (skipped) throw new Error(`${msg.engine} did not start (${skipped})`);
      if (model) disposeModel(model);
      // The architecture only: the weights come with every part.
      model = tfModelFromCore(createDigitModel(msg.hiddenSize, 0, Float32Array));
      post({ type: 'ready' });
      return;
    }
    if (!model) throw new Error('the helper has no model yet');
    writeWeights(model, msg.weights);
    if (msg.type === 'classify') {
      const classes = await classifyDigitPixels(model, msg.x, msg.n);
      post({ type: 'classes', id: msg.id, classes }, [classes.buffer]);
      return;
    }
    const { loss, grads } = partGradients(model, msg.part);
    post(
      { type: 'grads', id: msg.id, loss, grads },
      grads.map((g) => g.buffer as ArrayBuffer),
    );
  } catch (e) {
    post({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
  }
};
