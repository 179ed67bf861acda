#!/usr/bin/env bash
# Records SIP over WebSocket (RFC 7118) on loopback (127.0.0.1:8080 only): kamailio's websocket module
# (scripts/record/kamailio-ws.cfg) takes the HTTP Upgrade and answers; scripts/record/ws-client.mjs is the
# client (masked frames, one INVITE in two fragments, ACKs, an OPTIONS, a ping, a close). tcpdump captures.
#
#   bash scripts/record/record-ws.sh [outdir]      (default: fixtures/recorded)
#
# Needs root (tcpdump), node, and the Debian packages kamailio, kamailio-websocket-modules, tcpdump
# (tshark for the .sip_stat.txt oracle).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=common.sh
source "$here/common.sh" "${1:-}" sipscope-record-ws kamailio tcpdump node

kamailio -f "$here/kamailio-ws.cfg" -DD -E >"$work/kamailio.log" 2>&1 &
pids+=($!)
sleep 1.5
pcap="$out/sip-ws.pcap"
tcpdump -Z root -i lo -U -s 0 -w "$pcap" 'host 127.0.0.1 and tcp port 8080' >"$work/tcpdump.log" 2>&1 &
cap_pid=$!
sleep 1
# 486, 503 and 404, each ACKed; then OPTIONS → 200.
node "$here/ws-client.mjs" 127.0.0.1 8080 sip:486100@127.0.0.1 sip:503100@127.0.0.1 sip:404100@127.0.0.1 2>"$work/client.log"
sleep 1
kill "$cap_pid"
wait "$cap_pid" 2>/dev/null || true
grep -q '^< SIP/2.0 200 OK' "$work/client.log" || { echo "the OPTIONS got no 200 (see KEEP=1 logs)" >&2; exit 1; }
if command -v tshark >/dev/null; then tshark -q -z sip,stat -r "$pcap" >"$pcap.sip_stat.txt" 2>/dev/null; fi
echo "wrote $pcap"
