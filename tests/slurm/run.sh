#!/usr/bin/env bash
# tests/slurm/run.sh ECOEST_BIN: ecoest jobs --sacct against a real one-node
# Slurm 22.05 cluster on 127.0.0.1 (tests/slurm/cluster.sh).
#
# Jobs: a CPU burn on 2 cores, a job that fails, one that hits its time
# limit, one cancelled while running, a multi-step srun job, one with --mem
# and --gres=gpu:1, and a 3-task array. Then `ecoest jobs --sacct --per-job`
# must give the states, CPUs, elapsed times, memory and GPU counts the jobs'
# own parameters imply, and energies equal to the formula worked from those
# figures (docs/cluster.md): with --cpu-tdp-per-core 10 --gpu-tdp 300 --pue 1
# --ci 100 --memory-w-per-gb 0.5,
#   cpu_kwh    = cpus x 10 x cpu_usage_frac x elapsed_s / 3600 / 1000
#   gpu_kwh    = gpus x 300 x 1 x elapsed_s / 3600 / 1000   (no gpuutil: usage 1)
#   memory_kwh = mem_req_gb x 0.5 x elapsed_s / 3600 / 1000
#   energy_kwh = their sum; co2e_g = energy_kwh x 100.
#
# Exit 0 pass, 1 fail, 77 skipped (not root, or the packages are missing and
# ECOEST_SLURM_INSTALL is not 1). Every daemon is stopped by its PID on exit,
# failure included. Takes about 2 minutes: Slurm's time limits are whole
# minutes, and the TIMEOUT job sets the floor.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ecoest=${1:?usage: run.sh ECOEST_BIN}
ecoest=$(realpath "$ecoest")
. "$here/cluster.sh"

if [ "$(id -u)" != 0 ]; then
    echo "SKIP: the Slurm cluster test needs root (it starts munged, MariaDB and the Slurm daemons)"
    exit 77
fi
missing=$(slurm_missing_pkgs)
if [ -n "$missing" ]; then
    if [ "${ECOEST_SLURM_INSTALL:-0}" != 1 ]; then
        echo "SKIP: the Slurm cluster test needs the Debian packages:$missing (tools/check installs them; or ECOEST_SLURM_INSTALL=1)"
        exit 77
    fi
    made=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then # keep postinsts from starting daemons
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && made=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
    rc=$?
    [ $made = 1 ] && rm -f /usr/sbin/policy-rc.d
    [ $rc = 0 ] || { echo "FAIL: cannot install$missing"; exit 1; }
fi

