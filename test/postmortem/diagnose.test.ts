import { describe, expect, it } from 'vitest';
import { diagnose, isPrivateIpv4, uriHost } from '../../src/postmortem/diagnose.js';
import { LegIndex, sameNumber } from '../../src/postmortem/legs.js';
import { buildFlow, flowHtml, flowText } from '../../src/postmortem/ladder.js';
import { scanSipMessage } from '../../src/sip/scanner.js';
import { CallFlag, type CallRecord, type SipMessage } from '../../src/types.js';

const A = '10.1.1.1';
const P = '10.2.2.2';
let t = 0;

/** A message of call `c1` on the hop A ⇄ P (`up` = A → P). */
type Opt = Partial<SipMessage> & { at?: number; up?: boolean };
function m(opt: Opt): SipMessage {
  const { at, up: upOpt, ...o } = opt;
  const up = upOpt ?? o.isRequest ?? false;
  const ts = at ?? (t += 10);
  return {
    ts, src: up ? A : P, srcPort: 5060, dst: up ? P : A, dstPort: 5060, transport: 'udp', isRequest: false, callId: 'c1', cseq: 1, cseqMethod: 'INVITE',
    fromTag: 'f', position: { file: 'x', packet: 1 }, ...o,
  };
}
const inv = (o: Opt = {}): SipMessage => m({ isRequest: true, method: 'INVITE', requestUri: 'sip:100@10.2.2.2', fromUser: '200', toUser: '100', ...o });
const resp = (status: number, reason: string, o: Opt = {}): SipMessage => m({ status, reason, toTag: status > 100 ? 't' : undefined, ...o });
const req = (method: string, o: Opt = {}): SipMessage => m({ isRequest: true, method, cseqMethod: method === 'ACK' ? 'ACK' : method, toTag: 't', ...o });
const ids = (ms: SipMessage[], r?: CallRecord): string[] => diagnose(ms, r ? [r] : []).map((d) => d.id);

const record = (o: Partial<CallRecord>): CallRecord => ({ callId: 'c1', route: 'r', start: 0, codeSource: 'sip', flags: 0, source: { file: 'x' }, ...o });

