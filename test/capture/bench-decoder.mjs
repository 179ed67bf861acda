// Decoder-only throughput: `npm run build && node test/capture/bench-decoder.mjs [packets]`.
// Builds an RTP-heavy and a SIP-only capture in memory with the writer, pushes them in 1 MiB chunks through
// createCaptureDecoder with a trivial handler, and prints wall-clock and CPU-time throughput.
import { createCaptureDecoder } from '../../dist/capture/decoder.js';
import * as w from '../../dist/capture/writer.js';
import { newAccounting } from '../../dist/types.js';

const total = Number(process.argv[2] ?? 2_000_000);
const sip =
  'INVITE sip:100@192.0.2.2 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds\r\nMax-Forwards: 70\r\n' +
  'To: <sip:100@192.0.2.2>\r\nFrom: <sip:200@192.0.2.1>;tag=1928301774\r\nCall-ID: a84b4c76e66710@pc33.example.com\r\n' +
  'CSeq: 314159 INVITE\r\nContact: <sip:200@192.0.2.1>\r\nContent-Type: application/sdp\r\nContent-Length: 0\r\n\r\n';
const rtp = new Uint8Array(172);
rtp[0] = 0x80;

function capture(payload, n) {
  const frame = w.ethernet(w.udpPacket({ src: '192.0.2.1', dst: '192.0.2.2', sport: 20000, dport: 30000, payload }));
  const rec = w.writePcap([{ ts: 1_700_000_000_000, data: frame }]).subarray(24);
  const out = new Uint8Array(24 + rec.length * n);
  out.set(w.writePcap([]));
  for (let i = 0; i < n; i++) out.set(rec, 24 + i * rec.length);
  return out;
}

const handler = {
  onPayload(p) {
    const d = p.data;
    if (d[0] === 0x80) return 'rtp';
    return d[0] === 0x49 || d[0] === 0x53 ? 'sip' : 'other';
  },
};

for (const [name, data] of [['rtp 230-byte frames', capture(rtp, total)], ['sip 480-byte frames', capture(sip, total >> 2)]]) {
  for (let rep = 0; rep < 5; rep++) {
    const acc = newAccounting(name, 'unknown', 'packet');
    const d = createCaptureDecoder(name, handler, acc);
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    for (let i = 0; i < data.length; i += 1 << 20) d.push(data.subarray(i, Math.min(data.length, i + (1 << 20))));
    d.end();
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const cu = process.cpuUsage(c0);
    const cpu = (cu.user + cu.system) / 1e6;
    console.log(
      `${name}: ${acc.read} packets, wall ${(acc.bytes / wall / 1e9).toFixed(2)} GB/s, ` +
        `cpu ${(acc.bytes / cpu / 1e9).toFixed(2)} GB/s (${(acc.read / cpu / 1e6).toFixed(1)} M packets per cpu-second), ` +
        `rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
    );
  }
}
