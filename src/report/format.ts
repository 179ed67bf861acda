/**
 * Number, time and code formatting shared by the human-readable renderers (table, md, html).
 * Machine formats (json, csv, prom) write raw numbers instead.
 */
import { CHAINED_NOTE, UNCHAINED_NOTE } from '../chain.js';
import type { AnalysisResult, CodeShare, FasResult, RouteMetrics, Spike } from '../analysis/result.js';
import { noInviteCount } from '../types.js';

/** What a missing value (no attempts, nothing measured) looks like to a person. */
export const NONE = '–';

/** `1234567` → `1,234,567` (locale-independent, so golden files do not depend on the machine). */
/** `1 attempt`, `1,234 attempts`. */
export function attemptsText(n: number): string {
  return `${int(n)} attempt${n === 1 ? '' : 's'}`;
}

export function int(n: number): string {
  const s = String(Math.round(n));
  const neg = s.startsWith('-');
  const digits = neg ? s.slice(1) : s;
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return neg ? '-' + out : out;
}

/** Ratio 0..1 → `52.3%`. */
export function pct(r: number | null | undefined, digits = 1): string {
  return r === null || r === undefined || !Number.isFinite(r) ? NONE : `${(r * 100).toFixed(digits)}%`;
}

/**
 * A duration (ACD) in its two largest units, one rule for every size: `45s` under a minute, `3m54s` under an
 * hour, `1h02m` from an hour on (rounded to the second, then to the minute). A column never shows `2227s`
 * next to `1h40m`: it reads `37m07s`.
 */
