import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCli } from '../../electron/training/cli';
import { formatLossLine } from '../../electron/training/report';

const cli = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'electron/training/cli.ts', ...args], { encoding: 'utf8', timeout: 120_000 });

describe('parseCli', () => {
  it('maps flags onto the config with the reference defaults', () => {
    const { config, out, fallback, probe } = parseCli(['--epochs', '2', '--batch-size', '32', '--lr', '0.01', '--seed', '9', '--limit', '500']);
    expect(config).toEqual({ device: 'cpu', epochs: 2, batchSize: 32, lr: 0.01, momentum: 0.9, seed: 9, limit: 500 });
    expect(out.endsWith('mnist_cnn.pth')).toBe(true);
    expect(fallback).toBe(false);
    expect(probe).toBe(false);
    expect(parseCli(['--probe']).probe).toBe(true);
  });
  it('refuses non-numbers, unknown flags and invalid values', () => {
    expect(() => parseCli(['--epochs', 'five'])).toThrow('--epochs needs a number, got "five"');
    expect(() => parseCli(['--epochz', '5'])).toThrow(/Unknown option '--epochz'/);
    expect(() => parseCli(['--momentum', '1'])).toThrow(/momentum must be at least 0 and below 1/);
    expect(() => parseCli(['--device', 'tpu'])).toThrow(/device must be "cpu" or "gpu"/);
  });
});

describe('formatLossLine', () => {
  it("prints the reference's line", () => {
    expect(formatLossLine({ epoch: 1, batch: 100, meanLoss: 2.26812 })).toBe('[1,   100] loss: 2.268');
    expect(formatLossLine({ epoch: 5, batch: 900, meanLoss: 0.0805 })).toBe('[5,   900] loss: 0.081');
  });
});

describe('npm run train', () => {
  it('trains, prints the reference log and a summary, and writes the weights', () => {
    const dir = mkdtempSync(join(tmpdir(), 'athanor-cli-'));
    const out = join(dir, 'w.safetensors');
    const r = cli(['--epochs', '1', '--batch-size', '16', '--lr', '0.01', '--limit', '1600', '--test-limit', '500', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Training on CPU with wasm 4\.22\.0/m);
    expect(r.stdout).toMatch(/^Fallback engine: @tensorflow\/tfjs-node is not installed/m);
    expect(r.stdout).toMatch(/^\[1,   100\] loss: [0-2]\.\d{3}$/m);
    expect(r.stdout).toMatch(/^Finished Training$/m);
    expect(r.stdout).toMatch(/^Training took \d+\.\d{2} seconds$/m);
    const accuracy = Number(/test accuracy\s+([\d.]+)% on 500 test images/.exec(r.stdout)?.[1]);
    expect(accuracy).toBeGreaterThan(50);
    expect(r.stdout).toContain(`weights         ${out}`);
    const header = readFileSync(out);
    expect(Number(header.readBigUInt64LE(0))).toBeGreaterThan(100); // a safetensors JSON header follows
  });

  it('probes the engines without training', () => {
    const r = cli(['--probe']);
    expect(r.status, r.stderr).toBe(0);
    // The wasm fallback runs on every core the machine offers (one core: the single-thread build).
    const cores = availableParallelism();
    const threading = cores > 1 ? `${cores} threads` : 'single thread';
    expect(r.stdout).toContain(`CPU: wasm 4.22.0 (SIMD, ${threading}), the fallback engine: @tensorflow/tfjs-node is not installed`);
    expect(r.stdout).toMatch(/^GPU: cannot train: @tensorflow\/tfjs-node-gpu is not installed/m);
    expect(r.stdout).not.toMatch(/loss/);
  });

  it('exits 2 with the usage on bad flags, before training', () => {
    const ambiguous = cli(['--lr', '-1']);
    expect(ambiguous.status).toBe(2);
    expect(ambiguous.stderr).toMatch(/To specify an option argument starting with a dash use '--lr=-XYZ'/);
    const r = cli(['--lr=-1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/athanor: invalid training settings: learning rate must be a positive finite number, got -1/);
    expect(r.stderr).toMatch(/Usage: npm run train/);
  });

  it('exits 1 with the reason when the GPU engine is missing, writing nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'athanor-cli-'));
    const out = join(dir, 'gpu.pth');
    const r = cli(['--device', 'gpu', '--limit', '64', '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/athanor: @tensorflow\/tfjs-node-gpu is not installed/);
    expect(existsSync(out)).toBe(false);
  });

  it('exits 1 when the weights cannot be written, saying why', () => {
    const r = cli(['--epochs', '1', '--limit', '64', '--test-limit', '100', '--out', '/nonexistent-dir/w.pth']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/\/nonexistent-dir\/w\.pth/);
  });
});
