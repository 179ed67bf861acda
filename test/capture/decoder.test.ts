import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createCaptureDecoder } from '../../src/capture/decoder.js';
import * as w from '../../src/capture/writer.js';
import { InputError } from '../../src/errors.js';
import { LinkType } from '../../src/net/linktypes.js';
import type { PayloadHandler, PayloadVerdict, TransportPayload } from '../../src/net/payload.js';
import { newAccounting, type InputAccounting } from '../../src/types.js';
import { feed, RecordingHandler, type Seen } from './helpers.js';

const T0 = 1_700_000_000_000;
const INVITE = 'INVITE sip:100@192.0.2.2 SIP/2.0\r\nCall-ID: abc\r\nContent-Length: 0\r\n\r\n';
const OK = 'SIP/2.0 200 OK\r\nCall-ID: abc\r\nContent-Length: 0\r\n\r\n';

interface Result {
  acc: InputAccounting;
  seen: Seen[];
  ended: string[];
  format: string | undefined;
}

function decodeOnce(bytes: Uint8Array, chunk: number, handler = new RecordingHandler()): Result {
  const acc = newAccounting('t.pcap', 'unknown', 'packet');
  const d = createCaptureDecoder('t.pcap', handler, acc);
  feed(d, bytes, chunk);
  return { acc, seen: handler.seen, ended: handler.ended, format: d.format };
}

/** Decodes whole, in 1-byte and in odd-size chunks; all must agree. */
function decode(bytes: Uint8Array): Result {
  const whole = decodeOnce(bytes, 0);
  for (const size of [1, 7, 13, 1500]) expect(decodeOnce(bytes, size)).toEqual(whole);
  const a = whole.acc;
  expect(a.read).toBe(a.used + a.ignored + a.malformed);
  expect(a.bytes).toBe(bytes.length);
  return whole;
}

const v4 = (payload = INVITE, sport = 5060, dport = 5060) => w.udpPacket({ src: '192.0.2.1', dst: '192.0.2.2', sport, dport, payload });
const v6 = (payload = OK) => w.udpPacket({ src: '2001:db8::1', dst: '2001:db8::2', sport: 5062, dport: 5063, payload });
const pcap = (frames: Uint8Array[], linktype: number = LinkType.ETHERNET) => w.writePcap(frames.map((data, i) => ({ ts: T0 + i * 1000, data })), { linktype });

