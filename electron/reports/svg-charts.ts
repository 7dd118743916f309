// Inline SVG charts for the report: line charts (Pass@K vs chance on a log2 K axis, training curves with event
// markers), grouped bars with intervals, and a diverging heat map. Plain strings, no script, sized in CSS pixels so
// text stays ≥ 11 px when printed on A4 and rasterised at 100 dpi. Colours: Okabe–Ito (colour-blind safe).
import { escapeHtml } from './cite.ts';

export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'] as const;
const FONT = 12;
const SMALL = 11;
const AXIS = '#444';
const GRID = '#ddd';

export interface Point {
  x: number;
  y: number;
  cite?: string;
}
export interface Series {
  name: string;
  points: Point[];
  color: string;
  dashed?: boolean;
  /** Label the last point with its value. */ labelLast?: boolean;
}
export interface Marker {
  x: number;
  label: string;
  color?: string;
}

export interface LineChartSpec {
  title: string;
  width: number;
  height: number;
  xScale: 'log2' | 'linear';
  xLabel: string;
  yLabel: string;
  /** Fixed y range; default [0, 1]. */
  yRange?: [number, number];
  xTicks?: number[];
  series: Series[];
  markers?: Marker[];
  yFormat?: (y: number) => string;
}

const niceTicks = (lo: number, hi: number, n: number): number[] => {
  if (hi <= lo) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(10)));
  return out;
};

const fmtTick = (v: number): string => (Math.abs(v) >= 1000 ? `${(v / 1000).toFixed(v % 1000 === 0 ? 0 : 1)}k` : String(Number(v.toPrecision(3))));

