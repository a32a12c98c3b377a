/**
 * A write killed half-way leaves nothing hidden in the user's folder for good: a process that exits mid-write takes
 * its temp file with it, and one killed outright (SIGKILL: nothing runs) has its temp file removed by the next write
 * of the same file. Only temp files of that target whose process is gone are touched.
 */
import { fork } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../electron/fs-atomic';

/** Above Linux's largest pid (2^22), so no process has it. */
const NO_SUCH_PID = 4_194_305;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'athanor-killed-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Starts a writer of `path` that stops half-way ('kill': it resolves once the temp file is on disk and waits). */
async function halfWrite(path: string, how: 'kill' | 'exit') {
  const child = fork(join(__dirname, 'killed-write.ts'), [path, how], { execArgv: ['--import', 'tsx'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (how === 'kill') await new Promise<void>((resolve) => child.on('message', (m) => m === 'writing' && resolve()));
  return { child, exited };
}

describe('killed writes', () => {
  it('SIGKILL mid-export: the temp file stays until the next write of that file removes it', async () => {
    const path = join(dir, 'model.pth');
    const { child, exited } = await halfWrite(path, 'kill');
    const temps = (await readdir(dir)).filter((f) => f.startsWith('.model.pth.'));
    expect(temps).toEqual([expect.stringMatching(new RegExp(`^\\.model\\.pth\\.${child.pid}-[0-9a-f]{8}\\.tmp$`))]);
    child.kill('SIGKILL');
    await exited;
    // Beside it: a live writer's temp (this process), another target's dead temp, and the user's own files.
    const mine = `.model.pth.${process.pid}-0123abcd.tmp`;
    const other = `.other.pth.${NO_SUCH_PID}-deadbeef.tmp`;
    for (const f of [mine, other, '.model.pth.notes', `model.pth.${NO_SUCH_PID}-deadbeef.tmp`])
      await writeFile(join(dir, f), 'keep');
    await writeFileAtomic(path, 'the export');
    expect(await readFile(path, 'utf8')).toBe('the export');
    expect((await readdir(dir)).sort()).toEqual(
      [mine, '.model.pth.notes', other, 'model.pth', `model.pth.${NO_SUCH_PID}-deadbeef.tmp`].sort(),
    );
  });

  it('an exit mid-write (a quit during an export) takes the temp file with it', async () => {
    const path = join(dir, 'model.safetensors');
    const { exited } = await halfWrite(path, 'exit');
    expect(await exited).toBe(0);
    expect(await readdir(dir)).toEqual([]);
  });
});
