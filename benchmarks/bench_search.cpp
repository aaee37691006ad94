// Bounded 15-minute searches and snapping on a synthetic ~53k-node jittered grid.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "yike/routing/graph.hpp"
#include "yike/routing/search.hpp"
#include "yike/routing/snap.hpp"

namespace {

using namespace yike::routing;

constexpr std::uint32_t grid_side = 230;
constexpr double spacing_m = 80.0;
constexpr std::uint64_t bench_seed = 15;

// A grid street network: every node joins its east and north neighbours, positions jittered by up
// to a quarter of the spacing, one shape point in the middle of every street. `sloped`: the same
// streets over rolling hills (heights 40 sin(x / 900 m) + 30 cos(y / 1300 m), up to ~7 %), their
// times per direction from Tobler's hiking function as `--dem` gives them.
WalkGraph make_grid_graph(bool sloped) {
    std::mt19937_64 rng(bench_seed);
    std::uniform_real_distribution<double> jitter(-0.25 * spacing_m, 0.25 * spacing_m);
    const double lon0 = 116.30;
    const double lat0 = 39.85;
    const double m_per_deg_lat = 111'050.0;
    const double m_per_deg_lon = 85'390.0;
    std::vector<LonLat> position(grid_side * grid_side);
    for (std::uint32_t r = 0; r < grid_side; ++r) {
        for (std::uint32_t c = 0; c < grid_side; ++c) {
            position[r * grid_side + c] = {lon0 + (c * spacing_m + jitter(rng)) / m_per_deg_lon,
                                           lat0 + (r * spacing_m + jitter(rng)) / m_per_deg_lat};
        }
    }
    std::vector<EdgeInput> pieces;
    std::int64_t next_shape = 10'000'000;
    std::int64_t next_way = 1;
    auto street = [&](std::uint32_t a, std::uint32_t b) {
        EdgeInput piece;
        const LonLat pa = position[a];
        const LonLat pb = position[b];
        piece.points = {pa, {(pa.lon + pb.lon) / 2 + jitter(rng) / 4 / m_per_deg_lon, (pa.lat + pb.lat) / 2}, pb};
        piece.point_osm_id = {a + 1, next_shape++, b + 1};
        piece.way_id = next_way++;
        if (sloped) {
            auto height = [&](LonLat p) {
                const double x = (p.lon - lon0) * m_per_deg_lon;
                const double y = (p.lat - lat0) * m_per_deg_lat;
                return 40.0 * std::sin(x / 900.0) + 30.0 * std::cos(y / 1300.0);
            };
            for (std::size_t i = 0; i + 1 < piece.points.size(); ++i) {
                const double run = segment_length_m(piece.points[i], piece.points[i + 1]);
                const double slope = run > 0.0 ? (height(piece.points[i + 1]) - height(piece.points[i])) / run : 0.0;
                piece.segment_time_factor.push_back(std::exp(3.5 * (std::abs(slope + 0.05) - 0.05)));
                piece.segment_back_time_factor.push_back(std::exp(3.5 * (std::abs(-slope + 0.05) - 0.05)));
            }
        }
        pieces.push_back(std::move(piece));
    };
    for (std::uint32_t r = 0; r < grid_side; ++r) {
        for (std::uint32_t c = 0; c < grid_side; ++c) {
            const std::uint32_t u = r * grid_side + c;
            if (c + 1 < grid_side) {
                street(u, u + 1);
            }
            if (r + 1 < grid_side) {
                street(u, u + grid_side);
            }
        }
    }
    return build_walk_graph(pieces, 1000);
}

const WalkGraph& grid_graph() {
    static const WalkGraph graph = make_grid_graph(false);
    return graph;
}

const WalkGraph& sloped_grid_graph() {
    static const WalkGraph graph = make_grid_graph(true);
    return graph;
}

// Searches of state.range(0) minutes at 1 m/s on g, each from a random snapped-like origin (random
// edge, a third along it, 15 m off the network), with the settled-node counters.
void timed_searches(benchmark::State& state, const WalkGraph& g, Direction direction) {
    BoundedSearch search(g);
    std::mt19937_64 rng(bench_seed);
    std::uniform_int_distribution<EdgeId> edge(0, g.edge_count() - 1);
    const auto budget_ms = static_cast<Cost>(state.range(0) * 60'000);
    std::uint64_t settled = 0;
    for (auto _ : state) {
        const EdgeId e = edge(rng);
        const Origin origin{e, g.edge_length_cm[e] / 3, 1500, 0};
        search.run(std::span<const Origin>(&origin, 1), budget_ms, Metric::time_ms, direction);
        settled += search.settled().size();
        benchmark::DoNotOptimize(search.settled().data());
    }
    state.counters["nodes_settled_per_s"] = benchmark::Counter(static_cast<double>(settled), benchmark::Counter::kIsRate);
    state.counters["nodes_per_search"] =
        benchmark::Counter(static_cast<double>(settled) / static_cast<double>(state.iterations()));
}

// A walk of state.range(0) minutes (15: the 15-minute city).
void BM_BoundedSearch(benchmark::State& state) {
    const WalkGraph& g = grid_graph();
    timed_searches(state, g, Direction::from_sources);
    state.counters["graph_nodes"] = g.node_count();
}
BENCHMARK(BM_BoundedSearch)->Arg(15)->Arg(60)->Unit(benchmark::kMicrosecond);

// The same 15-minute searches with directional (sloped) times, from the origin (range 1 = 0) and
// towards it (1), for the per-settled-node ratio against BM_BoundedSearch/15 in the same run.
void BM_BoundedSearchSloped(benchmark::State& state) {
    timed_searches(state, sloped_grid_graph(), state.range(1) == 0 ? Direction::from_sources : Direction::to_sources);
}
BENCHMARK(BM_BoundedSearchSloped)->Args({15, 0})->Args({15, 1})->Unit(benchmark::kMicrosecond);

// Reached spans after a 15-minute search (the input of isochrone building).
void BM_ReachedSpans15min(benchmark::State& state) {
    const WalkGraph& g = grid_graph();
    BoundedSearch search(g);
    const EdgeId e = g.edge_count() / 2;
    const Origin origin{e, g.edge_length_cm[e] / 2, 0, 0};
    search.run(std::span<const Origin>(&origin, 1), 900'000, Metric::time_ms);
    for (auto _ : state) {
        auto spans = reached_spans(search);
        benchmark::DoNotOptimize(spans.data());
    }
}
BENCHMARK(BM_ReachedSpans15min)->Unit(benchmark::kMicrosecond);

std::vector<XY> random_points(const WalkGraph& g, std::size_t count) {
    std::mt19937_64 rng(bench_seed + 1);
    float min_x = g.point_x_m[0], max_x = min_x, min_y = g.point_y_m[0], max_y = min_y;
    for (std::size_t k = 0; k < g.point_x_m.size(); ++k) {
        min_x = std::min(min_x, g.point_x_m[k]);
        max_x = std::max(max_x, g.point_x_m[k]);
        min_y = std::min(min_y, g.point_y_m[k]);
        max_y = std::max(max_y, g.point_y_m[k]);
    }
    std::uniform_real_distribution<double> x(min_x, max_x);
    std::uniform_real_distribution<double> y(min_y, max_y);
    std::vector<XY> points(count);
    for (auto& p : points) {
        p = {x(rng), y(rng)};
    }
    return points;
}

// Times `snap(snapper, point)` on 4096 random points of the grid, one point per iteration in turn.
template <typename Snap>
void time_snaps(benchmark::State& state, Snap snap) {
    const WalkGraph& g = grid_graph();
    const Snapper snapper(g);
    const auto points = random_points(g, 4096);
    std::size_t i = 0;
    for (auto _ : state) {
        auto r = snap(snapper, points[i++ & 4095]);
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_SnapNearest(benchmark::State& state) {
    time_snaps(state, [](const Snapper& snapper, XY p) { return snapper.nearest(p); });
}
BENCHMARK(BM_SnapNearest);

// Rejecting the first two candidates, as a wall-crossing check might.
void BM_SnapNearestAccepted(benchmark::State& state) {
    time_snaps(state, [](const Snapper& snapper, XY p) {
        int seen = 0;
        return snapper.nearest_accepted(p, default_max_snap_m, [&](XY, const SnapResult&) { return ++seen > 2; });
    });
}
BENCHMARK(BM_SnapNearestAccepted);

void BM_SnapperBuild(benchmark::State& state) {
    const WalkGraph& g = grid_graph();
    for (auto _ : state) {
        Snapper snapper(g);
        benchmark::DoNotOptimize(&snapper);
    }
}
BENCHMARK(BM_SnapperBuild)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
