/**
 * The ground truth of generated traffic against what the sources report: every rendering of the same
 * calls (captures in every container and link type, over TCP, fragmented; Asterisk logs in three
 * styles; Master.csv; carrier CDRs; gzip'd copies) must give exactly the per-route attempts, answers
 * final codes and talk time that the scenario says, whole and fed in 1-byte and odd-size chunks.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createAsteriskLogSource } from '../../src/asterisk/index.js';
import { dispositionToSip } from '../../src/catalogue/index.js';
import { createCdrSource } from '../../src/cdr/index.js';
import { type GroundTruth, type Scenario, alphaBeta, edgeCases, groundTruth, randomScenario, renderToBuffer, sampleScenario, sampleSpecs, writeAsteriskLog, writeCapture, writeCarrierCsv, writeMasterCsv } from '../../src/gen/index.js';
import { loadRoutes } from '../../src/routes.js';
import { createCaptureSource } from '../../src/sip/capture-source.js';
import type { CallRecord, RecordSink, SourceOptions, SourceParser } from '../../src/types.js';

type Factory = (file: string, sink: RecordSink, opts: SourceOptions) => SourceParser;

interface Seen {
  routes: Record<string, { attempts: number; answered: number; codes: Record<string, number>; talkSec: number }>;
  records: CallRecord[];
  parser: SourceParser;
}

function feed(make: Factory, file: string, data: Uint8Array, chunk: number | 'odd', opts: SourceOptions = {}): Seen {
  const records: CallRecord[] = [];
  const parser = make(file, { record: (r) => records.push(r) }, opts);
  if (chunk === 'odd') {
    const sizes = [1, 7, 13, 255, 4096, 3];
    for (let off = 0, i = 0; off < data.length; i++) {
      const n = sizes[i % sizes.length]!;
      parser.push(data.subarray(off, off + n));
      off += n;
    }
  } else for (let off = 0; off < data.length; off += chunk) parser.push(data.subarray(off, off + chunk));
  parser.end();
  const routes: Seen['routes'] = {};
  for (const r of records) {
    const t = (routes[r.route] ??= { attempts: 0, answered: 0, codes: {}, talkSec: 0 });
    t.attempts++;
    if (r.answer !== undefined) t.answered++;
    t.talkSec += Math.round((r.duration ?? 0) / 1000);
    const k = r.finalCode === undefined ? 'none' : String(r.finalCode);
    t.codes[k] = (t.codes[k] ?? 0) + 1;
  }
  return { routes, records, parser };
}

function expected(t: GroundTruth): Seen['routes'] {
  return Object.fromEntries(Object.entries(t.routes).map(([k, v]) => [k, { attempts: v.attempts, answered: v.answered, codes: v.codes, talkSec: v.billsecSum }]));
}

/** Master.csv only keeps the disposition: its codes are what the catalogue infers from it. */
function expectedFromDisposition(s: Scenario): Seen['routes'] {
  const t = groundTruth(s, 'disposition');
  return Object.fromEntries(
    Object.entries(t.routes).map(([k, v]) => {
      const codes: Record<string, number> = {};
      for (const [disp, n] of Object.entries(v.codes)) {
        const code = String(dispositionToSip(disp)!.code);
        codes[code] = (codes[code] ?? 0) + n;
      }
      return [k, { attempts: v.attempts, answered: v.answered, codes, talkSec: v.billsecSum }];
    }),
  );
}

function checkAccounting(p: SourceParser): void {
  const a = p.accounting;
  expect(a.read).toBe(a.used + a.ignored + a.malformed);
  expect(a.malformed).toBe(0);
}

const abRoutes = loadRoutes('match,route\n203.0.113.10,alpha\n198.51.100.20,beta\n', 'routes.csv');
const capOpts: SourceOptions = { routeOf: abRoutes };

