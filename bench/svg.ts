/**
 * Minimal SVG charts for the benchmark results (no plotting dependency): a line chart with optional log axes and
 * horizontal bar charts, stacked into one file. Output is deterministic for the same input.
 */

/** One line of a {@link lineChart}. */
export interface Series {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
  /** Draw dashed (e.g. a reference line). @default false */
  readonly dashed?: boolean;
}

/** Options of {@link lineChart}. */
export interface LineChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  /** Logarithmic x axis. @default false */
  readonly logX?: boolean;
  /** Logarithmic y axis. @default false */
  readonly logY?: boolean;
  /** A horizontal line, e.g. a target (`{ y: 10, label: 'target 10 s' }`). @default none */
  readonly threshold?: { readonly y: number; readonly label: string };
  /** @default 720 */
  readonly width?: number;
  /** @default 420 */
  readonly height?: number;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];
const MARGIN = { left: 70, right: 20, top: 40, bottom: 60 };

/** Escapes text for SVG/XML. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Compact number for axis labels: 0.5, 12, 1k, 2.5k, 1M. */
export function formatTick(v: number): string {
  const abs = Math.abs(v);
  if (abs >= 1e6) return `${trim(v / 1e6)}M`;
  if (abs >= 1e3) return `${trim(v / 1e3)}k`;
  return trim(v);
}

function trim(v: number): string {
  return String(Number(v.toPrecision(3)));
}

/** Axis ticks: powers of ten (log) or about five round steps (linear). */
export function ticks(min: number, max: number, log: boolean): number[] {
  if (log) {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) out.push(10 ** e);
    return out;
  }
  const span = max - min || 1;
  const raw = span / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => span / s <= 6) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function frame(width: number, height: number, title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** A line chart with markers, legend, optional log axes and a threshold line. */
export function lineChart(o: LineChartOptions): string {
  const width = o.width ?? 720;
  const height = o.height ?? 420;
  const pts = o.series.flatMap((s) => s.points);
  if (pts.length === 0) throw new RangeError('lineChart needs at least one point');
  const ys = [...pts.map((p) => p[1]), ...(o.threshold ? [o.threshold.y] : [])];
  const [xmin, xmax] = [Math.min(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[0]))];
  let [ymin, ymax] = [Math.min(...ys), Math.max(...ys)];
  if (!o.logY) ymin = Math.min(0, ymin);
  else ymax *= 2; // head room above the largest value (and the threshold) on log axes
  const xt = ticks(xmin, xmax, o.logX ?? false);
  const yt = ticks(ymin, ymax, o.logY ?? false);
  const [x0, x1] = [Math.min(xmin, xt[0]), Math.max(xmax, xt[xt.length - 1])];
  const [y0, y1] = [Math.min(ymin, yt[0]), Math.max(ymax, yt[yt.length - 1])];
  const fx = (v: number): number =>
    o.logX ? (Math.log10(v) - Math.log10(x0)) / (Math.log10(x1) - Math.log10(x0) || 1) : (v - x0) / (x1 - x0 || 1);
  const fy = (v: number): number =>
    o.logY ? (Math.log10(v) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0) || 1) : (v - y0) / (y1 - y0 || 1);
  const pw = width - MARGIN.left - MARGIN.right;
  const ph = height - MARGIN.top - MARGIN.bottom;
  const px = (v: number): number => round1(MARGIN.left + fx(v) * pw);
  const py = (v: number): number => round1(MARGIN.top + ph - fy(v) * ph);
  const body: string[] = [];
  for (const t of yt)
    body.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + pw}" y1="${py(t)}" y2="${py(t)}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 6}" y="${py(t) + 4}" text-anchor="end">${formatTick(t)}</text>`,
    );
  for (const t of xt)
    body.push(
      `<line x1="${px(t)}" x2="${px(t)}" y1="${MARGIN.top}" y2="${MARGIN.top + ph}" stroke="#eee"/>`,
      `<text x="${px(t)}" y="${MARGIN.top + ph + 16}" text-anchor="middle">${formatTick(t)}</text>`,
    );
  body.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  body.push(`<text x="${MARGIN.left + pw / 2}" y="${height - 18}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`);
  body.push(
    `<text transform="translate(16 ${MARGIN.top + ph / 2}) rotate(-90)" text-anchor="middle">${escapeXml(o.yLabel)}</text>`,
  );
  if (o.threshold) {
    body.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + pw}" y1="${py(o.threshold.y)}" y2="${py(o.threshold.y)}" stroke="#999" stroke-dasharray="6 4"/>`,
    );
    body.push(
      `<text x="${MARGIN.left + pw - 4}" y="${py(o.threshold.y) - 5}" text-anchor="end" fill="#666">${escapeXml(o.threshold.label)}</text>`,
    );
  }
  o.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const d = s.points.map((p, j) => `${j === 0 ? 'M' : 'L'}${px(p[0])} ${py(p[1])}`).join(' ');
    body.push(
      `<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`,
    );
    for (const p of s.points)
      body.push(
        `<circle cx="${px(p[0])}" cy="${py(p[1])}" r="3.5" fill="${color}"><title>${escapeXml(`${s.name}: ${formatTick(p[0])} → ${trim(p[1])}`)}</title></circle>`,
      );
    body.push(
      `<rect x="${MARGIN.left + 12}" y="${MARGIN.top + 10 + i * 18}" width="12" height="3" fill="${color}"/>`,
      `<text x="${MARGIN.left + 30}" y="${MARGIN.top + 15 + i * 18}">${escapeXml(s.name)}</text>`,
    );
  });
  return frame(width, height, o.title, body);
}

