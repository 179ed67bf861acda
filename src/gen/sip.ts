/**
 * RFC 3261 message text for a generated call: every request and response as it appears on the wire,
 * in time order, with Via branches, tags, CSeq and Content-Length that a real UA would send.
 */
import { type GenCall, reasonOf, RTT_MS, T1_MS, callTimes } from './scenario.js';

/** One SIP message of a call. `out` = sent by our side (local → next hop). */
export interface SipEvent {
  ts: number;
  out: boolean;
  text: string;
  /** Kind, for writers that treat some messages specially (e.g. the INVITE for fragmentation). */
  kind: 'invite' | 'other';
}

const UA_LOCAL = 'sipscope-gen SBC/1.0';
const UA_REMOTE = 'sipscope-gen Carrier-GW/2.3';

/** RTP ports of a call (even, distinct per call; wrap within the dynamic range). */
export function rtpPorts(c: GenCall): { local: number; remote: number } {
  const n = (c.index % 12_000) * 2;
  return { local: 20_000 + n, remote: 40_000 + n };
}

function sdp(addr: string, port: number, sess: number, candidates: number): string {
  let s =
    `v=0\r\no=- ${sess} ${sess} IN IP4 ${addr}\r\ns=-\r\nc=IN IP4 ${addr}\r\nt=0 0\r\n` +
    `m=audio ${port} RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n` +
    `a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\n`;
  for (let i = 0; i < candidates; i++) {
    s += `a=candidate:${i + 1} 1 UDP ${2130706431 - i * 256} ${addr} ${port + i * 2} typ host generation 0\r\n`;
  }
  return s + 'a=sendrecv\r\n';
}

