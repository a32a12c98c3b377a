/** Swapping a backend's registered kernel for one of Athanor's: the one mechanism every engine's kernels use. */
import { getKernel, registerKernel, unregisterKernel, type KernelFunc } from '@tensorflow/tfjs-core';

const ours = new WeakSet<KernelFunc>();

/**
 * Replaces a backend's registered kernel with `make(stock)`, where `stock` is the kernel it replaces (for the calls
 * the new one does not handle). Once per process: a second call finds its own kernel in place and does nothing.
 * Throws when the backend has no such kernel yet, that is when its package has not been imported.
 */
export function overrideKernel(kernelName: string, backendName: string, make: (stock: KernelFunc) => KernelFunc): void {
  const stock = getKernel(kernelName, backendName);
  if (stock === undefined) {
    throw new Error(
      `${backendName} has no ${kernelName} kernel to replace: import @tensorflow/tfjs-backend-${backendName} first`,
    );
  }
  if (ours.has(stock.kernelFunc)) return;
  const kernelFunc = make(stock.kernelFunc);
  ours.add(kernelFunc);
  // registerKernel alone would warn that the name is taken, on every start of the app.
  unregisterKernel(kernelName, backendName);
  registerKernel({ ...stock, kernelFunc });
}
