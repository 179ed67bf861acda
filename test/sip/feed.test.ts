import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ethernet, udpPacket, writePcap } from '../../src/capture/writer.js';
import { analyze } from '../../src/pipeline.js';
import { scopeLine } from '../../src/report/format.js';
import { createSipFeed } from '../../src/sip/feed.js';
import { newAccounting, type CallRecord, type SipMessage } from '../../src/types.js';

/** SIP dumped in a log: LF line ends, the local side named `local`, as docs/sip.md describes. */
describe('createSipFeed (SIP text from logs)', () => {
  it('turns dumped messages into records and counts them', () => {
    const acc = newAccounting('full', 'asterisk-log', 'line');
    const records: CallRecord[] = [];
    const messages: SipMessage[] = [];
    const feed = createSipFeed({ record: (r) => records.push(r), message: (m) => messages.push(m) }, {}, acc);
    const hdr = (cseq: string, to = '') =>
      `Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-log\nFrom: <sip:100@pbx>;tag=a1\nTo: <sip:74951234567@203.0.113.7>${to}\nCall-ID: log-1\nCSeq: ${cseq}\n`;
    const out = { src: 'local', srcPort: 5060, dst: '203.0.113.7', dstPort: 5060, transport: 'log' as const };
    const back = { src: '203.0.113.7', srcPort: 5060, dst: 'local', dstPort: 5060, transport: 'log' as const };
    feed.feedText(`INVITE sip:74951234567@203.0.113.7 SIP/2.0\n${hdr('102 INVITE')}Content-Length: 0\n\n`, { ...out, ts: 1000, position: { file: 'full', line: 10 } });
    feed.feedText(`SIP/2.0 183 Session Progress\n${hdr('102 INVITE', ';tag=b2')}Content-Length: 0\n\n`, { ...back, ts: 3000, position: { file: 'full', line: 30 } });
    feed.feedText(`SIP/2.0 486 Busy Here\n${hdr('102 INVITE', ';tag=b2')}Reason: Q.850;cause=17\nContent-Length: 0\n\n`, { ...back, ts: 9000, position: { file: 'full', line: 50 } });
    expect(feed.feedText('not a SIP message at all\n', { ...out, ts: 9500, position: { file: 'full', line: 60 } })).toBeNull();
    feed.end();
    expect(messages.map((m) => m.status ?? m.method)).toEqual(['INVITE', 183, 486]);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ callId: 'log-1', route: '203.0.113.7', finalCode: 486, q850: 17, pdd: 2000, earlyMedia: true, source: { line: 10 } });
    expect(acc).toMatchObject({ sipMessages: 3, records: 1 });
  });
});

describe('calls whose INVITE is not in the input', () => {
  const hdr = (id: string, cseq: string, to = '') =>
    `Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-${id}\nFrom: <sip:100@pbx>;tag=a1\nTo: <sip:200@203.0.113.7>${to}\nCall-ID: ${id}\nCSeq: ${cseq}\n`;
  const out = { src: '10.0.0.1', srcPort: 5060, dst: '203.0.113.7', dstPort: 5060, transport: 'udp' as const };
  const back = { src: '203.0.113.7', srcPort: 5060, dst: '10.0.0.1', dstPort: 5060, transport: 'udp' as const };
  const at = (ts: number) => ({ ts, position: { file: 'cap', packet: ts } });

  it('are named in a note, once a call, and not the late copies of a call that was read whole', () => {
    const acc = newAccounting('cap', 'pcap', 'packet');
    const records: CallRecord[] = [];
    const feed = createSipFeed({ record: (r) => records.push(r) }, {}, acc);
    // begun after the INVITE of `mid-1`: its 180, its 486 twice (retransmitted), the ACK; and `mid-2`'s 200
    feed.feedText(`SIP/2.0 180 Ringing\n${hdr('mid-1', '1 INVITE', ';tag=b')}\n`, { ...back, ...at(1) });
    feed.feedText(`SIP/2.0 486 Busy Here\n${hdr('mid-1', '1 INVITE', ';tag=b')}\n`, { ...back, ...at(2) });
    feed.feedText(`SIP/2.0 486 Busy Here\n${hdr('mid-1', '1 INVITE', ';tag=b')}\n`, { ...back, ...at(3) });
    feed.feedText(`ACK sip:200@203.0.113.7 SIP/2.0\n${hdr('mid-1', '1 ACK', ';tag=b')}\n`, { ...out, ...at(4) });
    feed.feedText(`SIP/2.0 200 OK\n${hdr('mid-2', '7 INVITE', ';tag=c')}\n`, { ...back, ...at(5) });
    // a call read whole, then a late copy of its final response
    feed.feedText(`INVITE sip:200@203.0.113.7 SIP/2.0\n${hdr('whole', '1 INVITE')}\n`, { ...out, ...at(10) });
    feed.feedText(`SIP/2.0 404 Not Found\n${hdr('whole', '1 INVITE', ';tag=d')}\n`, { ...back, ...at(11) });
    feed.feedText(`SIP/2.0 404 Not Found\n${hdr('whole', '1 INVITE', ';tag=d')}\n`, { ...back, ...at(400_000) });
    feed.end();
    expect(records.map((r) => r.callId)).toEqual(['whole']);
    expect(acc.notes).toEqual(['2 calls got a final response whose INVITE is not in this input (the capture began after their INVITEs were sent): not counted as attempts']);
  });
});

describe('the report of an input with no call but calls seen without their INVITE', () => {
  it('says why there is no call record', async () => {
    const sip = (text: string, ts: number, fromCallee: boolean) => ({
      ts,
      data: ethernet(udpPacket({ src: fromCallee ? '203.0.113.7' : '10.0.0.1', dst: fromCallee ? '10.0.0.1' : '203.0.113.7', sport: 5060, dport: 5060, payload: new TextEncoder().encode(text.replace(/\n/g, '\r\n')) })),
    });
    const h = (cseq: string) => `Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-1\nFrom: <sip:100@pbx>;tag=a1\nTo: <sip:200@x>;tag=b\nCall-ID: mid-call\nCSeq: ${cseq}\nContent-Length: 0\n\n`;
    const d = mkdtempSync(join(tmpdir(), 'sipscope-noinvite-'));
    try {
      const f = join(d, 'mid.pcap');
      writeFileSync(f, writePcap([sip(`SIP/2.0 486 Busy Here\n${h('1 INVITE')}`, 1_709_629_200_000, true), sip(`ACK sip:200@x SIP/2.0\n${h('1 ACK')}`, 1_709_629_200_010, false)]));
      const r = await analyze([f]);
      expect(r.totals.attempts).toBe(0);
      expect(scopeLine(r)).toBe('0 attempts on 0 routes, no call records (1 call ended without its INVITE in the input: the capture began after its INVITE was sent)');
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
