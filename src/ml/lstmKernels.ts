import {
  engine,
  getKernel,
  getBackend,
  registerKernel,
  type KernelBackend,
  type Tensor,
  type Tensor2D,
  type Tensor3D,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { cellBackwardStep, cellForwardStep } from '../core/lstm/cellKernels';

/**
 * The elementwise half of an LSTM step as ONE tfjs kernel on the CPU and WASM backends (the
 * core's own loops, run on the backend's memory), so a training step is a matMul plus one
 * kernel instead of ~15 small ops whose per-op overhead was most of the time. Other backends
 * (WebGL, per-op WebGPU) use the same maths as tfjs ops: see lstmLayer.ts.
 */
export const CELL_FORWARD = 'LstmLabCellForward';
export const CELL_BACKWARD = 'LstmLabCellBackward';

/** How a backend lends out a tensor's memory and makes an output. */
interface Memory {
  out(shape: number[]): TensorInfo;
  view(t: TensorInfo): Float32Array;
}

function cpuMemory(backend: KernelBackend): Memory {
  const b = backend as unknown as {
    data: { get(id: unknown): { values: unknown } };
    makeTensorInfo(shape: number[], dtype: 'float32', values?: Float32Array): TensorInfo;
  };
  return {
    out: (shape) =>
      b.makeTensorInfo(shape, 'float32', new Float32Array(shape.reduce((a, n) => a * n, 1))),
    view: (t) => b.data.get(t.dataId).values as Float32Array,
  };
}

function wasmMemory(backend: KernelBackend): Memory {
  const b = backend as unknown as {
    makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
    typedArrayFromHeap(t: TensorInfo): Float32Array;
  };
  return { out: (shape) => b.makeOutput(shape, 'float32'), view: (t) => b.typedArrayFromHeap(t) };
}

function register(backendName: string, memory: (b: KernelBackend) => Memory): void {
  if (getKernel(CELL_FORWARD, backendName)) return;
  registerKernel({
    kernelName: CELL_FORWARD,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { xp, hh, cPrev } = inputs as Record<string, TensorInfo>;
      const t = attrs?.t as number;
      const [, B, G] = xp.shape;
      const H = G / 4;
      const mem = memory(backend as KernelBackend);
      // Outputs first: on WASM a new allocation can grow the heap and detach older views.
      const outs = [mem.out([B, G]), mem.out([B, H]), mem.out([B, H])];
      const [gates, c, h] = outs.map(mem.view);
      cellForwardStep({
        B,
        H,
        xp: mem.view(xp),
        xpOff: t * B * G,
        hh: mem.view(hh),
        cPrev: mem.view(cPrev),
        gates,
        c,
        h,
      });
      return outs;
    },
  });
  registerKernel({
    kernelName: CELL_BACKWARD,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dOut, dhRec, dcNext, gates, c, cPrev } = inputs as Record<string, TensorInfo>;
      const t = attrs?.t as number;
      const [B, G] = gates.shape;
      const H = G / 4;
      const mem = memory(backend as KernelBackend);
      const outs = [mem.out([B, G]), mem.out([B, H])];
      const [dz, dcPrev] = outs.map(mem.view);
      cellBackwardStep({
        B,
        H,
        dOut: mem.view(dOut),
        dOutOff: t * B * H,
        dhRec: mem.view(dhRec),
        dcNext: mem.view(dcNext),
        gates: mem.view(gates),
        c: mem.view(c),
        cPrev: mem.view(cPrev),
        dz,
        dcPrev,
      });
      return outs;
    },
  });
}

/** Registers the cell kernels on CPU and WASM (done on import; tests call it again after removing them). */
export function registerCellKernels(): void {
  register('cpu', cpuMemory);
  register('wasm', wasmMemory);
}
registerCellKernels();

/** True when the active backend runs a step's elementwise work as one kernel. */
export function hasCellKernels(): boolean {
  return getKernel(CELL_FORWARD, getBackend()) != null;
}

/** gates [B, 4H], c_t, h_t from xp [T, B, 4H] at step t, h_{t−1}·W_hhᵀ and c_{t−1}. */
export function cellForwardKernel(
  xp: Tensor3D,
  t: number,
  hh: Tensor2D,
  cPrev: Tensor2D,
): [Tensor2D, Tensor2D, Tensor2D] {
  return engine().runKernel(CELL_FORWARD, { xp, hh, cPrev }, { t }) as unknown as [
    Tensor2D,
    Tensor2D,
    Tensor2D,
  ];
}

/** dz [B, 4H] and ∂L/∂c_{t−1} for step t, given ∂L/∂h from above (dOut [T, B, H]) and from t+1. */
export function cellBackwardKernel(
  dOut: Tensor3D,
  t: number,
  dhRec: Tensor2D,
  dcNext: Tensor2D,
  gates: Tensor2D,
  c: Tensor2D,
  cPrev: Tensor2D,
): [Tensor2D, Tensor2D] {
  const inputs: Record<string, Tensor> = { dOut, dhRec, dcNext, gates, c, cPrev };
  return engine().runKernel(CELL_BACKWARD, inputs, { t }) as unknown as [Tensor2D, Tensor2D];
}