T0=$(date +%s)
BASE=$(mktemp -d "${TMPDIR:-/tmp}/ecoest-slurm.XXXXXX")
chmod 755 "$BASE"
fails=0
cleanup() {
    slurm_down "$BASE" || fails=$((fails + 1))
    if [ "$fails" = 0 ] && [ "${ECOEST_SLURM_KEEP:-0}" != 1 ]; then rm -rf "$BASE"; else echo "logs kept in $BASE"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# the end-of-job hook: one JSON line per job in footprints.jsonl
cat >"$BASE/epilog.sh" <<EOF
#!/bin/sh
export PATH=/usr/sbin:/usr/bin:/sbin:/bin SLURM_CONF=$BASE/etc/slurm.conf
"$ecoest" jobs --epilog --log "$BASE/footprints.jsonl" --cpu-tdp-per-core 10 --gpu-tdp 300 \\
    --pue 1 --ci 100 --memory-w-per-gb 0.5 --wait 30 2>>"$BASE/epilog.err"
exit 0
EOF
chmod 755 "$BASE/epilog.sh"
export ECOEST_SLURM_EPILOG=$BASE/epilog.sh

if ! slurm_up "$BASE"; then
    echo "FAIL: the cluster did not come up; logs:"
    tail -n 5 "$BASE"/log/*.log "$BASE"/log/*.out 2>/dev/null
    fails=1
    exit 1
fi

START=$(date -u -d '-1 min' +%Y-%m-%dT%H:%M:%S)
J=$BASE/jobs
sb() { sbatch --parsable -D "$J" -o "$J/%x-%j.out" "$@"; }
# the burn writes the CPU time its children got (bash's times): on a busy
# host that, not 2 x 20 s, is what TotalCPU must match
id_cpu=$(sb -J cpu_burn -n1 -c2 --mem=200M --wrap 'timeout 10 sha256sum /dev/zero & timeout 10 sha256sum /dev/zero & wait; times > cpu_burn.times')
id_fail=$(sb -J fail -n1 --wrap 'exit 3')
id_timeout=$(sb -J timeout -n1 --time=1 --wrap 'sleep 600')
id_cancel=$(sb -J cancel -n1 --wrap 'sleep 600')
# three steps: 2 tasks burning 3 s each, 1 task burning 4 s, a `true`; each
# burning task writes the CPU time it got (steps.STEP.TASK.times)
burn='timeout $0 sha256sum /dev/zero; times > steps.$SLURM_STEP_ID.$SLURM_PROCID.times'
id_steps=$(sb -J steps -n2 --wrap "srun -n2 bash -c '$burn' 3; srun -n1 bash -c '$burn' 4; srun -n1 true; true")
id_gpu=$(sb -J gpu_mem -n1 --mem=300M --gres=gpu:1 --wrap 'x=$(head -c 100M /dev/zero | tr "\0" a); sleep 3; echo ${#x}')
id_array=$(sb -J array --array=1-3 -n1 -o "$J/%x-%A_%a.out" --wrap 'sleep 1')
for v in id_cpu id_fail id_timeout id_cancel id_steps id_gpu id_array; do
    [ -n "${!v}" ] || { echo "FAIL: sbatch for $v"; fails=1; exit 1; }
done
echo "submitted: cpu=$id_cpu fail=$id_fail timeout=$id_timeout cancel=$id_cancel steps=$id_steps gpu=$id_gpu array=$id_array"

# cancel once it has run for 3 s
for _ in $(seq 1 150); do
    if [ "$(squeue -h -j "$id_cancel" -o %T 2>/dev/null)" = RUNNING ]; then sleep 3; scancel "$id_cancel"; break; fi
    sleep 1
done
# the queue drains, then sacct must show every job in a final state
for _ in $(seq 1 200); do [ -z "$(squeue -h -o %A)" ] && break; sleep 1; done
# (9 allocation rows: the array's 3 tasks each have one; a finished job can
# be missing from sacct for a few seconds)
ids="$id_cpu,$id_fail,$id_timeout,$id_cancel,$id_steps,$id_gpu,$id_array"
for _ in $(seq 1 60); do
    st=$(sacct -X -n -P -j "$ids" -o State)
    [ "$(echo "$st" | grep -c .)" = 9 ] && ! echo "$st" | grep -Eq 'RUNNING|PENDING|COMPLETING' && break
    sleep 1
done
echo "jobs done after $(($(date +%s) - T0)) s"

opts=(--cpu-tdp-per-core 10 --gpu-tdp 300 --pue 1 --ci 100 --memory-w-per-gb 0.5)
"$ecoest" jobs --sacct --dry-run -S "$START" -a >"$BASE/dry.txt"
grep -q -- "sacct --parsable2 --format=JobID" "$BASE/dry.txt" && grep -q -- "-S $START --allusers" "$BASE/dry.txt" ||
    { echo "FAIL: --dry-run printed: $(cat "$BASE/dry.txt")"; fails=$((fails + 1)); }
if ! "$ecoest" jobs --sacct "${opts[@]}" --per-job --format csv -S "$START" -a >"$BASE/jobs.csv" 2>"$BASE/jobs.err"; then
    echo "FAIL: ecoest jobs --sacct exited $?: $(cat "$BASE/jobs.err")"
    fails=1
    exit 1
fi
"$ecoest" jobs --sacct "${opts[@]}" -S "$START" -a >"$BASE/report.txt" 2>&1 ||
    { echo "FAIL: ecoest jobs --sacct (report)"; fails=$((fails + 1)); }
cat "$BASE/jobs.csv"

# check ID STATE CPUS GPUS MEM_REQ_GB ELAPSED_MIN ELAPSED_MAX USAGE_MIN USAGE_MAX [MEM_USED_MIN_GB]
check() {
    local id=$1 row
    row=$(grep "^$id," "$BASE/jobs.csv")
    if [ -z "$row" ]; then echo "FAIL: job $id is not in the output"; fails=$((fails + 1)); return; fi
    if ! echo "$row" | awk -F, -v want_state="$2" -v cpus="$3" -v gpus="$4" -v mem="$5" \
        -v emin="$6" -v emax="$7" -v umin="$8" -v umax="$9" -v used="${10:-0}" '
        function close_to(a, b) { d = a - b; if (d < 0) d = -d; m = (a < 0 ? -a : a); if (b > m) m = b; return d <= 1e-4 * m + 1e-12 }
        function bad(what) { printf "FAIL: job %s: %s (row: %s)\n", $1, what, $0; nbad++ }
        {
            # job_id,user,account,partition,state,start,end,elapsed_s,cpus,gpus,cpu_usage_frac,
            # mem_req_gb,mem_used_gb,cpu_kwh,gpu_kwh,memory_kwh,energy_kwh,co2e_g,measured_kwh
            if ($5 != want_state) bad("state " $5 ", expected " want_state)
            if ($9 != cpus) bad("cpus " $9 ", expected " cpus)
            if ($10 != gpus) bad("gpus " $10 ", expected " gpus)
            if (!close_to($12, mem)) bad("mem_req_gb " $12 ", expected " mem)
            if ($8 < emin || $8 > emax) bad("elapsed_s " $8 ", expected " emin ".." emax)
            if ($11 < umin || $11 > umax) bad("cpu_usage_frac " $11 ", expected " umin ".." umax)
            if (used > 0 && !($13 >= used)) bad("mem_used_gb " $13 ", expected at least " used)
            h = $8 / 3600
            cpu = $9 * 10 * $11 * h / 1000
            gpu = $10 * 300 * h / 1000
            memk = $12 * 0.5 * h / 1000
            if (!close_to($14, cpu)) bad("cpu_kwh " $14 ", by hand " cpu)
            if (!close_to($15, gpu)) bad("gpu_kwh " $15 ", by hand " gpu)
            if (!close_to($16, memk)) bad("memory_kwh " $16 ", by hand " memk)
            if (!close_to($17, cpu + gpu + memk)) bad("energy_kwh " $17 ", by hand " cpu + gpu + memk)
            if (!close_to($18, ($17) * 100)) bad("co2e_g " $18 ", by hand " $17 * 100)
            if ($19 != "") bad("measured_kwh " $19 " without an energy plugin")
        }
        END { exit nbad > 0 }'; then
        fails=$((fails + 1))
    fi
}
# MiB-based sizes in GB: 200M = 0.2097152, 300M = 0.3145728, 256M = 0.268435456
# (DefMemPerCPU=256), 2 CPUs x 256M = 0.536870912.
check "$id_cpu" COMPLETED 2 0 0.2097152 9 14 0.02 1 # 2 cores busy for 10 s (a busy host steals some)
# TotalCPU (cpu_usage_frac x cpus x elapsed) against the children's CPU time
# the job measured itself ("0m19.120s 0m0.210s" on times' second line)
if ! awk -F, -v id="$id_cpu" -v tf="$J/cpu_burn.times" '
    function sec(t) { split(t, a, "m"); sub("s", "", a[2]); return a[1] * 60 + a[2] }
    BEGIN { getline l1 < tf; getline l2 < tf; split(l2, f, " "); self = sec(f[1]) + sec(f[2]) }
    $1 == id { cpu = $11 * $9 * $8
               d = cpu - self; if (d < 0) d = -d
               printf "cpu_burn: TotalCPU %.2f s, the job measured %.2f s\n", cpu, self
               exit !(self > 1 && d <= 0.1 * self + 1.0) }' "$BASE/jobs.csv"; then
    echo "FAIL: cpu_burn's TotalCPU does not match the CPU time it measured"; fails=$((fails + 1))
fi
check "$id_fail" FAILED 1 0 0.268435456 0 3 0 1
check "$id_timeout" TIMEOUT 1 0 0.268435456 60 130 0 0.1
check "$id_cancel" CANCELLED 1 0 0.268435456 2 30 0 0.1
check "$id_steps" COMPLETED 2 0 0.536870912 7 40 0 1
# its CPU time, by hand: 2 tasks x 3 s + 1 task x 4 s = 10 s of burning (the
# `true` step, srun and the batch shell add a few hundredths). The tasks'
# own times files hold what each got (less on a busy host): TotalCPU must
# be their sum within cpu_burn's tolerance (10 % + 1 s), and that sum at
# most the 10 s the parameters allow (+ 0.5 s of clock granularity).
if ! awk -F, -v id="$id_steps" -v dir="$J" '
    function sec(t) { split(t, a, "m"); sub("s", "", a[2]); return a[1] * 60 + a[2] }
    function got(f,   l1, l2, x) { if ((getline l1 < f) <= 0 || (getline l2 < f) <= 0) return -1
                                   split(l2, x, " "); return sec(x[1]) + sec(x[2]) }
    BEGIN { n = 0; self = 0
            split("0.0 0.1 1.0", tasks, " ")
            for (k in tasks) { t = got(dir "/steps." tasks[k] ".times"); if (t >= 0) { self += t; n++ } } }
    $1 == id { cpu = $11 * $9 * $8
               d = cpu - self; if (d < 0) d = -d
               printf "steps: TotalCPU %.2f s, its 3 burning tasks measured %.2f s (by hand at most 2 x 3 + 4 = 10 s)\n", cpu, self
               exit !(n == 3 && self > 1 && self <= 10.5 && d <= 0.1 * self + 1.0) }' "$BASE/jobs.csv"; then
    echo "FAIL: the multi-step job's TotalCPU is not the sum of its steps' CPU time"; fails=$((fails + 1))
fi
check "$id_gpu" COMPLETED 1 1 0.3145728 3 20 0 1 0.1 # a 100 MB string in bash: RSS >= 0.1 GB
for t in 1 2 3; do check "${id_array}_$t" COMPLETED 1 0 0.268435456 0 10 0 1; done
n=$(grep -c . "$BASE/jobs.csv")
[ "$n" = 10 ] || { echo "FAIL: expected a header and 9 jobs, got $n lines"; fails=$((fails + 1)); }
grep -q "GPUs at usage 1 for 1 jobs" "$BASE/report.txt" ||
    { echo "FAIL: the report does not say the GPU was put at usage 1:"; cat "$BASE/report.txt"; fails=$((fails + 1)); }
grep -q "Not completed TIMEOUT" "$BASE/report.txt" && grep -q "Not completed CANCELLED" "$BASE/report.txt" ||
    { echo "FAIL: the report lacks the not-completed states"; fails=$((fails + 1)); }

# every job left exactly one line through the epilog hook, with its state
for _ in $(seq 1 60); do
    n=$(grep -c . "$BASE/footprints.jsonl" 2>/dev/null)
    [ "${n:-0}" -ge 9 ] && break
    sleep 1
done
for id in "$id_cpu" "$id_fail" "$id_timeout" "$id_cancel" "$id_steps" "$id_gpu" \
    "${id_array}_1" "${id_array}_2" "${id_array}_3"; do
    n=$(grep -c "\"job_id\":\"$id\"," "$BASE/footprints.jsonl" 2>/dev/null)
    want=$(awk -F, -v id="$id" '$1 == id { print $5 }' "$BASE/jobs.csv")
    line=$(grep "\"job_id\":\"$id\"," "$BASE/footprints.jsonl" 2>/dev/null)
    if [ "$n" != 1 ]; then
        echo "FAIL: job $id left $n lines in the epilog log"; fails=$((fails + 1))
    elif ! echo "$line" | grep -q "\"state\":\"$want\""; then
        echo "FAIL: job $id: epilog line $line, expected state $want"; fails=$((fails + 1))
    fi
done
total=$(grep -c . "$BASE/footprints.jsonl" 2>/dev/null)
[ "$total" = 9 ] || { echo "FAIL: the epilog log holds $total lines, expected 9"; fails=$((fails + 1)); }
echo "epilog: $total lines, $(grep -c '"settled":true' "$BASE/footprints.jsonl" 2>/dev/null) settled; errors: $(head -3 "$BASE/epilog.err" 2>/dev/null)"

echo "slurm test: $fails failure(s), $(($(date +%s) - T0)) s"
[ "$fails" = 0 ]
