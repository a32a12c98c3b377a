/**
 * Issue 16's channels: how far two stored runs ended apart (their weights are read here, in main, where the history
 * folder is), and writing the HTML report the renderer built. Kept apart from handlers.ts so that other features'
 * channels merge beside them.
 */
import { extname } from 'node:path';
import * as v from 'valibot';
import { writeFileAtomic } from '../fs-atomic';
import { compareRuns } from '../shared/agreement';
import type { AgreementResult, InvokeChannels, RunRecord } from '../shared/ipc-contract';
import { AgreementResultSchema } from '../shared/schema/agreement';
import { validateArg } from '../shared/validate';
import type { TrainedModel } from '../training/process/protocol';
import type { Dialogs } from './handlers';
import { t } from '../shared/i18n';

export interface ReportServices {
  history: { get(id: string): RunRecord | undefined; loadWeights(id: string): Promise<TrainedModel> };
  dialogs: Pick<Dialogs, 'saveFile'>;
}

type ReportChannel = 'history:agreement' | 'report:export';
export type ReportHandlers = { [C in ReportChannel]: (arg: unknown) => Promise<InvokeChannels[C]['result']> };

export function createReportHandlers({ history, dialogs }: ReportServices): ReportHandlers {
  /** The run's weights, or why they cannot be had. */
  async function weightsOf(id: string): Promise<{ record: RunRecord; model: TrainedModel } | AgreementResult> {
    const record = history.get(id);
    if (!record) return { ok: false, problem: { code: 'run-unknown', id } };
    if (!record.hasWeights) return { ok: false, problem: { code: 'no-weights', id, status: record.status } };
    try {
      return { record, model: await history.loadWeights(id) };
    } catch (err) {
      const detail = (err instanceof Error ? err.message : String(err)).split('\n', 1)[0].slice(0, 2000);
      return { ok: false, problem: { code: 'weights-unreadable', id, detail } };
    }
  }

  return {
    'history:agreement': async (arg) => {
      const { a, b } = validateArg('history:agreement', arg);
      const first = await weightsOf(a);
      if ('ok' in first) return first;
      const second = await weightsOf(b);
      if ('ok' in second) return second;
      const figures = (r: RunRecord) => ({ settings: r.settings, lossWindows: r.lossWindows, accuracy: r.accuracy });
      let result: AgreementResult;
      try {
        const agreement = compareRuns(
          figures(first.record),
          figures(second.record),
          first.model.weights,
          second.model.weights,
        );
        result = { ok: true, agreement };
      } catch (err) {
        // The store checks both against the network's tensors, so this is two stores' worth of disagreement.
        result = { ok: false, problem: { code: 'weights-unreadable', id: b, detail: (err as Error).message } };
      }
      // What main sends is what the contract says, or nothing: a bug here must not reach the screen as figures.
      return v.parse(AgreementResultSchema, result);
    },
    'report:export': async (arg) => {
      const { html } = validateArg('report:export', arg);
      const chosen = await dialogs.saveFile({
        title: t('main.report.saveTitle'),
        defaultName: 'athanor-report.html',
        filters: [{ name: t('main.report.filter'), extensions: ['html', 'htm'] }],
      });
      if (!chosen) return { saved: false, reason: 'cancelled' };
      const path = extname(chosen) ? chosen : `${chosen}.html`;
      try {
        await writeFileAtomic(path, html);
      } catch (err) {
        // writeFileAtomic names the path and the reason, and has removed its temp file: nothing half-written remains.
        throw new Error(t('main.report.notSaved', { why: (err as Error).message }), { cause: err });
      }
      return { saved: true, path, bytes: Buffer.byteLength(html) };
    },
  };
}
