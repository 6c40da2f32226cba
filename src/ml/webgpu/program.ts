import { engine, type Tensor, type TensorInfo } from '@tensorflow/tfjs-core';
import { MATH, type WeightSource } from './seqProgram';
import type { StepShape } from './layout';

export interface WebGpuBackendLike {
  runWebGPUProgram(
    program: unknown,
    inputs: TensorInfo[],
    dtype: 'float32',
    uniforms?: { type: 'float32' | 'int32'; data: number[] }[],
    output?: TensorInfo,
  ): TensorInfo;
  makeTensorInfo(shape: number[], dtype: 'float32'): TensorInfo;
}

export function program(
  key: string,
  variableNames: string[],
  outputShape: number[],
  workgroups: number,
  threads: number,
  code: string,
  uniforms?: string,
  variableComponents?: number[],
) {
  return {
    variableNames,
    ...(variableComponents ? { variableComponents } : {}),
    outputShape,
    shaderKey: key,
    dispatchLayout: { x: outputShape.map((_, k) => k) },
    dispatch: [workgroups, 1, 1] as [number, number, number],
    workgroupSize: [threads, 1, 1] as [number, number, number],
    ...(uniforms ? { uniforms } : {}),
    getUserCode: () => `${MATH}\n${code}`,
  };
}

export const webgpu = () => engine().backend as unknown as WebGpuBackendLike;

/**
 * Runs a program on the backend. The backend writes into the program object it is given (its
 * shader key grows by the input shapes, its dispatch and pipeline are set), so a program kept for
 * reuse is passed as a fresh copy each time.
 */
export function runInto(
  prog: ReturnType<typeof program>,
  inputs: Tensor[],
  uniforms?: { type: 'float32'; data: number[] }[],
  output?: TensorInfo,
): TensorInfo {
  return webgpu().runWebGPUProgram({ ...prog }, inputs, 'float32', uniforms, output);
}

export function run(prog: ReturnType<typeof program>, inputs: Tensor[]): Tensor {
  return engine().makeTensorFromTensorInfo(runInto(prog, inputs));
}

export const keyOf = (name: string, s: StepShape, extra: (string | number | boolean)[] = []) =>
  [
    name,
    s.kind,
    s.T,
    s.B,
    s.width,
    s.N,
    ...s.layers.map((l) => `${l.In}x${l.H}@${l.wIh}`),
    ...extra,
  ].join('_');

/** The layer's input at (t, b, k): the batch's rows of X through IDX, or the layer below's h. */
export function inputAt(s: StepShape, l: number): string {
  const { T, B } = s;
  const In = s.layers[l].In;
  return l === 0
    ? `fn xin(t : i32, b : i32, k : i32) -> f32 { return X[(IDX[b] * ${T} + t) * ${In} + k]; }`
    : `fn xin(t : i32, b : i32, k : i32) -> f32 { return PREV[(t * ${B} + b) * ${In} + k]; }`;
}

/** The names of the layer's input buffers, as inputAt reads them. */
export const inputNames = (l: number) => (l === 0 ? ['X', 'IDX'] : ['PREV']);

/** A weight matrix of the parameter buffer S (read as vec4): the gates of (k, u) are one vec4. */
export const packed = (offset: number, H: number): WeightSource => ({
  at: (k, u) => `S[${offset / 4} + (${k}) * ${H} + (${u})]`,
});

export const programShape = (s: StepShape, l: number) => ({
  T: s.T,
  B: s.B,
  H: s.layers[l].H,
  layout: s.layers[l].layout,
});
