# Sourced by tests/tiles/tiles_slurm.sh and benchmarks/run_tiles_slurm.sh: a private single-node
# Slurm (munged, slurmctld, slurmd; as root, on free ports, all state in a folder of the caller).
#   slurm_start DIR   starts the daemons with their state and logs in DIR, exports SLURM_CONF;
#                     returns 1 (with a message) when something is missing or does not come up
#   slurm_stop        cancels every job and stops the daemons slurm_start started, by their pids
#   slurm_state JOB   the job's state (array tasks: JOB_INDEX) while Slurm still holds it
#   slurm_wait JOB    waits until the job is no longer pending or running (at most 10 minutes), prints its state
slurm_pids=()

slurm_start() {
  local dir=$1 tool
  [ "$(id -u)" -eq 0 ] || { echo "needs root (slurmd runs jobs as their user; this starts its own daemons)" >&2; return 1; }
  for tool in munged slurmctld slurmd sbatch scontrol sinfo; do
    command -v "$tool" > /dev/null || { echo "$tool not found: install slurm-wlm and munge (scripts/setup)" >&2; return 1; }
  done
  chmod 755 "$dir"  # munged wants its socket's folders searchable
  # munge with a key of its own.
  head -c 1024 /dev/urandom > "$dir/munge.key"
  chmod 400 "$dir/munge.key"
  munged -F -f --key-file="$dir/munge.key" --socket="$dir/munge.sock" --pid-file="$dir/munged.pid" \
    --log-file="$dir/munged.log" --seed-file="$dir/munged.seed" > /dev/null 2>&1 &
  slurm_pids+=($!)
  for _ in $(seq 50); do [ -S "$dir/munge.sock" ] && break; sleep 0.1; done
  [ -S "$dir/munge.sock" ] || { echo "munged did not start" >&2; return 1; }

  local ctld_port node_port host
  read -r ctld_port node_port < <(/usr/bin/python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
  host=$(hostname -s)
  mkdir -p "$dir/state" "$dir/spool"
  cat > "$dir/slurm.conf" << CONF
ClusterName=yiketest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$node_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge.sock
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
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
  export SLURM_CONF=$dir/slurm.conf
  slurmctld -D -i -f "$SLURM_CONF" > "$dir/slurmctld.out.log" 2>&1 &
  slurm_pids+=($!)
  slurmd -D -f "$SLURM_CONF" > "$dir/slurmd.out.log" 2>&1 &
  slurm_pids+=($!)
  for _ in $(seq 100); do
    sinfo -h -o %t 2> /dev/null | grep -q idle && break
    sleep 0.2
  done
  sinfo -h -o %t | grep -q idle || { echo "the Slurm node did not come up" >&2; return 1; }
  echo "slurm up: slurmctld :$ctld_port, slurmd :$node_port"
}

slurm_stop() {
  local pid
  if [ -n "${SLURM_CONF:-}" ] && [ -e "$SLURM_CONF" ]; then scancel --quiet --user=root 2> /dev/null || true; fi
  for pid in "${slurm_pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  for pid in "${slurm_pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2> /dev/null || true
  done
  slurm_pids=()
}

slurm_state() { scontrol show job "$1" 2> /dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -1; }

slurm_wait() {
  local s
  for _ in $(seq 1200); do
    s=$(slurm_state "$1")
    case "$s" in PENDING|RUNNING|CONFIGURING|COMPLETING|"") sleep 0.5 ;; *) echo "$s"; return 0 ;; esac
  done
  echo "job $1 did not finish" >&2
  return 1
}
