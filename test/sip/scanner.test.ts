import { describe, expect, it } from 'vitest';
import { looksLikeSip, scanSipMessage, type MessageMeta, type ScanProblem } from '../../src/sip/scanner.js';
import type { SipMessage } from '../../src/types.js';

const meta: MessageMeta = { ts: 1, src: '10.0.0.1', srcPort: 5060, dst: '10.0.0.2', dstPort: 5060, transport: 'udp', position: { file: 't', packet: 1 } };

function scan(text: string, keepRaw = false, problem?: ScanProblem): SipMessage | null {
  const b = Buffer.from(text);
  return scanSipMessage(b, 0, b.length, meta, keepRaw, problem);
}

const crlf = (lines: string[]): string => lines.join('\r\n');

describe('looksLikeSip', () => {
  const cases: Array<[string, boolean]> = [
    ['SIP/2.0 200 OK\r\n', true],
    ['SIP/2.0 486 Busy Here\r\n', true],
    ['SIP/2.0 199\r\n', true],
    ['INVITE sip:bob@example.com SIP/2.0\r\n', true],
    ['FOOBAR sips:bob@example.com SIP/2.0\r\n', true],
    ['INVITE tel:+74951234567 SIP/2.0\n', true],
    ['aaaaaaaaaa sip:x@y SIP/2.0\r\n', true], // fuzzed methods are still requests (tshark counts them)
    ['GET / HTTP/1.1\r\n', false],
    ['INVITE bob SIP/2.0\r\n', false], // no URI scheme
    ['SIP/2.0 20 OK\r\n', false],
    ['SIP/2.0 200OK\r\n', false],
    ['INVITE sip:bob@example.com SIP/3.0\r\n', false],
    ['\x80\x00\x12\x34\x00\x00\x00\x00\x11\x22\x33\x44', false],
    ['INVITE  sip:x SIP/2.0\r\n', false],
    ['', false],
  ];
  for (const [text, want] of cases) {
    it(`${JSON.stringify(text.slice(0, 30))} → ${want}`, () => {
      const b = Buffer.from(text, 'latin1');
      expect(looksLikeSip(b, 0, b.length)).toBe(want);
    });
  }
});

