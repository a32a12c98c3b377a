import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportWeights } from '../../../electron/training/export/index';
import { readSafetensors } from '../../../electron/training/export/safetensors';
import { parseCli } from '../../../electron/training/cli/args';
import { checkOutputTarget, OutputError, saveWeights } from '../../../electron/training/cli/output-target';
import { initialWeights } from '../../../electron/training/core/model';
import type { TrainedModel } from '../../../electron/training/process/protocol';

const temps: string[] = [];
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'athanor-out-'));
  temps.push(dir);
  return dir;
};
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function refusal(path: string): Promise<string> {
  const err = await checkOutputTarget(path).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OutputError);
  return (err as Error).message;
}

describe('checkOutputTarget: everything about the weights file, before training', () => {
  it('accepts each format in a writable folder, leaving nothing behind', async () => {
    const dir = temp();
    for (const name of ['w.pth', 'w.PT', 'w.safetensors', 'w.json']) {
      expect(await checkOutputTarget(join(dir, name))).toEqual({ madeFolder: null, madeFrom: null });
    }
    writeFileSync(join(dir, 'old.pth'), 'x');
    expect(await checkOutputTarget(join(dir, 'old.pth'))).toEqual({ madeFolder: null, madeFrom: null }); // replaced after training
    expect(readdirSync(dir)).toEqual(['old.pth']);
  });

  it('makes a missing folder with its parents and returns the first one made', async () => {
    const dir = temp();
    expect(await checkOutputTarget(join(dir, 'a', 'b', 'w.pth'))).toEqual({
      madeFolder: join(dir, 'a', 'b'),
      madeFrom: join(dir, 'a'),
    });
    expect(existsSync(join(dir, 'a', 'b'))).toBe(true);
  });

  it.runIf(process.platform === 'linux')(
    "refuses a folder under /proc in words (Node's recursive mkdir spins there for ever)",
    async () => {
      for (const [path, parent] of [
        ['/proc/athanor-x/w.pth', '/proc'],
        ['/proc/self/a/b/w.pth', '/proc/self'],
      ]) {
        const err = await checkOutputTarget(path).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(OutputError);
        expect((err as Error).message).toBe(
          `cannot make the folder ${dirname(path)} for the weights: ${parent} takes no new folders ` +
            '(a virtual file system such as /proc)',
        );
      }
    },
  );

  it('refuses every kind of target that would fail after training, each with its own reason', async () => {
    const dir = temp();
    mkdirSync(join(dir, 'folder.pth'));
    writeFileSync(join(dir, 'file'), 'x');
    expect(await refusal(join(dir, 'x.txt'))).toMatch(
      /its extension "\.txt" is not one Athanor writes; end it in one of \.pth, \.pt, \.safetensors, \.json, \.onnx$/,
    );
    expect(await refusal(join(dir, 'model.weights.bin'))).toMatch(/its extension "\.bin" is not one Athanor writes/);
    expect(await refusal(join(dir, 'noext'))).toMatch(
      /the name has no extension; end it in one of \.pth, \.pt, \.safetensors, \.json, \.onnx$/,
    );
    expect(await refusal(join(dir, 'folder.pth'))).toBe(
      `cannot write the weights to ${join(dir, 'folder.pth')}: it is a folder; name a file in it, such as ${join(dir, 'folder.pth', 'mnist_cnn.pth')}`,
    );
    // A folder named without an extension is still a folder, not an unknown extension.
    expect(await refusal(dir)).toBe(
      `cannot write the weights to ${dir}: it is a folder; name a file in it, such as ${join(dir, 'mnist_cnn.pth')}`,
    );
    expect(await refusal(join(dir, 'file', 'w.pth'))).toBe(
      `cannot write the weights to ${join(dir, 'file', 'w.pth')}: ${join(dir, 'file')} is not a folder`,
    );
    expect(await refusal(join(dir, 'file', 'sub', 'w.pth'))).toBe(
      `cannot write the weights to ${join(dir, 'file', 'sub', 'w.pth')}: a part of the folder path is a file`,
    );
    if (existsSync('/proc/self')) {
      expect(await refusal('/proc/x.pth')).toBe(
        'cannot write the weights to /proc/x.pth: the folder does not take new files (a virtual file system such as /proc)',
      );
      expect(await refusal('/proc/self/x.json')).toMatch(/the folder does not take new files/);
      expect(await refusal('/proc/self/status.pth')).toMatch(/the folder does not take new files/);
    }
    if (existsSync('/dev/null')) {
      expect(await refusal('/dev/null/x.pth')).toBe(
        'cannot write the weights to /dev/null/x.pth: /dev/null is not a folder',
      );
    }
    expect(await refusal(join(dir, `${'n'.repeat(300)}.pth`))).toMatch(/file name too long$/);
    // Fits the file system's 255 bytes, but not the temp file the atomic write makes first (.NAME.PID-HEX.tmp).
    expect(await refusal(join(dir, `${'n'.repeat(240)}.pth`))).toMatch(/file name too long$/);
    expect(await refusal(join(dir, `${'n'.repeat(220)}.json`))).toMatch(/file name too long$/); // its .HASH.weights.bin
    // A file that says no is not replaced after training (writeFileAtomic refuses it): refused now instead.
    writeFileSync(join(dir, 'kept.pth'), 'theirs', { mode: 0o444 });
    expect(await refusal(join(dir, 'kept.pth'))).toBe(
      `cannot write the weights to ${join(dir, 'kept.pth')}: the file is ` +
        'read-only, or not yours to change: Athanor does not replace it',
    );
    // A name ending in a separator names a folder, whatever its extension.
    expect(await refusal(`${join(dir, 'new.pth')}/`)).toBe(
      `cannot write the weights to ${join(dir, 'new.pth')}/: the name ends in ` +
        `"/", so it names a folder; drop the "/" to name a file, or name a file in it, such as ${join(dir, 'new.pth', 'mnist_cnn.pth')}`,
    );
    expect(readdirSync(dir).sort()).toEqual(['file', 'folder.pth', 'kept.pth']);
  });

  it('checks what a link leads to, as the write will: its folder is made, a loop and a read-only file refused', async () => {
    const dir = temp();
    const link = join(dir, 'latest.pth');
    symlinkSync(join(dir, 'runs', 'today', 'w.pth'), link);
    expect(await checkOutputTarget(link)).toEqual({
      madeFolder: join(dir, 'runs', 'today'),
      madeFrom: join(dir, 'runs'),
    });
    expect(readdirSync(join(dir, 'runs', 'today'))).toEqual([]);
    symlinkSync('loop.pth', join(dir, 'loop.pth'));
    expect(await refusal(join(dir, 'loop.pth'))).toBe(
      `cannot write the weights to ${join(dir, 'loop.pth')}: a link that loops back on itself`,
    );
    writeFileSync(join(dir, 'theirs.pth'), 'x', { mode: 0o444 });
    symlinkSync(join(dir, 'theirs.pth'), join(dir, 'mine.pth'));
    expect(await refusal(join(dir, 'mine.pth'))).toMatch(/: the file is read-only, or not yours to change/);
  });

  it('the command line keeps a trailing / so that it is refused as the folder it names', async () => {
    const dir = temp();
    const { out } = parseCli(['--out', `${join(dir, 'new.pth')}/`]);
    expect(out).toBe(`${join(dir, 'new.pth')}/`);
    expect(await refusal(out)).toMatch(/: the name ends in "\/", so it names a folder; drop the "\/" to name a file/);
    expect(parseCli(['--out', join(dir, 'w.pth')]).out).toBe(join(dir, 'w.pth'));
    expect(await refusal(`${join(dir, 'a.safetensors')}/`)).toMatch(
      /such as .*\/a\.safetensors\/mnist_cnn\.safetensors$/,
    );
  });
});

