import { engine as tfEngine, env, getBackend, memory, setBackend } from '@tensorflow/tfjs-core';
import '../ml/tfjsSetup';
import type { GpuFacts } from './engineChoice';
import type {
  EngineChoice,
  EngineName,
  EngineReport,
  EngineSkip,
  EngineSkipCode,
} from './protocol';

/**
 * The engine ladder: WebGPU → WebGL → WASM → CPU → pure-TS core. Each step is tried only when
 * asked for or when the better ones failed, and the reason each better one was skipped is
 * kept for the badge. Auto never picks a software WebGPU adapter (30–300× slower than WASM
 * here); it goes to the next rung and says so.
 */
const LADDER: EngineName[] = ['webgpu', 'webgl', 'wasm', 'cpu', 'core'];

interface GpuAdapterInfo {
  isFallbackAdapter?: boolean;
}
interface GpuAdapter {
  info?: GpuAdapterInfo;
  isFallbackAdapter?: boolean;
}
interface NavigatorGpu {
  gpu?: { requestAdapter(): Promise<GpuAdapter | null> };
}

async function tryWebGpu(
  allowSoftware: boolean,
): Promise<{ ok: boolean; software: boolean; reason?: EngineSkipCode }> {
  const gpu = (navigator as unknown as NavigatorGpu).gpu;
  if (!gpu) return { ok: false, software: false, reason: 'noWebGpu' };
  const adapter = await gpu.requestAdapter();
  if (!adapter) return { ok: false, software: false, reason: 'noAdapter' };
  const software = Boolean(adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter);
  if (software && !allowSoftware) {
    return { ok: false, software, reason: 'softwareAdapter' };
  }
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await setBackend('webgpu')) || getBackend() !== 'webgpu') {
    return { ok: false, software, reason: 'backendFailed' };
  }
  return { ok: true, software };
}

async function tryWebGl(): Promise<EngineSkipCode | null> {
  if (typeof OffscreenCanvas === 'undefined') return 'noOffscreenCanvas';
  await import('@tensorflow/tfjs-backend-webgl');
  if (!(await setBackend('webgl')) || getBackend() !== 'webgl') return 'backendFailed';
  return null;
}

async function tryWasm(): Promise<EngineSkipCode | null> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const [plain, simd, threaded] = await Promise.all([
    import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url'),
    import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url'),
    import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url'),
  ]);
  // Served from our own origin; threads off (threaded WASM breaks in production builds).
  env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  wasm.setWasmPaths({
    'tfjs-backend-wasm.wasm': plain.default,
    'tfjs-backend-wasm-simd.wasm': simd.default,
    'tfjs-backend-wasm-threaded-simd.wasm': threaded.default,
  });
  if (!(await setBackend('wasm')) || getBackend() !== 'wasm') return 'backendFailed';
  return null;
}

async function tryCpu(): Promise<EngineSkipCode | null> {
  await import('@tensorflow/tfjs-backend-cpu');
  if (!(await setBackend('cpu')) || getBackend() !== 'cpu') return 'backendFailed';
  return null;
}

const describe = (e: unknown) =>
  (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 120);

/**
 * Starts the chosen engine, or walks down the ladder from it. `skip` lists engines known to be
 * broken (e.g. after a lost GPU device) so a restart goes to the next rung.
 */
