#!/usr/bin/env bash
# What Slurm adds to tile tasks: the tasks of a tiled coverage of a synthetic city run once on
# local workers (xargs -P, as many as the node's CPUs) and once as the array job of WORK/slurm.sh
# on a private single-node Slurm (tests/tiles/private_slurm.sh: munged, slurmctld, slurmd on free
# ports, stopped on exit; needs root, slurm-wlm and munge). Every task records its own start and
# end (date +%s.%N inside the task) and peak memory; Slurm's view is `scontrol show job`
# (SubmitTime, StartTime, EndTime, whole seconds; sacct needs accounting, which the private Slurm
# has not). Prints a Markdown table: makespans, submit -> first start, per-task overhead, the wait
# from the last tile to the merge job's start, and the load average.
#
#   benchmarks/run_tiles_slurm.sh [BUILD_DIR] [WAY_NODES] [TILE_KM]   (defaults: build 1000000 5)
set -euo pipefail

default_way_nodes=1000000
# shellcheck source=tiles_common.sh
source "$(dirname "${BASH_SOURCE[0]}")/tiles_common.sh"
. "$root/tests/tiles/private_slurm.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/yike-bench-slurm.XXXXXX")
cleanup() {
  local code=$?
  slurm_stop
  if [ "$code" -ne 0 ]; then
    for log in "$tmp"/*.log; do [ -e "$log" ] && { echo "--- $log"; tail -15 "$log"; }; done >&2
  fi
  [ "${KEEP:-0}" = 1 ] && echo "work folder: $tmp" >&2 || rm -rf "$tmp"
}
trap cleanup EXIT
slurm_start "$tmp" > /dev/null || exit 1
workers=$(scontrol show node | sed -n 's/.*CPUTot=\([0-9]*\).*/\1/p' | head -1)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

"$gen" --way-nodes "$way_nodes" --seed 15 --out "$tmp/city.osm.pbf" > "$tmp/gen.txt"
"$yike" -q tiles --osm "$tmp/city.osm.pbf" --standard mofcom-15min --tile-km "$tile_km" --task-mem-mb 1000 \
  --out "$tmp/work"
tasks=$(wc -l < "$tmp/work/tasks.txt")
# Each task line wrapped: its own start and end, wall and peak memory, in RUN/I.{start,end,time}.
cp "$tmp/work/tasks.txt" "$tmp/tasks.orig"
wrap() { # wrap RUN: tasks.txt for that run
  mkdir -p "$tmp/$1"
  awk -v d="$tmp/$1" '{ printf "date +%%s.%%N > %s/%d.start; /usr/bin/time -f \"%%e %%M\" -o %s/%d.time %s; date +%%s.%%N > %s/%d.end\n", d, NR - 1, d, NR - 1, $0, d, NR - 1 }' \
    "$tmp/tasks.orig" > "$tmp/work/tasks.txt"
}

wrap local
t0=$(date +%s.%N)
xargs -d '\n' -P "$workers" -I{} sh -c {} < "$tmp/work/tasks.txt"
t1=$(date +%s.%N)

wrap slurm
submit=$(date +%s.%N)
read -r array merge < <(sh "$tmp/work/slurm.sh")
[ "$(slurm_wait "$merge")" = COMPLETED ] || { echo "merge job $merge: $(slurm_state "$merge")" >&2; exit 1; }
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
epoch() { date -d "$1" +%s; }
field() { scontrol show job "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1; }
: > "$tmp/slurm_jobs.txt"
for i in $(seq 0 $((tasks - 1))); do
  echo "$i $(epoch "$(field "${array}_$i" StartTime)") $(epoch "$(field "${array}_$i" EndTime)")" >> "$tmp/slurm_jobs.txt"
done
merge_start=$(epoch "$(field "$merge" StartTime)")

/usr/bin/python3 - "$tmp" "$tasks" "$workers" "$t0" "$t1" "$submit" "$merge_start" "$way_nodes" "$tile_km" \
  "$load_start" "$load_end" "$(tr '\n' ' ' < "$tmp/gen.txt")" <<'PY'
import pathlib, statistics, sys
tmp, tasks, workers, t0, t1, submit, merge_start, way_nodes, tile_km, load_start, load_end, gen = sys.argv[1:]
d = pathlib.Path(tmp); tasks = int(tasks)
def own(run):
    out = []
    for i in range(tasks):
        s = float((d / run / f"{i}.start").read_text()); e = float((d / run / f"{i}.end").read_text())
        wall, kb = (d / run / f"{i}.time").read_text().split()[:2]
        out.append((s, e, float(wall), float(kb) / 1024))
    return out
loc, slu = own("local"), own("slurm")
jobs = {int(a): (int(b), int(c)) for a, b, c in (l.split() for l in (d / "slurm_jobs.txt").read_text().splitlines())}
local_span = float(t1) - float(t0)
slurm_span = max(e for _, e, _, _ in slu) - min(s for s, _, _, _ in slu)
first = min(s for s, _, _, _ in slu) - float(submit)
# Slurm's run time of a task (whole seconds) against the task's own start..end.
extra = [(jobs[i][1] - jobs[i][0]) - (slu[i][1] - slu[i][0]) for i in range(tasks)]
per_task = (slurm_span - local_span) * int(workers) / tasks
last_end = max(e for _, e, _, _ in slu)
def gaps(rows):
    # A freed CPU's idle time: each task (but the first `workers`) starts after the latest end before its start.
    out = []
    starts = sorted(s for s, _, _, _ in rows)
    for s in starts[int(workers):]:
        before = [e for _, e, _, _ in rows if e <= s]
        if before: out.append(s - max(before))
    return out
gl, gs = gaps(loc), gaps(slu)
print(f"City: `synthetic_city --way-nodes {way_nodes} --seed 15` ({gen.strip()}); {tile_km} km tiles, {tasks} tasks, "
      f"{workers} CPUs (local: xargs -P {workers}; Slurm: one node with {workers} CPUs, one CPU per task).\n")
print("| | seconds |")
print("|---|---:|")
print(f"| local workers: makespan of the tasks | {local_span:.1f} |")
print(f"| Slurm: makespan of the array (first task start to last task end, the tasks' own clocks) | {slurm_span:.1f} |")
print(f"| Slurm: submission (`sh slurm.sh`) to the first task's start | {first:.1f} |")
print(f"| Slurm: per task, (Slurm makespan - local makespan) x {workers} / {tasks} | {per_task:.2f} |")
print(f"| Slurm: per task, EndTime - StartTime minus the task's own start..end: mean / max (whole seconds) | "
      f"{statistics.mean(extra):.2f} / {max(extra):.2f} |")
print(f"| a freed CPU's wait for the next task, mean / max: local workers | {statistics.mean(gl):.2f} / {max(gl):.2f} |")
print(f"| a freed CPU's wait for the next task, mean / max: Slurm | {statistics.mean(gs):.2f} / {max(gs):.2f} |")
print(f"| Slurm: last tile's end to the merge job's start (afterok; StartTime in whole seconds) | {float(merge_start) - last_end:.1f} |")
print(f"\nOne task's wall, median: {statistics.median(w for _, _, w, _ in loc):.1f} s locally, "
      f"{statistics.median(w for _, _, w, _ in slu):.1f} s under Slurm; peak memory per task max "
      f"{max(m for *_, m in loc):.0f} MiB.")
print(f"Load average (1, 5, 15 min): {load_start} at the start, {load_end} at the end.")
PY
