#!/bin/bash
# Latency of the web planner's two interactive endpoints under a bounded concurrent load on
# loopback: `yike serve` on Monaco, wrk with a fixed number of connections for a fixed time, one
# run for POST /api/isochrone (5/10/15-minute bands from rotating origins on the network) and one
# for POST /api/scenario (one facility added at rotating households), each with one connection
# (a planner clicking) and with CONNECTIONS at once. Prints wrk's latency
# distribution (median, 75th, 90th, 99th percentile) and the count of failed requests.
#
# usage: benchmarks/serve_latency.sh [BUILD_DIR]   (default: build; a Release build)
# Environment: DURATION (default 20s), CONNECTIONS (default 4), THREADS (wrk threads, default 2),
#              CATEGORY (default pharmacy), STANDARD (default mofcom-15min), OSM (default Monaco),
#              POINTS (origins and sites rotated through, default 200), SEED (default 15).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
build=${1:-build}
duration=${DURATION:-20s}
connections=${CONNECTIONS:-4}
threads=${THREADS:-2}
points=${POINTS:-200}

# shellcheck source=serve_common.sh
source "$repo/benchmarks/serve_common.sh"
serve_build serve_latency.sh "$build" release

work=$(mktemp -d "${TMPDIR:-/tmp}/yike-serve-latency.XXXXXX")
server_pid=""
cleanup() {
    serve_stop
    rm -rf "$work"
}
trap cleanup EXIT

serve_start serve_latency.sh "$work" --osm "$osm" --standard "$standard" --max-compute "$connections"

# Origins: network vertices; sites: households uncovered for the category (fixed seed).
curl -s "$url/api/layers" >"$work/layers.json"
curl -s -X POST -d "{\"category\": \"$category\"}" "$url/api/scenario" >"$work/base.json"
"$python" - "$work" "$points" "$seed" "$category" <<'EOF'
import json, random, sys
work, n, seed, category = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rng = random.Random(seed)
layers = json.load(open(f"{work}/layers.json"))
vertices = [(line[k], line[k + 1]) for line in layers["network"] for k in range(0, len(line), 2)]
origins = [rng.choice(vertices) for _ in range(n)]
base = json.load(open(f"{work}/base.json"))
uncovered = [f["geometry"]["coordinates"] for f in base["uncovered"]["features"]] or [list(v) for v in vertices]
sites = [rng.choice(uncovered) for _ in range(n)]
def lua(name, bodies, path):
    with open(f"{work}/{name}.lua", "w") as out:
        out.write("local bodies = {\n")
        for b in bodies:
            out.write("  [[" + json.dumps(b, separators=(",", ":")) + "]],\n")
        out.write("}\nlocal i = 0\nwrk.method = 'POST'\nwrk.headers['Content-Type'] = 'application/json'\n")
        out.write("request = function()\n  i = i % #bodies + 1\n")
        out.write(f"  return wrk.format(nil, '{path}', nil, bodies[i])\nend\n")
lua("isochrone", [{"lon": o[0], "lat": o[1], "minutes": [5, 10, 15], "profile": "walk"} for o in origins], "/api/isochrone")
lua("scenario", [{"category": category, "add": [{"id": "s", "lon": s[0], "lat": s[1]}]} for s in sites], "/api/scenario")
EOF

echo "yike serve on $osm ($standard), $url; wrk: $connections connections, $threads threads, $duration per endpoint"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for endpoint in isochrone scenario; do
    for c in 1 "$connections"; do
        echo
        echo "== POST /api/$endpoint, $c connection(s) =="
        wrk --latency -t "$(( c < threads ? c : threads ))" -c "$c" -d "$duration" --timeout 10s -s "$work/$endpoint.lua" "$url" | tee "$work/$endpoint.txt"
        if grep -q "Non-2xx" "$work/$endpoint.txt"; then
            echo "serve_latency.sh: some $endpoint requests failed" >&2
        fi
        # wrk stops with requests still computing; let them finish before the next run.
        sleep 3
    done
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "server RSS: $(awk '/VmRSS/ {print $2 " " $3}' "/proc/$server_pid/status")"
