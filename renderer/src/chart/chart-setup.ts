import {
  Chart, Legend, LineController, LineElement, LinearScale, PointElement, ScatterController, Tooltip,
  type ChartOptions,
} from 'chart.js';

// Only what the loss charts draw: keeps the bundle small.
Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, Legend, Tooltip);

Chart.defaults.font.family = getComputedStyle(document.documentElement).getPropertyValue('--font').trim() || 'sans-serif';
Chart.defaults.font.size = 11;
Chart.defaults.color = '#5b6472';
Chart.defaults.borderColor = '#e4e7ec';

export { Chart };

/** Loss over batches: linear axes, no animation (a live curve that animates lags behind its data). */
export function lossChartOptions(xTitle = 'batches'): ChartOptions<'line'> {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    parsing: false,
    normalized: true,
    interaction: { mode: 'nearest', intersect: false, axis: 'x' },
    scales: {
      x: { type: 'linear', title: { display: true, text: xTitle }, ticks: { maxTicksLimit: 8, precision: 0 }, grid: { display: false } },
      y: { type: 'linear', title: { display: true, text: 'loss' }, grace: '5%', ticks: { maxTicksLimit: 6 } },
    },
    plugins: {
      legend: { position: 'top', align: 'end', labels: { boxWidth: 7, boxHeight: 7, usePointStyle: true, padding: 12 } },
      tooltip: {
        callbacks: {
          label: (ctx) => `${ctx.dataset.label}: ${(ctx.parsed.y ?? 0).toFixed(3)} at batch ${Math.round(ctx.parsed.x ?? 0)}`,
        },
      },
    },
    elements: { line: { borderWidth: 1.5, tension: 0 }, point: { radius: 0, hitRadius: 6 } },
  };
}

export const COLORS = {
  cpu: '#2563eb',
  gpu: '#15803d',
  raw: 'rgba(37, 99, 235, 0.35)',
  smooth: '#2563eb',
  windows: '#0f172a',
  /** Overlay lines, one per ticked history row: blues for CPU runs, greens and warm tones for GPU runs. */
  series: {
    cpu: ['#2563eb', '#7c3aed', '#0891b2', '#4f46e5', '#64748b'],
    gpu: ['#15803d', '#c2410c', '#a16207', '#be123c', '#0f766e'],
  },
} as const;
