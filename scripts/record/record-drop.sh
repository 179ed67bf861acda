#!/usr/bin/env bash
# Records answered calls that a proxy ends itself, on loopback (127.0.0.0/8 only): kamailio 5.6 with the
# dialog module (scripts/record/kamailio-drop.cfg) relays each call and, when the dialog times out, sends a
# BYE to both parties; baresip auto-answers on 127.0.0.2:5080.
#
#   bash scripts/record/record-drop.sh [outdir]      (default: fixtures/recorded)
#
#   proxy-drop.pcap       baresip (127.0.0.10:5070) calls drop700; the dialog times out 4 s after the answer.
#                         Filter `host 127.0.0.10 or host 127.0.0.2`: both SIP legs and the RTP.
#   session-expired.pcap  a minimal UDP caller (node, 127.0.0.12:5072; baresip 1.0 has no session timers)
#                         sends an INVITE to sst800 with `Supported: timer` and `Session-Expires: 90;refresher=uac`,
#                         ACKs the 200 and never refreshes; kamailio's sst module keeps the dialog for the 90 s
#                         and sends the BYEs when it expires. Filter `udp port 5060 or udp port 5080 or udp port
#                         5072` (SIP only: 90 s of RTP would weigh 2 MB). It takes about 100 s.
#
# KEEP=1 keeps the UAs' and kamailio's logs. Needs root (tcpdump) and the Debian packages kamailio, baresip, tcpdump, node.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=common.sh
source "$here/common.sh" "${1:-}" sipscope-record-drop kamailio baresip tcpdump node

write_ua_configs

kamailio -f "$here/kamailio-drop.cfg" -DD -E >"$work/kamailio.log" 2>&1 &
pids+=($!)
baresip -f "$work/callee" >"$work/callee.log" 2>&1 &
pids+=($!)
sleep 1.5


echo "recording proxy-drop.pcap (kamailio's dialog timeout ends the call after 4 s)"
capture proxy-drop.pcap lo 'host 127.0.0.10 or host 127.0.0.2'
# baresip would hang up after 12 s; kamailio's BYE comes first (4-5 s after the answer)
timeout 17 baresip -f "$work/caller" -e "/dial sip:drop700@127.0.0.1" -t 12 >>"$work/caller.log" 2>&1 || true
stop_capture

# A caller that asks for a session timer, answers requests inside the call and never refreshes.
cat >"$work/timer-caller.mjs" <<'JS'
import dgram from 'node:dgram';
const [me, port, proxy, proxyPort, user, se, maxSecs] = process.argv.slice(2);
const sock = dgram.createSocket('udp4');
const rtp = dgram.createSocket('udp4'); // takes the callee's RTP (not answered, not captured)
const callId = `timer-${process.pid}@${me}`;
const tag = `t${process.pid}`;
const send = (text) => sock.send(Buffer.from(text), Number(proxyPort), proxy);
const hdr = (msg, name) => msg.split('\r\n').filter((l) => l.toLowerCase().startsWith(name.toLowerCase() + ':')).map((l) => l.slice(l.indexOf(':') + 1).trim());
const sdp = `v=0\r\no=- 1 1 IN IP4 ${me}\r\ns=-\r\nc=IN IP4 ${me}\r\nt=0 0\r\nm=audio 32000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n`;
const invite =
  `INVITE sip:${user}@${proxy} SIP/2.0\r\nVia: SIP/2.0/UDP ${me}:${port};rport;branch=z9hG4bK-inv-${process.pid}\r\nMax-Forwards: 70\r\n` +
  `From: <sip:timer@${me}>;tag=${tag}\r\nTo: <sip:${user}@${proxy}>\r\nCall-ID: ${callId}\r\nCSeq: 1 INVITE\r\nContact: <sip:timer@${me}:${port}>\r\n` +
  `Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE\r\nSupported: timer\r\nSession-Expires: ${se};refresher=uac\r\nMin-SE: 90\r\n` +
  `User-Agent: sipscope-record-drop\r\nContent-Type: application/sdp\r\nContent-Length: ${Buffer.byteLength(sdp)}\r\n\r\n${sdp}`;
let answered = false;
let retry;
sock.on('message', (buf) => {
  const msg = buf.toString();
  const first = msg.slice(0, msg.indexOf('\r\n'));
  if (first.startsWith('SIP/2.0 ')) {
    const code = Number(first.slice(8, 11));
    if (code >= 100) clearTimeout(retry);
    if (code >= 200 && hdr(msg, 'CSeq')[0]?.endsWith('INVITE')) {
      // ACK the final response (again for each retransmission); a 2xx's ACK follows the route set
      const toHdr = hdr(msg, 'To')[0];
      if (code < 300) {
        answered = true;
        const contact = /<([^>]+)>/.exec(hdr(msg, 'Contact')[0])[1];
        const route = hdr(msg, 'Record-Route').reverse().join(', ');
        send(`ACK ${contact} SIP/2.0\r\nVia: SIP/2.0/UDP ${me}:${port};rport;branch=z9hG4bK-ack-${process.pid}\r\nMax-Forwards: 70\r\n` +
          (route ? `Route: ${route}\r\n` : '') + `From: <sip:timer@${me}>;tag=${tag}\r\nTo: ${toHdr}\r\nCall-ID: ${callId}\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n`);
      } else {
        send(`ACK sip:${user}@${proxy} SIP/2.0\r\nVia: SIP/2.0/UDP ${me}:${port};rport;branch=z9hG4bK-inv-${process.pid}\r\nMax-Forwards: 70\r\n` +
          `From: <sip:timer@${me}>;tag=${tag}\r\nTo: ${toHdr}\r\nCall-ID: ${callId}\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n`);
        process.exit(1);
      }
    }
    return;
  }
  // a request: answer it 200 OK with its own Via, From, To, Call-ID and CSeq
  const copy = ['Via', 'From', 'To', 'Call-ID', 'CSeq'].flatMap((h) => hdr(msg, h).map((v) => `${h}: ${v}\r\n`)).join('');
  send(`SIP/2.0 200 OK\r\n${copy}Content-Length: 0\r\n\r\n`);
  if (first.startsWith('BYE ')) setTimeout(() => process.exit(0), 1000);
});
let wait = 500;
const attempt = () => { send(invite); retry = setTimeout(attempt, wait); wait = Math.min(wait * 2, 4000); };
rtp.bind(32000, me, () => sock.bind(Number(port), me, attempt));
setTimeout(() => process.exit(answered ? 2 : 3), Number(maxSecs) * 1000);
JS

echo "recording session-expired.pcap (Session-Expires 90 s, never refreshed; about 100 s)"
capture session-expired.pcap lo 'udp port 5060 or udp port 5080 or udp port 5072'
node "$work/timer-caller.mjs" 127.0.0.12 5072 127.0.0.1 5060 sst800 90 110 || echo "timer caller: exit $?" >&2
stop_capture

echo "done: $(ls "$out")"