function withBody(head: string, body: string, contentType: string): string {
  if (body === '') return `${head}Content-Length: 0\r\n\r\n`;
  return `${head}Content-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** The messages of one call, sorted by time. */
export function callMessages(c: GenCall): SipEvent[] {
  const t = callTimes(c);
  const ev: SipEvent[] = [];
  const tp = c.transport === 'tcp' ? 'TCP' : 'UDP';
  const tpParam = c.transport === 'tcp' ? ';transport=tcp' : '';
  const lh = `${c.local}:${c.localPort}`;
  const rh = `${c.nextHop}:${c.nextHopPort}`;
  const id = c.callId;
  const key = id.slice(0, 10);
  const fromTag = `ft${key}`;
  const toTag = `tt${key}`;
  const from = `"${c.caller}" <sip:${c.caller}@${c.local}>;tag=${fromTag}`;
  const toNoTag = `<sip:${c.callee}@${c.nextHop}>`;
  const to = `${toNoTag};tag=${toTag}`;
  const ruri = `sip:${c.callee}@${rh}${tpParam}`;
  const contactL = `<sip:${c.caller}@${lh}${tpParam}>`;
  const contactR = `<sip:${c.callee}@${rh}${tpParam}>`;
  const ports = rtpPorts(c);
  const sess = 1000 + c.index;
  const offer = sdp(c.local, ports.local, sess, c.bigInvite ? 16 : 0);
  const answerSdp = sdp(c.nextHop, ports.remote, 5000 + c.index, 0);

  const invite = (cseq: number, branch: string, auth: boolean): string =>
    withBody(
      `INVITE ${ruri} SIP/2.0\r\nVia: SIP/2.0/${tp} ${lh};branch=${branch};rport\r\nMax-Forwards: 70\r\n` +
        `From: ${from}\r\nTo: ${toNoTag}\r\nCall-ID: ${id}\r\nCSeq: ${cseq} INVITE\r\nContact: ${contactL}\r\n` +
        (auth
          ? `Authorization: Digest username="sbc", realm="${c.nextHop}", nonce="n${key}", uri="${ruri}", response="${key}${key}", algorithm=MD5\r\n`
          : '') +
        `P-Asserted-Identity: <sip:${c.caller}@${c.local}>\r\n` +
        `Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, PRACK, UPDATE, INFO, REFER, NOTIFY\r\nSupported: replaces, timer\r\n` +
        `Session-Expires: 1800\r\nUser-Agent: ${UA_LOCAL}\r\n`,
      offer,
      'application/sdp',
    );
  const response = (
    code: number,
    branch: string,
    cseq: number,
    method: string,
    tag: boolean,
    extra: string,
    body: string,
  ): string =>
    withBody(
      `SIP/2.0 ${code} ${reasonOf(code)}\r\n` +
        `Via: SIP/2.0/${tp} ${lh};branch=${branch};rport=${c.localPort};received=${c.local}\r\n` +
        `From: ${from}\r\nTo: ${tag ? to : toNoTag}\r\nCall-ID: ${id}\r\nCSeq: ${cseq} ${method}\r\n${extra}Server: ${UA_REMOTE}\r\n`,
      body,
      'application/sdp',
    );

  let cseq = 1;
  let branch = `z9hG4bK${key}a`;
  const first = invite(cseq, branch, false);
  ev.push({ ts: c.start, out: true, text: first, kind: 'invite' });
  if (c.retransmit) ev.push({ ts: c.start + T1_MS, out: true, text: first, kind: 'invite' });
  if (c.challenge) {
    const t401 = t.invite - RTT_MS - 2;
    ev.push({
      ts: t401,
      out: false,
      text: response(
        401,
        branch,
        cseq,
        'INVITE',
        true,
        `WWW-Authenticate: Digest realm="${c.nextHop}", nonce="n${key}", algorithm=MD5, qop="auth"\r\n`,
        '',
      ),
      kind: 'other',
    });
    ev.push({ ts: t401 + 1, out: true, text: ack(cseq, branch, `${toNoTag};tag=${toTag}`), kind: 'other' });
    cseq++;
    branch = `z9hG4bK${key}b`;
    ev.push({ ts: t.invite, out: true, text: invite(cseq, branch, true), kind: 'invite' });
  }
  if (c.trying) ev.push({ ts: t.invite + 5, out: false, text: response(100, branch, cseq, 'INVITE', false, '', ''), kind: 'other' });
  if (t.ring !== undefined) {
    ev.push({
      ts: t.ring,
      out: false,
      text: c.earlyMedia
        ? response(183, branch, cseq, 'INVITE', true, `Contact: ${contactR}\r\n`, answerSdp)
        : response(180, branch, cseq, 'INVITE', true, `Contact: ${contactR}\r\n`, ''),
      kind: 'other',
    });
  }

  function ack(n: number, br: string, toHdr: string, uri = ruri): string {
    return (
      `ACK ${uri} SIP/2.0\r\nVia: SIP/2.0/${tp} ${lh};branch=${br};rport\r\nMax-Forwards: 70\r\n` +
      `From: ${from}\r\nTo: ${toHdr}\r\nCall-ID: ${id}\r\nCSeq: ${n} ACK\r\nUser-Agent: ${UA_LOCAL}\r\nContent-Length: 0\r\n\r\n`
    );
  }
  const reasonHdr = c.q850 !== undefined ? `Reason: Q.850;cause=${c.q850}\r\n` : '';

  if (c.finalCode === 200) {
    ev.push({ ts: t.final, out: false, text: response(200, branch, cseq, 'INVITE', true, `Contact: ${contactR}\r\n`, answerSdp), kind: 'other' });
    const remoteUri = `sip:${c.callee}@${rh}${tpParam}`;
    ev.push({ ts: t.final + RTT_MS, out: true, text: ack(cseq, `z9hG4bK${key}c`, to, remoteUri), kind: 'other' });
    if (c.byeFrom === 'callee') {
      const rb = `z9hG4bK${key}r`;
      const viaR = `Via: SIP/2.0/${tp} ${rh};branch=${rb};rport\r\n`;
      ev.push({
        ts: t.end,
        out: false,
        text:
          `BYE sip:${c.caller}@${lh}${tpParam} SIP/2.0\r\n${viaR}Max-Forwards: 70\r\nFrom: ${to}\r\nTo: ${from}\r\n` +
          `Call-ID: ${id}\r\nCSeq: 1 BYE\r\nReason: Q.850;cause=16\r\nUser-Agent: ${UA_REMOTE}\r\nContent-Length: 0\r\n\r\n`,
        kind: 'other',
      });
      ev.push({
        ts: t.end + RTT_MS,
        out: true,
        text:
          `SIP/2.0 200 OK\r\n${viaR.replace('rport', `rport=${c.nextHopPort};received=${c.nextHop}`)}From: ${to}\r\nTo: ${from}\r\n` +
          `Call-ID: ${id}\r\nCSeq: 1 BYE\r\nServer: ${UA_LOCAL}\r\nContent-Length: 0\r\n\r\n`,
        kind: 'other',
      });
    } else {
      const bb = `z9hG4bK${key}d`;
      ev.push({
        ts: t.end,
        out: true,
        text:
          `BYE ${remoteUri} SIP/2.0\r\nVia: SIP/2.0/${tp} ${lh};branch=${bb};rport\r\nMax-Forwards: 70\r\nFrom: ${from}\r\nTo: ${to}\r\n` +
          `Call-ID: ${id}\r\nCSeq: ${cseq + 1} BYE\r\nReason: Q.850;cause=16\r\nUser-Agent: ${UA_LOCAL}\r\nContent-Length: 0\r\n\r\n`,
        kind: 'other',
      });
      ev.push({ ts: t.end + RTT_MS, out: false, text: response(200, bb, cseq + 1, 'BYE', true, '', ''), kind: 'other' });
    }
  } else if (c.finalCode === 487) {
    // The caller gives up: CANCEL (same branch as the INVITE, RFC 3261 §9.1), 200 to it, 487, ACK.
    ev.push({
      ts: t.final,
      out: true,
      text:
        `CANCEL ${ruri} SIP/2.0\r\nVia: SIP/2.0/${tp} ${lh};branch=${branch};rport\r\nMax-Forwards: 70\r\nFrom: ${from}\r\n` +
        `To: ${toNoTag}\r\nCall-ID: ${id}\r\nCSeq: ${cseq} CANCEL\r\nReason: Q.850;cause=16\r\nUser-Agent: ${UA_LOCAL}\r\nContent-Length: 0\r\n\r\n`,
      kind: 'other',
    });
    ev.push({ ts: t.final + RTT_MS, out: false, text: response(200, branch, cseq, 'CANCEL', true, '', ''), kind: 'other' });
    ev.push({ ts: t.final + RTT_MS + 1, out: false, text: response(487, branch, cseq, 'INVITE', true, '', ''), kind: 'other' });
    ev.push({ ts: t.final + 2 * RTT_MS, out: true, text: ack(cseq, branch, to), kind: 'other' });
  } else {
    ev.push({ ts: t.final, out: false, text: response(c.finalCode, branch, cseq, 'INVITE', true, reasonHdr, ''), kind: 'other' });
    ev.push({ ts: t.final + RTT_MS, out: true, text: ack(cseq, branch, to), kind: 'other' });
  }
  ev.sort((a, b) => a.ts - b.ts);
  return ev;
}
