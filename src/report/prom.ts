/**
 * Prometheus text exposition format (version 0.0.4), for node_exporter's textfile collector: per-route gauges
 * so that a nightly run feeds the dashboards and alerts a NOC already has.
 *
 * Every family gets one `# HELP` and one `# TYPE` line; samples carry a `route` label escaped as the format
 * requires (backslash, double quote), its control characters replaced (see promLabelValue). A value the
 * analysis could not compute (ASR of a route without attempts, PDD without measurements) is left out rather
 * than written as NaN. No timestamps: the textfile collector rejects them; `sipscope_report_timestamp_seconds`
 * says when the report was made instead.
 */
import type { AnalysisResult, Quantiles, RouteMetrics } from '../analysis/result.js';
import { printable } from '../printable.js';
import { routesWorstFirst } from './format.js';

/**
 * A label value as the text format wants it, and safe to `cat`: control characters (C0 including line
 * feed, DEL, C1, the bidirectional controls) become U+FFFD through `printable`, as on the terminal, so a
 * route or file name from the wire cannot reach a terminal as an escape sequence; then `\` → `\\` and
 * `"` → `\"` (the format's `\n` escape is never needed: no line feed is left).
 */
export function promLabelValue(s: string): string {
  const shown = printable(s);
  let out = '';
  for (const ch of shown) {
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else out += ch;
  }
  return out;
}

/** HELP text: `\` → `\\`, line feed → `\n`. */
function helpText(s: string): string {
  return s.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
}

/** A sample value: integers as they are, others with enough digits, never exponent surprises for ratios. */
function num(v: number): string {
  if (Number.isInteger(v)) return String(v);
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(Math.round(v * 1e6) / 1e6);
}

type Labels = Record<string, string>;
interface Sample {
  labels: Labels;
  value: number;
  suffix?: string;
}

class Families {
  private out: string[] = [];

  add(name: string, type: 'gauge' | 'summary', help: string, samples: Sample[]): void {
    if (samples.length === 0) return;
    this.out.push(`# HELP ${name} ${helpText(help)}`, `# TYPE ${name} ${type}`);
    for (const s of samples) {
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${promLabelValue(v)}"`)
        .join(',');
      this.out.push(`${name}${s.suffix ?? ''}${labels ? `{${labels}}` : ''} ${num(s.value)}`);
    }
  }

  text(): string {
    return this.out.join('\n') + '\n';
  }
}

