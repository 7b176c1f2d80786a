# Sourced, not run: installs Debian's SLURM and munge, starts a private one-node cluster (127.0.0.1, a
# temporary folder, no systemd) and stops every daemon it started, by PID, on exit. Needs $repo set. Defines
# check DESCRIPTION CMD..., wait_jobs ID... (limit $WAIT_LIMIT s, default 300), states ID; exports SLURM_CONF.
SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "FAIL: needs root or sudo to install and start SLURM" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
fails=0
check() { # check DESCRIPTION COMMAND...: prints ok/FAIL, counts failures
  local what="$1"; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fails=$((fails + 1)); fi
}

echo "== installing slurmctld slurmd slurm-client munge (apt-get)"
added_policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then # keep apt from starting the services itself
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod 755 /usr/sbin/policy-rc.d
  added_policy=1
fi
$SUDO apt-get update -q >/dev/null
$SUDO apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 \
  slurmctld slurmd slurm-client munge >/dev/null
[ -n "$added_policy" ] && $SUDO rm -f /usr/sbin/policy-rc.d

# State and spool in a temporary folder on a filesystem that allows executing (job scripts run from the spool).
exec_ok() {
  local d f
  d="$(mktemp -d "$1/kp-slurm.XXXXXX" 2>/dev/null)" || return 1
  f="$d/x.sh"; printf '#!/bin/sh\nexit 0\n' >"$f"; chmod +x "$f"
  if "$f" 2>/dev/null; then echo "$d"; else rm -rf "$d"; return 1; fi
}
tmp=""
for base in "${TMPDIR:-/tmp}" /var/tmp "$repo/target"; do
  [ -d "$base" ] && tmp="$(exec_ok "$base")" && break
done
[ -n "$tmp" ] || { echo "FAIL: no executable temporary folder" >&2; exit 1; }
chmod 755 "$tmp"
rm -f "$tmp/x.sh"
echo "== cluster folder: $tmp"

pidfiles=("$tmp/run/slurmd.pid" "$tmp/run/slurmctld.pid" "$tmp/munge/run/munged.pid")
cleanup() {
  local rc=$? pf pid i
  set +e
  trap '' INT TERM # finish stopping the daemons even if signalled again
  if [ -n "${SLURM_CONF:-}" ] && [ -f "$tmp/run/slurmctld.pid" ]; then
    timeout 10 squeue -h -o %i 2>/dev/null | xargs -r timeout 10 scancel 2>/dev/null # private cluster: only our jobs
    sleep 1
  fi
  for pf in "${pidfiles[@]}"; do
    [ -f "$pf" ] || continue
    pid="$(cat "$pf")"
    [ -n "$pid" ] || continue
    $SUDO kill "$pid" 2>/dev/null
    for i in $(seq 50); do $SUDO kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    $SUDO kill -9 "$pid" 2>/dev/null && echo "== killed $pid hard"
    echo "== stopped $(basename "$pf" .pid) (pid $pid)"
  done
  if [ $rc != 0 ] || [ $fails != 0 ]; then
    echo "== logs kept in $tmp/log"
    for f in "$tmp"/log/*; do echo "--- $f"; tail -n 30 "$f"; done
  else
    $SUDO rm -rf "$tmp"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# munge: key owned by munge, mode 0400, in a 0700 folder; socket, pid, log and seed in our folder.
mkdir -p "$tmp/munge/etc" "$tmp/munge/run" "$tmp/munge/log" "$tmp/munge/lib" "$tmp/run" "$tmp/log" \
  "$tmp/state" "$tmp/spool"
dd if=/dev/urandom of="$tmp/munge/etc/munge.key" bs=1024 count=1 status=none
$SUDO chown -R munge:munge "$tmp/munge"
$SUDO chmod 0700 "$tmp/munge/etc" "$tmp/munge/log" "$tmp/munge/lib"
$SUDO chmod 0755 "$tmp/munge/run" "$tmp/munge"
$SUDO chmod 0400 "$tmp/munge/etc/munge.key"
sock="$tmp/munge/run/munge.socket.2"
echo "== starting munged"
$SUDO runuser -u munge -- /usr/sbin/munged --key-file="$tmp/munge/etc/munge.key" --socket="$sock" \
  --pid-file="$tmp/munge/run/munged.pid" --log-file="$tmp/munge/log/munged.log" \
  --seed-file="$tmp/munge/lib/munged.seed"
for i in $(seq 50); do [ -S "$sock" ] && break; sleep 0.2; done
check "munge round trip" sh -c "munge -S '$sock' -n | unmunge -S '$sock' >/dev/null"
ln -sf "$tmp/munge/log/munged.log" "$tmp/log/munged.log" 2>/dev/null || true

# Free ports, 127.0.0.1 everywhere, node name given to slurmd: no name lookups.
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 20000))
    if command -v ss >/dev/null; then
      ss -ltnH "sport = :$p" | grep -q . || { echo $p; return; }
    else # no iproute2: look the port up in /proc (hex, listening state 0A)
      grep -qi ":$(printf '%04X' $p) [0-9A-F:]* 0A" /proc/net/tcp /proc/net/tcp6 2>/dev/null || { echo $p; return; }
    fi
  done
}
ctldport="$(free_port)"
dport="$(free_port)"
mem_mb=$(( $(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo) - 512 ))
cpus="$(nproc)"
export SLURM_CONF="$tmp/slurm.conf"
cat >"$SLURM_CONF" <<EOF
ClusterName=kptest
SlurmctldHost=$(hostname -s)(127.0.0.1)
SlurmctldPort=$ctldport
SlurmdPort=$dport
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/run/slurmctld.pid
SlurmdPidFile=$tmp/run/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$tmp/log/jobcomp.txt
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
EnforcePartLimits=ALL
ReturnToService=2
MinJobAge=3600
NodeName=kpnode NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=kpnode Default=YES MaxTime=INFINITE State=UP
EOF
echo "== starting slurmctld (port $ctldport) and slurmd (port $dport)"
$SUDO env SLURM_CONF="$SLURM_CONF" /usr/sbin/slurmctld -f "$SLURM_CONF" -i
$SUDO env SLURM_CONF="$SLURM_CONF" /usr/sbin/slurmd -f "$SLURM_CONF" -N kpnode
state=""
deadline=$((SECONDS + 90))
while [ $SECONDS -lt $deadline ]; do
  state="$(timeout 10 sinfo -h -n kpnode -o %T 2>/dev/null || true)"
  [ "$state" = idle ] && break
  sleep 0.5
done
check "node kpnode is idle (state: '$state')" test "$state" = idle
[ $fails = 0 ] || exit 1

# wait_jobs ID...: poll squeue until the jobs are gone (time limit $WAIT_LIMIT s, default 300)
wait_jobs() {
  local ids left
  ids="$(IFS=,; echo "$*")"
  local limit="${WAIT_LIMIT:-300}"
  local deadline=$((SECONDS + limit))
  while [ $SECONDS -lt $deadline ]; do
    left="$(timeout 10 squeue -h -j "$ids" -o %i 2>/dev/null || echo error)"
    [ -z "$left" ] && return 0
    sleep 0.5
  done
  echo "jobs still queued after $limit s:"; squeue -j "$ids" || true
  return 1
}
# states ID: "task_or_-:STATE" lines from scontrol (no accounting, so no sacct)
states() {
  timeout 10 scontrol -o show job "$1" | sed -n 's/.*JobId=\([0-9]*\) .*JobState=\([A-Z_]*\).*/\1:\2/p' | sort
  true
}
