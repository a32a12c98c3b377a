// Types for the tests, which import the build script; see pack-resources.mjs.
export declare const MNIST_FILES: string[];
export declare const PROJECT_ROOT: string;
export declare const DEFAULT_OUT_DIR: string;
export declare function mnistSourceDir(projectRoot?: string): string;
export interface PackedFile {
  file: string;
  bytes: number;
  sourceBytes: number;
  reused: boolean;
}
export declare function packMnist(options?: {
  sourceDir?: string;
  outDir?: string;
  files?: string[];
}): Promise<PackedFile[]>;
export interface NativeEngineStatus {
  pkg: string;
  label: string;
  platforms: string[];
  dir: string;
  declared: boolean;
  present: boolean;
}
export declare function nativeEnginesFor(platform: string, projectRoot?: string): Promise<NativeEngineStatus[]>;
export default function beforePack(context: {
  packager: { projectDir: string };
  electronPlatformName: string;
}): Promise<void>;