export function renderProm(result: AnalysisResult): string {
  const routes = routesWorstFirst(result.routes);
  const f = new Families();
  const per = (pick: (m: RouteMetrics) => number | null | undefined): Sample[] => {
    const out: Sample[] = [];
    for (const m of routes) {
      const v = pick(m);
      if (v !== null && v !== undefined && Number.isFinite(v)) out.push({ labels: { route: m.route }, value: v });
    }
    return out;
  };

  f.add('sipscope_attempts', 'gauge', 'Call attempts in the analysed period (one per initial INVITE chain, auth challenges folded in).', per((m) => m.attempts));
  f.add('sipscope_answered', 'gauge', 'Answered call attempts in the analysed period.', per((m) => m.answered));
  f.add('sipscope_asr_ratio', 'gauge', 'Answer-seizure ratio, answered / attempts (ITU-T E.411), 0..1.', per((m) => m.asr));
  f.add('sipscope_seer_ratio', 'gauge', 'Session establishment effectiveness ratio (RFC 6076 section 4.7): 200/480/486/600/603 over attempts without 3xx, 0..1.', per((m) => m.seer));
  f.add('sipscope_ner_ratio', 'gauge', 'Network effectiveness ratio (ITU-T E.425), 0..1.', per((m) => m.ner));
  f.add('sipscope_acd_seconds', 'gauge', 'Average duration of answered calls, in seconds.', per((m) => m.acdSec));
  f.add('sipscope_minutes', 'gauge', 'Answered minutes in the analysed period.', per((m) => m.minutes));

  // PDD as a summary: the two quantiles plus _sum and _count, so averages can be computed over routes.
  const pdd: Sample[] = [];
  const q = (m: RouteMetrics, qs: Quantiles) => {
    const labels = { route: m.route };
    if (qs.medianMs !== null) pdd.push({ labels: { ...labels, quantile: '0.5' }, value: qs.medianMs / 1000 });
    if (qs.p95Ms !== null) pdd.push({ labels: { ...labels, quantile: '0.95' }, value: qs.p95Ms / 1000 });
    if (qs.meanMs !== null) pdd.push({ labels, value: (qs.meanMs * qs.count) / 1000, suffix: '_sum' });
    pdd.push({ labels, value: qs.count, suffix: '_count' });
  };
  for (const m of routes) q(m, m.pddSuccess);
  f.add('sipscope_pdd_seconds', 'summary', 'Post-dial delay of successful setups (RFC 6076 SRD: INVITE to first 18x, or 200 when first), in seconds.', pdd);

  const spiking = new Set(result.spikes.map((s) => s.route));
  f.add('sipscope_spike', 'gauge', '1 when a 486/600 busy spike was found on the route in the analysed period, else 0.', routes.map((m) => ({ labels: { route: m.route }, value: spiking.has(m.route) ? 1 : 0 })));
  // Only with the checks (results made before them have none): an alert on sipscope_spike says nothing for a
  // route at 0 here.
  if (result.spikeChecks) {
    const judged = new Map(result.spikeChecks.map((c) => [c.route, c.judged] as const));
    const samples = routes.filter((m) => judged.has(m.route)).map((m) => ({ labels: { route: m.route }, value: judged.get(m.route) ? 1 : 0 }));
    f.add('sipscope_spike_judged', 'gauge', '1 when the route had enough attempts per bucket to be judged for busy spikes, else 0 (no spike can be found on it).', samples);
  }
  const flagged = new Set(result.fas.filter((x) => x.flagged).map((x) => x.route));
  f.add('sipscope_fas_flagged', 'gauge', '1 when the route is flagged for false answer supervision, else 0.', routes.map((m) => ({ labels: { route: m.route }, value: flagged.has(m.route) ? 1 : 0 })));
  const scored = routes.flatMap((m) => {
    const fas = result.fas.find((x) => x.route === m.route);
    return fas ? [{ labels: { route: m.route }, value: fas.score }] : [];
  });
  f.add('sipscope_fas_score', 'gauge', 'FAS score of the route: the summed weights of the signals that hit (flagged from the fasScore threshold on).', scored);

  // One series per file name: the same path given twice must not become a duplicate series (the textfile
  // collector rejects the whole file then).
  const inputs = (pick: (a: AnalysisResult['inputs'][number]) => number, combine = (x: number, y: number) => x + y): Sample[] => {
    const byFile = new Map<string, number>();
    for (const a of result.inputs) {
      const prev = byFile.get(a.file);
      byFile.set(a.file, prev === undefined ? pick(a) : combine(prev, pick(a)));
    }
    return [...byFile].map(([file, value]) => ({ labels: { file }, value }));
  };
  f.add('sipscope_input_units_read', 'gauge', 'Units (packets, lines or rows) read from the input.', inputs((a) => a.read));
  f.add('sipscope_input_units_malformed', 'gauge', 'Malformed units in the input (counted, reported, skipped).', inputs((a) => a.malformed));
  f.add('sipscope_input_unreadable', 'gauge', '1 when the input could not be read (or not to its end), else 0.', inputs((a) => (a.error !== undefined ? 1 : 0), Math.max));

  const t = Date.parse(result.generatedAt);
  if (Number.isFinite(t)) f.add('sipscope_report_timestamp_seconds', 'gauge', 'When this report was generated (Unix time).', [{ labels: {}, value: t / 1000 }]);
  return f.text();
}
