/**
 * Hand-drawn inline SVG charts for the HTML report: ASR over time per route (with attempts as a volume
 * background, all routes as a dashed reference and spike windows shaded), and the code mix as stacked bars.
 *
 * Plain SVG strings rather than a charting library: no dependency, a few kilobytes in the report, no script
 * (so the page keeps a script-free CSP), and every label passes through the same `escapeHtmlText()` as the page.
 */
import type { CodeShare, Spike } from '../analysis/result.js';
import { escapeHtmlText as escapeHtml } from './escape.js';
import { attemptsText, codeLabel, int, pct, when, window } from './format.js';

const f1 = (n: number) => (Math.round(n * 10) / 10).toString();

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TICK_STEPS = [5 * 60_000, 15 * 60_000, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY];

/** Tick times on UTC multiples of a step chosen so that at most `max` ticks fit. */
export function timeTicks(t0: number, t1: number, max = 8): { step: number; ticks: number[] } {
  const span = Math.max(1, t1 - t0);
  const step = TICK_STEPS.find((s) => span / s <= max) ?? Math.ceil(span / max / DAY) * DAY;
  const ticks: number[] = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) ticks.push(t);
  return { step, ticks };
}

function tickLabel(t: number, step: number): string {
  const iso = new Date(t).toISOString();
  return step >= DAY ? iso.slice(5, 10) : iso.slice(11, 16) === '00:00' ? iso.slice(5, 10) : iso.slice(11, 16);
}

/** Attempts and answers in one time bin of a chart (bins with no attempts are simply absent). */
export interface ChartBin {
  start: number;
  end: number;
  attempts: number;
  answered: number;
}

/** Bin sizes a chart may use (seconds): round durations, so that points fall on familiar times. */
const BIN_SIZES = [60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];
/**
 * A chart point should rest on at least this many attempts, so that its ASR is not noise: the step is chosen
 * for it, and a point that still rests on fewer (a quiet hour) is drawn hollow and left off the line…
 */
export const MIN_ATTEMPTS_PER_POINT = 20;
/** …unless that would leave fewer points than this; and never more points than MAX_POINTS. */
const MIN_POINTS = 12;
const MAX_POINTS = 72;

/**
 * The bin size for a route's chart: the result's own bucket when each bucket holds enough attempts, else
 * the smallest round multiple of it that does (exact: ASR of a bin is its answers over its attempts).
 */
export function chartBinSec(bucketSec: number, spanMs: number, attempts: number): number {
  const sizes = BIN_SIZES.filter((s) => s >= bucketSec && s % bucketSec === 0);
  if (sizes.length === 0 || sizes[0] !== bucketSec) sizes.unshift(bucketSec);
  for (const s of sizes) {
    const bins = Math.max(1, Math.ceil(spanMs / (s * 1000)));
    if (bins > MAX_POINTS) continue;
    if (attempts / bins >= MIN_ATTEMPTS_PER_POINT || bins <= MIN_POINTS) return s;
  }
  return sizes[sizes.length - 1];
}

/** Adds bucket counts into bins of `binSec` aligned on UTC multiples of the bin size. */
export function rebin(series: ReadonlyArray<{ start: string; attempts: number; answered: number }>, binSec: number): ChartBin[] {
  const binMs = binSec * 1000;
  const bins = new Map<number, ChartBin>();
  for (const b of series) {
    if (b.attempts === 0) continue;
    const start = Math.floor(Date.parse(b.start) / binMs) * binMs;
    const bin = bins.get(start) ?? { start, end: start + binMs, attempts: 0, answered: 0 };
    bin.attempts += b.attempts;
    bin.answered += b.answered;
    bins.set(start, bin);
  }
  return [...bins.values()].sort((a, b) => a.start - b.start);
}

export interface AsrChartInput {
  route: string;
  bins: readonly ChartBin[];
  /** All routes together, in the same bins, for the dashed reference line. */
  overall: readonly ChartBin[];
  spikes: readonly Spike[];
  /** Time domain of every chart, so that small multiples line up. */
  t0: number;
  t1: number;
  colour: string;
  /** Points resting on fewer attempts are drawn hollow and left off the lines. Default MIN_ATTEMPTS_PER_POINT. */
  minAttempts?: number;
}

/** Whether a chart point rests on too few attempts for its ASR to mean much. */
export function thinBin(b: ChartBin, minAttempts = MIN_ATTEMPTS_PER_POINT): boolean {
  return b.attempts < minAttempts;
}

const W = 560;
const H = 180;
const M = { l: 38, r: 10, t: 14, b: 24 };

/**
 * Polylines through bin midpoints, broken where a bin is missing (no attempts) or rests on fewer than
 * `minAttempts` (left off: a line through a 1-attempt point draws an outage that never happened).
 */
