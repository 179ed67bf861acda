import { describe, expect, it } from 'vitest';
import { SipStreamFramer, frameSipMessages } from '../../src/sip/framer.js';

const msg = (status: number, body = ''): string =>
  `SIP/2.0 ${status} X\r\nCall-ID: f\r\nCSeq: 1 INVITE\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const req = (body = ''): string => `INVITE sip:a@h SIP/2.0\r\ni: f\r\nCSeq: 1 INVITE\r\nl: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

function frameAll(stream: string, chunk: number): { messages: string[]; anomalies: string[]; left: number } {
  const messages: string[] = [];
  const anomalies: string[] = [];
  const f = new SipStreamFramer({
    message: (b, s, e) => messages.push(Buffer.from(b.subarray(s, e)).toString()),
    anomaly: (n) => anomalies.push(n),
  });
  const b = Buffer.from(stream);
  for (let i = 0; i < b.length; i += chunk) f.push(b.subarray(i, Math.min(b.length, i + chunk)));
  return { messages, anomalies, left: f.end() };
}

describe('SIP over TCP framing by Content-Length', () => {
  const three = [req('v=0\r\nm=audio 1 RTP/AVP 0\r\n'), msg(100), msg(200, 'v=0\r\n')];
  const cases: Array<[string, string, string[], string[], number]> = [
    ['several messages in one chunk', three.join(''), three, [], 0],
    ['CRLF keep-alives between messages', `\r\n\r\n${three[0]}\r\n\r\n${three[1]}`, [three[0]!, three[1]!], [], 0],
    ['junk before a start line is skipped and named', `garbage line\r\nmore junk\r\n${three[1]}`, [three[1]!], ['sip-junk-before-message'], 0],
    ['a truncated last message stays buffered', three[0] + three[2]!.slice(0, 30), [three[0]!], [], 30],
    ['a body with CRLFCRLF inside is framed by length', msg(200, 'a\r\n\r\nb'), [msg(200, 'a\r\n\r\nb')], [], 0],
    ['multi-byte UTF-8 body', msg(200, 'имя\r\n'), [msg(200, 'имя\r\n')], [], 0],
  ];
  for (const [name, stream, want, anomalies, left] of cases) {
    for (const chunk of [1, 2, 3, 7, 64, 100_000]) {
      it(`${name} (${chunk}-byte chunks)`, () => {
        const r = frameAll(stream, chunk);
        expect(r.messages).toEqual(want);
        expect(r.anomalies).toEqual(anomalies);
        expect(r.left).toBe(left);
      });
    }
  }

  it('frameSipMessages reports boundaries and the incomplete tail', () => {
    const s = Buffer.from(three[0]! + three[1]! + 'SIP/2.0 18');
    const r = frameSipMessages(s, 0, s.length);
    expect(r.messages).toEqual([[0, three[0]!.length], [three[0]!.length, three[0]!.length + three[1]!.length]]);
    expect(r.consumed).toBe(three[0]!.length + three[1]!.length);
  });

  it('a message without Content-Length is taken as having no body', () => {
    const s = Buffer.from('SIP/2.0 200 OK\r\ni: x\r\nCSeq: 1 BYE\r\n\r\n' + msg(180));
    const r = frameSipMessages(s, 0, s.length);
    expect(r.messages).toHaveLength(2);
    expect(r.missingLength).toBe(1);
  });

  it('an absurd Content-Length is named and does not swallow the stream', () => {
    const s = Buffer.from('SIP/2.0 200 OK\r\ni: x\r\nCSeq: 1 BYE\r\nContent-Length: 99999999999\r\n\r\n' + msg(180));
    const r = frameSipMessages(s, 0, s.length);
    expect(r.anomalies.map((a) => a.name)).toEqual(['sip-bad-content-length']);
    expect(r.messages).toHaveLength(2);
  });

  it('endless headers are given up after the limit', () => {
    const s = Buffer.from('SIP/2.0 200 OK\r\n' + 'X-A: b\r\n'.repeat(10_000));
    const r = frameSipMessages(s, 0, s.length);
    expect(r.anomalies.map((a) => a.name)).toEqual(['sip-headers-too-long']);
    expect(r.consumed).toBe(s.length);
  });
});
