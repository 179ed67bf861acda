/**
 * CSV (RFC 4180): one row per route, or with `by: 'bucket'` one row per route and time bucket.
 *
 * Cells are quoted when they hold a comma, a double quote, CR or LF (quotes doubled), and records end in CRLF.
 * A text cell that starts with `=`, `+`, `-`, `@`, tab or CR is neutralised with a leading apostrophe so that a
 * spreadsheet shows it instead of evaluating it (route names, reason phrases and Call-IDs come from the wire).
 * Numbers are written as numbers (ratios 0..1, no thousands separators); missing values are empty cells.
 */
import type { AnalysisResult, RouteMetrics } from '../analysis/result.js';
import { fasOf, prefixesInOrder, routesWorstFirst, spikesOf, topFailures } from './format.js';

import { csvCell, type CsvValue } from './csv-cell.js';

export { csvCell, type CsvValue };

/** One CSV record (CRLF-terminated) from its cells. */
export function csvRow(cells: readonly CsvValue[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}

const METRIC_COLUMNS = [
  'attempts', 'answered', 'asr', 'ser', 'seer', 'isa', 'ner', 'acd_sec', 'minutes',
  'pdd_p50_ms', 'pdd_p95_ms', 'pdd_mean_ms', 'pdd_count', 'pdd_fail_p50_ms', 'pdd_fail_p95_ms',
  'sdt_p50_ms', 'short_under_10s', 'short_under_30s', 'reroutable', 'not_reroutable', 'top_failures',
] as const;

function metricCells(m: RouteMetrics): CsvValue[] {
  return [
    m.attempts, m.answered, m.asr, m.ser, m.seer, m.isa, m.ner, m.acdSec, m.minutes,
    m.pddSuccess.medianMs, m.pddSuccess.p95Ms, m.pddSuccess.meanMs, m.pddSuccess.count,
    m.pddFailure.medianMs, m.pddFailure.p95Ms, m.sdt.medianMs, m.shortUnder10s, m.shortUnder30s,
    m.reroutable, m.notReroutable,
    // `486 Busy Here:367;480 Temporarily Unavailable:235` — one cell, so a filter can search it.
    topFailures(m, 5).map((c) => `${c.code === 0 ? 'none' : c.code} ${c.reason}:${c.count}`).join(';'),
  ];
}

export const CSV_ROUTE_COLUMNS = ['route', ...METRIC_COLUMNS, 'spikes', 'fas_flagged', 'fas_score'] as const;
export const CSV_BUCKET_COLUMNS = ['route', 'bucket_start', 'bucket_end', ...METRIC_COLUMNS, 'spike'] as const;
export const CSV_PREFIX_COLUMNS = ['route', 'prefix', ...METRIC_COLUMNS] as const;

export interface CsvOptions {
  /** One row per route (default), per route and time bucket, or per route and destination prefix. */
  by?: 'route' | 'bucket' | 'prefix';
}

export function renderCsv(result: AnalysisResult, opts: CsvOptions = {}): string {
  const routes = routesWorstFirst(result.routes);
  if (opts.by === 'bucket') {
    let out = csvRow(CSV_BUCKET_COLUMNS);
    for (const r of routes) {
      const spikes = spikesOf(result, r.route);
      const series = result.buckets.find((b) => b.route === r.route)?.series ?? [];
      for (const b of series) {
        const t0 = Date.parse(b.start);
        const t1 = Date.parse(b.end);
        // The bucket is in a spike when the two overlap: a spike judged on finer buckets than the report's
        // (see spikeChecks) may cover part of one.
        const inSpike = spikes.some((s) => t0 < Date.parse(s.end) && t1 > Date.parse(s.start));
        out += csvRow([r.route, b.start, b.end, ...metricCells(b), inSpike ? 1 : 0]);
      }
    }
    return out;
  }
  if (opts.by === 'prefix') {
    // Header only without --prefix-digits.
    let out = csvRow(CSV_PREFIX_COLUMNS);
    for (const p of prefixesInOrder(result)) out += csvRow([p.route, p.prefix, ...metricCells(p)]);
    return out;
  }
  let out = csvRow(CSV_ROUTE_COLUMNS);
  for (const r of routes) {
    const fas = fasOf(result, r.route);
    out += csvRow([r.route, ...metricCells(r), spikesOf(result, r.route).length, fas ? (fas.flagged ? 1 : 0) : 0, fas?.score ?? null]);
  }
  return out;
}
