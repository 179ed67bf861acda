import { describe, expect, it } from 'vitest';
import { benchScenario } from '../../src/gen/bench-spec.js';
import { writeAsteriskLog, type LogOptions } from '../../src/gen/asterisk.js';
import { renderToBuffer } from '../../src/gen/out.js';
import { byRoute, digest, reconciled, run } from './helpers.js';

/**
 * The project's scenario generator writes the Asterisk log of calls whose outcome it knows (route, final
 * code, answer); the reader must give back exactly those attempts, answers and codes per route, in every
 * log style the generator has.
 */
const STYLES: LogOptions[] = [
  { style: 'modern', tech: 'PJSIP', stamp: 'iso' },
  { style: 'classic', tech: 'SIP', stamp: 'month' },
  { style: 'classic', tech: 'PJSIP', stamp: 'iso-ms' },
  { style: 'modern', tech: 'SIP', stamp: 'iso', noise: 0 },
];

describe('generated logs of known calls', () => {
  for (const o of STYLES) {
    it(`${o.style} ${o.tech} ${o.stamp}${o.noise === 0 ? ' no noise' : ''}: attempts, answers and codes per route as generated`, () => {
      const s = benchScenario(1500, 5);
      const data = renderToBuffer((out) => writeAsteriskLog(s, out, o));
      const truth: Record<string, { attempts: number; answered: number; codes: Record<string, number> }> = {};
      for (const c of s.calls()) {
        const t = (truth[c.route] ??= { attempts: 0, answered: 0, codes: {} });
        t.attempts++;
        if (c.finalCode === 200) t.answered++;
        t.codes[c.finalCode] = (t.codes[c.finalCode] ?? 0) + 1;
      }
      const r = run(data, 0, { year: 2024 });
      reconciled(r.acc);
      expect(r.acc.malformed).toBe(0);
      const got = Object.fromEntries(Object.entries(byRoute(r.records)).map(([k, v]) => [k, { attempts: v.attempts, answered: v.answered, codes: v.codes }]));
      expect(got).toEqual(truth);
      // Every generated failure has its "Got SIP response" line: all codes rest on the log's own SIP code.
      expect(r.records.filter((x) => x.finalCode !== 200 && x.codeSource !== 'sip').map((x) => x.finalCode)).toEqual([]);
      expect(digest(run(data, 4093, { year: 2024 }))).toBe(digest(r));
    });
  }
});
