/**
 * electron-builder's own configuration loader and file matchers, for tests that cannot build an installer: what
 * these say is included, unpacked or excluded is what electron-builder 26 decides, not a re-implementation.
 */
import {
  copyFileSync, linkSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Configuration, PlatformSpecificBuildOptions } from 'app-builder-lib';
import * as fileMatcher from 'app-builder-lib/out/fileMatcher';
import { getConfig } from 'app-builder-lib/out/util/config/config';

export const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
export type Platform = 'linux' | 'win32' | 'darwin';
const CONFIG_KEY = { linux: 'linux', win32: 'win', darwin: 'mac' } as const;
const identity = (pattern: string): string => pattern;

export async function loadBuilderConfig(projectDir = ROOT): Promise<Configuration> {
  return getConfig(projectDir, null, null);
}

export function platformOptions(config: Configuration, platform: Platform): PlatformSpecificBuildOptions {
  return (config[CONFIG_KEY[platform]] ?? {}) as PlatformSpecificBuildOptions;
}

/** A file's stat as electron-builder hands it to its filters: node module files carry their app-relative path. */
function fakeStat(relative: string) {
  return { isDirectory: () => false, isFile: () => true, isSymbolicLink: () => false, moduleFullFilePath: relative };
}
type Filter = (file: string, stat: ReturnType<typeof fakeStat>) => boolean;

/** asarUnpack as electron-builder applies it: does this app-relative path go to app.asar.unpacked? */
export function unpackMatcher(config: Configuration, platform: Platform, appDir = ROOT): (relative: string) => boolean {
  const matchers = fileMatcher.getFileMatchers(config, 'asarUnpack', path.join(appDir, 'dest'), {
    macroExpander: identity,
    customBuildOptions: platformOptions(config, platform),
    globalOutDir: path.join(appDir, 'dist'),
    defaultSrc: appDir,
  });
  if (!matchers) return () => false;
  const filter = matchers[0].createFilter() as unknown as Filter;
  return (relative) => filter(path.join(appDir, relative), fakeStat(relative));
}

/** The app's own files (not node_modules): `files` plus electron-builder's default exclusions. */
export function appFileMatcher(config: Configuration, platform: Platform, appDir = ROOT): (relative: string) => boolean {
  const packager = {
    info: {
      projectDir: appDir,
      buildResourcesDir: config.directories?.buildResources ?? 'build',
      config,
      isPrepackedAppAsar: false,
      debugLogger: { isEnabled: false },
    },
  };
  const getMain = (fileMatcher as unknown as {
    getMainFileMatchers: (...args: unknown[]) => fileMatcher.FileMatcher[];
  }).getMainFileMatchers;
  const matchers = getMain(appDir, path.join(appDir, 'dest'), identity, platformOptions(config, platform), packager,
    path.join(appDir, config.directories?.output ?? 'dist'), false);
  const filter = matchers[0].createFilter() as unknown as Filter;
  return (relative) => filter(path.join(appDir, relative), { ...fakeStat(relative), moduleFullFilePath: '' });
}

/**
 * Whether a file of an installed package is copied into the app: electron-builder's node-module matcher (the `!`
 * patterns of `files`, top level and per platform) and its extension blacklist (`.dll` is dropped except on Windows).
 */
export function nodeModuleMatcher(config: Configuration, platform: Platform, appDir = ROOT): (relative: string) => boolean {
  const getNodeModules = (fileMatcher as unknown as {
    getNodeModuleFileMatcher: (...args: unknown[]) => fileMatcher.FileMatcher;
  }).getNodeModuleFileMatcher;
  const moduleMatcher = getNodeModules(appDir, path.join(appDir, 'dest'), identity, platformOptions(config, platform),
    { config, debugLogger: { isEnabled: false } });
  const excludedExts = ['.o', '.obj', '.pdb', ...fileMatcher.excludedExts.split(',').map((ext) => `.${ext}`)];
  if (platform !== 'win32') excludedExts.push('.dll', '.exe');
  const excludedNames = new Set(fileMatcher.excludedNames.split(','));
  return (relative) => {
    const parts = relative.split('/');
    const scoped = parts[1].startsWith('@') ? 3 : 2;
    const depDir = path.join(appDir, ...parts.slice(0, scoped));
    if (parts.some((part) => excludedNames.has(part)) || excludedExts.some((ext) => relative.endsWith(ext))) return false;
    if (moduleMatcher.isEmpty()) return true;
    const matcher = new fileMatcher.FileMatcher(depDir, path.join(appDir, 'dest'), identity, moduleMatcher.patterns);
    const filter = matcher.createFilter() as unknown as Filter;
    return filter(path.join(appDir, relative), fakeStat(relative));
  };
}

export interface FixtureEntry {
  path: string;
  /** Set for a symbolic link: its target, relative to the link's folder. */
  link?: string;
  /** Set for a copy of another file of the package (its path): the placeholder holds that file's content. */
  copyOf?: string;
}

/** A package's file list from test/build/fixtures: `[published]` plus `[install <platform>]`. */
export function readPackageFixture(file: string, platform: Platform): FixtureEntry[] {
  const sections = new Map<string, FixtureEntry[]>();
  let current: FixtureEntry[] | undefined;
  for (const line of readFileSync(path.join(ROOT, 'test', 'build', 'fixtures', file), 'utf8').split('\n')) {
    const header = /^\[(.+)\]$/.exec(line);
    if (header) sections.set(header[1], (current = []));
    else if (line && !line.startsWith('#') && current) {
      const [entry, link] = line.split(' -> ');
      current.push(link ? { path: entry, link } : { path: entry });
    }
  }
  return [...(sections.get('published') ?? []), ...(sections.get(`install ${platform}`) ?? [])];
}

export function hasInstallSection(file: string, platform: Platform): boolean {
  return readFileSync(path.join(ROOT, 'test', 'build', 'fixtures', file), 'utf8').includes(`[install ${platform}]`);
}

/** Lays a package out from a fixture list: placeholder files (their own path, or copyOf's, as content) and the symlinks. */
export function layOutPackage(dir: string, entries: FixtureEntry[]): void {
  for (const entry of entries) {
    const file = path.join(dir, entry.path);
    mkdirSync(path.dirname(file), { recursive: true });
    if (entry.link) symlinkSync(entry.link, file);
    else writeFileSync(file, `${entry.copyOf ?? entry.path}\n`);
  }
}

/** Copies a folder tree as hard links where the file system allows (node_modules is large), else as copies. */
export function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) linkTree(source, target);
    else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
    }
  }
}
