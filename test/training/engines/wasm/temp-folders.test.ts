/**
 * The wasm engine's private temp folders do not pile up: a worker killed after its answer (every run and probe ends
 * so) runs no exit hook, so its parent removes the folder, and a new one's maker removes what dead processes left.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeWasmTempFolder, removeWasmTempFolders } from '../../../../electron/training/engines/wasm/temp-folders';
import { cli, TINY } from '../../cli/helpers';

const temps: string[] = [];
const temp = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'athanor-tmp-'));
  temps.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The id of a process that has ended. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('removeWasmTempFolders', () => {
  it('removes the folders of dead processes and of the pid it is given, and nothing else', () => {
    const tmp = temp();
    const dead = deadPid();
    const elsewhere = path.join(temp(), 'kept');
    mkdirSync(elsewhere);
    const make = (name: string) => {
      mkdirSync(path.join(tmp, name));
      writeFileSync(path.join(tmp, name, 'threaded-simd-worker-4.22.0.cjs'), 'x');
    };
    make(`athanor-wasm-${dead}-aB3dE9`);
    make(`athanor-wasm-${process.ppid}-live00`); // a live process's (vitest's parent)
    make(`athanor-wasm-${process.pid}-mine00`); // this process's own
    make('athanor-wasm'); // the old shared path: not ours to judge
    make(`athanor-wasm-${dead}-toolong7`);
    symlinkSync(elsewhere, path.join(tmp, `athanor-wasm-${dead}-link00`)); // never followed
    writeFileSync(path.join(tmp, `athanor-wasm-${dead}-file00`), 'not a folder');

    expect(removeWasmTempFolders({ tmp })).toEqual([`athanor-wasm-${dead}-aB3dE9`]);
    expect(readdirSync(tmp).sort()).toEqual(
      [
        'athanor-wasm',
        `athanor-wasm-${dead}-file00`,
        `athanor-wasm-${dead}-link00`,
        `athanor-wasm-${dead}-toolong7`,
        `athanor-wasm-${process.ppid}-live00`,
        `athanor-wasm-${process.pid}-mine00`,
      ].sort(),
    );
    expect(readdirSync(elsewhere)).toEqual([]);
    // A worker that has exited: its folders go even if its pid were taken again meanwhile.
    expect(removeWasmTempFolders({ tmp, pid: process.ppid })).toEqual([`athanor-wasm-${process.ppid}-live00`]);
    expect(removeWasmTempFolders({ tmp: path.join(tmp, 'missing') })).toEqual([]);
  });

  it('a new folder is private, named after its process, and made after the dead ones are gone', () => {
    const tmp = temp();
    const dead = deadPid();
    mkdirSync(path.join(tmp, `athanor-wasm-${dead}-old000`));
    const dir = makeWasmTempFolder(tmp);
    expect(path.basename(dir)).toMatch(new RegExp(`^athanor-wasm-${process.pid}-[A-Za-z0-9]{6}$`));
    expect(readdirSync(tmp)).toEqual([path.basename(dir)]);
  });
});

describe('a real wasm run from the command line', () => {
  it('leaves no temp folder behind, though its worker is killed once it has answered', () => {
    const tmp = temp();
    const out = path.join(temp(), 'w.pth');
    const r = cli([...TINY, '--fallback', '--out', out], {
      env: { ...process.env, TMPDIR: tmp, ATHANOR_THREADS: '2' },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Training on CPU with wasm 4\.22\.0 .*2 threads/m); // the threaded build: it wrote its script
    expect(readdirSync(tmp).filter((n) => n.startsWith('athanor-wasm'))).toEqual([]); // tsx keeps its own cache there
  });
});
