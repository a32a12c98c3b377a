/**
 * The run report: one self-contained HTML file a user can send, which opens offline in any browser with no script
 * and no network: the machine, each run's engine and versions, settings and seed, loss curve (inline SVG), timings,
 * accuracy and per-digit accuracy, the CPU-GPU agreement figures and batch-size sweeps. Its CSP allows inline
 * styles and nothing else. Built in the renderer, from what the History shows, in the words the UI uses.
 */
import type { Agreement } from '../../../electron/shared/agreement';
import { adapterLabel } from '../../../electron/shared/adapter-label';
import type { DevicesReport, EngineInfo, RunRecord } from '../../../electron/shared/ipc-contract';
import { compareSweeps, type RatePoint } from '../../../electron/shared/sweep-ratio';
import {
  deviceLabel,
  engineLabel,
  formatDuration,
  formatGap,
  formatInteger,
  formatLoss,
  formatPercent,
  formatRate,
  formatSpeedup,
  formatWhen,
  settingsParts,
} from './format';
import { escapeXml, lineChart, type Series } from './report-svg';
import { verdictText } from './agreement-words';
import { trainingTimeText } from './run-figures';
import { describeRunEnd } from '../../../electron/shared/describe-reason';

/** One engine's batch-size sweep, as the report draws it. */
export interface SweepSeries {
  engine: EngineInfo;
  points: (RatePoint & { msPerStep: number })[];
}

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
  const title = `${input.app.name} report, ${formatWhen(input.generatedAt.toISOString())}`;
  return `<!doctype html>
<html lang="en">
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
<p class="meta">${e(`${input.app.name} ${input.app.version} on ${input.app.platform}`)} · ${e(`${input.runs.length} run${input.runs.length === 1 ? '' : 's'}`)}</p>
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
  if (!devices) return '<section><h2>Machine</h2><p>Not detected.</p></section>';
  const rows: [string, string][] = [
    ['CPU', `${devices.cpu.model}, ${devices.cpu.cores} cores, ${devices.cpu.memoryGiB} GiB`],
  ];
  for (const gpu of devices.gpus) {
    rows.push([
      'GPU',
      `${gpu.name}, ${formatInteger(gpu.memoryMiB)} MiB, driver ${gpu.driver}${gpu.cuda ? `, CUDA ${gpu.cuda}` : ''}`,
    ]);
  }
  for (const adapter of devices.adapters) rows.push(['Adapter', adapterLabel(adapter)]);
  return `<section><h2>Machine</h2>${table(rows)}</section>`;
}

/** "failed: the GPU page was closed"; a reason whose words say the status stands alone ("cancelled after 9 of 300 batches"). */
export function statusText(r: RunRecord): string {
  const end = describeRunEnd(r);
  if (!end?.words) return r.status;
  return end.saysStatus ? end.words : `${r.status}: ${end.words}`;
}

function runSection(r: RunRecord): string {
  const rows: [string, string][] = [
    ['Started', formatWhen(r.startedAt)],
    ['Status', statusText(r)],
    ['Device', `${deviceLabel(r.device)}: ${r.hardware}`],
    ['Engine', engineLabel(r.engine)],
    ['Settings', settingsParts(r.settings).join(' · ')],
    ['Training images', formatInteger(r.trainImages)],
    ['Training time', trainingTimeText(r)],
    ['Images a second', formatRate(r.imagesPerSecond)],
    ['Final loss', formatLoss(r.finalLoss)],
    [
      'Test accuracy',
      r.evaluation ? `${formatPercent(r.accuracy)} of ${formatInteger(r.evaluation.count)} images` : '–',
    ],
  ];
  if (r.timings) {
    const t = r.timings;
    rows.push([
      'Timings',
      `engine start ${formatDuration(t.engineStartMs)} · data ${formatDuration(t.dataLoadMs)} · ` +
        `warm-up ${formatDuration(t.warmupMs)} · training ${formatDuration(t.trainingMs)} · evaluation ${formatDuration(t.evaluationMs)}`,
    ]);
  }
  const curve: Series[] =
    r.curve.length > 1 ? [{ name: 'loss', points: r.curve.map((p) => ({ x: p.step, y: p.loss })) }] : [];
  const noCurve =
    r.curve.length === 1
      ? `One loss report (${formatLoss(r.curve[0].loss)} at batch ${r.curve[0].step}): no curve to draw.`
      : 'No loss curve: the run ended before its first report.';
  const chart =
    curve.length > 0
      ? lineChart(curve, { title: `Loss of run ${r.id}`, xLabel: 'batch', yLabel: 'loss', logX: false })
      : `<p class="meta">${e(noCurve)}</p>`;
  return `<section class="run" id="run-${e(r.id)}">
