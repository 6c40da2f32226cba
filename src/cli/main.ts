/**
 * `lstm-lab`: the app's pure core from the command line. Output is JSON on stdout; a failure
 * is one line on stderr and a non-zero exit. Run as `npm run --silent cli -- <command> …`.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  DIGIT_DEFAULTS,
  DataError,
  RECIPES,
  RegressionTrainer,
  flatten,
  forwardToJson,
  lstmBackward,
  lstmForward,
  lstmFromStateDict,
  lstmOutput,
  lstmParams,
  namedGrads,
  namedStateDict,
  parseCsvChunks,
  readTargets,
  wholeModelAdam,
  wholeModelFromStateDict,
  wholeModelLossAndGrad,
  prepareStockDataset,
  toNested,
  zeroGrads,
  CELL_VARIANTS,
  variantBackward,
  variantForward,
  variantForwardToJson,
  variantKeys,
  variantWeightsFromStateDict,
  type CellVariant,
  type VariantWeights,
  type SequenceBatch,
  type StockConfig,
  type StockRecipe,
  type Table,
} from '../core/index';
import { tableSummary } from './inspect';
import { mnistEval, mnistTrain } from './mnist';

const USAGE = `usage: lstm-lab <command> [options]
  forward --state-dict SD.json --input X.json [--variant V]
                                                  gates, outputs, h_n, c_n of every layer and step
  grad    --state-dict SD.json --input X.json [--variant V]
                                                  loss (sum of outputs), every gradient, grad of the input
          V: lstm (default), nig, nfg, nog, niaf, noaf, cifg (one nn.LSTM layer), gru (nn.GRU)
  model-grad --state-dict SD.json --input X.json --target Y.json
                                                  a whole seed model (digit or stock): output, loss, every gradient
  model-adam --state-dict SD.json --input X.json --target Y.json --steps N --lr LR
                                                  N full-batch PyTorch Adam steps: losses and the final state_dict
  inspect FILE.csv                                columns, kinds, date/close columns, first/last rows
  train   FILE.csv [--recipe seed|window] [--target COL] [--epochs N] [--seed S]
  mnist-train --out FILE.json [--hidden H] [--epochs N] [--batch B] [--lr LR] [--seed S]
                                                  trains the digit reader on the mnist package (8,000 digits)
  mnist-eval FILE.json                            accuracy and confusion matrix on the 2,000 held-out digits
A JSON path may select a key inside the file: golden.json#lstm.state_dict`;

class UsageError extends Error {}

/** Reads JSON, optionally descending into `file.json#a.b`; unwraps {"state_dict": …}. */
function readJson(spec: string, unwrap?: string): unknown {
  const [file, path] = spec.split('#');
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read JSON from ${file}: ${(e as Error).message}`);
  }
  for (const key of path ? path.split('.') : []) {
    if (typeof value !== 'object' || value === null || !(key in value)) {
      throw new UsageError(`${file} has no "${path}"`);
    }
    value = (value as Record<string, unknown>)[key];
  }
  if (unwrap && typeof value === 'object' && value !== null && unwrap in value) {
    value = (value as Record<string, unknown>)[unwrap];
  }
  return value;
}

function readInput(spec: string): SequenceBatch {
  const { data, shape } = flatten(readJson(spec, 'input'), Float64Array, 'the input');
  if (shape.length !== 3) {
    throw new UsageError(
      `the input must be [batch][time][feature]; got ${shape.length} dimension(s)`,
    );
  }
  return { data, batch: shape[0], time: shape[1], features: shape[2] };
}

function need(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`${flag} is required`);
  return value;
}

function readModelArgs(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      'state-dict': { type: 'string' },
      input: { type: 'string' },
      variant: { type: 'string', default: 'lstm' },
    },
  });
  const variant = values.variant as CellVariant;
  if (!CELL_VARIANTS.includes(variant)) {
    throw new UsageError(`unknown --variant "${variant}" (${CELL_VARIANTS.join(', ')})`);
  }
  const sd = readJson(need(values['state-dict'], '--state-dict'), 'state_dict');
  const x = readInput(need(values.input, '--input'));
  // PyTorch's nn.LSTM (any number of layers) is the core's own; the others are one layer.
  if (variant === 'lstm') return { variant, lstm: lstmFromStateDict(sd), x, sd };
  let weights: VariantWeights;
  try {
    weights = variantWeightsFromStateDict(variant, sd as Record<string, unknown>);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (x.features !== weights.inputSize) {
    throw new UsageError(
      `the input has ${x.features} features per step but the ${variant} reads ${weights.inputSize}`,
    );
  }
  return { variant, weights, x, sd: sd as Record<string, unknown> };
}

/** A whole model, its input and its targets (class labels, or [[y], …]). */
function readWholeModelArgs(args: string[], extra: Record<string, { type: 'string' }> = {}) {
  const { values } = parseArgs({
    args,
    options: {
      'state-dict': { type: 'string' },
      input: { type: 'string' },
      target: { type: 'string' },
      ...extra,
    },
  });
  const m = wholeModelFromStateDict(
    readJson(need(values['state-dict'], '--state-dict'), 'state_dict'),
  );
  const x = readInput(need(values.input as string | undefined, '--input'));
  if (x.features !== m.model.inputSize) {
    throw new UsageError(
      `the input has ${x.features} features per step but the model reads ${m.model.inputSize}`,
    );
  }
  const y = readTargets(
    m.kind,
    readJson(need(values.target as string | undefined, '--target')),
    x.batch,
  );
  return { m, x, y, values: values as Record<string, string | undefined> };
}

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

/** A variant's loss (the sum of all outputs), its gradients under the file's own keys, the input's. */
function printVariantGrad(
  variant: CellVariant,
  w: VariantWeights,
  x: SequenceBatch,
  sd: Record<string, unknown>,
): void {
  const fwd = variantForward(variant, w, x.data as Float64Array, x.batch, x.time);
  let loss = 0;
  for (const h of fwd.gates.h) loss += h;
  const g = variantBackward(w, fwd, new Float64Array(x.batch * x.time * w.hiddenSize).fill(1));
  const keys = variantKeys(sd);
  const G = w.wIh.length / w.inputSize;
  print({
    variant,
    loss,
    grads: {
      [keys.wIh]: toNested(g.wIh, [G, w.inputSize]),
      [keys.wHh]: toNested(g.wHh, [G, w.hiddenSize]),
      [keys.bIh]: Array.from(g.bIh),
      [keys.bHh]: Array.from(g.bHh),
    },
    grad_input: toNested(g.dx, [x.batch, x.time, x.features]),
  });
}

async function readTable(file: string): Promise<Table> {
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  return parseCsvChunks(stream as AsyncIterable<string>);
}

const commands: Record<string, (args: string[]) => Promise<void> | void> = {
  forward(args) {
    const m = readModelArgs(args);
    if (m.variant !== 'lstm') {
      const { weights, x } = m;
      print(
        variantForwardToJson(
          variantForward(m.variant, weights!, x.data as Float64Array, x.batch, x.time),
        ),
      );
      return;
    }
    print({ variant: 'lstm', ...forwardToJson(lstmForward(m.lstm!, m.x)) });
  },

  grad(args) {
    const m = readModelArgs(args);
    if (m.variant !== 'lstm') {
      printVariantGrad(m.variant, m.weights!, m.x, m.sd);
      return;
    }
    const { lstm, x } = { lstm: m.lstm!, x: m.x };
    const fwd = lstmForward(lstm, x);
    const out = lstmOutput(fwd);
    let loss = 0;
    for (const v of out) loss += v;
    const params = lstmParams(lstm);
    zeroGrads(params);
    const { dInput } = lstmBackward(lstm, fwd, new Float64Array(out.length).fill(1));
    const grads = Object.fromEntries(params.map((p) => [p.name, toNested(p.grad, p.shape)]));
    print({
      variant: 'lstm',
      loss,
      grads,
      grad_input: toNested(dInput, [x.batch, x.time, x.features]),
    });
  },

  'model-grad'(args) {
    const { m, x, y } = readWholeModelArgs(args);
    const { output, loss } = wholeModelLossAndGrad(m, x, y);
    print({ kind: m.kind, output, loss, grads: namedGrads(m) });
  },

  'model-adam'(args) {
    const { m, x, y, values } = readWholeModelArgs(args, {
      steps: { type: 'string' },
      lr: { type: 'string' },
    });
    const steps = positiveInt(need(values.steps, '--steps'), '--steps', 0);
    const lr = Number(need(values.lr, '--lr'));
    if (!(lr > 0)) throw new UsageError('--lr must be a positive number');
    const losses = wholeModelAdam(m, x, y, steps, lr);
    print({ losses, state_dict: namedStateDict(m) });
  },

  async inspect(args) {
    const { positionals } = parseArgs({ args, allowPositionals: true });
    const file = need(positionals[0], 'FILE.csv');
    print(tableSummary(await readTable(file)));
  },

  async train(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        recipe: { type: 'string', default: 'window' },
        target: { type: 'string' },
        epochs: { type: 'string' },
        seed: { type: 'string' },
      },
    });
    const file = need(positionals[0], 'FILE.csv');
    const recipe = values.recipe as StockRecipe;
    if (!(recipe in RECIPES))
      throw new UsageError(`--recipe must be seed or window, not ${recipe}`);
    const config: StockConfig = { ...RECIPES[recipe] };
    if (values.target) config.target = values.target;
    if (values.epochs) config.epochs = positiveInt(values.epochs, '--epochs');
    if (values.seed) config.seed = positiveInt(values.seed, '--seed', 0);
    const dataset = prepareStockDataset(await readTable(file), config);
    const trainer = new RegressionTrainer(dataset, config);
    for (let e = 0; e < config.epochs; e++) {
      const r = trainer.stepEpoch();
      if (!Number.isFinite(r.trainLoss)) {
        throw new Error(
          `the loss became ${r.trainLoss} at epoch ${r.epoch}: lower the learning rate`,
        );
      }
      print(r);
    }
    const evaluation = trainer.evaluate();
    print({
      engine: 'core',
      engineDetail: 'pure TypeScript core (src/core/lstm), float64, on Node',
      recipe,
      target: dataset.target,
      features: dataset.features,
      trainWindows: dataset.train.count,
      testWindows: dataset.test.count,
      droppedRows: dataset.dropped,
      test: evaluation,
    });
  },
};

Object.assign(commands, {
  async 'mnist-train'(args: string[]) {
    const { values } = parseArgs({
      args,
      options: {
        out: { type: 'string' },
        hidden: { type: 'string' },
        epochs: { type: 'string' },
        batch: { type: 'string' },
        lr: { type: 'string' },
        seed: { type: 'string' },
        shift: { type: 'string' },
      },
    });
    const out = need(values.out, '--out FILE.json');
    const config = { ...DIGIT_DEFAULTS };
    if (values.hidden) config.hiddenSize = positiveInt(values.hidden, '--hidden');
    if (values.epochs) config.epochs = positiveInt(values.epochs, '--epochs');
    if (values.batch) config.batchSize = positiveInt(values.batch, '--batch');
    if (values.seed) config.seed = positiveInt(values.seed, '--seed', 0);
    if (values.shift) config.shift = positiveInt(values.shift, '--shift', 0);
    if (values.lr) {
      config.learningRate = Number(values.lr);
      if (!(config.learningRate > 0)) throw new UsageError('--lr must be a positive number');
    }
    mnistTrain(config, out, print);
  },
  async 'mnist-eval'(args: string[]) {
    const { positionals } = parseArgs({ args, allowPositionals: true });
    print(mnistEval(need(positionals[0], 'FILE.json')));
  },
});

function positiveInt(text: string, flag: string, min = 1): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`${flag} must be a whole number ≥ ${min}`);
  return n;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const run = commands[command];
  if (!run) {
    process.stderr.write(
      `lstm-lab: unknown command "${command}" (forward, grad, model-grad, model-adam, inspect, train, mnist-train, mnist-eval)\n`,
    );
    return 2;
  }
  try {
    await run(rest);
    return 0;
  } catch (e) {
    const err = e as Error & { code?: string };
    const text = e instanceof DataError || e instanceof UsageError ? err.message : `${err.message}`;
    process.stderr.write(`lstm-lab ${command}: ${text.split('\n')[0]}\n`);
    return e instanceof UsageError || err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
