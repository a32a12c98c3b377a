import { t } from '../../../electron/shared/i18n';
import type { RunRecord } from '../../../electron/shared/ipc-contract';
import { api } from '../lib/api';
import { matchingPairs } from '../lib/agreement-words';
import { errorMessage } from '../lib/format';
import { reportHtml, type ReportInput, type SweepSeries } from '../lib/report-html';
import { devices } from './devices.svelte';
import { notices } from './notices.svelte';

/** What a report holds besides the machine: the ticked runs, and a batch-size sweep when one is chosen. */
export interface ReportRequest {
  runs: readonly RunRecord[];
  /** The Scaling view's sweep, one series an engine; none until that view passes one. */
  sweeps?: readonly SweepSeries[];
  /** Which sweep, as the Scaling view names it. */
  sweepNote?: string;
}

/**
 * "Export report" from History: one self-contained HTML file. It is built here, in the renderer, from the rows the
 * History shows and in the words and language the UI speaks at the time; main only checks it is an HTML
 * document of sane size and writes it atomically where the save dialog says.
 */
class Report {
  exporting = $state(false);

  async export({ runs, sweeps, sweepNote }: ReportRequest): Promise<void> {
    if (runs.length === 0 || this.exporting) return;
    this.exporting = true;
    try {
      const html = reportHtml({ ...(await this.input(runs, sweeps)), sweepNote });
      const result = await api.exportReport({ html });
      if (result.saved) notices.push('success', () => t('report.exported'), result.path, 'report');
    } catch (err) {
      notices.push('error', () => t('report.failed'), errorMessage(err), 'report');
    } finally {
      this.exporting = false;
    }
  }

  private async input(runs: readonly RunRecord[], sweeps?: readonly SweepSeries[]): Promise<ReportInput> {
    const app = devices.app ?? (await api.appInfo());
    // A pair whose figures cannot be had (weights gone) is left out: its runs are still reported.
    const agreements = await Promise.all(
      matchingPairs(runs).map(async ([a, b]) => {
        const answer = await api.runAgreement({ a: a.id, b: b.id });
        return answer.ok ? [{ a: a.id, b: b.id, agreement: answer.agreement }] : [];
      }),
    );
    return {
      app: { name: app.name, version: app.version, platform: app.platform },
      generatedAt: new Date(),
      devices: devices.report,
      runs,
      agreements: agreements.flat(),
      sweeps,
    };
  }
}

export const report = new Report();
