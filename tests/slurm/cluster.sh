# shellcheck shell=bash
# A one-node Slurm cluster with accounting on 127.0.0.1, for tests: munged,
# MariaDB, slurmdbd, slurmctld and slurmd, all under one folder, no systemd.
# Sourced by tests/slurm/run.sh. Needs root and the Debian 12 packages
# slurmctld slurmd slurmdbd slurm-client munge mariadb-server mariadb-client.
#
#   slurm_up BASE      start everything; SLURM_CONF is exported
#   slurm_down BASE    stop every daemon by its recorded PID, then anything
#                      else whose environment carries BASE's tag (slurmstepd)
#
# Knobs: ECOEST_SLURM_PORT (first of 4 TCP ports, default 16917),
# ECOEST_SLURM_EPILOG (a script for EpilogSlurmctld).
# What it took (the pitfalls of a local cluster): the daemons bind 127.0.0.1
# only (CommunicationParameters=NoInAddrAny,NoCtldInAddrAny); the munge socket
# of the slurmdbd connection comes from AccountingStoragePass, not AuthInfo;
# a GPU in AllocTRES needs AccountingStorageTRES=gres/gpu and a gres.conf
# line with a device file (File=/dev/null), or the node goes INVALID; no
# cgroups (proctrack/linuxproc, task/none); sacct lags a finished job by a
# few seconds.

SLURM_PKGS="slurmctld slurmd slurmdbd slurm-client munge mariadb-server mariadb-client"

