import { DataError } from '../data/errors';
import { formatDate } from '../data/values';
import type { MinMaxScaler, StandardScaler } from '../data/scalers';
import { createRegressor, type LstmRegressor } from '../lstm/models';
import { lstmFromStateDict, paramsToStateDict, type StateDict } from '../lstm/stateDict';
import { copyParams, wholeModelFromStateDict } from '../lstm/wholeModel';
import type { StockConfig } from '../training/stockConfig';
import type { StockDataset } from '../training/stockData';
import type { StockSeries } from '../training/stockSeries';
import { csvLine } from './csvCell';

/**
 * What the Stock lab exports and imports: the trained weights as a PyTorch state_dict plus
 * everything needed to use them again (config, columns, fitted scalers).
 */
export const STOCK_MODEL_FORMAT = 'lstm-lab/stock-model';

export interface StockModelFile {
  format: typeof STOCK_MODEL_FORMAT;
  version: 1;
  epoch: number;
  config: StockConfig;
  features: string[];
  target: string;
  scalers: { x: StandardScaler; y: MinMaxScaler };
  state_dict: StateDict;
}

export function stockModelFile(
  ds: Pick<StockDataset, 'features' | 'target' | 'xScaler' | 'yScaler'>,
  config: StockConfig,
  epoch: number,
  stateDict: StateDict,
): StockModelFile {
  return {
    format: STOCK_MODEL_FORMAT,
    version: 1,
    epoch,
    config: { ...config, features: ds.features, target: ds.target },
    features: ds.features,
    target: ds.target,
    scalers: { x: ds.xScaler, y: ds.yScaler },
    state_dict: stateDict,
  };
}

/** An imported model: its weights and shape, plus the app's metadata when the file has it. */
export interface ImportedStockModel {
  stateDict: StateDict;
  shape: { inputSize: number; hiddenSize: number; numLayers: number; headSize: number };
  epoch: number;
  config: StockConfig | null;
  features: string[] | null;
  target: string | null;
}

const bad = (message: string) => new DataError('badModel', message, { reason: message });

/**
 * Reads an exported model file, or a bare state_dict saved from the seed's PyTorch `LSTM`
 * class (`lstm.weight_ih_l0`, …, `fc_1.weight`, `fc.weight`). Shapes, values and keys are
 * checked by building the model; each problem is one sentence.
 */
export function parseStockModel(text: string): ImportedStockModel {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw bad(
      'This file is not JSON. Export a model from the Stock lab, or save a PyTorch state_dict as JSON.',
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw bad('This JSON is not a model: expected an object of parameter names to arrays.');
  }
  const obj = json as Record<string, unknown>;
  const wrapped = obj.format === STOCK_MODEL_FORMAT;
  let sd = (wrapped ? obj.state_dict : obj) as StateDict;
  let shape: ImportedStockModel['shape'];
  try {
    const lstm = lstmFromStateDict(sd);
    const prefix = lstm.layers[0].weightIh.name.replace(/weight_ih(_l0)?$/, '');
    if (!(`${prefix.replace(/[^.]*\.$/, '')}fc_1.weight` in sd)) {
      throw new Error('the state_dict is missing "fc_1.weight"');
    }
    // Any spelling we read (nn.LSTM, nn.LSTMCell, the seed's x2h/h2h cell, a module prefix);
    // every head parameter is checked by building the model.
    const whole = wholeModelFromStateDict(sd);
    const m = whole.model as LstmRegressor;
    shape = {
      inputSize: m.inputSize,
      hiddenSize: m.hiddenSize,
      numLayers: m.numLayers,
      headSize: m.fc1.outSize,
    };
    // Re-home the weights under the names the Stock lab trains with (lstm.weight_ih_l0 …).
    const model = createRegressor(shape);
    copyParams(m.params, model.params);
    sd = paramsToStateDict(model.params);
  } catch (e) {
    throw bad(`The model's weights do not fit: ${(e as Error).message}.`);
  }
  const config = wrapped ? (obj.config as StockConfig) : null;
  if (config && (config.hiddenSize !== shape.hiddenSize || config.numLayers !== shape.numLayers)) {
    throw bad("The file's settings do not match its weights (hidden size or layer count differ).");
  }
  const features = wrapped && Array.isArray(obj.features) ? (obj.features as string[]) : null;
  if (features && features.length !== shape.inputSize) {
    throw bad(
      `The file names ${features.length} feature(s) but its weights read ${shape.inputSize}.`,
    );
  }
  return {
    stateDict: sd,
    shape,
    epoch: wrapped && typeof obj.epoch === 'number' ? obj.epoch : 0,
    config,
    features,
    target: wrapped && typeof obj.target === 'string' ? obj.target : null,
  };
}