describe('scanSipMessage', () => {
  it('reads a full INVITE with SDP', () => {
    const body = 'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 20000 RTP/AVP 8 0 18 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\nm=video 20002 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n';
    const m = scan(crlf([
      'INVITE sip:74951234567@10.0.0.2:5060;user=phone SIP/2.0',
      'Via: SIP/2.0/UDP 10.0.0.1:5060;rport;branch=z9hG4bK-top',
      'Via: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bK-second',
      'From: "Alice Smith" <sip:1001@10.0.0.1>;tag=abc123',
      'To: <sip:74951234567@10.0.0.2>',
      'Call-ID: 1234@10.0.0.1',
      'CSeq: 101 INVITE',
      'Contact: <sip:1001@10.0.0.1:5060;transport=udp>',
      'User-Agent: Obi/1.2',
      'X-Call-Correlation: leg-77',
      'Content-Type: application/sdp',
      `Content-Length: ${body.length}`,
      '',
      body,
    ]))!;
    expect(m).toMatchObject({
      isRequest: true, method: 'INVITE', requestUri: 'sip:74951234567@10.0.0.2:5060;user=phone', callId: '1234@10.0.0.1',
      cseq: 101, cseqMethod: 'INVITE', fromUser: '1001', fromDisplay: 'Alice Smith', fromTag: 'abc123', toUser: '74951234567',
      viaBranch: 'z9hG4bK-top', contact: 'sip:1001@10.0.0.1:5060;transport=udp', userAgent: 'Obi/1.2', contentLength: body.length,
      correlation: 'leg-77', sdp: { addr: '10.0.0.1', port: 20000, codecs: ['PCMA', 'PCMU', '18', 'telephone-event'] },
    });
    expect(m.toTag).toBeUndefined();
    expect(m.malformed).toBeUndefined();
    expect(m.raw).toBeUndefined();
  });

  it('reads compact forms, odd case and folded lines', () => {
    const m = scan(crlf([
      'SIP/2.0 183 Session Progress',
      'v: SIP/2.0/UDP 10.0.0.1;BRANCH=z9hG4bK-x,SIP/2.0/UDP 10.0.0.3;branch=z9hG4bK-y',
      'f: <sip:1001@h>;TAG=ft',
      't:',
      ' "Bob" <sip:2002@h>',
      '\t;tag=tt',
      'i: folded-id@h',
      'cSeQ:   7   INVITE',
      'SERVER: Some',
      '  Gateway 1.0',
      'reason: SIP;cause=480;text="x", Q.850 ;cause=34 ;text="No circuit, channel"',
      'm: sip:gw@h;expires=60',
      'c: Application/SDP',
      'RETRY-AFTER: 120 (busy)',
      'l: 0',
      '',
      '',
    ]))!;
    expect(m).toMatchObject({
      isRequest: false, status: 183, reason: 'Session Progress', viaBranch: 'z9hG4bK-x', fromUser: '1001', fromTag: 'ft',
      toUser: '2002', toTag: 'tt', callId: 'folded-id@h', cseq: 7, cseqMethod: 'INVITE', userAgent: 'Some Gateway 1.0',
      q850: 34, reasonHeader: 'Q.850 ;cause=34 ;text="No circuit, channel"', contact: 'sip:gw@h', retryAfter: 120, contentLength: 0,
    });
    expect(m.sdp).toBeUndefined();
  });

  it('reads addr-spec From/To without angle brackets, tel URIs and user:password', () => {
    const m = scan(crlf([
      'BYE sip:x@h SIP/2.0',
      'From: sip:alice:secret@h;tag=1',
      'To: tel:+74951234567;phone-context=x;tag=2',
      'Call-ID: a',
      'CSeq: 2 BYE',
      '',
      '',
    ]))!;
    expect(m).toMatchObject({ fromUser: 'alice', fromTag: '1', toUser: '+74951234567', toTag: '2', method: 'BYE' });
  });

  it('accepts LF-only line ends (log dumps)', () => {
    const m = scan('SIP/2.0 486 Busy Here\nCall-ID: lf\nCSeq: 1 INVITE\nTo: <sip:b@h>;tag=z\n\n')!;
    expect(m).toMatchObject({ status: 486, callId: 'lf', toTag: 'z', cseqMethod: 'INVITE' });
  });

  it('finds SDP without Content-Type and inside multipart bodies', () => {
    const plain = scan('SIP/2.0 200 OK\r\ni: s\r\nCSeq: 1 INVITE\r\n\r\nv=0\r\nc=IN IP6 2001:db8::1\r\nm=audio 4000 RTP/AVP 0\r\n')!;
    expect(plain.sdp).toEqual({ addr: '2001:db8::1', port: 4000, codecs: ['0'] });
    const multi = scan(crlf([
      'INVITE sip:a@h SIP/2.0', 'i: mp', 'CSeq: 1 INVITE', 'Content-Type: multipart/mixed;boundary=unique', '', '--unique',
      'Content-Type: application/sdp', '', 'v=0', 'c=IN IP4 192.0.2.1', 'm=audio 5004 RTP/AVP 8', '--unique', 'Content-Type: application/isup', '', 'xx', '--unique--', '',
    ]))!;
    expect(multi.sdp).toEqual({ addr: '192.0.2.1', port: 5004, codecs: ['8'] });
  });

  it('keeps the raw text on request, only up to Content-Length', () => {
    const m = scan('SIP/2.0 200 OK\r\ni: r\r\nCSeq: 1 OPTIONS\r\nl: 2\r\n\r\nokEXTRA', true)!;
    expect(m.raw).toBe('SIP/2.0 200 OK\r\ni: r\r\nCSeq: 1 OPTIONS\r\nl: 2\r\n\r\nok');
  });

  it('marks messages without Call-ID or CSeq as malformed but returns them', () => {
    expect(scan('SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\n\r\n')!.malformed).toBe('sip-missing-call-id');
    expect(scan('SIP/2.0 200 OK\r\nCall-ID: x\r\nCSeq: INVITE\r\n\r\n')!.malformed).toBe('sip-bad-cseq');
  });

  it('returns null with a named problem for junk and truncated input', () => {
    const p: ScanProblem = {};
    expect(scan('hello world, this is not SIP\r\n', false, p)).toBeNull();
    expect(p.anomaly).toBe('sip-bad-start-line');
    expect(scan('SIP/2.0', false, p)).toBeNull();
    expect(p.anomaly).toBe('sip-truncated');
  });

  it('survives truncation at every byte without throwing', () => {
    const full = Buffer.from(crlf([
      'INVITE sip:a@h SIP/2.0', 'Via: SIP/2.0/UDP h;branch=b', 'From: "A" <sip:a@h>;tag=1', 'To: <sip:b@h>', 'Call-ID: t',
      'CSeq: 1 INVITE', 'Reason: Q.850;cause=16', 'Content-Type: application/sdp', 'Content-Length: 40', '', 'v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 9 RTP/AVP 0\r\n',
    ]));
    for (let n = 0; n <= full.length; n++) {
      const m = scanSipMessage(full, 0, n, meta);
      if (n < 23) expect(m).toBeNull(); // the start line needs its line end
      else expect(m?.method).toBe('INVITE');
    }
  });

  it('does not backtrack on hostile input (long header without colon, huge quoted display)', () => {
    const evil = 'INVITE sip:a@h SIP/2.0\r\nFrom: "' + 'a'.repeat(200_000) + '\r\n' + 'X'.repeat(200_000) + '\r\nCall-ID: e\r\nCSeq: 1 INVITE\r\n\r\n';
    const t = performance.now();
    const m = scan(evil);
    expect(performance.now() - t).toBeLessThan(500);
    expect(m?.callId).toBe('e');
  });
});