describe('containers', () => {
  for (const bigEndian of [false, true]) {
    for (const nanos of [false, true]) {
      it(`pcap ${bigEndian ? 'big' : 'little'}-endian, ${nanos ? 'ns' : 'µs'}`, () => {
        const ts = nanos ? T0 + 123.456789 : T0 + 123.456;
        const r = decode(w.writePcap([{ ts, data: w.ethernet(v4()) }, { ts: ts + 1, data: w.ethernet(v6()) }], { bigEndian, nanos }));
        expect(r.format).toBe('pcap');
        expect(r.acc.format).toBe('pcap');
        expect(r.seen).toHaveLength(2);
        expect(r.seen[0]!.ts).toBeCloseTo(ts, 6);
        expect(r.seen[0]).toMatchObject({ packet: 1, proto: 'udp', ipVersion: 4, src: '192.0.2.1', dst: '192.0.2.2', srcPort: 5060, dstPort: 5060, text: INVITE, tunneled: false, flowKey: '' });
        expect(r.seen[1]).toMatchObject({ packet: 2, ipVersion: 6, src: '2001:db8::1', dst: '2001:db8::2', srcPort: 5062, dstPort: 5063, text: OK });
        expect(r.acc).toMatchObject({ read: 2, used: 2, ignored: 0, malformed: 0 });
      });
    }
  }

  it('pcapng: two sections (little- and big-endian), two interfaces with different tsresol, EPB/SPB/PB, unknown blocks', () => {
    const bytes = w.writePcapng([
      {
        interfaces: [{ linktype: LinkType.ETHERNET }, { linktype: LinkType.RAW, tsresol: 9 }],
        extraBlocks: true,
        packets: [
          { ts: T0 + 0.5, data: w.ethernet(v4()) },
          { ts: T0 + 1000.000123, data: v6(), iface: 1 },
          { ts: 0, data: w.ethernet(v4(OK)), block: 'spb' },
          { ts: T0 + 2000.25, data: w.ethernet(v4()), block: 'pb' },
        ],
      },
      {
        bigEndian: true,
        interfaces: [{ linktype: LinkType.LINUX_SLL, tsresol: 0x80 | 20 }, { linktype: LinkType.LINUX_SLL2, tsresol: 3, tsoffset: 60 }],
        packets: [
          { ts: T0 + 3000.5, data: w.sll(v4()) },
          { ts: T0 + 4000, data: w.sll2(v6()), iface: 1 },
        ],
      },
    ]);
    const r = decode(bytes);
    expect(r.format).toBe('pcapng');
    expect(r.acc).toMatchObject({ read: 6, used: 6, ignored: 0, malformed: 0 });
    expect(r.seen.map((s) => s.packet)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.seen[0]!.ts).toBe(T0 + 0.5);
    expect(r.seen[1]!.ts).toBeCloseTo(T0 + 1000.000123, 5);
    expect(r.seen[1]).toMatchObject({ ipVersion: 6, src: '2001:db8::1' });
    expect(r.seen[2]).toMatchObject({ ts: r.seen[1]!.ts, text: OK }); // no time in an SPB: the previous packet's
    expect(r.acc.notes).toHaveLength(1);
    expect(r.seen[3]!.ts).toBe(T0 + 2000.25);
    // 2^-20 s resolution: within one tick.
    expect(Math.abs(r.seen[4]!.ts - (T0 + 3000.5))).toBeLessThan(0.001);
    expect(r.seen[5]!.ts).toBe(T0 + 4000);
    expect(r.seen[5]).toMatchObject({ ipVersion: 6, text: OK });
  });

  it('refuses what is not a capture with one line, at the first chunk', () => {
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array([0x47, 0x4d, 0x42, 0x55, 0, 2, 0, 0]), /Network Monitor 2/],
      [gzipSync(pcap([w.ethernet(v4())])), /gzip/],
      [new TextEncoder().encode('[Nov 14 22:13:20] VERBOSE[1234] pbx.c: hello\n'), /text/],
      [new TextEncoder().encode('snoop\0\0\0\0\0\0\x02'), /snoop/],
      [Uint8Array.of(0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4), /0xdeadbeef/],
    ];
    for (const [bytes, re] of cases) {
      const acc = newAccounting('x', 'unknown', 'packet');
      const d = createCaptureDecoder('x', new RecordingHandler(), acc);
      let err: unknown;
      try {
        d.push(bytes);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).toMatch(re);
      expect((err as Error).message).not.toContain('\n');
    }
    // One byte that no capture starts with is enough.
    expect(() => createCaptureDecoder('x', new RecordingHandler(), newAccounting('x', 'unknown', 'packet')).push(Uint8Array.of(0x1f))).toThrow(InputError);
    // An empty or too short file is refused at end().
    const d = createCaptureDecoder('x', new RecordingHandler(), newAccounting('x', 'unknown', 'packet'));
    d.push(Uint8Array.of(0xd4, 0xc3));
    expect(() => d.end()).toThrow(InputError);
  });

  it('counts a truncated last record and keeps the packets before it', () => {
    const full = pcap([w.ethernet(v4()), w.ethernet(v4(OK))]);
    const r = decode(full.subarray(0, full.length - 10));
    expect(r.seen).toHaveLength(1);
    expect(r.acc).toMatchObject({ read: 2, used: 1, malformed: 1, anomalies: { 'truncated-record': 1 } });
    expect(r.acc.samples[0]).toMatchObject({ name: 'truncated-record', position: { packet: 2 } });
    // A record header cut short is a truncated record too.
    const r2 = decode(full.subarray(0, 24 + 16 + w.ethernet(v4()).length + 5));
    expect(r2.acc).toMatchObject({ read: 2, used: 1, anomalies: { 'truncated-record': 1 } });
  });

  it('a pcapng cut inside a block that is no packet, or before its type, is a note, not a packet', () => {
    const ng = w.writePcapng({ interfaces: [{ linktype: LinkType.ETHERNET }], packets: [{ ts: T0, data: w.ethernet(v4()) }] });
    const shbLen = ng[4]! | (ng[5]! << 8);
    for (const cut of [1, 2, 3, 5, 19]) {
      const r = decode(ng.subarray(0, shbLen + cut)); // cut inside the interface block
      expect(r.acc, `cut ${cut}`).toMatchObject({ read: 0, malformed: 0 });
      expect(r.acc.notes[0], `cut ${cut}`).toMatch(/^last pcapng block cut short at byte \d+/);
    }
  });

  it('follows a second capture header (files joined with cat), pcap or pcapng', () => {
    const a = pcap([w.ethernet(v4())]);
    const b = w.writePcap([{ ts: T0, data: v6() }], { linktype: LinkType.RAW, nanos: true, bigEndian: true });
    const c = w.writePcapng({ interfaces: [{ linktype: LinkType.LINUX_SLL }], packets: [{ ts: T0, data: w.sll(v4(OK)) }] });
    const joined = new Uint8Array([...a, ...b, ...c]);
    const r = decode(joined);
    expect(r.seen.map((s) => s.text)).toEqual([INVITE, OK, OK]);
    expect(r.acc).toMatchObject({ read: 3, used: 3, malformed: 0 });
    expect(r.acc.notes).toHaveLength(2);
  });

  it('stops at a record length that cannot be a packet, counting one anomaly', () => {
    const good = pcap([w.ethernet(v4())]);
    const junk = new Uint8Array(good.length + 32);
    junk.set(good);
    junk.fill(0xff, good.length);
    const r = decode(junk);
    expect(r.acc).toMatchObject({ read: 2, used: 1, malformed: 1, anomalies: { 'bad-record-length': 1 } });
    // The rest of the input is lost: said as an error (not a note), so that the run says so and exits 2.
    expect(r.acc.error).toBe(`stopped reading at byte ${good.length}: record of 4294967295 bytes`);
  });

  it('a record length past the snap length and 256 KiB is a corrupt header, not a last packet cut short', () => {
    const three = pcap([w.ethernet(v4()), w.ethernet(v4(OK)), w.ethernet(v4())]);
    const second = 24 + 16 + w.ethernet(v4()).length;
    const bad = three.slice();
    new DataView(bad.buffer).setUint32(second + 8, 10_000_000, true); // caplen of record 2: 10 MB in a file of 300 bytes
    const r = decode(bad);
    expect(r.seen).toHaveLength(1);
    expect(r.acc).toMatchObject({ read: 2, used: 1, malformed: 1, anomalies: { 'bad-record-length': 1 } });
    expect(r.acc.error).toBe(`stopped reading at byte ${second}: record of 10000000 bytes`);
    // A pcapng packet block as long, in a section whose interface snaps at 65535: the same.
    const ng = w.writePcapng({ interfaces: [{ linktype: LinkType.ETHERNET }], packets: [{ ts: T0, data: w.ethernet(v4()) }, { ts: T0, data: w.ethernet(v4(OK)) }] });
    const shb = ng[4]! | (ng[5]! << 8);
    const idb = ng[shb + 4]! | (ng[shb + 5]! << 8);
    const epb1 = shb + idb;
    const epb2 = epb1 + (ng[epb1 + 4]! | (ng[epb1 + 5]! << 8));
    const badNg = ng.slice();
    new DataView(badNg.buffer).setUint32(epb2 + 4, 1_000_000, true);
    const rn = decode(badNg);
    expect(rn.seen).toHaveLength(1);
    expect(rn.acc.error).toBe(`stopped reading at byte ${epb2}: block length 1000000`);
  });

  it('a record whose timestamp spells a pcap magic and version 2 is a record, not a joined file', () => {
    // 2055-12-17 (0xA1B2C3D4 seconds) and 2 µs: the record header starts d4 c3 b2 a1 02 00 00 00.
    const t = 0xa1b2c3d4 * 1000 + 0.002;
    const f = w.writePcap([{ ts: T0, data: w.ethernet(v4()) }, { ts: t, data: w.ethernet(v4(OK)) }, { ts: t + 1, data: w.ethernet(v4()) }], { linktype: LinkType.ETHERNET });
    const second = 24 + 16 + w.ethernet(v4()).length;
    expect([...f.subarray(second, second + 8)]).toEqual([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 0, 0]);
    const r = decode(f);
    expect(r.seen.map((x) => x.text)).toEqual([INVITE, OK, INVITE]);
    expect(r.acc.notes).toEqual([]);
  });

  it('follows a second header of the same byte order (pcap + pcap), and a pcap after a pcapng', () => {
    const a = pcap([w.ethernet(v4())]);
    const b = pcap([w.ethernet(v4(OK))]);
    const ng = w.writePcapng({ interfaces: [{ linktype: LinkType.ETHERNET }], packets: [{ ts: T0, data: w.ethernet(v4()) }] });
    for (const [joined, first] of [[new Uint8Array([...a, ...b]), 'pcap'], [new Uint8Array([...ng, ...b]), 'pcapng']] as const) {
      const r = decode(joined);
      expect(r.acc.format).toBe(first); // named by its first part
      expect(r.seen.map((x) => x.text)).toEqual([INVITE, OK]);
      expect(r.acc).toMatchObject({ read: 2, used: 2, malformed: 0 });
      expect(r.acc.error).toBeUndefined();
      expect(r.acc.notes).toEqual([`a second capture header at byte ${joined.length - b.length} (files joined with cat?): read on`]);
    }
  });
});

