/**
 * Captures recorded from real SIP stacks (kamailio, baresip, sipsak on loopback; see
 * fixtures/recorded/README.md): exact attempts, answers and codes per route, and wire counts equal to
 * tshark's `-z sip,stat`, whole and in 1-byte and odd-size chunks.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../src/analysis/result.js';
import { inputLines } from '../../src/cli/input-lines.js';
import { main, type CliIo } from '../../src/cli/main.js';
import { inputsLine } from '../../src/report/format.js';
import { ReusedPayload } from '../../src/net/payload.js';
import { createCaptureSource, SipPayloadHandler, startsTlsRecord } from '../../src/sip/capture-source.js';
import { createSipFeed } from '../../src/sip/feed.js';
import { newAccounting } from '../../src/types.js';
import { CallFlag, type CallRecord, type SipMessage } from '../../src/types.js';

const dir = new URL('../../fixtures/recorded/', import.meta.url);

function run(name: string, chunk: number | 'odd'): { records: CallRecord[]; responses: Record<string, number>; requests: Record<string, number>; acc: ReturnType<typeof createCaptureSource>['accounting'] } {
  const data = readFileSync(new URL(name, dir));
  const records: CallRecord[] = [];
  const responses: Record<string, number> = {};
  const requests: Record<string, number> = {};
  const src = createCaptureSource(name, {
    record: (r) => records.push(r),
    message: (m: SipMessage) => {
      if (m.isRequest) requests[m.method!] = (requests[m.method!] ?? 0) + 1;
      else responses[String(m.status)] = (responses[String(m.status)] ?? 0) + 1;
    },
  }, {});
  const sizes = chunk === 'odd' ? [1, 5, 11, 97, 1500, 3] : [chunk];
  for (let off = 0, i = 0; off < data.length; i++) {
    const n = sizes[i % sizes.length]!;
    src.push(data.subarray(off, off + n));
    off += n;
  }
  src.end();
  return { records, responses, requests, acc: src.accounting };
}

/** Parses tshark's `-z sip,stat` text: status code → packets, method → packets. */
function tsharkStat(name: string): { responses: Record<string, number>; requests: Record<string, number> } {
  const text = readFileSync(new URL(`${name}.sip_stat.txt`, dir), 'utf8');
  const responses: Record<string, number> = {};
  const requests: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const r = /^\s+SIP (\d{3}) .*:\s+(\d+) Packets/.exec(line);
    if (r) responses[r[1]!] = Number(r[2]);
    const q = /^\s+([A-Z]+)\s+:\s+(\d+) Packets/.exec(line);
    if (q) requests[q[1]!] = Number(q[2]);
  }
  return { responses, requests };
}

function perRoute(records: CallRecord[]): Record<string, { attempts: number; answered: number; codes: Record<string, number> }> {
  const out: Record<string, { attempts: number; answered: number; codes: Record<string, number> }> = {};
  for (const r of records) {
    const t = (out[r.route] ??= { attempts: 0, answered: 0, codes: {} });
    t.attempts++;
    if (r.answer !== undefined) t.answered++;
    const k = String(r.finalCode ?? 'none');
    t.codes[k] = (t.codes[k] ?? 0) + 1;
  }
  return out;
}

const EXPECTED: Record<string, ReturnType<typeof perRoute>> = {
  'loopback-udp.pcap': { '127.0.0.1': { attempts: 7, answered: 2, codes: { '200': 2, '404': 1, '480': 1, '486': 1, '487': 1, '503': 1 } } },
  'loopback-tcp.pcap': { '127.0.0.1': { attempts: 2, answered: 1, codes: { '200': 1, '486': 1 } } },
  'any-sll2.pcap': { '127.0.0.1': { attempts: 2, answered: 1, codes: { '200': 1, '503': 1 } } },
  'sipsak.pcap': { '127.0.0.1': { attempts: 1, answered: 0, codes: { '486': 1 } } },
  'sip-tls.pcap': {},
  'sip-ws.pcap': { '127.0.0.1': { attempts: 3, answered: 0, codes: { '404': 1, '486': 1, '503': 1 } } },
};