function linePaths(bins: readonly ChartBin[], x: (t: number) => number, y: (r: number) => number, minAttempts: number): string[] {
  const paths: string[] = [];
  let cur: string[] = [];
  let prevEnd = NaN;
  for (const b of bins) {
    if (thinBin(b, minAttempts)) {
      prevEnd = NaN;
      continue;
    }
    if (b.start !== prevEnd && cur.length > 0) {
      paths.push(cur.length === 1 ? `${cur[0]} ${cur[0]}` : cur.join(' '));
      cur = [];
    }
    cur.push(`${f1(x((b.start + b.end) / 2))},${f1(y(b.answered / b.attempts))}`);
    prevEnd = b.end;
  }
  if (cur.length > 0) paths.push(cur.length === 1 ? `${cur[0]} ${cur[0]}` : cur.join(' '));
  return paths;
}

const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);

export function asrChart(c: AsrChartInput): string {
  const pw = W - M.l - M.r;
  const ph = H - M.t - M.b;
  const span = Math.max(1, c.t1 - c.t0);
  const x = (t: number) => M.l + ((Math.min(Math.max(t, c.t0), c.t1) - c.t0) / span) * pw;
  const y = (r: number) => M.t + (1 - r) * ph;
  const out: string[] = [];
  out.push(`<svg class="chart" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${escapeHtml(`ASR over time on ${c.route}`)}">`);

  // Spike windows first, so everything else is drawn over them.
  for (const s of c.spikes) {
    const a = Math.max(c.t0, Date.parse(s.start));
    const b = Math.min(c.t1, Date.parse(s.end));
    if (!(b > a)) continue;
    out.push(
      `<g class="spike"><rect x="${f1(x(a))}" y="${M.t}" width="${f1(Math.max(2, x(b) - x(a)))}" height="${ph}" fill="#fde2e2"/>` +
        `<text x="${f1(x(a) + 3)}" y="${M.t + 11}" class="spike-label">${escapeHtml(`${s.code} ×${int(s.count)}`)}</text>` +
        `<title>${escapeHtml(`${codeLabel(s.code)} spike ${window(s.start, s.end)} UTC: ${int(s.count)} of ${int(s.attempts)} attempts (${pct(s.share)}, baseline ${pct(s.baselineShare)})`)}</title></g>`,
    );
  }

  // Grid and axes.
  for (const r of [0, 0.25, 0.5, 0.75, 1]) {
    out.push(`<line x1="${M.l}" x2="${W - M.r}" y1="${f1(y(r))}" y2="${f1(y(r))}" class="grid"/>`);
    out.push(`<text x="${M.l - 4}" y="${f1(y(r) + 3)}" class="axis" text-anchor="end">${r * 100}%</text>`);
  }
  const { step, ticks } = timeTicks(c.t0, c.t1);
  for (const t of ticks) {
    out.push(`<line x1="${f1(x(t))}" x2="${f1(x(t))}" y1="${M.t + ph}" y2="${M.t + ph + 4}" class="tick"/>`);
    // Labels at the edges are anchored inwards so that they are not cut off.
    const anchor = x(t) > W - M.r - 16 ? 'end' : x(t) < M.l + 16 ? 'start' : 'middle';
    out.push(`<text x="${f1(x(t))}" y="${H - 6}" class="axis" text-anchor="${anchor}">${escapeHtml(tickLabel(t, step))}</text>`);
  }

  // Attempts as faint bars in the lower third, scaled to this route's busiest bin.
  const maxAttempts = c.bins.reduce((m, b) => Math.max(m, b.attempts), 0);
  if (maxAttempts > 0) {
    for (const b of c.bins) {
      const h = (b.attempts / maxAttempts) * ph * 0.33;
      out.push(
        `<rect x="${f1(x(b.start) + 0.5)}" y="${f1(M.t + ph - h)}" width="${f1(Math.max(1, x(b.end) - x(b.start) - 1))}" height="${f1(h)}" class="vol">` +
          `<title>${escapeHtml(`${when(new Date(b.start).toISOString())}–${hhmm(b.end)} UTC: ${attemptsText(b.attempts)}, ${int(b.answered)} answered, ASR ${pct(b.answered / b.attempts)}`)}</title></rect>`,
      );
    }
    out.push(`<text x="${W - M.r - 3}" y="${M.t + ph - 3}" class="axis" text-anchor="end">${escapeHtml(`max ${int(maxAttempts)} attempts/point`)}</text>`);
  }

  // The dashed all-routes reference, then the route's own line on top; both only through points that rest on
  // enough attempts (round caps: a lone point between thin ones still shows as a dot).
  const min = c.minAttempts ?? MIN_ATTEMPTS_PER_POINT;
  for (const p of linePaths(c.overall, x, y, min)) out.push(`<polyline points="${p}" class="ref"/>`);
  for (const p of linePaths(c.bins, x, y, min))
    out.push(`<polyline points="${p}" fill="none" stroke="${c.colour}" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>`);
  // Points: filled when they rest on enough attempts (when there are few enough to mark), hollow and faded when
  // not (always: they are not on the line, so the mark is all there is of them).
  for (const b of c.bins) {
    const thin = thinBin(b, min);
    if (!thin && c.bins.length > 48) continue;
    const tip = `${when(new Date(b.start).toISOString())}–${hhmm(b.end)} UTC: ASR ${pct(b.answered / b.attempts)} of ${attemptsText(b.attempts)}${thin ? ` (fewer than ${min}: not on the line)` : ''}`;
    const look = thin ? `r="2.5" class="thin" fill="#fff" stroke="${c.colour}"` : `r="2.5" fill="${c.colour}"`;
    out.push(`<circle cx="${f1(x((b.start + b.end) / 2))}" cy="${f1(y(b.answered / b.attempts))}" ${look}><title>${escapeHtml(tip)}</title></circle>`);
  }
  out.push(`<rect x="${M.l}" y="${M.t}" width="${pw}" height="${ph}" class="frame"/>`);
  out.push('</svg>');
  return out.join('');
}

