# Sourced by the `yike batch` scripts of this folder (batch_monaco.sh, batch_shared_network.sh):
# their arguments, a scratch folder removed on exit and entered, fail(), the Monaco extract, and
# corrupt_extract to write one that fails inside a run (after the batch's checks: it exists).
#   . batch_common.sh YIKE DATA_DIR SCRATCH_NAME
set -euo pipefail
yike=$1
data=$(cd "$2" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/$3.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cd "$tmp"
osm=$data/osm/monaco.osm.pbf
corrupt_extract() {
  head -c 4096 "$osm" > "$1"
  dd if=/dev/zero of="$1" bs=1 seek=100 count=200 conv=notrunc status=none
}
# extract_run NAME EXTRACT STANDARD: a [[run]] of batch.toml on an OSM extract, its report in
# runs/NAME.
extract_run() {
  printf '[[run]]\nname = "%s"\nosm = "%s"\nstandard = "%s"\nout = "runs/%s"\n\n' "$1" "$2" "$3" "$1"
}
# scenario_run NAME STANDARDS: a [[run]] of batch.toml on the Monaco scenario with GeoJSON layers,
# its report in runs/NAME; the lines that follow it add to it.
scenario_run() {
  printf '[[run]]\nname = "%s"\nscenario = "%s"\nstandard = "%s"\nlayers = "geojson"\nout = "runs/%s"\n' \
    "$1" "$data/scenarios/monaco-mofcom.toml" "$2" "$1"
}
