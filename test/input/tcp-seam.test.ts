import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { InputAccounting } from '../../src/types.js';
import { readPieces as readChain } from './pieces.js';

const root = new URL('../../', import.meta.url).pathname;

/** The records of a little-endian pcap: [offset, length] of each, after the 24-byte header. */
function records(pcap: Buffer): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let o = 24; o + 16 <= pcap.length; ) {
    const len = 16 + pcap.readUInt32LE(o + 8);
    out.push([o, len]);
    o += len;
  }
  return out;
}

/** A chain's records, where each was found left out, and the accounting of each piece. */
function readPieces(pieces: Uint8Array[]): { records: unknown[]; accounts: InputAccounting[] } {
  const r = readChain(pieces);
  return { records: r.records.map(placeless), accounts: r.accounts };
}

/** Where an input unit was found differs between one file and its pieces (packet numbers start again): left out. */
function placeless(x: unknown): unknown {
  return JSON.parse(JSON.stringify(x, (k, v: unknown) => (k === 'position' || k === 'positions' || k === 'source' ? undefined : v)));
}

/** The counts of all pieces added up: what one reader of the whole file counts. */
function total(accounts: InputAccounting[]): Record<string, unknown> {
  const t = { read: 0, used: 0, ignored: 0, malformed: 0, sipMessages: 0, ignoredBy: {} as Record<string, number>, anomalies: {} as Record<string, number> };
  for (const a of accounts) {
    t.read += a.read;
    t.used += a.used;
    t.ignored += a.ignored;
    t.malformed += a.malformed;
    t.sipMessages += a.sipMessages;
    for (const [k, n] of Object.entries(a.ignoredBy)) t.ignoredBy[k] = (t.ignoredBy[k] ?? 0) + n;
    for (const [k, n] of Object.entries(a.anomalies)) t.anomalies[k] = (t.anomalies[k] ?? 0) + (typeof n === 'number' ? n : (n as { count: number }).count);
  }
  return t;
}

describe('SIP over TCP in a capture cut into pieces: the streams go on across the seam', () => {
  for (const name of ['fixtures/gen/alpha-beta-tcp.pcap', 'fixtures/recorded/loopback-tcp.pcap', 'fixtures/gen/edge-cases-tcp.pcap']) {
    it(`${name}: cut after any packet, its two pieces give the whole capture's calls and counts`, () => {
      const whole = readFileSync(`${root}${name}`);
      expect(whole.readUInt32LE(0)).toBe(0xa1b2c3d4);
      const want = readPieces([whole]);
      expect(want.records.length).toBeGreaterThan(0);
      const recs = records(whole);
      const header = whole.subarray(0, 24);
      for (let k = 1; k < recs.length; k++) {
        const at = recs[k]![0];
        const got = readPieces([whole.subarray(0, at), Buffer.concat([header, whole.subarray(at)])]);
        expect(got.records, `cut before packet ${k + 1}`).toEqual(want.records);
        expect(total(got.accounts), `cut before packet ${k + 1}`).toEqual(total(want.accounts));
        for (const a of got.accounts) expect(a.read, `cut before packet ${k + 1}`).toBe(a.used + a.ignored + a.malformed);
      }
    });
  }

  it.each([7200, -7200])('a piece that did not follow (%i s off) does not go on with the streams: each piece reads as it does alone', (shift) => {
    const whole = readFileSync(`${root}fixtures/gen/edge-cases-tcp.pcap`);
    const recs = records(whole);
    const header = whole.subarray(0, 24);
    let seams = 0;
    for (let k = 1; k < recs.length; k += 3) {
      const at = recs[k]![0];
      const first = whole.subarray(0, at);
      const later = Buffer.concat([header, whole.subarray(at)]);
      for (let o = 24; o < later.length; o += 16 + later.readUInt32LE(o + 8)) later.writeUInt32LE(later.readUInt32LE(o) + shift, o);
      const got = readPieces([first, later]);
      const a = readPieces([first]);
      const b = readPieces([later]);
      // a first piece with no SIP message has no time to judge the seam by: taken on trust, the streams go on
      const broken = a.accounts[0]!.sipMessages > 0;
      expect(got.accounts[0]!.notes.some((n) => n.startsWith(broken ? 'not continued by p1' : 'read as one chain with p1')), `cut before packet ${k + 1}`).toBe(true);
      if (!broken) continue;
      seams++;
      expect(got.records, `cut before packet ${k + 1}`).toEqual([...a.records, ...b.records]);
      expect(total([got.accounts[0]!]), `cut before packet ${k + 1}`).toEqual(total(a.accounts));
      expect(total([got.accounts[1]!]), `cut before packet ${k + 1}`).toEqual(total(b.accounts));
      expect(got.accounts[0]!.warnings, `cut before packet ${k + 1}`).toEqual(a.accounts[0]!.warnings);
    }
    expect(seams).toBeGreaterThan(30);
  });
});
