import { runPython } from './python';

/** The seed's regressor (LSTM → ReLU → fc_1 → ReLU → fc) trained full-batch in PyTorch. */
export interface TorchCurveCase {
  stateDict: Record<string, unknown>;
  In: number;
  H: number;
  W: number;
  /** Windows as [batch][time][feature]. */
  x: number[][][];
  y: number[];
  lr: number;
  epochs: number;
}

/** float64, Adam, MSE: the loss before each step, as the app's trainers report it. */
const TORCH_CURVE = `
import json, sys, torch
from torch import nn
torch.set_default_dtype(torch.float64)
case = json.load(open(sys.argv[1]))
class Model(nn.Module):
    def __init__(self, In, H, W):
        super().__init__()
        self.lstm = nn.LSTM(In, H, batch_first=True)
        self.fc_1 = nn.Linear(H, W)
        self.fc = nn.Linear(W, 1)
    def forward(self, x):
        _, (hn, _) = self.lstm(x)
        return self.fc(torch.relu(self.fc_1(torch.relu(hn[-1])))).squeeze(1)
sd = {k: torch.tensor(v) for k, v in case['stateDict'].items()}
m = Model(case['In'], case['H'], case['W'])
m.load_state_dict(sd)
x, y = torch.tensor(case['x']), torch.tensor(case['y'])
opt = torch.optim.Adam(m.parameters(), lr=case['lr'])
losses = []
for _ in range(case['epochs']):
    opt.zero_grad()
    loss = nn.functional.mse_loss(m(x), y)
    losses.append(loss.item())
    loss.backward()
    opt.step()
print(json.dumps(losses))
`;

/** PyTorch's own loss curve for the case: one number per epoch. */
export function torchLossCurve(c: TorchCurveCase): number[] {
  const out = runPython({ 'case.json': JSON.stringify(c), 'curve.py': TORCH_CURVE }, 'curve.py', [
    'case.json',
  ]);
  const curve = JSON.parse(out) as number[];
  if (curve.length !== c.epochs) throw new Error(`PyTorch gave ${curve.length} losses`);
  return curve;
}

/** A flat [batch, time, features] array as the nested lists PyTorch reads. */
export function nestWindows(
  data: ArrayLike<number>,
  batch: number,
  time: number,
  features: number,
): number[][][] {
  return Array.from({ length: batch }, (_, n) =>
    Array.from({ length: time }, (_, s) =>
      Array.from({ length: features }, (_, f) => data[(n * time + s) * features + f]),
    ),
  );
}
