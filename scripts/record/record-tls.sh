#!/usr/bin/env bash
# Records SIP over TLS on loopback (127.0.0.1:5061 only): an OPTIONS request and its 200 OK, sent through
# `openssl s_client` to `openssl s_server` (a throw-away self-signed key), captured by tcpdump. The capture
# holds a real TLS 1.3 handshake and application-data records that sipscope cannot read: it must count
# every TCP segment with data as `tls` and say why the report has no calls.
#
#   bash scripts/record/record-tls.sh [outdir]      (default: fixtures/recorded)
#
# Needs root (tcpdump) and the Debian packages openssl, tcpdump (tshark for the .sip_stat.txt oracle).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=common.sh
source "$here/common.sh" "${1:-}" sipscope-record-tls openssl tcpdump

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 2 -subj /CN=127.0.0.1 2>/dev/null

pcap="$out/sip-tls.pcap"
tcpdump -i lo -U -w "$pcap" 'host 127.0.0.1 and tcp port 5061' 2>/dev/null &
pids+=($!)
sleep 1

crlf() { sed 's/$/\r/'; }
# The server answers 200 OK once the request has had time to arrive, then closes.
{
  sleep 1.5
  crlf <<'SIP'
SIP/2.0 200 OK
Via: SIP/2.0/TLS 127.0.0.1:5062;branch=z9hG4bKtls1
From: <sip:probe@127.0.0.1>;tag=tls1
To: <sip:127.0.0.1>;tag=tls2
Call-ID: tls-options-1@127.0.0.1
CSeq: 1 OPTIONS
Content-Length: 0

SIP
  sleep 1
} | timeout 8 openssl s_server -accept 127.0.0.1:5061 -cert "$work/cert.pem" -key "$work/key.pem" -naccept 1 -quiet >"$work/server.out" 2>&1 &
pids+=($!)
sleep 0.5
{
  crlf <<'SIP'
OPTIONS sip:127.0.0.1:5061;transport=tls SIP/2.0
Via: SIP/2.0/TLS 127.0.0.1:5062;branch=z9hG4bKtls1
Max-Forwards: 70
From: <sip:probe@127.0.0.1>;tag=tls1
To: <sip:127.0.0.1>
Call-ID: tls-options-1@127.0.0.1
CSeq: 1 OPTIONS
Content-Length: 0

SIP
  sleep 2.5
} | timeout 6 openssl s_client -connect 127.0.0.1:5061 -quiet >"$work/client.out" 2>&1 || true
sleep 1
grep -q '^OPTIONS sip:' "$work/server.out" || { echo "the server did not receive the request" >&2; exit 1; }
grep -q '^SIP/2.0 200 OK' "$work/client.out" || { echo "the client did not receive the answer" >&2; exit 1; }
kill "${pids[0]}" 2>/dev/null || true
sleep 0.5
if command -v tshark >/dev/null; then tshark -q -z sip,stat -r "$pcap" >"$pcap.sip_stat.txt" 2>/dev/null; fi
echo "wrote $pcap"
