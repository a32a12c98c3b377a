/** Placeholder until the split-reduction kernels land from branch gpu-kernels. */
export function registerWebGpuTrainingKernels(): void {}
