import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  alphaBeta,
  edgeCases,
  groundTruth,
  randomScenario,
  renderToBuffer,
  sampleScenario,
  sampleSpecs,
  writeAsteriskLog,
  writeCapture,
  writeCarrierCsv,
  writeMasterCsv,
  callMessages,
  Prng,
} from '../../src/gen/index.js';
import { writeFixtures } from '../../src/gen/cli.js';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Minimal pcap reader for the tests: record count, link type and the UDP/TCP payload of each packet. */
function readPcap(b: Buffer): { linkType: number; packets: number; nanosecond: boolean } {
  const magic = b.readUInt32LE(0);
  expect([0xa1b2c3d4, 0xa1b23c4d]).toContain(magic);
  let off = 24;
  let packets = 0;
  let lastTs = -1;
  while (off < b.length) {
    const ts = b.readUInt32LE(off) * 1e6 + b.readUInt32LE(off + 4) / (magic === 0xa1b23c4d ? 1000 : 1);
    expect(ts).toBeGreaterThanOrEqual(lastTs);
    lastTs = ts;
    const incl = b.readUInt32LE(off + 8);
    expect(b.readUInt32LE(off + 12)).toBe(incl);
    off += 16 + incl;
    packets++;
  }
  expect(off).toBe(b.length);
  return { linkType: b.readUInt32LE(20), packets, nanosecond: magic === 0xa1b23c4d };
}

function readPcapng(b: Buffer): { linkType: number; packets: number } {
  let off = 0;
  let packets = 0;
  let linkType = -1;
  while (off < b.length) {
    const type = b.readUInt32LE(off);
    const len = b.readUInt32LE(off + 4);
    expect(len % 4).toBe(0);
    expect(b.readUInt32LE(off + len - 4)).toBe(len);
    if (type === 1) linkType = b.readUInt16LE(off + 8);
    if (type === 6) packets++;
    off += len;
  }
  expect(off).toBe(b.length);
  return { linkType, packets };
}

describe('generator determinism', () => {
  it('the same seed gives the same bytes in every writer, another seed different bytes', () => {
    const spec = { ...sampleSpecs()[1]!, calls: 120, seed: 7 };
    const render = (seed: number): string[] => {
      const s = randomScenario('t', { ...spec, seed, tcpShare: 0.1, bigInviteShare: 0.1, rtpShare: 0.5 });
      return [
        sha(renderToBuffer((o) => writeCapture(s, o, { rtpMaxSec: 1 }))),
        sha(renderToBuffer((o) => writeCapture(s, o, { container: 'pcapng', link: 'sll2', rtp: false }))),
        sha(renderToBuffer((o) => writeAsteriskLog(s, o))),
        sha(renderToBuffer((o) => writeMasterCsv(s, o))),
        sha(renderToBuffer((o) => writeCarrierCsv(s, o))),
      ];
    };
    const a = render(7);
    expect(render(7)).toEqual(a);
    const b = render(8);
    for (let i = 0; i < a.length; i++) expect(b[i]).not.toBe(a[i]);
  });

  it('iterating a scenario twice gives the same calls', () => {
    const s = randomScenario("t", { ...sampleSpecs()[1]!, calls: 50 });
    expect(JSON.stringify([...s.calls()])).toBe(JSON.stringify([...s.calls()]));
  });

  it('the PRNG is mulberry32 (fixed first values for seed 1)', () => {
    const r = new Prng(1);
    const first = [r.next(), r.next(), r.next()];
    expect(first.map((x) => x.toFixed(8))).toEqual(['0.62707394', '0.00273572', '0.52744704']);
  });
});

describe('ground truth', () => {
  it('alpha/beta: alpha 3 attempts (2 answered 30 s + 45 s, 1 busy), beta 2 attempts (480, 503)', () => {
    const t = groundTruth(alphaBeta());
    expect(t.routes.alpha).toEqual({ route: 'alpha', attempts: 3, answered: 2, codes: { '200': 2, '486': 1 }, billsecSum: 75 });
    expect(t.routes.beta).toEqual({ route: 'beta', attempts: 2, answered: 0, codes: { '480': 1, '503': 1 }, billsecSum: 0 });
    expect(t.totals.attempts).toBe(5);
    const d = groundTruth(alphaBeta(), 'disposition');
    expect(d.routes.alpha!.codes).toEqual({ ANSWERED: 2, BUSY: 1 });
    expect(d.routes.beta!.codes).toEqual({ 'NO ANSWER': 1, CONGESTION: 1 });
  });

  it('the sample has a 486 spike on vendor-b between 12:00 and 13:00 and a false-answer route', () => {
    const calls = [...sampleScenario().calls()];
    const spikeFrom = Date.UTC(2024, 2, 5, 12);
    const inWindow = calls.filter((c) => c.route === 'vendor-b' && c.start >= spikeFrom && c.start < spikeFrom + 3_600_000);
    const outWindow = calls.filter((c) => c.route === 'vendor-b' && (c.start < spikeFrom || c.start >= spikeFrom + 3_600_000));
    const share = (l: typeof calls): number => l.filter((c) => c.finalCode === 486).length / l.length;
    expect(inWindow.length).toBeGreaterThanOrEqual(15);
    expect(share(inWindow)).toBeGreaterThan(0.5);
    expect(share(outWindow)).toBeLessThan(0.25);
    const fas = calls.filter((c) => c.route === 'vendor-fas' && c.finalCode === 200);
    expect(fas.length).toBeGreaterThan(20);
    for (const c of fas) {
      expect(c.ringAfter).toBeUndefined();
      expect([7000, 12000, 15000]).toContain(c.durationMs);
    }
  });
});