export function secs(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return NONE;
  const whole = Math.round(s);
  if (whole < 60) return `${whole}s`;
  if (whole < 3600) return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** A bucket size in seconds → `5 min`, `1 h`, `1 day`. */
export function bucketLabel(sec: number): string {
  if (sec % 86400 === 0) return `${sec / 86400} day${sec === 86400 ? '' : 's'}`;
  if (sec % 3600 === 0) return `${sec / 3600} h`;
  if (sec % 60 === 0) return `${sec / 60} min`;
  return `${sec} s`;
}

/** Milliseconds → `2.4s` (delays such as PDD), or `850ms` under a second. */
export function delay(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return NONE;
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

/** ISO 8601 → `2026-11-23 14:00` (UTC, minutes). Unparseable text is returned as it came. */
export function when(iso: string): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso;
  return new Date(t).toISOString().slice(0, 16).replace('T', ' ');
}

/** A window `2026-11-23 14:00–16:00` (the date is repeated only when it changes). */
export function window(startIso: string, endIso: string): string {
  const a = when(startIso);
  const b = when(endIso);
  return a.slice(0, 10) === b.slice(0, 10) ? `${a}–${b.slice(11)}` : `${a} – ${b}`;
}

/** `486 Busy Here`; code 0 is the result's "no final response". */
export function codeLabel(code: number, reason?: string): string {
  if (code === 0) return 'no final response';
  return reason ? `${code} ${reason}` : String(code);
}

/** The failure codes of a route, most frequent first (2xx left out: a route's answers are its ASR). */
export function topFailures(m: RouteMetrics, n: number): CodeShare[] {
  return m.codeMix
    .filter((c) => c.code < 200 || c.code >= 300)
    .slice()
    .sort((a, b) => b.count - a.count || a.code - b.code)
    .slice(0, n);
}

/** Routes worst ASR first (routes without attempts last), then busiest first, then by name. */
export function routesWorstFirst(routes: readonly RouteMetrics[]): RouteMetrics[] {
  return routes.slice().sort((a, b) => {
    const x = a.asr ?? Infinity;
    const y = b.asr ?? Infinity;
    if (x !== y) return x - y;
    if (a.attempts !== b.attempts) return b.attempts - a.attempts;
    return a.route < b.route ? -1 : a.route > b.route ? 1 : 0;
  });
}

/** Per-prefix rows (with --prefix-digits) in route-table order, busiest prefix first within a route. */
export function prefixesInOrder(result: AnalysisResult): Array<RouteMetrics & { prefix: string }> {
  const rank = new Map(routesWorstFirst(result.routes).map((r, i) => [r.route, i] as const));
  return (result.prefixes ?? [])
    .slice()
    .sort((a, b) => (rank.get(a.route) ?? Infinity) - (rank.get(b.route) ?? Infinity) || b.attempts - a.attempts || (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
}

export function spikesOf(result: AnalysisResult, route: string): Spike[] {
  return result.spikes.filter((s) => s.route === route);
}

export function fasOf(result: AnalysisResult, route: string): FasResult | undefined {
  return result.fas.find((f) => f.route === route);
}

/** A name → count map, most frequent first, then by name (so the output never depends on insertion order). */
export function byCount(map: Record<string, number>): Array<[string, number]> {
  return Object.entries(map).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
}

/** Totals over all inputs, for the one-line summaries. */
export interface InputTotals {
  files: number;
  bytes: number;
  read: number;
  used: number;
  ignored: number;
  malformed: number;
  records: number;
  /** Anomaly name → count over all inputs, most frequent first. */
  anomalies: Array<[string, number]>;
  /** Format → number of inputs. */
  formats: Array<[string, number]>;
  /** Warning name → count over all inputs (oddities inside units that were still used). */
  warnings: Array<[string, number]>;
  /** Inputs that could not be read (wholly or from some point on), with the reason. */
  errors: Array<{ file: string; error: string }>;
  /** TCP segments of TLS to or from port 5061 (SIP over TLS, unreadable) over all captures. */
  sipTls: number;
  /** Files found under a folder or by a glob that are of no known format (not an error). */
  skipped: number;
}

export function inputTotals(result: AnalysisResult): InputTotals {
  const anomalies = new Map<string, number>();
  const formats = new Map<string, number>();
  const warnings = new Map<string, number>();
  const t: InputTotals = { files: 0, bytes: 0, read: 0, used: 0, ignored: 0, malformed: 0, records: 0, anomalies: [], formats: [], warnings: [], errors: [], skipped: 0, sipTls: 0 };
  for (const a of result.inputs) {
    if (a.skipped !== undefined) {
      t.skipped++;
      continue;
    }
    t.files++;
    t.bytes += a.bytes;
    t.read += a.read;
    t.used += a.used;
    t.ignored += a.ignored;
    t.malformed += a.malformed;
    t.records += a.records;
    t.sipTls += a.ignoredBy['sip-tls'] ?? 0;
    formats.set(a.format, (formats.get(a.format) ?? 0) + 1);
    for (const [k, v] of Object.entries(a.anomalies)) anomalies.set(k, (anomalies.get(k) ?? 0) + v);
    for (const [k, v] of Object.entries(a.warnings ?? {})) warnings.set(k, (warnings.get(k) ?? 0) + v);
    if (a.error !== undefined) t.errors.push({ file: a.file, error: a.error });
  }
  const byCount = (x: [string, number], y: [string, number]) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1);
  t.anomalies = [...anomalies].sort(byCount);
  t.formats = [...formats].sort(byCount);
  t.warnings = [...warnings].sort(byCount);
  return t;
}

/** `1.2 MiB`. */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

/**
 * One line about the inputs: `3 inputs (2 pcap, 1 cdr-csv), 12,345 units read: 10,000 used, 2,300 ignored,
 * 45 malformed (truncated-packet 40, bad-ip-length 5)`.
 */
export function inputsLine(result: AnalysisResult, maxAnomalies = 4): string {
  const t = inputTotals(result);
  const formats = t.formats.map(([f, n]) => `${n} ${f}`).join(', ');
  let line = `${t.files} input${t.files === 1 ? '' : 's'}${formats ? ` (${formats})` : ''}, ${bytes(t.bytes)}, ${int(t.read)} units read: ${int(t.used)} used, ${int(t.ignored)} ignored, ${int(t.malformed)} malformed`;
  if (t.anomalies.length > 0) {
    const shown = t.anomalies.slice(0, maxAnomalies).map(([k, v]) => `${k} ${int(v)}`);
    if (t.anomalies.length > maxAnomalies) shown.push(`${t.anomalies.length - maxAnomalies} more`);
    line += ` (${shown.join(', ')})`;
  }
  if (t.sipTls > 0) line += `; ${int(t.sipTls)} TCP segment${t.sipTls === 1 ? '' : 's'} of SIP over TLS (encrypted: capture where TLS ends, or use HEP)`;
  if (t.errors.length > 0) line += `; ${t.errors.length} input${t.errors.length === 1 ? '' : 's'} not read to the end`;
  if (t.skipped > 0) line += `; ${t.skipped} file${t.skipped === 1 ? '' : 's'} of no known format skipped`;
  // seams between the pieces of a split capture or the copies of a rotated log (see chain.ts)
  let joined = 0;
  let apart = 0;
  for (const i of result.inputs) {
    for (const n of i.notes) {
      if (n.startsWith(CHAINED_NOTE)) joined++;
      else if (n.startsWith(UNCHAINED_NOTE)) apart++;
    }
  }
  if (joined + apart > 0) {
    line += `; ${int(joined)} seam${joined === 1 ? '' : 's'} between split or rotated files read through`;
    if (apart > 0) line += ` (${int(apart)} more where the next file did not follow: calls cut there, see the inputs' notes)`;
  }
  return line;
}

/** `1,234 attempts on 4 routes, 2026-11-23 00:00 – 2026-11-24 00:00 UTC`. */
export function scopeLine(result: AnalysisResult): string {
  const span = result.span ? `, ${window(result.span.start, result.span.end)} UTC` : result.totals.attempts > 0 ? ', no time stamps' : `, no call records${noInviteText(result)}`;
  const n = result.totals.attempts;
  return `${int(n)} attempt${n === 1 ? '' : 's'} on ${result.routes.length} route${result.routes.length === 1 ? '' : 's'}${span}${windowText(result)}`;
}

/** ` (3 calls ended without their INVITE in the input: the capture began after their INVITEs were sent)`, '' when none. */
function noInviteText(result: AnalysisResult): string {
  const n = noInviteCount(result.inputs);
  return n > 0 ? ` (${int(n)} call${n === 1 ? '' : 's'} ended without ${n === 1 ? 'its' : 'their'} INVITE in the input: the capture began after ${n === 1 ? 'its INVITE was' : 'their INVITEs were'} sent)` : '';
}

/** `; window 2024-03-05 00:00 – 2024-03-06 00:00 UTC (left out: 1,234 before, 56 after)`, '' without a window. */
export function windowText(result: AnalysisResult): string {
  const w = result.window;
  if (!w) return '';
  const range = w.since !== null && w.until !== null ? window(w.since, w.until) : w.since !== null ? `from ${when(w.since)}` : `until ${when(w.until ?? '')}`;
  const parts: string[] = [];
  if (w.leftOut.before > 0) parts.push(`${int(w.leftOut.before)} before`);
  if (w.leftOut.after > 0) parts.push(`${int(w.leftOut.after)} after`);
  if (w.leftOut.undated > 0) parts.push(`${int(w.leftOut.undated)} with no time`);
  return `; window ${range} UTC (${parts.length > 0 ? `left out: ${parts.join(', ')}` : 'none left out'})`;
}

/**
 * A FAS signal's value or threshold: shares (a threshold within 0..1) as a percentage, other numbers as they are.
 * The signal's own `text` says what is measured; this only keeps the two numbers readable side by side.
 */
export function signalNumber(v: number | null, threshold: number): string {
  if (v === null || !Number.isFinite(v)) return NONE;
  if (threshold > 0 && threshold <= 1 && v >= 0 && v <= 1) return pct(v);
  return Number.isInteger(v) ? int(v) : v.toFixed(2);
}

/** At most `max` characters (code points), with `…` when cut: keeps a table readable whatever a name holds. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const chars = [...s];
  return chars.length <= max ? s : chars.slice(0, max - 1).join('') + '…';
}
