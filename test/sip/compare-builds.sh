#!/bin/bash
# Proves that a performance change left every result identical: runs `analyze --format json` and
# `calls --format json` of two builds on every committed capture fixture, the carrier-day sample (with
# its routes) and the capture corpus (when ../shared/corpus is there), and compares the outputs byte for
# byte (the `generatedAt` stamp aside), exit codes and stderr included.
#
#   npx tsc -p tsconfig.build.json --outDir /tmp/before/dist   (on the old commit; link node_modules,
#   copy package.json and a bin/sipscope.js importing ../dist/cli/main.js next to it)
#   test/sip/compare-builds.sh /tmp/before/bin/sipscope.js bin/sipscope.js [more capture files…]
set -u
B=$1; A=$2; shift 2
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
corpus=../shared/corpus/pcap
files=$(ls fixtures/gen/*.pcap* fixtures/capture/*.pcapng fixtures/recorded/*.pcap fixtures/sample/carrier-day.pcap.gz 2>/dev/null; [ -d $corpus ] && ls $corpus/*)
fail=0; n=0
for f in $files "$@"; do
  for cmd in "analyze --format json" "calls --format json"; do
    extra=""; case $f in *carrier-day*) extra="--routes fixtures/sample/routes.csv";; esac
    node $B $cmd $extra $f 2>$tmp/be | grep -v '"generatedAt"' > $tmp/b; rb=${PIPESTATUS[0]}
    node $A $cmd $extra $f 2>$tmp/ae | grep -v '"generatedAt"' > $tmp/a; ra=${PIPESTATUS[0]}
    n=$((n+1))
    if [ $rb != $ra ] || ! cmp -s $tmp/b $tmp/a || ! cmp -s $tmp/be $tmp/ae; then echo "DIFF: $cmd $f"; fail=1; fi
  done
done
rm -rf $tmp
echo "compared $n runs: $([ $fail = 0 ] && echo identical || echo DIFFERENT)"
exit $fail
