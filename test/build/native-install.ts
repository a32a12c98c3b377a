/**
 * What `npm install` leaves of @tensorflow/tfjs-node(-gpu) 4.22.0 on each system, worked out from the published
 * tarballs' own install code (scripts/install.js, deps-stage.js, deps-constants.js, package.json's `binary`), for
 * tests that cannot run that install (it downloads libtensorflow):
 *
 * - node-pre-gyp puts tfjs_binding.node into binary.module_path `./lib/napi-v{napi_build_version}`, the highest of
 *   binary.napi_versions [3..8] not above the installing Node's N-API version: napi-v8 on every Node >= 16.
 * - install.js unpacks a libtensorflow tarball into deps/ (getPlatformLibtensorflowUri): TensorFlow 2.9.1 for
 *   linux/darwin/windows x64 (the gpu package's linux and windows builds for CUDA), and custom 2.7 builds for linux
 *   arm64 (`libtensorflow_r2_7_linux_arm64.tar.gz`, CPU even for tfjs-node-gpu) and darwin arm64
 *   (`libtensorflow_r2_7_darwin_arm64_cpu.tar.gz`). Other systems (windows arm64) throw "Unsupported system": the
 *   install fails and npm drops the optional package.
 * - On win32 only, `deps-stage.js symlink` puts tensorflow.dll into deps-constants' modulePath, whose
 *   `{napi_build_version}` it fills with process.versions.napi: lib/napi-v9 on Node 20, lib/napi-v10 on Node 22.14+
 *   (Electron 45's Node). It links, or copies when Windows refuses the link (no developer mode or admin rights).
 *
 * The libtensorflow tarballs follow TensorFlow's layout (lib/libtensorflow.so.X.Y.Z with .so.X and .so links;
 * libtensorflow.X.Y.Z.dylib with .X.dylib and .dylib links; tensorflow.dll and tensorflow.lib in lib/ on Windows):
 * the binding links the major-version names (binding.gyp), so only those matter to it.
 */
import type { FixtureEntry, Platform } from './builder';

export type Arch = 'x64' | 'arm64';
export type NativePackage = 'tfjs-node' | 'tfjs-node-gpu';

export interface InstallingNode {
  label: string;
  /** process.versions.napi of the Node that ran `npm install`. */
  napi: number;
}

export const INSTALLING_NODES: InstallingNode[] = [
  { label: 'Node 20', napi: 9 },
  { label: 'Node 22', napi: 10 },
];

/** binary.napi_versions of both 4.22.0 packages. */
const NAPI_VERSIONS = [3, 4, 5, 6, 7, 8];

/** node-pre-gyp's get_best_napi_build_version. */
export function bindingNapiVersion(napi: number): number {
  return Math.max(...NAPI_VERSIONS.filter((v) => v <= napi));
}

/** deps/ as unpacked from the tarball install.js fetches for this system, or null where it has none. */
function libtensorflow(platform: Platform, arch: Arch): FixtureEntry[] | null {
  const headers = ['deps/LICENSE', 'deps/include/tensorflow/c/c_api.h', 'deps/include/tensorflow/c/eager/c_api.h'];
  const version = arch === 'arm64' ? '2.7.0' : '2.9.1';
  const lib = (name: string): FixtureEntry => ({ path: `deps/lib/${name}` });
  const link = (name: string, target: string): FixtureEntry => ({ path: `deps/lib/${name}`, link: target });
  if (platform === 'win32') {
    return arch === 'x64' ? [...headers, 'deps/lib/tensorflow.dll', 'deps/lib/tensorflow.lib'].map((p) => ({ path: p })) : null;
  }
  const entries = headers.map((p) => ({ path: p }));
  for (const base of ['libtensorflow', 'libtensorflow_framework']) {
    if (platform === 'linux') {
      entries.push(lib(`${base}.so.${version}`), link(`${base}.so.2`, `${base}.so.${version}`), link(`${base}.so`, `${base}.so.2`));
    } else {
      entries.push(lib(`${base}.${version}.dylib`), link(`${base}.2.dylib`, `${base}.${version}.dylib`),
        link(`${base}.dylib`, `${base}.2.dylib`));
    }
  }
  return entries;
}

/**
 * The files `npm install` adds to the package on this system, or null when the install fails (npm then removes the
 * optional package). `symlinks`: whether Windows let deps-stage.js make its link (else it copied the DLL).
 */
export function simulatedInstall(platform: Platform, arch: Arch, node: InstallingNode, symlinks = true): FixtureEntry[] | null {
  const deps = libtensorflow(platform, arch);
  if (!deps) return null;
  const entries: FixtureEntry[] = [{ path: `lib/napi-v${bindingNapiVersion(node.napi)}/tfjs_binding.node` }, ...deps];
  if (platform === 'win32') {
    const staged = `lib/napi-v${node.napi}/tensorflow.dll`;
    entries.push(symlinks ? { path: staged, link: '../../deps/lib/tensorflow.dll' } : { path: staged, copyOf: 'deps/lib/tensorflow.dll' });
  }
  return entries;
}
