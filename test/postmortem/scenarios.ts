/**
 * Hand-built call scenarios, one per diagnosis, written as small pcaps into fixtures/postmortem/ (the test
 * `fixtures.test.ts` checks that the committed files equal what this builds; PM_WRITE_FIXTURES=1 rewrites them).
 *
 * Addresses: caller phone A, proxy/PBX P, callee device D, B2BUA far side F, scanners S1/S2.
 */
import { ethernet, udpPacket, writePcap, type CapturedPacket } from '../../src/capture/writer.js';

export const A = '198.51.100.10';
export const P = '203.0.113.5';
export const D = '192.0.2.20';
export const F = '192.0.2.77';
export const T0 = Date.UTC(2024, 4, 14, 9, 30, 0);

export interface Scenario {
  name: string;
  /** Diagnosis ids expected for the Call-ID `callId` (in order). */
  expect: string[];
  callId: string;
  packets: CapturedPacket[];
}

interface Msg {
  t: number; // ms after T0
  from: string;
  to: string;
  text: string;
  sport?: number;
  dport?: number;
}

export function sdp(addr: string, port: number, codecs: Array<[number, string]>): string {
  return (
    `v=0\r\no=- 1 1 IN IP4 ${addr}\r\ns=-\r\nc=IN IP4 ${addr}\r\nt=0 0\r\n` +
    `m=audio ${port} RTP/AVP ${codecs.map((c) => c[0]).join(' ')}\r\n` +
    codecs.map(([pt, name]) => `a=rtpmap:${pt} ${name}/8000\r\n`).join('')
  );
}

interface Dialog {
  callId: string;
  from: string;
  fromTag: string;
  to: string;
  toTag?: string;
  caller: string;
  callee: string;
  ruri?: string;
}

