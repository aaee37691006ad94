# Sourced by serve_latency.sh and serve_load.sh: wrk, the yike build, and starting `yike serve`.

# shellcheck source=release_build.sh
source "$(dirname "${BASH_SOURCE[0]}")/release_build.sh"

# The settings both take from the environment (see their usage lines).
category=${CATEGORY:-pharmacy}
standard=${STANDARD:-mofcom-15min}
osm=${OSM:-data/osm/monaco.osm.pbf}
seed=${SEED:-15}
python=/usr/bin/python3

# serve_build NAME BUILD [release]: installs wrk if missing, configures BUILD (Release) when it is
# new and builds yike; with "release", refuses a build of another type (timings need Release).
# Sets `yike`.
serve_build() {
    local name=$1 build=$2 need=${3:-}
    if ! command -v wrk >/dev/null; then
        local sudo_cmd=()
        [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
        "${sudo_cmd[@]}" apt-get install -y wrk
    fi
    configure_build "$name" "$build" "$need"
    cmake --build "$build" --target yike
    yike="$build/cli/yike"
}

# serve_start NAME WORK ARGS...: starts `$yike serve --port 0 ARGS...` in the background, its
# messages in WORK/server.log, and waits for its "listening on" line. Sets `server_pid` and `url`.
serve_start() {
    local name=$1 work=$2
    shift 2
    "$yike" serve --port 0 "$@" 2>"$work/server.log" &
    server_pid=$!
    url=""
    for _ in $(seq 1 600); do
        url=$(sed -n 's/^listening on \(http:[^ ]*\)$/\1/p' "$work/server.log")
        [ -n "$url" ] && break
        kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
        sleep 0.2
    done
    [ -n "$url" ] || { echo "$name: yike serve did not start" >&2; exit 1; }
}

# serve_stop: stops the server serve_start started, if any (for the scripts' exit traps).
serve_stop() {
    if [ -n "${server_pid:-}" ]; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
}