describe('recorded captures (kamailio, baresip, sipsak on loopback)', () => {
  for (const name of ['loopback-udp.pcap', 'loopback-tcp.pcap', 'any-sll2.pcap', 'proxy-both-legs.pcap', 'sipsak.pcap', 'sip-tls.pcap', 'sip-ws.pcap']) {
    for (const chunk of [1 << 20, 'odd'] as const) {
      it(`${name}: wire counts equal tshark's (chunks: ${chunk})`, () => {
        const r = run(name, chunk);
        const t = tsharkStat(name);
        expect(r.responses).toEqual(t.responses);
        expect(r.requests).toEqual(t.requests);
        expect(r.acc.read).toBe(r.acc.used + r.acc.ignored + r.acc.malformed);
        expect(r.acc.malformed).toBe(0);
      });
      const want = EXPECTED[name];
      if (want) {
        it(`${name}: attempts, answers and codes per route (chunks: ${chunk})`, () => {
          expect(perRoute(run(name, chunk).records)).toEqual(want);
        });
      }
    }
  }

  it('loopback-udp.pcap: the 407-challenged call is one answered attempt flagged AuthChallenged; the CANCEL gives 487', () => {
    const { records } = run('loopback-udp.pcap', 1 << 20);
    const challenged = records.filter((r) => r.flags & CallFlag.AuthChallenged);
    expect(challenged).toHaveLength(1);
    expect(challenged[0]!.finalCode).toBe(200);
    const cancelled = records.filter((r) => r.finalCode === 487);
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]!.flags & CallFlag.Cancelled).toBeTruthy();
    for (const r of records.filter((x) => x.answer !== undefined)) {
      expect(r.disconnectedBy).toBe('caller');
      expect(r.duration).toBeGreaterThan(2000);
    }
  });

  // openssl s_client → s_server on 127.0.0.1:5061 (scripts/record/record-tls.sh): a TLS 1.3 handshake and the
  // records of an OPTIONS and its 200 OK. `tshark -r sip-tls.pcap -Y 'tcp.len>0'` lists 9 segments with data;
  // the other 11 are handshakes, acknowledgements and FINs.
  for (const chunk of [1 << 20, 'odd'] as const) {
    it(`sip-tls.pcap: every TCP segment with data is counted as TLS, and a note says why no call is read (chunks: ${chunk})`, () => {
      const { records, acc } = run('sip-tls.pcap', chunk);
      expect(records).toHaveLength(0);
      expect(acc.read).toBe(20);
      expect(acc.ignoredBy).toEqual({ 'sip-tls': 9, 'tcp-control': 11 });
      expect(acc.notes.join('\n')).toMatch(/^9 TCP segments carried TLS on port 5061 \(SIP over TLS\)/m);
    });
  }

  // kamailio's websocket module on 127.0.0.1:8080 and scripts/record/ws-client.mjs (scripts/record/record-ws.sh):
  // the HTTP Upgrade and its 101, three INVITEs (the first in two fragments with the client's masks) answered
  // 486, 503 and 404 and ACKed, an OPTIONS and its 200, a ping, its pong, and both closes. tshark
  // (`-Y 'tcp.len>0'`) lists 18 segments with data; the other 18 are handshakes, acknowledgements and FINs.
  for (const chunk of [1 << 20, 'odd'] as const) {
    it(`sip-ws.pcap: the messages inside the WebSocket frames are read, as transport ws (chunks: ${chunk})`, () => {
      const data = readFileSync(new URL('sip-ws.pcap', dir));
      const transports = new Set<string>();
      const src = createCaptureSource('sip-ws.pcap', { record() {}, message: (m: SipMessage) => void transports.add(m.transport) }, {});
      for (let off = 0, i = 0, sizes = chunk === 'odd' ? [1, 5, 11, 97, 1500, 3] : [chunk]; off < data.length; i++) {
        src.push(data.subarray(off, off + sizes[i % sizes.length]!));
        off += sizes[i % sizes.length]!;
      }
      src.end();
      const acc = src.accounting;
      expect([...transports]).toEqual(['ws']);
      expect([acc.read, acc.used, acc.malformed]).toEqual([36, 16, 0]);
      expect(acc.ignoredBy).toEqual({ 'tcp-control': 18, 'ws-handshake': 2 });
      expect(acc.warnings ?? {}).toEqual({});
    });
  }

  it('sip-ws.pcap begun after its handshake (its first 7 packets cut): the same messages, from the frames alone', () => {
    const d = readFileSync(new URL('sip-ws.pcap', dir));
    const parts = [d.subarray(0, 24)];
    for (let o = 24, i = 0; o + 16 <= d.length; i++) {
      const next = o + 16 + d.readUInt32LE(o + 8);
      if (i >= 7) parts.push(d.subarray(o, next));
      o = next;
    }
    const requests: Record<string, number> = {};
    const responses: Record<string, number> = {};
    const src = createCaptureSource('sip-ws-mid.pcap', {
      record() {},
      message: (m: SipMessage) => {
        if (m.isRequest) requests[m.method!] = (requests[m.method!] ?? 0) + 1;
        else responses[String(m.status)] = (responses[String(m.status)] ?? 0) + 1;
      },
    }, {});
    src.push(Buffer.concat(parts));
    src.end();
    const whole = tsharkStat('sip-ws.pcap');
    expect(requests).toEqual(whole.requests);
    expect(responses).toEqual(whole.responses);
    expect([src.accounting.read, src.accounting.used]).toEqual([29, 16]);
    expect(src.accounting.ignoredBy).toEqual({ 'tcp-control': 13 });
  });

  it('sip-tls.pcap: every command says on stderr why no SIP was read, and still exits 0', async () => {
    const file = new URL('sip-tls.pcap', dir).pathname;
    for (const args of [['analyze', file], ['calls', file], ['scanners', file]]) {
      let err = '';
      const io: CliIo = { stdout: () => {}, stderr: (t) => void (err += t), isTTY: false, stderrIsTTY: false };
      expect(await main(['node', 'sipscope', ...args], io), args[0]).toBe(0);
      expect(err).toBe(`sipscope: ${file}: 9 TCP segments of SIP over TLS (port 5061) not read: capture where TLS ends, or use HEP\n`);
    }
  });

  it('the same TLS moved to port 443 is `tls`: no warning, a note only because no SIP was read', async () => {
    // sip-tls.pcap with port 5061 rewritten to 443 in every TCP header (pcap, Ethernet, IPv4).
    const d = Buffer.from(readFileSync(new URL('sip-tls.pcap', dir)));
    for (let o = 24; o + 16 <= d.length; ) {
      const caplen = d.readUInt32LE(o + 8);
      const ip = o + 16 + 14;
      const tcp = ip + (d[ip]! & 0x0f) * 4;
      for (const at of [tcp, tcp + 2]) if (d.readUInt16BE(at) === 5061) d.writeUInt16BE(443, at);
      o += 16 + caplen;
    }
    const src = createCaptureSource('https.pcap', { record() {} }, {});
    src.push(d);
    src.end();
    expect(src.accounting.ignoredBy).toEqual({ tls: 9, 'tcp-control': 11 });
    expect(src.accounting.notes).toEqual(['no SIP was read, and 9 TCP segments carried TLS on other ports than 5061: if the SIP went over TLS on another port, it could not be read']);
    expect(inputLines([src.accounting])).toEqual([]);
    expect(inputsLine({ inputs: [src.accounting] } as unknown as AnalysisResult)).not.toContain('TLS');
  });

  it('sip-tls.pcap: the report line on the inputs names the TLS segments', () => {
    const { acc } = run('sip-tls.pcap', 1 << 20);
    const line = inputsLine({ inputs: [acc] } as unknown as AnalysisResult);
    expect(line).toContain('; 9 TCP segments of SIP over TLS (encrypted');
    const clear = run('loopback-tcp.pcap', 1 << 20).acc;
    expect(inputsLine({ inputs: [clear] } as unknown as AnalysisResult)).not.toContain('TLS');
  });
});

