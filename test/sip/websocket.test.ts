/**
 * SIP over WebSocket (RFC 7118): the HTTP Upgrade that opens it and the frames of RFC 6455 §5, cut
 * anywhere. The recorded capture (kamailio's websocket module on loopback) is in test/gen/recorded.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { MAX_WS_MESSAGE, startsWsSipFrame, WsStream, wsUpgrade } from '../../src/sip/websocket.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A frame: opcode, payload, FIN, and a masking key (client frames) or none (server frames). */
function frame(op: number, payload: Uint8Array | string, o: { fin?: boolean; mask?: number[]; rsv?: number } = {}): Uint8Array {
  const body = typeof payload === 'string' ? enc.encode(payload) : payload;
  const n = body.length;
  const head: number[] = [((o.fin ?? true) ? 0x80 : 0) | (o.rsv ?? 0) | op];
  const m = o.mask ? 0x80 : 0;
  if (n < 126) head.push(m | n);
  else if (n < 65536) head.push(m | 126, n >> 8, n & 255);
  else head.push(m | 127, 0, 0, 0, 0, (n >>> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255);
  if (o.mask) head.push(...o.mask);
  const out = new Uint8Array(head.length + n);
  out.set(head);
  for (let i = 0; i < n; i++) out[head.length + i] = o.mask ? body[i]! ^ o.mask[i & 3]! : body[i]!;
  return out;
}

const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

function reader(): { ws: WsStream; messages: string[]; anomalies: string[] } {
  const messages: string[] = [];
  const anomalies: string[] = [];
  const ws = new WsStream({ message: (b, s, e) => messages.push(dec.decode(b.subarray(s, e))), anomaly: (a) => anomalies.push(a) });
  return { ws, messages, anomalies };
}

const INVITE = 'INVITE sip:486@example.net SIP/2.0\r\nVia: SIP/2.0/WS x.invalid;branch=z9hG4bK1\r\nCall-ID: ws-1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n';
const BUSY = 'SIP/2.0 486 Busy Here\r\nVia: SIP/2.0/WS x.invalid;branch=z9hG4bK1\r\nCall-ID: ws-1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n';
const KEY = [0x37, 0xfa, 0x21, 0x3d];

describe('wsUpgrade', () => {
  const get = 'GET /ws HTTP/1.1\r\nHost: pbx.example.net\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: sip\r\n\r\n';
  const ok = 'HTTP/1.1 101 Switching Protocols\r\nUPGRADE: WebSocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: sip\r\n\r\n';
  it('knows the client request and the server answer, and says where the frames begin', () => {
    expect(wsUpgrade(enc.encode(get))).toBe(get.length);
    expect(wsUpgrade(enc.encode(ok))).toBe(ok.length);
    expect(wsUpgrade(concat(enc.encode(ok), frame(1, BUSY)))).toBe(ok.length);
    expect(wsUpgrade(enc.encode(get.replace('Protocol: sip', 'Protocol: chat, sip')))).toBe(get.length + 6);
  });
  it('refuses other WebSockets, other HTTP, and a header block not complete in the segment', () => {
    expect(wsUpgrade(enc.encode(get.replace('Protocol: sip', 'Protocol: chat')))).toBe(-1);
    expect(wsUpgrade(enc.encode(get.replace('Sec-WebSocket-Protocol: sip\r\n', '')))).toBe(-1);
    expect(wsUpgrade(enc.encode(get.replace('Upgrade: websocket', 'Upgrade: h2c')))).toBe(-1);
    expect(wsUpgrade(enc.encode('GET / HTTP/1.1\r\nHost: a\r\n\r\n'))).toBe(-1);
    expect(wsUpgrade(enc.encode(get.slice(0, -2)))).toBe(-1);
    expect(wsUpgrade(enc.encode(INVITE))).toBe(-1);
    expect(wsUpgrade(enc.encode('HTTP/1.1 200 OK\r\nUpgrade: websocket\r\nSec-WebSocket-Protocol: sip\r\n\r\n'))).toBe(-1);
  });
});

describe('startsWsSipFrame (a connection whose handshake is not in the capture)', () => {
  it('knows a frame that opens a SIP message, masked or not, fragment or whole, short or 16-bit length', () => {
    expect(startsWsSipFrame(frame(1, INVITE, { mask: KEY }))).toBe(true);
    expect(startsWsSipFrame(frame(1, BUSY))).toBe(true);
    expect(startsWsSipFrame(frame(2, INVITE.slice(0, 60), { fin: false }))).toBe(true);
    expect(startsWsSipFrame(frame(1, BUSY + 'x'.repeat(200), { mask: KEY }))).toBe(true);
  });
  it('refuses other frames and other bytes', () => {
    expect(startsWsSipFrame(frame(1, '{"type":"hello","sip":false}'))).toBe(false); // another protocol
    expect(startsWsSipFrame(frame(0, INVITE))).toBe(false); // a continuation: the message began earlier
    expect(startsWsSipFrame(frame(9, 'INVITE sip:a SIP/2.0\r\n'))).toBe(false);
    expect(startsWsSipFrame(frame(1, INVITE, { rsv: 0x40 }))).toBe(false);
    expect(startsWsSipFrame(frame(1, INVITE, { mask: KEY }).subarray(0, 14))).toBe(false); // cut before its start line ends
    expect(startsWsSipFrame(frame(1, 'z'.repeat(70_000)))).toBe(false); // 64-bit length: not guessed
    expect(startsWsSipFrame(enc.encode(INVITE))).toBe(false); // plain SIP over TCP
    expect(startsWsSipFrame(Uint8Array.of(0x01, 0x2c, 0x80, 0x00))).toBe(false); // RTP over TCP (RFC 4571)
  });
});

describe('WsStream', () => {
  const stream = concat(
    frame(1, INVITE.slice(0, 40), { fin: false, mask: KEY }),
    frame(9, 'ka', { mask: KEY }), // a ping between two fragments of one message
    frame(0, INVITE.slice(40), { mask: KEY }),
    frame(1, BUSY), // unmasked: the server's side
    frame(2, 'x'.repeat(300)), // 16-bit length, binary
    frame(10, ''),
    frame(8, new Uint8Array([3, 232])),
  );

  it('gives every message whole, whatever the cuts between pushes', () => {
    for (let cut = 1; cut < stream.length; cut++) {
      const { ws, messages, anomalies } = reader();
      ws.push(stream.subarray(0, cut));
      ws.push(stream.subarray(cut));
      expect(messages, `cut at ${cut}`).toEqual([INVITE, BUSY, 'x'.repeat(300)]);
      expect(anomalies).toEqual([]);
      expect(ws.buffered).toBe(0);
    }
    const { ws, messages } = reader();
    for (let i = 0; i < stream.length; i++) ws.push(stream.subarray(i, i + 1));
    expect(messages).toEqual([INVITE, BUSY, 'x'.repeat(300)]);
  });

  it('keeps no big buffer once a big message is out', () => {
    const big = 'q'.repeat(300_000);
    const { ws, messages } = reader();
    const f = frame(1, big, { mask: KEY });
    ws.push(f.subarray(0, 1000));
    ws.push(f.subarray(1000));
    expect(messages).toEqual([big]);
    const held = ws as unknown as { buf: Uint8Array; msg: Uint8Array };
    expect([held.buf.length, held.msg.length]).toEqual([0, 0]);
  });

  it('reads 64-bit lengths, and frames after a handshake in the same segment', () => {
    const big = 'y'.repeat(70_000);
    const { ws, messages } = reader();
    const withHead = concat(enc.encode('ignored'), frame(1, big, { mask: KEY }), frame(1, BUSY));
    ws.push(withHead, 'ignored'.length);
    expect(messages).toEqual([big, BUSY]);
  });

  it('skips a message past the limit by its length and reads on in step', () => {
    const huge = new Uint8Array(MAX_WS_MESSAGE + 1).fill(65);
    const s = concat(frame(2, huge), frame(1, BUSY));
    for (const cut of [1, 5, 100, MAX_WS_MESSAGE, s.length - 3]) {
      const { ws, messages, anomalies } = reader();
      ws.push(s.subarray(0, cut));
      ws.push(s.subarray(cut));
      expect(messages, `cut at ${cut}`).toEqual([BUSY]);
      expect(anomalies).toEqual(['ws-message-too-long']);
    }
    // The limit counts a fragmented message as a whole: its later fragments are passed over too.
    const half = new Uint8Array(MAX_WS_MESSAGE / 2 + 10).fill(66);
    const { ws, messages, anomalies } = reader();
    ws.push(concat(frame(2, half, { fin: false }), frame(0, half, { fin: false }), frame(0, 'tail'), frame(1, BUSY)));
    expect(messages).toEqual([BUSY]);
    expect(anomalies).toEqual(['ws-message-too-long']);
  });

  it('names broken streams: reserved bits, a continuation out of place, a message inside a message', () => {
    let r = reader();
    r.ws.push(concat(frame(1, BUSY, { rsv: 0x40 }), frame(1, BUSY)));
    expect(r.anomalies).toEqual(['ws-bad-frame']);
    expect(r.messages).toEqual([]); // the rest of the segment is not read: the stream cannot be trusted
    r = reader();
    r.ws.push(concat(frame(0, 'stray'), frame(1, BUSY)));
    expect([r.anomalies, r.messages]).toEqual([['ws-bad-frame'], [BUSY]]);
    r = reader();
    r.ws.push(concat(frame(1, 'half', { fin: false }), frame(1, BUSY)));
    expect([r.anomalies, r.messages]).toEqual([['ws-bad-frame'], [BUSY]]);
    r = reader();
    r.ws.push(concat(frame(9, 'p'.repeat(126))));
    expect(r.anomalies).toEqual(['ws-bad-frame']); // a control frame over 125 bytes
  });

  it('never throws and holds a bounded number of bytes, whatever it is fed', () => {
    let seed = 12345;
    const rnd = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (let run = 0; run < 200; run++) {
      const { ws } = reader();
      for (let k = 0; k < 20; k++) {
        // Random bytes, now and then a well-formed frame, so that both paths are walked.
        const part = rnd() < 0.3 ? frame(Math.floor(rnd() * 3), 'z'.repeat(Math.floor(rnd() * 300)), { fin: rnd() < 0.7, mask: rnd() < 0.5 ? KEY : undefined }) : Uint8Array.from({ length: Math.floor(rnd() * 64) }, () => Math.floor(rnd() * 256));
        ws.push(part);
        expect(ws.buffered).toBeLessThanOrEqual(2 * (MAX_WS_MESSAGE + 14));
      }
    }
  });
});