slurm_log() { printf '[slurm %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

slurm_missing_pkgs() {
    local p m=""
    for p in $SLURM_PKGS; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || m="$m $p"
    done
    echo "$m"
}

# wait_for SECONDS WHAT CMD...: retries CMD until it succeeds
slurm_wait_for() {
    local t=$1 what=$2 end
    shift 2
    end=$(($(date +%s) + t))
    while [ "$(date +%s)" -lt "$end" ]; do
        if timeout 10 "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.3
    done
    slurm_log "timed out after ${t}s waiting for $what"
    return 1
}

# start_bg BASE NAME CMD...: a foreground daemon, detached, tagged, PID kept
slurm_start_bg() {
    local base=$1 name=$2
    shift 2
    env "ECOEST_SLURM_TAG=$base" setsid "$@" </dev/null >>"$base/log/$name.out" 2>&1 &
    echo $! >"$base/run/$name.pid"
}

slurm_up() {
    local base=$1 port=${ECOEST_SLURM_PORT:-16917} host topo mem_mb
    local ctld=$port slurmd_port=$((port + 1)) dbd=$((port + 2)) db=$((port + 3))
    host=$(hostname -s)
    mkdir -p "$base"/{etc,run,log,state/ctld,state/d,state/munge,db,secret,jobs}
    chmod 755 "$base" "$base/etc" "$base/run"
    chmod 700 "$base/secret" "$base/state/munge"
    chmod 1777 "$base/jobs"
    export SLURM_CONF=$base/etc/slurm.conf
    topo=$(slurmd -C 2>/dev/null | head -1 |
        grep -oE '(CPUs|Boards|SocketsPerBoard|CoresPerSocket|ThreadsPerCore)=[0-9]+' | tr '\n' ' ')
    [ -n "$topo" ] || topo="CPUs=$(nproc)"
    mem_mb=$(($(awk '/MemTotal/{print $2}' /proc/meminfo) / 1024 * 8 / 10))
    dd if=/dev/urandom of="$base/secret/munge.key" bs=1024 count=1 status=none
    chmod 400 "$base/secret/munge.key"
    printf 'AutoDetect=off\nNodeName=%s Name=gpu File=/dev/null\n' "$host" >"$base/etc/gres.conf"
    cat >"$base/etc/slurm.conf" <<EOF
ClusterName=ecoestci
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$base/run/munge.sock
StateSaveLocation=$base/state/ctld
SlurmdSpoolDir=$base/state/d
SlurmctldPidFile=$base/run/slurmctld.daemon.pid
SlurmdPidFile=$base/run/slurmd.daemon.pid
SlurmctldLogFile=$base/log/slurmctld.log
SlurmdLogFile=$base/log/slurmd.log
CommunicationParameters=NoInAddrAny,NoCtldInAddrAny
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=256
SchedulerType=sched/backfill
SlurmdParameters=config_overrides
ReturnToService=2
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=task=2
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=127.0.0.1
AccountingStoragePort=$dbd
AccountingStoragePass=$base/run/munge.sock
AccountingStorageTRES=gres/gpu
JobCompType=jobcomp/none
GresTypes=gpu
KillWait=5
MinJobAge=300
InactiveLimit=0
SlurmctldTimeout=30
SlurmdTimeout=60
MessageTimeout=10
NodeName=$host NodeAddr=127.0.0.1 $topo RealMemory=$mem_mb Gres=gpu:1 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
    if [ -n "${ECOEST_SLURM_EPILOG:-}" ]; then
        echo "EpilogSlurmctld=$ECOEST_SLURM_EPILOG" >>"$base/etc/slurm.conf"
    fi
    cat >"$base/etc/slurmdbd.conf" <<EOF
AuthType=auth/munge
AuthInfo=socket=$base/run/munge.sock
DbdHost=$host
DbdAddr=127.0.0.1
DbdPort=$dbd
CommunicationParameters=NoInAddrAny
SlurmUser=root
LogFile=$base/log/slurmdbd.log
PidFile=$base/run/slurmdbd.daemon.pid
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$db
StorageUser=slurm
StoragePass=ecoestci
StorageLoc=slurm_acct_db
EOF
    chmod 600 "$base/etc/slurmdbd.conf"
    for p in $ctld $slurmd_port $dbd $db; do
        if ss -Hltn "sport = :$p" 2>/dev/null | grep -q .; then
            slurm_log "port $p is in use (set ECOEST_SLURM_PORT)"
            return 1
        fi
    done

    slurm_start_bg "$base" munged munged -F --force --key-file="$base/secret/munge.key" \
        --socket="$base/run/munge.sock" --pid-file="$base/run/munged.daemon.pid" \
        --log-file="$base/log/munged.log" --seed-file="$base/state/munge/munged.seed"
    slurm_wait_for 15 munged sh -c "munge -n -S '$base/run/munge.sock' | unmunge -S '$base/run/munge.sock'" || return 1

    mariadb-install-db --no-defaults --datadir="$base/db" --user=root --skip-test-db \
        --auth-root-authentication-method=socket >"$base/log/mariadb-install-db.log" 2>&1 || {
        tail -20 "$base/log/mariadb-install-db.log" >&2
        return 1
    }
    slurm_start_bg "$base" mariadbd mariadbd --no-defaults --user=root --datadir="$base/db" \
        --socket="$base/run/mysqld.sock" --port="$db" --bind-address=127.0.0.1 \
        --skip-name-resolve --pid-file="$base/run/mariadbd.daemon.pid" \
        --log-error="$base/log/mariadbd.log" --innodb-buffer-pool-size=128M
    slurm_wait_for 60 mariadbd mariadb --no-defaults -S "$base/run/mysqld.sock" -u root -e 'select 1' || return 1
    mariadb --no-defaults -S "$base/run/mysqld.sock" -u root <<EOF || return 1
CREATE DATABASE IF NOT EXISTS slurm_acct_db;
CREATE USER IF NOT EXISTS 'slurm'@'127.0.0.1' IDENTIFIED BY 'ecoestci';
GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';
FLUSH PRIVILEGES;
EOF

    slurm_start_bg "$base" slurmdbd slurmdbd -D # reads slurmdbd.conf beside $SLURM_CONF
    slurm_wait_for 60 slurmdbd sacctmgr -n list cluster || return 1
    sacctmgr -i add cluster ecoestci >/dev/null || return 1
    sacctmgr -i add account ci Description=ci Organization=ci >/dev/null || return 1
    sacctmgr -i add user root Account=ci >/dev/null || return 1
    sacctmgr -i add user nobody Account=ci >/dev/null || return 1

    slurm_start_bg "$base" slurmctld slurmctld -D
    slurm_wait_for 60 slurmctld sh -c 'scontrol ping | grep -q UP' || return 1
    slurm_start_bg "$base" slurmd slurmd -D -N "$host"
    slurm_wait_for 60 "node $host idle" sh -c "sinfo -h -N -n '$host' -o %T | grep -Eq '^(idle|mixed|allocated)'" || return 1
    slurm_log "cluster up in $base (ports $ctld-$db)"
}

# Stops a PID: TERM, up to 20 s, then KILL.
slurm_stop_pid() {
    local pid=$1 i
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null
    for i in $(seq 1 80); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.25
    done
    kill -KILL "$pid" 2>/dev/null
    sleep 0.3
}

slurm_down() {
    local base=$1 d p stage tag left c
    tag="ECOEST_SLURM_TAG=$base"
    [ -d "$base/run" ] || return 0
    if [ -s "$base/run/slurmctld.pid" ] && kill -0 "$(cat "$base/run/slurmctld.pid")" 2>/dev/null; then
        ids=$(timeout 10 squeue -h -o %A 2>/dev/null | tr '\n' ' ')
        [ -n "${ids// /}" ] && timeout 10 scancel $ids 2>/dev/null
    fi
    for stage in "slurmd slurmctld" "slurmdbd" "mariadbd munged"; do
        for d in $stage; do
            [ -s "$base/run/$d.pid" ] || continue
            p=$(cat "$base/run/$d.pid")
            # only a process we started (it carries the tag)
            if { tr "\0" "\n" <"/proc/$p/environ"; } 2>/dev/null | grep -qxF "$tag"; then
                slurm_stop_pid "$p"
            fi
            rm -f "$base/run/$d.pid"
        done
    done
    # anything else tagged (a stray slurmstepd) and its children, by PID
    left=$(grep -lzxF "$tag" /proc/[0-9]*/environ 2>/dev/null | sed -n 's|^/proc/\([0-9]*\)/environ$|\1|p' | grep -vx "$$" || true)
    for p in $left; do
        for c in $(ps -o pid= --ppid "$p" 2>/dev/null); do slurm_stop_pid "$c"; done
        slurm_stop_pid "$p"
    done
    left=$(grep -lzxF "$tag" /proc/[0-9]*/environ 2>/dev/null | sed -n 's|^/proc/\([0-9]*\)/environ$|\1|p' | grep -vx "$$" || true)
    if [ -n "$left" ]; then
        slurm_log "still running after teardown: $left"
        return 1
    fi
    slurm_log "every daemon of $base stopped"
}