describe('TLS streams in the SIP handler', () => {
  const rec = (...b: number[]) => Uint8Array.from(b);
  /** A SIP handler fed TCP data of a flow (to `port`), and its flow-end call. */
  function handler(): { feed: (flow: string, data: Uint8Array, port?: number) => string; end: (flow: string) => void } {
    const acc = newAccounting('t', 'pcap', 'packet');
    const h = new SipPayloadHandler('t', createSipFeed({ record() {} }, {}, acc), acc);
    const p = new ReusedPayload(rec(127, 0, 0, 1), rec(127, 0, 0, 1), new Uint8Array(0));
    p.proto = 'tcp';
    const feed = (flow: string, data: Uint8Array, port = 5061): string => {
      p.flowKey = flow;
      p.srcPort = 40000;
      p.dstPort = port;
      p.whole(data);
      return h.onPayload(p);
    };
    return { feed, end: (flow) => h.onFlowEnd(flow) };
  }
  const middle = rec(0x5a, 0x11, 0x80, 0x02, 0x33, 0x07, 0x41);
  it('a flow that began with a TLS record stays TLS, also for segments that start inside a record, until it ends', () => {
    const { feed, end } = handler();
    expect(feed('f1', rec(22, 3, 1, 0, 4, 1, 0, 0, 0))).toBe('sip-tls');
    expect(feed('f1', middle)).toBe('sip-tls');
    expect(feed('f2', middle)).toBe('other');
    end('f1');
    expect(feed('f1', middle)).toBe('other');
  });
  it('TLS on other ports than 5061 (HTTPS and the like) is `tls`, not SIP over TLS', () => {
    const { feed } = handler();
    expect(feed('f1', rec(22, 3, 1, 0, 4, 1, 0, 0, 0), 443)).toBe('tls');
    expect(feed('f1', middle, 443)).toBe('tls');
  });
});