describe('link layers', () => {
  const linkTypes = [
    LinkType.ETHERNET, LinkType.NULL, LinkType.LOOP, LinkType.RAW, LinkType.RAW_12, LinkType.RAW_14,
    LinkType.IPV4, LinkType.LINUX_SLL, LinkType.LINUX_SLL2, LinkType.PPP, LinkType.PPP_ETHER,
  ];
  for (const lt of linkTypes) {
    it(`link type ${lt}`, () => {
      const frames = lt === LinkType.IPV4 ? [w.frame(lt, v4())] : [w.frame(lt, v4()), w.frame(lt, v6())];
      const r = decode(pcap(frames, lt));
      expect(r.seen.map((s) => s.text)).toEqual(lt === LinkType.IPV4 ? [INVITE] : [INVITE, OK]);
      expect(r.seen[0]).toMatchObject({ src: '192.0.2.1', dst: '192.0.2.2', srcPort: 5060 });
      expect(r.acc.used).toBe(frames.length);
    });
  }

  it('link type 229 (IPv6)', () => {
    const r = decode(pcap([v6()], LinkType.IPV6));
    expect(r.seen[0]).toMatchObject({ ipVersion: 6, text: OK });
  });

  it('BSD loopback written by a big-endian host', () => {
    const r = decode(pcap([w.nullLink(v4(), { bigEndian: true })], LinkType.NULL));
    expect(r.acc.used).toBe(1);
  });

  it('802.1Q, QinQ (0x88a8 and 0x9100) and PPPoE', () => {
    const r = decode(pcap([
      w.ethernet(v4(), { vlans: [10] }),
      w.ethernet(v4(), { vlans: [100, 200] }),
      w.ethernet(v6(), { vlans: [100, 200, 300], outerTpid: 0x9100 }),
      w.ethernet(w.pppoe(v4()), { type: 0x8864 }),
      w.ethernet(w.pppoe(v6()), { vlans: [7], type: 0x8864 }),
    ]));
    expect(r.seen.map((s) => s.text)).toEqual([INVITE, INVITE, OK, INVITE, OK]);
    expect(r.acc.used).toBe(5);
  });

  it('non-IP frames are ignored as not-ip; an unknown link type is an anomaly', () => {
    const arp = w.ethernet(new Uint8Array(28), { type: 0x0806 });
    const r = decode(pcap([arp, w.ethernet(v4())]));
    expect(r.acc).toMatchObject({ read: 2, used: 1, ignoredBy: { 'not-ip': 1 } });
    const u = decode(pcap([v4()], 147));
    expect(u.acc).toMatchObject({ read: 1, malformed: 1, anomalies: { 'unknown-linktype': 1 } });
  });
});

