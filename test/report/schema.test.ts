import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../src/analysis/result.js';
import { renderJson } from '../../src/report/json.js';
import { defProperties, describedPaths, presentPaths, resolveRef, validate, type Schema } from './json-schema.js';

const repo = new URL('../../', import.meta.url);
const schema = JSON.parse(readFileSync(new URL('schema/analysis.schema.json', repo), 'utf8')) as Schema;
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`fixtures/report/${name}.json`, repo), 'utf8')) as AnalysisResult;
const FIXTURES = ['day', 'hostile', 'empty'];

/**
 * The hand-made fixtures predate `spikeChecks`: the day gets one of each kind here (judged on the report's
 * buckets, judged on others, not judged), so that the schema's every field is still shown present.
 */
function withSpikeChecks(r: AnalysisResult): AnalysisResult {
  if (r.spikeChecks) return r;
  const [a, b, c] = r.routes;
  return {
    ...r,
    spikeChecks: [
      { route: a.route, judged: true, bucketSec: r.bucketSec, buckets: 12, attemptsJudged: a.attempts, attempts: a.attempts },
      { route: b.route, judged: true, bucketSec: r.bucketSec * 2, buckets: 5, attemptsJudged: b.attempts - 7, attempts: b.attempts, reason: 'only 3 of its 1 h buckets reach spikeMinAttempts 20 (4 needed)' },
      { route: c.route, judged: false, bucketSec: null, buckets: 0, attemptsJudged: 0, attempts: c.attempts, reason: 'at no size from 5 min to 1 day do 4 buckets reach spikeMinAttempts 20' },
    ],
  };
}

