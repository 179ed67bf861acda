/** The TCP flow table against crafted flow hashes: chains stay short, and flows are closed in creation order whatever the key. */
import { describe, expect, it } from 'vitest';
import { TcpReassembler, flowHash, newFlowKey, type TcpFlow, type TcpSink } from '../../src/net/tcp.js';

const FNV_PRIME = 0x01000193;

/** The unkeyed FNV flow hash used before, before its fold to 30 bits. */
function fnv(src: Uint8Array, dst: Uint8Array, sport: number, dport: number): number {
  let h = 0x811c9dc5 ^ sport ^ (dport << 16);
  for (const b of src) h = Math.imul(h ^ b, FNV_PRIME);
  for (const b of dst) h = Math.imul(h ^ b, FNV_PRIME);
  return h >>> 0;
}

/** Ports that give the flow src→dst the FNV hash `target` (FNV steps are invertible: xor, and an odd multiplier). */
function collidingPorts(src: Uint8Array, dst: Uint8Array, target: number): [number, number] {
  let inv = 1;
  for (let i = 0; i < 5; i++) inv = Math.imul(inv, 2 - Math.imul(FNV_PRIME, inv));
  const bytes = [...src, ...dst];
  let h = target;
  for (let i = bytes.length - 1; i >= 0; i--) h = Math.imul(h, inv) ^ bytes[i]!;
  const x = (h ^ 0x811c9dc5) >>> 0;
  return [x & 0xffff, x >>> 16];
}

/** A fixed key from a seed (murmur3's finaliser over a counter), for results that do not change between runs. */
function seededKey(seed: number): Int32Array {
  let s = seed;
  return Int32Array.from(newFlowKey(), () => {
    let z = (s = (s + 0x9e3779b9) | 0);
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return z ^ (z >>> 16);
  });
}

function recorder(log: string[]): TcpSink {
  return {
    tcpDeliver: (f: TcpFlow, d: Uint8Array) => (log.push(`${f.key} ${Buffer.from(d).toString()}`), 0),
    tcpCount: () => {},
    tcpCountAs: () => {},
    tcpIgnore: () => {},
    tcpFlowEnd: (f: TcpFlow) => void log.push(`end ${f.key}`),
  };
}

const DST = Uint8Array.of(192, 0, 2, 1);
const srcOf = (i: number): Uint8Array => Uint8Array.of(10, 1, i >> 8, i & 255);
const data = Buffer.from('x');

describe('TCP flow hash', () => {
  const n = 2000;
  const crafted = Array.from({ length: n }, (_, i) => {
    const src = srcOf(i);
    return { src, ports: collidingPorts(src, DST, 0x1234567) };
  });

  it('flows crafted to collide under the unkeyed hash spread over the buckets', () => {
    for (const { src, ports } of crafted) expect(fnv(src, DST, ...ports)).toBe(0x1234567);
    for (const seed of [1, 2, 3]) {
      const log: string[] = [];
      const r = new TcpReassembler(recorder(log), seededKey(seed));
      crafted.forEach(({ src, ports }, i) => r.segment(4, src, DST, ports[0], ports[1], 1, 0, data, 0, 1, i, 0));
      expect(r.flows).toBe(n);
      expect(r.longestChain).toBeLessThanOrEqual(4);
      expect(new Set(crafted.map(({ src, ports }) => flowHash(seededKey(seed), 4, src, DST, ...ports))).size).toBeGreaterThan(n - 50);
    }
  });

  it('keys are random', () => {
    expect(newFlowKey()).not.toEqual(newFlowKey());
  });

  it('flows sharing one chain are told apart, removed, and closed in creation order whatever the key', () => {
    const keyOf = (src: Uint8Array, dst: Uint8Array, sp: number, dp: number): string =>
      `${src.join('.')}:${sp}>${dst.join('.')}:${dp}`;
    const run = (key: Int32Array): { log: string[]; chain: number } => {
      const log: string[] = [];
      const r = new TcpReassembler(recorder(log), key);
      const seq = new Array<number>(20).fill(1);
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 20; i++) {
          const [sp, dp] = crafted[i]!.ports;
          const payload = Buffer.from(`${i}.${round}`);
          // Flow 3 ends with a FIN in round 1; flow 5 is reset by its peer, which had sent a segment too.
          const fin = i === 3 && round === 1 ? 1 : 0;
          r.segment(4, srcOf(i), DST, sp, dp, seq[i]!, fin, payload, 0, payload.length, 0, 0);
          seq[i] += payload.length;
          if (i === 5 && round === 1) {
            r.segment(4, DST, srcOf(i), dp, sp, 1, 0, data, 0, 1, 0, 0);
            r.segment(4, DST, srcOf(i), dp, sp, 2, 4, data, 0, 0, 0, 0);
          }
        }
      }
      const chain = r.longestChain;
      r.end();
      return { log, chain };
    };
    const zero = run(new Int32Array(newFlowKey().length)); // every flow hashes to 0: one chain
    expect(zero.chain).toBe(20);
    for (const line of zero.log.filter((l) => !l.startsWith('end ') && l.endsWith('.0'))) {
      const i = Number(line.split(' ')[1]!.split('.')[0]);
      expect(line).toBe(`${keyOf(srcOf(i), DST, ...crafted[i]!.ports)} ${i}.0`);
    }
    const flowKey = (i: number): string => keyOf(srcOf(i), DST, ...crafted[i]!.ports);
    const [sp5, dp5] = crafted[5]!.ports;
    expect(zero.log.filter((l) => l.startsWith('end '))).toEqual([
      `end ${flowKey(3)}`,
      `end ${keyOf(DST, srcOf(5), dp5, sp5)}`,
      `end ${flowKey(5)}`,
      // At the end of the capture: the flows left, oldest first (3 and 5 came back in round 2).
      ...[0, 1, 2, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 3, 5].map((i) => `end ${flowKey(i)}`),
    ]);
    for (const seed of [4, 5]) expect(run(seededKey(seed)).log).toEqual(zero.log);
  });
});
