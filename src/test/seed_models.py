"""The seed notes' two models, rebuilt in PyTorch for shapes the golden file does not cover.

Usage: python3 seed_models.py OUT.json  (writes digit and stock cases: state_dict, input,
targets, output, loss, grads, and 3 Adam steps). Used by the CLI test to check other shapes.
"""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(11)
torch.set_default_dtype(torch.float64)


class SeedCell(nn.Module):
    def __init__(self, input_size, hidden_size):
        super().__init__()
        self.hidden_size = hidden_size
        self.x2h = nn.Linear(input_size, 4 * hidden_size)
        self.h2h = nn.Linear(hidden_size, 4 * hidden_size)

    def forward(self, x, hidden):
        hx, cx = hidden
        gates = self.x2h(x) + self.h2h(hx)
        i, f, g, o = gates.chunk(4, 1)
        cy = cx * torch.sigmoid(f) + torch.sigmoid(i) * torch.tanh(g)
        return torch.sigmoid(o) * torch.tanh(cy), cy


class DigitModel(nn.Module):
    def __init__(self, input_size, hidden_size, classes):
        super().__init__()
        self.hidden_size = hidden_size
        self.lstm = SeedCell(input_size, hidden_size)
        self.fc = nn.Linear(hidden_size, classes)

    def forward(self, x):
        h = torch.zeros(x.size(0), self.hidden_size)
        c = torch.zeros(x.size(0), self.hidden_size)
        for t in range(x.size(1)):
            h, c = self.lstm(x[:, t, :], (h, c))
        return self.fc(h)


class StockModel(nn.Module):
    def __init__(self, input_size, hidden_size, layers, head):
        super().__init__()
        self.lstm = nn.LSTM(input_size, hidden_size, layers, batch_first=True)
        self.fc_1 = nn.Linear(hidden_size, head)
        self.fc = nn.Linear(head, 1)

    def forward(self, x):
        _, (hn, _) = self.lstm(x)
        return self.fc(F.relu(self.fc_1(F.relu(hn[-1]))))


def case(model, x, y, loss_fn):
    sd = {k: v.tolist() for k, v in model.state_dict().items()}
    out = model(x)
    loss = loss_fn(out, y)
    loss.backward()
    grads = {k: p.grad.tolist() for k, p in model.named_parameters()}
    opt = torch.optim.Adam(model.parameters(), lr=0.02)
    losses = []
    for _ in range(3):
        opt.zero_grad()
        step_loss = loss_fn(model(x), y)
        losses.append(step_loss.item())
        step_loss.backward()
        opt.step()
    return {
        "state_dict": sd,
        "input": x.tolist(),
        "target": y.tolist(),
        "output": out.tolist(),
        "loss": loss.item(),
        "grads": grads,
        "adam_losses": losses,
        "adam_state_dict": {k: v.tolist() for k, v in model.state_dict().items()},
    }


digit = DigitModel(7, 5, 4)
stock = StockModel(3, 6, 3, 9)
out = {
    "digit": case(digit, torch.randn(5, 8, 7), torch.tensor([3, 0, 1, 3, 2]), F.cross_entropy),
    "stock": case(stock, torch.randn(6, 4, 3), torch.rand(6, 1), F.mse_loss),
}
with open(sys.argv[1], "w") as f:
    json.dump(out, f)
