/**
 * `--fail-on` rules for cron: `asr<35`, `seer<60`, `ner<50` (percent), `acd<30` (seconds), `pdd>8`
 * (seconds, p95 of successful setups), `spike`, `fas`; combined with commas. Rate rules apply per route
 * with at least `minAttempts` attempts, so a thin route cannot break a nightly run on noise.
 */
import { UsageError } from './errors.js';
import type { AnalysisResult, RouteMetrics } from './analysis/result.js';

export type FailRule =
  | { kind: 'metric'; metric: 'asr' | 'seer' | 'ner' | 'acd' | 'pdd'; op: '<' | '>'; value: number; text: string }
  | { kind: 'spike' | 'fas' | 'unreadable'; text: string };

const METRICS = ['asr', 'seer', 'ner', 'acd', 'pdd'] as const;

export function parseFailOn(spec: string): FailRule[] {
  const rules: FailRule[] = [];
  for (const raw of spec.split(',')) {
    const text = raw.trim().toLowerCase();
    if (text === '') continue;
    if (text === 'spike' || text === 'fas' || text === 'unreadable') {
      rules.push({ kind: text, text });
      continue;
    }
    const opAt = Math.max(text.indexOf('<'), text.indexOf('>'));
    const name = opAt > 0 ? text.slice(0, opAt).trim() : '';
    const num = opAt > 0 ? Number(text.slice(opAt + 1).trim()) : NaN;
    if (!(METRICS as readonly string[]).includes(name) || !Number.isFinite(num) || text.slice(opAt + 1).trim() === '') {
      throw new UsageError(
        `--fail-on: cannot read '${raw.trim()}' (expected e.g. asr<35, seer<60, ner<50, acd<30, pdd>8, spike, fas, unreadable)`,
      );
    }
    rules.push({ kind: 'metric', metric: name as (typeof METRICS)[number], op: text[opAt] as '<' | '>', value: num, text });
  }
  if (rules.length === 0) throw new UsageError('--fail-on: no rule given');
  return rules;
}

function metricValue(r: RouteMetrics, metric: (typeof METRICS)[number]): number | null {
  switch (metric) {
    case 'asr':
      return r.asr === null ? null : r.asr * 100;
    case 'seer':
      return r.seer === null ? null : r.seer * 100;
    case 'ner':
      return r.ner === null ? null : r.ner * 100;
    case 'acd':
      return r.acdSec;
    case 'pdd':
      return r.pddSuccess.p95Ms === null ? null : r.pddSuccess.p95Ms / 1000;
  }
}

/** Evaluates the rules; an empty list means nothing broke. */
export function evaluateFailOn(result: AnalysisResult, rules: FailRule[], minAttempts: number): NonNullable<AnalysisResult['failures']> {
  const out: NonNullable<AnalysisResult['failures']> = [];
  for (const rule of rules) {
    if (rule.kind === 'metric') {
      for (const r of result.routes) {
        if (r.attempts < minAttempts) continue;
        const v = metricValue(r, rule.metric);
        if (v === null) continue;
        const broken = rule.op === '<' ? v < rule.value : v > rule.value;
        if (broken) out.push({ rule: rule.text, route: r.route, detail: `${rule.metric} ${v.toFixed(1)} over ${r.attempts} attempts` });
      }
    } else if (rule.kind === 'spike') {
      for (const s of result.spikes)
        out.push({ rule: rule.text, route: s.route, detail: `${s.code} spike ${s.start}–${s.end}: ${(s.share * 100).toFixed(1)}% of ${s.attempts} attempts (baseline ${(s.baselineShare * 100).toFixed(1)}%)` });
    } else if (rule.kind === 'fas') {
      for (const f of result.fas)
        if (f.flagged)
          out.push({ rule: rule.text, route: f.route, detail: `FAS suspected (score ${f.score.toFixed(2)}): ${f.signals.filter((s) => s.hit).map((s) => s.id).join(', ')}` });
    } else {
      for (const i of result.inputs) if (i.error) out.push({ rule: rule.text, detail: `${i.file}: ${i.error}` });
    }
  }
  return out;
}
