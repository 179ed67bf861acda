#!/usr/bin/env bash
# Records captures split by the real splitting tools, for the tests that read the pieces of a capture as one
# chain (test/input/real-splits.test.ts). Two loopback sessions (127.0.0.0/8 only); in each, one live capture
#   tcpdump -i lo -U -s 0 --time-stamp-precision=nano -w - FILTER
# is written at once (tee, fifos) to
#   whole.pcap                                   the unsplit capture, the reference (nanosecond pcap);
#   dumpcap -i FIFO -b RING -w dumpcap/lo.pcapng  dumpcap's ring buffer: dumpcap/lo_00001_YYYYmmddHHMMSS.pcapng, …
#   tcpdump -r FIFO -G SEC -w 'tcpdump/lo_%Y%m%d%H%M%S.pcap'   tcpdump's time-rotated files (nanosecond pcap);
# and then whole.pcap is cut with
#   editcap -c N | -i SEC whole.pcap editcap/whole.pcap   editcap/whole_00000_YYYYmmddHHMMSS.pcap, … (editcap
#                                                writes pcapng by default, whatever the name says)
# dumpcap and tcpdump -G split as they do on a live interface: by their own counters and the wall clock.
#
#   udp/  SIP over UDP, baresip (127.0.0.10:5070) → kamailio (127.0.0.1:5060) → baresip UAs, as in record.sh:
#         answered (~2 s of G.711 RTP, caller hangs up), 486, ringing then CANCEL (487), 503, 407 challenge then
#         answered (~1 s of RTP), 480. (The filter sees the answering UA's RTP towards the caller; baresip sends
#         the caller's own from 127.0.0.1 to 127.0.0.1, outside it.) dumpcap -b packets:60, tcpdump -G 2, editcap -c 50: cuts fall inside
#         the answered calls (between INVITE and BYE) and elsewhere.
#   tcp/  SIP over TCP: an answered call from baresip over TCP (~2 s of RTP), then a hand-written INVITE (to
#         486701, from 127.0.0.12) sent in two TCP segments 2.5 s apart, so that a cut of every split set falls
#         inside that one SIP message; then a 503 over TCP. dumpcap -b duration:1 (its timer switches files
#         during the pause too, so it leaves files with no packet), tcpdump -G 1 (it rotates when the first
#         packet after the interval comes: the second segment opens a new file), editcap -i 1 (by the packets'
#         times: the 2.5 s pause holds a cut; -c N would need N to divide the frame number of the first segment,
#         which may be prime).
#
# Why one live capture and not three: each packet socket stamps its own copy of a TCP packet on loopback, so
# three live captures of the TCP session disagreed by up to a microsecond (UDP packets got the same stamps in
# all three), and so would every time sipscope derives from them. One live capture fanned out gives every set
# the same packets and times, so that the tests can ask for equality. Nanoseconds, as dumpcap's pcapng has them.
#
# Why not tcpdump -C: its size argument is in units of 1,000,000 bytes, and tcpdump 4.99.3 refuses anything
# else ("-C 1k", "-C 10KB", "-C 0.01": "invalid file size"); a capture of a few MB would be needed for a single
# cut, far over what fixtures should weigh. -G (time rotation, strftime names) works with small captures.
# tcpdump -G opens its first file when it starts, before any packet passes the filter: when the first call
# comes later than the interval, that first file holds no packet. It is kept, as the tool wrote it.
#
#   bash scripts/record/record-ring.sh [outdir]      (default: fixtures/recorded/ring; udp/ and tcp/ are replaced)
#
# KEEP=1 keeps the logs. Needs root (tcpdump, dumpcap), node, and the Debian packages kamailio, baresip,
# tcpdump, tshark (for dumpcap and editcap). Every split set is checked against the whole capture (the same
# packets with the same times, in order, by tshark) before the script ends; it fails otherwise.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=common.sh
source "$here/common.sh" "${1:-$here/../../fixtures/recorded/ring}" sipscope-record-ring kamailio baresip tcpdump dumpcap editcap tshark node

write_ua_configs

