/**
 * Captures recorded from real SIP stacks (kamailio, baresip, sipsak on loopback; see
 * fixtures/recorded/README.md): exact attempts, answers and codes per route, and wire counts equal to
 * tshark's `-z sip,stat`, whole and in 1-byte and odd-size chunks.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCaptureSource } from '../../src/sip/capture-source.js';
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
};

describe('recorded captures (kamailio, baresip, sipsak on loopback)', () => {
  for (const name of ['loopback-udp.pcap', 'loopback-tcp.pcap', 'any-sll2.pcap', 'proxy-both-legs.pcap', 'sipsak.pcap']) {
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
});