describe('captures of generated calls give the ground truth', () => {
  const ab = alphaBeta();
  const truth = expected(groundTruth(ab));
  const cases: Array<[string, Scenario, Parameters<typeof writeCapture>[2]]> = [
    ['pcap ethernet', ab, { rtp: false }],
    ['pcap ethernet with RTP', ab, { rtpMaxSec: 3 }],
    ['pcapng', ab, { container: 'pcapng', rtp: false }],
    ['pcap nanosecond', ab, { nanosecond: true, rtp: false }],
    ['802.1Q VLAN', ab, { link: 'vlan', rtp: false }],
    ['Linux SLL', ab, { link: 'sll', rtp: false }],
    ['Linux SLL2', ab, { link: 'sll2', rtp: false }],
    ['raw IPv4 pcapng ns', ab, { link: 'raw', container: 'pcapng', nanosecond: true, rtp: false }],
    ['SIP over TCP, messages split across segments', alphaBeta({ transport: 'tcp' }), { mss: 536, rtp: false }],
    ['IPv4-fragmented INVITEs', alphaBeta({ bigInvite: true }), { rtp: false }],
  ];
  for (const [name, s, o] of cases) {
    const data = renderToBuffer((out) => writeCapture(s, out, o));
    for (const chunk of [1 << 20, 1, 'odd'] as const) {
      it(`${name} (chunks: ${chunk})`, () => {
        const seen = feed(createCaptureSource, 'gen.pcap', data, chunk, capOpts);
        expect(seen.routes).toEqual(truth);
        checkAccounting(seen.parser);
      });
    }
  }

  it('the route defaults to the next-hop address without --routes', () => {
    const data = renderToBuffer((out) => writeCapture(ab, out, { rtp: false }));
    const seen = feed(createCaptureSource, 'gen.pcap', data, 1 << 20);
    expect(Object.keys(seen.routes).sort()).toEqual(['198.51.100.20', '203.0.113.10']);
    expect(seen.routes['203.0.113.10']).toEqual(truth.alpha);
  });

  it('edge cases: a challenge and a retransmission are one attempt each; CANCEL is 487', () => {
    const ec = edgeCases();
    const data = renderToBuffer((out) => writeCapture(ec, out, { rtp: false }));
    const seen = feed(createCaptureSource, 'edge.pcap', data, 'odd', capOpts);
    expect(seen.routes).toEqual(expected(groundTruth(ec)));
    expect(seen.routes.alpha!.codes).toEqual({ '200': 3, '404': 1, '408': 1, '487': 1 });
  });

  it('edge cases over TCP: coalesced messages, segments out of order and retransmitted', () => {
    const ec = edgeCases({ transport: 'tcp' });
    const data = renderToBuffer((out) => writeCapture(ec, out, { rtp: false, mss: 400, coalesce: true, disorder: true }));
    for (const chunk of [1 << 20, 1, 'odd'] as const) {
      const seen = feed(createCaptureSource, 'edge-tcp.pcap', data, chunk, capOpts);
      expect(seen.routes).toEqual(expected(groundTruth(ec)));
      checkAccounting(seen.parser);
    }
  });

  it('a random mix (challenges, retransmissions, TCP, fragments, RTP) of 300 calls', () => {
    const s = randomScenario('mix', { ...sampleSpecs()[1]!, calls: 300, seed: 99, tcpShare: 0.15, bigInviteShare: 0.15, rtpShare: 0.3, challengeShare: 0.1, retransmitShare: 0.1 });
    const data = renderToBuffer((out) => writeCapture(s, out, { rtpMaxSec: 1 }));
    const routes = loadRoutes('match,route\n203.0.113.10,vendor-a\n198.51.100.20,vendor-b\n192.0.2.30,vendor-c\n203.0.113.77,vendor-fas\n', 'r.csv');
    const seen = feed(createCaptureSource, 'mix.pcap', data, 'odd', { routeOf: routes });
    expect(seen.routes).toEqual(expected(groundTruth(s)));
    checkAccounting(seen.parser);
  });

  it('the bundled sample (fixtures/sample) gives its truth.json', () => {
    const data = gunzipSync(readFileSync(new URL('../../fixtures/sample/carrier-day.pcap.gz', import.meta.url)));
    const routes = loadRoutes(readFileSync(new URL('../../fixtures/sample/routes.csv', import.meta.url), 'utf8'), 'routes.csv');
    const seen = feed(createCaptureSource, 'carrier-day.pcap', data, 1 << 16, { routeOf: routes });
    expect(seen.routes).toEqual(expected(groundTruth(sampleScenario())));
  });
});

describe('Asterisk logs of generated calls give the ground truth', () => {
  const variants = [
    ['modern PJSIP, ISO stamps', {}],
    ['classic chan_sip, [Mon dd] stamps', { style: 'classic', tech: 'SIP', stamp: 'month' }],
    ['ISO stamps with ms, no noise', { stamp: 'iso-ms', noise: 0 }],
  ] as const;
  for (const s of [alphaBeta(), edgeCases(), sampleScenario()]) {
    for (const [name, o] of variants) {
      const data = renderToBuffer((out) => writeAsteriskLog(s, out, o));
      for (const chunk of [1 << 20, 'odd'] as const) {
        it(`${s.name}: ${name} (chunks: ${chunk})`, () => {
          const seen = feed(createAsteriskLogSource, 'full', data, chunk, { year: 2024 });
          expect(seen.routes).toEqual(expected(groundTruth(s)));
          checkAccounting(seen.parser);
        });
      }
    }
  }
});

describe('CDR exports of generated calls give the ground truth', () => {
  for (const s of [alphaBeta(), edgeCases(), sampleScenario()]) {
    const carrier = renderToBuffer((out) => writeCarrierCsv(s, out));
    const semicolon = renderToBuffer((out) => writeCarrierCsv(s, out, { delimiter: ';', eol: '\n' }));
    const master = renderToBuffer((out) => writeMasterCsv(s, out));
    for (const chunk of [1 << 20, 'odd'] as const) {
      it(`${s.name}: carrier CSV with a header (chunks: ${chunk})`, () => {
        const seen = feed(createCdrSource, 'carrier.csv', carrier, chunk);
        expect(seen.routes).toEqual(expected(groundTruth(s)));
        checkAccounting(seen.parser);
      });
      it(`${s.name}: carrier CSV, ';' and LF (chunks: ${chunk})`, () => {
        const seen = feed(createCdrSource, 'carrier.csv', semicolon, chunk);
        expect(seen.routes).toEqual(expected(groundTruth(s)));
      });
      it(`${s.name}: Master.csv (codes inferred from the disposition) (chunks: ${chunk})`, () => {
        const seen = feed(createCdrSource, 'Master.csv', master, chunk);
        expect(seen.routes).toEqual(expectedFromDisposition(s));
        checkAccounting(seen.parser);
      });
    }
  }
});
