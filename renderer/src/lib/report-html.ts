/**
 * The run report: one self-contained HTML file a user can send, which opens offline in any browser with no script
 * and no network: the machine, each run's engine and versions, settings and seed, loss curve (inline SVG), timings,
 * accuracy and per-digit accuracy, the CPU-GPU agreement figures and batch-size sweeps. Its CSP allows inline
 * styles and nothing else. Built in the renderer, from what the History shows, in the language the UI speaks (its
 * <html lang>, words, numbers and dates).
 */
import { language, t } from '../../../electron/shared/i18n';
import type { Agreement } from '../../../electron/shared/agreement';
import { adapterLabel } from '../../../electron/shared/adapter-label';
import type { DevicesReport, RunRecord } from '../../../electron/shared/ipc-contract';
import {
  deviceLabel,
  engineLabel,
  formatDuration,
  formatGap,
  formatInteger,
  formatLoss,
  formatPercent,
  formatRate,
  formatWhen,
  platformName,
  settingsParts,
  statusWord,
} from './format';
import { escapeXml, lineChart, type Series } from './report-svg';
import { settingName, settingsList, verdictText } from './agreement-words';
import { trainingTimeText } from './run-figures';
import { describeRunEnd } from '../../../electron/shared/describe-reason';
import { sweepSection, type SweepSeries } from './report-sweep';

/** The sweep's type, where the report's callers have always found it. */
export type { SweepSeries };

export interface ReportInput {
  app: { name: string; version: string; platform: string };
  generatedAt: Date;
  /** The machine as detected; null when detection has not run. */
  devices: Pick<DevicesReport, 'cpu' | 'gpus' | 'adapters'> | null;
  runs: readonly RunRecord[];
  /** Agreement of pairs of the runs above, by id. */
  agreements?: readonly { a: string; b: string; agreement: Agreement }[];
  sweeps?: readonly SweepSeries[];
  /** Which sweep that is, as the Scaling view names it: when, on what, and how it ended ("cancelled", "failed"). */
  sweepNote?: string;
}

/** Every text in the report passes here, names from a GPU driver included. */
const e = escapeXml;
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

export function reportHtml(input: ReportInput): string {
  const title = t('report.title', { app: input.app.name, when: formatWhen(input.generatedAt.toISOString()) });
  const { name, version, platform } = input.app;
  return `<!doctype html>
<html lang="${language()}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${e(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${e(title)}</h1>
<p class="meta">${e(t('report.meta', { app: name, version, platform: platformName(platform) }))} · ${e(t('report.runs', { count: input.runs.length }))}</p>
${machineSection(input.devices)}
${input.runs.map(runSection).join('\n')}
${(input.agreements ?? []).map((a) => agreementSection(a, input.runs)).join('\n')}
${input.sweeps && input.sweeps.length > 0 ? sweepSection(input.sweeps, input.sweepNote) : ''}
</main>
</body>
</html>
`;
}

function machineSection(devices: ReportInput['devices']): string {
  const heading = `<h2>${e(t('report.machine.title'))}</h2>`;
  if (!devices) return `<section>${heading}<p>${e(t('report.machine.notDetected'))}</p></section>`;
  const { model, cores, memoryGiB } = devices.cpu;
  const rows: [string, string][] = [['CPU', t('report.machine.cpu', { model, cores, memory: memoryGiB })]];
  for (const gpu of devices.gpus) {
    const card = t('report.machine.gpu', { name: gpu.name, memory: formatInteger(gpu.memoryMiB), driver: gpu.driver });
    rows.push(['GPU', gpu.cuda ? t('report.machine.gpuCuda', { gpu: card, cuda: gpu.cuda }) : card]);
  }
  for (const adapter of devices.adapters) rows.push([t('report.machine.adapter'), adapterLabel(adapter)]);
  return `<section>${heading}${table(rows)}</section>`;
}

/** "failed: the GPU page was closed"; a reason whose words say the status stands alone ("cancelled after 9 of 300 batches"). */
export function statusText(r: RunRecord): string {
  const end = describeRunEnd(r);
  const status = statusWord(r.status);
  if (!end?.words) return status;
  return end.saysStatus ? end.words : t('report.status.because', { status, words: end.words });
}

function runSection(r: RunRecord): string {
  const rows: [string, string][] = [
    [t('report.run.started'), formatWhen(r.startedAt)],
    [t('report.run.status'), statusText(r)],
    [t('report.run.device'), t('report.run.deviceValue', { device: deviceLabel(r.device), hardware: r.hardware })],
    [t('report.run.engine'), engineLabel(r.engine)],
    [t('report.run.settings'), settingsParts(r.settings).join(' · ')],
    [t('report.run.trainImages'), formatInteger(r.trainImages)],
    [t('report.run.trainingTime'), trainingTimeText(r)],
    [t('report.run.imagesPerSecond'), formatRate(r.imagesPerSecond)],
    [t('report.run.finalLoss'), formatLoss(r.finalLoss)],
    [
      t('report.run.testAccuracy'),
      r.evaluation
        ? t('report.run.accuracyOf', { accuracy: formatPercent(r.accuracy), images: formatInteger(r.evaluation.count) })
        : '–',
    ],
  ];
  if (r.timings) {
    const ms = r.timings;
    rows.push([
      t('report.run.timings'),
      t('report.run.timingsValue', {
        engineStart: formatDuration(ms.engineStartMs),
        data: formatDuration(ms.dataLoadMs),
        warmup: formatDuration(ms.warmupMs),
        training: formatDuration(ms.trainingMs),
        evaluation: formatDuration(ms.evaluationMs),
      }),
    ]);
  }
  const curve: Series[] =
    r.curve.length > 1
      ? [{ name: t('report.run.lossSeries'), points: r.curve.map((p) => ({ x: p.step, y: p.loss })) }]
      : [];
  const noCurve =
    r.curve.length === 1
      ? t('report.run.oneReport', { loss: formatLoss(r.curve[0].loss), step: r.curve[0].step })
      : t('report.run.noCurve');
  const chart =
    curve.length > 0
      ? lineChart(curve, {
          title: t('report.run.chartTitle', { id: r.id }),
          xLabel: t('report.run.chartX'),
          yLabel: t('report.run.chartY'),
          logX: false,
        })
      : `<p class="meta">${e(noCurve)}</p>`;
  return `<section class="run" id="run-${e(r.id)}">
<h2>${e(t('report.run.title', { device: deviceLabel(r.device), id: r.id }))}</h2>
${table(rows)}
${chart}
${r.evaluation ? digitTable(r.evaluation.perClassAccuracy) : ''}
</section>`;
}

