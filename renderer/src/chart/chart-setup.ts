import {
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartOptions,
} from 'chart.js';
import { language, t } from '../../../electron/shared/i18n';
import { formatFixed } from '../lib/format';

// Only what the loss charts and the sweep's chart draw: keeps the bundle small.
Chart.register(
  LineController,
  ScatterController,
  LineElement,
  PointElement,
  LinearScale,
  LogarithmicScale,
  Legend,
  Tooltip,
);

Chart.defaults.font.family =
  getComputedStyle(document.documentElement).getPropertyValue('--font').trim() || 'sans-serif';
Chart.defaults.font.size = 11;

export { Chart };

/** What the x axis counts: batches finished, or seconds of the training loop (warm-up excluded). */
export type XAxis = 'batches' | 'time';

interface ChartPalette {
  text: string;
  grid: string;
  cpu: string;
  gpu: string;
  raw: string;
  smooth: string;
  windows: string;
  /** Overlay lines, one per ticked history row: blues for CPU runs, greens and warm tones for GPU runs. */
  series: { cpu: readonly string[]; gpu: readonly string[] };
}

const LIGHT: ChartPalette = {
  text: '#5b6472',
  grid: '#e4e7ec',
  cpu: '#2563eb',
  gpu: '#147a3a',
  raw: 'rgba(37, 99, 235, 0.35)',
  smooth: '#2563eb',
  windows: '#0f172a',
  series: {
    cpu: ['#2563eb', '#7c3aed', '#0891b2', '#4f46e5', '#64748b'],
    gpu: ['#147a3a', '#c2410c', '#a16207', '#be123c', '#0f766e'],
  },
};

// Lighter tones of the same hues: lines stay at 3:1 or more against the dark panel (WCAG's non-text contrast).
const DARK: ChartPalette = {
  text: '#aab2c0',
  grid: '#2b303b',
  cpu: '#7aa7ff',
  gpu: '#4ade80',
  raw: 'rgba(122, 167, 255, 0.4)',
  smooth: '#7aa7ff',
  windows: '#f1f5f9',
  series: {
    cpu: ['#7aa7ff', '#c4a5ff', '#5fd4ef', '#a5b4fc', '#aab2c0'],
    gpu: ['#4ade80', '#fb923c', '#facc15', '#fb7185', '#2dd4bf'],
  },
};

export function chartPalette(dark: boolean): ChartPalette {
  return dark ? DARK : LIGHT;
}

/** "12.3 s", "2 s" for the time axis's ticks and tooltips: tenths under 10 s, without a trailing zero. */
const seconds = (s: number) => {
  const tenths = formatFixed(s, s < 10 ? 1 : 0).replace(/[.,]0$/, '');
  return t('format.seconds', { value: tenths });
};

/** The legend every chart of the app draws: top right, small round markers, in the theme's text colour. */
export function chartLegend(palette: ChartPalette) {
  return {
    position: 'top' as const,
    align: 'end' as const,
    labels: { boxWidth: 7, boxHeight: 7, usePointStyle: true, padding: 12, color: palette.text },
  };
}

/** Loss over batches or over seconds: linear axes, no animation (a live curve that animates lags behind its data). */
export function lossChartOptions(axis: XAxis = 'batches', palette: ChartPalette = LIGHT): ChartOptions<'line'> {
  const time = axis === 'time';
  return {
    animation: false,
    // Chart.js formats the ticks it words itself (the batch axis, the loss) in this locale.
    locale: language(),
    responsive: true,
    maintainAspectRatio: false,
    parsing: false,
    normalized: true,
    color: palette.text,
    interaction: { mode: 'nearest', intersect: false, axis: 'x' },
    scales: {
      x: {
        type: 'linear',
        min: 0,
        title: {
          display: true,
          text: time ? t('progress.chart.seconds') : t('progress.chart.batches'),
          color: palette.text,
        },
        ticks: {
          maxTicksLimit: 8,
          precision: time ? undefined : 0,
          color: palette.text,
          callback: time ? (v) => seconds(Number(v)) : undefined,
        },
        grid: { display: false },
        border: { color: palette.grid },
      },
      y: {
        type: 'linear',
        title: { display: true, text: t('progress.chart.loss'), color: palette.text },
        grace: '5%',
        ticks: { maxTicksLimit: 6, color: palette.text },
        grid: { color: palette.grid },
        border: { color: palette.grid },
      },
    },
    plugins: {
      legend: chartLegend(palette),
      tooltip: {
        callbacks: {
          label: (ctx) => {
            const x = ctx.parsed.x ?? 0;
            const words = { series: ctx.dataset.label ?? '', loss: formatFixed(ctx.parsed.y ?? 0, 3) };
            return time
              ? t('progress.chart.atSeconds', { ...words, seconds: seconds(x) })
              : t('progress.chart.atBatch', { ...words, batch: String(Math.round(x)) });
          },
        },
      },
    },
    elements: { line: { borderWidth: 1.5, tension: 0 }, point: { radius: 0, hitRadius: 6 } },
  };
}