describe('startsTlsRecord', () => {
  const rec = (...b: number[]) => Uint8Array.from(b);
  it('knows the four record types of TLS 1.0–1.3 with a record length', () => {
    for (const type of [20, 21, 22, 23]) expect(startsTlsRecord(rec(type, 3, 3, 0, 40))).toBe(true);
    expect(startsTlsRecord(rec(22, 3, 1, 0x01, 0x2c, 1))).toBe(true); // ClientHello, legacy version 3.1
    expect(startsTlsRecord(rec(23, 3, 3, 0x48, 0x00))).toBe(true); // 2^14 + 2048, the most a record may carry
  });
  it('refuses what is no record header: SIP, RTP, other versions, lengths out of range, too few bytes', () => {
    expect(startsTlsRecord(new TextEncoder().encode('OPTIONS sip:a SIP/2.0\r\n'))).toBe(false);
    expect(startsTlsRecord(rec(0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1))).toBe(false);
    expect(startsTlsRecord(rec(24, 3, 3, 0, 40))).toBe(false);
    expect(startsTlsRecord(rec(22, 3, 5, 0, 40))).toBe(false);
    expect(startsTlsRecord(rec(22, 2, 0, 0, 40))).toBe(false);
    expect(startsTlsRecord(rec(23, 3, 3, 0, 0))).toBe(false);
    expect(startsTlsRecord(rec(23, 3, 3, 0x48, 0x01))).toBe(false);
    expect(startsTlsRecord(rec(22, 3, 3, 0))).toBe(false);
  });
});
