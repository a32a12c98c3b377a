/** Advice for a missing or broken native engine; free of tfjs, so main (device detection) can word it too. */

/** The tfjs version Athanor runs, which a native package must match (a test checks it against tfjs-core's own). */
export const TFJS_VERSION = '4.22.0';

/**
 * How to get a native package that works, for a development checkout (`packaged`: an installed app, whose user
 * reinstalls it). Only commands that cannot leave things worse: not `npm rebuild`, whose install script wipes deps/
 * and downloads libtensorflow again unless it finds the version file it expects (an offline rebuild breaks a working
 * copy); not a bare `npm install <pkg>`, which turns the exact pin into a range (tfjs-node) or adds a hard
 * dependency whose failed download breaks every later install (tfjs-node-gpu). tfjs-node is an exact optional
 * dependency already, so `npm install` retries it; on Linux x64 scripts/build-tfjs-node.sh builds it without
 * Google's download. tfjs-node-gpu is added optional and exact, at the tfjs version Athanor runs.
 * `broken`: the package is there but lacks its files, so it goes first (npm would keep the broken copy).
 */
export function nativeInstallAdvice(pkg: string, broken: boolean, packaged: boolean): string {
  if (packaged) return 'reinstall Athanor';
  const remove = broken ? `delete node_modules/${pkg}, then ` : '';
  if (pkg === '@tensorflow/tfjs-node-gpu') {
    return `${remove}run "npm install --save-optional --save-exact ${pkg}@${TFJS_VERSION}" with internet access (it downloads libtensorflow for CUDA)`;
  }
  return `${remove}run "npm install" with internet access (it downloads libtensorflow), or on Linux x64 "npm run build:tfjs-node" (it builds the engine from pip's tensorflow-cpu)`;
}
