import { gpuName } from '../shared/adapter-label';
import type { DevicesReport } from '../shared/ipc-contract';

export interface HardwareNames {
  cpu: string;
  gpu: string | null;
}

/**
 * Hardware names for history rows: the CPU model, and the GPU "Auto" would train on (adapter-label's gpuName). A
 * run's row takes its engine's adapter name once the run has started.
 */
export function hardwareNames(
  report: Pick<DevicesReport, 'cpu' | 'gpus'> & Partial<Pick<DevicesReport, 'engines' | 'adapters'>>,
): HardwareNames {
  return { cpu: report.cpu.model, gpu: gpuName(report, report.engines?.gpu.engine, 'en') };
}
