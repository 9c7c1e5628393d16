#!/bin/sh
# Dumps every figure of the sample reader (bench/samples_dump) and of the CLI
# (--format json) for every fixture and for large generated logs, into one
# file. Run it before and after a change to the reader and compare:
#   bench/samples_golden.sh build before.txt ; ...change... ;
#   bench/samples_golden.sh build after.txt ; cmp before.txt after.txt
# SAMPLES_DUMP_FULL=1 widens the grid of options.
set -eu
build=${1:?build dir}
out=${2:?output file}
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=${GOLDEN_TMP:-/tmp/ecoest-golden}
mkdir -p "$tmp"
[ -f "$tmp/nvsmi-big-bad.csv" ] || python3 "$src/bench/golden_inputs.py" "$tmp"
build=$(cd "$build" && pwd)
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
cd "$src" # file names relative to the checkout: two checkouts compare
files=$(ls tests/samples/*.csv tests/samples/malformed/* ../shared/samples/*.csv \
        "$tmp"/*.csv 2>/dev/null || true)
: > "$out"
"$build/bench/samples_dump" $files >> "$out"
for f in $files; do
    for args in "" "--tz UTC" "--tz +02:00 --fill hold --max-gap 5" "--tz Europe/Paris" \
                "--interval 1 --tz UTC" "--skip-bad-rows --tz UTC"; do
        echo "== cli $f $args" >> "$out"
        # shellcheck disable=SC2086
        "$build/ecoest" --samples "$f" $args --format json >> "$out" 2>&1 \
            || echo "exit $?" >> "$out"
    done
done
