#!/usr/bin/env bash
# The scale ladder: synthetic cities of growing size (benchmarks/synthetic_city), and at each size
# the time and peak memory of the graph build, a saved graph's load, isochrones, coverage and
# planning. Writes benchmarks/LADDER.md (table) and benchmarks/ladder.png (plot).
#
#   benchmarks/run_ladder.sh [BUILD_DIR] [SIZES...]     (default: build 10000 100000 1000000 5000000 5900000)
#
# SIZES are walkable way-nodes, whole numbers. The last default rung, 5.9×10⁶ way-nodes, is the
# smallest city whose graph has 10⁶ junction nodes (the issue's coverage aim is stated for that).
#
# Needs a Release build with benchmarks: cmake -S . -B build -DYIKE_BUILD_BENCHMARKS=ON.
# /usr/bin/time (package time) and Debian's python3-matplotlib are installed if missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
build="${1:-$root/build}"
shift || true
sizes=("$@")
if [ ${#sizes[@]} -eq 0 ]; then
  sizes=(10000 100000 1000000 5000000 5900000)
fi
# Whole `yike coverage` runs at every size (5×10⁶: ~2 min CPU, an 11 GB layers.geojson in the work
# folder). Whole `yike plan` runs above LADDER_PLAN_MAX take longer than the rest of the ladder
# together (5×10⁶: 26 min wall, 12 min CPU, mostly SQLite writing the two GeoPackages); its core is
# measured by ladder_probe instead.
whole_max="${LADDER_WHOLE_MAX:-5000000}"
plan_max="${LADDER_PLAN_MAX:-1000000}"
yike="$build/cli/yike"
gen="$build/benchmarks/synthetic_city"
probe="$build/benchmarks/ladder_probe"
for exe in "$yike" "$gen" "$probe"; do
  if [ ! -x "$exe" ]; then
    echo "run_ladder.sh: $exe missing; build with -DYIKE_BUILD_BENCHMARKS=ON" >&2
    exit 2
  fi
done

need=()
[ -x /usr/bin/time ] || need+=(time)
/usr/bin/python3 -c "import matplotlib" 2>/dev/null || need+=(python3-matplotlib)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${need[*]}" >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/yike-ladder.XXXXXX")"
trap 'rm -rf "$work"' EXIT
results="$work/results.tsv"
: >"$results"

# Runs a command under /usr/bin/time; records "<rung> <step> <wall s> <peak RSS KiB>".
measure() {
  local rung="$1" step="$2"
  shift 2
  if ! /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >"$work/out.txt" 2>"$work/err.txt"; then
    echo "run_ladder.sh: $step failed at $rung way-nodes:" >&2
    cat "$work/err.txt" >&2
    exit 1
  fi
  read -r wall rss <"$work/time.txt"
  printf '%s\tcmd_%s_s\t%s\n%s\tcmd_%s_kib\t%s\n' "$rung" "$step" "$wall" "$rung" "$step" "$rss" >>"$results"
}

for n in "${sizes[@]}"; do
  city="$work/city_$n.osm.pbf"
  echo "== $n way-nodes" >&2
  "$gen" --way-nodes "$n" --out "$city" >&2
  printf '%s\tpbf_mib\t%s\n' "$n" "$(du -m "$city" | cut -f1)" >>"$results"
  measure "$n" build "$yike" graph --quiet --osm "$city" --save "$work/city.ykg"
  measure "$n" load "$yike" graph --quiet --graph "$work/city.ykg"
  # An origin 500 m north of the city centre (the generator centres cities on 116.4, 39.9).
  measure "$n" isochrone "$yike" isochrone --quiet --graph "$work/city.ykg" --at 116.4,39.9045 --minutes 15 \
    --out "$work/iso.geojson"
  measure "$n" probe "$probe" --osm "$city" --graph "$work/probe.ykg" --origins 100 --threads 2
  awk -v n="$n" '{ printf "%s\t%s\t%s\n", n, $1, $2 }' "$work/out.txt" >>"$results"
  if [ "$n" -gt "$whole_max" ]; then
    rm -f "$city" "$work"/*.ykg
    continue
  fi
  measure "$n" coverage "$yike" coverage --quiet --osm "$city" --standard gb50180-2018 --layers geojson \
    --out "$work/report_$n"
  rm -rf "$work/report_$n"
  if [ "$n" -gt "$plan_max" ]; then
    rm -f "$city" "$work"/*.ykg
    continue
  fi
  measure "$n" plan "$yike" plan --quiet --osm "$city" --standard gb50180-2018 --category kindergarten --k 5 \
    --generate-candidates 500 --out "$work/plan_$n"
  rm -rf "$work/report_$n" "$work/plan_$n" "$city" "$work"/*.ykg
done

cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
/usr/bin/python3 "$here/ladder_report.py" "$results" "$here/LADDER.md" "$here/ladder.png" "$cpu" "$(nproc)" \
  "$(uptime | sed 's/.*load average: //')"
echo "wrote $here/LADDER.md and $here/ladder.png" >&2
