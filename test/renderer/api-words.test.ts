/**
 * Main's refusals as the renderer meets them, worded for the user: the real IPC check (validateArg) answered as main
 * answers (answerInvoke) behind the real createApi, with Electron's own "Error invoking remote method" wrapping, and
 * the renderer's api wrapper in front.
 */
import { describe, expect, it, vi } from 'vitest';
import { answerInvoke } from '../../electron/services/ipc-answer';
import { createApi, UNKNOWN_REQUEST } from '../../electron/shared/api';
import type { InvokeChannel } from '../../electron/shared/ipc-contract';
import { REFERENCE_CONFIG } from '../../electron/shared/schema/settings';
import { IpcValidationError, validateArg } from '../../electron/shared/validate';
import { userWords, withUserWords } from '../../renderer/src/lib/api';

/** As ipcRenderer.invoke rejects: the error main answered with, its name and the channel in front. */
function electronInvoke(handler: (channel: InvokeChannel, arg: unknown) => unknown, fromOwnPage = true) {
  return createApi({
    invoke: async (channel, arg) => {
      try {
        return await answerInvoke(fromOwnPage, () => handler(channel, arg));
      } catch (err) {
        throw new Error(`Error invoking remote method '${channel}': ${String(err)}`, { cause: err });
      }
    },
    on: () => () => {},
  });
}

const CHANNEL =
  /["'`][a-z]+(-[a-z]+)*:[a-z]+(-[a-z]+)*["'`]|\b(training|history|weights|model|dataset|devices|app):[a-z]/;
const request = {
  ...REFERENCE_CONFIG,
  device: 'cpu',
  epochs: 1,
  batchSize: 64,
  lr: 0.01,
  momentum: 0.9,
  seed: 1,
} as const;

describe('the renderer api words every refusal for the user', () => {
  it('a quick run over 60,000 images: what was wrong, without the channel', async () => {
    const api = withUserWords(electronInvoke((channel, arg) => validateArg(channel, arg)));
    const err = await api.startTraining({ ...request, limit: 70_000 }).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toBe('Athanor refused the request: limit must be a whole number from 1 to 60000, got 70000');
    // The gate's own error, for logs, names the channel and says why as data.
    // Electron's wrapping of what main answered, whose cause is the gate's refusal.
    const gate = ((err?.cause as Error).cause as Error).cause as IpcValidationError;
    expect(gate).toBeInstanceOf(IpcValidationError);
    expect(gate.message).toContain('training:start');
    expect(gate.reason).toEqual({
      code: 'invalid-argument',
      channel: 'training:start',
      detail: 'limit must be a whole number from 1 to 60000, got 70000',
    });
  });

  it('no channel name survives, for a bad argument to every channel', async () => {
    const api = withUserWords(electronInvoke((channel, arg) => validateArg(channel, arg)));
    const calls: [string, () => Promise<unknown>][] = [
      ['startTraining', () => api.startTraining({ ...request, epochs: 0 })],
      ['compare', () => api.compare({ ...request, seed: -1 } as never)],
      ['cancelTraining', () => api.cancelTraining({ id: 'nope' })],
      ['deleteRun', () => api.deleteRun({ id: '../../etc' })],
      ['exportWeights', () => api.exportWeights({ id: 'x', format: 'zip' as never })],
      ['predict', () => api.predict({ id: 'x', pixels: [] })],
      ['testImages', () => api.testImages({ id: 'x', indices: [] })],
      ['listHistory', () => (api.listHistory as (a: unknown) => Promise<unknown>)({ path: '/etc' })],
      ['getDevices', () => api.getDevices({ refresh: 'yes' } as never)],
    ];
    for (const [name, call] of calls) {
      const message = await call().then(
        () => 'resolved',
        (e: Error) => e.message,
      );
      expect({ name, message }).toMatchObject({
        name,
        message: expect.stringMatching(/^Athanor refused the request: \S/),
      });
      expect({ name, message }).not.toMatchObject({ message: expect.stringMatching(CHANNEL) });
    }
  });

  it("main's other refusals: not from the app's page, an unknown channel; a channel quoted mid-sentence", async () => {
    const handler = vi.fn();
    const api = withUserWords(electronInvoke(handler, false));
    for (const call of [() => api.getQueue(), () => api.startTraining(request)]) {
      await expect(call()).rejects.toThrow(
        new Error("Athanor refused the request: it did not come from Athanor's own page"),
      );
    }
    expect(handler).not.toHaveBeenCalled();
    const unknown = withUserWords(electronInvoke(() => validateArg('x:y' as InvokeChannel, {})));
    await expect(unknown.getQueue()).rejects.toThrow(new Error('this version of Athanor does not know that request'));
    // The preload's own refusal of a channel outside the contract (a code: it cannot know the language).
    expect(userWords(new Error(UNKNOWN_REQUEST))).toBe('this version of Athanor does not know that request');
    expect(userWords('the reply to "model:predict" never came')).toBe('the reply to the request never came');
    // Words that only look alike stay: a time, a Windows drive, a ratio.
    expect(userWords('stopped at 10:42 on C:\\data, 3:1')).toBe('stopped at 10:42 on C:\\data, 3:1');
  });
});