describe('diagnose on hand-made message lists', () => {
  it('a normal answered call gets nothing', () => {
    t = 0;
    const ms = [inv(), resp(100, 'Trying'), resp(180, 'Ringing'), resp(200, 'OK'), req('ACK', { cseq: 1, up: true }), req('BYE', { cseq: 2, cseqMethod: 'BYE', up: true }), resp(200, 'OK', { cseq: 2, cseqMethod: 'BYE' })];
    expect(ids(ms, record({ answer: 1, rtp: { fromCaller: 100, fromCallee: 100 } }))).toEqual([]);
  });

  it('a re-INVITE refused inside an answered call is not how the call ended', () => {
    t = 0;
    const ms = [inv(), resp(200, 'OK'), req('ACK', { up: true }), req('INVITE', { up: true, cseq: 2, cseqMethod: 'INVITE' }), resp(488, 'Not Acceptable Here', { cseq: 2 }), req('ACK', { up: true, cseq: 2 })];
    expect(ids(ms)).toEqual([]);
  });

  it('one challenge answered with credentials is the normal handshake, not auth-failed', () => {
    t = 0;
    expect(ids([inv(), resp(401, 'Unauthorized'), req('ACK', { up: true }), inv({ cseq: 2 }), resp(200, 'OK', { cseq: 2 }), req('ACK', { cseq: 2, up: true })])).toEqual([]);
  });

  it('repeated challenges without success are auth-failed', () => {
    t = 0;
    const ms = [inv(), resp(407, 'Proxy Authentication Required'), inv({ cseq: 2 }), resp(407, 'Proxy Authentication Required', { cseq: 2 })];
    const d = diagnose(ms);
    expect(d.map((x) => x.id)).toEqual(['auth-failed']);
    expect(d[0]!.hint?.id).toBe('credentials');
    expect(d[0]!.evidence.map((e) => e.index)).toEqual([1, 3]);
  });

  it('stale nonce: from the phrase, or stale=true in the raw challenge (any case, spaces, quotes)', () => {
    t = 0;
    expect(ids([inv(), resp(401, 'Stale Nonce')])).toContain('stale-nonce');
    expect(ids([inv(), resp(401, 'Unauthorized', { raw: 'SIP/2.0 401 Unauthorized\r\nWWW-Authenticate: Digest nonce="x", Stale = "TRUE"\r\n\r\n' })])).toContain('stale-nonce');
    expect(ids([inv(), resp(401, 'Unauthorized', { raw: 'SIP/2.0 401 Unauthorized\r\nWWW-Authenticate: Digest nonce="x", stale=false\r\n\r\n' })])).not.toContain('stale-nonce');
  });

  it('200 OK relayed once per hop is not a retransmission; retransmitted and never ACKed is no-ack', () => {
    t = 0;
    const relayed = [inv(), resp(200, 'OK'), m({ status: 200, reason: 'OK', src: '10.3.3.3', dst: P, toTag: 't' })];
    expect(ids(relayed)).toEqual([]);
    const lost = [inv({ at: 0 }), resp(200, 'OK', { at: 1000 }), resp(200, 'OK', { at: 1500 }), resp(200, 'OK', { at: 2500 }), req('BYE', { at: 33000, up: false, cseq: 1, cseqMethod: 'BYE' })];
    const d = diagnose(lost);
    expect(d.map((x) => x.id)).toEqual(['no-ack']);
    expect(d[0]!.text.en).toContain('32.0 s');
    expect(d[0]!.hint?.id).toBe('no-ack-30s');
    // the same with an ACK: nothing
    expect(ids([...lost.slice(0, 3), req('ACK', { at: 1600, up: true }), ...lost.slice(3)])).toEqual([]);
  });

  it('no final response: a timeout only when there was time for one', () => {
    t = 0;
    expect(ids([inv({ at: 0 })])).toEqual([]); // the capture just ended
    expect(ids([inv({ at: 0 }), inv({ at: 500 })])).toEqual(['timeout']);
    expect(ids([inv({ at: 0 })], record({ flags: CallFlag.TimedOut }))).toEqual(['timeout']);
    expect(ids([inv({ at: 0 }), resp(100, 'Trying', { at: 5 }), resp(408, 'Request Timeout', { at: 32000 })])).toEqual(['timeout']);
  });

  it('busy: from the proxy itself (same Server as its 100) vs from the device', () => {
    t = 0;
    const proxy = diagnose([inv(), resp(100, 'Trying', { userAgent: 'PBX 1' }), resp(486, 'Busy Here', { userAgent: 'PBX 1' })]);
    expect(proxy.map((x) => x.id)).toEqual(['busy']);
    expect(proxy[0]!.text.en).toContain('generated by the next hop');
    const device = diagnose([inv(), resp(100, 'Trying', { userAgent: 'PBX 1' }), resp(486, 'Busy Here', { userAgent: 'Phone 2' })]);
    expect(device.map((x) => x.id)).toEqual(['busy-at-device']);
    // a forwarded INVITE whose Request-URI names the sender of the 486: the device's contact
    const D = '10.9.9.9';
    const hop2 = (o: Partial<SipMessage>): Partial<SipMessage> => ({ src: P, dst: D, ...o });
    const uri = diagnose([inv(), inv(hop2({ requestUri: `sip:100@${D}:5062` })), resp(486, 'Busy Here', { src: D, dst: P })]);
    expect(uri.map((x) => x.id)).toEqual(['busy-at-device']);
    expect(uri[0]!.text.en).toContain('contact address');
    // on the first hop the Request-URI names the proxy: no conclusion
    expect(ids([inv({ requestUri: `sip:100@${P}` }), resp(486, 'Busy Here')])).toEqual(['busy']);
  });

  it('no-route: 404/484/604 and a 403 with a route-set phrase; not a plain 403', () => {
    t = 0;
    expect(ids([inv(), resp(604, 'Does Not Exist Anywhere')])).toEqual(['no-route']);
    const d484 = diagnose([inv(), resp(484, 'Address Incomplete')]);
    expect(d484.map((x) => x.id)).toEqual(['no-route']);
    expect(d484[0]!.hint?.id).toBe('number-incomplete');
    const d403 = diagnose([inv(), resp(403, 'Empty Route Set')]);
    expect(d403.map((x) => x.id)).toEqual(['no-route']);
    expect(d403[0]!.hint?.id).toBe('no-route');
    expect(ids([inv(), resp(403, 'Forbidden')])).toEqual([]);
  });

  it('overload: 503 with Retry-After, 500 with a quota phrase; a plain 500 is not', () => {
    t = 0;
    const d = diagnose([inv(), resp(503, 'Service Unavailable', { retryAfter: 120 })]);
    expect(d.map((x) => x.id)).toEqual(['overload']);
    expect(d[0]!.text.en).toContain('120');
    expect(ids([inv(), resp(500, 'Call placing quota exceeded')])).toEqual(['overload']);
    expect(ids([inv(), resp(500, 'Internal Server Error')])).toEqual([]);
  });

  it('codec: offered and accepted codecs named, static payload types too', () => {
    t = 0;
    const d = diagnose([inv({ sdp: { codecs: ['18'] } }), resp(415, 'Unsupported Media Type', { sdp: { codecs: ['PCMA'] } })]);
    expect(d[0]!.id).toBe('codec');
    expect(d[0]!.text.en).toContain('G729 (18)');
    expect(d[0]!.text.en).toContain('PCMA');
  });

  it('cancelled: ring time from the first 18x to the CANCEL', () => {
    t = 0;
    const d = diagnose([inv({ at: 0 }), resp(180, 'Ringing', { at: 1000 }), req('CANCEL', { at: 9000, up: true, toTag: undefined }), resp(487, 'Request Terminated', { at: 9010 })]);
    expect(d.map((x) => x.id)).toEqual(['cancelled']);
    expect(d[0]!.text.en).toContain('8.0 s of ringing');
    // the capture stops before the 487: the CANCEL's 200 is enough; a CANCEL without any answer is not
    const cut = [inv({ at: 0 }), req('CANCEL', { at: 3000, up: true, toTag: undefined }), resp(200, 'OK', { at: 3005, cseqMethod: 'CANCEL' })];
    expect(ids(cut)).toEqual(['cancelled']);
    expect(ids(cut.slice(0, 2))).toEqual([]);
  });

  it('one-way audio from the record, with the private-ip hint when the SDP has one', () => {
    t = 0;
    const ms = [inv({ sdp: { addr: '192.168.1.20', port: 4000, codecs: ['PCMU'] } }), resp(200, 'OK'), req('ACK', { up: true })];
    const d = diagnose(ms, [record({ answer: 1, rtp: { fromCaller: 0, fromCallee: 300 } })]);
    expect(d.map((x) => x.id)).toEqual(['one-way-audio']);
    expect(d[0]!.hint?.id).toBe('private-ip');
    expect(ids(ms, record({ answer: 1, rtp: { fromCaller: 0, fromCallee: 0 } }))).toEqual([]);
    // offer and answer on one host: no attribution, no conclusion
    const hairpin = [ms[0]!, resp(200, 'OK', { sdp: { addr: '192.168.1.20', port: 4002, codecs: ['PCMU'] } }), ms[2]!];
    expect(ids(hairpin, record({ answer: 1, rtp: { fromCaller: 0, fromCallee: 300 } }))).toEqual([]);
    // another hop of the call saw both directions
    expect(diagnose(ms, [record({ answer: 1, rtp: { fromCaller: 0, fromCallee: 300 } }), record({ answer: 1, rtp: { fromCaller: 5, fromCallee: 300 } })])).toEqual([]);
  });

  it('helpers', () => {
    expect(uriHost('sip:100@[2001:db8::1]:5060;transport=udp')).toBe('2001:db8::1');
    expect(uriHost('sips:alice@example.com;x=y')).toBe('example.com');
    expect(uriHost('<sip:10.0.0.1:5070>')).toBe('10.0.0.1');
    expect(isPrivateIpv4('172.20.1.1')).toBe(true);
    expect(isPrivateIpv4('172.32.1.1')).toBe(false);
  });
});