/** The predictions export: one row per window, in date order, with its period. */
export function predictionsCsv(series: StockSeries, predictions: ArrayLike<number>): string {
  const t = series.target;
  const lines = [csvLine(['date', `actual ${t}`, `predicted ${t}`, 'split'])];
  for (let k = 0; k < series.actual.length; k++) {
    const date = series.dates ? formatDate(series.dates[k], false) : String(series.rowOf[k]);
    const period = k < series.trainCount ? 'train' : 'test';
    lines.push(csvLine([date, series.actual[k], predictions[k], period]));
  }
  return lines.join('\n') + '\n';
}

const py = (v: unknown) =>
  JSON.stringify(v)
    .replace(/\btrue\b/g, 'True')
    .replace(/\bfalse\b/g, 'False');

/**
 * A PyTorch script that rebuilds the seed's model (nn.LSTM → ReLU → fc_1 → ReLU → fc), loads
 * the exported weights and scalers, and predicts from a CSV with the same columns.
 */
export function pytorchScript(file: StockModelFile, jsonName: string): string {
  const { config } = file;
  return `# Generated by LSTM Lab: rebuilds the model trained in the browser and loads its weights.
# Run: python3 this_script.py your_prices.csv [--all]   (needs torch and numpy)
#      --all also prints every window's prediction as one JSON list
import csv
import json
import sys

import numpy as np
import torch
import torch.nn as nn


class LSTM(nn.Module):
    def __init__(self, num_classes, input_size, hidden_size, num_layers, seq_length):
        super(LSTM, self).__init__()
        self.num_classes = num_classes
        self.num_layers = num_layers
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.seq_length = seq_length

        self.lstm = nn.LSTM(input_size=input_size, hidden_size=hidden_size,
                            num_layers=num_layers, batch_first=True)
        self.fc_1 = nn.Linear(hidden_size, ${config.headSize})
        self.fc = nn.Linear(${config.headSize}, num_classes)
        self.relu = nn.ReLU()

    def forward(self, x):
        h_0 = torch.zeros(self.num_layers, x.size(0), self.hidden_size)
        c_0 = torch.zeros(self.num_layers, x.size(0), self.hidden_size)
        output, (hn, cn) = self.lstm(x, (h_0, c_0))
        hn = hn[-1]  # the top layer's last hidden state (the seed's hn.view(-1, H) for one layer)
        out = self.relu(hn)
        out = self.fc_1(out)
        out = self.relu(out)
        out = self.fc(out)
        return out


with open(${py(jsonName)}, encoding="utf-8") as f:
    saved = json.load(f)

features = saved["features"]  # ${py(file.features)}
target = saved["target"]  # ${py(file.target)}
seq_length = ${config.seqLen}
# What the network predicts: "price" (the level), "change" or "logReturn" since the last value.
target_kind = ${py(config.horizon >= 1 ? (config.targetKind ?? 'price') : 'price')}
model = LSTM(1, ${file.features.length}, ${config.hiddenSize}, ${config.numLayers}, seq_length)
model.load_state_dict({k: torch.tensor(v, dtype=torch.float32) for k, v in saved["state_dict"].items()})
model.eval()

# StandardScaler on the inputs and MinMaxScaler on the target, as fitted in the browser.
x_mean = np.array(saved["scalers"]["x"]["mean"])
x_scale = np.array(saved["scalers"]["x"]["scale"])
y_min = np.array(saved["scalers"]["y"]["min"])
y_scale = np.array(saved["scalers"]["y"]["scale"])


def number(text):
    return float(text.replace("$", "").replace(",", "").strip() or "nan")


if __name__ == "__main__":
    with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    # Rows with a number in every chosen column, as the app keeps them.
    data = np.array([[number(r[c]) for c in features] + [number(r[target])] for r in rows])
    data = data[~np.isnan(data).any(axis=1)]
    x, y = data[:, :-1], data[:, -1]
    windows = np.stack([x[k:k + seq_length] for k in range(len(x) - seq_length + 1)])
    windows = (windows - x_mean) / x_scale
    with torch.no_grad():
        scaled = model(torch.tensor(windows, dtype=torch.float32)).numpy()
    predicted = (scaled - y_min) / y_scale
    # A change or log return is added to the last value each window knew (its last row).
    base = y[seq_length - 1 : seq_length - 1 + len(predicted)][:, None]
    if target_kind == "change":
        predicted = base + predicted
    elif target_kind == "logReturn":
        predicted = base * np.exp(predicted)
    print("predicted", target, "from the last window:", float(predicted[-1, 0]))
    if "--all" in sys.argv[2:]:
        print(json.dumps([float(v) for v in predicted[:, 0]]))
`;
}
