/**
 * Node 23 removed the legacy `util.is*` type checks (DEP0044-DEP0058), and @tensorflow/tfjs-node 4.22.0 still calls
 * `util.isNullOrUndefined` from its kernels (dist/nodejs_kernel_backend.js for every op with optional inputs,
 * dist/kernels/TopK.js), so on Node 24, the Node inside Electron 40 and later, the engine loads and then fails at its
 * first batch: "(0 , util_1.isNullOrUndefined) is not a function" (tensorflow/tfjs#8609). The fix upstream,
 * tensorflow/tfjs#8425 (merged April 2025), is in no release: 4.22.0 (October 2024) is the last. tfjs-node-gpu is the
 * same code. Both call the functions through the `util` module object at call time, so defining the missing ones on
 * it before the package runs fixes both, in the one place that loads them (native.ts).
 *
 * `util.isArray`, which tfjs-node also calls, is still on Node 24 but deprecated at run time (DEP0044): every run
 * printed "DeprecationWarning: The `util.isArray` API is deprecated" on the user's terminal. It is set to
 * Array.isArray, which it has always been an alias of, so it neither warns nor breaks on the Node that drops it.
 */
import nodeUtil from 'node:util';

type LegacyUtil = Record<string, unknown>;

const isNullOrUndefined = (value: unknown): boolean => value === null || value === undefined;

/**
 * Gives `util` the legacy functions tfjs-node 4.22 calls, as Node defined them before their removal: adds
 * isNullOrUndefined where this Node lacks it and makes isArray the plain Array.isArray. Returns the names it set;
 * calling it again sets nothing.
 */
export function patchLegacyUtil(util: LegacyUtil = nodeUtil as unknown as LegacyUtil): string[] {
  const set: string[] = [];
  const define = (name: string, value: unknown) => {
    Object.defineProperty(util, name, { value, writable: true, configurable: true, enumerable: false });
    set.push(name);
  };
  if (typeof util.isNullOrUndefined !== 'function') define('isNullOrUndefined', isNullOrUndefined);
  if (util.isArray !== Array.isArray) define('isArray', Array.isArray);
  return set;
}