describe('the small JSON Schema validator', () => {
  const day = fixture('day');
  it('accepts a valid result and rejects broken ones', () => {
    expect(validate(schema, day)).toEqual([]);
    const broken = structuredClone(day) as unknown as Record<string, any>;
    broken.routes[0].asr = 1.5;
    broken.routes[1].attempts = '12';
    delete broken.spikes[0].share;
    broken.buckets[0].series[0].surprise = 1;
    broken.generatedAt = '24/11/2026';
    broken.inputs[0].format = 'wav';
    const messages = validate(schema, broken).map((e) => `${e.path}: ${e.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\$\.routes\[0\]\.asr: 1\.5 > maximum 1/),
        expect.stringMatching(/^\$\.routes\[1\]\.attempts: expected integer/),
        expect.stringMatching(/^\$\.spikes\[0\]: missing required share/),
        expect.stringMatching(/^\$\.buckets\[0\]\.series\[0\]: property surprise is not described/),
        expect.stringMatching(/^\$\.generatedAt: not an RFC 3339 date-time/),
        expect.stringMatching(/^\$\.inputs\[0\]\.format: not one of/),
      ]),
    );
  });

  it('refuses keywords it does not implement', () => {
    expect(() => validate({ oneOf: [] }, 1)).toThrow(/unsupported keyword oneOf/);
  });
});

describe('schema/analysis.schema.json', () => {
  it.each(FIXTURES)('validates the JSON output of %s', (name) => {
    const out = JSON.parse(renderJson(fixture(name)));
    expect(validate(schema, out)).toEqual([]);
  });

  it('describes every field of the fully populated fixture, and the fixture has every described field', () => {
    // validate() already fails on any property the schema does not describe; this shows the converse, so
    // that "every key present is described" is checked against every key there can be.
    const out = JSON.parse(renderJson(withSpikeChecks(fixture('day'))));
    expect(validate(schema, out)).toEqual([]);
    const present = presentPaths(schema, out);
    const missing = [...describedPaths(schema)].filter((p) => !present.has(p));
    expect(missing).toEqual([]);
  });

  it("writes every object's fields in the schema's order (a window and --fail-on included)", () => {
    // Each object node: the keys it has, in the order the schema declares them (through $ref and allOf).
    const misplaced: string[] = [];
    const go = (sch: Schema, v: unknown, path: string): void => {
      if (typeof sch === 'boolean' || v === null || typeof v !== 'object') return;
      if (typeof sch.$ref === 'string') return go(resolveRef(schema, sch.$ref), v, path);
      if (Array.isArray(v)) {
        if (sch.items !== undefined) v.forEach((x, i) => go(sch.items as Schema, x, `${path}[${i}]`));
        return;
      }
      const { names } = defProperties(schema, sch);
      if (names.size === 0) return; // a map keyed by data: sorted by key, see json.ts
      const keys = Object.keys(v);
      const want = [...names].filter((k) => keys.includes(k));
      // a definition made of others (allOf: a bucket's or a prefix's metrics) has no one declared order
      if (!Array.isArray(sch.allOf) && keys.join() !== want.join()) misplaced.push(`${path}: ${keys.join()} (schema: ${want.join()})`);
      const props = new Map<string, Schema>();
      const collect = (x: Schema): void => {
        if (typeof x === 'boolean') return;
        if (typeof x.$ref === 'string') collect(resolveRef(schema, x.$ref));
        if (Array.isArray(x.allOf)) for (const y of x.allOf) collect(y as Schema);
        if (x.properties) for (const [k, y] of Object.entries(x.properties as Record<string, Schema>)) if (!props.has(k)) props.set(k, y);
      };
      collect(sch);
      for (const k of keys) if (props.has(k)) go(props.get(k)!, (v as Record<string, unknown>)[k], `${path}.${k}`);
    };
    const day = withSpikeChecks(fixture('day'));
    expect(day.window).toBeDefined();
    const out = JSON.parse(renderJson({ ...day, failures: [{ rule: 'asr<60', route: 'x', detail: 'ASR 10%' }] }));
    go(schema, out, '$');
    expect(misplaced).toEqual([]);
  });

  /** Interfaces of the TypeScript contract and the schema definition that documents each. */
  const CONTRACT: Array<[file: string, iface: string, def: string]> = [
    ['src/analysis/result.ts', 'AnalysisResult', '#'],
    ['src/analysis/result.ts', 'Quantiles', '#/$defs/quantiles'],
    ['src/analysis/result.ts', 'CodeShare', '#/$defs/codeShare'],
    ['src/analysis/result.ts', 'RouteMetrics', '#/$defs/routeMetrics'],
    ['src/analysis/result.ts', 'BucketMetrics', '#/$defs/bucketMetrics'],
    ['src/analysis/result.ts', 'Spike', '#/$defs/spike'],
    ['src/analysis/result.ts', 'SpikeCheck', '#/$defs/spikeCheck'],
    ['src/analysis/result.ts', 'FalseBusy', '#/$defs/falseBusy'],
    ['src/analysis/result.ts', 'FasSignal', '#/$defs/fasSignal'],
    ['src/analysis/result.ts', 'FasResult', '#/$defs/fasResult'],
    ['src/analysis/result.ts', 'WireStats', '#/$defs/wireStats'],
    ['src/types.ts', 'InputAccounting', '#/$defs/inputAccounting'],
    ['src/types.ts', 'AnomalySample', '#/$defs/anomalySample'],
    ['src/types.ts', 'Position', '#/$defs/position'],
  ];

  /** Field names (and whether optional) of each `export interface` in a TypeScript file, parents included. */
  function interfaces(file: string): Map<string, Map<string, boolean>> {
    const text = readFileSync(new URL(file, repo), 'utf8');
    const out = new Map<string, Map<string, boolean>>();
    const parents = new Map<string, string[]>();
    let current: Map<string, boolean> | null = null;
    for (const line of text.split('\n')) {
      const head = /^export interface (\w+)(?: extends ([\w, ]+))? \{/.exec(line);
      if (head) {
        current = new Map();
        out.set(head[1], current);
        if (head[2]) parents.set(head[1], head[2].split(',').map((s) => s.trim()));
        continue;
      }
      if (line.startsWith('}')) current = null;
      const field = current && /^ {2}(\w+)(\?)?:/.exec(line);
      if (field && current) current.set(field[1], field[2] === '?');
    }
    for (const [name, ps] of parents) for (const p of ps) for (const [k, opt] of out.get(p) ?? []) out.get(name)?.set(k, opt);
    return out;
  }

  it.each(CONTRACT)('%s %s is described field by field, optional fields as optional', (file, iface, def) => {
    const fields = interfaces(file).get(iface);
    expect(fields, `${iface} not found in ${file}`).toBeDefined();
    const target = def === '#' ? schema : resolveRef(schema, def);
    const { names, required } = defProperties(schema, target);
    for (const [name, optional] of fields!) {
      expect(names.has(name), `${iface}.${name} is missing from ${def}`).toBe(true);
      expect(required.has(name), `${iface}.${name} is ${optional ? 'optional' : 'required'} in TypeScript`).toBe(!optional);
    }
    // And nothing in the schema that the contract does not have.
    for (const name of names) expect(fields!.has(name), `${def} describes ${name}, which ${iface} does not have`).toBe(true);
  });
});
