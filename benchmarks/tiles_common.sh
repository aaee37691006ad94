# Sourced by run_tiles.sh and run_tiles_slurm.sh with their arguments, after `default_way_nodes`:
# the build folder (first argument, default build), its yike and synthetic_city (checked, with
# /usr/bin/time), the city's way-nodes (second) and the tile side in km (third, default 5).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
way_nodes="${2:-$default_way_nodes}"
tile_km="${3:-5}"
yike="$build/cli/yike"
gen="$build/benchmarks/synthetic_city"
for exe in "$yike" "$gen" /usr/bin/time; do
  if [ ! -x "$exe" ]; then
    echo "$(basename "$0"): $exe missing (build with -DYIKE_BUILD_BENCHMARKS=ON; apt-get install time)" >&2
    exit 2
  fi
done
