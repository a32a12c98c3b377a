import {
  getKernel,
  type DataId,
  type DataType,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { overrideKernel } from '../override-kernel';

/** The parts of tfjs-backend-wasm's `BackendWasm` that the training kernels use; every wasm kernel uses them. */
export interface WasmBackend {
  dataIdMap: { get(dataId: DataId): { id: number; memoryOffset: number } | undefined };
  wasm: { HEAPU8: Uint8Array };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  disposeData(dataId: DataId): boolean;
  /** One more tensor shares this data (as wasm's Reshape does); disposeData frees it at the last reference. */
  incRef(dataId: DataId): void;
}

/** Calls other wasm kernels from inside a kernel, where tfjs ops (which go through the engine) must not be used. */
export class WasmCalls {
  constructor(readonly backend: WasmBackend) {}

  run(name: string, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap = {}): TensorInfo {
    const kernel = getKernel(name, 'wasm');
    if (!kernel) throw new Error(`tfjs-backend-wasm has no ${name} kernel`);
    return kernel.kernelFunc({ inputs, backend: this.backend, attrs }) as TensorInfo;
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  free(...tensors: TensorInfo[]): void {
    for (const t of tensors) this.backend.disposeData(t.dataId);
  }

  /** A float32 view of a tensor's bytes in the wasm heap; take it after the last allocation (the heap can grow). */
  f32(t: TensorInfo): Float32Array {
    const offset = this.backend.dataIdMap.get(t.dataId)!.memoryOffset;
    return new Float32Array(
      this.backend.wasm.HEAPU8.buffer,
      offset,
      t.shape.reduce((a, b) => a * b, 1),
    );
  }
}

/**
 * Puts `replace(original)` in place of one of wasm's own kernels (overrideKernel). The original's setupFunc travels
 * along, so the original stays callable as a fallback whether or not the backend has started yet. Idempotent; a
 * kernel wasm does not register is left alone.
 */
export function overrideWasmKernel(name: string, replace: (original: KernelFunc) => KernelFunc): void {
  if (getKernel(name, 'wasm') !== undefined) overrideKernel(name, 'wasm', replace);
}