describe('IP and UDP', () => {
  it('IPv6 extension headers (hop-by-hop, destination options)', () => {
    const ip = w.ipv6({ src: '2001:db8::1', dst: '2001:db8::2', nextHeader: 17, payload: w.udp({ sport: 1, dport: 2, payload: OK }), ext: [{ type: 0 }, { type: 43 }, { type: 60, units: 2 }] });
    const r = decode(pcap([w.ethernet(ip)]));
    expect(r.seen[0]).toMatchObject({ srcPort: 1, dstPort: 2, text: OK });
  });

  it('reassembles IPv4 fragments arriving out of order; the completing fragment gets the verdict', () => {
    const body = INVITE.replace('\r\n\r\n', `\r\nX-Pad: ${'p'.repeat(3000)}\r\n\r\n`);
    const frags = w.fragmentIpv4(v4(body), 1200, 4242);
    expect(frags).toHaveLength(3);
    const order = [frags[2]!, frags[0]!, frags[1]!];
    const r = decode(pcap(order.map((f) => w.ethernet(f))));
    expect(r.seen).toHaveLength(1);
    expect(r.seen[0]).toMatchObject({ packet: 3, text: body, src: '192.0.2.1', srcPort: 5060 });
    expect(r.acc).toMatchObject({ read: 3, used: 1, ignored: 2, ignoredBy: { 'ip-fragment': 2 }, malformed: 0 });
  });

  it('reassembles IPv6 fragments arriving out of order', () => {
    const body = OK.replace('\r\n\r\n', `\r\nX-Pad: ${'q'.repeat(2500)}\r\n\r\n`);
    const frags = w.fragmentIpv6(v6(body), 1000, 99);
    const r = decode(pcap([frags[1]!, frags[2]!, frags[0]!].map((f) => w.ethernet(f))));
    expect(r.seen).toHaveLength(1);
    expect(r.seen[0]).toMatchObject({ ipVersion: 6, text: body, srcPort: 5062 });
    expect(r.acc).toMatchObject({ read: 3, used: 1, ignoredBy: { 'ip-fragment': 2 } });
  });

  it('an incomplete fragment set is counted as an anomaly per fragment at the end', () => {
    const frags = w.fragmentIpv4(v4(INVITE + 'z'.repeat(2000)), 800, 7);
    const r = decode(pcap([w.ethernet(frags[0]!), w.ethernet(frags[2]!), w.ethernet(v4(OK))]));
    expect(r.acc).toMatchObject({ read: 3, used: 1, ignored: 0, malformed: 2, anomalies: { 'ip-fragment-incomplete': 2 } });
  });

  it('an incomplete fragment set times out after 30 s of capture time', () => {
    const frags = w.fragmentIpv4(v4(INVITE + 'z'.repeat(2000)), 800, 8);
    const bytes = w.writePcap([
      { ts: T0, data: w.ethernet(frags[0]!) },
      { ts: T0 + 31_000, data: w.ethernet(w.fragmentIpv4(v4(OK + 'y'.repeat(100)), 64, 9)[0]!) },
    ]);
    const acc = newAccounting('t', 'unknown', 'packet');
    const d = createCaptureDecoder('t', new RecordingHandler(), acc);
    d.push(bytes);
    expect(acc.anomalies['ip-fragment-incomplete']).toBe(1);
    expect(acc.ignoredBy['ip-fragment']).toBe(1);
    expect(acc.read).toBe(acc.used + acc.ignored + acc.malformed);
    d.end();
    expect(acc.anomalies['ip-fragment-incomplete']).toBe(2);
  });

  it('snaplen-cut, bad lengths and bad headers are named anomalies and the run goes on', () => {
    const full = w.ethernet(v4(INVITE));
    const frames: w.CapturedPacket[] = [
      { ts: T0, data: full.subarray(0, 60), origLen: full.length }, // cut by the snap length
      { ts: T0, data: w.ethernet(w.ipv4({ src: '1.1.1.1', dst: '2.2.2.2', proto: 17, payload: w.udp({ sport: 1, dport: 2, payload: 'abc', length: 400 }) })) },
      { ts: T0, data: w.ethernet(w.ipv4({ src: '1.1.1.1', dst: '2.2.2.2', proto: 17, payload: w.udp({ sport: 1, dport: 2, payload: 'abc' }), totalLength: 900 })) },
      { ts: T0, data: w.ethernet(Uint8Array.of(0x45, 0, 0, 20)) },
      { ts: T0, data: w.ethernet(v4(OK)) },
    ];
    const r = decode(w.writePcap(frames));
    expect(r.seen.map((s) => s.text)).toEqual([OK]);
    expect(r.acc).toMatchObject({
      read: 5, used: 1, malformed: 4,
      anomalies: { 'snaplen-cut': 1, 'bad-udp-length': 1, 'bad-ip-length': 1, 'bad-ip-header': 1 },
    });
    expect(r.acc.samples.map((s) => s.position.packet)).toEqual([1, 2, 3, 4]);
  });

  it('a snap length that cuts only Ethernet padding is not an anomaly', () => {
    const f = w.ethernet(v4(OK));
    const padded = new Uint8Array(f.length + 8);
    padded.set(f);
    const r = decode(w.writePcap([{ ts: T0, data: padded.subarray(0, f.length + 2), origLen: padded.length }]));
    expect(r.acc).toMatchObject({ used: 1, malformed: 0 });
    expect(r.seen[0]!.text).toBe(OK);
  });

  it('RTP and other UDP are ignored by the handler verdict; ICMP is not UDP/TCP', () => {
    const rtp = new Uint8Array(172);
    rtp[0] = 0x80;
    const r = decode(pcap([
      w.ethernet(v4(rtp as unknown as string, 20000, 30000)),
      w.ethernet(v4('hello', 1, 2)),
      w.ethernet(w.ipv4({ src: '1.1.1.1', dst: '2.2.2.2', proto: 1, payload: new Uint8Array(8) })),
    ]));
    expect(r.acc).toMatchObject({ read: 3, used: 0, ignoredBy: { rtp: 1, 'not-sip': 1, 'not-udp-tcp': 1 } });
  });

  it("a 'malformed' verdict is counted under the handler's anomaly name", () => {
    const handler: PayloadHandler = {
      onPayload(p: TransportPayload): PayloadVerdict {
        p.anomaly = 'sip-bad-start-line';
        p.anomalyDetail = 'no method';
        return 'malformed';
      },
    };
    const acc = newAccounting('t', 'unknown', 'packet');
    feed(createCaptureDecoder('t', handler, acc), pcap([w.ethernet(v4()), w.ethernet(v4())]));
    expect(acc).toMatchObject({ read: 2, malformed: 2, anomalies: { 'sip-bad-start-line': 2 } });
    expect(acc.samples[0]).toMatchObject({ detail: 'no method', position: { packet: 1 } });
  });
});

