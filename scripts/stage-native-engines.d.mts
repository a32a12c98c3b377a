// Types for the tests, which import the staging script; see stage-native-engines.mjs.
export declare const PROJECT_ROOT: string;
export declare const NATIVE_PACKAGES: string[];
export declare const BINDING_DIR: string;
export declare function requiredEngines(env?: Record<string, string | undefined>): string[];
export interface StageOutcome {
  ok: boolean;
  reason?: string;
  copied: Array<{ from: string; to: string }>;
  removed: string[];
}
export declare function stageNativeEngine(
  dir: string,
  platform: string,
  options?: { prune?: boolean },
): Promise<StageOutcome>;
export declare function resourcesDir(appOutDir: string, platform: string, productFilename: string): string;
export default function afterPack(context: {
  appOutDir: string;
  electronPlatformName: string;
  packager: { appInfo: { productFilename: string } };
}): Promise<void>;
