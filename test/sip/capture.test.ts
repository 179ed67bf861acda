import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as w from '../../src/capture/writer.js';
import { LinkType } from '../../src/net/linktypes.js';
import { createCaptureSource } from '../../src/sip/capture-source.js';
import { WireCounter, parseSipStat } from '../../src/sip/wire.js';
import { CallFlag, type CallRecord, type SipMessage } from '../../src/types.js';
import { EXPECTED, EXPECTED_WIRE, VENDOR_A, VENDOR_V6, carrierDay, hepCall, packets } from './gen.js';
import { T0 } from './scenario.js';

const fixtures = fileURLToPath(new URL('../../fixtures/sip/', import.meta.url));

interface Run {
  records: CallRecord[];
  wire: WireCounter;
  messages: SipMessage[];
  acc: ReturnType<typeof createCaptureSource>['accounting'];
}

function run(data: Uint8Array, chunk = 0, opts = {}): Run {
  const records: CallRecord[] = [];
  const messages: SipMessage[] = [];
  const wire = new WireCounter();
  const src = createCaptureSource('gen.pcap', { record: (r) => records.push(r), message: (m) => { wire.add(m); messages.push(m); } }, opts);
  if (chunk <= 0) src.push(data);
  else for (let i = 0; i < data.length; i += chunk) src.push(data.subarray(i, Math.min(data.length, i + chunk)));
  src.end();
  return { records, wire, messages, acc: src.accounting };
}

function perRoute(records: CallRecord[]): Record<string, { attempts: number; answered: number; codes: Record<string, number> }> {
  const out: Record<string, { attempts: number; answered: number; codes: Record<string, number> }> = {};
  for (const r of records) {
    const o = (out[r.route] ??= { attempts: 0, answered: 0, codes: {} });
    o.attempts++;
    if (r.answer !== undefined) o.answered++;
    const k = String(r.finalCode ?? 0);
    o.codes[k] = (o.codes[k] ?? 0) + 1;
  }
  return out;
}

function check(r: Run): void {
  expect(perRoute(r.records)).toEqual(EXPECTED);
  expect(r.wire.toJSON()).toEqual(EXPECTED_WIRE);
  expect(r.acc.read).toBe(r.acc.used + r.acc.ignored + r.acc.malformed);
  expect(r.acc.malformed).toBe(0);
  expect(r.acc.records).toBe(r.records.length);
  const byId = new Map(r.records.map((x) => [x.callId, x]));
  // FAS evidence: the callee's first seconds after answer are ringback on one call only.
  expect(byId.get('gen-ans-ringback')!.rtp!.ringbackAfterAnswer).toBe(1);
  expect(byId.get('gen-ans-noise')!.rtp!.ringbackAfterAnswer).toBe(0);
  expect(byId.get('gen-ans-noise')!.rtp).toMatchObject({ fromCallee: 150, fromCaller: 150 });
  expect(byId.get('gen-ans-noise')!.rtp!.firstFromCalleeAfterAnswer).toBeCloseTo(30, 3);
  expect(byId.get('gen-auth')!.flags).toBe(CallFlag.AuthChallenged);
  expect(byId.get('gen-404')!.flags).toBe(CallFlag.Retransmitted);
  expect(byId.get('gen-cancel')!.flags).toBe(CallFlag.Cancelled);
  // 100 and 180 share one TCP segment, hence its time: PDD 1 ms, not 2.
  expect(byId.get('gen-tcp')).toMatchObject({ finalCode: 200, disconnectedBy: 'callee' });
  expect(byId.get('gen-tcp')!.duration).toBeCloseTo(5000, 2);
  expect(byId.get('gen-tcp')!.pdd).toBeLessThanOrEqual(2);
  expect(byId.get('gen-frag')).toMatchObject({ finalCode: 200, earlyMedia: true });
  expect(byId.get('gen-frag')!.duration).toBeCloseTo(30000, 2);
  expect(byId.get('gen-busy')!.q850).toBe(17);
  expect(byId.get('gen-busy')!.pdd).toBeCloseTo(700, 2);
  expect(r.acc.ignoredBy.rtp).toBe(600);
}

const day = packets(carrierDay());

