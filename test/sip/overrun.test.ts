/**
 * UDP datagrams are scanned where they lie in the read piece; the scanner's native searches read on to
 * the next byte they look for, past the datagram. Crafted datagrams without line ends (or without '>')
 * would each make them read the rest of the piece; past a bound per piece the handler gives each datagram
 * a view of its own. These tests pin that the bound is hit by such traffic, never by real traffic, and
 * that both ways read the same.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as w from '../../src/capture/writer.js';
import { searchByteWithin, takeSearchOverrun } from '../../src/sip/bytes.js';
import { createCaptureSource } from '../../src/sip/capture-source.js';
import type { CallRecord } from '../../src/types.js';
import { T0 } from './scenario.js';

const eth = (payload: string): Uint8Array => w.ethernet(w.udpPacket({ src: '10.9.9.1', dst: '10.9.9.2', sport: 5060, dport: 5060, payload }));

/** Reads `data` in pieces of `piece` bytes; returns the records, the accounting and the bound left after the last piece. */
function read(data: Uint8Array, piece: number) {
  const records: CallRecord[] = [];
  const src = createCaptureSource('x.pcap', { record: (r) => records.push(r), countMessage() {} }, {});
  const left: number[] = [];
  for (let i = 0; i < data.length; i += piece) {
    src.push(data.subarray(i, Math.min(data.length, i + piece)));
    left.push(src.handler.overrunLeft);
  }
  src.end();
  return { records, acc: src.accounting, left };
}

describe('searches past a datagram scanned in place', () => {
  it('searchByteWithin finds within its end and counts what it read past it', () => {
    const b = new TextEncoder().encode('ab\ncd\nef');
    takeSearchOverrun();
    expect(searchByteWithin(b, 10, 0, 8)).toBe(2);
    expect(takeSearchOverrun()).toBe(0);
    expect(searchByteWithin(b, 10, 3, 5)).toBe(-1); // the LF at 5 is the end: read 0 past it
    expect(takeSearchOverrun()).toBe(0);
    expect(searchByteWithin(b, 10, 0, 1)).toBe(-1); // the LF at 2: 1 byte past the end
    expect(takeSearchOverrun()).toBe(1);
    expect(searchByteWithin(b, 0x7a, 0, 4)).toBe(-1); // no 'z': read to the buffer's end
    expect(takeSearchOverrun()).toBe(4);
  });

  it('crafted datagrams without line feeds or ">" use up the bound, and read as with views', () => {
    // Start lines ended by CR alone are valid; nothing after them has a LF or a '>'.
    const n = 3000;
    const packets = Array.from({ length: n }, (_, i) => ({
      ts: T0 + i,
      data: eth(`INVITE sip:${i}@x SIP/2.0\rFrom: <sip:a@b;tag=${i}\rTo: <sip:c@d\rVia: SIP/2.0/UDP h\rCall-ID: c${i}\rCSeq: 1 INVITE\r\r`),
    }));
    const data = w.writePcap(packets);
    const whole = read(data, data.length);
    // One piece: the searches past the datagrams used up the bound, then the rest went through views
    // (a message's few searches read at most the piece again each: in place to the end, 3,000 datagrams
    // would have read it hundreds of times).
    expect(whole.left.at(-1)).toBeLessThanOrEqual(0);
    expect(whole.left.at(-1)).toBeGreaterThan(-8 * data.length);
    // Pieces of one record or so: no datagram is far from a piece's end, the bound is never reached.
    const small = read(data, 97);
    expect(Math.min(...small.left)).toBeGreaterThan(0);
    expect(whole.acc).toEqual(small.acc);
    expect(whole.records).toEqual(small.records);
    expect(whole.acc.read).toBe(n);
  });

  it('a real capture stays far from the bound', () => {
    const data = readFileSync(new URL('../../fixtures/gen/alpha-beta.pcap', import.meta.url));
    const r = read(new Uint8Array(data), data.length);
    // What the searches read past datagrams is a small part of the bound (4 bytes per byte of the piece).
    expect(r.left[0]).toBeGreaterThan(3.5 * Math.max(data.length, 1 << 16));
    expect(r.acc.used).toBeGreaterThan(0);
  });
});
