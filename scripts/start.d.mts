// Types for the tests, which import the start script; see start.mjs.
export declare const PROJECT_ROOT: string;
export type ElectronBinary = { ok: true; path: string } | { ok: false; reason: string };
export declare function electronPackageDir(projectRoot?: string): string | null;
export declare function findElectronBinary(electronDir?: string | null, env?: NodeJS.ProcessEnv): ElectronBinary;
export declare function electronMissingMessage(reason: string): string;
export declare function ensureElectronBinary(
  electronDir?: string | null,
  run?: (command: string, args: string[], options: { stdio: 'inherit' }) => unknown,
): ElectronBinary;
