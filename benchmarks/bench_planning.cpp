// Site planning on the largest graph at hand: a synthetic district grid (160 x 160 streets 40 m
// apart, 25,600 junctions) with 20,000 households and 5,000 candidate sites, 10-minute walk.
// Candidate reach sets (build_reach_sets, 1 and 2 threads) and the selection of k = 50 sites
// (maximal_covering, without and with swap improvement), with the reach sets' bytes and the
// process's peak RSS as counters. Liechtenstein (YIKE_SHARED_DATA_DIR) is used too when present.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "synthetic_network.hpp"
#include "yike/engine/coverage.hpp"
#include "yike/engine/planning.hpp"
#include "yike/io/osm_network.hpp"
#include "yike/io/profile.hpp"

namespace {

using namespace yike;
using routing::Origin;
using Sites = std::vector<std::optional<Origin>>;

constexpr std::uint64_t bench_seed = 15;
constexpr std::size_t household_count = 20'000;
constexpr std::size_t candidate_count = 5'000;
constexpr std::uint32_t sites_to_choose = 50;
// The 10-minute life circle (kindergartens, primary schools): with 15 minutes, ~45 of these
// random sites already reach every household the existing facilities leave uncovered.
constexpr routing::Cost threshold_ms = 10 * 60'000;

using bench::random_origin;
routing::WalkGraph district_grid() { return bench::district_grid(bench_seed + 2); }

struct Scene {
    routing::WalkGraph graph;
    Sites households;
    Sites candidates;
    std::vector<double> population;
    std::vector<std::uint8_t> covered;
    engine::PreparedDemand prepared;
    engine::ReachSets reach;
};

const Scene* scene(const std::string& which) {
    static std::map<std::string, std::unique_ptr<Scene>> cache;
    auto& slot = cache[which];
    if (!slot) {
        std::unique_ptr<Scene> s = std::make_unique<Scene>();
        if (which == "grid") {
            s->graph = district_grid();
        } else {
            const std::filesystem::path file =
                std::filesystem::path(YIKE_SHARED_DATA_DIR) / "osm" / "liechtenstein.osm.pbf";
            if (!std::filesystem::exists(file)) {
                return nullptr;
            }
            s->graph = io::read_walk_network(file, io::load_profile("walk")).graph;
        }
        std::mt19937_64 rng(bench_seed);
        std::uniform_real_distribution<double> people(1.0, 300.0);
        for (std::size_t i = 0; i < household_count; ++i) {
            s->households.emplace_back(random_origin(s->graph, rng, 5'000));
            s->population.push_back(people(rng));
        }
        for (std::size_t j = 0; j < candidate_count; ++j) {
            s->candidates.emplace_back(random_origin(s->graph, rng, 3'000));
        }
        s->prepared = engine::prepare_demand(s->graph, s->households, routing::Metric::time_ms);
        // Existing coverage: 15 facilities already in place.
        Sites existing;
        for (int f = 0; f < 15; ++f) {
            existing.emplace_back(random_origin(s->graph, rng, 3'000));
        }
        routing::BoundedSearch search(s->graph);
        const engine::NearestResult near =
            engine::nearest_facilities(search, s->prepared, existing, threshold_ms);
        for (const routing::Cost c : near.cost) {
            s->covered.push_back(c != routing::inf_cost ? 1 : 0);
        }
        s->reach = engine::build_reach_sets(s->graph, s->prepared, s->candidates, threshold_ms, 2);
        slot = std::move(s);
    }
    return slot.get();
}

// The scene, or nullptr with the benchmark marked skipped when its extract is missing.
const Scene* scene_or_skip(benchmark::State& state, const std::string& which) {
    const Scene* s = scene(which);
    if (s == nullptr) {
        state.SkipWithError("extract not found: liechtenstein.osm.pbf");
    }
    return s;
}

// Choosing among the scene's candidates for its households, given the existing coverage.
engine::CoveringProblem covering_problem(const Scene& s) {
    engine::CoveringProblem problem;
    problem.reach = &s.reach;
    problem.weight = s.population;
    problem.covered = s.covered;
    return problem;
}

double reach_bytes(const engine::ReachSets& r) {
    return static_cast<double>(r.first.size() * sizeof(std::uint32_t) + r.demand.size() * sizeof(std::uint32_t) +
                               r.cost.size() * sizeof(routing::Cost));
}

double peak_rss_bytes() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) * 1024.0; // kilobytes on Linux
}

void build(benchmark::State& state, const std::string& which) {
    const Scene* s = scene_or_skip(state, which);
    if (s == nullptr) {
        return;
    }
    const auto threads = static_cast<unsigned>(state.range(0));
    engine::ReachSets r;
    for (auto _ : state) {
        r = engine::build_reach_sets(s->graph, s->prepared, s->candidates, threshold_ms, threads);
        benchmark::DoNotOptimize(r.demand.data());
    }
    state.counters["nodes"] = s->graph.node_count();
    state.counters["candidates"] = static_cast<double>(candidate_count);
    state.counters["households"] = static_cast<double>(household_count);
    state.counters["entries"] = static_cast<double>(r.demand.size());
    state.counters["reach_MB"] = reach_bytes(r) / 1e6;
    state.counters["peak_rss_MB"] = peak_rss_bytes() / 1e6;
}

void select(benchmark::State& state, const std::string& which) {
    const Scene* s = scene_or_skip(state, which);
    if (s == nullptr) {
        return;
    }
    engine::CoveringProblem problem = covering_problem(*s);
    engine::PlanOptions options;
    options.swap_rounds = static_cast<std::uint32_t>(state.range(0));
    engine::PlanResult r;
    for (auto _ : state) {
        r = engine::maximal_covering(problem, sites_to_choose, options);
        // Not DoNotOptimize(r.objective): with g++ 12 its "+m,r" constraint garbled the double.
        benchmark::DoNotOptimize(r.chosen.data());
    }
    double open = 0;
    for (std::size_t i = 0; i < s->population.size(); ++i) {
        open += s->covered[i] != 0 ? 0.0 : s->population[i];
    }
    state.counters["nodes"] = s->graph.node_count();
    state.counters["entries"] = static_cast<double>(s->reach.demand.size());
    state.counters["open_weight"] = open;
    state.counters["new_weight"] = r.objective;
    state.counters["sites"] = static_cast<double>(r.chosen.size());
    state.counters["gap_pct"] = 100.0 * r.gap;
    state.counters["reach_MB"] = reach_bytes(s->reach) / 1e6;
    state.counters["peak_rss_MB"] = peak_rss_bytes() / 1e6;
    state.SetLabel(r.method);
}

// Capacity-aware selection of 50 sites with 40,000 weight units each (capacities bind for the
// sites with the most open demand around them): every evaluation is a max flow.
void capacitated(benchmark::State& state, const std::string& which) {
    const Scene* s = scene_or_skip(state, which);
    if (s == nullptr) {
        return;
    }
    engine::CoveringProblem problem = covering_problem(*s);
    problem.capacity.assign(candidate_count, 40'000.0);
    engine::PlanResult r;
    for (auto _ : state) {
        r = engine::capacitated_covering(problem, sites_to_choose);
        benchmark::DoNotOptimize(r.chosen.data());
    }
    state.counters["served_weight"] = r.objective;
    state.counters["sites"] = static_cast<double>(r.chosen.size());
    state.counters["gap_pct"] = 100.0 * r.gap;
    state.counters["peak_rss_MB"] = peak_rss_bytes() / 1e6;
    state.SetLabel(r.method);
}

void BM_BuildReachSets5000DistrictGrid(benchmark::State& state) { build(state, "grid"); }
void BM_CapacitatedCovering50of5000DistrictGrid(benchmark::State& state) { capacitated(state, "grid"); }
void BM_BuildReachSets5000Liechtenstein(benchmark::State& state) { build(state, "liechtenstein"); }
void BM_MaximalCovering50of5000DistrictGrid(benchmark::State& state) { select(state, "grid"); }
void BM_MaximalCovering50of5000Liechtenstein(benchmark::State& state) { select(state, "liechtenstein"); }
BENCHMARK(BM_BuildReachSets5000DistrictGrid)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BuildReachSets5000Liechtenstein)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
// Arg: swap rounds (0: lazy greedy alone; 50: the default).
BENCHMARK(BM_MaximalCovering50of5000DistrictGrid)->Arg(0)->Arg(50)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MaximalCovering50of5000Liechtenstein)->Arg(0)->Arg(50)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CapacitatedCovering50of5000DistrictGrid)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
