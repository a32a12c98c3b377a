import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = resolve(__dirname, '../../..');
const CLI = join(ROOT, 'electron/training/cli/main.ts');
// tsx by absolute URL, so a run from another folder (the user's) still finds it.
export const TSX = pathToFileURL(join(dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs')).href;

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * `npm run train -- args`, without npm: node with tsx on the CLI, as the package script runs it. `node`: which Node
 * runs it (and so its worker), this test's by default.
 */
export const cli = (args: string[], options: CliOptions = {}, node: string = process.execPath) =>
  spawnSync(node, ['--import', TSX, CLI, ...args], { encoding: 'utf8', timeout: 120_000, ...options });

/**
 * The CLI in a process group of its own, as a shell runs a foreground job, so a test can signal the group the way
 * a terminal's Ctrl+C does. `onStdout` sees the output as it comes.
 */
export function cliLive(
  args: string[],
  onStdout: (text: string, pid: number, child: ChildProcess) => void,
  options: CliOptions = {},
) {
  const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], { detached: true, ...options });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    onStdout(stdout, child.pid!, child);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise<{ status: number | null; signal: string | null; stdout: string; stderr: string }>((done) => {
    child.on('close', (status, signal) => done({ status, signal, stdout, stderr }));
  });
}

/** The smallest real run: 64 images, one batch, 100 test images. */
export const TINY = ['--epochs', '1', '--limit', '64', '--test-limit', '100'];
const temps: string[] = [];
/** A fresh folder under the system temp; `removeTemps` (each file's afterAll) deletes every one made. */
export function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'athanor-cli-'));
  temps.push(dir);
  return dir;
}
export function removeTemps(): void {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
}
