#!/bin/bash
# yike side by side with the tools a user would otherwise pick (scipy, networkx, igraph, osmnx,
# PostgreSQL 15 + pgRouting, GLPK, CBC), on Monaco and Liechtenstein: graph build, one 15-minute
# isochrone (search and polygon), coverage for 20 categories, planning k sites. Every peer runs on
# the graph `yike graph --out` exported, and its answers are checked against yike's before any time
# is reported; a disagreement stops the script (exit 1). Writes benchmarks/RESULTS.md.
#
# usage: benchmarks/run_peers.sh [BUILD_DIR]     (default: build; configured as Release if new)
# Environment: YIKE_REPEATS (default 21: yike's timings), REPEATS (default 7: scipy), SLOW_REPEATS
#              (default 3: graph builds in Python, isochrone peers, networkx/igraph/pgRouting coverage),
#              ORIGINS (default 20), SEED (default 15), KEEP=1 keeps the work folder.
# Run as root on Debian 12 (packages are installed with apt-get when missing; otherwise through
# sudo). PostgreSQL runs as a private cluster on 127.0.0.1 on a free port, stopped and removed at
# the end, also on failure.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
build=${1:-build}
yike_repeats=${YIKE_REPEATS:-21}
repeats=${REPEATS:-7}
slow_repeats=${SLOW_REPEATS:-3}
origins=${ORIGINS:-20}
seed=${SEED:-15}
python=/usr/bin/python3 # Debian's scientific Python packages load only in the system interpreter
started=$(date +%s)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
log() { echo "run_peers.sh: $*" >&2; }

# ---- packages ------------------------------------------------------------------------------------
scripts/setup
peers=(python3-numpy python3-scipy python3-networkx python3-igraph python3-osmnx python3-geopandas
       python3-shapely python3-pyproj python3-psycopg2 postgresql-15 postgresql-15-pgrouting osmium-tool
       python3-pulp coinor-cbc)
missing=()
for p in "${peers[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# ---- yike, Release ---------------------------------------------------------------------------------
# shellcheck source=release_build.sh
source "$repo/benchmarks/release_build.sh"
configure_build run_peers.sh "$build" release
cmake --build "$build" -j2 --target yike peers_compare coverage_compare planning_quality
yike="$build/cli/yike"

# ---- work folder and a private PostgreSQL cluster, both removed on exit ---------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/yike-peers.XXXXXX")
chmod 755 "$work"
pgbin=/usr/lib/postgresql/15/bin
pgdata="$work/pg"
as_pg=()
# As postgres, from the work folder: the checkout may sit where postgres cannot enter (root's home is
# 0700 on Debian), and pg_ctl complains when it cannot return to its working directory.
[ "$(id -u)" -eq 0 ] && as_pg=(runuser -u postgres -- env -C "$work")
cleanup() {
    if [ -f "$pgdata/postmaster.pid" ]; then
        "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdata" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [ "${KEEP:-0}" = 1 ]; then
        log "work folder kept: $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
mkdir "$pgdata"
[ "$(id -u)" -eq 0 ] && chown postgres: "$pgdata"
"${as_pg[@]}" "$pgbin/initdb" -D "$pgdata" -U postgres -A trust --no-sync >"$work/initdb.log" 2>&1 ||
    { cat "$work/initdb.log" >&2; exit 1; }
port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w \
    -o "-p $port -k $pgdata -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=128MB" start >/dev/null
"$pgbin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "CREATE EXTENSION pgrouting CASCADE" >/dev/null
dsn="host=127.0.0.1 port=$port user=postgres dbname=postgres"
log "PostgreSQL 15 on 127.0.0.1:$port ($pgdata)"

# ---- per city --------------------------------------------------------------------------------------
cities=("Monaco=../shared/data/osm/monaco.osm.pbf" "Liechtenstein=../shared/data/osm/liechtenstein.osm.pbf")
results=()
for city in "${cities[@]}"; do
    name=${city%%=*}
    pbf=${city#*=}
    lower=$(echo "$name" | tr 'A-Z' 'a-z')
    dir="$work/$name"
    mkdir -p "$dir"
    log "$name: export, yike timings"
    "$yike" graph --osm "$pbf" --out "$dir/graph.csv" -q
    "$build/benchmarks/peers_compare" "$pbf" "$dir/iso" --origins "$origins" --repeats "$yike_repeats" --seed "$seed"
    "$build/benchmarks/coverage_compare" "$pbf" "$dir/coverage" --categories 20 --limit-ms 900000 \
        --demand 20000 --facilities 5-60 --repeats "$yike_repeats" --seed "$seed"
    "$python" benchmarks/peers.py same-graph "$dir/graph.csv" "$dir/iso" "$dir/coverage"

    # osmnx reads OSM XML: the highway ways of the extract (and their nodes), as osmium writes them.
    t0=$(date +%s%N)
    osmium tags-filter --overwrite -f osm -o "$dir/highways.osm" "$pbf" w/highway
    t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000000 )) >"$dir/osmium_ms"
    osmium fileinfo -e -g data.timestamp.last "$pbf" >"$dir/extract_timestamp"
    log "$name: graph build (peers)"
    "$python" benchmarks/peers.py build "$dir/graph.csv" "$dir/highways.osm" "$dir/build.json" --repeats "$slow_repeats"

    "$python" benchmarks/peers.py load-pg "$dsn" "$lower" "$dir/graph.csv" "$dir/coverage"
    log "$name: isochrones (peers)"
    "$python" benchmarks/peers.py isochrone "$dir/graph.csv" "$dir/iso" --repeats "$slow_repeats" \
        --dsn "$dsn" --table "$lower"
    log "$name: coverage (peers)"
    "$python" benchmarks/coverage_vs_scipy.py run "$dir/coverage" --repeats "$repeats"
    "$python" benchmarks/peers.py coverage "$dir/coverage" --repeats "$slow_repeats" --dsn "$dsn" --table "$lower"
    # yike once more after the peers, so that its samples bracket theirs on a machine whose load
    # drifts; the report pools both passes.
    log "$name: yike timings again"
    "$build/benchmarks/peers_compare" "$pbf" "$dir/iso_after" --origins "$origins" --repeats "$yike_repeats" --seed "$seed"
    "$build/benchmarks/coverage_compare" "$pbf" "$dir/coverage_after" --categories 20 --limit-ms 900000 \
        --demand 20000 --facilities 5-60 --repeats "$yike_repeats" --seed "$seed"
    "$python" benchmarks/peers.py same-graph "$dir/graph.csv" "$dir/iso_after" "$dir/coverage_after"
    cmp -s "$dir/coverage/yike_costs.bin" "$dir/coverage_after/yike_costs.bin" ||
        { log "$name: yike's coverage costs changed between the two passes"; exit 1; }
    results+=("$name=$dir")
done

log "planning against GLPK and CBC"
mkdir "$work/planning"
"$build/benchmarks/planning_quality" 300 3000 400 "$seed" 120 "$work/planning" >"$work/planning/table.md"
"$python" benchmarks/peers.py planning "$work/planning" --time-limit-s 120

"$python" benchmarks/peers.py report benchmarks/RESULTS.md "$work/planning" "$build" "${results[@]}" \
    --command "benchmarks/run_peers.sh $*" --elapsed-s $(( $(date +%s) - started )) --load-start "$load_start"
log "wrote benchmarks/RESULTS.md in $(( $(date +%s) - started )) s"
