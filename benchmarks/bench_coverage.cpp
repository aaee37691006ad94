// Coverage core on real networks (Monaco, bundled; Liechtenstein, shared data) and a synthetic
// district-sized grid (25,600 junctions): nearest facilities
// for 20 categories of synthetic facilities (5-50 each) and 20,000 synthetic households, on one
// and two threads (one BoundedSearch per thread); a 2SFCA run; snapping of the households with
// and without the extract's barrier lines.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "synthetic_network.hpp"
#include "yike/engine/coverage.hpp"
#include "yike/io/inputs.hpp"
#include "yike/io/osm_network.hpp"
#include "yike/io/profile.hpp"

namespace {

using namespace yike;
using routing::Origin;
using Sites = std::vector<std::optional<Origin>>;

constexpr std::uint64_t bench_seed = 15;
constexpr int category_count = 20;
constexpr std::size_t household_count = 20'000;
constexpr routing::Cost fifteen_minutes_ms = 15 * 60'000;

struct Scene {
    routing::WalkGraph graph;
    std::vector<Sites> categories;
    Sites households;
    std::vector<double> population;
    std::vector<routing::LonLat> household_points; // for the snapping benchmark
};

using bench::random_origin;
routing::WalkGraph district_grid() { return bench::district_grid(bench_seed + 2); }

// Scenes by extract path; "grid" is the synthetic district.
const Scene* scene(const std::filesystem::path& file) {
    static std::map<std::string, std::unique_ptr<Scene>> cache;
    auto& slot = cache[file.string()];
    if (!slot) {
        const bool grid = file == "grid";
        if (!grid && !std::filesystem::exists(file)) {
            return nullptr;
        }
        slot = std::make_unique<Scene>();
        Scene& s = *slot;
        s.graph = grid ? district_grid() : io::read_walk_network(file, io::load_profile("walk")).graph;
        std::mt19937_64 rng(bench_seed);
        std::uniform_int_distribution<int> per_category(5, 50);
        for (int c = 0; c < category_count; ++c) {
            Sites sites(static_cast<std::size_t>(per_category(rng)));
            for (auto& f : sites) {
                f = random_origin(s.graph, rng, 3'000);
            }
            s.categories.push_back(std::move(sites));
        }
        std::uniform_real_distribution<double> people(1.0, 300.0);
        std::uniform_real_distribution<double> jitter(-40.0, 40.0);
        for (std::size_t i = 0; i < household_count; ++i) {
            const Origin o = random_origin(s.graph, rng, 5'000);
            s.households.emplace_back(o);
            s.population.push_back(people(rng));
            // A point near the edge's first geometry point, for snapping.
            const std::uint32_t k = s.graph.edge_first_point[o.edge];
            const routing::XY p{s.graph.point_x_m[k] + jitter(rng), s.graph.point_y_m[k] + jitter(rng)};
            s.household_points.push_back(s.graph.projection.inverse(p));
        }
    }
    return slot.get();
}

std::filesystem::path monaco() { return std::filesystem::path(YIKE_DATA_DIR) / "osm" / "monaco.osm.pbf"; }
std::filesystem::path liechtenstein() {
    return std::filesystem::path(YIKE_SHARED_DATA_DIR) / "osm" / "liechtenstein.osm.pbf";
}

// All 20 categories per iteration; categories are dealt round-robin to state.range(0) threads.
void nearest_all_categories(benchmark::State& state, const std::filesystem::path& file) {
    const Scene* s = scene(file);
    if (s == nullptr) {
        state.SkipWithError(("extract not found: " + file.string()).c_str());
        return;
    }
    const auto threads = static_cast<std::size_t>(state.range(0));
    std::vector<std::unique_ptr<routing::BoundedSearch>> searches;
    for (std::size_t t = 0; t < threads; ++t) {
        searches.push_back(std::make_unique<routing::BoundedSearch>(s->graph));
    }
    std::vector<std::uint64_t> covered(threads, 0);
    auto work = [&](std::size_t t) {
        for (std::size_t c = t; c < s->categories.size(); c += threads) {
            const engine::NearestResult r = engine::nearest_facilities(*searches[t], s->households, s->categories[c],
                                                                       routing::Metric::time_ms, fifteen_minutes_ms);
            for (const routing::Cost cost : r.cost) {
                covered[t] += cost != routing::inf_cost ? 1 : 0;
            }
        }
    };
    for (auto _ : state) {
        std::vector<std::thread> pool;
        for (std::size_t t = 1; t < threads; ++t) {
            pool.emplace_back(work, t);
        }
        work(0);
        for (auto& th : pool) {
            th.join();
        }
    }
    std::uint64_t total = 0;
    for (const auto c : covered) {
        total += c;
    }
    state.counters["nodes"] = s->graph.node_count();
    state.counters["households"] = static_cast<double>(s->households.size());
    state.counters["covered_share"] =
        static_cast<double>(total) / (static_cast<double>(state.iterations()) * category_count * household_count);
}

void BM_NearestFacilities20Monaco(benchmark::State& state) { nearest_all_categories(state, monaco()); }
void BM_NearestFacilities20Liechtenstein(benchmark::State& state) { nearest_all_categories(state, liechtenstein()); }
void BM_NearestFacilities20DistrictGrid(benchmark::State& state) { nearest_all_categories(state, "grid"); }
BENCHMARK(BM_NearestFacilities20Monaco)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NearestFacilities20DistrictGrid)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NearestFacilities20Liechtenstein)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

// 2SFCA with Gaussian decay for one category of 50 facilities (one search per facility).
void floating(benchmark::State& state, const std::filesystem::path& file) {
    const Scene* s = scene(file);
    if (s == nullptr) {
        state.SkipWithError(("extract not found: " + file.string()).c_str());
        return;
    }
    std::mt19937_64 rng(bench_seed + 1);
    Sites facilities(50);
    for (auto& f : facilities) {
        f = random_origin(s->graph, rng, 3'000);
    }
    const std::vector<double> capacity(facilities.size(), 100.0);
    engine::CatchmentOptions options;
    options.threshold = fifteen_minutes_ms;
    options.gaussian_decay = true;
    routing::BoundedSearch search(s->graph);
    for (auto _ : state) {
        const auto r = engine::floating_catchment(search, s->households, s->population, facilities, capacity, options);
        benchmark::DoNotOptimize(r.demand_access.data());
    }
}
void BM_FloatingCatchment50Monaco(benchmark::State& state) { floating(state, monaco()); }
void BM_FloatingCatchment50Liechtenstein(benchmark::State& state) { floating(state, liechtenstein()); }
BENCHMARK(BM_FloatingCatchment50Monaco)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FloatingCatchment50Liechtenstein)->Unit(benchmark::kMillisecond);

// Snapping the 20,000 households without barriers (the index and the predicate) and with the
// extract's own barrier lines (walls, fences, water edges from io::read_osm_extras).
void site_snap(benchmark::State& state, const std::filesystem::path& file) {
    const Scene* s = scene(file);
    if (s == nullptr) {
        state.SkipWithError(("extract not found: " + file.string()).c_str());
        return;
    }
    std::vector<io::BarrierLine> barriers;
    if (state.range(0) != 0) {
        io::OsmExtrasOptions options;
        options.facilities = false;
        options.buildings = false;
        const auto none = [](const io::Tags&) { return std::vector<std::string>{}; };
        barriers = io::read_osm_extras(file, none, {}, options).barriers;
    }
    const engine::SiteSnapper snapper(s->graph, barriers);
    std::uint64_t snapped = 0;
    for (auto _ : state) {
        for (const routing::LonLat& p : s->household_points) {
            snapped += snapper.snap(p, {}, routing::default_max_snap_m).origin.has_value() ? 1 : 0;
        }
    }
    state.counters["barrier_lines"] = static_cast<double>(barriers.size());
    state.counters["snapped_share"] =
        static_cast<double>(snapped) / (static_cast<double>(state.iterations()) * household_count);
}
void BM_SiteSnap20kMonaco(benchmark::State& state) { site_snap(state, monaco()); }
void BM_SiteSnap20kLiechtenstein(benchmark::State& state) { site_snap(state, liechtenstein()); }
BENCHMARK(BM_SiteSnap20kMonaco)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SiteSnap20kLiechtenstein)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
