/**
 * `--fail-on` rules for cron: `asr<35`, `seer<60`, `ner<50` (percent), `acd<30` (seconds), `pdd>8`
 * (seconds, p95 of successful setups), `spike`, `fas`, `unreadable`; combined with commas. Rate rules apply per
 * route with at least `minAttempts` attempts, so a thin route cannot break a nightly run on noise.
 *
 * Each metric has the one direction in which it goes bad: the ratios and ACD break below their value, PDD
 * above. The other direction (`asr>45`, `pdd<2`) is refused rather than read: `pdd<2` written for "PDD must
 * stay under 2 s" would break on every healthy route. Values are plain decimal numbers (`35`, `7.5`):
 * `0x10`, `1e1` or `35%` are refused, not read as something the user may not have meant.
 */
import { UsageError } from './errors.js';
import type { AnalysisResult, RouteMetrics } from './analysis/result.js';
import { attemptsText, int } from './report/format.js';

type Metric = 'asr' | 'seer' | 'ner' | 'acd' | 'pdd';

export type FailRule =
  | { kind: 'metric'; metric: Metric; op: '<' | '>'; value: number; text: string }
  | { kind: 'spike' | 'fas' | 'unreadable'; text: string };

/** Per metric: the direction it breaks in, what it is, its unit and the largest value that makes sense. */
const METRICS: Record<Metric, { op: '<' | '>'; what: string; unit: '%' | ' s'; max: number }> = {
  asr: { op: '<', what: 'ASR', unit: '%', max: 100 },
  seer: { op: '<', what: 'SEER', unit: '%', max: 100 },
  ner: { op: '<', what: 'NER', unit: '%', max: 100 },
  acd: { op: '<', what: 'ACD', unit: ' s', max: Infinity },
  pdd: { op: '>', what: 'p95 PDD', unit: ' s', max: Infinity },
};

/** `name op value`, the value a plain decimal number. */
const METRIC_RULE = /^([a-z]+)\s*([<>])\s*([0-9]+(?:\.[0-9]+)?|\.[0-9]+)$/;

const EXAMPLES = 'e.g. asr<35, seer<60, ner<50, acd<30, pdd>8, spike, fas, unreadable';

/**
 * The rules of a `--fail-on` value. `name`: what a usage error names (`c.json: failOn` for a config file's
 * value).
 */
export function parseFailOn(spec: string, name = '--fail-on'): FailRule[] {
  const rules: FailRule[] = [];
  for (const raw of spec.split(',')) {
    const text = raw.trim().toLowerCase();
    if (text === '') continue;
    if (text === 'spike' || text === 'fas' || text === 'unreadable') {
      rules.push({ kind: text, text });
      continue;
    }
    const m = METRIC_RULE.exec(text);
    const metric = m !== null && Object.prototype.hasOwnProperty.call(METRICS, m[1]!) ? (m[1] as Metric) : undefined;
    if (m === null || metric === undefined) throw new UsageError(`${name}: cannot read '${raw.trim()}' (${EXAMPLES})`);
    const def = METRICS[metric];
    const value = Number(m[3]);
    if (m[2] !== def.op) {
      const when = def.op === '<' ? 'falls below' : 'rises above';
      throw new UsageError(`${name}: '${raw.trim()}': ${metric} rules break when the route's ${def.what} ${when} the value: write ${metric}${def.op}${m[3]}`);
    }
    if (value > def.max) throw new UsageError(`${name}: '${raw.trim()}': ${metric} is a percentage, from 0 to 100`);
    rules.push({ kind: 'metric', metric, op: def.op, value, text });
  }
  if (rules.length === 0) throw new UsageError(`${name}: no rule given`);
  return rules;
}

/** The route's value of a metric, in the rule's unit (percent or seconds), null when it has none. */
function metricValue(r: RouteMetrics, metric: Metric): number | null {
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

/**
 * What the value rests on, as docs/analysis.md defines each metric: ASR and NER on the attempts, SEER on the
 * attempts less those ending in 3xx, ACD on the answered calls with a known duration (the result does not count
 * those apart: the answered are given), p95 PDD on the successful setups with a measured delay.
 */
function base(r: RouteMetrics, metric: Metric): string {
  switch (metric) {
    case 'asr':
    case 'ner':
      return ` over ${attemptsText(r.attempts)}`;
    case 'seer': {
      let redirected = 0;
      for (const [code, n] of Object.entries(r.codes)) if (Number(code) >= 300 && Number(code) < 400) redirected += n;
      return redirected > 0 ? ` over ${attemptsText(r.attempts - redirected)} not ending in 3xx (of ${int(r.attempts)})` : ` over ${attemptsText(r.attempts)}`;
    }
    case 'acd':
      return `, the mean over the answered calls with a known duration (${r.answered} answered)`;
    case 'pdd':
      return ` over ${r.pddSuccess.count} successful setups`;
  }
}

/**
 * The measured value with the fewest decimals that show it past the threshold, and never fewer than `min` or
 * than the threshold has: a p95 of 7.6475 s against `pdd>7.6` is `7.65`, not `7.6` ("7.6 > 7.6"), and 7.6502 s
 * against `pdd>7.65` is `7.6502`, not `7.7`.
 */
function shown(v: number, op: '<' | '>', threshold: number, min: number): string {
  const given = String(threshold).split('.')[1]?.length ?? 0;
  for (let d = Math.max(min, given); d <= 6; d++) {
    const t = v.toFixed(d);
    if (op === '<' ? Number(t) < threshold : Number(t) > threshold) return t;
  }
  return String(v);
}

/** Evaluates the rules; an empty list means nothing broke. */
export function evaluateFailOn(result: AnalysisResult, rules: FailRule[], minAttempts: number): NonNullable<AnalysisResult['failures']> {
  const out: NonNullable<AnalysisResult['failures']> = [];
  for (const rule of rules) {
    if (rule.kind === 'metric') {
      const def = METRICS[rule.metric];
      for (const r of result.routes) {
        if (r.attempts < minAttempts) continue;
        const v = metricValue(r, rule.metric);
        if (v === null) continue;
        const broken = rule.op === '<' ? v < rule.value : v > rule.value;
        if (!broken) continue;
        const detail = `${def.what} ${shown(v, rule.op, rule.value, 1)}${def.unit} ${rule.op} ${rule.value}${def.unit}${base(r, rule.metric)}`;
        out.push({ rule: rule.text, route: r.route, detail });
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
