import { describe, expect, it } from 'vitest';
import { WireCounter, parseSipStat, tsharkBucket } from '../../src/sip/wire.js';
import type { SipMessage } from '../../src/types.js';

const oracle = `Running as user "root" and group "root". This could be dangerous.

===================================================================
SIP Statistics

Number of SIP messages: 12
Number of resent SIP messages: 2

* SIP Status Codes in reply packets
  SIP 407 Proxy Authentication Required :     3 Packets
  SIP 200 OK              :     3 Packets
  SIP 499 Client Error - Others :     1 Packets

* List of SIP Request methods
  INVITE          :     4 Packets
  ACK             :     1 Packets

* Average setup time 590 ms
 Min 158 ms
 Max 1727 ms
===================================================================
`;

const base = { ts: 0, src: 'a', srcPort: 1, dst: 'b', dstPort: 2, transport: 'udp' as const, callId: 'x', cseq: 1, cseqMethod: 'INVITE', position: { file: 'f' } };

describe('WireCounter', () => {
  it('parses the tshark sip,stat format', () => {
    expect(parseSipStat(oracle)).toEqual({
      messages: 12, resent: 2, responses: { '407': 3, '200': 3, '499': 1 }, requests: { INVITE: 4, ACK: 1 },
    });
  });

  it('counts every message and buckets unknown codes the way tshark does', () => {
    const w = new WireCounter();
    const msgs: SipMessage[] = [
      { ...base, isRequest: true, method: 'INVITE' },
      { ...base, isRequest: true, method: 'INVITE' },
      { ...base, isRequest: false, status: 200 },
      { ...base, isRequest: false, status: 477 },
      { ...base, isRequest: false, status: 450 },
      { ...base, isRequest: false, status: 99 },
      { ...base, isRequest: false, status: 183, malformed: 'sip-missing-call-id' },
    ];
    for (const m of msgs) w.add(m);
    expect(w.messages).toBe(7);
    expect(w.toJSON()).toEqual({ responses: { '183': 1, '200': 1, '450': 1, '477': 1, '99': 1 }, requests: { INVITE: 2 } });
    expect(w.tsharkResponses()).toEqual({ '183': 1, '200': 1, '499': 2 });
    expect(tsharkBucket(486)).toBe(486);
    expect(tsharkBucket(700)).toBeUndefined();
    expect(tsharkBucket(555)).toBe(599);
  });

  it('merges and round-trips through JSON', () => {
    const a = new WireCounter();
    a.addResponse(486, 2);
    a.addRequest('BYE');
    const b = WireCounter.fromJSON(JSON.parse(JSON.stringify(a)));
    b.merge(a);
    expect(b.toJSON()).toEqual({ responses: { '486': 4 }, requests: { BYE: 2 } });
  });
});