describe('tunnels', () => {
  it('IP-in-IP (4 and 41) and IPv6-in-IPv4', () => {
    const r = decode(pcap([
      w.ethernet(w.ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 4, payload: v4() })),
      w.ethernet(w.ipv6({ src: 'fd00::1', dst: 'fd00::2', nextHeader: 41, payload: v6() })),
      w.ethernet(w.ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 41, payload: v6() })),
    ]));
    expect(r.seen.map((s) => [s.src, s.tunneled])).toEqual([['192.0.2.1', true], ['2001:db8::1', true], ['2001:db8::1', true]]);
    expect(r.acc.used).toBe(3);
  });

  it('GRE with IPv4, key+sequence, PPP and transparent Ethernet', () => {
    const outer = (payload: Uint8Array) => w.ethernet(w.ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 47, payload }), { vlans: [5] });
    const r = decode(pcap([
      outer(w.gre(v4())),
      outer(w.gre(v6(), { key: 1234, seq: 9, checksum: true })),
      outer(w.gre(w.ppp(v4()), { proto: 0x880b })),
      outer(w.gre(w.ethernet(v4(OK), { vlans: [3] }), { proto: 0x6558 })),
    ]));
    expect(r.seen.map((s) => s.text)).toEqual([INVITE, OK, INVITE, OK]);
    expect(r.seen.every((s) => s.tunneled && s.srcPort !== 0)).toBe(true);
    expect(r.acc.used).toBe(4);
  });

  it('VXLAN on port 4789 (cloud traffic mirroring)', () => {
    const r = decode(pcap([w.ethernet(w.udpPacket({ src: '10.0.0.1', dst: '10.0.0.2', sport: 51000, dport: 4789, payload: w.vxlan(w.ethernet(v4(), { vlans: [9] }), 77) }))]));
    expect(r.seen[0]).toMatchObject({ src: '192.0.2.1', dst: '192.0.2.2', text: INVITE, tunneled: true });
    expect(r.acc.used).toBe(1);
  });

  it('HEP3 (plain and gzip-compressed payload, IPv4 and IPv6) and HEP2/HEP1 carry the original addresses and time', () => {
    const hepTs = T0 - 5000 + 0.123;
    const carry = (hep: Uint8Array) => w.ethernet(w.udpPacket({ src: '10.1.1.1', dst: '10.1.1.2', sport: 40000, dport: 9060, payload: hep }));
    const base = { src: '198.51.100.7', dst: '203.0.113.9', sport: 5070, dport: 5080, ts: hepTs };
    const r = decode(pcap([
      carry(w.hep3({ ...base, payload: INVITE })),
      carry(w.hep3({ ...base, payload: OK, compress: true })),
      carry(w.hep3({ ...base, src: '2001:db8::7', dst: '2001:db8::9', payload: OK, proto: 6 })),
      carry(w.hep2({ ...base, payload: INVITE })),
      carry(w.hep2({ ...base, payload: OK }, 1)),
      carry(w.hep3({ ...base, payload: 'log line', payloadType: 100 })),
    ]));
    expect(r.seen).toHaveLength(5);
    for (const s of r.seen.slice(0, 4)) expect(s.ts).toBeCloseTo(hepTs, 6);
    expect(r.seen[4]!.ts).toBe(T0 + 4000); // HEP1 has no time: the packet's
    expect(r.seen[0]).toMatchObject({ src: '198.51.100.7', dst: '203.0.113.9', srcPort: 5070, dstPort: 5080, text: INVITE, tunneled: true, proto: 'udp' });
    expect(r.seen[1]).toMatchObject({ text: OK, tunneled: true });
    expect(r.seen[2]).toMatchObject({ ipVersion: 6, src: '2001:db8::7', proto: 'tcp', text: OK });
    expect(r.seen[3]).toMatchObject({ src: '198.51.100.7', srcPort: 5070, text: INVITE });
    expect(r.acc).toMatchObject({ read: 6, used: 5, ignoredBy: { 'hep-not-sip': 1 } });
  });

  it('a broken HEP3 packet is an anomaly', () => {
    const hep = w.hep3({ src: '1.1.1.1', dst: '2.2.2.2', sport: 1, dport: 2, ts: T0, payload: INVITE });
    hep[5] = 0xff; // total length beyond the datagram
    const r = decode(pcap([w.ethernet(w.udpPacket({ src: '10.1.1.1', dst: '10.1.1.2', sport: 1, dport: 9060, payload: hep }))]));
    expect(r.acc).toMatchObject({ malformed: 1, anomalies: { 'bad-hep': 1 } });
  });
});