describe('generated carrier day: exact attempts, answers and codes per route', () => {
  const variants: Array<[string, Uint8Array]> = [
    ['pcap / Ethernet', w.writePcap(day.map((p) => ({ ts: p.ts + T0 - T0, data: p.data })), { linktype: LinkType.ETHERNET })],
    ['pcap ns big-endian / raw IP', w.writePcap(packets(carrierDay(), { linktype: LinkType.RAW }), { linktype: LinkType.RAW, nanos: true, bigEndian: true })],
    ['pcapng / Linux SLL2', w.writePcapng({ interfaces: [{ linktype: LinkType.LINUX_SLL2, tsresol: 9 }], packets: packets(carrierDay(), { linktype: LinkType.LINUX_SLL2 }), extraBlocks: true })],
    ['pcap / BSD loopback, TCP in 1-byte segments', w.writePcap(packets(carrierDay(), { linktype: LinkType.NULL, tcpSegment: 1 }), { linktype: LinkType.NULL })],
    ['pcap / Linux SLL, small fragments', w.writePcap(packets(carrierDay(), { linktype: LinkType.LINUX_SLL, fragmentAt: 128 }), { linktype: LinkType.LINUX_SLL })],
  ];
  for (const [name, data] of variants) {
    for (const chunk of [0, 7, 1013]) it(`${name}, ${chunk ? `${chunk}-byte chunks` : 'whole'}`, () => check(run(data, chunk)));
  }
  it('pcap / Ethernet in 1-byte chunks', () => check(run(variants[0]![1], 1)));

  it('routes file names the routes', () => {
    const r = run(variants[0]![1], 0, { routeOf: (a: string) => (a === VENDOR_A.addr ? 'VendorA' : undefined) });
    expect(Object.keys(perRoute(r.records)).sort()).toEqual(['10.2.2.2', '2001:db8::20', 'VendorA']);
  });

  it('keeps raw text only when asked', () => {
    expect(run(variants[0]![1], 0, { keepRaw: true }).messages[0]!.raw).toMatch(/^INVITE sip:/);
    expect(run(variants[0]![1]).messages[0]!.raw).toBeUndefined();
  });
});

describe('committed fixture fixtures/sip/carrier-day.pcap', () => {
  const file = `${fixtures}carrier-day.pcap`;
  const bytes = w.writePcap(day, { linktype: LinkType.ETHERNET });
  if (process.env.SIPSCOPE_WRITE_FIXTURES === '1') writeFileSync(file, bytes);

  it('is what the generator writes (the generator is deterministic)', () => {
    expect(Buffer.compare(Buffer.from(readFileSync(file)), Buffer.from(bytes))).toBe(0);
  });

  it('wire counts equal the committed tshark -z sip,stat output', () => {
    const oracle = parseSipStat(readFileSync(`${file}.sip_stat.txt`, 'utf8'));
    const r = run(readFileSync(file), 4096);
    expect(r.wire.tsharkResponses()).toEqual(oracle.responses);
    expect(r.wire.requests).toEqual(oracle.requests);
    expect(r.wire.messages).toBe(oracle.messages);
  });
});

describe('HEP3', () => {
  it('a call seen only through HEP3 is one answered attempt on its route', () => {
    const data = w.writePcap(packets(hepCall()), { linktype: LinkType.ETHERNET });
    for (const chunk of [0, 1, 5]) {
      const r = run(data, chunk);
      expect(r.records).toHaveLength(1);
      expect(r.records[0]).toMatchObject({ route: VENDOR_V6.addr, finalCode: 200, disconnectedBy: 'callee', duration: 10000, pdd: 200 });
      expect(r.wire.toJSON()).toEqual({ responses: { '180': 1, '200': 2 }, requests: { ACK: 1, BYE: 1, INVITE: 1 } });
    }
  });
});

describe('junk and broken SIP in captures', () => {
  const eth = (payload: string | Uint8Array, sport = 5060, dport = 5060) =>
    w.ethernet(w.udpPacket({ src: '10.9.9.1', dst: '10.9.9.2', sport, dport, payload }));
  it('counts each packet once: SIP, junk + SIP, bad SIP, not SIP', () => {
    const data = w.writePcap([
      { ts: T0, data: eth('SIP/2.0 200 OK\r\nCall-ID: a\r\nCSeq: 1 OPTIONS\r\n\r\n') },
      { ts: T0 + 1, data: eth('\x00\x00junk\r\nOPTIONS sip:x@y SIP/2.0\r\nCall-ID: b\r\nCSeq: 1 OPTIONS\r\n\r\n') },
      { ts: T0 + 2, data: eth('SIP/2.0 200 OK\r\nCSeq: 1 OPTIONS\r\n\r\n') },
      { ts: T0 + 3, data: eth('hello, not sip at all', 1234, 4321) },
      { ts: T0 + 4, data: eth('SIP/2.0 2') },
      { ts: T0 + 5, data: eth('INVITE sip:a@b SIP/2.0 trailing junk\r\nCall-ID: c\r\n\r\n') },
    ]);
    const r = run(data, 3);
    expect(r.acc).toMatchObject({
      read: 6, used: 3, ignored: 1, malformed: 2, sipMessages: 3, ignoredBy: { 'not-sip': 1 },
      anomalies: { 'sip-truncated': 1, 'sip-bad-start-line': 1 },
    });
    expect(r.acc.samples.map((x) => x.position.packet)).toEqual([5, 6]);
    expect(r.acc.warnings).toEqual({ 'sip-junk-before-message': 1, 'sip-missing-call-id': 1 });
    expect(r.wire.toJSON()).toEqual({ responses: { '200': 2 }, requests: { OPTIONS: 1 } });
  });
});
