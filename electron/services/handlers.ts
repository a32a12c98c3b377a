/**
 * What each invoke channel does, as plain async functions: main registers them with ipcMain, the browser tests call
 * them directly. Every argument passes validate.ts first; dialogs are injected so tests can answer them.
 */
import { lstat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { writeFileAtomic } from '../fs-atomic';
import type {
  AppInfo,
  DatasetChoice,
  DevicesReport,
  ExportFormat,
  InvokeChannel,
  InvokeChannels,
  LanguageState,
  RunRecord,
} from '../shared/ipc-contract';
import { localFolderProblem, validateArg } from '../shared/validate';
import { t } from '../shared/i18n';
import { CODE_NAMES } from '../shared/i18n/code-names';
import { DatasetError, loadMnist } from '../training/core/dataset';
import { exportPathFor, exportWeights as writeWeights, provenance } from '../training/export/index';
import { toCsv, type HistoryStore } from './history-store';
import { ModelInspector } from './model-inspector';
import { createReportHandlers } from './report-handlers';
import type { RunManager } from './run-manager';
import type { SweepStore } from './history-sweeps';
import type { SweepManager } from './sweep-manager';
import { statusWord } from '../shared/run-end-words';

export interface FileFilter {
  name: string;
  extensions: string[];
}

export interface SaveDefaults {
  title: string;
  defaultName: string;
  /** The first filter is the one the dialog preselects. */
  filters: FileFilter[];
}

/** The native dialogs in the app; canned answers in tests. `null` means the user cancelled. */
export interface Dialogs {
  saveFile(defaults: SaveDefaults): Promise<string | null>;
  chooseFolder(): Promise<string | null>;
}

export interface Services {
  appInfo: AppInfo;
  /** The language main speaks, which the page speaks too (English where nothing chose one: tests, the CLI). */
  language?: () => LanguageState;
  devices: { get(refresh?: boolean): Promise<DevicesReport> };
  runs: RunManager;
  history: HistoryStore;
  dialogs: Dialogs;
  /** Counts a data folder's images, throwing DatasetError for anything unusable; loadMnist by default. */
  inspectDataset?: (dir: string) => Promise<Omit<DatasetChoice, 'dir'>>;
  /** Batch-size sweeps and where they are kept; absent where nothing sweeps (tests of other channels). */
  sweeps?: { manager: Pick<SweepManager, 'start' | 'cancel'>; store: Pick<SweepStore, 'list'> };
  /** The MNIST folder runs without a `dataDir` train on (the packaged app's resources); the bundled one when absent. */
  defaultDataDir?: string;
}

export type Handlers = { [C in InvokeChannel]: (arg: unknown) => Promise<InvokeChannels[C]['result']> };

/** The save dialog's one filter for a format, worded when the dialog opens (main speaks the user's language). */
const WEIGHT_EXTENSIONS: Record<ExportFormat, string[]> = {
  pth: ['pth', 'pt'],
  safetensors: ['safetensors'],
  tfjs: ['json'],
  onnx: ['onnx'],
};
const weightFilter = (format: ExportFormat): FileFilter => ({
  name: t(`history.formats.${format}.filter`, CODE_NAMES),
  extensions: WEIGHT_EXTENSIONS[format],
});
/** The reference saves `./mnist_cnn.pth`; the other formats follow its name. */
const WEIGHT_NAMES: Record<ExportFormat, string> = {
  pth: 'mnist_cnn.pth',
  safetensors: 'mnist_cnn.safetensors',
  tfjs: 'mnist_cnn.json',
  onnx: 'mnist_cnn.onnx',
};

const countImages = async (dir: string) => {
  const { train, test, description } = await loadMnist({ dir });
  return { trainCount: train.count, testCount: test.count, source: description };
};

export function createHandlers(services: Services): Handlers {
  const { runs, history, dialogs } = services;
  const inspect = services.inspectDataset ?? countImages;
  const models = new ModelInspector(history, services.defaultDataDir);
  const sweepService = () => {
    if (!services.sweeps) throw new Error('batch-size sweeps are not set up in this process');
    return services.sweeps;
  };

  const table: Handlers = {
    'app:info': async (arg) => {
      validateArg('app:info', arg);
      return services.appInfo;
    },
    'app:language': async (arg) => {
      validateArg('app:language', arg);
      return services.language?.() ?? { language: 'en', chosen: null, system: 'en' };
    },
    'devices:get': async (arg) => services.devices.get(validateArg('devices:get', arg)?.refresh === true),
    'training:start': async (arg) => runs.enqueue(validateArg('training:start', arg)),
    'training:compare': async (arg) => runs.compare(validateArg('training:compare', arg)),
    'training:cancel': async (arg) => runs.cancel(validateArg('training:cancel', arg).id),
    'training:queue': async (arg) => {
      validateArg('training:queue', arg);
      return runs.queue();
    },
    'history:list': async (arg) => {
      validateArg('history:list', arg);
      return history.state();
    },
    'history:delete': async (arg) => {
      const { id } = validateArg('history:delete', arg);
      if (runs.queue().running?.id === id) throw new Error(t('history.refusals.stillTraining'));
      return history.delete(id);
    },
    'history:export-csv': async (arg) => {
      validateArg('history:export-csv', arg);
      const chosen = await dialogs.saveFile({
        title: t('history.save.csvTitle'),
        defaultName: 'athanor-history.csv',
        filters: [{ name: t('history.save.csvFilter'), extensions: ['csv'] }],
      });
      if (!chosen) return { saved: false, reason: 'cancelled' };
      const path = extname(chosen) ? chosen : `${chosen}.csv`;
      const csv = toCsv(history.state().records);
      await writeFileAtomic(path, csv);
      return { saved: true, path, bytes: Buffer.byteLength(csv) };
    },
    'weights:export': async (arg) => {
      const { id, format = 'pth' } = validateArg('weights:export', arg);
      const record = history.get(id);
      if (!record) throw new Error(t('history.refusals.notInHistory', { id }));
      if (!record.hasWeights)
        throw new Error(t('history.refusals.noWeights', { id, state: describeStatus(record.status) }));
      // Only the chosen format is offered: a second filter picked in the dialog is a choice main would never hear of.
      const chosen = await dialogs.saveFile({
        title: t('history.save.weightsTitle', { format: t(`history.formats.${format}.name`, CODE_NAMES) }),
        defaultName: WEIGHT_NAMES[format],
        filters: [weightFilter(format)],
      });
      if (!chosen) return { saved: false, reason: 'cancelled' };
      // The format chosen in the export dialog wins over the name's extension (exportPathFor says how).
      const path = exportPathFor(chosen, format);
      // The dialog asked before replacing `chosen`, not a name with an extension added to it.
      if (path !== chosen && (await exists(path))) {
        throw new Error(t('history.refusals.alreadyExists', { name: basename(path), asked: basename(chosen) }));
      }
      let model;
      try {
        model = await history.loadWeights(id);
      } catch (err) {
        throw new Error(t('history.refusals.weightsUnreadable', { id, why: firstLine(err) }), { cause: err });
      }
      try {
        const { bytes } = await writeWeights(
          path,
          model,
          record.engine ? provenance(record.engine, record.hardware) : {},
        );
        return { saved: true, path, bytes };
      } catch (err) {
        // One line, and the weights are not lost: the history keeps them for another try.
        throw new Error(t('history.refusals.notExported', { path, why: firstLine(err) }), { cause: err });
      }
    },
    'dataset:choose': async (arg) => {
      validateArg('dataset:choose', arg);
      const dir = await dialogs.chooseFolder();
      if (!dir) return null;
      // The rule training:start will hold the folder to, said now: a network share picked in the dialog, say.
      const problem = localFolderProblem(dir, 'the chosen folder');
      if (problem) throw new Error(problem);
      try {
        return { dir, ...(await inspect(dir)) };
      } catch (err) {
        // The folder's problem in the dataset module's words ("train-images-idx3-ubyte: not found in ...").
        if (err instanceof DatasetError) throw new Error(err.message, { cause: err });
        throw err;
      }
    },
    'model:predict': async (arg) => {
      const { id, pixels } = validateArg('model:predict', arg);
      return models.predict(id, pixels);
    },
    'model:test-images': async (arg) => {
      const { id, indices } = validateArg('model:test-images', arg);
      return models.testImages(id, indices);
    },
    // Issue 16: agreement and report.
    ...createReportHandlers({ history, dialogs }),
    // Sweeps
    'sweep:start': async (arg) => {
      const request = validateArg('sweep:start', arg);
      return sweepService().manager.start(request);
    },
    'sweep:cancel': async (arg) => {
      const { id } = validateArg('sweep:cancel', arg);
      return sweepService().manager.cancel(id);
    },
    'sweep:list': async (arg) => {
      validateArg('sweep:list', arg);
      return sweepService().store.list();
    },
  };
  return table;
}

/** Whether anything (a file, a folder, a link, even a dangling one) has this name. */
const exists = (path: string): Promise<boolean> =>
  lstat(path).then(
    () => true,
    () => false,
  );

const firstLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n', 1)[0];

function describeStatus(status: RunRecord['status']): string {
  return status === 'running'
    ? t('history.refusals.stillRunning')
    : t('history.refusals.ended', { status: statusWord(status) });
}