describe('TCP', () => {
  const A = '192.0.2.10';
  const B = '192.0.2.20';
  const seg = (seq: number, payload: string, flags?: number, from = A) =>
    w.ethernet(w.tcpPacket({ src: from, dst: from === A ? B : A, sport: from === A ? 40000 : 5060, dport: from === A ? 5060 : 40000, seq, payload, flags }));

  it('handshake, out-of-order, retransmission, one message across segments, FIN', () => {
    const msg = INVITE + OK;
    const p1 = msg.slice(0, 30);
    const p2 = msg.slice(30, 70);
    const p3 = msg.slice(70);
    const isn = 0xfffffff0; // sequence numbers wrap inside the stream
    const s1 = (isn + 1) >>> 0;
    const s2 = (s1 + 30) >>> 0;
    const s3 = (s2 + 40) >>> 0;
    const frames = [
      seg(isn, '', w.TcpFlag.SYN), // 1 control
      seg(9000, '', w.TcpFlag.SYN | w.TcpFlag.ACK, B), // 2 control
      seg(s1, p1), // 3 in order
      seg(s3, p3), // 4 out of order: parked
      seg(s1, p1), // 5 retransmission
      seg(s2, p2), // 6 fills the gap: delivers p2 then p3
      seg(s2, p2), // 7 retransmission
      seg((s3 + p3.length) >>> 0, '', w.TcpFlag.FIN | w.TcpFlag.ACK), // 8 control, ends the flow
    ];
    const r = decode(pcap(frames));
    expect(r.seen.map((s) => s.text).join('')).toBe(msg);
    expect(r.seen.map((s) => s.text)).toEqual([p1, p2, p3]);
    expect(r.seen.map((s) => s.packet)).toEqual([3, 6, 6]);
    const key = `${A}:40000>${B}:5060`;
    expect(r.seen.every((s) => s.proto === 'tcp' && s.flowKey === key)).toBe(true);
    expect(r.ended).toEqual([key]);
    expect(r.acc).toMatchObject({ read: 8, used: 3, ignored: 5, ignoredBy: { 'tcp-control': 3, 'tcp-retransmission': 2 }, malformed: 0 });
  });

  it('a partial overlap delivers only the new bytes', () => {
    const r = decode(pcap([seg(100, 'SIP/2.0 200 OK\r\n'), seg(108, '200 OK\r\nCall-ID: x\r\n')]));
    expect(r.seen.map((s) => s.text)).toEqual(['SIP/2.0 200 OK\r\n', 'Call-ID: x\r\n']);
    expect(r.acc.used).toBe(2);
  });

  it('a gap that never fills is skipped at the end: the flow is ended before the bytes after it', () => {
    const r = decode(pcap([seg(1, INVITE), seg(1000, OK)]));
    const key = `${A}:40000>${B}:5060`;
    expect(r.seen.map((s) => s.text)).toEqual([INVITE, OK]);
    expect(r.ended).toEqual([key, key]);
    expect(r.acc).toMatchObject({ read: 2, used: 2, ignored: 0 });
  });

  it('RST ends both directions; each direction is its own flow', () => {
    const r = decode(pcap([seg(1, INVITE), seg(500, OK, undefined, B), seg(1 + INVITE.length, '', w.TcpFlag.RST)]));
    expect(r.ended.sort()).toEqual([`${A}:40000>${B}:5060`, `${B}:5060>${A}:40000`].sort());
    expect(r.acc).toMatchObject({ used: 2, ignoredBy: { 'tcp-control': 1 } });
  });
});