export function lineChart(s: LineChartSpec): string {
  const labelled = s.series.some((x) => x.labelLast && x.points.length);
  const m = { l: 50, r: labelled ? 50 : 14, t: 26, b: 40 };
  const legendRows = Math.ceil(s.series.length / 3);
  const legendH = legendRows * 16 + 4;
  const W = s.width;
  const H = s.height + legendH;
  const pw = W - m.l - m.r;
  const ph = s.height - m.t - m.b;
  const xs = s.series.flatMap((x) => x.points.map((p) => p.x)).concat((s.markers ?? []).map((k) => k.x));
  const [y0, y1] = s.yRange ?? [0, 1];
  const tx = (v: number) => (s.xScale === 'log2' ? Math.log2(v) : v);
  const xmin = Math.min(...(xs.length ? xs.map(tx) : [0]));
  let xmax = Math.max(...(xs.length ? xs.map(tx) : [1]));
  if (xmax === xmin) xmax = xmin + 1;
  const X = (v: number) => m.l + ((tx(v) - xmin) / (xmax - xmin)) * pw;
  const Y = (v: number) => m.t + (1 - (Math.min(Math.max(v, y0), y1) - y0) / (y1 - y0)) * ph;
  const yf = s.yFormat ?? ((v: number) => `${Math.round(100 * v)}%`);
  const parts: string[] = [];
  parts.push(`<text x="${m.l}" y="16" font-size="${FONT}" font-weight="600">${escapeHtml(s.title)}</text>`);
  for (const t of niceTicks(y0, y1, 4)) {
    parts.push(`<line x1="${m.l}" x2="${m.l + pw}" y1="${Y(t).toFixed(1)}" y2="${Y(t).toFixed(1)}" stroke="${GRID}"/>`);
    parts.push(`<text x="${m.l - 5}" y="${(Y(t) + 4).toFixed(1)}" font-size="${SMALL}" text-anchor="end" fill="${AXIS}">${escapeHtml(yf(t))}</text>`);
  }
  const xTicks = s.xTicks ?? (s.xScale === 'log2' ? [...new Set(xs)].sort((a, b) => a - b) : niceTicks(Math.min(...xs), Math.max(...xs), 5));
  for (const t of xTicks) {
    parts.push(`<line x1="${X(t).toFixed(1)}" x2="${X(t).toFixed(1)}" y1="${m.t + ph}" y2="${m.t + ph + 4}" stroke="${AXIS}"/>`);
    parts.push(`<text x="${X(t).toFixed(1)}" y="${m.t + ph + 16}" font-size="${SMALL}" text-anchor="middle" fill="${AXIS}">${escapeHtml(fmtTick(t))}</text>`);
  }
  parts.push(
    `<line x1="${m.l}" x2="${m.l + pw}" y1="${m.t + ph}" y2="${m.t + ph}" stroke="${AXIS}"/><line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${m.t + ph}" stroke="${AXIS}"/>`,
  );
  parts.push(`<text x="${m.l + pw / 2}" y="${m.t + ph + 32}" font-size="${SMALL}" text-anchor="middle" fill="${AXIS}">${escapeHtml(s.xLabel)}</text>`);
  parts.push(
    `<text transform="translate(12 ${m.t + ph / 2}) rotate(-90)" font-size="${SMALL}" text-anchor="middle" fill="${AXIS}">${escapeHtml(s.yLabel)}</text>`,
  );
  for (const mk of s.markers ?? []) {
    const x = X(mk.x);
    const c = mk.color ?? '#B00020';
    parts.push(`<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${m.t}" y2="${m.t + ph}" stroke="${c}" stroke-width="1.5" stroke-dasharray="2 2"/>`);
    // Near the right edge the label goes to the left of its line so it is not cut off.
    const left = x > m.l + pw * 0.6;
    if (mk.label)
      parts.push(
        `<text x="${(left ? x - 4 : x + 4).toFixed(1)}" y="${m.t + 11}" font-size="${SMALL}" fill="${c}" text-anchor="${left ? 'end' : 'start'}">${escapeHtml(mk.label)}</text>`,
      );
  }
  const endLabels: Array<{ y: number; text: string; color: string; cite: string }> = [];
  for (const se of s.series) {
    if (!se.points.length) continue;
    const d = se.points.map((p, i) => `${i ? 'L' : 'M'}${X(p.x).toFixed(1)},${Y(p.y).toFixed(1)}`).join('');
    parts.push(`<path d="${d}" fill="none" stroke="${se.color}" stroke-width="2"${se.dashed ? ' stroke-dasharray="5 4"' : ''}/>`);
    if (se.points.length <= 16)
      for (const p of se.points) parts.push(`<circle cx="${X(p.x).toFixed(1)}" cy="${Y(p.y).toFixed(1)}" r="2.6" fill="${se.color}"/>`);
    const last = se.points.at(-1);
    if (se.labelLast && last) endLabels.push({ y: Y(last.y) + 4, text: yf(last.y), color: se.color, cite: last.cite ?? '' });
  }
  // Last values in the right margin, pushed apart so they never overlap.
  endLabels.sort((a, b) => a.y - b.y);
  for (let i = 1; i < endLabels.length; i++) {
    const prev = endLabels[i - 1] as (typeof endLabels)[number];
    const cur = endLabels[i] as (typeof endLabels)[number];
    if (cur.y - prev.y < SMALL + 1) cur.y = prev.y + SMALL + 1;
  }
  for (const l of endLabels)
    parts.push(`<text x="${(m.l + pw + 5).toFixed(1)}" y="${l.y.toFixed(1)}" font-size="${SMALL}" fill="${l.color}"${l.cite}>${escapeHtml(l.text)}</text>`);
  s.series.forEach((se, i) => {
    const lx = m.l + (i % 3) * Math.floor(pw / 3);
    const ly = s.height + 4 + Math.floor(i / 3) * 16;
    parts.push(
      `<line x1="${lx}" x2="${lx + 18}" y1="${ly + 6}" y2="${ly + 6}" stroke="${se.color}" stroke-width="2"${se.dashed ? ' stroke-dasharray="5 4"' : ''}/>`,
    );
    parts.push(`<text x="${lx + 22}" y="${ly + 10}" font-size="${SMALL}">${escapeHtml(se.name)}</text>`);
  });
  return `<svg class="chart" role="img" aria-label="${escapeHtml(s.title)}" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif">${parts.join('')}</svg>`;
}

export interface Bar {
  name: string;
  value: number | null;
  ci?: [number, number] | null;
  cite?: string;
  color: string;
}
export interface BarGroup {
  label: string;
  bars: Bar[];
}
export interface BarChartSpec {
  title: string;
  width: number;
  height: number;
  groups: BarGroup[];
  yLabel: string;
  yRange?: [number, number];
  /** Horizontal reference lines, e.g. chance or a vision-only reference. */
  refs?: Array<{ y: number; label: string; color?: string }>;
  valueLabels?: boolean;
  yFormat?: (y: number) => string;
}