# An INVITE over TCP in two segments: the first half, PAUSE ms, the second half; ACKs the final response.
cat >"$work/split-invite.cjs" <<'JS'
const net = require('node:net');
const [, , user, pauseMs] = process.argv;
const s = net.connect({ host: '127.0.0.1', port: 5060, localAddress: '127.0.0.12' });
s.setNoDelay(true);
const callId = `split-${user}@127.0.0.12`;
let buf = '';
let acked = false;
s.on('connect', () => {
  const via = `SIP/2.0/TCP 127.0.0.12:${s.localPort};branch=z9hG4bK-split-${user}`;
  const invite = [
    `INVITE sip:${user}@127.0.0.1;transport=tcp SIP/2.0`,
    `Via: ${via}`,
    `From: "Split" <sip:split@127.0.0.12>;tag=split${user}`,
    `To: <sip:${user}@127.0.0.1>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 INVITE',
    `Contact: <sip:split@127.0.0.12:${s.localPort};transport=tcp>`,
    'Max-Forwards: 70',
    'User-Agent: record-ring.sh split INVITE',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const cut = Math.floor(invite.length / 2);
  s.write(invite.slice(0, cut));
  setTimeout(() => s.write(invite.slice(cut)), Number(pauseMs));
  s.on('data', (d) => {
    buf += d.toString('latin1');
    process.stderr.write(d);
    const m = /^SIP\/2\.0 ([2-6]\d\d)[^]*?\r\nTo: ([^\r]*)/m.exec(buf);
    if (m && !acked) {
      acked = true;
      s.write([`ACK sip:${user}@127.0.0.1;transport=tcp SIP/2.0`, `Via: ${via}`, `From: "Split" <sip:split@127.0.0.12>;tag=split${user}`, `To: ${m[2]}`, `Call-ID: ${callId}`, 'CSeq: 1 ACK', 'Max-Forwards: 70', 'Content-Length: 0', '', ''].join('\r\n'));
      setTimeout(() => s.end(), 300);
    }
  });
});
s.on('error', (e) => {
  console.error(String(e));
  process.exitCode = 1;
});
setTimeout(() => process.exit(acked ? 0 : 1), Number(pauseMs) + 5000).unref();
JS

start_peers

# start_captures DIR FILTER DUMPCAP_RING TCPDUMP_G — one live tcpdump on lo, its packets written at once to
# whole.pcap (tee), to dumpcap's ring buffer and to tcpdump -G, through fifos (see above why not three live
# captures); each writer splits as it does on a live interface (dumpcap and tcpdump -G by the wall clock).
cap_pids=()
start_captures() {
  rm -rf "$1"
  mkdir -p "$1/dumpcap" "$1/tcpdump" "$1/editcap"
  local log fifo
  log="$work/$(basename "$1")"
  fifo="$work/$(basename "$1")-fifo"
  mkfifo "$fifo-live" "$fifo-dumpcap" "$fifo-tcpdump"
  dumpcap -q -i "$fifo-dumpcap" -b "$3" -w "$1/dumpcap/lo.pcapng" >"$log-dumpcap.log" 2>&1 &
  cap_pids=($!)
  tcpdump -Z root -r "$fifo-tcpdump" --time-stamp-precision=nano -U -G "$4" -w "$1/tcpdump/lo_%Y%m%d%H%M%S.pcap" >"$log-tcpdump.log" 2>&1 &
  cap_pids+=($!)
  tee "$1/whole.pcap" "$fifo-dumpcap" <"$fifo-live" >"$fifo-tcpdump" &
  cap_pids+=($!)
  tcpdump -Z root -i lo -U -s 0 --time-stamp-precision=nano -w - "$2" >"$fifo-live" 2>"$log-live.log" &
  live_pid=$!
  pids+=("${cap_pids[@]}" "$live_pid")   # stopped at exit if the script fails before stop_captures
  # tcpdump says "listening on lo" once it captures
  for _ in $(seq 50); do grep -q 'listening on' "$log-live.log" && break; sleep 0.1; done
  sleep 1
}
stop_captures() {
  local d=$1
  sleep 1.5
  kill -INT "$live_pid"
  wait "$live_pid" 2>/dev/null || true
  # the writers end with the end of their fifos
  for p in "${cap_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  cap_pids=()
  chmod 644 "$d"/*.pcap "$d"/*/*   # dumpcap writes 0600
}

# call CONF URI SECONDS — one baresip process dials once and quits after SECONDS (BYE or CANCEL).
call() {
  timeout $(( $3 + 5 )) baresip -f "$work/$1" -e "/dial $2" -t "$3" >>"$work/$1.log" 2>&1 || true
  sleep 0.5
}

# editcap_split DIR OPTION VALUE — editcap -c N or -i SEC of the whole capture: editcap/whole_00000_….pcap, …
editcap_split() {
  editcap "$2" "$3" "$1/whole.pcap" "$1/editcap/whole.pcap"
}

# fingerprint FILE… — time and length of every packet of the files, in the order given.
fingerprint() {
  for f in "$@"; do tshark -r "$f" -T fields -e frame.time_epoch -e frame.len 2>/dev/null; done
}

# check DIR — every split set holds the whole capture's packets, in order; then the tshark oracle.
check() {
  local d=$1 set
  fingerprint "$d/whole.pcap" >"$work/whole.fp"
  [ -s "$work/whole.fp" ] || { echo "$d/whole.pcap: no packet" >&2; exit 1; }
  for set in dumpcap tcpdump editcap; do
    # shellcheck disable=SC2046
    fingerprint $(ls "$d/$set"/* | sort) >"$work/$set.fp"
    if ! cmp -s "$work/whole.fp" "$work/$set.fp"; then
      echo "$d/$set: not the same packets as whole.pcap ($(wc -l <"$work/$set.fp") vs $(wc -l <"$work/whole.fp"))" >&2
      diff "$work/whole.fp" "$work/$set.fp" | head >&2
      exit 1
    fi
    echo "$d/$set: $(ls "$d/$set" | wc -l) files, $(wc -l <"$work/whole.fp") packets as whole.pcap"
  done
  tshark -q -z sip,stat -r "$d/whole.pcap" >"$d/whole.pcap.sip_stat.txt" 2>/dev/null
}

echo "recording $out/udp"
start_captures "$out/udp" 'host 127.0.0.10' packets:60 2
call caller sip:answer600@127.0.0.1 2     # 200, RTP, caller hangs up (BYE)
call caller sip:486600@127.0.0.1 1        # 486 Busy Here
call caller sip:ring600@127.0.0.1 2       # 180 Ringing, caller gives up: CANCEL, 487
call caller sip:503600@127.0.0.1 1        # 503 Service Unavailable
call caller sip:auth600@127.0.0.1 1       # 407 challenge, INVITE with credentials, 200, BYE
call caller sip:480600@127.0.0.1 1        # 480 Temporarily Unavailable
stop_captures "$out/udp"
editcap_split "$out/udp" -c 50
check "$out/udp"

echo "recording $out/tcp"
# baresip connects its TCP socket from 127.0.0.1, so the filter takes kamailio's TCP port too.
start_captures "$out/tcp" 'host 127.0.0.10 or tcp port 5060' duration:1 1
call caller-tcp sip:answer700@127.0.0.1 2 # 200 over TCP, RTP over UDP, BYE over TCP
node "$work/split-invite.cjs" 486701 2500 2>"$work/split.log" || { cat "$work/split.log" >&2; echo "split INVITE: no final response" >&2; exit 1; }
sleep 0.5
call caller-tcp sip:503700@127.0.0.1 1    # 503 over TCP
stop_captures "$out/tcp"
editcap_split "$out/tcp" -i 1
check "$out/tcp"
# every set must cut the split INVITE: its first and its last bytes in two different pieces
for set in dumpcap tcpdump editcap; do
  head=$(grep -l -a -F 'INVITE sip:486701@' "$out/tcp/$set"/*)
  tail=$(grep -l -a -F 'User-Agent: record-ring.sh split INVITE' "$out/tcp/$set"/*)
  [ -n "$head" ] && [ -n "$tail" ] && [ "$head" != "$tail" ] || { echo "$out/tcp/$set: the split INVITE is not cut (${head:-none} / ${tail:-none})" >&2; exit 1; }
  echo "$out/tcp/$set: the split INVITE begins in $(basename "$head") and ends in $(basename "$tail")"
done

find "$out/udp" "$out/tcp" -type f -printf '%7s %p\n' | sort -k2
echo "$(find "$out/udp" "$out/tcp" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }') bytes in all"
