import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { benchScenario } from '../../src/gen/bench-spec.js';
import { writeAsteriskLog, type LogOptions } from '../../src/gen/asterisk.js';
import { renderToBuffer } from '../../src/gen/out.js';
import { FIXTURES, digest, fixture, run } from './helpers.js';

/**
 * Everything the reader gives (records, messages, security events, accounting) for every fixture and for
 * generated logs of every style, pinned as digests taken before the reader's speed work: an optimisation
 * must not change one field of one record. A deliberate change of results updates these digests (run with
 * PRINT_DIGESTS=1 to see the new ones) and says why in its commit. (Audit 3, M2: the dumped calls of the two
 * dump fixtures take their Dial attempt's route, `alpha`/`beta` instead of the address; nothing else changed.
 * Re-audit R-bc, N7: notes that count one thing say it in the singular (`1 line unwrapped …`, `1 year-less
 * timestamp took its year …`, `codeSource: 1 call attempt …`): the digests of console-excerpt-no-stamps.log
 * and security.log changed for that text alone.)
 */
const sha = (t: string): string => createHash('sha256').update(t).digest('hex').slice(0, 16);

const FIXTURE_DIGESTS: Record<string, string> = {
  'console-excerpt-no-stamps.log#0': '99010371525d69e8',
  'console-excerpt-no-stamps.log#1': '99010371525d69e8',
  'console-excerpt-no-stamps.log#2': 'fe8550812d8cb6aa',
  'edge-cases.log#0': 'bd07aa7b4b7c0835',
  'edge-cases.log#1': 'bd07aa7b4b7c0835',
  'edge-cases.log#2': 'f00418bb6ade55be',
  'scenario-ast11-nomarker.log#0': '4efbb8301e498e96',
  'scenario-ast11-nomarker.log#1': '5a1a946eaceb2da1',
  'scenario-ast11-nomarker.log#2': 'd2cd63e67d85de32',
  'scenario-ast13-chansip.log#0': '3ec7f684e788ab95',
  'scenario-ast13-chansip.log#1': '3ec7f684e788ab95',
  'scenario-ast13-chansip.log#2': 'ee13270f8c07e4c6',
  'scenario-ast13-chansip.log.gz#0': 'cd2324db0f057192',
  'scenario-ast13-chansip.log.gz#1': 'cd2324db0f057192',
  'scenario-ast13-chansip.log.gz#2': '197c6f074d04855a',
  'scenario-ast18-pjsip.log#0': 'd2a779d7b4e175f5',
  'scenario-ast18-pjsip.log#1': 'd2a779d7b4e175f5',
  'scenario-ast18-pjsip.log#2': 'e34f4ee9e175e65e',
  'scenario-chansip-debug.log#0': '5a3b5985475ac5c3',
  'scenario-chansip-debug.log#1': '5a3b5985475ac5c3',
  'scenario-chansip-debug.log#2': '755a710d2855bf74',
  'scenario-pjsip-logger.log#0': '02471e0f37e61021',
  'scenario-pjsip-logger.log#1': '02471e0f37e61021',
  'scenario-pjsip-logger.log#2': '7e7148749450cf83',
  'scenario-rfc5424.log#0': 'f46524d5b8cb76cd',
  'scenario-rfc5424.log#1': 'f46524d5b8cb76cd',
  'scenario-rfc5424.log#2': '982f2496d82b7c54',
  'scenario-syslog.log#0': '49c3d73c6a935aeb',
  'scenario-syslog.log#1': '0ec676efa50b1756',
  'scenario-syslog.log#2': '249a6b8d804be85b',
  'security.log#0': '8ed8fb31a5c544ad',
  'security.log#1': '12c73f3de9c99591',
  'security.log#2': '7eb09b2a6db2ca18',
};

const GENERATED: Array<LogOptions & { name: string }> = [
  { name: 'modern-pjsip-iso', style: 'modern', tech: 'PJSIP', stamp: 'iso' },
  { name: 'classic-sip-month', style: 'classic', tech: 'SIP', stamp: 'month' },
  { name: 'classic-pjsip-isoms', style: 'classic', tech: 'PJSIP', stamp: 'iso-ms' },
  { name: 'modern-sip-iso-quiet', style: 'modern', tech: 'SIP', stamp: 'iso', noise: 0 },
];
const GENERATED_DIGESTS: Record<string, string> = {
  'modern-pjsip-iso': 'ad0f400b2ad7ce55',
  'modern-pjsip-iso+routes': 'fab0c369e24b26c7',
  'classic-sip-month': '7d04ce2d7dae053a',
  'classic-sip-month+routes': '4b2b6f711779e91f',
  'classic-pjsip-isoms': '3cda5caa223f963d',
  'classic-pjsip-isoms+routes': '37e6e0125ad6e06b',
  'modern-sip-iso-quiet': '51d3d306f3d8eb22',
  'modern-sip-iso-quiet+routes': '907c8b3987e882e9',
};

/** Variants of a generated log: without call markers (old Asterisk: thread ids) and with markers of other forms. */
const VARIANTS: Record<string, (t: string) => string> = {
  nomarker: (t) => t.replace(/\]\[C-[0-9a-f]{8}\]/g, ']'),
  shortmarker: (t) => t.replace(/\[C-0000/g, '[C-'),
  uppermarker: (t) => t.replace(/\[C-0000([0-9a-f])/g, (_m, c: string) => `[C-0000${c.toUpperCase()}`),
};
const VARIANT_DIGESTS: Record<string, string> = {
  'nomarker': '4268d6849c6bb683',
  'shortmarker': '3a0878933fba0976',
  'uppermarker': 'ad0f400b2ad7ce55',
};

const print = process.env.PRINT_DIGESTS === '1';
const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.log') || f.endsWith('.gz')).sort();

function check(table: Record<string, string>, key: string, value: string): void {
  if (print) console.log(`  '${key}': '${value}',`);
  else expect(value, key).toBe(table[key]);
}

describe('reader results pinned before speed work', () => {
  it('every fixture, with and without a year and a zone, whole and in odd chunks', () => {
    for (const f of files) {
      const data = fixture(f);
      for (const [i, o] of [{}, { year: 2023 }, { tz: 'Europe/Moscow' }].entries()) {
        const whole = digest(run(data, 0, o, f));
        expect(digest(run(data, 7, o, f))).toBe(whole);
        check(FIXTURE_DIGESTS, `${f}#${i}`, sha(whole));
      }
    }
  });

  it('generated logs of every style and their marker variants', () => {
    const routeOf = (a: string): string | undefined => (a.startsWith('carrier-1') ? 'R1' : undefined);
    for (const [i, o] of GENERATED.entries()) {
      const data = renderToBuffer((out) => writeAsteriskLog(benchScenario(3000, 5 + i), out, o));
      check(GENERATED_DIGESTS, o.name, sha(digest(run(data, 65_537, { year: 2024 }))));
      check(GENERATED_DIGESTS, `${o.name}+routes`, sha(digest(run(data, 0, { routeOf }))));
      if (i === 0) {
        const text = data.toString('utf8');
        for (const [v, f] of Object.entries(VARIANTS)) check(VARIANT_DIGESTS, v, sha(digest(run(Buffer.from(f(text)), 4093, { year: 2024 }))));
      }
    }
  });
});
