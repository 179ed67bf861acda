/**
 * Byte-level edge cases of the SIP scanner's fast paths (native line search, table-driven parameter
 * values, one walk over a From/To URI, the printable-ASCII string path): bare CRs, folding, whitespace
 * before the colon, lines without a colon, LF-only and mixed line ends in SDP, odd URIs and parameters,
 * non-ASCII values. Each message sits in a plain Uint8Array view that goes on past its end with more
 * header-like bytes, which no search may take as part of the message. Full and lean scans; the expected
 * values are what the scanner gave before the fast paths, except that a lean scan no longer looks for the
 * From/To user of a tagged header outside INVITE requests (it was '' there, the tracker does not read it).
 */
import { describe, expect, it } from 'vitest';
import { text } from '../../src/sip/bytes.js';
import { scanSipMessage, type MessageMeta } from '../../src/sip/scanner.js';
import type { SipMessage } from '../../src/types.js';

const meta: MessageMeta = { ts: 1, src: 'a', srcPort: 1, dst: 'b', dstPort: 2, transport: 'udp', position: { file: 't' } };
const TRAILER = 'Call-ID: after-end>;tag=z\r\n\n\r';

/** The fields of a scan of `msg` (latin1) inside a longer view, without the meta fields. */
function scan(msg: string, lean: boolean): Partial<SipMessage> {
  const b = Buffer.from(msg + TRAILER, 'latin1');
  const view = new Uint8Array(b.buffer, b.byteOffset, b.length);
  const m = scanSipMessage(view, 0, Buffer.byteLength(msg, 'latin1'), meta, false, {}, undefined, lean)!;
  const { ts, src, srcPort, dst, dstPort, transport, position, ...rest } = m;
  void [ts, src, srcPort, dst, dstPort, transport, position];
  return JSON.parse(JSON.stringify(rest)) as Partial<SipMessage>;
}

const cases: Record<string, string> = {
  bareCrInValue: 'SIP/2.0 200 OK\r\nCall-ID: ab\rcd\r\nCSeq: 1 INVITE\r\nTo: <sip:b@h>;tag=x\ry\r\n\r\n',
  bareCrInName: 'SIP/2.0 200 OK\r\nCall\rID: zz\r\nCall-ID: real\r\nCSeq: 1 INVITE\r\n\r\n',
  noColonThenFold: 'SIP/2.0 200 OK\r\nGarbage line\r\n Call-ID: cont\r\nCall-ID: second\r\nCSeq: 1 INVITE\r\n\r\n',
  wsBeforeColon: 'SIP/2.0 200 OK\r\nCall-ID \t: ws\r\nCSeq : 7 INVITE\r\nVia  : SIP/2.0/UDP h;branch=b1\r\n\r\n',
  folded: 'SIP/2.0 200 OK\r\nCall-ID: f1\r\n\tf2\r\n f3\r\nCSeq: 1\r\n INVITE\r\nVia: SIP/2.0/UDP h\r\n ;branch=fb\r\n\r\n',
  sdpBareCr: 'SIP/2.0 200 OK\r\ni: s\r\nCSeq: 1 INVITE\r\nc: application/sdp\r\n\r\nv=0\rc=IN IP4 1.1.1.1\r\nm=audio 4000 RTP/AVP 0\rc=IN IP4 2.2.2.2\r\na=rtpmap:0 PCMU/8000\r\n',
  sdpLfOnly: 'SIP/2.0 200 OK\ni: s\nCSeq: 1 INVITE\nc: application/sdp\n\nv=0\nc=IN IP4 1.1.1.1\nm=audio 4000 RTP/AVP 0 8\na=rtpmap:8 PCMA/8000\nm=audio 5000 RTP/AVP 0\n',
  sdpMixed: 'SIP/2.0 200 OK\r\ni: s\r\nCSeq: 1 INVITE\r\nc: application/sdp\r\n\r\nv=0\nc=IN IP4 1.1.1.1\r\nm=audio 4000 RTP/AVP 0 8\n\r\nc=IN IP4 3.3.3.3\r\n',
  uriOdd: 'BYE sip:x@h SIP/2.0\r\nFrom: <sip:host;maddr=a@b>;tag=1\r\nTo: <sip:u:p;x@h>;tag=2\r\nf: <sip:@h>\r\nCall-ID: u\r\nCSeq: 2 BYE\r\n\r\n',
  uriOdd2: 'INVITE sip:x@h SIP/2.0\r\nFrom: <sip:@h>\r\nFrom: "A" <sip:al;ice@h>;tag=9\r\nTo: tel:+1:2;x=y\r\nCall-ID: u\r\nCSeq: 2 INVITE\r\n\r\n',
  params: 'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;rport ; BRANCH = "q\\"x" ;x\r\nFrom: <sip:a@h>;tagx=1;tag=\t2 ,<sip:c@d>;tag=3\r\nTo: <sip:a@h>, <sip:b@h>;tag=4\r\nCall-ID: p\r\nCSeq: 1 INVITE\r\n\r\n',
  noGt: 'SIP/2.0 180 Ringing\r\nFrom: "A" <sip:a@h;tag=1\r\nTo: <sip:b@h>;tag=2\r\nCall-ID: g\r\nCSeq: 1 INVITE\r\nf: <sip:c@h\r\n\r\n',
  noGtAtEnd: 'BYE sip:x@h SIP/2.0\r\nCall-ID: g\r\nCSeq: 1 BYE\r\nFrom: <sip:a@h;tag=1',
  oddBranch: 'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=a\x01b\x7f;x\r\nFrom: <sip:a@h>;tag=\xe9t\r\nTo: <sip:b@h>;tag=12345678901234567890123456789012345\r\nCall-ID: o\r\nCSeq: 1 INVITE\r\n\r\n',
  cseqLong: 'SIP/2.0 200 OK\r\nCall-ID: c\r\nCSeq: 9999999999 INVITE\r\nCSeq: 1 BYE\r\n\r\n',
  cseqTooLong: 'SIP/2.0 200 OK\r\nCall-ID: c\r\nCSeq: 00000000001 INVITE\r\nCSeq: 2 BYE\r\n\r\n',
  nonAscii: 'INVITE sip:x@h SIP/2.0\r\nFrom: "J\xc3\xbcrgen" <sip:j\xc3\xbc@h>;tag=\xc3\xa9\r\nCall-ID: \x7fdel\tx \r\nUser-Agent: A\tB\r\nCSeq: 1 INVITE\r\n\r\n',
};