<h2>${e(`${deviceLabel(r.device)} run ${r.id}`)}</h2>
${table(rows)}
${chart}
${r.evaluation ? digitTable(r.evaluation.perClassAccuracy) : ''}
</section>`;
}

function digitTable(perClass: readonly number[]): string {
  const head = perClass.map((_, d) => `<th scope="col">${d}</th>`).join('');
  const cells = perClass.map((a) => `<td>${e(formatPercent(a, 1))}</td>`).join('');
  return (
    `<table class="digits"><caption>Accuracy per digit</caption><tr><th scope="row">digit</th>${head}</tr>` +
    `<tr><th scope="row">accuracy</th>${cells}</tr></table>`
  );
}

function agreementSection(
  { a, b, agreement }: { a: string; b: string; agreement: Agreement },
  runs: readonly RunRecord[],
): string {
  const name = (id: string) => {
    const r = runs.find((x) => x.id === id);
    return r ? `${deviceLabel(r.device)} run ${id} (${engineLabel(r.engine)})` : `run ${id}`;
  };
  const rows: [string, string][] = agreement.weights.map((w) => [
    w.name,
    `${formatGap(w.maxAbsDiff)} (largest value ${formatGap(w.maxAbs)})`,
  ]);
  const loss = agreement.loss
    ? `${formatGap(agreement.loss.gap)} at epoch ${agreement.loss.epoch}, batch ${agreement.loss.batch} (${agreement.loss.windows} window${agreement.loss.windows === 1 ? '' : 's'} compared)`
    : 'no 100-batch window in common';
  const unlike =
    agreement.differentSettings.length > 0
      ? `<p class="warn">These runs differ in ${e(agreement.differentSettings.join(', '))}: their gaps are not a comparison of engines.</p>`
      : '';
  // The verdict the app gives beside the same figures: whether the engines agree, or that they do not.
  const verdict =
    agreement.differentSettings.length > 0 ? '' : `<p><strong>${e(verdictText(agreement).text)}</strong></p>`;
  return `<section><h2>Agreement</h2>
<p>${e(name(a))}<br>${e(name(b))}</p>${unlike}${verdict}
${table([
  ['Largest weight difference', formatGap(agreement.maxWeightDiff)],
  ['Largest loss gap', loss],
  ['Test accuracy', `${formatPercent(agreement.accuracy[0])} and ${formatPercent(agreement.accuracy[1])}`],
])}
${table(rows, 'Largest absolute difference in each weight tensor')}
</section>`;
}

function sweepSection(sweeps: readonly SweepSeries[], note: string | undefined): string {
  const series: Series[] = sweeps.map((s) => ({
    name: engineLabel(s.engine),
    points: s.points.map((p) => ({ x: p.batchSize, y: p.imagesPerSecond })),
  }));
  const sizes = [...new Set(sweeps.flatMap((s) => s.points.map((p) => p.batchSize)))].sort((x, y) => x - y);
  const head = `<tr><th scope="col">engine</th>${sizes.map((b) => `<th scope="col">batch ${b}</th>`).join('')}</tr>`;
  const body = sweeps
    .map(
      (s) =>
        `<tr><th scope="row">${e(engineLabel(s.engine))}</th>${sizes
          .map((b) => {
            const p = s.points.find((q) => q.batchSize === b);
            return `<td>${p ? `${e(formatRate(p.imagesPerSecond))}<br><span class="meta">${p.msPerStep.toFixed(1)} ms a step</span>` : '–'}</td>`;
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
            c.gpuAheadFrom === null
              ? 'never faster than the CPU here'
              : `faster than the CPU from a batch of ${c.gpuAheadFrom}`;
          const at64 =
            c.atTutorialBatch === null
              ? ''
              : `; ${formatSpeedup(c.atTutorialBatch)} the CPU's rate at the tutorial's batch of 64`;
          return `<li>${e(`${engineLabel(g.engine)}: ${lead}${at64}`)}</li>`;
        })
        .join('')
    : '';
  return `<section><h2>Batch-size sweep</h2>
${note ? `<p>${e(note)}</p>` : ''}
${lineChart(series, { title: 'Images a second by batch size', xLabel: 'batch size', yLabel: 'images/s', logX: true })}
<table><caption>Images a second (median step)</caption>${head}${body}</table>
${ratios ? `<ul>${ratios}</ul>` : ''}
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