export function barChart(s: BarChartSpec): string {
  const m = { l: 50, r: 14, t: 26, b: 44 };
  const names = [...new Map(s.groups.flatMap((g) => g.bars.map((b) => [b.name, b.color] as const))).entries()];
  const legendH = Math.ceil(names.length / 3) * 16 + 4;
  const W = s.width;
  const H = s.height + legendH;
  const pw = W - m.l - m.r;
  const ph = s.height - m.t - m.b;
  const [y0, y1] = s.yRange ?? [0, 1];
  const Y = (v: number) => m.t + (1 - (Math.min(Math.max(v, y0), y1) - y0) / (y1 - y0)) * ph;
  const yf = s.yFormat ?? ((v: number) => `${Math.round(100 * v)}%`);
  const parts: string[] = [`<text x="${m.l}" y="16" font-size="${FONT}" font-weight="600">${escapeHtml(s.title)}</text>`];
  for (const t of niceTicks(y0, y1, 4)) {
    parts.push(`<line x1="${m.l}" x2="${m.l + pw}" y1="${Y(t).toFixed(1)}" y2="${Y(t).toFixed(1)}" stroke="${GRID}"/>`);
    parts.push(`<text x="${m.l - 5}" y="${(Y(t) + 4).toFixed(1)}" font-size="${SMALL}" text-anchor="end" fill="${AXIS}">${escapeHtml(yf(t))}</text>`);
  }
  const gw = pw / Math.max(1, s.groups.length);
  s.groups.forEach((g, gi) => {
    const n = Math.max(1, g.bars.length);
    const bw = Math.min(34, (gw * 0.8) / n);
    const start = m.l + gi * gw + (gw - bw * n) / 2;
    g.bars.forEach((b, bi) => {
      const x = start + bi * bw;
      if (b.value === null) {
        parts.push(`<text x="${(x + bw / 2).toFixed(1)}" y="${(Y(y0) - 4).toFixed(1)}" font-size="${SMALL}" text-anchor="middle" fill="${AXIS}">n/a</text>`);
        return;
      }
      const top = Y(Math.max(b.value, y0));
      const base = Y(Math.max(0, y0));
      parts.push(
        `<rect x="${(x + 1).toFixed(1)}" y="${Math.min(top, base).toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${Math.abs(base - top).toFixed(1)}" fill="${b.color}"/>`,
      );
      if (b.ci) {
        const cx = (x + bw / 2).toFixed(1);
        parts.push(`<line x1="${cx}" x2="${cx}" y1="${Y(b.ci[0]).toFixed(1)}" y2="${Y(b.ci[1]).toFixed(1)}" stroke="#222" stroke-width="1.2"/>`);
        for (const e of b.ci)
          parts.push(
            `<line x1="${(x + bw / 2 - 4).toFixed(1)}" x2="${(x + bw / 2 + 4).toFixed(1)}" y1="${Y(e).toFixed(1)}" y2="${Y(e).toFixed(1)}" stroke="#222" stroke-width="1.2"/>`,
          );
      }
      if (s.valueLabels && bw >= 22)
        parts.push(
          `<text x="${(x + bw / 2).toFixed(1)}" y="${(Math.min(top, b.ci ? Y(b.ci[1]) : top) - 4).toFixed(1)}" font-size="${SMALL - 1}" text-anchor="middle"${b.cite ?? ''}>${escapeHtml(yf(b.value))}</text>`,
        );
    });
    const label = g.label.length > 22 ? `${g.label.slice(0, 21)}…` : g.label;
    parts.push(`<text x="${(m.l + gi * gw + gw / 2).toFixed(1)}" y="${m.t + ph + 16}" font-size="${SMALL}" text-anchor="middle">${escapeHtml(label)}</text>`);
  });
  parts.push(
    `<line x1="${m.l}" x2="${m.l + pw}" y1="${Y(Math.max(0, y0))}" y2="${Y(Math.max(0, y0))}" stroke="${AXIS}"/><line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${m.t + ph}" stroke="${AXIS}"/>`,
  );
  for (const r of s.refs ?? []) {
    parts.push(
      `<line x1="${m.l}" x2="${m.l + pw}" y1="${Y(r.y).toFixed(1)}" y2="${Y(r.y).toFixed(1)}" stroke="${r.color ?? '#555'}" stroke-dasharray="5 4" stroke-width="1.5"/>`,
    );
    parts.push(
      `<text x="${m.l + pw - 2}" y="${(Y(r.y) - 4).toFixed(1)}" font-size="${SMALL}" text-anchor="end" fill="${r.color ?? '#555'}">${escapeHtml(r.label)}</text>`,
    );
  }
  parts.push(
    `<text transform="translate(12 ${m.t + ph / 2}) rotate(-90)" font-size="${SMALL}" text-anchor="middle" fill="${AXIS}">${escapeHtml(s.yLabel)}</text>`,
  );
  names.forEach(([name, color], i) => {
    const lx = m.l + (i % 3) * Math.floor(pw / 3);
    const ly = s.height + 4 + Math.floor(i / 3) * 16;
    parts.push(
      `<rect x="${lx}" y="${ly + 1}" width="12" height="11" fill="${color}"/><text x="${lx + 17}" y="${ly + 10}" font-size="${SMALL}">${escapeHtml(name)}</text>`,
    );
  });
  return `<svg class="chart" role="img" aria-label="${escapeHtml(s.title)}" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif">${parts.join('')}</svg>`;
}

