#!/bin/bash
# Load and abuse test of `yike serve` on loopback, bounded in time and connections and stopping by
# itself: for DURATION, concurrently
#   - isochrone requests (wrk, 2 connections) and scenario requests (wrk, 2 connections),
#   - bad requests (wrk, 1 connection): invalid JSON, missing fields, out-of-range values, too
#     many sites, an oversized body, unknown paths and path-traversal attempts,
#   - idle connections that send nothing (held until the server's read timeout closes them),
# (5 connections in all, so the 5 compute slots never run out: a 503 would be a failure) while the
# server's resident memory is sampled from /proc every 5 s. Passes when no good request
# failed, every bad request got a 4xx, the memory did not grow by more than RSS_GROWTH_PCT over
# the last two thirds of the run (the first third is warm-up: search pools, per-thread allocator
# arenas and response buffers reach their working size), the server still answers, and it stops
# cleanly on SIGTERM.
#
# usage: benchmarks/serve_load.sh [BUILD_DIR]   (default: build; a Release build)
# Environment: DURATION (seconds, default 240), CATEGORY (default pharmacy), STANDARD (default
#              mofcom-15min), OSM (default Monaco), RSS_GROWTH_PCT (default 10), SEED (default 15).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
build=${1:-build}
duration=${DURATION:-240}
growth_pct=${RSS_GROWTH_PCT:-10}

# shellcheck source=serve_common.sh
source "$repo/benchmarks/serve_common.sh"
serve_build serve_load.sh "$build"

work=$(mktemp -d "${TMPDIR:-/tmp}/yike-serve-load.XXXXXX")
server_pid=""
helpers=()
cleanup() {
    for p in "${helpers[@]}"; do kill "$p" 2>/dev/null || true; done
    serve_stop
    rm -rf "$work"
}
trap cleanup EXIT