export async function selectEngine(
  choice: EngineChoice,
  skip: EngineName[] = [],
): Promise<EngineReport> {
  const reasons: EngineReport['reasons'] = {};
  const start = choice === 'auto' ? 0 : LADDER.indexOf(choice);
  for (let k = start; k < LADDER.length; k++) {
    const name = LADDER[k];
    if (skip.includes(name)) {
      reasons[name] = { code: 'failedEarlier' };
      continue;
    }
    try {
      let reason: EngineSkipCode | null = null;
      let software = false;
      if (name === 'webgpu') {
        const r = await tryWebGpu(choice === 'webgpu');
        software = r.software;
        reason = r.ok ? null : (r.reason ?? 'backendFailed');
      } else if (name === 'webgl') {
        // WebGL in a worker on a machine without a GPU is software too; auto prefers WASM.
        reason = choice === 'webgl' ? await tryWebGl() : 'preferWasm';
      } else if (name === 'wasm') reason = await tryWasm();
      else if (name === 'cpu') reason = await tryCpu();
      if (reason === null) return { engine: name, software, reasons };
      reasons[name] = { code: reason };
    } catch (e) {
      reasons[name] = { code: 'error', detail: describe(e) } satisfies EngineSkip;
    }
  }
  return { engine: 'core', software: false, reasons };
}

export function tfMemory(): { numTensors: number; numBytes: number } {
  const m = memory();
  return { numTensors: m.numTensors, numBytes: m.numBytes };
}

/** Registers a handler for a lost WebGPU device, if the active backend has one. */
export function onDeviceLost(handler: (message: string) => void): void {
  const backend = tfEngine().backend as unknown as {
    device?: { lost?: Promise<{ message: string }> };
  };
  void backend.device?.lost?.then((info) => handler(info.message || 'the GPU device was lost'));
}

/**
 * Registers a handler for the first error the WebGPU device reports and nobody caught: a program
 * that failed validation or ran out of memory. Its dispatch did nothing, so the numbers after it
 * are wrong; training must not go on as if it had worked.
 */
export function onDeviceError(handler: (message: string) => void): () => void {
  const device = (tfEngine().backend as unknown as { device?: EventTarget }).device;
  const listener = (e: Event) =>
    handler((e as unknown as { error: { message: string } }).error.message.split('\n')[0]);
  device?.addEventListener('uncapturederror', listener, { once: true });
  return () => device?.removeEventListener('uncapturederror', listener);
}

/** Makes the WebGPU device report a validation error (tests only): a buffer with no usage. */
export function causeDeviceError(): void {
  const device = (tfEngine().backend as unknown as { device?: GPUDevice }).device;
  device?.createBuffer({ size: 4, usage: 0 });
}

/** Destroys the active WebGPU device (tests only): the same path as a real device loss. */
export function loseDevice(): void {
  const backend = tfEngine().backend as unknown as { device?: { destroy(): void } };
  backend.device?.destroy();
}

/** What this machine offers for Auto (engineChoice.ts decides what to time). */
export async function gpuFacts(): Promise<GpuFacts> {
  const gpu = (navigator as unknown as NavigatorGpu).gpu;
  let webgpu: GpuFacts['webgpu'] = 'none';
  if (gpu) {
    const adapter = await gpu.requestAdapter().catch(() => null);
    if (!adapter) webgpu = 'noAdapter';
    else
      webgpu =
        (adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter) ? 'software' : 'hardware';
  }
  return { webgpu, webgl: webGlRenderer() };
}

/** Whether WebGL runs in this worker, and on a real GPU or a software rasteriser. */
function webGlRenderer(): GpuFacts['webgl'] {
  if (typeof OffscreenCanvas === 'undefined') return 'none';
  try {
    const canvas = new OffscreenCanvas(1, 1);
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as
      WebGL2RenderingContext | WebGLRenderingContext | null;
    if (!gl) return 'none';
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(
      gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '',
    );
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer)
      ? 'software'
      : 'hardware';
  } catch {
    return 'none';
  }
}

/** Switches tfjs to one engine; null when it runs, else why not. */
export async function activateEngine(name: EngineName): Promise<EngineSkipCode | null> {
  try {
    if (name === 'webgpu') {
      const r = await tryWebGpu(false);
      return r.ok ? null : (r.reason ?? 'backendFailed');
    }
    if (name === 'webgl') return await tryWebGl();
    if (name === 'wasm') return await tryWasm();
    if (name === 'cpu') return await tryCpu();
    return null;
  } catch {
    return 'backendFailed';
  }
}
