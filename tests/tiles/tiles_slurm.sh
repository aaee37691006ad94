#!/usr/bin/env bash
# A private single-node Slurm (munged, slurmctld, slurmd; as root, on free ports, all state in a
# temporary folder) runs a tiled coverage of a generated city: the merged report must equal the
# monolithic one; then an array with one failing tile must leave the merge job cancelled with the
# failure in the tile's log. Every daemon started here is stopped on exit, by its pid.
#   tiles_slurm.sh YIKE SYNTHETIC_CITY
set -euo pipefail
yike=$1
city_tool=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "needs root (slurmd runs jobs as their user; the test starts its own daemons)"
for tool in munged slurmctld slurmd sbatch scontrol sinfo; do
  command -v "$tool" > /dev/null || fail "$tool not found: install slurm-wlm and munge (scripts/setup)"
done

tmp=$(mktemp -d /tmp/yike-slurm.XXXXXX)
chmod 755 "$tmp"  # munged wants its socket's folders searchable
pids=()
cleanup() {
  local code=$?
  if [ -n "${SLURM_CONF:-}" ] && [ -e "$SLURM_CONF" ]; then scancel --quiet --user=root 2> /dev/null || true; fi
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2> /dev/null || true
  done
  if [ "$code" -ne 0 ]; then
    for log in "$tmp"/*.log; do [ -e "$log" ] && { echo "--- $log"; tail -15 "$log"; }; done >&2
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# munge with a key of its own.
head -c 1024 /dev/urandom > "$tmp/munge.key"
chmod 400 "$tmp/munge.key"
munged -F -f --key-file="$tmp/munge.key" --socket="$tmp/munge.sock" --pid-file="$tmp/munged.pid" \
  --log-file="$tmp/munged.log" --seed-file="$tmp/munged.seed" > /dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$tmp/munge.sock" ] && break; sleep 0.1; done
[ -S "$tmp/munge.sock" ] || fail "munged did not start"

read -r ctld_port node_port < <(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
host=$(hostname -s)
mkdir -p "$tmp/state" "$tmp/spool"
cat > "$tmp/slurm.conf" << CONF
ClusterName=yiketest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$node_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$tmp/munge.sock
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
ReturnToService=2
MpiDefault=none
MinJobAge=3600
NodeName=$host NodeAddr=127.0.0.1 CPUs=2 RealMemory=4096 State=UNKNOWN
PartitionName=yike Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$tmp/slurm.conf
slurmctld -D -i -f "$SLURM_CONF" > "$tmp/slurmctld.out.log" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" > "$tmp/slurmd.out.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  sinfo -h -o %t 2> /dev/null | grep -q idle && break
  sleep 0.2
done
sinfo -h -o %t | grep -q idle || fail "the Slurm node did not come up"
echo "slurm up: slurmctld :$ctld_port, slurmd :$node_port"

# state JOB: the job's state (array tasks: JOB_INDEX) while Slurm still holds it.
state() { scontrol show job "$1" 2> /dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -1; }
# wait_done JOB: until the job is no longer pending or running (at most 10 minutes).
wait_done() {
  local s
  for _ in $(seq 1200); do
    s=$(state "$1")
    case "$s" in PENDING|RUNNING|CONFIGURING|COMPLETING|"") sleep 0.5 ;; *) echo "$s"; return ;; esac
  done
  fail "job $1 did not finish"
}

"$city_tool" --way-nodes 60000 --seed 15 --out "$tmp/city.osm.pbf" > /dev/null
"$yike" -q coverage --osm "$tmp/city.osm.pbf" --standard mofcom-15min --out "$tmp/mono"
"$yike" -q tiles --osm "$tmp/city.osm.pbf" --standard mofcom-15min --tile-km 2 --task-mem-mb 1000 --out "$tmp/work"
tiles=$(wc -l < "$tmp/work/tasks.txt")
read -r array merge < <(sh "$tmp/work/slurm.sh")
[ "$(wait_done "$merge")" = COMPLETED ] || fail "merge job $merge: $(state "$merge"); $(cat "$tmp/work/logs/merge.log")"
for i in $(seq 0 $((tiles - 1))); do
  [ "$(state "${array}_$i")" = COMPLETED ] || fail "tile $i: $(state "${array}_$i")"
done
diff -r "$tmp/mono" "$tmp/work/report" > "$tmp/diff.txt" || { head "$tmp/diff.txt"; fail "merged report differs"; }
echo "ok: $tiles tiles through Slurm (array $array, merge $merge) equal the monolithic report"

# One failing tile: its task line asks for a tile that does not exist.
"$yike" -q tiles --osm "$tmp/city.osm.pbf" --standard mofcom-15min --tile-km 2 --task-mem-mb 1000 --out "$tmp/bad"
sed -i '2s/--tile-index 1$/--tile-index 999999/' "$tmp/bad/tasks.txt"
read -r array merge < <(sh "$tmp/bad/slurm.sh")
[ "$(wait_done "$merge")" = CANCELLED ] || fail "merge job $merge after a failed tile: $(state "$merge"), expected CANCELLED"
scontrol show job "$merge" | grep -q "DependencyNeverSatisfied" || fail "merge job $merge not cancelled for its dependency"
[ "$(wait_done "${array}_1")" = FAILED ] || fail "tile 1: $(state "${array}_1"), expected FAILED"
grep -q "yike: error: --tile-index 999999: out of range" "$tmp/bad/logs/tile_1.log" || fail "tile 1's log lacks the error"
[ ! -e "$tmp/bad/report" ] || fail "a report was written although a tile failed"
echo "ok: a failing tile (array $array) leaves the merge $merge cancelled; logs/tile_1.log: $(cat "$tmp/bad/logs/tile_1.log")"
