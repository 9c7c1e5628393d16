#!/bin/sh
# Builds the libFuzzer targets of the sample-log readers with clang and runs
# each for a bounded time (CI calls this).
#   tests/fuzz/run.sh [SECONDS_PER_TARGET]   (default 20)
# Seeds: tests/samples (fixtures and the malformed corpus) and, when present,
# ../shared/samples. Exit status: 0, or 1 when a target found a crash (the
# input is kept under build-fuzz/artifacts/).
set -eu
secs=${1:-20}
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${ECOEST_FUZZ_BUILD:-$src/build-fuzz}
CC=${CC:-clang}
export CC
cmake -S "$src" -B "$build" -DECOEST_FUZZ=ON -DECOEST_BUILD_BENCH=OFF \
      -DECOEST_BUILD_EXAMPLES=OFF -DCMAKE_C_COMPILER="$CC" >/dev/null
cmake --build "$build" -j2 --target fuzz_samples_auto fuzz_samples_ecoest \
      fuzz_samples_nvidia_smi fuzz_samples_amd_smi fuzz_samples_rocm_smi fuzz_samples_csv >/dev/null
mkdir -p "$build/artifacts"
status=0
for t in auto ecoest nvidia_smi amd_smi rocm_smi csv; do
    corpus="$build/corpus-$t"
    mkdir -p "$corpus"
    # seeds: two option bytes (chunk 64, flags 0 and 7) + each sample file
    for f in "$src"/tests/samples/*.csv "$src"/tests/samples/malformed/* \
             "$src"/../shared/samples/*.csv; do
        [ -f "$f" ] || continue
        b=$(basename "$f")
        { printf '\077\000'; cat "$f"; } > "$corpus/seed0-$b"
        { printf '\077\007'; cat "$f"; } > "$corpus/seed7-$b"
    done
    echo "fuzz_samples_$t: ${secs} s"
    if ! "$build/tests/fuzz/fuzz_samples_$t" -max_total_time="$secs" -timeout=5 \
         -rss_limit_mb=1024 -artifact_prefix="$build/artifacts/$t-" -print_final_stats=0 \
         "$corpus" >"$build/fuzz-$t.log" 2>&1; then
        echo "fuzz_samples_$t: FAILED (see $build/fuzz-$t.log and $build/artifacts/)"
        tail -30 "$build/fuzz-$t.log"
        status=1
    fi
done
exit $status
