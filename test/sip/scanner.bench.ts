/**
 * Throughput of the SIP layer (not part of `vitest run`): `npx vitest bench --run test/sip/scanner.bench.ts`.
 * Messages are a realistic call mix (INVITE with SDP, 100, 180, 200 with SDP, ACK, BYE, 200).
 */
import { bench, describe } from 'vitest';
import { scanSipMessage, type MessageMeta } from '../../src/sip/scanner.js';
import { CallTracker } from '../../src/sip/tracker.js';
import { frameSipMessages } from '../../src/sip/framer.js';
import { Call, sdp, A, B } from './scenario.js';

const calls = 2000;
const texts: Buffer[] = [];
for (let i = 0; i < calls; i++) {
  const c = new Call(`bench-${i}@10.0.0.1`).invite(i * 100, { sdp: sdp(A.addr, 20000 + (i % 1000) * 2) }).resp(i * 100 + 1, 100, 'Trying')
    .resp(i * 100 + 2, 180, 'Ringing').resp(i * 100 + 3, 200, 'OK', { sdp: sdp(B.addr, 30000) }).ack(i * 100 + 4).bye(i * 100 + 50, false).byeOk(i * 100 + 51, false);
  for (const w of c.wire) texts.push(Buffer.from(w.text));
}
const stream = Buffer.concat(texts);
const meta: MessageMeta = { ts: 0, src: A.addr, srcPort: 5060, dst: B.addr, dstPort: 5060, transport: 'udp', position: { file: 'bench' } };

describe(`SIP layer, ${texts.length} messages per iteration (${(stream.length / texts.length).toFixed(0)} bytes average)`, () => {
  bench('scanSipMessage', () => {
    for (const b of texts) scanSipMessage(b, 0, b.length, meta);
  });
  bench('frameSipMessages over one TCP stream', () => {
    frameSipMessages(stream, 0, stream.length);
  });
  bench('scan + CallTracker', () => {
    const t = new CallTracker({ record: () => {} });
    for (const b of texts) {
      const m = scanSipMessage(b, 0, b.length, meta);
      if (m) t.add(m);
    }
    t.end();
  });
});
