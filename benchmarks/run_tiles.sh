#!/usr/bin/env bash
# Tiles against the monolithic run on a synthetic city (benchmarks/synthetic_city): wall time of the
# monolithic `yike coverage` and of the tiled run (`yike tiles`, the tasks on WORKERS local workers
# with xargs -P, `yike merge`), the peak memory of the monolithic run and of every tile task, the
# CPU time summed over the tasks, and a check that the merged report equals the monolithic one
# (diff -r; the benchmark stops with status 1 if it does not). Prints a Markdown table.
#
#   benchmarks/run_tiles.sh [BUILD_DIR] [WAY_NODES] [TILE_KM] [WORKERS] [STANDARD]
#   (defaults: build 5000000 5 2 mofcom-15min)
#
# Needs a Release build with benchmarks (cmake -DYIKE_BUILD_BENCHMARKS=ON) and /usr/bin/time
# (package time). KEEP=1 keeps the work folder. At 5×10⁶ way-nodes the work folder needs about
# 3 GB (the report layers, twice).
set -euo pipefail

default_way_nodes=5000000
# shellcheck source=tiles_common.sh
source "$(dirname "${BASH_SOURCE[0]}")/tiles_common.sh"
workers="${4:-2}"
standard="${5:-mofcom-15min}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/yike-bench-tiles.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then echo "work folder: $tmp" >&2; else trap 'rm -rf "$tmp"' EXIT; fi
cd "$tmp"

now() { date +%s.%N; }
secs() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$2"; }

# The machine may be shared: the load average is printed with the figures.
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
"$gen" --way-nodes "$way_nodes" --seed 15 --out city.osm.pbf > gen.txt
city="$tmp/city.osm.pbf"

# Monolithic run.
/usr/bin/time -f "%e %U %S %M" -o mono.time "$yike" -q coverage --osm "$city" --standard "$standard" --out mono
read -r mono_wall mono_user mono_sys mono_kb < mono.time

# Tiled run: each task under /usr/bin/time, its figures in times/I.
"$yike" -q tiles --osm "$city" --standard "$standard" --tile-km "$tile_km" --out work
tasks=$(wc -l < work/tasks.txt)
mkdir times
awk '{ printf "/usr/bin/time -f \"%%e %%U %%S %%M\" -o times/%d %s\n", NR - 1, $0 }' work/tasks.txt > timed_tasks.txt
t0=$(now)
xargs -d '\n' -P "$workers" -I{} sh -c {} < timed_tasks.txt
t1=$(now)
/usr/bin/time -f "%e %U %S %M" -o merge.time "$yike" -q merge work --out merged
t2=$(now)
read -r merge_wall _ _ merge_kb < merge.time
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
diff -r mono merged > diff.txt || { head -20 diff.txt >&2; echo "run_tiles.sh: the merged report differs from the monolithic one" >&2; exit 1; }

python3 - "$tasks" "$(secs "$t0" "$t1")" "$(secs "$t1" "$t2")" "$mono_wall" "$mono_user" "$mono_sys" "$mono_kb" \
  "$merge_kb" "$way_nodes" "$tile_km" "$workers" "$standard" "$(cat gen.txt | tr '\n' ' ')" "$load_start" "$load_end" \
  "$(nproc)" <<'PY'
import pathlib, statistics, sys
(tasks, tiles_wall, merge_wall, mono_wall, mono_user, mono_sys, mono_kb, merge_kb, way_nodes, tile_km, workers,
 standard, gen, load_start, load_end, cores) = sys.argv[1:]
rows = [list(map(float, pathlib.Path(f"times/{i}").read_text().split()[:4])) for i in range(int(tasks))]
walls = [r[0] for r in rows]
cpu = sum(r[1] + r[2] for r in rows)
mem = [r[3] / 1024 for r in rows]
mono_mb = float(mono_kb) / 1024
print(f"City: `synthetic_city --way-nodes {way_nodes} --seed 15` ({gen.strip()}); standard {standard}; "
      f"{tile_km} km tiles, {tasks} tasks on {workers} local workers (xargs -P {workers}).\n")
print("| | wall (s) | CPU (s) | peak memory (MiB) |")
print("|---|---:|---:|---:|")
print(f"| monolithic `yike coverage` | {float(mono_wall):.1f} | {float(mono_user) + float(mono_sys):.1f} | {mono_mb:,.0f} |")
print(f"| tile tasks, all ({tasks}) | {float(tiles_wall):.1f} | {cpu:.1f} | max {max(mem):,.0f} per worker |")
print(f"| one tile task: median / max | {statistics.median(walls):.1f} / {max(walls):.1f} | | "
      f"{statistics.median(mem):,.0f} / {max(mem):,.0f} |")
print(f"| `yike merge` | {float(merge_wall):.1f} | | {float(merge_kb) / 1024:,.0f} |")
print(f"| tiled total (tasks + merge) | {float(tiles_wall) + float(merge_wall):.1f} | | |")
print(f"\nTiled / monolithic wall: {(float(tiles_wall) + float(merge_wall)) / float(mono_wall):.2f}; "
      f"peak memory per worker / monolithic: {max(mem) / mono_mb:.2f}. Merged report equal to the monolithic one (diff -r).")
print(f"Peak memory per tile task (MiB, tile order): {' '.join(f'{m:.0f}' for m in mem)}.")
print(f"Load average (1, 5, 15 min) on {cores} cores: {load_start} at the start, {load_end} at the end.")
PY