describe('payload bytes without a view', () => {
  it('buf[start, end) is the payload for UDP, TCP and HEP; data is that view, made once per payload', () => {
    const rtp = new Uint8Array(172);
    rtp[0] = 0x80;
    rtp[171] = 0x5a;
    const hepBase = { ts: T0, src: '198.51.100.1', dst: '198.51.100.2', sport: 5060, dport: 5080 };
    const frames = [
      w.ethernet(v4()),
      w.ethernet(w.udpPacket({ src: '192.0.2.1', dst: '192.0.2.2', sport: 20000, dport: 30000, payload: rtp })),
      w.ethernet(w.tcpPacket({ src: '192.0.2.1', dst: '192.0.2.2', sport: 40000, dport: 5060, seq: 1, payload: OK, flags: w.TcpFlag.ACK })),
      w.ethernet(w.udpPacket({ src: '192.0.2.1', dst: '192.0.2.9', sport: 9060, dport: 9060, payload: w.hep3({ ...hepBase, payload: INVITE, compress: true }) })),
    ];
    const got: { fromBuf: string; data: string; sameView: boolean; proto: string }[] = [];
    const handler: PayloadHandler = {
      onPayload(p: TransportPayload): PayloadVerdict {
        const fromBuf = Buffer.from(p.buf.subarray(p.start, p.end)).toString('latin1');
        const view = p.data;
        got.push({ fromBuf, data: Buffer.from(view).toString('latin1'), sameView: p.data === view, proto: p.proto });
        return 'other';
      },
    };
    const acc = newAccounting('t.pcap', 'unknown', 'packet');
    feed(createCaptureDecoder('t.pcap', handler, acc), pcap(frames));
    expect(got.map((g) => g.fromBuf)).toEqual([INVITE, Buffer.from(rtp).toString('latin1'), OK, INVITE]);
    expect(got.map((g) => g.data)).toEqual(got.map((g) => g.fromBuf));
    expect(got.map((g) => g.proto)).toEqual(['udp', 'udp', 'tcp', 'udp']);
    expect(got.every((g) => g.sameView)).toBe(true);
  });
});

