"""PyTorch CPU rows for the LSTM Lab benchmark: the same three workloads, the seed's models.

Prints one JSON object: {"torch": version, "threads": n, "rows": [...]}. Run by bench/run.ts
with Debian's /usr/bin/python3 when `import torch` works there.
"""
import json
import statistics
import sys
import time

import torch
import torch.nn as nn

WORKLOADS = json.loads(sys.argv[1])


class Regressor(nn.Module):
    def __init__(self, input_size, hidden_size):
        super().__init__()
        self.lstm = nn.LSTM(input_size, hidden_size, batch_first=True)
        self.fc_1 = nn.Linear(hidden_size, 128)
        self.fc = nn.Linear(128, 1)

    def forward(self, x):
        _, (hn, _) = self.lstm(x)
        return self.fc(torch.relu(self.fc_1(torch.relu(hn[-1])))).squeeze(1)


class Classifier(nn.Module):
    def __init__(self, input_size, hidden_size):
        super().__init__()
        self.lstm = nn.LSTM(input_size, hidden_size, batch_first=True)
        self.fc = nn.Linear(hidden_size, 10)

    def forward(self, x):
        _, (hn, _) = self.lstm(x)
        return self.fc(hn[-1])


def runner(w):
    torch.manual_seed(0)
    x = torch.randn(w["samples"], w["time"], w["features"])
    if w["head"] == "regressor":
        model, y, loss_fn = Regressor(w["features"], w["hidden"]), torch.rand(w["samples"]), nn.MSELoss()
    else:
        model, y, loss_fn = Classifier(w["features"], w["hidden"]), torch.randint(0, 10, (w["samples"],)), nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def run():
        perm = torch.randperm(w["samples"])
        for start in range(0, w["samples"], w["batchSize"]):
            idx = perm[start:start + w["batchSize"]]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()

    return run


def timed(run):
    # The same policy as bench/workloads.ts measure(): warm up for >= 300 ms (at least one run),
    # then the median of enough runs to fill about a second (5 to 200).
    t0 = time.perf_counter()
    n = 0
    while True:
        run()
        n += 1
        if (time.perf_counter() - t0) * 1000 >= 300:
            break
    per = (time.perf_counter() - t0) * 1000 / n
    runs = max(5, min(200, int(1000 // per)))
    times = []
    for _ in range(runs):
        s = time.perf_counter()
        run()
        times.append((time.perf_counter() - s) * 1000)
    return statistics.median(times), runs


rows = []
for w in WORKLOADS:
    ms, runs = timed(runner(w))
    rows.append({"workload": w["id"], "impl": "pytorch", "backend": "cpu", "msPerUnit": ms, "unit": w["unit"], "runs": runs})

print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "rows": rows}))
