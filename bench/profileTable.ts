/** The RESULTS.md section for the WASM engine's profile and its GFLOP/s against the browser's limit. */
import { trainingFlops, type EngineProfile, type MatMulLimit } from './engineProfile';
import { WORKLOADS, type BenchRow } from './workloads';

const f1 = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

export function profileTable(
  profiles: EngineProfile[],
  limits: MatMulLimit[],
  rows: BenchRow[],
): string[] {
  if (!profiles.length && !limits.length) return [];
  const limit = limits.reduce<MatMulLimit | undefined>(
    (m, l) => (!m || l.gflops > m.gflops ? l : m),
    undefined,
  );
  const out = [
    '## Where the WASM engine’s time goes (tf.profile of the custom LSTM, same run)',
    '',
    `Per unit (epoch for a and b, step for c). Kernel groups sum each kernel’s own time; “dispatch and bookkeeping” is the profiled wall time minus all kernels (tfjs’s per-op overhead, autodiff, allocation). GFLOP/s counts the matrix-multiply work of a training step (forward, input and weight gradients, head) over the un-profiled time in the table above; the limit is tfjs-WASM’s own square matMul in the same worker${limit ? `: ${limit.gflops.toFixed(1)} GFLOP/s at ${limit.n}×${limit.n}` : ''}.`,
    '',
    '| workload | wall ms (profiled) | matMul | cell kernels | transposes | sums | other kernels | dispatch and bookkeeping | kernels run | MB allocated | GFLOP | GFLOP/s achieved | ÷ matMul limit |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const p of profiles) {
    const w = WORKLOADS.find((x) => x.id === p.workload)!;
    const g = p.groups;
    const kernelMs = g.matMul + g.cell + g.transpose + g.reduce + g.other;
    const row = rows.find(
      (r) => r.workload === w.id && r.impl === 'custom' && r.backend === 'wasm',
    );
    const gflop = trainingFlops(w) / 1e9;
    const rate = row ? gflop / (row.msPerUnit / 1000) : NaN;
    const pct = (ms: number) => `${f1(ms)} (${Math.round((100 * ms) / p.wallMs)}%)`;
    out.push(
      `| ${w.id} | ${f1(p.wallMs)} | ${pct(g.matMul)} | ${pct(g.cell)} | ${pct(g.transpose)} | ${pct(g.reduce)} | ${pct(g.other)} | ${pct(Math.max(0, p.wallMs - kernelMs))} | ${p.kernels} | ${p.allocatedMB.toFixed(1)} | ${gflop.toFixed(3)} | ${Number.isFinite(rate) ? rate.toFixed(1) : '—'} | ${limit && Number.isFinite(rate) ? `${((100 * rate) / limit.gflops).toFixed(0)}%` : '—'} |`,
    );
  }
  out.push(
    '',
    'Heaviest kernels (ms per unit, calls):',
    '',
    ...profiles.map(
      (p) =>
        `- ${p.workload}: ${p.top.map((k) => `${k.kernel} ${f1(k.ms)} ms ×${k.calls}`).join('; ')}`,
    ),
    '',
    `tfjs-WASM square matMul, same worker: ${limits.map((l) => `${l.n}³ ${l.ms.toFixed(1)} ms = ${l.gflops.toFixed(1)} GFLOP/s`).join('; ')}.`,
    '',
  );
  return out;
}
