import type { GpuAdapter } from '../../shared/schema/engine';
import { EngineUnavailableError } from './errors';

export interface BrowserEngineOptions {
  /** Tests and benchmarks on machines without a GPU: accept a software adapter (see WorkerOptions). */
  allowSoftwareAdapter?: boolean;
}

/**
 * A software adapter is not a GPU: a "GPU" run on SwiftShader or llvmpipe trains on the CPU, slower than the CPU
 * engines, and its timing would make the CPU-vs-GPU comparison a lie. Refused unless a test asks for it.
 */
export function refuseSoftwareAdapter(api: string, adapter: GpuAdapter, options: BrowserEngineOptions): void {
  if (adapter.software && !options.allowSoftwareAdapter) {
    throw new EngineUnavailableError({ code: 'software-adapter', api, adapter: adapter.name });
  }
}
