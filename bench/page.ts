/** The benchmark page: starts the worker and collects its rows for bench/run.ts. */
import type { EngineProfile, MatMulLimit } from './engineProfile';
import type { BenchRow } from './workloads';

const out = document.getElementById('log')!;
const rows: BenchRow[] = [];
const logs: string[] = [];
const profiles: EngineProfile[] = [];
const state = { rows, logs, profiles, limits: [] as MatMulLimit[], done: false };
Object.assign(window, { __bench: state });

const backends = (
  new URLSearchParams(location.search).get('backends') ?? 'webgpu,webgl,wasm,cpu'
).split(',');
const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
interface FromBench {
  type: string;
  row?: BenchRow;
  text?: string;
  profile?: EngineProfile;
  limits?: MatMulLimit[];
}
worker.onmessage = (e: MessageEvent<FromBench>) => {
  if (e.data.type === 'row' && e.data.row) rows.push(e.data.row);
  if (e.data.profile) profiles.push(e.data.profile);
  if (e.data.limits) state.limits = e.data.limits;
  if (e.data.type === 'log' && e.data.text) logs.push(e.data.text);
  if (e.data.type === 'done') state.done = true;
  out.textContent = [...rows.map((r) => JSON.stringify(r)), ...logs].join('\n');
};
const params = new URLSearchParams(location.search);
// gpuOnly: on WebGPU only the fused and per-op rows (no tf.layers); core=0 skips the core rows.
worker.postMessage({ backends, gpuOnly: params.has('gpu'), core: params.get('core') !== '0' });