/** One bar of a {@link horizontalBarChart}. */
export interface HorizontalBar {
  /** Group label, shown once before the group's first bar. */
  readonly group: string;
  /** Series name (colours the bar; legend entry). */
  readonly name: string;
  readonly value: number;
  /** Text after the bar. @default the value */
  readonly note?: string;
}

/** Options of {@link horizontalBarChart}. */
export interface HorizontalBarChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly bars: readonly HorizontalBar[];
  /** @default 900 */
  readonly width?: number;
}

/** Horizontal bars, grouped, each labelled at its end: readable even when values differ by orders of magnitude. */
export function horizontalBarChart(o: HorizontalBarChartOptions): string {
  if (o.bars.length === 0) throw new RangeError('horizontalBarChart needs at least one bar');
  const width = o.width ?? 900;
  const left = 220;
  const right = 230;
  const rowHeight = 18;
  const groups = [...new Set(o.bars.map((b) => b.group))];
  const names = [...new Set(o.bars.map((b) => b.name))];
  const top = 40;
  const plotHeight = o.bars.length * rowHeight + groups.length * 10;
  const height = top + plotHeight + 60;
  const xt = ticks(0, Math.max(...o.bars.map((b) => b.value)), false);
  const xmax = Math.max(...o.bars.map((b) => b.value), xt[xt.length - 1]);
  const pw = width - left - right;
  const px = (v: number): number => round1(left + (v / (xmax || 1)) * pw);
  const body: string[] = [];
  for (const t of xt)
    body.push(
      `<line x1="${px(t)}" x2="${px(t)}" y1="${top}" y2="${top + plotHeight}" stroke="#e5e5e5"/>`,
      `<text x="${px(t)}" y="${top + plotHeight + 16}" text-anchor="middle">${formatTick(t)}</text>`,
    );
  let y = top + 5;
  for (const g of groups) {
    const inGroup = o.bars.filter((b) => b.group === g);
    body.push(
      `<text x="${left - 8}" y="${y + (inGroup.length * rowHeight) / 2 + 4}" text-anchor="end" font-weight="bold">${escapeXml(g)}</text>`,
    );
    for (const b of inGroup) {
      const color = COLORS[names.indexOf(b.name) % COLORS.length];
      body.push(
        `<rect x="${left}" y="${y}" width="${Math.max(1, round1(px(b.value) - left))}" height="${rowHeight - 4}" fill="${color}"><title>${escapeXml(`${g} / ${b.name}: ${trim(b.value)}`)}</title></rect>`,
      );
      body.push(
        `<text x="${px(b.value) + 4}" y="${y + rowHeight - 8}" font-size="11">${escapeXml(`${b.name}: ${b.note ?? trim(b.value)}`)}</text>`,
      );
      y += rowHeight;
    }
    y += 10;
  }
  body.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotHeight}" stroke="#333"/>`);
  body.push(
    `<text x="${left + pw / 2}" y="${top + plotHeight + 36}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`,
  );
  return frame(width, height, o.title, body);
}

/** Stacks complete SVG documents vertically into one. */
export function stackSvgs(svgs: readonly string[]): string {
  const sizes = svgs.map((svg) => {
    const m = /^<svg [^>]*width="(\d+(?:\.\d+)?)" height="(\d+(?:\.\d+)?)"/.exec(svg);
    if (!m) throw new Error('stackSvgs: an input is not an SVG with width and height');
    return { width: Number(m[1]), height: Number(m[2]) };
  });
  const width = Math.max(...sizes.map((x) => x.width));
  const height = sizes.reduce((a, x) => a + x.height, 0);
  let y = 0;
  const parts = svgs.map((svg, i) => {
    const part = svg.trimEnd().replace(/^<svg /, `<svg x="0" y="${y}" `);
    y += sizes[i].height;
    return part;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}
