// Time per 15-minute walking isochrone polygon on Monaco, from random origins (fixed seed).
// Counters: p50_ms / p95_ms / max_ms measured over 200 origins, one polygon each (search
// included, since the reached network is part of the answer), wall clock and thread CPU time,
// plus the polygon-only share (wall clock).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <random>
#include <vector>

#include "yike/engine/isochrone.hpp"
#include "yike/io/osm_network.hpp"
#include "yike/io/profile.hpp"
#include "yike/routing/search.hpp"
#include "yike/routing/snap.hpp"

namespace {

using namespace yike;

constexpr routing::Cost minute_ms = 60'000;

struct Setup {
    routing::WalkGraph graph;
    std::vector<routing::Origin> origins;
};

const Setup& setup() {
    static const Setup s = [] {
        Setup out;
        out.graph = io::read_walk_network(std::filesystem::path(YIKE_DATA_DIR) / "osm" / "monaco.osm.pbf",
                                          io::load_profile("walk"))
                        .graph;
        const routing::Snapper snapper(out.graph);
        std::mt19937_64 rng(20261122);
        std::uniform_int_distribution<std::uint32_t> pick(0, out.graph.node_count() - 1);
        std::uniform_real_distribution<double> jitter(-40.0, 40.0);
        // Random points near the network of the largest component, so every origin snaps.
        const routing::Components comp = routing::connected_components(out.graph);
        while (out.origins.size() < 200) {
            const routing::NodeId u = pick(rng);
            if (comp.node_component[u] != 0) {
                continue;
            }
            const routing::XY p{out.graph.node_x_m[u] + jitter(rng), out.graph.node_y_m[u] + jitter(rng)};
            if (auto snap = snapper.nearest(p)) {
                out.origins.push_back(routing::origin_from_snap(*snap, 0));
            }
        }
        return out;
    }();
    return s;
}

// Thread CPU time: the machine is shared, so wall-clock percentiles include waits for a core.
double cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) * 1e-6;
}

double percentile(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

void BM_Isochrone15MinMonaco(benchmark::State& state) {
    const Setup& s = setup();
    routing::BoundedSearch search(s.graph);
    const std::vector<routing::Cost> budget = {15 * minute_ms};
    const engine::IsochroneOptions options;
    std::size_t i = 0;
    for (auto _ : state) {
        auto bands = engine::build_isochrones(search, {&s.origins[i], 1}, budget, routing::Metric::time_ms, options);
        benchmark::DoNotOptimize(bands);
        i = (i + 1) % s.origins.size();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));

    // Percentiles over all 200 origins, whole request and polygon only.
    std::vector<double> total_ms;
    std::vector<double> polygon_ms;
    std::vector<double> cpu_total_ms;
    double vertices = 0.0;
    for (const routing::Origin& o : s.origins) {
        const double c0 = cpu_ms();
        const auto t0 = std::chrono::steady_clock::now();
        search.run(std::span<const routing::Origin>(&o, 1), budget[0], routing::Metric::time_ms);
        const auto spans = routing::reached_spans(search);
        const auto t1 = std::chrono::steady_clock::now();
        const auto mp = engine::polygon_from_spans(s.graph, spans, options);
        const auto t2 = std::chrono::steady_clock::now();
        cpu_total_ms.push_back(cpu_ms() - c0);
        total_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t0).count());
        polygon_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
        for (const auto& p : mp) {
            vertices += static_cast<double>(p.exterior.points.size());
            for (const auto& h : p.holes) {
                vertices += static_cast<double>(h.points.size());
            }
        }
    }
    state.counters["p50_ms"] = percentile(total_ms, 0.50);
    state.counters["p95_ms"] = percentile(total_ms, 0.95);
    state.counters["max_ms"] = percentile(total_ms, 1.0);
    state.counters["poly_p50_ms"] = percentile(polygon_ms, 0.50);
    state.counters["poly_p95_ms"] = percentile(polygon_ms, 0.95);
    state.counters["cpu_p50_ms"] = percentile(cpu_total_ms, 0.50);
    state.counters["cpu_p95_ms"] = percentile(cpu_total_ms, 0.95);
    state.counters["vertices"] = vertices / static_cast<double>(s.origins.size());
}
BENCHMARK(BM_Isochrone15MinMonaco)->Unit(benchmark::kMillisecond);

// Three nested bands (5/10/15 minutes) per request.
void BM_IsochroneBands5_10_15Monaco(benchmark::State& state) {
    const Setup& s = setup();
    routing::BoundedSearch search(s.graph);
    const std::vector<routing::Cost> budgets = {5 * minute_ms, 10 * minute_ms, 15 * minute_ms};
    engine::IsochroneOptions options;
    options.disjoint_bands = state.range(0) != 0;
    std::size_t i = 0;
    for (auto _ : state) {
        auto bands = engine::build_isochrones(search, {&s.origins[i], 1}, budgets, routing::Metric::time_ms, options);
        benchmark::DoNotOptimize(bands);
        i = (i + 1) % s.origins.size();
    }
}
BENCHMARK(BM_IsochroneBands5_10_15Monaco)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