describe('pcapng time stamps past 2^53 units', () => {
  it('a nanosecond pcapng gives each packet the time a nanosecond pcap gives it', () => {
    // today's dates in nanoseconds pass 2^53: a double cannot hold the count whole
    const nanos = [1_709_629_200_123_456_789n, 1_709_629_200_999_999_999n, 1_709_629_201_000_000_001n, 4_102_444_799_999_999_999n];
    for (let i = 1n; i <= 300n; i++) nanos.push(1_733_000_000_000_000_000n + i * 1_234_567_891n);
    const le32 = (n: bigint): number[] => [Number(n & 0xffn), Number((n >> 8n) & 0xffn), Number((n >> 16n) & 0xffn), Number((n >> 24n) & 0xffn)];
    const pkt = w.ethernet(v4());
    const pad = (n: number): number => (4 - (n % 4)) % 4;
    const blocks: number[] = [];
    const put = (type: number, body: number[]): void => {
      const len = 12 + body.length;
      blocks.push(...le32(BigInt(type)), ...le32(BigInt(len)), ...body, ...le32(BigInt(len)));
    };
    put(0x0a0d0d0a, [0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    // interface: Ethernet, if_tsresol 9 (option 9, length 1), end of options
    put(1, [1, 0, 0, 0, 0, 0, 0, 0, 9, 0, 1, 0, 9, 0, 0, 0, 0, 0, 0, 0]);
    for (const ns of nanos) {
      const data = [...pkt, ...new Array<number>(pad(pkt.length)).fill(0)];
      put(6, [0, 0, 0, 0, ...le32(ns >> 32n), ...le32(ns & 0xffffffffn), ...le32(BigInt(pkt.length)), ...le32(BigInt(pkt.length)), ...data]);
    }
    const ng = decode(Uint8Array.from(blocks));
    const want = nanos.map((ns) => Number(ns / 1_000_000_000n) * 1000 + Number(ns % 1_000_000_000n) / 1e6);
    expect(ng.seen.map((s) => s.ts)).toEqual(want);
    // and the nanosecond pcap reader gives the very same numbers (milliseconds in a double: 244 ns apart at these dates)
    const pcap: number[] = [0x4d, 0x3c, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 1, 0, 0, 0];
    for (const ns of nanos) pcap.push(...le32(ns / 1_000_000_000n), ...le32(ns % 1_000_000_000n), ...le32(BigInt(pkt.length)), ...le32(BigInt(pkt.length)), ...pkt);
    expect(decode(Uint8Array.from(pcap)).seen.map((s) => s.ts)).toEqual(want);
  });
});
