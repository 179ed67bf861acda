import { describe, expect, it } from 'vitest';
import { CallFlag } from '../../src/types.js';
import { byRoute, digest, fixture, reconciled, run } from './helpers.js';

/**
 * The fixtures in fixtures/asterisk/ are written by generate.mjs from one scenario:
 *   alpha: 3 attempts — 2 answered (30 s, 45 s), 1 busy 486
 *   beta:  2 attempts — 1 not answered in 30 s (480 from the Dial outcome), 1 congestion 503
 */
const T0 = Date.UTC(2023, 10, 14, 22, 13, 20);
const ROUTES: Record<string, string> = { '203.0.113.10': 'alpha', '198.51.100.20': 'beta' };
const routeOf = (a: string) => ROUTES[a];

const DIAL_FILES = [
  'scenario-ast13-chansip.log',
  'scenario-ast13-chansip.log.gz',
  'scenario-ast18-pjsip.log',
  'scenario-ast18-pjsip.json',
  'scenario-ast11-nomarker.log',
  'scenario-syslog.log',
  'scenario-rfc5424.log',
];

describe('scenario from Dial lines', () => {
  for (const name of DIAL_FILES) {
    it(`${name}: exact attempts, answers and codes per route`, () => {
      const r = run(fixture(name), 0, { year: 2023 });
      reconciled(r.acc);
      expect(r.acc.malformed).toBe(0);
      expect(byRoute(r.records)).toEqual({
        alpha: { attempts: 3, answered: 2, codes: { 200: 2, 486: 1 }, durationsSec: [30, 45] },
        beta: { attempts: 2, answered: 0, codes: { 480: 1, 503: 1 }, durationsSec: [] },
      });
      expect(r.acc.records).toBe(5);
      const sorted = [...r.records].sort((a, b) => a.start - b.start);
      expect(sorted.map((x) => x.callee)).toEqual(['5550001', '5550002', '5550003', '5550004', '5550005']);
      expect(sorted.map((x) => x.caller)).toEqual(['4155550100', '4155550101', '4155550102', '4155550103', '4155550104']);
      expect(sorted.map((x) => x.start - T0)).toEqual([0, 40000, 50000, 60000, 95000]);
      expect(sorted.map((x) => x.disconnectedBy)).toEqual(['callee', 'caller', 'callee', 'caller', 'callee']);
      expect(sorted[0]!.flags & CallFlag.Unfinished).toBe(0);
      expect(sorted[0]!.pdd).toBe(1000);
      // No answer: inferred from "Nobody picked up", so its code rests on the disposition.
      expect(sorted[3]!.codeSource).toBe('disposition');
      expect(sorted[3]!.finalReason).toBe('Temporarily Unavailable');
      // One security line (a failed registration) rides along.
      expect(r.security).toHaveLength(1);
      expect(r.security[0]).toMatchObject({ address: '198.18.7.7', kind: 'auth-failed', user: '300' });
    });
  }

  it('chan_sip logs carry the exact code and phrase from "Got SIP response"', () => {
    const r = run(fixture('scenario-ast13-chansip.log'));
    const busy = r.records.find((x) => x.finalCode === 486)!;
    expect(busy).toMatchObject({ codeSource: 'sip', finalReason: 'Busy Here', dstAddr: '203.0.113.10', route: 'alpha' });
    const cong = r.records.find((x) => x.finalCode === 503)!;
    expect(cong).toMatchObject({ codeSource: 'sip', finalReason: 'Service Unavailable', dstAddr: '198.51.100.20' });
  });

  it('PJSIP logs (no "Got SIP response") infer 486/503 from the Dial outcome', () => {
    const r = run(fixture('scenario-ast18-pjsip.log'));
    expect(r.records.find((x) => x.finalCode === 486)!.codeSource).toBe('disposition');
    expect(r.records.find((x) => x.finalCode === 503)!.codeSource).toBe('disposition');
    // millisecond stamps give the exact PDD of the 45 s call (ringing 500 ms after Called)
    expect(r.records.find((x) => x.callee === '5550002')!.pdd).toBe(500);
  });

  it('the JSON logger format gives the same records as the plain log it mirrors', () => {
    const plain = run(fixture('scenario-ast18-pjsip.log'));
    const json = run(fixture('scenario-ast18-pjsip.json'));
    expect(json.acc.format).toBe('asterisk-json-log');
    expect(json.records.map(({ source: _s, ...x }) => x)).toEqual(plain.records.map(({ source: _s, ...x }) => x));
  });

  it('gzip and plain inputs give the same result', () => {
    expect(digest(run(fixture('scenario-ast13-chansip.log.gz')))).toBe(digest(run(fixture('scenario-ast13-chansip.log'))));
  });

  it('a log without call markers is correlated by thread and channel name', () => {
    const r = run(fixture('scenario-ast11-nomarker.log'), 0, { year: 2023 });
    // "Got SIP response" comes from the monitor thread without a marker: still attached to the busy attempt.
    expect(r.records.find((x) => x.finalCode === 486)!.codeSource).toBe('sip');
    expect(r.acc.notes.some((n) => n.includes('--year'))).toBe(true);
  });
});

describe('scenario with SIP message dumps', () => {
  for (const name of ['scenario-chansip-debug.log', 'scenario-pjsip-logger.log', 'scenario-chansip-debug.json']) {
    it(`${name}: records come from the dumps, Dial attempts of the same calls are not counted twice`, () => {
      const r = run(fixture(name), 0, { routeOf });
      reconciled(r.acc);
      expect(r.acc.malformed).toBe(0);
      expect(r.messages).toHaveLength(29);
      expect(r.acc.sipMessages).toBe(29);
      // As a capture of the same calls shows them: the unanswered call ends in 487 after Asterisk's CANCEL.
      expect(byRoute(r.records)).toEqual({
        alpha: { attempts: 3, answered: 2, codes: { 200: 2, 486: 1 }, durationsSec: [30, 45] },
        beta: { attempts: 2, answered: 0, codes: { 487: 1, 503: 1 }, durationsSec: [] },
      });
      expect(r.records.every((x) => x.codeSource === 'sip')).toBe(true);
      expect(r.acc.notes.some((n) => n.includes('5 Dial attempts left out'))).toBe(true);
      const invites = r.messages.filter((m) => m.method === 'INVITE');
      expect(invites.map((m) => m.dst)).toEqual(['203.0.113.10', '203.0.113.10', '203.0.113.10', '198.51.100.20', '198.51.100.20']);
      expect(invites.every((m) => m.src === 'asterisk' && m.sdp?.codecs.includes('PCMU'))).toBe(true);
      const r486 = r.messages.find((m) => m.status === 486)!;
      expect(r486).toMatchObject({ reason: 'Busy Here', src: '203.0.113.10', srcPort: 5060 });
    });
  }
});

describe('chunked feeding', () => {
  const names = [...DIAL_FILES, 'scenario-chansip-debug.log', 'scenario-pjsip-logger.log', 'scenario-chansip-debug.json'];
  for (const name of names) {
    it(`${name}: 1-byte and odd-size chunks give identical results`, () => {
      const data = fixture(name);
      const whole = digest(run(data, 0, { routeOf, year: 2023 }));
      for (const size of [1, 7, 61, 4093]) expect(digest(run(data, size, { routeOf, year: 2023 }))).toBe(whole);
    });
  }
});
