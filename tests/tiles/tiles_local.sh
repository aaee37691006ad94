#!/usr/bin/env bash
# Tiled coverage through the command line, with local workers (xargs -P 2): the merged report equals
# the monolithic run's, file for file, on an extract cut into tiles smaller than the halo; a halo
# below the bound makes the reports differ; bad input gives one clear line and the right exit code.
#   tiles_local.sh YIKE EXTRACT TILE_KM [STANDARD [SYNTHETIC_CITY]]
# EXTRACT city:N generates a city of N way-nodes with SYNTHETIC_CITY (benchmarks/synthetic_city).
set -euo pipefail
yike=$1
osm=$2
km=$3
standard=${4:-mofcom-15min}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/yike-tiles-local.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
case "$osm" in
  city:*) "$5" --way-nodes "${osm#city:}" --seed 15 --out "$tmp/city.osm.pbf" > /dev/null; osm=$tmp/city.osm.pbf ;;
esac

"$yike" -q coverage --osm "$osm" --standard "$standard" --out "$tmp/mono"
"$yike" -q tiles --osm "$osm" --standard "$standard" --tile-km "$km" --out "$tmp/work"
tiles=$(wc -l < "$tmp/work/tasks.txt")
[ "$tiles" -ge 4 ] || fail "only $tiles tiles; the test needs several"
# Slurm memory from the extract's size: whole multiples of 256 MB, the merge's above a task's.
task_mem=$(sed -n 's/.*--array=.* --mem=\([0-9]*\)M .*/\1/p' "$tmp/work/slurm.sh")
merge_mem=$(sed -n 's/.*--dependency=.* --mem=\([0-9]*\)M .*/\1/p' "$tmp/work/slurm.sh")
[ -n "$task_mem" ] && [ -n "$merge_mem" ] && [ $((task_mem % 256)) -eq 0 ] && [ $((merge_mem % 256)) -eq 0 ] &&
  [ "$task_mem" -ge 512 ] && [ "$merge_mem" -gt "$task_mem" ] || fail "slurm.sh memory: task '$task_mem', merge '$merge_mem'"
xargs -P 2 -I{} sh -c {} < "$tmp/work/tasks.txt"
"$yike" -q merge "$tmp/work" --out "$tmp/merged"
diff -r "$tmp/mono" "$tmp/merged" > "$tmp/diff.txt" || { head -20 "$tmp/diff.txt"; fail "merged report differs from the monolithic one"; }
echo "ok: $tiles tiles merged equal the monolithic report ($(ls "$tmp/mono" | wc -l) files)"

# A halo below the bound: the same comparison must find a difference.
"$yike" -q tiles --osm "$osm" --standard "$standard" --tile-km "$km" --unsafe-halo-m 150 --out "$tmp/small" \
  --task-mem-mb 1000 --merge-mem-mb 3000
grep -q -- "--array=.* --mem=1000M " "$tmp/small/slurm.sh" && grep -q -- "--dependency=.* --mem=3000M " "$tmp/small/slurm.sh" ||
  fail "--task-mem-mb / --merge-mem-mb not in slurm.sh: $(grep sbatch "$tmp/small/slurm.sh")"
xargs -P 2 -I{} sh -c {} < "$tmp/small/tasks.txt"
"$yike" -q merge "$tmp/small" --out "$tmp/small_merged"
if diff -rq "$tmp/mono" "$tmp/small_merged" > /dev/null; then
  fail "a 150 m halo gave the monolithic report: the comparison cannot detect a too-small halo"
fi
echo "ok: a 150 m halo is detected ($(diff -rq "$tmp/mono" "$tmp/small_merged" | wc -l) files differ)"

# expect CODE PHRASE CMD...: exit code and the one-line message.
expect() {
  local code=$1 phrase=$2; shift 2
  set +e; "$@" > "$tmp/out.txt" 2> "$tmp/err.txt"; local got=$?; set -e
  [ "$got" -eq "$code" ] || fail "$* exited $got, expected $code: $(cat "$tmp/err.txt")"
  grep -q -- "$phrase" "$tmp/err.txt" || fail "$*: message lacks '$phrase': $(cat "$tmp/err.txt")"
  [ "$(wc -l < "$tmp/err.txt")" -eq 1 ] || fail "$*: more than one line: $(cat "$tmp/err.txt")"
}
expect 2 "out of range" "$yike" -q coverage --tile "$tmp/work/manifest.json" --tile-index "$tiles"
# A tile rerun with another option: the merge refuses it, and writes nothing.
"$yike" -q coverage --tile "$tmp/work/manifest.json" --tile-index 1 --max-snap 200
expect 1 "tile_1.ykt: tile 1 was computed with other settings" "$yike" -q merge "$tmp/work" --out "$tmp/refused"
[ ! -e "$tmp/refused" ] || fail "a refused merge left $tmp/refused"
# A tile of another manifest.
cp "$tmp/small/tile_1.ykt" "$tmp/work/tile_1.ykt"
expect 1 "tile from another manifest" "$yike" -q merge "$tmp/work" --out "$tmp/refused"
rm "$tmp/work/tile_1.ykt"
expect 1 "tile 1 is missing" "$yike" -q merge "$tmp/work" --out "$tmp/refused"
# A manifest edited by hand.
sed -i 's/"tile_km": [0-9.]*/"tile_km": 99/' "$tmp/work/manifest.json"
expect 1 "edited by hand" "$yike" -q merge "$tmp/work" --out "$tmp/refused"
expect 1 "edited by hand" "$yike" -q coverage --tile "$tmp/work/manifest.json" --tile-index 0
[ ! -e "$tmp/refused" ] || fail "a refused merge left $tmp/refused"
expect 1 "manifest not found" "$yike" -q merge "$tmp/nowhere" --out "$tmp/refused"
echo "ok: bad input refused with one line each"