describe('saveWeights: a write that fails after training keeps the weights', () => {
  const model: TrainedModel = { weights: initialWeights(1), topology: {} };

  it('writes to the target when it can', async () => {
    const path = join(temp(), 'w.safetensors');
    const outcome = await saveWeights(path, model);
    expect(outcome).toMatchObject({ saved: true, result: { files: [path], format: 'safetensors' } });
  });

  it('puts them in the temp folder under the same name when the target fails, and says why', async () => {
    const rescueDir = temp();
    const path = join(temp(), 'gone', 'w.safetensors');
    const outcome = await saveWeights(path, model, exportWeights, rescueDir);
    expect(outcome.saved).toBe(false);
    if (outcome.saved) return;
    expect(outcome.reason).toBe(`cannot write ${path}: directory does not exist`);
    const [file] = outcome.rescued!.files;
    expect(file).toMatch(new RegExp(`^${rescueDir}/athanor-weights-\\d+-\\w{6}/w\\.safetensors$`));
    expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
    const back = await readSafetensors(file);
    expect(back.tensors.map((t) => t.name)).toContain('fc1.weight');
  });

  it('says so when the temp folder fails too', async () => {
    const failing: typeof exportWeights = async (p) => {
      throw new Error(`cannot write ${p}: disk full`);
    };
    const rescueDir = temp();
    const outcome = await saveWeights('/x/w.pth', model, failing, rescueDir);
    expect(outcome).toMatchObject({ saved: false, reason: 'cannot write /x/w.pth: disk full', rescued: null });
    expect((outcome as { rescueReason: string }).rescueReason).toMatch(/disk full$/);
    // Nothing left behind: no empty rescue folder.
    expect(readdirSync(rescueDir)).toEqual([]);
  });
});
