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
import { jsonText } from './json-text.js';

/** Field order of each object kind, as declared in result.ts. */
const ORDER = {
  result: ['tool', 'generatedAt', 'inputs', 'wire', 'routes', 'totals', 'bucketSec', 'buckets', 'prefixes', 'spikes', 'spikeChecks', 'falseBusy', 'falseBusyCount', 'fas', 'span', 'window', 'thresholds', 'failures'],
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
  spikeCheck: ['route', 'judged', 'bucketSec', 'buckets', 'attemptsJudged', 'attempts', 'reason'],
  falseBusy: ['callee', 'busyRoute', 'busyAt', 'answeredRoute', 'answeredAt', 'busyCallId', 'answeredCallId'],
  fas: ['route', 'flagged', 'score', 'signals'],
  signal: ['id', 'hit', 'value', 'threshold', 'calls', 'exampleCallIds', 'text'],
  span: ['start', 'end'],
  window: ['since', 'until', 'leftOut'],
  leftOut: ['before', 'after', 'undated'],
  failure: ['rule', 'route', 'detail'],
} as const;

type Kind = keyof typeof ORDER | 'map' | 'any';

/** Which kind of object sits under a field of a known object. */
const CHILD: Partial<Record<keyof typeof ORDER, Record<string, Kind>>> = {
  result: {
    tool: 'tool', inputs: 'input', wire: 'wire', routes: 'route', totals: 'route', buckets: 'bucketSeries',
    prefixes: 'route', spikes: 'spike', spikeChecks: 'spikeCheck', falseBusy: 'falseBusy', fas: 'fas', span: 'span', window: 'window', thresholds: 'map', failures: 'failure',
  },
  input: { ignoredBy: 'map', anomalies: 'map', samples: 'sample', warnings: 'map' },
  sample: { position: 'position' },
  wire: { responses: 'map', requests: 'map' },
  route: { pddSuccess: 'quantiles', pddFailure: 'quantiles', sdt: 'quantiles', codes: 'map', codeMix: 'codeShare', codeSources: 'map' },
  bucketSeries: { series: 'route' },
  fas: { signals: 'signal' },
  window: { leftOut: 'leftOut' },
};

function compareKeys(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  const numeric = a !== '' && b !== '' && Number.isFinite(x) && Number.isFinite(y);
  if (numeric && x !== y) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

const KNOWN = new Map(Object.entries(ORDER).map(([k, v]) => [k, new Set<string>(v)] as const));

/** Keys of an object in output order: the kind's known fields first, then the others sorted. */
function orderedKeys(obj: Record<string, unknown>, kind: Kind): string[] {
  const present = (k: string) => {
    const v = obj[k];
    return v !== undefined && typeof v !== 'function' && typeof v !== 'symbol';
  };
  if (kind === 'map' || kind === 'any') return Object.keys(obj).filter(present).sort(compareKeys);
  const known = KNOWN.get(kind) as Set<string>;
  const keys = (ORDER[kind] as readonly string[]).filter((k) => Object.hasOwn(obj, k) && present(k));
  const rest = Object.keys(obj).filter((k) => !known.has(k) && present(k));
  return rest.length ? keys.concat(rest.sort(compareKeys)) : keys;
}

/**
 * `value` with the key order above, copying only what is out of order: an object already in order (the
 * analysis builds most field by field) is returned as it is, so JSON.stringify does nearly all the work.
 * A day of 5-minute buckets on hundreds of routes is hundreds of MB of JSON; a full reordered copy, or a
 * writer of our own, was several times slower than JSON.stringify alone.
 */
function canon(value: unknown, kind: Kind): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return canon((value as { toJSON: () => unknown }).toJSON(), kind);
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const c = canon(value[i], kind);
      if (c !== value[i]) (out ??= value.slice())[i] = c;
    }
    return out ?? value;
  }
  const obj = value as Record<string, unknown>;
  const keys = orderedKeys(obj, kind);
  const children = kind === 'map' || kind === 'any' ? undefined : CHILD[kind];
  let changed = !writtenInOrder(obj, keys);
  const vals = new Array<unknown>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    vals[i] = canon(obj[keys[i]], children?.[keys[i]] ?? 'any');
    if (vals[i] !== obj[keys[i]]) changed = true;
  }
  if (!changed) return value;
  // fromEntries defines each key as its own property: a wire method named `__proto__` stays a key.
  return Object.fromEntries(keys.map((k, i) => [k, vals[i]]));
}

/** Whether JSON.stringify would write the keys of `obj` in the order `keys` (it leaves out undefined and functions). */
function writtenInOrder(obj: Record<string, unknown>, keys: readonly string[]): boolean {
  let j = 0;
  for (const k in obj) {
    if (!Object.prototype.hasOwnProperty.call(obj, k)) continue;
    const x = obj[k];
    if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
    if (keys[j++] !== k) return false;
  }
  return j === keys.length;
}

export function renderJson(result: AnalysisResult): string {
  // Routes worst ASR first as the contract says, with the same tie-breaks as every other format.
  // DEL, C1 and bidi controls from the wire as \u escapes (see json-text.ts): the same strings, inert on a terminal.
  return jsonText(JSON.stringify(canon({ ...result, routes: routesWorstFirst(result.routes) }, 'result'), null, 2)) + '\n';
}
