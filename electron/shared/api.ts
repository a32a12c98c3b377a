import type { EventChannel, EventChannels, InvokeChannel, InvokeChannels } from './ipc-contract';

/**
 * How the API reaches main. The preload backs it with ipcRenderer; the browser tests back it with bindings to
 * the same main-side handlers running in the test process. Listeners never see Electron's event object.
 */
export interface Transport {
  invoke(channel: InvokeChannel, arg: unknown): Promise<unknown>;
  on(channel: EventChannel, listener: (payload: unknown) => void): () => void;
}

/**
 * What a transport rejects or throws with for a channel outside the contract: a code, not words (the preload cannot
 * know the user's language); the page words it (renderer/src/lib/api.ts). createApi asks only for the contract's
 * channels, so only a fault in the app's own code can meet it.
 */
export const UNKNOWN_REQUEST = 'athanor:unknown-request';

/** The renderer's whole API: one method per channel, every `on...` returns its unsubscribe function. */
export function createApi(transport: Transport) {
  const call =
    <C extends InvokeChannel>(channel: C) =>
    (arg: InvokeChannels[C]['arg']): Promise<InvokeChannels[C]['result']> =>
      transport.invoke(channel, arg) as Promise<InvokeChannels[C]['result']>;
  const listen =
    <C extends EventChannel>(channel: C) =>
    (listener: (payload: EventChannels[C]) => void): (() => void) =>
      transport.on(channel, (payload) => listener(payload as EventChannels[C]));

  return {
    appInfo: call('app:info'),
    language: call('app:language'),
    getDevices: call('devices:get'),
    startTraining: call('training:start'),
    compare: call('training:compare'),
    cancelTraining: call('training:cancel'),
    getQueue: call('training:queue'),
    listHistory: call('history:list'),
    deleteRun: call('history:delete'),
    exportHistoryCsv: call('history:export-csv'),
    exportWeights: call('weights:export'),
    chooseDataset: call('dataset:choose'),
    predict: call('model:predict'),
    testImages: call('model:test-images'),
    // Issue 16: agreement and report.
    runAgreement: call('history:agreement'),
    exportReport: call('report:export'),
    onTrainingEvent: listen('training:event'),
    onMenuExportWeights: listen('menu:export-weights'),
    onMenuAbout: listen('menu:about'),
    onLanguage: listen('app:language'),
    // Sweeps
    startSweep: call('sweep:start'),
    cancelSweep: call('sweep:cancel'),
    listSweeps: call('sweep:list'),
    onSweepEvent: listen('sweep:event'),
  };
}

export type Api = ReturnType<typeof createApi>;
