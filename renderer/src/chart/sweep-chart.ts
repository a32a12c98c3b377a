import type { ChartOptions } from 'chart.js';
import { t } from '../../../electron/shared/i18n';
import { formatInteger } from '../lib/format';
import { chartLegend, chartPalette } from './chart-setup';

/**
 * Images a second against batch size: the batch size on a logarithmic axis (the sizes double), the rate on a
 * linear one from zero, so a line's height compares engines directly. No animation, as the loss charts.
 */
export function sweepChartOptions(
  palette: ReturnType<typeof chartPalette>,
  sizes: readonly number[],
): ChartOptions<'line'> {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    parsing: false,
    color: palette.text,
    interaction: { mode: 'nearest', intersect: false, axis: 'x' },
    scales: {
      x: {
        type: 'logarithmic',
        min: Math.min(...sizes) / 1.4,
        max: Math.max(...sizes) * 1.4,
        title: { display: true, text: t('scaling.chart.xTitle'), color: palette.text },
        // A tick at each size timed, and no others: 16, 64, 256 rather than 10, 100, 1000.
        afterBuildTicks: (axis) => {
          axis.ticks = sizes.map((value) => ({ value }));
        },
        ticks: { color: palette.text, callback: (v) => formatInteger(Number(v)) },
        grid: { color: palette.grid },
        border: { color: palette.grid },
      },
      y: {
        type: 'linear',
        min: 0,
        title: { display: true, text: t('scaling.chart.yTitle'), color: palette.text },
        grace: '8%',
        ticks: { maxTicksLimit: 6, color: palette.text, callback: (v) => formatInteger(Number(v)) },
        grid: { color: palette.grid },
        border: { color: palette.grid },
      },
    },
    plugins: {
      legend: chartLegend(palette),
      tooltip: {
        callbacks: {
          label: (ctx) =>
            t('scaling.chart.tooltip', {
              name: ctx.dataset.label ?? '',
              rate: formatInteger(ctx.parsed.y ?? 0),
              size: formatInteger(ctx.parsed.x ?? 0),
            }),
        },
      },
    },
    elements: { line: { borderWidth: 2, tension: 0 }, point: { radius: 3, hitRadius: 8 } },
  };
}
