import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ethernet, udpPacket, writePcap, type CapturedPacket } from '../../src/capture/writer.js';
import { ScannerDetector } from '../../src/postmortem/scanners.js';
import type { SipMessage } from '../../src/types.js';
import { run } from './run.js';

const S = '198.18.0.66';
const PBX = '10.9.9.9';
const T0 = 1_709_630_000_000;

const msg = (o: Partial<SipMessage>): SipMessage => ({
  ts: T0, src: S, srcPort: 5060, dst: PBX, dstPort: 5060, transport: 'udp', isRequest: true, callId: 'x', cseq: 1, cseqMethod: 'INVITE', position: { file: 'f' }, ...o,
});
const answer = (status: number, callId: string, o: Partial<SipMessage> = {}): SipMessage =>
  msg({ isRequest: false, status, src: PBX, dst: S, callId, ...o });

describe('scanners: "answered" counts requests, not answering messages', () => {
  it('180, 183, 200, a retransmitted 200 and the 200 to its own BYE answer one INVITE once', () => {
    const d = new ScannerDetector();
    for (let i = 0; i < 20; i++) {
      const callId = `enum${i}@x`;
      d.message(msg({ method: 'INVITE', toUser: String(200 + i), fromUser: '100', callId }));
      d.message(answer(100, callId));
      if (i < 3) {
        for (const st of [180, 183, 200, 200]) d.message(answer(st, callId, { toTag: 'b' }));
        d.message(msg({ method: 'ACK', callId, cseqMethod: 'ACK' }));
        d.message(msg({ method: 'BYE', callId, cseq: 2, cseqMethod: 'BYE' }));
        d.message(answer(200, callId, { cseq: 2, cseqMethod: 'BYE' }));
      } else {
        d.message(answer(404, callId));
        d.message(answer(404, callId)); // retransmitted until the ACK
      }
    }
    const [r] = d.result();
    expect(r).toMatchObject({ address: S, totalRequests: 20, targets: 20, answered: 3, verdict: 'enumeration' });
    expect(r!.reasons[0]).toBe('20 distinct target users, 3 of 20 requests answered');
  });

  it('a 200 to a REGISTER retransmitted is one success; a 2xx after the request\'s failure final adds nothing', () => {
    const d = new ScannerDetector();
    d.message(msg({ method: 'REGISTER', cseqMethod: 'REGISTER', callId: 'r', cseq: 1 }));
    d.message(answer(401, 'r', { cseqMethod: 'REGISTER' }));
    d.message(msg({ method: 'REGISTER', cseqMethod: 'REGISTER', callId: 'r', cseq: 2 }));
    d.message(answer(200, 'r', { cseq: 2, cseqMethod: 'REGISTER' }));
    d.message(answer(200, 'r', { cseq: 2, cseqMethod: 'REGISTER' }));
    // an answer to a request never seen from the address, and one to the first (challenged) REGISTER
    d.message(answer(200, 'other', { cseqMethod: 'OPTIONS' }));
    d.message(answer(200, 'r', { cseq: 1, cseqMethod: 'REGISTER' }));
    const [r] = d.result();
    expect(r).toMatchObject({ totalRequests: 2, answered: 1, successes: 1, challenges: 1 });
  });

  it('answers are matched to the requester: the same Call-ID and CSeq sent by another address is its own request', () => {
    const d = new ScannerDetector();
    d.message(msg({ method: 'OPTIONS', cseqMethod: 'OPTIONS', callId: 'o' }));
    d.message(msg({ method: 'OPTIONS', cseqMethod: 'OPTIONS', callId: 'o', src: '198.18.0.67' }));
    d.message(answer(200, 'o', { cseqMethod: 'OPTIONS', dst: '198.18.0.67' }));
    d.message(answer(200, 'o', { cseqMethod: 'OPTIONS', dst: '198.18.0.67' }));
    const by = Object.fromEntries(d.result().map((r) => [r.address, r.answered]));
    expect(by).toEqual({ [S]: 0, '198.18.0.67': 1 });
  });

  it('a request unanswered for minutes is forgotten: a late 2xx with its keys does not count', () => {
    const d = new ScannerDetector();
    d.message(msg({ method: 'OPTIONS', cseqMethod: 'OPTIONS', callId: 'late' }));
    d.message(msg({ method: 'OPTIONS', cseqMethod: 'OPTIONS', callId: 'next', ts: T0 + 600_000 }));
    d.message(answer(200, 'late', { cseqMethod: 'OPTIONS', ts: T0 + 600_001 }));
    d.message(answer(200, 'next', { cseqMethod: 'OPTIONS', ts: T0 + 600_002 }));
    expect(d.result()[0]!.answered).toBe(1);
  });

  const dir = mkdtempSync(join(tmpdir(), 'pm-scan-answered-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The audit's enum.pcap: 20 INVITEs to 20 extensions, 3 answered (180, 183, 200, ACK, BYE, 200), 17 refused 404. */
  function enumCapture(): string {
    const pk: CapturedPacket[] = [];
    let t = T0;
    const add = (ts: number, src: string, dst: string, payload: string): void => void pk.push({ ts, data: ethernet(udpPacket({ src, dst, sport: 5060, dport: 5060, payload })) });
    for (let i = 0; i < 20; i++) {
      const callId = `enum${i}@x`;
      const from = `From: <sip:100@${S}>;tag=s${i}`;
      const to = `To: <sip:${200 + i}@${PBX}>`;
      const req = (method: string, cseq: number, toTag = ''): string =>
        `${method} sip:${200 + i}@${PBX} SIP/2.0\r\nVia: SIP/2.0/UDP ${S};branch=z9hG4bK${i}${method}${cseq}\r\n${from}\r\n${to}${toTag}\r\nCall-ID: ${callId}\r\nCSeq: ${cseq} ${method === 'ACK' ? 'ACK' : method}\r\nContent-Length: 0\r\n\r\n`;
      const resp = (code: string, cseq: number, method: string): string =>
        `SIP/2.0 ${code}\r\nVia: SIP/2.0/UDP ${S};branch=z9hG4bK${i}${method}${cseq}\r\n${from}\r\n${to};tag=b\r\nCall-ID: ${callId}\r\nCSeq: ${cseq} ${method}\r\nContent-Length: 0\r\n\r\n`;
      add(t, S, PBX, req('INVITE', 1));
      if (i < 3) {
        add(t + 100, PBX, S, resp('180 Ringing', 1, 'INVITE'));
        add(t + 200, PBX, S, resp('183 Session Progress', 1, 'INVITE'));
        add(t + 1000, PBX, S, resp('200 OK', 1, 'INVITE'));
        add(t + 1010, S, PBX, req('ACK', 1, ';tag=b'));
        add(t + 2000, S, PBX, req('BYE', 2, ';tag=b'));
        add(t + 2010, PBX, S, resp('200 OK', 2, 'BYE'));
      } else {
        add(t + 100, PBX, S, resp('404 Not Found', 1, 'INVITE'));
        add(t + 110, S, PBX, req('ACK', 1, ';tag=b'));
      }
      t += 3000;
    }
    const file = join(dir, 'enum.pcap');
    writeFileSync(file, writePcap(pk));
    return file;
  }

  it('CLI: the audit\'s enumeration with 3 of 20 INVITEs answered is flagged', async () => {
    const file = enumCapture();
    const r = await run(['scanners', file, '--all', '--format', 'json']);
    const j = JSON.parse(r.out) as { suspicious: number; sources: Array<{ address: string; verdict: string; totalRequests: number; answered: number }> };
    expect(j.sources).toMatchObject([{ address: S, verdict: 'enumeration', totalRequests: 20, answered: 3 }]);
    expect(j.suspicious).toBe(1);
    expect((await run(['scanners', file])).out).toContain(`${S}: enumeration — 20 distinct target users, 3 of 20 requests answered`);
  });
});
