/**
 * Line charts as SVG text for the HTML report (report-html.ts): no script, no canvas, so the chart is in the file
 * and prints. Colours come from the report's stylesheet classes (s0, s1, ...), so they follow its light and dark
 * themes. Every text passes through escapeXml.
 */
import { language } from '../../../electron/shared/i18n';

export interface Series {
  name: string;
  points: readonly { x: number; y: number }[];
}

export interface ChartOptions {
  /** Said to screen readers (<title>) and above nothing else. */
  title: string;
  xLabel: string;
  yLabel: string;
  /** A base-2 logarithmic x axis (batch sizes); linear when false. */
  logX: boolean;
}

const W = 640;
const H = 280;
const PAD = { left: 56, right: 16, top: 16, bottom: 44 };

/** `&`, `<`, `>`, `"` and `'` as character references: safe in text and in attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** "1,024", "0.25", "2.3": tick labels with at most 3 significant digits, in the report's language. */
function tick(v: number): string {
  return Math.abs(v) >= 1000 ? Math.round(v).toLocaleString(language()) : String(Number(v.toPrecision(3)));
}

/** Evenly spaced "nice" ticks (1, 2 or 5 times a power of ten) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** An SVG line chart of `series` (at most 4 drawn in distinct colours; points with non-finite values left out). */
export function lineChart(series: readonly Series[], o: ChartOptions): string {
  const clean = series.map((s) => ({
    ...s,
    points: s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && (!o.logX || p.x > 0)),
  }));
  const all = clean.flatMap((s) => s.points);
  if (all.length === 0) return '';
  const fx = o.logX ? Math.log2 : (v: number) => v;
  const xs = all.map((p) => fx(p.x));
  const ys = all.map((p) => p.y);
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  const yTicks = niceTicks(Math.min(0, ...ys), Math.max(...ys));
  const [y0, y1] = [yTicks[0], Math.max(yTicks.at(-1)!, Math.max(...ys)) || 1];
  const px = (v: number) => PAD.left + ((fx(v) - x0) / (x1 - x0)) * (W - PAD.left - PAD.right);
  const py = (v: number) => H - PAD.bottom - ((v - y0) / (y1 - y0 || 1)) * (H - PAD.top - PAD.bottom);
  const xTicks = o.logX ? [...new Set(all.map((p) => p.x))].sort((a, b) => a - b) : niceTicks(x0, x1).map((v) => v);

  const parts: string[] = [];
  parts.push(
    `<line class="axis" x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}"/>`,
  );
  parts.push(`<line class="axis" x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${H - PAD.bottom}"/>`);
  for (const v of yTicks) {
    const y = py(v).toFixed(1);
    parts.push(
      `<line class="axis" x1="${PAD.left - 4}" y1="${y}" x2="${W - PAD.right}" y2="${y}" stroke-opacity="0.4"/>`,
    );
    parts.push(`<text x="${PAD.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${tick(v)}</text>`);
  }
  for (const v of xTicks) {
    const x = px(v).toFixed(1);
    parts.push(`<text x="${x}" y="${H - PAD.bottom + 16}" text-anchor="middle">${tick(v)}</text>`);
  }
  parts.push(
    `<text x="${(PAD.left + W - PAD.right) / 2}" y="${H - 6}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`,
  );
  parts.push(
    `<text x="12" y="${(PAD.top + H - PAD.bottom) / 2}" text-anchor="middle" transform="rotate(-90 12 ${(PAD.top + H - PAD.bottom) / 2})">${escapeXml(o.yLabel)}</text>`,
  );
  clean.slice(0, 4).forEach((s, i) => {
    const d = s.points.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ');
    parts.push(
      `<polyline class="s${i}" fill="none" stroke-width="2" points="${d}"><title>${escapeXml(s.name)}</title></polyline>`,
    );
    if (s.points.length <= 16) {
      for (const p of s.points)
        parts.push(`<circle class="dot${i}" cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3"/>`);
    }
  });
  const legend =
    clean.length > 1
      ? `<p class="legend">${clean
          .slice(0, 4)
          .map((s, i) => `<span class="key${i}">■</span> ${escapeXml(s.name)}`)
          .join(' &nbsp; ')}</p>`
      : '';
  return (
    `<figure><svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeXml(o.title)}" xmlns="http://www.w3.org/2000/svg">` +
    `<title>${escapeXml(o.title)}</title>${parts.join('')}</svg>${legend}</figure>`
  );
}
