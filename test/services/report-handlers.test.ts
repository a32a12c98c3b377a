/**
 * Issue 16's channels over a real history folder: the agreement of two stored runs (read from their weights files),
 * and the report written where the save dialog says, atomically, or not at all.
 */
import { setLanguage } from '../../electron/shared/i18n';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SaveDefaults } from '../../electron/services/handlers';
import { HistoryStore } from '../../electron/services/history-store';
import { weightsPath } from '../../electron/services/history-weights';
import { createReportHandlers } from '../../electron/services/report-handlers';
import { compareWeights } from '../../electron/shared/agreement';
import { makeModel, makeRecord } from './fixtures';

const CPU = '20250102-030405678-cpu-000001';
const GPU = '20250102-030405679-gpu-000002';
const FAILED = '20250102-030405680-gpu-000003';
const LONE = '20250102-030405681-cpu-000004';
const HTML = '<!doctype html>\n<html lang="en"><title>r</title><p>Report</p></html>\n';

let dir: string;
let out: string;
let history: HistoryStore;
let answer: string | null;
let saveCalls: SaveDefaults[];
const cpuModel = makeModel(5, { finite: true });
const gpuModel = makeModel(5, { finite: true });
gpuModel.weights[2].data[3] += 0.25;
gpuModel.weights[5].data[0] -= 1e-6;

const handlers = () =>
  createReportHandlers({
    history,
    dialogs: {
      saveFile: async (defaults) => {
        saveCalls.push(defaults);
        return answer;
      },
    },
  });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'athanor-report-handlers-'));
  out = join(dir, 'out');
  await mkdir(out);
  history = await HistoryStore.open(join(dir, 'user-data'));
  const windows = (shift: number) => [
    { epoch: 1, batch: 100, meanLoss: 2.2 },
    { epoch: 1, batch: 200, meanLoss: 1.1 + shift },
  ];
  await history.saveWeights(CPU, cpuModel);
  await history.put(makeRecord(CPU, { hasWeights: true, lossWindows: windows(0), accuracy: 0.98 }));
  await history.saveWeights(GPU, gpuModel);
  await history.put(makeRecord(GPU, { device: 'gpu', hasWeights: true, lossWindows: windows(0.5), accuracy: 0.97 }));
  await history.put(makeRecord(FAILED, { status: 'failed', device: 'gpu' }));
  await history.saveWeights(LONE, cpuModel);
  await history.put(makeRecord(LONE, { hasWeights: true, settings: { ...makeRecord(LONE).settings, seed: 7 } }));
  answer = null;
  saveCalls = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('history:agreement', () => {
  it("computes the gaps from the two runs' stored weights, losses and accuracies", async () => {
    const result = await handlers()['history:agreement']({ a: CPU, b: GPU });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { agreement } = result;
    expect(agreement.weights).toEqual(compareWeights(cpuModel.weights, gpuModel.weights));
    expect(agreement.weights.map((w) => w.maxAbsDiff > 0)).toEqual([
      false,
      false,
      true,
      false,
      false,
      true,
      false,
      false,
    ]);
    expect(agreement.maxWeightDiff).toBeCloseTo(0.25, 6);
    expect(agreement.loss).toEqual({ epoch: 1, batch: 200, gap: expect.closeTo(0.5, 9), windows: 2 });
    expect(agreement.accuracy).toEqual([0.98, 0.97]);
    expect(agreement.differentSettings).toEqual([]);
  });

  it('names the settings two runs differ in', async () => {
    const result = await handlers()['history:agreement']({ a: CPU, b: LONE });
    expect(result.ok && result.agreement.differentSettings).toEqual(['seed']);
  });

  it('refuses what is not two different run ids, before reading anything', async () => {
    const h = handlers();
    for (const bad of [
      undefined,
      { a: CPU },
      { a: CPU, b: '../../etc/passwd' },
      { a: CPU, b: GPU, c: 1 },
      { a: 1, b: GPU },
    ]) {
      await expect(h['history:agreement'](bad)).rejects.toThrow('invalid argument for "history:agreement"');
    }
    await expect(h['history:agreement']({ a: CPU, b: CPU })).rejects.toThrow('must name two different runs');
  });

  it('answers with a reason, not a crash, for an unknown run, one without weights, and missing or corrupt files', async () => {
    const h = handlers();
    const unknown = '20250102-030405690-cpu-00000f';
    expect(await h['history:agreement']({ a: unknown, b: GPU })).toEqual({
      ok: false,
      problem: { code: 'run-unknown', id: unknown },
    });
    expect(await h['history:agreement']({ a: CPU, b: FAILED })).toEqual({
      ok: false,
      problem: { code: 'no-weights', id: FAILED, status: 'failed' },
    });

    await writeFile(weightsPath(join(dir, 'user-data'), GPU, 'json'), '{ not json');
    const corrupt = await h['history:agreement']({ a: CPU, b: GPU });
    expect(corrupt).toMatchObject({ ok: false, problem: { code: 'weights-unreadable', id: GPU } });
    expect(!corrupt.ok && corrupt.problem.code === 'weights-unreadable' && corrupt.problem.detail).toMatch(
      /the weights of run .* could not be read/,
    );

    await rm(weightsPath(join(dir, 'user-data'), CPU, 'bin'));
    const missing = await h['history:agreement']({ a: CPU, b: GPU });
    expect(missing).toEqual({
      ok: false,
      problem: { code: 'weights-unreadable', id: CPU, detail: `the weights of run ${CPU} could not be read (missing)` },
    });
  });
});