export interface CodeMixRow {
  label: string;
  attempts: number;
  mix: readonly CodeShare[];
  /** A row drawn in bold (the all-routes row). */
  strong?: boolean;
}

/** The colours of the code mix: 2xx green, then a fixed palette by overall rank, the rest grey. */
export function codeColours(rows: readonly CodeMixRow[], max = 9): Map<number, string> {
  const total = new Map<number, number>();
  for (const r of rows) for (const c of r.mix) total.set(c.code, (total.get(c.code) ?? 0) + c.count);
  const palette = ['#f59e0b', '#ef4444', '#8b5cf6', '#0ea5e9', '#ec4899', '#14b8a6', '#a16207', '#6366f1', '#84cc16'];
  const colours = new Map<number, string>();
  let i = 0;
  const ranked = [...total].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  for (const [code] of ranked) {
    if (code >= 200 && code < 300) colours.set(code, '#16a34a');
    else if (code === 0) colours.set(code, '#475569');
    else if (i < Math.min(max, palette.length)) colours.set(code, palette[i++]);
  }
  return colours;
}

export const OTHER_COLOUR = '#cbd5e1';

/** Stacked horizontal bars: one row per route, segments by final code share; tooltips from `describe`. */
export function codeMixChart(rows: readonly CodeMixRow[], colours: ReadonlyMap<number, string>, describe: (c: CodeShare) => string): string {
  // Drawn at about the size it is shown (the report is ~1260 px wide), so the text keeps its size.
  const labelW = 200;
  const barW = 1040;
  const rowH = 26;
  const width = labelW + barW + 10;
  const height = rows.length * rowH + 6;
  const out: string[] = [];
  out.push(`<svg class="chart" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="Final response codes per route">`);
  rows.forEach((r, i) => {
    const yy = 3 + i * rowH;
    const chars = [...r.label];
    const label = chars.length > 30 ? chars.slice(0, 29).join('') + '…' : r.label;
    out.push(`<text x="${labelW - 8}" y="${yy + 16}" text-anchor="end" class="${r.strong ? 'mixlabel strong' : 'mixlabel'}">${escapeHtml(label)}<title>${escapeHtml(r.label)}</title></text>`);
    if (r.attempts === 0) return;
    let xx = labelW;
    let other = 0;
    const segments = r.mix.slice().sort((a, b) => {
      // Answers first, then failures by count, so the bars read left to right the same way on every row.
      const aa = a.code >= 200 && a.code < 300 ? 0 : 1;
      const bb = b.code >= 200 && b.code < 300 ? 0 : 1;
      return aa - bb || b.count - a.count || a.code - b.code;
    });
    for (const c of segments) {
      const colour = colours.get(c.code);
      if (!colour) {
        other += c.count;
        continue;
      }
      const w = (c.count / r.attempts) * barW;
      out.push(`<rect x="${f1(xx)}" y="${yy + 3}" width="${f1(w)}" height="${rowH - 8}" fill="${colour}"><title>${escapeHtml(describe(c))}</title></rect>`);
      if (w >= 44) out.push(`<text x="${f1(xx + 4)}" y="${yy + 16}" class="seg">${escapeHtml(`${c.code === 0 ? '—' : c.code} ${pct(c.count / r.attempts, 0)}`)}</text>`);
      xx += w;
    }
    if (other > 0) {
      const w = (other / r.attempts) * barW;
      out.push(`<rect x="${f1(xx)}" y="${yy + 3}" width="${f1(w)}" height="${rowH - 8}" fill="${OTHER_COLOUR}"><title>${escapeHtml(`other codes: ${int(other)} (${pct(other / r.attempts)})`)}</title></rect>`);
    }
  });
  out.push('</svg>');
  return out.join('');
}
