// Walking-graph build from an OSM extract: time, graph memory and bytes per walkable way-node.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

#include "yike/io/osm_network.hpp"
#include "yike/io/profile.hpp"

namespace {

void build_from_pbf(benchmark::State& state, const std::filesystem::path& file) {
    if (!std::filesystem::exists(file)) {
        state.SkipWithError(("extract not found: " + file.string()).c_str());
        return;
    }
    const yike::io::WalkProfile profile = yike::io::load_profile("walk");
    yike::io::NetworkReport report;
    std::size_t bytes = 0;
    std::uint32_t nodes = 0;
    std::uint32_t edges = 0;
    for (auto _ : state) {
        yike::io::WalkNetwork net = yike::io::read_walk_network(file, profile);
        benchmark::DoNotOptimize(net.graph.first_out.data());
        report = net.report;
        bytes = net.graph.memory_bytes();
        nodes = net.graph.node_count();
        edges = net.graph.edge_count();
    }
    const auto way_nodes = static_cast<double>(report.walkable_way_nodes);
    state.counters["way_nodes"] = way_nodes;
    state.counters["graph_bytes"] = static_cast<double>(bytes);
    state.counters["bytes_per_way_node"] = way_nodes > 0 ? static_cast<double>(bytes) / way_nodes : 0.0;
    state.counters["nodes"] = nodes;
    state.counters["edges"] = edges;
    state.counters["components"] = report.component_count;
    state.counters["largest_component"] = report.largest_component_nodes;
}

void BM_build_monaco(benchmark::State& state) {
    build_from_pbf(state, std::filesystem::path(YIKE_DATA_DIR) / "osm" / "monaco.osm.pbf");
}
BENCHMARK(BM_build_monaco)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_build_liechtenstein(benchmark::State& state) {
    build_from_pbf(state, std::filesystem::path(YIKE_SHARED_DATA_DIR) / "osm" / "liechtenstein.osm.pbf");
}
BENCHMARK(BM_build_liechtenstein)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace

BENCHMARK_MAIN();