describe('leg linking', () => {
  it('numbers in other formats, within the window, on another hop; correlation header either way', () => {
    expect(sameNumber('+7 (495) 123-45-67', '84951234567')).toBe(true);
    expect(sameNumber('4951234567', '74951234567')).toBe(true);
    expect(sameNumber('1001', '1002')).toBe(false);
    const ix = new LegIndex();
    const base = { src: A, srcPort: 5060, dst: P, dstPort: 5060, transport: 'udp' as const, isRequest: true, method: 'INVITE', cseq: 1, cseqMethod: 'INVITE', position: { file: 'x' } };
    ix.add({ ...base, ts: 0, callId: 'a', fromUser: '74951234567', toUser: '74957654321' });
    // the B2BUA's other side: the proxy on to a vendor
    ix.add({ ...base, src: P, dst: '203.0.113.99', ts: 1200, callId: 'b', fromUser: '+74951234567', toUser: '+74957654321' });
    // a redial a second later on the same hop is a new attempt, not a leg
    ix.add({ ...base, ts: 1000, callId: 'redial', fromUser: '74951234567', toUser: '74957654321' });
    ix.add({ ...base, ts: 9000, callId: 'late', fromUser: '74951234567', toUser: '74957654321' });
    ix.add({ ...base, ts: 100, callId: 'other', fromUser: '74951234567', toUser: '74950000000' });
    ix.add({ ...base, ts: 50000, callId: 'corr', fromUser: 'x', toUser: 'y', correlation: 'a' });
    expect(ix.linked('a').map((l) => [l.callId, l.by])).toEqual([['b', 'numbers'], ['corr', 'correlation']]);
    expect(ix.linked('corr').map((l) => l.callId)).toEqual(['a']);
  });
});

