/**
 * The bundled sample (fixtures/sample): the planted 486 spike and the false-answer route are found, and
 * nothing else is, from the capture and from the CDR of the same calls (issue: analysis, proof).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Aggregator, finish } from '../../src/analysis/index.js';
import { createCdrSource } from '../../src/cdr/index.js';
import { loadRoutes } from '../../src/routes.js';
import { createCaptureSource } from '../../src/sip/capture-source.js';
import type { RecordSink, SourceOptions, SourceParser } from '../../src/types.js';

const sample = (name: string): Buffer => readFileSync(new URL(`../../fixtures/sample/${name}`, import.meta.url));
const truth = JSON.parse(sample('truth.json').toString('utf8')) as {
  totals: { attempts: number; answered: number };
  spike: { route: string; from: string; to: string; code: number };
  fas: string[];
};

function analyse(make: (f: string, s: RecordSink, o: SourceOptions) => SourceParser, data: Buffer, opts: SourceOptions) {
  const agg = new Aggregator();
  const p = make('sample', { record: (r) => agg.add(r) }, opts);
  p.push(data);
  p.end();
  return finish(agg, { inputs: [p.accounting], wire: { responses: {}, requests: {} } });
}

const inputs = {
  capture: () => analyse(createCaptureSource, gunzipSync(sample('carrier-day.pcap.gz')), { routeOf: loadRoutes(sample('routes.csv').toString('utf8'), 'routes.csv') }),
  cdr: () => analyse(createCdrSource, sample('carrier-day.cdr.csv'), {}),
};

describe('the bundled sample', () => {
  for (const [name, run] of Object.entries(inputs)) {
    it(`${name}: the 486 spike on vendor-b 12:00–13:00 is found and no other`, () => {
      const r = run();
      expect(r.totals.attempts).toBe(truth.totals.attempts);
      expect(r.totals.answered).toBe(truth.totals.answered);
      expect(r.spikes.map((s) => [s.route, s.code, s.start, s.end])).toEqual([[truth.spike.route, 486, '2024-03-05T12:00:00.000Z', '2024-03-05T13:00:00.000Z']]);
    });
    it(`${name}: vendor-fas is flagged as false answer supervision, the honest routes are not`, () => {
      const r = run();
      expect(r.fas.filter((f) => f.flagged).map((f) => f.route)).toEqual(truth.fas);
    });
  }
});
