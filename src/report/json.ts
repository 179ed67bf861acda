/**
 * JSON: the AnalysisResult as documented by schema/analysis.schema.json, pretty-printed and stable.
 *
 * Stable means the same result always gives the same bytes, whatever order the analysis filled its maps in:
 * known objects keep the field order of `result.ts` (which is also the schema's), and maps keyed by data
 * (status codes, anomaly names, ignore reasons, thresholds) are sorted by key, numerically where the keys are
 * numbers. Fields that the list below does not know yet are kept, after the known ones, sorted by name.
 * `undefined` fields are left out and non-finite numbers become null, as JSON.stringify does.
 */
import type { AnalysisResult } from '../analysis/result.js';
import { routesWorstFirst } from './format.js';

/** Field order of each object kind, as declared in result.ts. */
const ORDER = {
  result: ['tool', 'generatedAt', 'inputs', 'wire', 'routes', 'totals', 'bucketSec', 'buckets', 'prefixes', 'spikes', 'falseBusy', 'falseBusyCount', 'fas', 'span', 'thresholds', 'failures'],
  tool: ['name', 'version'],
  input: ['file', 'format', 'unit', 'compressed', 'bytes', 'read', 'used', 'ignored', 'malformed', 'ignoredBy', 'anomalies', 'samples', 'sipMessages', 'records', 'notes', 'warnings', 'error', 'skipped'],
  sample: ['name', 'position', 'detail'],
  position: ['file', 'packet', 'line', 'offset'],
  wire: ['responses', 'requests'],
  route: [
    'route', 'prefix', 'start', 'end', 'attempts', 'answered', 'asr', 'ser', 'seer', 'isa', 'ner', 'acdSec', 'minutes',
    'pddSuccess', 'pddFailure', 'sdt', 'shortUnder10s', 'shortUnder30s', 'codes', 'codeMix', 'reroutable',
    'notReroutable', 'codeSources',
  ],
  quantiles: ['count', 'medianMs', 'p95Ms', 'meanMs'],
  codeShare: ['code', 'count', 'share', 'reason', 'meaning', 'reroutable'],
  bucketSeries: ['route', 'series'],
  spike: ['route', 'code', 'start', 'end', 'count', 'attempts', 'share', 'baselineShare', 'exampleCallIds'],
  falseBusy: ['callee', 'busyRoute', 'busyAt', 'answeredRoute', 'answeredAt', 'busyCallId', 'answeredCallId'],
  fas: ['route', 'flagged', 'score', 'signals'],
  signal: ['id', 'hit', 'value', 'threshold', 'calls', 'exampleCallIds', 'text'],
  span: ['start', 'end'],
  failure: ['rule', 'route', 'detail'],
} as const;

type Kind = keyof typeof ORDER | 'map' | 'any';

/** Which kind of object sits under a field of a known object. */
const CHILD: Partial<Record<keyof typeof ORDER, Record<string, Kind>>> = {
  result: {
    tool: 'tool', inputs: 'input', wire: 'wire', routes: 'route', totals: 'route', buckets: 'bucketSeries',
    prefixes: 'route', spikes: 'spike', falseBusy: 'falseBusy', fas: 'fas', span: 'span', thresholds: 'map', failures: 'failure',
  },
  input: { ignoredBy: 'map', anomalies: 'map', samples: 'sample', warnings: 'map' },
  sample: { position: 'position' },
  wire: { responses: 'map', requests: 'map' },
  route: { pddSuccess: 'quantiles', pddFailure: 'quantiles', sdt: 'quantiles', codes: 'map', codeMix: 'codeShare', codeSources: 'map' },
  bucketSeries: { series: 'route' },
  fas: { signals: 'signal' },
};

function compareKeys(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  const numeric = a !== '' && b !== '' && Number.isFinite(x) && Number.isFinite(y);
  if (numeric && x !== y) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

function normalise(value: unknown, kind: Kind): unknown {
  if (Array.isArray(value)) return value.map((v) => normalise(v, kind));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  // JSON.stringify writes keys in insertion order (integer-like keys first, ascending, whatever we do).
  const out: Record<string, unknown> = {};
  if (kind === 'map' || kind === 'any') {
    for (const k of Object.keys(obj).sort(compareKeys)) out[k] = normalise(obj[k], 'any');
    return out;
  }
  const known: readonly string[] = ORDER[kind];
  const children = CHILD[kind] ?? {};
  for (const k of known) if (k in obj) out[k] = normalise(obj[k], children[k] ?? 'any');
  for (const k of Object.keys(obj).filter((k) => !known.includes(k)).sort(compareKeys)) out[k] = normalise(obj[k], 'any');
  return out;
}

export function renderJson(result: AnalysisResult): string {
  // Routes worst ASR first as the contract says, with the same tie-breaks as every other format.
  return JSON.stringify(normalise({ ...result, routes: routesWorstFirst(result.routes) }, 'result'), null, 2) + '\n';
}
