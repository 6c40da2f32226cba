import {
  engine,
  getBackend,
  getKernel,
  registerKernel,
  reshape,
  slice,
  type KernelBackend,
  type Tensor,
  type Tensor3D,
  type Tensor4D,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { Recurrence } from '../recurrence';
import { backwardRecurrence, forwardRecurrence } from './recurrenceCode';
import { gatesOf, seqLayout, type ProgramShape } from './seqProgram';

const SEQ_FORWARD = 'LstmLabSeqForward';
const SEQ_BACKWARD = 'LstmLabSeqBackward';

/**
 * The LSTM recurrence in one WebGPU dispatch per layer and direction (the persistent-RNN idea).
 *
 * Per op, a training step on WebGPU was ~17 dispatches forward and ~35 backward per time step;
 * on a real GPU that is dispatch-bound. Here one workgroup owns a slice of the batch and walks
 * the sequence itself: each invocation computes the four gate pre-activations of a (sample, unit)
 * pair from h_{t−1} held in workgroup memory, then c and h, and a barrier ends the step. W_hh is
 * copied to workgroup memory when it fits (16 KB with the rest), otherwise read from storage.
 * The input projection X·W_ihᵀ and the weight gradients stay single big matMuls (lstmLayer.ts).
 *
 * Programs follow tfjs-backend-webgpu's WebGPUProgram shape and run through the backend's own
 * runWebGPUProgram, so inputs and outputs stay tfjs tensors on the device.
 */
const forwardProgram = (s: ProgramShape) =>
  forwardRecurrence(s, {
    key: 'lstmlab_seq_fwd',
    variableNames: ['XP', 'W'],
    helpers: `fn zin(t : i32, b : i32, u : i32) -> vec4<f32> {
      let xo = (t * ${s.B} + b) * ${4 * s.H} + u;
      return vec4<f32>(XP[xo], XP[xo + ${s.H}], XP[xo + ${2 * s.H}], XP[xo + ${3 * s.H}]);
    }`,
    wHh: gatesOf('W', s.H),
  });

/** DY [T, B, H], S [6, T, B, H] (the forward's planes), W [H, 4H] → dz [T, B, 4H]. */
const backwardProgram = (s: ProgramShape) =>
  backwardRecurrence(s, {
    key: 'lstmlab_seq_bwd',
    variableNames: ['DY', 'S', 'W'],
    helpers: `fn dyAt(t : i32, b : i32, u : i32) -> f32 { return DY[(t * ${s.B} + b) * ${s.H} + u]; }`,
    planes: 'S',
    wHh: gatesOf('W', s.H),
  });

interface WebGpuBackendLike {
  runWebGPUProgram(program: unknown, inputs: TensorInfo[], dtype: 'float32'): TensorInfo;
}

function registerSeqKernels(): void {
  if (getKernel(SEQ_FORWARD, 'webgpu')) return;
  registerKernel({
    kernelName: SEQ_FORWARD,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend }) => {
      const { xp, w } = inputs as Record<string, TensorInfo>;
      const [T, B, G] = xp.shape;
      const H = G / 4;
      const layout = seqLayout(B, H)!;
      const prog = forwardProgram({ T, B, H, layout });
      return (backend as KernelBackend & WebGpuBackendLike).runWebGPUProgram(
        prog,
        [xp, w],
        'float32',
      );
    },
  });
  registerKernel({
    kernelName: SEQ_BACKWARD,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend }) => {
      const { dy, s, w } = inputs as Record<string, TensorInfo>;
      const [T, B, H] = dy.shape;
      const layout = seqLayout(B, H)!;
      const prog = backwardProgram({ T, B, H, layout });
      return (backend as KernelBackend & WebGpuBackendLike).runWebGPUProgram(
        prog,
        [dy, s, w],
        'float32',
      );
    },
  });
}
registerSeqKernels();

/** Turned off to time or test the per-op path on the same adapter. */
let enabled = true;
export function setFusedWebGpu(on: boolean): void {
  enabled = on;
}
export const fusedWebGpuEnabled = (): boolean => enabled && getBackend() === 'webgpu';

const fused: Recurrence = {
  forward(xp, wHh) {
    const [T, B, G] = xp.shape;
    const H = G / 4;
    const planes = engine().runKernel(SEQ_FORWARD, { xp, w: wHh }) as Tensor4D;
    const hs = reshape(slice(planes, [0, 0, 0, 0], [1, T, B, H]), [T, B, H]) as Tensor3D;
    return { hs, saved: [planes] };
  },
  backward(dHs, wHh, saved) {
    const inputs: Record<string, Tensor> = { dy: dHs, s: saved[0], w: wHh };
    return engine().runKernel(SEQ_BACKWARD, inputs) as Tensor3D;
  },
};

/** The fused recurrence when the active backend is WebGPU and the shape fits, else null. */
export function fusedRecurrence(B: number, H: number): Recurrence | null {
  return fusedWebGpuEnabled() && seqLayout(B, H) != null ? fused : null;
}
