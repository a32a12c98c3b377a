import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inject } from 'vitest';

export const ROOT = resolve(__dirname, '../../..');
// tsx by absolute URL, so a run from another folder (the user's) still finds it.
export const TSX = pathToFileURL(join(dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs')).href;

/**
 * The CLI, `npm run sweep` and the training worker bundled once for the whole run (test/training/built-entries.setup.ts):
 * plain JavaScript, the worker found beside the CLI as the app finds it beside main. `npm run train` itself (tsx)
 * is run by output.test.ts.
 */
export const BUILT = {
  cli: join(inject('builtEntries'), 'main.js'),
  sweep: join(inject('builtEntries'), 'sweep.js'),
  worker: { file: join(inject('builtEntries'), 'worker.js'), execArgv: [] as string[] },
};

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * `npm run train -- args`, without npm or tsx: the bundled CLI. `node`: which Node runs it (and so its worker), this
 * test's by default.
 */
export const cli = (args: string[], options: CliOptions = {}, node: string = process.execPath) =>
  spawnSync(node, [BUILT.cli, ...args], { encoding: 'utf8', timeout: 120_000, ...options });

/**
 * The CLI in a process group of its own, as a shell runs a foreground job, so a test can signal the group the way
 * a terminal's Ctrl+C does. `onStdout` sees the output as it comes.
 */
export function cliLive(
  args: string[],
  onStdout: (text: string, pid: number, child: ChildProcess) => void,
  options: CliOptions = {},
) {
  const child = spawn(process.execPath, [BUILT.cli, ...args], { detached: true, ...options });
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
