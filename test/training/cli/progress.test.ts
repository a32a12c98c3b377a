import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createProgressLine, formatEta, formatProgressLine } from '../../../electron/training/cli/progress';
import type { Progress } from '../../../electron/training/process/protocol';
import { removeTemps, temp } from './helpers';

afterAll(removeTemps);

const P: Progress = {
  epoch: 2,
  epochs: 5,
  batch: 34,
  batchesPerEpoch: 938,
  step: 972,
  totalSteps: 4690,
  loss: 0.12345,
  imagesPerSecond: 812.4,
  elapsedMs: 76_000,
  etaMs: 185_000,
};

function fakeStream(isTTY: boolean, columns = 120) {
  const writes: string[] = [];
  return { isTTY, columns, writes, write: (t: string) => writes.push(t) };
}

describe('the CLI progress line', () => {
  it('names epoch, batch, loss, images per second and ETA', () => {
    expect(formatProgressLine(P)).toBe('epoch 2/5 · batch  34/938 · loss 0.123 · 812 img/s · ETA 3 min 05 s');
    expect(formatEta(400)).toBe('1 s');
    expect(formatEta(59_001)).toBe('1 min 00 s');
    expect(formatEta(3_725_000)).toBe('1 h 02 min');
    expect(formatEta(Number.NaN)).toBe('?');
    expect(formatProgressLine({ ...P, imagesPerSecond: 0, etaMs: 0 })).toMatch(/0 img\/s · ETA \?$/);
  });

  it('redraws in place on a terminal, fits its width, and erases itself', () => {
    const tty = fakeStream(true, 40);
    const line = createProgressLine(tty);
    line.update(P);
    line.update({ ...P, batch: 35 });
    line.clear();
    line.clear();
    expect(tty.writes).toEqual([
      `\r${formatProgressLine(P).slice(0, 39)}\x1b[K`,
      `\r${formatProgressLine({ ...P, batch: 35 }).slice(0, 39)}\x1b[K`,
      '\r\x1b[K',
    ]);
  });

  it('writes nothing when stderr is not a terminal', () => {
    const pipe = fakeStream(false);
    const line = createProgressLine(pipe);
    line.update(P);
    line.clear();
    expect(pipe.writes).toEqual([]);
  });

  it('shows on a real pseudo-terminal during `npm run train`, between intact reference lines', () => {
    const out = join(temp(), 'w.safetensors');
    const command = [
      process.execPath,
      '--import',
      'tsx',
      'electron/training/cli/main.ts',
      '--epochs',
      '1',
      '--batch-size',
      '16',
      '--limit',
      '1600',
      '--test-limit',
      '100',
      '--lr',
      '0.01',
      '--out',
      out,
    ].join(' ');
    // util-linux `script` gives the CLI a terminal on stdout and stderr, as a user's shell would.
    const r = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\r\n');
    expect(r.stdout).toMatch(/\repoch 1\/1 · batch +\d+\/100 · loss \d\.\d{3} · \d+ img\/s · ETA \d+ s\x1b\[K/);
    // The reference's line stands on a row of its own once the progress line is erased.
    const window = lines.find((l) => l.includes('[1,   100] loss:'))!;
    expect(window.replace(/^[\s\S]*\r\x1b\[K/, '')).toMatch(/^\[1, {3}100\] loss: \d\.\d{3}$/);
    expect(lines.some((l) => l.replace(/^[\s\S]*\r\x1b\[K/, '') === 'Finished Training')).toBe(true);
    expect(lines.filter((l) => l.startsWith('  test accuracy'))).toHaveLength(1);
  }, 120_000);
});