describe('report:export', () => {
  it('writes the HTML where the dialog says, adding .html to a bare name', async () => {
    answer = join(out, 'my-report');
    const result = await handlers()['report:export']({ html: HTML });
    expect(result).toEqual({ saved: true, path: join(out, 'my-report.html'), bytes: Buffer.byteLength(HTML) });
    expect(await readFile(join(out, 'my-report.html'), 'utf8')).toBe(HTML);
    expect(saveCalls).toEqual([
      {
        title: 'Export report',
        defaultName: 'athanor-report.html',
        filters: [{ name: 'HTML page', extensions: ['html', 'htm'] }],
      },
    ]);
  });

  it('asks and refuses in the language main speaks', async () => {
    const blocked = join(out, 'report.html');
    await mkdir(blocked);
    answer = blocked;
    setLanguage('zh-CN');
    try {
      await expect(handlers()['report:export']({ html: HTML })).rejects.toThrow(
        `报告未能保存：无法写入 ${blocked}：该位置已有一个目录`,
      );
    } finally {
      setLanguage('en');
    }
    expect(saveCalls).toEqual([
      {
        title: '导出报告',
        defaultName: 'athanor-report.html',
        filters: [{ name: 'HTML 网页', extensions: ['html', 'htm'] }],
      },
    ]);
  });

  it('writes nothing when the dialog is cancelled', async () => {
    answer = null;
    expect(await handlers()['report:export']({ html: HTML })).toEqual({ saved: false, reason: 'cancelled' });
    expect(saveCalls).toHaveLength(1);
    expect(await readdir(out)).toEqual([]);
  });

  it('refuses anything but an HTML document of sane size, before asking where to save it', async () => {
    const h = handlers();
    for (const bad of [undefined, {}, { html: 3 }, { html: '<p>no doctype</p>' }, { html: HTML, extra: 1 }]) {
      await expect(h['report:export'](bad)).rejects.toThrow('invalid argument for "report:export"');
    }
    await expect(h['report:export']({ html: HTML + 'x'.repeat(32 * 1024 * 1024) })).rejects.toThrow(
      /must be an HTML document .* of at most 33554432 characters/,
    );
    await expect(h['report:export']({ html: `${HTML}<SCRIPT src="x.js"></SCRIPT>` })).rejects.toThrow(
      /must hold no script/,
    );
    expect(saveCalls).toEqual([]);
  });

  it('a failed write leaves no file behind, temp or partial, and says why', async () => {
    // A folder in the way of the rename: the bytes go to a temp file beside it first, which must not stay.
    const blocked = join(out, 'report.html');
    await mkdir(blocked);
    answer = blocked;
    await expect(handlers()['report:export']({ html: HTML })).rejects.toThrow(
      `the report was not saved: cannot write ${blocked}: a directory is in the way`,
    );
    expect(await readdir(out)).toEqual(['report.html']);
    expect(await readdir(blocked)).toEqual([]);

    answer = join(dir, 'no-such-folder', 'report.html');
    await expect(handlers()['report:export']({ html: HTML })).rejects.toThrow(/directory does not exist/);
  });
});
