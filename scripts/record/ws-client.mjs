#!/usr/bin/env node
/**
 * A minimal SIP-over-WebSocket client (RFC 7118 over RFC 6455) for recording fixtures: it opens one
 * connection to HOST:PORT with the `sip` subprotocol and, for each request URI given, sends an INVITE
 * (masked text frames, as a client must) and waits for its final response, ACKing non-2xx ones, then
 * sends an OPTIONS, a ping, and closes. One INVITE is split over two frames (a fragmented message).
 *
 *   node scripts/record/ws-client.mjs 127.0.0.1 8080 sip:486100@127.0.0.1 sip:503100@127.0.0.1
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

const [host, port, ...uris] = process.argv.slice(2);
const sock = connect(Number(port), host);
const key = randomBytes(16).toString('base64');
let buf = Buffer.alloc(0);
let upgraded = false;
const waiting = [];

function frame(op, payload, fin = true) {
  const mask = randomBytes(4);
  const body = Buffer.from(payload);
  const n = body.length;
  const head = n < 126 ? Buffer.from([(fin ? 0x80 : 0) | op, 0x80 | n]) : Buffer.from([(fin ? 0x80 : 0) | op, 0x80 | 126, n >> 8, n & 255]);
  for (let i = 0; i < n; i++) body[i] ^= mask[i & 3];
  return Buffer.concat([head, mask, body]);
}

function onMessage(text) {
  const status = /^SIP\/2\.0 (\d{3})/.exec(text);
  process.stderr.write(`< ${text.split('\r\n')[0]}\n`);
  if (status && Number(status[1]) >= 200) waiting.shift()?.(text);
}

sock.on('data', (d) => {
  buf = Buffer.concat([buf, d]);
  if (!upgraded) {
    const end = buf.indexOf('\r\n\r\n');
    if (end < 0) return;
    if (!/^HTTP\/1\.1 101/.test(buf.subarray(0, end).toString())) throw new Error(`no upgrade: ${buf.subarray(0, end)}`);
    upgraded = true;
    buf = buf.subarray(end + 4);
    waiting.shift()?.('');
  }
  while (buf.length >= 2) {
    let n = buf[1] & 0x7f;
    let h = 2;
    if (n === 126) {
      n = buf.readUInt16BE(2);
      h = 4;
    }
    if (buf.length < h + n) return;
    const op = buf[0] & 0x0f;
    if (op === 1 || op === 2) onMessage(buf.subarray(h, h + n).toString());
    buf = buf.subarray(h + n);
  }
});

const next = () => new Promise((resolve) => waiting.push(resolve));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const local = `${sock.localAddress ?? '127.0.0.1'}`;

function request(method, uri, callId, cseq, branch, toTag) {
  return [
    `${method} ${uri};transport=ws SIP/2.0`,
    `Via: SIP/2.0/WS df7jal23ls0d.invalid;branch=${branch}`,
    'Max-Forwards: 70',
    `From: <sip:alice@example.invalid>;tag=${callId.slice(0, 8)}`,
    `To: <${uri}>${toTag ? `;tag=${toTag}` : ''}`,
    `Call-ID: ${callId}`,
    `CSeq: ${cseq} ${method}`,
    `Contact: <sip:alice@df7jal23ls0d.invalid;transport=ws>`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

const opened = next();
sock.write(
  [`GET / HTTP/1.1`, `Host: ${host}:${port}`, 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Key: ${key}`, 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Protocol: sip', 'Origin: http://127.0.0.1', '', ''].join('\r\n'),
);
await opened;
let k = 0;
for (const uri of uris) {
  k++;
  const callId = `${randomBytes(6).toString('hex')}-ws-${k}`;
  const branch = `z9hG4bK${randomBytes(5).toString('hex')}`;
  const inv = request('INVITE', uri, callId, 1, branch);
  const final = next();
  if (k === 1) {
    // One message in two frames: a text frame without FIN, then a continuation with it.
    const cut = Math.floor(inv.length / 2);
    sock.write(frame(1, inv.slice(0, cut), false));
    await sleep(50);
    sock.write(frame(0, inv.slice(cut), true));
  } else sock.write(frame(1, inv));
  const resp = await final;
  const toTag = /^To:.*;tag=([^;\r\n]+)/im.exec(resp)?.[1];
  const status = Number(/^SIP\/2\.0 (\d{3})/.exec(resp)[1]);
  if (status >= 300) sock.write(frame(1, request('ACK', uri, callId, 1, branch, toTag)));
  await sleep(200);
}
const ok = next();
sock.write(frame(1, request('OPTIONS', `sip:${host}`, `${randomBytes(6).toString('hex')}-ws-options`, 1, `z9hG4bK${randomBytes(5).toString('hex')}`)));
await ok;
sock.write(frame(9, 'ping'));
await sleep(200);
sock.write(frame(8, Buffer.from([0x03, 0xe8]))); // 1000: normal closure
await sleep(300);
sock.end();
process.stderr.write(`local ${local}\n`);
