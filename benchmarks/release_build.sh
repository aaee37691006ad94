# Sourced by the benchmark scripts that build yike themselves (run_peers.sh, run_coverage_vs_scipy.sh,
# serve_common.sh), run from the top of the source tree.

# configure_build NAME BUILD [release]: configures BUILD (Release) when it is new; with "release",
# refuses a build of another type, since timings need Release.
configure_build() {
    local name=$1 build=$2 need=${3:-}
    if [ ! -f "$build/CMakeCache.txt" ]; then
        cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release
    fi
    if [ "$need" = release ]; then
        local build_type
        build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt")
        if [ "$build_type" != Release ]; then
            echo "$name: $build is a '$build_type' build; timings need Release" >&2
            exit 2
        fi
    fi
}
