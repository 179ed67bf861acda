#!/usr/bin/env bash
# Records SIP fixtures from real stacks on loopback (127.0.0.0/8 only): kamailio as the next hop
# (scripts/record/kamailio.cfg picks each answer from the called number), baresip as the calling
# and answering user agents, sipsak for OPTIONS and a hand-written INVITE, tcpdump capturing.
#
#   bash scripts/record/record.sh [outdir]      (default: fixtures/recorded)
#
# KEEP=1 keeps the UAs' and kamailio's logs. Needs root (tcpdump) and the Debian packages kamailio, baresip, sipsak, tcpdump.
# Addresses: caller UA 127.0.0.10:5070, kamailio 127.0.0.1:5060, answering UA 127.0.0.2:5080,
# ringing UA 127.0.0.3:5082. Captures filtered on the caller's address show one leg per call.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=common.sh
source "$here/common.sh" "${1:-}" sipscope-record kamailio baresip sipsak tcpdump

write_ua_configs

start_peers


# call CONF URI SECONDS — one baresip process dials once and quits after SECONDS (BYE or CANCEL).
call() {
  timeout $(( $3 + 5 )) baresip -f "$work/$1" -e "/dial $2" -t "$3" >>"$work/$1.log" 2>&1 || true
  sleep 0.5
}

echo "recording loopback-udp.pcap"
capture loopback-udp.pcap lo 'host 127.0.0.10'
call caller sip:answer100@127.0.0.1 4     # 200, RTP both ways, caller hangs up (BYE)
call caller sip:486100@127.0.0.1 2        # 486 Busy Here
call caller sip:480100@127.0.0.1 2        # 480 Temporarily Unavailable
call caller sip:503100@127.0.0.1 2        # 503 Service Unavailable
call caller sip:404100@127.0.0.1 2        # 404 Not Found
call caller sip:auth100@127.0.0.1 4       # 407 challenge, INVITE with credentials, 200 (one attempt)
call caller sip:ring100@127.0.0.1 3       # 180 Ringing, caller gives up: CANCEL, 487
stop_capture

echo "recording loopback-tcp.pcap"
# baresip connects its TCP socket from 127.0.0.1, so the filter takes kamailio's TCP port too.
capture loopback-tcp.pcap lo 'host 127.0.0.10 or tcp port 5060'
call caller-tcp sip:answer200@127.0.0.1 3 # 200 over TCP
call caller-tcp sip:486200@127.0.0.1 2    # 486 over TCP
stop_capture

echo "recording any-sll2.pcap (tcpdump -i any: Linux cooked v2 headers)"
capture any-sll2.pcap any 'host 127.0.0.10'
call caller sip:answer300@127.0.0.1 3     # 200
call caller sip:503300@127.0.0.1 2        # 503
stop_capture

echo "recording proxy-both-legs.pcap (both legs through kamailio)"
capture proxy-both-legs.pcap lo 'udp port 5060 or udp port 5080'
call caller sip:answer400@127.0.0.1 3     # leg 1 caller->kamailio, leg 2 kamailio->answering UA
stop_capture

echo "recording sipsak.pcap"
capture sipsak.pcap lo 'udp port 5060'
sipsak -s sip:127.0.0.1:5060 -k 127.0.0.11 >"$work/sipsak.log" 2>&1 || true   # OPTIONS ping: 200, no call
cat >"$work/invite.txt" <<'SIP'
INVITE sip:486500@127.0.0.1 SIP/2.0
Via: SIP/2.0/UDP 127.0.0.11;branch=z9hG4bK-sipsak-486500
From: <sip:sipsak@127.0.0.11>;tag=sipsak500
To: <sip:486500@127.0.0.1>
Call-ID: sipsak-486500@127.0.0.11
CSeq: 1 INVITE
Contact: <sip:sipsak@127.0.0.11>
Max-Forwards: 70
Content-Length: 0

SIP
sipsak -f "$work/invite.txt" -s sip:486500@127.0.0.1 -k 127.0.0.11 >>"$work/sipsak.log" 2>&1 || true  # 486
stop_capture

echo "done: $(ls "$out")"