/** A cell: its value (null = no value: `label` is printed instead, "—" without one) and where the value is cited from. */
export interface HeatCell {
  value: number | null;
  cite?: string;
  label?: string;
}
export interface HeatMapSpec {
  title: string;
  rows: string[];
  cols: string[];
  cells: HeatCell[][];
  /** Symmetric colour range ±limit around zero. */
  limit: number;
  format: (v: number) => string;
  width: number;
}

/** Diverging blue (gain) / vermillion (loss) map; each cell prints its value. */
export function heatMap(s: HeatMapSpec): string {
  const labelW = 170;
  const top = 44;
  const cw = Math.max(60, Math.floor((s.width - labelW - 10) / Math.max(1, s.cols.length)));
  const ch = 26;
  const W = labelW + cw * s.cols.length + 10;
  const H = top + ch * s.rows.length + 8;
  const colour = (v: number) => {
    const t = Math.max(-1, Math.min(1, v / (s.limit || 1)));
    const [r, g, b] = t >= 0 ? [0, 114, 178] : [213, 94, 0];
    const a = Math.abs(t);
    const mix = (c: number) => Math.round(255 + (c - 255) * a);
    return { fill: `rgb(${mix(r)},${mix(g)},${mix(b)})`, ink: a > 0.55 ? '#fff' : '#111' };
  };
  const parts: string[] = [`<text x="0" y="16" font-size="${FONT}" font-weight="600">${escapeHtml(s.title)}</text>`];
  s.cols.forEach((c, j) =>
    parts.push(`<text x="${labelW + j * cw + cw / 2}" y="${top - 8}" font-size="${SMALL}" text-anchor="middle">${escapeHtml(c)}</text>`),
  );
  s.rows.forEach((r, i) => {
    const y = top + i * ch;
    parts.push(
      `<text x="${labelW - 6}" y="${y + ch / 2 + 4}" font-size="${SMALL}" text-anchor="end">${escapeHtml(r.length > 28 ? `${r.slice(0, 27)}…` : r)}</text>`,
    );
    s.cols.forEach((_, j) => {
      const cell = s.cells[i]?.[j];
      const x = labelW + j * cw;
      if (!cell || cell.value === null) {
        const label = cell?.label ?? '—';
        parts.push(
          `<rect x="${x}" y="${y}" width="${cw - 2}" height="${ch - 2}" fill="${cell?.label ? '#dddddd' : '#f3f3f3'}"/><text x="${x + cw / 2}" y="${y + ch / 2 + 4}" font-size="${SMALL}" text-anchor="middle" fill="${cell?.label ? '#111' : '#777'}"${cell?.cite ?? ''}>${escapeHtml(label)}</text>`,
        );
        return;
      }
      const { fill, ink } = colour(cell.value);
      parts.push(
        `<rect x="${x}" y="${y}" width="${cw - 2}" height="${ch - 2}" fill="${fill}"/><text x="${x + cw / 2}" y="${y + ch / 2 + 4}" font-size="${SMALL}" text-anchor="middle" fill="${ink}"${cell.cite ?? ''}>${escapeHtml(s.format(cell.value))}</text>`,
      );
    });
  });
  return `<svg class="chart" role="img" aria-label="${escapeHtml(s.title)}" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif">${parts.join('')}</svg>`;
}
