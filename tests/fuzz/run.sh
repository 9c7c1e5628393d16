#!/bin/sh
# Builds the libFuzzer targets with clang and runs each for a bounded time
# (CI calls this through tools/check).
#   tests/fuzz/run.sh [SECONDS_PER_TARGET]   (default 12)
# Targets: the six sample-log readers, and every other reader: factor sets,
# the RTE and Electricity Maps day parsers, cache files, HTTP headers, the
# strict parsers (number, fraction, count, duration, time), hwdb and zones
# files, the sacct reader and the cluster file of ecoest jobs, the --columns
# specification, the GPU-keeping copy of a log (ecoest run --gpus-of-tree);
# the CLI's parsers: /proc/cpuinfo, the sysfs topology,
# nvidia-smi's output (--cpu auto, --gpu auto) and --tz; and the command
# line itself (fuzz_cli: argument lists through every subcommand but run,
# in-process and sandboxed). 23 targets x 12 s: 4.6 minutes.
# Dictionary: tests/fuzz/<target>.dict, when there is one (cli.dict: the
# option names and typical values).
# Seeds: tests/fuzz/corpus/<target>/ (real inputs, and every crash found
# since, as a regression), the shipped data files, tests/samples and, when
# present, ../shared/samples. Exit status: 0, or 1 when a target found a
# crash (the input is kept under $build/artifacts/: add it to
# tests/fuzz/corpus/<target>/ with the fix).
set -eu
secs=${1:-12}
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${ECOEST_FUZZ_BUILD:-$src/build-fuzz}
CC=${CC:-clang}
export CC
samples="auto ecoest nvidia_smi amd_smi rocm_smi csv"
others="factors rte_day em_day cache http_header num hwdb zones sacct cluster columns"
others="$others keep_gpus"
others="$others cpuinfo sysfs nvidia_smi tz cli"
targets=""
for t in $samples; do targets="$targets fuzz_samples_$t"; done
for t in $others; do targets="$targets fuzz_$t"; done
cmake -S "$src" -B "$build" -DECOEST_FUZZ=ON -DECOEST_BUILD_BENCH=OFF \
      -DECOEST_BUILD_EXAMPLES=OFF -DCMAKE_C_COMPILER="$CC" >/dev/null
# shellcheck disable=SC2086
cmake --build "$build" -j2 --target $targets >/dev/null
mkdir -p "$build/artifacts"
status=0

# seed NAME FILE PREFIX: FILE behind the PREFIX bytes (printf format)
seed() {
    { printf "$3"; cat "$2"; } > "$corpus/seed-$1"
}

run() { # run TARGET BINARY (with tests/fuzz/<name>.dict when there is one)
    echo "$1: ${secs} s"
    dict="$src/tests/fuzz/${1#fuzz_}.dict"
    [ -f "$dict" ] || dict=
    if ! "$2" -max_total_time="$secs" -timeout=5 -rss_limit_mb=1024 \
         -artifact_prefix="$build/artifacts/$1-" -print_final_stats=0 \
         ${dict:+"-dict=$dict"} "$corpus" ${extra:+"$extra"} >"$build/$1.log" 2>&1; then
        echo "$1: FAILED (see $build/$1.log and $build/artifacts/)"
        tail -30 "$build/$1.log"
        status=1
    fi
}

for t in $samples; do
    corpus="$build/corpus-$t"
    mkdir -p "$corpus"
    # seeds: two option bytes (chunk 64, flags 0 and 7) + each sample file
    for f in "$src"/tests/samples/*.csv "$src"/tests/samples/malformed/* \
             "$src"/../shared/samples/*.csv; do
        [ -f "$f" ] || continue
        b=$(basename "$f")
        seed "0-$b" "$f" '\077\000'
        seed "7-$b" "$f" '\077\007'
    done
    extra=
    run "fuzz_samples_$t" "$build/tests/fuzz/fuzz_samples_$t"
done

for t in $others; do
    corpus="$build/corpus-$t"
    # fuzz_cli runs about 100 inputs a second: the inputs kept from earlier
    # runs would take longer to replay than its whole budget, so it starts
    # from its seeds each time
    [ "$t" = cli ] && rm -rf "$corpus"
    mkdir -p "$corpus"
    case $t in
    factors) seed shipped "$src/carbon/factors.csv" '\000'
             seed shipped-direct "$src/carbon/factors.csv" '\002' ;;
    hwdb)    seed cpu "$src/hwdb/cpu.csv" '\000'
             seed gpu "$src/hwdb/gpu.csv" '\001'
             seed aliases "$src/hwdb/aliases.csv" '\002' ;;
    zones)   seed shipped "$src/carbon/zones.csv" '' ;;
    sacct)   for f in "$src"/tests/fixtures/sacct/*.txt; do
                 seed "$(basename "$f")" "$f" ''
             done ;;
    cpuinfo) [ -r /proc/cpuinfo ] && seed this-machine /proc/cpuinfo '' ;;
    esac
    extra="$src/tests/fuzz/corpus/$t"
    run "fuzz_$t" "$build/tests/fuzz/fuzz_$t"
done
exit $status
