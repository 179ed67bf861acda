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
