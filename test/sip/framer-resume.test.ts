/** The stream framer goes on where it stopped: a message in many small segments is read once, and framed as before. */
import { describe, expect, it } from 'vitest';
import { SipStreamFramer, frameSipMessages, newFrameProgress, type FrameProgress } from '../../src/sip/framer.js';

const startLine = 'INVITE sip:1@198.51.100.20 SIP/2.0\r\n';

/** A message with `pad` bytes of extra headers and a body of `body` bytes. */
function bigMessage(pad: number, body: number): Buffer {
  let head = `${startLine}Call-ID: big@h\r\nCSeq: 1 INVITE\r\nContent-Length: ${body}\r\n`;
  const end = head.length + pad;
  while (head.length < end) head += `X-Pad: ${'a'.repeat(Math.min(900, end - head.length))}\r\n`;
  return Buffer.from(`${head}\r\n${'b'.repeat(body)}`);
}

/** `buf` behind a proxy that counts the bytes read through it. */
function counted(buf: Uint8Array): { view: Uint8Array; reads: () => number } {
  let n = 0;
  const view = new Proxy(buf, {
    get(t, k) {
      if (typeof k === 'string' && k.length > 0 && k.charCodeAt(0) >= 48 && k.charCodeAt(0) <= 57) n++;
      const v = (t as unknown as Record<string | symbol, unknown>)[k];
      return typeof v === 'function' ? v.bind(t) : v;
    },
  });
  return { view, reads: () => n };
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 0x100000000;
}

describe('SIP stream framing resumes', () => {
  it('frameSipMessages given its progress reads each byte of a growing message a bounded number of times', () => {
    const msg = bigMessage(4000, 8000);
    const { view, reads } = counted(msg);
    const g = newFrameProgress();
    let framed: Array<[number, number]> = [];
    for (let end = 16; ; end = Math.min(msg.length, end + 16)) {
      const r = frameSipMessages(view, 0, end, g);
      if (r.messages.length > 0) {
        framed = r.messages;
        break;
      }
      expect(r.consumed).toBe(0);
    }
    expect(framed).toEqual([[0, msg.length]]);
    // Rescanning from the start on each call reads the headers on every call: 2.7 million reads here.
    expect(reads()).toBeLessThan(2 * msg.length);
  });

  it('SipStreamFramer keeps where the start line, blank line and body searches stand', () => {
    const msg = bigMessage(20_000, 30_000);
    const headerEnd = msg.indexOf('\r\n\r\n') + 4;
    const got: Buffer[] = [];
    const f = new SipStreamFramer({ message: (b, s, e) => got.push(Buffer.from(b.subarray(s, e))) });
    const step = 7;
    for (let i = 0; i < msg.length; i += step) {
      f.push(msg.subarray(i, i + step));
      const held = Math.min(msg.length, i + step);
      const g: FrameProgress = { ...f.resume };
      if (held === msg.length) {
        expect(f.buffered).toBe(0);
        expect(g).toEqual(newFrameProgress());
      } else if (held < startLine.length - 2) {
        expect(g).toEqual({ lineEnd: -1, scanned: held, messageEnd: -1 });
      } else if (held < headerEnd) {
        expect(g).toEqual({ lineEnd: startLine.length - 2, scanned: Math.max(startLine.length - 2, held - 2), messageEnd: -1 });
      } else {
        expect(g.messageEnd).toBe(msg.length);
      }
    }
    expect(got).toEqual([msg]);
    f.push(msg.subarray(0, 100));
    expect(f.end()).toBe(100);
    expect(f.resume).toEqual(newFrameProgress());
  });

  it('frames what rescanning from the start of the held bytes on every chunk frames', () => {
    const rnd = lcg(5);
    const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
    const eol = ['\r\n', '\r\n', '\r\n', '\n', '\r'];
    // Lines past the start line and header limits only in big chunks: the rescanning reference is quadratic.
    const piece = (big: boolean): string => {
      if (rnd() < 0.15) return pick(['\r\n', '\r\n\r\n', 'garbage\r\n', 'junk', 'SIP/2.0 1', big ? 'x'.repeat(9000) : 'x']);
      const body = Math.floor(rnd() * 40);
      let t = pick(['INVITE sip:a@h SIP/2.0', 'SIP/2.0 200 OK', 'BYE sip:b SIP/2.0', 'not a start line']) + pick(eol);
      for (let n = Math.floor(rnd() * 5); n > 0; n--) {
        const k = rnd();
        if (k < 0.3) t += pick(['Content-Length: ', 'l: ', 'content-length:']) + pick([String(body), 'x', '99999999999', String(body + 3)]) + pick(eol);
        else if (k < 0.4) t += `X-Long: ${'z'.repeat(Math.floor(rnd() * (big ? 70_000 : 2000)))}\r\n`;
        else t += pick(['i: c', ' folded', 'CSeq: 1 BYE']) + pick(eol);
      }
      return t + (rnd() < 0.9 ? pick(eol) : '') + 'b'.repeat(rnd() < 0.8 ? body : Math.floor(rnd() * 60));
    };
    for (let round = 0; round < 300; round++) {
      const most = pick([3, 40, 3000]);
      const stream = Buffer.from(Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => piece(most > 40)).join(''), 'latin1');
      const chunks: Buffer[] = [];
      for (let i = 0; i < stream.length; ) {
        const n = 1 + Math.floor(rnd() * most);
        chunks.push(stream.subarray(i, i + n));
        i += n;
      }
      const want = rescanning(chunks);
      const got: string[] = [];
      const f = new SipStreamFramer({
        message: (b, s, e) => got.push(`message ${Buffer.from(b.subarray(s, e)).toString('latin1')}`),
        anomaly: (name, at) => got.push(`${name} at ${at}`),
      });
      for (const c of chunks) {
        f.push(c);
        got.push(`held ${f.buffered}, ${f.missingLength} without length`);
      }
      got.push(`left ${f.end()}`);
      expect(got).toEqual(want);
    }
  });
});

/** Frames like SipStreamFramer, but from the start of the held bytes with no progress on every chunk. */
function rescanning(chunks: Buffer[]): string[] {
  const out: string[] = [];
  let held = Buffer.alloc(0);
  let base = 0;
  let missing = 0;
  let junk = false;
  for (const c of chunks) {
    held = Buffer.concat([held, c]);
    const r = frameSipMessages(held, 0, held.length);
    missing += r.missingLength;
    // In stream order; an anomaly at a message's offset (its Content-Length) after the message, as SipStreamFramer reports it.
    const events: Array<[number, number, string]> = [
      ...r.messages.map(([s, e]): [number, number, string] => [s, 0, `message ${held.subarray(s, e).toString('latin1')}`]),
      ...r.anomalies.map((a): [number, number, string] => [a.offset, 1, a.name]),
    ];
    events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (const [at, anomaly, what] of events) {
      if (anomaly === 0) {
        junk = false;
        out.push(what);
      } else if (what !== 'sip-junk-before-message' || !junk) {
        if (what === 'sip-junk-before-message') junk = true;
        out.push(`${what} at ${base + at}`);
      }
    }
    held = held.subarray(r.consumed);
    base += r.consumed;
    out.push(`held ${held.length}, ${missing} without length`);
  }
  out.push(`left ${held.length}`);
  return out;
}