describe('SIP text', () => {
  it('every message has a Content-Length equal to its body, and CRLF line ends', () => {
    for (const s of [alphaBeta(), edgeCases(), alphaBeta({ bigInvite: true })]) {
      for (const c of s.calls()) {
        for (const e of callMessages(c)) {
          const b = Buffer.from(e.text);
          const sep = b.indexOf('\r\n\r\n');
          expect(sep).toBeGreaterThan(0);
          const m = /\r\nContent-Length: (\d+)\r\n/.exec(e.text);
          expect(m).not.toBeNull();
          expect(b.length - sep - 4).toBe(Number(m![1]));
          expect(e.text.replace(/\r\n/g, '')).not.toContain('\n');
        }
      }
    }
  });

  it('a challenged call sends two INVITEs on one Call-ID with CSeq 1 then 2', () => {
    const c = [...edgeCases().calls()].find((x) => x.challenge)!;
    const invites = callMessages(c).filter((e) => e.text.startsWith('INVITE '));
    expect(invites).toHaveLength(2);
    expect(invites[0]!.text).toContain('CSeq: 1 INVITE');
    expect(invites[1]!.text).toContain('CSeq: 2 INVITE');
    expect(invites[1]!.text).toContain('Authorization: Digest');
  });

  it('a retransmitted INVITE is byte-identical to the first', () => {
    const c = [...edgeCases().calls()].find((x) => x.retransmit)!;
    const invites = callMessages(c).filter((e) => e.text.startsWith('INVITE '));
    expect(invites).toHaveLength(2);
    expect(invites[1]!.text).toBe(invites[0]!.text);
    expect(invites[1]!.ts - invites[0]!.ts).toBe(500);
  });
});

describe('capture containers', () => {
  const ab = alphaBeta();
  it.each([
    ['ethernet', 1],
    ['vlan', 1],
    ['sll', 113],
    ['sll2', 276],
    ['raw', 101],
  ] as const)('pcap %s: link type %i, records well formed and in time order', (link, lt) => {
    const b = renderToBuffer((o) => writeCapture(ab, o, { link, rtp: false }));
    const r = readPcap(b);
    expect(r.linkType).toBe(lt);
    expect(r.packets).toBe(27);
  });

  it('pcapng: SHB, IDB, one EPB per packet, 4-byte aligned blocks', () => {
    const b = renderToBuffer((o) => writeCapture(ab, o, { container: 'pcapng', rtp: false }));
    expect(readPcapng(b)).toEqual({ linkType: 1, packets: 27 });
  });

  it('nanosecond timestamps are exact: each one is the microsecond capture\'s × 1000 (pcap and pcapng)', () => {
    // pcap: seconds and fraction per record; pcapng: the 64-bit count of each Enhanced Packet Block.
    const pcapTimes = (b: Buffer): bigint[] => {
      const out: bigint[] = [];
      const perSec = b.readUInt32LE(0) === 0xa1b23c4d ? 1_000_000_000n : 1_000_000n;
      for (let p = 24; p + 16 <= b.length; p += 16 + b.readUInt32LE(p + 8)) {
        out.push(BigInt(b.readUInt32LE(p)) * perSec + BigInt(b.readUInt32LE(p + 4)));
      }
      return out;
    };
    const pcapngTimes = (b: Buffer): bigint[] => {
      const out: bigint[] = [];
      for (let p = 0; p + 12 <= b.length; p += b.readUInt32LE(p + 4)) {
        if (b.readUInt32LE(p) === 6) out.push((BigInt(b.readUInt32LE(p + 12)) << 32n) | BigInt(b.readUInt32LE(p + 16)));
      }
      return out;
    };
    for (const [container, times] of [['pcap', pcapTimes], ['pcapng', pcapngTimes]] as const) {
      const us = times(renderToBuffer((o) => writeCapture(ab, o, { container, rtpMaxSec: 1 })));
      const ns = times(renderToBuffer((o) => writeCapture(ab, o, { container, rtpMaxSec: 1, nanosecond: true })));
      expect(ns.length, container).toBe(us.length);
      expect(ns, container).toEqual(us.map((t) => t * 1000n));
    }
  });

  it('fragmentation splits only the large INVITEs into IPv4 fragments', () => {
    let stats;
    renderToBuffer((o) => {
      stats = writeCapture(alphaBeta({ bigInvite: true }), o, { rtp: false });
    });
    expect(stats!.fragments).toBe(10);
    expect(stats!.sipMessages).toBe(27);
  });

  it('an MTU with room for less than 8 bytes of fragment data is refused (as by the test builders)', () => {
    expect(() => renderToBuffer((o) => writeCapture(alphaBeta({ bigInvite: true }), o, { rtp: false, mtu: 27 }))).toThrow('fragment size below 8 bytes');
  });

  it('RTP: 50 packets per second per direction for answered calls only', () => {
    let stats;
    renderToBuffer((o) => {
      stats = writeCapture(ab, o, { rtpMaxSec: 2 });
    });
    expect(stats!.rtpPackets).toBe(2 * 2 * 100);
  });
});

describe('committed fixtures', () => {
  it('are what the generator writes today (regenerate: npm run build && node dist/gen/cli.js fixtures)', () => {
    const root = mkdtempSync(join(tmpdir(), 'sipscope-gen-'));
    try {
      const written = writeFixtures(root);
      for (const w of written) {
        const sub = readdirSync(join(root, 'fixtures', 'gen')).includes(w.file) ? 'gen' : 'sample';
        const fresh = readFileSync(join(root, 'fixtures', sub, w.file));
        const committed = readFileSync(new URL(`../../fixtures/${sub}/${w.file}`, import.meta.url));
        const unz = (b: Buffer): Buffer => (w.file.endsWith('.gz') ? gunzipSync(b) : b);
        expect(sha(unz(committed)), w.file).toBe(sha(unz(fresh)));
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
