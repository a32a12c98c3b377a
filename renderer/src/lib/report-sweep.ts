/**
 * The report's batch-size sweep section (report-html.ts): a chart of images a second by batch size, the figures,
 * and where each GPU engine overtakes the CPU, in the language the app speaks.
 */
import { t } from '../../../electron/shared/i18n';
import type { EngineInfo } from '../../../electron/shared/ipc-contract';
import { compareSweeps, TUTORIAL_BATCH, type RatePoint } from '../../../electron/shared/sweep-ratio';
import { engineLabel, formatRate, formatSpeedup } from './format';
import { escapeXml as e, lineChart, type Series } from './report-svg';
import { formatFixed } from './sweep-view';

/** One engine's batch-size sweep, as the report draws it. */
export interface SweepSeries {
  engine: EngineInfo;
  points: (RatePoint & { msPerStep: number })[];
}

/** The section as HTML; `note` names the sweep (sweepReportNote), every text escaped. */
export function sweepSection(sweeps: readonly SweepSeries[], note: string | undefined): string {
  const series: Series[] = sweeps.map((s) => ({
    name: engineLabel(s.engine),
    points: s.points.map((p) => ({ x: p.batchSize, y: p.imagesPerSecond })),
  }));
  const sizes = [...new Set(sweeps.flatMap((s) => s.points.map((p) => p.batchSize)))].sort((x, y) => x - y);
  const batch = (size: number) => e(t('report.sweep.batch', { size }));
  const head = `<tr><th scope="col">${e(t('report.sweep.engine'))}</th>${sizes.map((b) => `<th scope="col">${batch(b)}</th>`).join('')}</tr>`;
  const body = sweeps
    .map(
      (s) =>
        `<tr><th scope="row">${e(engineLabel(s.engine))}</th>${sizes
          .map((b) => {
            const p = s.points.find((q) => q.batchSize === b);
            const step = p ? e(t('report.sweep.msPerStep', { ms: formatFixed(p.msPerStep, 1) })) : '';
            return `<td>${p ? `${e(formatRate(p.imagesPerSecond))}<br><span class="meta">${step}</span>` : '–'}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('');
  const cpu = sweeps.find((s) => s.engine.device === 'cpu');
  const ratios = cpu
    ? sweeps
        .filter((s) => s.engine.device === 'gpu')
        .map((g) => {
          const c = compareSweeps(cpu.points, g.points);
          const lead =
            c.gpuAheadFrom === null ? t('report.sweep.never') : t('report.sweep.from', { size: c.gpuAheadFrom });
          const tutorial =
            c.atTutorialBatch === null
              ? ''
              : t('report.sweep.tutorial', { ratio: formatSpeedup(c.atTutorialBatch), batch: TUTORIAL_BATCH });
          return `<li>${e(t('report.sweep.line', { engine: engineLabel(g.engine), lead, tutorial }))}</li>`;
        })
        .join('')
    : '';
  const chart = lineChart(series, {
    title: t('report.sweep.chartTitle'),
    xLabel: t('report.sweep.chartX'),
    yLabel: t('report.sweep.chartY'),
    logX: true,
  });
  return `<section><h2>${e(t('report.sweep.title'))}</h2>
${note ? `<p>${e(note)}</p>` : ''}
${chart}
<table><caption>${e(t('report.sweep.caption'))}</caption>${head}${body}</table>
${ratios ? `<ul>${ratios}</ul>` : ''}
</section>`;
}
