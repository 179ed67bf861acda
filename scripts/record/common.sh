# The prelude the recording scripts share, sourced after they set `here`. Arguments: the output folder
# ('' for fixtures/recorded), a name for the work folder, then the commands the script needs. Sets `out`,
# `work` and `pids`; at exit the processes in `pids` are stopped and `work` is removed (kept with KEEP=1).
out="$(realpath -m "${1:-$here/../../fixtures/recorded}")"
work="$(mktemp -d "/tmp/$2.XXXXXX")"
mkdir -p "$out"
for t in "${@:3}"; do
  command -v "$t" >/dev/null || { echo "missing: $t (apt-get install -y $t)" >&2; exit 1; }
done
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "${KEEP:-}" ]; then echo "logs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# baresip_conf DIR LISTEN TRANSPORT ACCOUNT: a baresip configuration folder (G.711, a 440 Hz tone, no sound card)
baresip_conf() {
  mkdir -p "$1"
  cat > "$1/config" <<CONF
poll_method epoll
sip_listen $2
sip_trans_def $3
net_interface ${2%:*}
audio_player aufile,/dev/null
audio_source ausine,440
ausrc_srate 48000
auplay_srate 48000
ausrc_channels 2
auplay_channels 2
audio_alert aufile,/dev/null
rtp_ports 31000-31999
module_path /usr/lib/baresip/modules
module g711.so
module ausine.so
module aufile.so
module_app account.so
module_app menu.so
module_app contact.so
CONF
  echo "$4" > "$1/accounts"
  : > "$1/contacts"
}


# write_ua_configs — the four user agents the recordings use: the answering UA (127.0.0.2:5080, auto-answer),
# the ringing one (127.0.0.3:5082, never answers), the caller over UDP and over TCP (127.0.0.10:5070, through
# kamailio with digest credentials).
write_ua_configs() {
  baresip_conf "$work/callee" 127.0.0.2:5080 udp '<sip:answer@127.0.0.2:5080>;regint=0;answermode=auto'
  baresip_conf "$work/ringer" 127.0.0.3:5082 udp '<sip:ring@127.0.0.3:5082>;regint=0;answermode=manual'
  baresip_conf "$work/caller" 127.0.0.10:5070 udp '<sip:caller@127.0.0.10>;regint=0;auth_user=caller;auth_pass=secret;outbound="sip:127.0.0.1:5060"'
  baresip_conf "$work/caller-tcp" 127.0.0.10:5070 tcp '<sip:caller@127.0.0.10;transport=tcp>;regint=0;auth_user=caller;auth_pass=secret;outbound="sip:127.0.0.1:5060;transport=tcp"'
}

# start_peers — kamailio (kamailio.cfg) and the two answering UAs, in the background (stopped at exit).
start_peers() {
  kamailio -f "$here/kamailio.cfg" -DD -E >"$work/kamailio.log" 2>&1 &
  pids+=($!)
  baresip -f "$work/callee" >"$work/callee.log" 2>&1 &
  pids+=($!)
  baresip -f "$work/ringer" >"$work/ringer.log" 2>&1 &
  pids+=($!)
  sleep 1.5
}

# capture NAME IFACE FILTER — starts tcpdump; stop_capture ends it.
capture() {
  tcpdump -Z root -i "$2" -U -s 0 -w "$out/$1" "$3" >"$work/tcpdump-$1.log" 2>&1 &
  cap_pid=$!
  sleep 1
}
stop_capture() {
  sleep 1
  kill "$cap_pid"
  wait "$cap_pid" 2>/dev/null || true
}