function digitTable(perClass: readonly number[]): string {
  const head = perClass.map((_, d) => `<th scope="col">${d}</th>`).join('');
  const cells = perClass.map((a) => `<td>${e(formatPercent(a, 1))}</td>`).join('');
  return (
    `<table class="digits"><caption>${e(t('report.run.digitsCaption'))}</caption>` +
    `<tr><th scope="row">${e(t('report.run.digit'))}</th>${head}</tr>` +
    `<tr><th scope="row">${e(t('report.run.accuracy'))}</th>${cells}</tr></table>`
  );
}

function agreementSection(
  { a, b, agreement }: { a: string; b: string; agreement: Agreement },
  runs: readonly RunRecord[],
): string {
  const name = (id: string) => {
    const r = runs.find((x) => x.id === id);
    return r
      ? t('report.agreement.run', { device: deviceLabel(r.device), id, engine: engineLabel(r.engine) })
      : t('report.agreement.runId', { id });
  };
  const rows: [string, string][] = agreement.weights.map((w) => [
    w.name,
    t('report.agreement.weight', { gap: formatGap(w.maxAbsDiff), largest: formatGap(w.maxAbs) }),
  ]);
  const worst = agreement.loss;
  const loss = worst
    ? t('report.agreement.lossGap', {
        gap: formatGap(worst.gap),
        epoch: worst.epoch,
        batch: worst.batch,
        count: worst.windows,
      })
    : t('report.agreement.noWindow');
  // Named as the app names them ("learning rate and seed"), not by their keys.
  const settings = settingsList(agreement.differentSettings.map(settingName));
  const unlike =
    agreement.differentSettings.length > 0
      ? `<p class="warn">${e(t('report.agreement.unlike', { settings }))}</p>`
      : '';
  // The verdict the app gives beside the same figures: whether the engines agree, or that they do not.
  const verdict =
    agreement.differentSettings.length > 0 ? '' : `<p><strong>${e(verdictText(agreement).text)}</strong></p>`;
  const [first, second] = agreement.accuracy.map((x) => formatPercent(x));
  return `<section><h2>${e(t('report.agreement.title'))}</h2>
<p>${e(name(a))}<br>${e(name(b))}</p>${unlike}${verdict}
${table([
  [t('report.agreement.largestWeight'), formatGap(agreement.maxWeightDiff)],
  [t('report.agreement.largestLoss'), loss],
  [t('report.agreement.testAccuracy'), t('report.agreement.both', { a: first, b: second })],
])}
${table(rows, t('report.agreement.weightsCaption'))}
</section>`;
}

function table(rows: readonly [string, string][], caption?: string): string {
  const cap = caption ? `<caption>${e(caption)}</caption>` : '';
  return `<table>${cap}${rows.map(([k, v]) => `<tr><th scope="row">${e(k)}</th><td>${e(v)}</td></tr>`).join('')}</table>`;
}

const STYLE = `
:root { --fg: #1b1f24; --muted: #57606a; --bg: #ffffff; --line: #d0d7de; --accent: #c2410c; --accent2: #1d4ed8; --warn: #9a3412; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9da7b3; --bg: #0d1117; --line: #30363d; --accent: #fb923c; --accent2: #60a5fa; --warn: #fdba74; }
}
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.5 system-ui, sans-serif; }
main { max-width: 960px; margin: 0 auto; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.meta { color: var(--muted); }
.warn { color: var(--warn); }
table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; }
caption { text-align: left; color: var(--muted); padding-bottom: 4px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th[scope=row] { font-weight: 600; white-space: nowrap; }
.digits td { text-align: right; }
svg { display: block; max-width: 100%; height: auto; margin: 8px 0; }
svg text { fill: var(--muted); font: 11px system-ui, sans-serif; }
svg .axis { stroke: var(--line); }
svg .s0 { stroke: var(--accent); } svg .s1 { stroke: var(--accent2); } svg .s2 { stroke: #16a34a; } svg .s3 { stroke: #9333ea; }
figure { margin: 0; } .legend { margin: 0; color: var(--muted); }
.key0 { color: var(--accent); } .key1 { color: var(--accent2); } .key2 { color: #16a34a; } .key3 { color: #9333ea; }
svg .dot0 { fill: var(--accent); } svg .dot1 { fill: var(--accent2); } svg .dot2 { fill: #16a34a; } svg .dot3 { fill: #9333ea; }
`;