serve_start serve_load.sh "$work" --osm "$osm" --standard "$standard" --workers 8 --max-compute 5
port=${url##*:}

curl -s "$url/api/layers" >"$work/layers.json"
curl -s -X POST -d "{\"category\": \"$category\"}" "$url/api/scenario" >"$work/base.json"
"$python" - "$work" "$seed" "$category" <<'EOF'
import json, random, sys
work, seed, category = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = random.Random(seed)
layers = json.load(open(f"{work}/layers.json"))
vertices = [(line[k], line[k + 1]) for line in layers["network"] for k in range(0, len(line), 2)]
base = json.load(open(f"{work}/base.json"))
uncovered = [f["geometry"]["coordinates"] for f in base["uncovered"]["features"]] or [list(v) for v in vertices]
facilities = [f["id"] for f in layers["facilities"] if f["category"] == category]

def write(name, requests):
    # requests: (method, path, body)
    with open(f"{work}/{name}.lua", "w") as out:
        out.write("local reqs = {\n")
        for method, path, body in requests:
            out.write("  {%s, %s, %s},\n" % (json.dumps(method), json.dumps(path), "[==[" + body + "]==]"))
        out.write("}\nlocal i = 0\nwrk.headers['Content-Type'] = 'application/json'\n")
        out.write("request = function()\n  i = i % #reqs + 1\n  local r = reqs[i]\n")
        out.write("  if r[3] == '' then return wrk.format(r[1], r[2]) end\n")
        out.write("  return wrk.format(r[1], r[2], nil, r[3])\nend\n")

dumps = lambda o: json.dumps(o, separators=(",", ":"))
iso = []
for _ in range(300):
    lon, lat = rng.choice(vertices)
    iso.append(("POST", "/api/isochrone", dumps({"lon": lon, "lat": lat, "minutes": [5, 10, 15],
                                                 "profile": rng.choice(["walk", "senior"])})))
write("isochrone", iso)
scen = []
for _ in range(300):
    k = rng.randint(1, 5)
    add = [{"id": f"s{j}", "lon": s[0], "lat": s[1]} for j, s in enumerate(rng.sample(uncovered, min(k, len(uncovered))))]
    remove = rng.sample(facilities, min(rng.randint(0, 2), len(facilities)))
    scen.append(("POST", "/api/scenario", dumps({"category": category, "add": add, "remove": remove})))
write("scenario", scen)
many = {"category": category, "add": [{"id": str(j), "lon": 7.42, "lat": 43.73} for j in range(101)]}
bad = [
    ("POST", "/api/isochrone", "{not json"),
    ("POST", "/api/isochrone", dumps({"lat": 43.73})),
    ("POST", "/api/isochrone", dumps({"lon": 7.42, "lat": 143.73})),
    ("POST", "/api/isochrone", dumps({"lon": 7.42, "lat": 43.73, "minutes": [5000]})),
    ("POST", "/api/isochrone", dumps({"lon": 7.42, "lat": 43.73, "file": "/etc/passwd"})),
    ("POST", "/api/isochrone", "[" * 5000 + "]" * 5000),
    ("POST", "/api/scenario", dumps({"category": "no_such_category"})),
    ("POST", "/api/scenario", dumps({"category": category, "remove": ["no-such-facility"]})),
    ("POST", "/api/scenario", dumps(many)),
    ("POST", "/api/scenario", " " * 40000 + "x" * 40000),
    ("GET", "/assets/../../etc/passwd", ""),
    ("GET", "/assets/..%2F..%2Fetc%2Fpasswd", ""),
    ("GET", "/api/nope", ""),
    ("GET", "/api/isochrone", ""),
]
write("bad", bad)
EOF

# Resident memory every 5 s.
(
    while kill -0 "$server_pid" 2>/dev/null; do
        awk -v t="$(date +%s)" '/VmRSS/ {print t, $2}' "/proc/$server_pid/status" 2>/dev/null || true
        sleep 5
    done
) >"$work/rss.txt" &
helpers+=($!)
# Idle connections: two at a time, each held until the server drops it, renewed every 6 s.
(
    end=$(( $(date +%s) + duration ))
    while [ "$(date +%s)" -lt "$end" ]; do
        for _ in 1 2; do
            (exec 3<>"/dev/tcp/127.0.0.1/$port" && timeout 6 cat <&3 >/dev/null) 2>/dev/null &
        done
        sleep 6
    done
    wait
) &
helpers+=($!)

echo "yike serve on $osm ($standard), $url; ${duration} s of load; load average $(cut -d' ' -f1-3 /proc/loadavg)"
wrk --latency -t 1 -c 2 -d "${duration}s" --timeout 10s -s "$work/isochrone.lua" "$url" >"$work/isochrone.txt" &
w1=$!
wrk --latency -t 1 -c 2 -d "${duration}s" --timeout 10s -s "$work/scenario.lua" "$url" >"$work/scenario.txt" &
w2=$!
wrk --latency -t 1 -c 1 -d "${duration}s" --timeout 10s -s "$work/bad.lua" "$url" >"$work/bad.txt" &
w3=$!
wait "$w1" "$w2" "$w3"

status=0
requests() { sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$1"; }
non2xx() { sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\)/\1/p' "$1"; }
sockerr() { grep -h "Socket errors" "$1" || true; }
for name in isochrone scenario bad; do
    echo
    echo "== $name =="
    cat "$work/$name.txt"
done
echo
for name in isochrone scenario; do
    n=$(requests "$work/$name.txt")
    failed=$(non2xx "$work/$name.txt")
    echo "$name: $n requests, ${failed:-0} failed $(sockerr "$work/$name.txt")"
    if [ -n "$failed" ] || [ -n "$(sockerr "$work/$name.txt")" ] || [ "${n:-0}" -eq 0 ]; then status=1; fi
done
n=$(requests "$work/bad.txt")
refused=$(non2xx "$work/bad.txt")
echo "bad: $n requests, ${refused:-0} answered with an error status $(sockerr "$work/bad.txt")"
[ "${refused:-0}" -eq "${n:-0}" ] && [ "${n:-0}" -gt 0 ] || status=1

# Still answering, and with a JSON error for a bad request.
code=$(curl -s -o "$work/after.json" -w '%{http_code}' "$url/api/info")
[ "$code" = 200 ] || { echo "server no longer answers /api/info ($code)"; status=1; }
code=$(curl -s -o "$work/err.json" -w '%{http_code}' -X POST -d '{' "$url/api/isochrone")
grep -q '"error"' "$work/err.json" && [ "$code" = 400 ] || { echo "bad request not answered with a JSON 400"; status=1; }

# Memory: samples after the first 30 s (warm-up: search pools and allocator arenas fill).
"$python" - "$work/rss.txt" "$growth_pct" "$duration" <<'EOF' || status=1
import sys
rows = [tuple(map(int, l.split())) for l in open(sys.argv[1]) if l.strip()]
limit, duration = float(sys.argv[2]), float(sys.argv[3])
t0 = rows[0][0]
warm = [kb for t, kb in rows if t - t0 >= duration / 3]
print("RSS samples every 5 s (MB):", " ".join(f"{kb / 1024:.0f}" for _, kb in rows))
if len(warm) < 3:
    sys.exit("too few samples after warm-up")
first, last, peak = warm[0], warm[-1], max(warm)
growth = 100.0 * (last - first) / first
print(f"RSS at start {rows[0][1] / 1024:.1f} MB; after warm-up ({duration / 3:.0f} s) {first / 1024:.1f} MB, "
      f"at the end {last / 1024:.1f} MB ({growth:+.1f} %), peak {peak / 1024:.1f} MB")
if growth > limit:
    sys.exit(f"RSS grew by {growth:.1f} % (> {limit} %) after warm-up")
EOF

kill -TERM "$server_pid"
if wait "$server_pid"; then
    echo "server stopped cleanly on SIGTERM"
else
    echo "server exited with $? on SIGTERM"
    status=1
fi
server_pid=""
[ "$status" -eq 0 ] && echo "PASS" || echo "FAIL"
exit "$status"