/** A SIP message text; `resp` is a status line tail (`200 OK`), else the request method. */
export function sip(
  d: Dialog,
  o: { method?: string; resp?: string; cseq: number; cseqMethod?: string; from: string; branch?: string; toTag?: boolean; headers?: string[]; body?: string },
): string {
  const start = o.resp ? `SIP/2.0 ${o.resp}` : `${o.method} ${d.ruri ?? `sip:${d.callee}@${o.method === 'REGISTER' ? P : P}`} SIP/2.0`;
  const method = o.cseqMethod ?? o.method ?? 'INVITE';
  const body = o.body ?? '';
  const h = [
    start,
    `Via: SIP/2.0/UDP ${o.from}:5060;branch=z9hG4bK${o.branch ?? `${method.toLowerCase()}${o.cseq}`}`,
    `From: "${d.caller}" <sip:${d.caller}@${A}>;tag=${d.fromTag}`,
    `To: <sip:${d.callee}@${P}>${o.toTag !== false && d.toTag ? `;tag=${d.toTag}` : ''}`,
    `Call-ID: ${d.callId}`,
    `CSeq: ${o.cseq} ${method}`,
    ...(o.headers ?? []),
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  return h.join('\r\n') + '\r\n\r\n' + body;
}

function packets(ms: Msg[]): CapturedPacket[] {
  return ms
    .slice()
    .sort((a, b) => a.t - b.t)
    .map((m) => ({
      ts: T0 + m.t,
      data: ethernet(udpPacket({ src: m.from, dst: m.to, sport: m.sport ?? 5060, dport: m.dport ?? 5060, payload: m.text })),
    }));
}

/** RTP packets (PT 0, 20 ms) from src:sport to dst:dport. */
function rtp(from: string, sport: number, to: string, dport: number, t0: number, n: number, ssrc: number): CapturedPacket[] {
  const out: CapturedPacket[] = [];
  for (let i = 0; i < n; i++) {
    const d = new Uint8Array(12 + 160);
    d[0] = 0x80;
    d[1] = 0;
    d[2] = (i >> 8) & 0xff;
    d[3] = i & 0xff;
    const ts = i * 160;
    d[4] = (ts >>> 24) & 0xff; d[5] = (ts >>> 16) & 0xff; d[6] = (ts >>> 8) & 0xff; d[7] = ts & 0xff;
    d[8] = (ssrc >>> 24) & 0xff; d[9] = (ssrc >>> 16) & 0xff; d[10] = (ssrc >>> 8) & 0xff; d[11] = ssrc & 0xff;
    d.fill(0xff, 12);
    out.push({ ts: T0 + t0 + i * 20, data: ethernet(udpPacket({ src: from, dst: to, sport, dport, payload: d })) });
  }
  return out;
}

const byTs = (p: CapturedPacket[]): CapturedPacket[] => p.sort((a, b) => a.ts - b.ts);

const PCMU_PCMA: Array<[number, string]> = [[0, 'PCMU'], [8, 'PCMA']];

function dialog(n: string): Dialog {
  return { callId: `${n}-4f1c@${A}`, from: A, fromTag: `ft-${n}`, to: P, toTag: `tt-${n}`, caller: '74951230001', callee: '74957770002' };
}

/** INVITE with offer, 100, 180, 200 with answer, ACK — the common opening (answer at `ans` ms). */
function answered(d: Dialog, ans = 2000): Msg[] {
  return [
    { t: 0, from: A, to: P, text: sip(d, { method: 'INVITE', cseq: 1, from: A, toTag: false, headers: ['User-Agent: PhoneA/1.0'], body: sdp(A, 40000, PCMU_PCMA) }) },
    { t: 10, from: P, to: A, text: sip(d, { resp: '100 Trying', cseq: 1, from: A, toTag: false, headers: ['Server: Proxy/2.0'] }) },
    { t: 300, from: P, to: A, text: sip(d, { resp: '180 Ringing', cseq: 1, from: A }) },
    { t: ans, from: P, to: A, text: sip(d, { resp: '200 OK', cseq: 1, from: A, body: sdp(P, 50000, [[0, 'PCMU']]) }) },
  ];
}

function ack(d: Dialog, t: number, cseq = 1): Msg {
  return { t, from: A, to: P, text: sip(d, { method: 'ACK', cseq, from: A, branch: `ack${t}` }) };
}

export function scenarios(): Scenario[] {
  const out: Scenario[] = [];

  {
    const d = dialog('normal');
    const ms = [...answered(d), ack(d, 2020), { t: 12000, from: A, to: P, text: sip(d, { method: 'BYE', cseq: 2, from: A }) }, { t: 12010, from: P, to: A, text: sip(d, { resp: '200 OK', cseq: 2, cseqMethod: 'BYE', from: A }) }];
    out.push({ name: 'normal', expect: [], callId: d.callId, packets: byTs([...packets(ms), ...rtp(A, 40000, P, 50000, 2100, 50, 1), ...rtp(P, 50000, A, 40000, 2110, 50, 2)]) });
  }
  {
    const d = dialog('noack');
    const ms = answered(d);
    // 200 OK retransmitted at T1 doubling up to T2 = 4 s until 64·T1; never ACKed
    let t = 2000;
    let step = 500;
    while (t + step < 2000 + 32000) {
      t += step;
      ms.push({ t, from: P, to: A, text: sip(d, { resp: '200 OK', cseq: 1, from: A, body: sdp(P, 50000, [[0, 'PCMU']]) }) });
      step = Math.min(step * 2, 4000);
    }
    ms.push({ t: 34000, from: P, to: A, text: sip({ ...d }, { method: 'BYE', cseq: 1, cseqMethod: 'BYE', from: P, branch: 'byeP', headers: ['Reason: Q.850;cause=16'] }) });
    ms.push({ t: 34020, from: A, to: P, text: sip(d, { resp: '200 OK', cseq: 1, cseqMethod: 'BYE', from: P }) });
    out.push({ name: 'no-ack', expect: ['no-ack'], callId: d.callId, packets: packets(ms) });
  }
  {
    const d = dialog('t408');
    const ms: Msg[] = [
      { t: 0, from: A, to: P, text: sip(d, { method: 'INVITE', cseq: 1, from: A, toTag: false, body: sdp(A, 40000, PCMU_PCMA) }) },
      { t: 10, from: P, to: A, text: sip(d, { resp: '100 Trying', cseq: 1, from: A, toTag: false }) },
      { t: 32010, from: P, to: A, text: sip(d, { resp: '408 Request Timeout', cseq: 1, from: A }) },
      ack(d, 32030),
    ];
    out.push({ name: 'timeout-408', expect: ['timeout'], callId: d.callId, packets: packets(ms) });
  }
  {
    const d = dialog('tnone');
    const ms: Msg[] = [0, 500, 1500, 3500, 7500, 15500, 31500].map((t) => ({ t, from: A, to: P, text: sip(d, { method: 'INVITE', cseq: 1, from: A, toTag: false, body: sdp(A, 40000, PCMU_PCMA) }) }));
    out.push({ name: 'timeout-silent', expect: ['timeout'], callId: d.callId, packets: packets(ms) });
  }
  {
    const d = dialog('auth');
    const ms: Msg[] = [
      { t: 0, from: A, to: P, text: sip(d, { method: 'INVITE', cseq: 1, from: A, toTag: false, body: sdp(A, 40000, PCMU_PCMA) }) },
      { t: 5, from: P, to: A, text: sip(d, { resp: '407 Proxy Authentication Required', cseq: 1, from: A, headers: ['Proxy-Authenticate: Digest realm="p", nonce="n1"'] }) },
      ack(d, 10),
      { t: 20, from: A, to: P, text: sip(d, { method: 'INVITE', cseq: 2, from: A, toTag: false, headers: ['Proxy-Authorization: Digest username="1001", realm="p", nonce="n1", uri="sip:x", response="00"'], body: sdp(A, 40000, PCMU_PCMA) }) },
      { t: 25, from: P, to: A, text: sip(d, { resp: '403 Forbidden', cseq: 2, from: A }) },
      ack(d, 30, 2),
    ];
    out.push({ name: 'auth-failed', expect: ['auth-failed'], callId: d.callId, packets: packets(ms) });
  }
  {
    const d = dialog('stale');
    const ch = (n: string, stale: boolean): string[] => [`WWW-Authenticate: Digest realm="p", nonce="${n}", algorithm=MD5${stale ? ', stale=TRUE' : ''}`];
    const ms: Msg[] = [
      { t: 0, from: A, to: P, text: sip(d, { method: 'INVITE', cseq: 1, from: A, toTag: false, body: sdp(A, 40000, PCMU_PCMA) }) },
      { t: 5, from: P, to: A, text: sip(d, { resp: '401 Unauthorized', cseq: 1, from: A, headers: ch('n1', false) }) },
      ack(d, 10),
      { t: 20, from: A, to: P, text: sip(d, { method: 'INVITE', cseq: 2, from: A, toTag: false, body: sdp(A, 40000, PCMU_PCMA) }) },
      { t: 25, from: P, to: A, text: sip(d, { resp: '401 Unauthorized', cseq: 2, from: A, headers: ch('n2', true) }) },
      ack(d, 30, 2),
      { t: 40, from: A, to: P, text: sip(d, { method: 'INVITE', cseq: 3, from: A, toTag: false, body: sdp(A, 40000, PCMU_PCMA) }) },
      { t: 45, from: P, to: A, text: sip(d, { resp: '100 Trying', cseq: 3, from: A, toTag: false }) },
      { t: 1045, from: P, to: A, text: sip(d, { resp: '200 OK', cseq: 3, from: A, body: sdp(P, 50000, [[0, 'PCMU']]) }) },
      ack(d, 1060, 3),
      { t: 6000, from: A, to: P, text: sip(d, { method: 'BYE', cseq: 4, from: A }) },
      { t: 6010, from: P, to: A, text: sip(d, { resp: '200 OK', cseq: 4, cseqMethod: 'BYE', from: A }) },
    ];
    out.push({ name: 'stale-nonce', expect: ['stale-nonce'], callId: d.callId, packets: packets(ms) });
  }
  {
    // proxy P forwards to the device D, which rang and then answered 486 itself
    const d = dialog('busydev');
    const dd: Dialog = { ...d, ruri: `sip:${d.callee}@${D}:5060` };
    const ms: Msg[] = [
      { t: 0, from: A, to: P, text: sip(d, { method: 'INVITE', cseq: 1, from: A, toTag: false, body: sdp(A, 40000, PCMU_PCMA) }) },
      { t: 5, from: P, to: A, text: sip(d, { resp: '100 Trying', cseq: 1, from: A, toTag: false, headers: ['Server: Proxy/2.0'] }) },
      { t: 8, from: P, to: D, text: sip(dd, { method: 'INVITE', cseq: 1, from: P, branch: 'fwd1', toTag: false, body: sdp(A, 40000, PCMU_PCMA) }) },
      { t: 40, from: D, to: P, text: sip(dd, { resp: '180 Ringing', cseq: 1, from: P, branch: 'fwd1', headers: ['Server: DeskPhone-T46/66.84'] }) },
      { t: 45, from: P, to: A, text: sip(d, { resp: '180 Ringing', cseq: 1, from: A, headers: ['Server: DeskPhone-T46/66.84'] }) },
      { t: 900, from: D, to: P, text: sip(dd, { resp: '486 Busy Here', cseq: 1, from: P, branch: 'fwd1', headers: ['Server: DeskPhone-T46/66.84'] }) },
      { t: 905, from: P, to: D, text: sip(dd, { method: 'ACK', cseq: 1, from: P, branch: 'fwd1' }) },
      { t: 910, from: P, to: A, text: sip(d, { resp: '486 Busy Here', cseq: 1, from: A, headers: ['Server: DeskPhone-T46/66.84'] }) },
      ack(d, 920),
    ];
    out.push({ name: 'busy-at-device', expect: ['busy-at-device'], callId: d.callId, packets: packets(ms) });
  }
  {
    const d = dialog('cancel');
    const ms: Msg[] = [
      { t: 0, from: A, to: P, text: sip(d, { method: 'INVITE', cseq: 1, from: A, toTag: false, body: sdp(A, 40000, PCMU_PCMA) }) },
      { t: 10, from: P, to: A, text: sip(d, { resp: '100 Trying', cseq: 1, from: A, toTag: false }) },
      { t: 400, from: P, to: A, text: sip(d, { resp: '180 Ringing', cseq: 1, from: A }) },
      { t: 12400, from: A, to: P, text: sip(d, { method: 'CANCEL', cseq: 1, from: A, branch: 'invite1', toTag: false }) },
      { t: 12410, from: P, to: A, text: sip(d, { resp: '200 OK', cseq: 1, cseqMethod: 'CANCEL', from: A, branch: 'invite1' }) },
      { t: 12420, from: P, to: A, text: sip(d, { resp: '487 Request Terminated', cseq: 1, from: A }) },
      ack(d, 12430),
    ];
    out.push({ name: 'cancelled', expect: ['cancelled'], callId: d.callId, packets: packets(ms) });
  }
  {
    const d = dialog('codec');
    const ms: Msg[] = [
      { t: 0, from: A, to: P, text: sip(d, { method: 'INVITE', cseq: 1, from: A, toTag: false, body: sdp(A, 40000, [[18, 'G729']]) }) },
      { t: 10, from: P, to: A, text: sip(d, { resp: '100 Trying', cseq: 1, from: A, toTag: false }) },
      { t: 30, from: P, to: A, text: sip(d, { resp: '488 Not Acceptable Here', cseq: 1, from: A, body: sdp(P, 50000, PCMU_PCMA) }) },
      ack(d, 40),
    ];
    out.push({ name: 'codec', expect: ['codec'], callId: d.callId, packets: packets(ms) });
  }
  {
    const d = dialog('noroute');
    const ms: Msg[] = [
      { t: 0, from: A, to: P, text: sip(d, { method: 'INVITE', cseq: 1, from: A, toTag: false, body: sdp(A, 40000, PCMU_PCMA) }) },
      { t: 10, from: P, to: A, text: sip(d, { resp: '100 Trying', cseq: 1, from: A, toTag: false }) },
      { t: 60, from: P, to: A, text: sip(d, { resp: '404 Not Found', cseq: 1, from: A }) },
      ack(d, 70),
    ];
    out.push({ name: 'no-route', expect: ['no-route'], callId: d.callId, packets: packets(ms) });
  }
  {
    const d = dialog('overload');
    const ms: Msg[] = [
      { t: 0, from: A, to: P, text: sip(d, { method: 'INVITE', cseq: 1, from: A, toTag: false, body: sdp(A, 40000, PCMU_PCMA) }) },
      { t: 15, from: P, to: A, text: sip(d, { resp: '503 Service Unavailable', cseq: 1, from: A, headers: ['Retry-After: 30'] }) },
      ack(d, 25),
    ];
    out.push({ name: 'overload', expect: ['overload'], callId: d.callId, packets: packets(ms) });
  }
  {
    const d = dialog('oneway');
    const ms = [...answered(d), ack(d, 2020), { t: 12000, from: A, to: P, text: sip(d, { method: 'BYE', cseq: 2, from: A }) }, { t: 12010, from: P, to: A, text: sip(d, { resp: '200 OK', cseq: 2, cseqMethod: 'BYE', from: A }) }];
    out.push({ name: 'one-way-audio', expect: ['one-way-audio'], callId: d.callId, packets: byTs([...packets(ms), ...rtp(A, 40000, P, 50000, 2100, 60, 1)]) });
  }
  {
    // the session timer agreed on the 200 OK (90 s, the caller to refresh) expires: no re-INVITE or UPDATE, and
    // the proxy ends the call 60 s after answer (RFC 4028: a third of the interval before the expiry)
    const d = dialog('sesstimer');
    const ms: Msg[] = [
      ...answered(d).slice(0, 3),
      { t: 2000, from: P, to: A, text: sip(d, { resp: '200 OK', cseq: 1, from: A, headers: ['Session-Expires: 90;refresher=uac', 'Require: timer'], body: sdp(P, 50000, [[0, 'PCMU']]) }) },
      ack(d, 2020),
      { t: 62000, from: P, to: A, text: sip(d, { method: 'BYE', cseq: 1, from: P, headers: ['Reason: SIP;cause=408;text="Session timer expired"'] }) },
      { t: 62010, from: A, to: P, text: sip(d, { resp: '200 OK', cseq: 1, cseqMethod: 'BYE', from: P }) },
    ];
    out.push({ name: 'dropped-session-timer', expect: ['dropped'], callId: d.callId, packets: packets(ms) });
  }
  {
    // a re-INVITE in the middle of the call answered 481: the proxy lost the dialog (a failover); the phone hangs up
    const d = dialog('lost481');
    const ms: Msg[] = [
      ...answered(d),
      ack(d, 2020),
      { t: 32000, from: A, to: P, text: sip(d, { method: 'INVITE', cseq: 2, from: A, body: sdp(A, 40000, PCMU_PCMA) }) },
      { t: 32040, from: P, to: A, text: sip(d, { resp: '481 Call/Transaction Does Not Exist', cseq: 2, from: A }) },
      ack(d, 32050, 2),
      { t: 32100, from: A, to: P, text: sip(d, { method: 'BYE', cseq: 3, from: A }) },
      { t: 32140, from: P, to: A, text: sip(d, { resp: '481 Call/Transaction Does Not Exist', cseq: 3, cseqMethod: 'BYE', from: A }) },
    ];
    out.push({ name: 'dropped-481', expect: ['dropped'], callId: d.callId, packets: packets(ms) });
  }
  {
    // the callee's media stops 3 s after answer while the caller's goes on; the caller's side hangs up 40 s in
    const d = dialog('rtptimeout');
    const ms = [...answered(d), ack(d, 2020), { t: 40000, from: A, to: P, text: sip(d, { method: 'BYE', cseq: 2, from: A }) }, { t: 40010, from: P, to: A, text: sip(d, { resp: '200 OK', cseq: 2, cseqMethod: 'BYE', from: A }) }];
    const media = [...rtp(A, 40000, P, 50000, 2100, 60, 1), ...rtp(P, 50000, A, 40000, 2110, 60, 2), ...rtp(A, 40000, P, 50000, 38900, 50, 3)];
    out.push({ name: 'dropped-rtp-timeout', expect: ['dropped'], callId: d.callId, packets: byTs([...packets(ms), ...media]) });
  }
  {
    // a B2BUA: leg A (phone → P) and leg B (P → far side F) with their own Call-IDs, tied by X-Call-Ref
    const a = dialog('b2bA');
    const b: Dialog = { ...dialog('b2bB'), callId: `legB-9911@${P}`, caller: '+74951230001', callee: '+74957770002', ruri: `sip:+74957770002@${F}` };
    const ms: Msg[] = [
      { t: 0, from: A, to: P, text: sip(a, { method: 'INVITE', cseq: 1, from: A, toTag: false, body: sdp(A, 40000, PCMU_PCMA) }) },
      { t: 5, from: P, to: A, text: sip(a, { resp: '100 Trying', cseq: 1, from: A, toTag: false }) },
      { t: 20, from: P, to: F, text: sip(b, { method: 'INVITE', cseq: 101, from: P, toTag: false, headers: [`X-Call-Ref: ${a.callId}`], body: sdp(P, 52000, PCMU_PCMA) }) },
      { t: 30, from: F, to: P, text: sip(b, { resp: '100 Trying', cseq: 101, from: P, toTag: false }) },
      { t: 700, from: F, to: P, text: sip(b, { resp: '480 Temporarily Unavailable', cseq: 101, from: P }) },
      { t: 705, from: P, to: F, text: sip(b, { method: 'ACK', cseq: 101, from: P }) },
      { t: 710, from: P, to: A, text: sip(a, { resp: '480 Temporarily Unavailable', cseq: 1, from: A }) },
      ack(a, 720),
    ];
    // an unrelated call at the same time (other numbers): must not be linked
    const u: Dialog = { ...dialog('other'), caller: '74951239999', callee: '74950000000' };
    ms.push({ t: 100, from: A, to: P, text: sip(u, { method: 'INVITE', cseq: 1, from: A, toTag: false, body: sdp(A, 40010, PCMU_PCMA) }) });
    ms.push({ t: 160, from: P, to: A, text: sip(u, { resp: '404 Not Found', cseq: 1, from: A }) });
    out.push({ name: 'b2bua-legs', expect: ['unavailable'], callId: a.callId, packets: packets(ms) });
  }
  return out;
}

/**
 * An answered call through a B2BUA P: leg A (phone A → P) and leg B (P → far side F), each with its own Call-ID,
 * linked by their numbers (written differently on leg B), and how it ended 30 s after answer: the B2BUA sends the
 * BYE on both legs itself (`b2bua`: an RTP time-out, a duration limit), or a party hangs up and P relays the BYE
 * to the other leg (`caller`, `callee`). A BYE carries its sender's tag in From (RFC 3261 §12.2.1.1).
 */
export function b2buaEnding(end: 'b2bua' | 'caller' | 'callee'): { callIdA: string; callIdB: string; packets: CapturedPacket[] } {
  const a = dialog(`b2bEnd-${end}`);
  const b: Dialog = { ...dialog(`b2bEndB-${end}`), callId: `legB-${end}-7712@${P}`, caller: '+74951230001', callee: '+74957770002', ruri: `sip:+74957770002@${F}` };
  /** The dialog as its callee side writes a request: its own tag in From. */
  const back = (d: Dialog): Dialog => ({ ...d, fromTag: d.toTag!, toTag: d.fromTag });
  const ms: Msg[] = [
    { t: 0, from: A, to: P, text: sip(a, { method: 'INVITE', cseq: 1, from: A, toTag: false, body: sdp(A, 40000, PCMU_PCMA) }) },
    { t: 5, from: P, to: A, text: sip(a, { resp: '100 Trying', cseq: 1, from: A, toTag: false }) },
    { t: 20, from: P, to: F, text: sip(b, { method: 'INVITE', cseq: 101, from: P, toTag: false, body: sdp(P, 52000, PCMU_PCMA) }) },
    { t: 30, from: F, to: P, text: sip(b, { resp: '100 Trying', cseq: 101, from: P, toTag: false }) },
    { t: 300, from: F, to: P, text: sip(b, { resp: '180 Ringing', cseq: 101, from: P }) },
    { t: 310, from: P, to: A, text: sip(a, { resp: '180 Ringing', cseq: 1, from: A }) },
    { t: 2000, from: F, to: P, text: sip(b, { resp: '200 OK', cseq: 101, from: P, body: sdp(F, 30000, [[0, 'PCMU']]) }) },
    { t: 2010, from: P, to: F, text: sip(b, { method: 'ACK', cseq: 101, from: P, branch: 'ackb' }) },
    { t: 2020, from: P, to: A, text: sip(a, { resp: '200 OK', cseq: 1, from: A, body: sdp(P, 50000, [[0, 'PCMU']]) }) },
    ack(a, 2030),
  ];
  const bye = (t: number, d: Dialog, from: string, to: string, cseq: number): Msg[] => [
    { t, from, to, text: sip(d, { method: 'BYE', cseq, from, branch: `bye${t}` }) },
    { t: t + 10, from: to, to: from, text: sip(d, { resp: '200 OK', cseq, cseqMethod: 'BYE', from, branch: `bye${t}` }) },
  ];
  if (end === 'b2bua') ms.push(...bye(32_000, b, P, F, 102), ...bye(32_020, back(a), P, A, 1));
  else if (end === 'caller') ms.push(...bye(32_000, a, A, P, 2), ...bye(32_020, b, P, F, 102));
  else ms.push(...bye(32_000, back(b), F, P, 1), ...bye(32_020, back(a), P, A, 1));
  return { callIdA: a.callId, callIdB: b.callId, packets: packets(ms) };
}

/** One refused call per Call-ID (INVITE, 486, ACK), a second apart: for finding calls by their Call-IDs. */
export function busyCalls(callIds: readonly string[]): CapturedPacket[] {
  const ms: Msg[] = [];
  callIds.forEach((callId, i) => {
    const d: Dialog = { ...dialog(`busy${i}`), callId };
    const t = i * 1000;
    ms.push(
      { t, from: A, to: P, text: sip(d, { method: 'INVITE', cseq: 1, from: A, toTag: false, body: sdp(A, 40000, PCMU_PCMA) }) },
      { t: t + 100, from: P, to: A, text: sip(d, { resp: '486 Busy Here', cseq: 1, from: A }) },
      ack(d, t + 110),
    );
  });
  return packets(ms);
}

/** A call whose INVITE is not in the capture (it began before): a 180, the 486 and its ACK only. */
export function noInviteCapture(): { callId: string; packets: CapturedPacket[] } {
  const d = dialog('noinvite');
  const ms: Msg[] = [
    { t: 0, from: P, to: A, text: sip(d, { resp: '180 Ringing', cseq: 1, from: A }) },
    { t: 30_000, from: P, to: A, text: sip(d, { resp: '486 Busy Here', cseq: 1, from: A }) },
    ack(d, 30_010),
  ];
  return { callId: d.callId, packets: packets(ms) };
}

/** A scanner capture: a friendly-scanner sweep, a registration brute force, and a normal phone. */
export const S1 = '45.134.26.11';
export const S2 = '185.53.88.7';
export const PHONE = '198.51.100.33';
export const S3 = '80.82.77.33';

export function scannerCapture(): CapturedPacket[] {
  const ms: Msg[] = [];
  let t = 0;
  // S1: friendly-scanner OPTIONS + REGISTER to 40 extensions, answered 404/401
  for (let i = 0; i < 40; i++) {
    const ext = String(100 + i);
    const d: Dialog = { callId: `scan${i}`, from: S1, fromTag: `s${i}`, to: P, caller: ext, callee: ext, ruri: `sip:${ext}@${P}` };
    const method = i % 2 ? 'OPTIONS' : 'REGISTER';
    ms.push({ t: (t += 50), from: S1, to: P, sport: 5070, text: sip(d, { method, cseq: 1, from: S1, toTag: false, headers: ['User-Agent: friendly-scanner'] }) });
    ms.push({ t: (t += 2), from: P, to: S1, dport: 5070, text: sip({ ...d, toTag: `r${i}` }, { resp: method === 'REGISTER' ? '401 Unauthorized' : '404 Not Found', cseq: 1, cseqMethod: method, from: S1 }) });
  }
  // S2: REGISTER brute force on 1001: challenge, wrong answer, 403 — 15 times
  for (let i = 0; i < 15; i++) {
    const d: Dialog = { callId: `bf${i}`, from: S2, fromTag: `b${i}`, to: P, caller: '1001', callee: '1001', ruri: `sip:${P}` };
    ms.push({ t: (t += 100), from: S2, to: P, text: sip(d, { method: 'REGISTER', cseq: 1, from: S2, toTag: false, headers: ['User-Agent: Zoiper rv2.8'] }) });
    ms.push({ t: (t += 2), from: P, to: S2, text: sip({ ...d, toTag: `x${i}` }, { resp: '401 Unauthorized', cseq: 1, cseqMethod: 'REGISTER', from: S2 }) });
    ms.push({ t: (t += 20), from: S2, to: P, text: sip(d, { method: 'REGISTER', cseq: 2, from: S2, toTag: false, headers: ['User-Agent: Zoiper rv2.8'] }) });
    ms.push({ t: (t += 2), from: P, to: S2, text: sip({ ...d, toTag: `y${i}` }, { resp: '403 Forbidden', cseq: 2, cseqMethod: 'REGISTER', from: S2 }) });
  }
  // S3: "ghost calls": INVITEs presenting 1000/1001 to 15 extensions, no User-Agent, answered 404
  for (let i = 0; i < 15; i++) {
    const ext = String(200 + i);
    const d: Dialog = { callId: `gh${i}`, from: S3, fromTag: `g${i}`, to: P, caller: i % 2 ? '1001' : '1000', callee: ext, ruri: `sip:${ext}@${P}` };
    ms.push({ t: (t += 70), from: S3, to: P, text: sip(d, { method: 'INVITE', cseq: 1, from: S3, toTag: false, body: sdp(S3, 10000, [[0, 'PCMU']]) }) });
    ms.push({ t: (t += 3), from: P, to: S3, text: sip({ ...d, toTag: `h${i}` }, { resp: '404 Not Found', cseq: 1, from: S3 }) });
    ms.push({ t: (t += 3), from: S3, to: P, text: sip({ ...d, toTag: `h${i}` }, { method: 'ACK', cseq: 1, from: S3 }) });
  }
  // a normal phone registering twice (challenge, then 200)
  for (let i = 0; i < 2; i++) {
    const d: Dialog = { callId: `ph${i}`, from: PHONE, fromTag: `p${i}`, to: P, caller: '2001', callee: '2001', ruri: `sip:${P}` };
    ms.push({ t: (t += 300), from: PHONE, to: P, text: sip(d, { method: 'REGISTER', cseq: 1, from: PHONE, toTag: false, headers: ['User-Agent: DeskPhone-T46/66.84'] }) });
    ms.push({ t: (t += 2), from: P, to: PHONE, text: sip({ ...d, toTag: `q${i}` }, { resp: '401 Unauthorized', cseq: 1, cseqMethod: 'REGISTER', from: PHONE }) });
    ms.push({ t: (t += 20), from: PHONE, to: P, text: sip(d, { method: 'REGISTER', cseq: 2, from: PHONE, toTag: false, headers: ['User-Agent: DeskPhone-T46/66.84'] }) });
    ms.push({ t: (t += 2), from: P, to: PHONE, text: sip({ ...d, toTag: `z${i}` }, { resp: '200 OK', cseq: 2, cseqMethod: 'REGISTER', from: PHONE }) });
  }
  return packets(ms);
}

export function pcapOf(p: CapturedPacket[]): Uint8Array {
  return writePcap(p);
}