describe('flow wording when no rule matched', () => {
  const msg = (text: string, ts: number, fromA: boolean): SipMessage => {
    const b = new TextEncoder().encode(text.replace(/\n/g, '\r\n'));
    const m = scanSipMessage(b, 0, b.length, { ts, src: fromA ? '192.0.2.1' : '192.0.2.2', srcPort: 5060, dst: fromA ? '192.0.2.2' : '192.0.2.1', dstPort: 5060, transport: 'udp', position: { file: 't', packet: 1 } });
    if (!m) throw new Error('not SIP');
    return m;
  };
  const head = (first: string, method: string): string =>
    `${first}\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\nFrom: <sip:1@192.0.2.1>;tag=a\nTo: <sip:2@192.0.2.2>\nCall-ID: sub-1\nCSeq: 1 ${method}\nContent-Length: 0\n\n`;

  it('a dialog whose only transaction failed (SUBSCRIBE → 404) is not "nothing wrong"', () => {
    const messages = [msg(head('SUBSCRIBE sip:2@192.0.2.2 SIP/2.0', 'SUBSCRIBE'), 1000, true), msg(head('SIP/2.0 404 Not Found', 'SUBSCRIBE'), 1010, false)];
    const text = flowText(buildFlow('sub-1', [{ callId: 'sub-1', by: 'self', messages, records: [] }]), { lang: 'en' });
    expect(text).toContain('no diagnosis rule matched');
    expect(text).not.toContain('nothing wrong found');
    const ok = [messages[0]!, msg(head('SIP/2.0 200 OK', 'SUBSCRIBE'), 1010, false)];
    expect(flowText(buildFlow('sub-1', [{ callId: 'sub-1', by: 'self', messages: ok, records: [] }]), { lang: 'en' })).toContain('nothing wrong found');
  });

  it('html: Russian headings with --lang ru, and a bidi override in the Call-ID isolated (h1) or replaced (title)', () => {
    const id = 'sub-1\u202egnp.exe';
    const messages = [msg(head('SUBSCRIBE sip:2@192.0.2.2 SIP/2.0', 'SUBSCRIBE').replace('sub-1', id), 1000, true)];
    const html = flowHtml(buildFlow(id, [{ callId: id, by: 'self', messages, records: [] }]), 'ru');
    expect(html).toContain('<th>плечо</th>');
    expect(html).toContain('<h1>Вызов <bdi>sub-1\u202egnp.exe</bdi></h1>');
    expect(html).toContain('<title>sipscope flow sub-1\uFFFDgnp.exe</title>');
  });
});
