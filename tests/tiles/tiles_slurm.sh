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
. "$(dirname "${BASH_SOURCE[0]}")/private_slurm.sh"

tmp=$(mktemp -d /tmp/yike-slurm.XXXXXX)
cleanup() {
  local code=$?
  slurm_stop
  if [ "$code" -ne 0 ]; then
    for log in "$tmp"/*.log; do [ -e "$log" ] && { echo "--- $log"; tail -15 "$log"; }; done >&2
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
slurm_start "$tmp" || fail "cannot start a private Slurm"

state() { slurm_state "$1"; }
wait_done() { slurm_wait "$1" || fail "job $1 did not finish"; }

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
