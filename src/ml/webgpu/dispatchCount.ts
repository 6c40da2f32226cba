/**
 * Counts compute dispatches on this thread's WebGPU devices: every tfjs kernel and every fused
 * program ends in GPUComputePassEncoder.dispatchWorkgroups. For tests and the bench.
 */
let count = 0;

export function dispatchCount(): number {
  const proto = (globalThis as { GPUComputePassEncoder?: { prototype: object } })
    .GPUComputePassEncoder?.prototype as
    { dispatchWorkgroups(...a: number[]): void; __lstmLabCounted?: boolean } | undefined;
  if (proto && !proto.__lstmLabCounted) {
    const original = proto.dispatchWorkgroups;
    proto.dispatchWorkgroups = function (this: unknown, ...a: number[]) {
      count++;
      return original.apply(this, a);
    };
    proto.__lstmLabCounted = true;
  }
  return count;
}