/** Full scan, then lean scan. */
const want: Record<string, [Partial<SipMessage>, Partial<SipMessage>]> = {
  bareCrInValue: [
    { isRequest: false, status: 200, reason: 'OK', callId: 'ab cd', cseq: 1, cseqMethod: 'INVITE', toUser: 'b', toTag: 'x' },
    { isRequest: false, status: 200, reason: 'OK', callId: 'ab cd', cseq: 1, cseqMethod: 'INVITE', toTag: 'x' },
  ],
  bareCrInName: [
    { isRequest: false, status: 200, reason: 'OK', callId: 'real', cseq: 1, cseqMethod: 'INVITE' },
    { isRequest: false, status: 200, reason: 'OK', callId: 'real', cseq: 1, cseqMethod: 'INVITE' },
  ],
  noColonThenFold: [
    { isRequest: false, status: 200, reason: 'OK', callId: 'second', cseq: 1, cseqMethod: 'INVITE' },
    { isRequest: false, status: 200, reason: 'OK', callId: 'second', cseq: 1, cseqMethod: 'INVITE' },
  ],
  wsBeforeColon: [
    { isRequest: false, status: 200, reason: 'OK', callId: 'ws', cseq: 7, cseqMethod: 'INVITE', viaBranch: 'b1' },
    { isRequest: false, status: 200, reason: 'OK', callId: 'ws', cseq: 7, cseqMethod: 'INVITE', viaBranch: 'b1' },
  ],
  folded: [
    { isRequest: false, status: 200, reason: 'OK', callId: 'f1 f2 f3', cseq: 1, cseqMethod: 'INVITE', viaBranch: 'fb' },
    { isRequest: false, status: 200, reason: 'OK', callId: 'f1 f2 f3', cseq: 1, cseqMethod: 'INVITE', viaBranch: 'fb' },
  ],
  sdpBareCr: [
    { isRequest: false, status: 200, reason: 'OK', callId: 's', cseq: 1, cseqMethod: 'INVITE', sdp: { codecs: ['PCMU'], addr: '2.2.2.2', port: 4000 } },
    { isRequest: false, status: 200, reason: 'OK', callId: 's', cseq: 1, cseqMethod: 'INVITE', sdp: { codecs: [], addr: '2.2.2.2', port: 4000 } },
  ],
  sdpLfOnly: [
    { isRequest: false, status: 200, reason: 'OK', callId: 's', cseq: 1, cseqMethod: 'INVITE', sdp: { codecs: ['0', 'PCMA'], addr: '1.1.1.1', port: 4000 } },
    { isRequest: false, status: 200, reason: 'OK', callId: 's', cseq: 1, cseqMethod: 'INVITE', sdp: { codecs: [], addr: '1.1.1.1', port: 4000 } },
  ],
  sdpMixed: [
    { isRequest: false, status: 200, reason: 'OK', callId: 's', cseq: 1, cseqMethod: 'INVITE', sdp: { codecs: ['0', '8'], addr: '3.3.3.3', port: 4000 } },
    { isRequest: false, status: 200, reason: 'OK', callId: 's', cseq: 1, cseqMethod: 'INVITE', sdp: { codecs: [], addr: '3.3.3.3', port: 4000 } },
  ],
  uriOdd: [
    { isRequest: true, method: 'BYE', requestUri: 'sip:x@h', callId: 'u', cseq: 2, cseqMethod: 'BYE', fromUser: 'host', fromTag: '1', toUser: 'u', toTag: '2' },
    { isRequest: true, method: 'BYE', callId: 'u', cseq: 2, cseqMethod: 'BYE', fromTag: '1', toTag: '2' },
  ],
  uriOdd2: [
    { isRequest: true, method: 'INVITE', requestUri: 'sip:x@h', callId: 'u', cseq: 2, cseqMethod: 'INVITE', fromUser: 'al', fromDisplay: 'A', fromTag: '9', toUser: '+1:2' },
    { isRequest: true, method: 'INVITE', callId: 'u', cseq: 2, cseqMethod: 'INVITE', fromUser: 'al', fromTag: '9', toUser: '+1:2' },
  ],
  params: [
    { isRequest: false, status: 200, reason: 'OK', callId: 'p', cseq: 1, cseqMethod: 'INVITE', fromUser: 'a', fromTag: '2', toUser: 'a', viaBranch: 'q\\"x' },
    { isRequest: false, status: 200, reason: 'OK', callId: 'p', cseq: 1, cseqMethod: 'INVITE', fromTag: '2', toUser: '', viaBranch: 'q\\"x' },
  ],
  noGt: [
    { isRequest: false, status: 180, reason: 'Ringing', callId: 'g', cseq: 1, cseqMethod: 'INVITE', fromUser: 'a', fromDisplay: 'A', toUser: 'b', toTag: '2' },
    { isRequest: false, status: 180, callId: 'g', cseq: 1, cseqMethod: 'INVITE', fromUser: '', toTag: '2' },
  ],
  noGtAtEnd: [
    { isRequest: true, method: 'BYE', requestUri: 'sip:x@h', callId: 'g', cseq: 1, cseqMethod: 'BYE', fromUser: 'a' },
    { isRequest: true, method: 'BYE', callId: 'g', cseq: 1, cseqMethod: 'BYE', fromUser: '' },
  ],
  oddBranch: [
    { isRequest: false, status: 200, reason: 'OK', callId: 'o', cseq: 1, cseqMethod: 'INVITE', fromUser: 'a', fromTag: '\ufffdt', toUser: 'b', toTag: '12345678901234567890123456789012345', viaBranch: 'a\u0001b\u007f' },
    { isRequest: false, status: 200, reason: 'OK', callId: 'o', cseq: 1, cseqMethod: 'INVITE', fromTag: '\ufffdt', toTag: '12345678901234567890123456789012345', viaBranch: 'a\u0001b\u007f' },
  ],
  cseqLong: [
    { isRequest: false, status: 200, reason: 'OK', callId: 'c', cseq: 9999999999, cseqMethod: 'INVITE' },
    { isRequest: false, status: 200, reason: 'OK', callId: 'c', cseq: 9999999999, cseqMethod: 'INVITE' },
  ],
  cseqTooLong: [
    { isRequest: false, status: 200, reason: 'OK', callId: 'c', cseq: 2, cseqMethod: 'BYE' },
    { isRequest: false, status: 200, callId: 'c', cseq: 2, cseqMethod: 'BYE' },
  ],
  nonAscii: [
    { isRequest: true, method: 'INVITE', requestUri: 'sip:x@h', callId: '\u007fdel\tx', cseq: 1, cseqMethod: 'INVITE', fromUser: 'j\u00fc', fromDisplay: 'J\u00fcrgen', fromTag: '\u00e9', userAgent: 'A\tB' },
    { isRequest: true, method: 'INVITE', callId: '\u007fdel\tx', cseq: 1, cseqMethod: 'INVITE', fromUser: 'j\u00fc', fromTag: '\u00e9', userAgent: 'A\tB' },
  ],
};

describe('scanner byte-level edge cases (full and lean scans)', () => {
  for (const [name, msg] of Object.entries(cases)) {
    it(name, () => {
      expect(scan(msg, false)).toEqual(want[name]![0]);
      expect(scan(msg, true)).toEqual(want[name]![1]);
    });
  }
});

describe('text()', () => {
  it('trims, joins folded lines, keeps HT and DEL, decodes UTF-8, makes values past 32 bytes whole', () => {
    const t = (s: string): string => {
      const b = Buffer.from(s, 'latin1');
      return text(b, 0, b.length);
    };
    expect(['  a b  ', 'a\r\n b', '\u007f', 'a\tb', '\u00c3\u00a9x', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', ' \r\n '].map(t)).toEqual(['a b', 'a b', '\u007f', 'a\tb', '\u00e9x', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '']);
  });
});
