// ladder_probe: the in-process phase timings of one rung of the scale ladder (run_ladder.sh).
//
//   ladder_probe --osm city.osm.pbf --graph city.ykg [--origins 200] [--threads 2]
//
// Prints `key value` lines: the walking graph built from the PBF (walk profile), the same graph
// saved and loaded as a graph file, 15-minute isochrones from fixed-seed origins (search and
// polygon, median and 95th percentile), and all-demand coverage: every residential building of
// the extract against the facilities of the first twenty categories (by id) the extract holds (one multi-source search
// per category, 15 minutes), on 1 thread and on `--threads` threads (categories dealt
// round-robin). Whole-command time and peak memory come from /usr/bin/time in the script.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bench_common.hpp"
#include "yike/engine/categories.hpp"
#include "yike/engine/coverage.hpp"
#include "yike/engine/isochrone.hpp"
#include "yike/io/inputs.hpp"
#include "yike/io/network_file.hpp"
#include "yike/io/osm_network.hpp"
#include "yike/io/profile.hpp"
#include "yike/routing/search.hpp"
#include "yike/routing/snap.hpp"

namespace {

using namespace yike;
using bench::Clock;
using bench::ms_since;
using bench::percentile;
using bench::process_cpu_ms;
using bench::put;

int run(const std::filesystem::path& osm, const std::filesystem::path& graph_file, int origin_count, unsigned threads) {
    const io::WalkProfile walk = io::load_profile("walk");

    auto t0 = Clock::now();
    double c0 = process_cpu_ms();
    io::WalkNetwork net = io::read_walk_network(osm, walk);
    put("build_ms", ms_since(t0));
    put("build_cpu_ms", process_cpu_ms() - c0);
    const routing::WalkGraph& g = net.graph;
    put("way_nodes", static_cast<double>(net.report.walkable_way_nodes));
    put("nodes", g.node_count());
    put("edges", g.edge_count());
    put("graph_mib", static_cast<double>(g.memory_bytes()) / 1048576.0);

    t0 = Clock::now();
    io::save_walk_network(graph_file, net);
    put("save_ms", ms_since(t0));
    t0 = Clock::now();
    const io::WalkNetwork loaded = io::load_walk_network(graph_file);
    put("load_ms", ms_since(t0));
    if (loaded.graph.head != g.head || loaded.graph.arc_time_ms != g.arc_time_ms) {
        std::fprintf(stderr, "ladder_probe: %s: loaded graph differs from the built one\n", graph_file.string().c_str());
        return 1;
    }

    // Coverage needs the walk and senior networks: two readings of the extract against one.
    {
        const io::WalkProfile both[] = {walk, io::load_profile("senior")};
        t0 = Clock::now();
        c0 = process_cpu_ms();
        const io::WalkNetwork a = io::read_walk_network(osm, both[0]);
        const io::WalkNetwork b = io::read_walk_network(osm, both[1]);
        put("two_profiles_two_reads_ms", ms_since(t0));
        put("two_profiles_two_reads_cpu_ms", process_cpu_ms() - c0);
        t0 = Clock::now();
        c0 = process_cpu_ms();
        const std::vector<io::WalkNetwork> ab = io::read_walk_networks(osm, both);
        put("two_profiles_one_read_ms", ms_since(t0));
        put("two_profiles_one_read_cpu_ms", process_cpu_ms() - c0);
        if (ab[0].graph.head != a.graph.head || ab[1].graph.arc_time_ms != b.graph.arc_time_ms) {
            std::fprintf(stderr, "ladder_probe: %s: one reading differs from two\n", osm.string().c_str());
            return 1;
        }
    }

    // Isochrones from nodes of the largest component picked with a fixed seed.
    const routing::Components comp = routing::connected_components(g);
    std::vector<routing::NodeId> main_nodes;
    for (routing::NodeId u = 0; u < g.node_count(); ++u) {
        if (comp.node_component[u] == 0 && g.first_out[u + 1] > g.first_out[u]) {
            main_nodes.push_back(u);
        }
    }
    std::mt19937_64 rng(6);
    routing::BoundedSearch search(g);
    const routing::Cost budget = 15 * 60'000;
    std::vector<double> search_ms;
    std::vector<double> polygon_ms;
    std::vector<double> settled;
    for (int i = 0; i < origin_count && !main_nodes.empty(); ++i) {
        const routing::NodeId u = main_nodes[rng() % main_nodes.size()];
        const routing::EdgeId e = routing::WalkGraph::edge_of_arc_value(g.arc_edge[g.first_out[u]]);
        const routing::Origin origin{e, 0, 0, 0};
        t0 = Clock::now();
        search.run(std::span(&origin, 1), budget, routing::Metric::time_ms);
        const std::vector<routing::ReachedSpan> spans = routing::reached_spans(search);
        search_ms.push_back(ms_since(t0));
        settled.push_back(static_cast<double>(search.settled().size()));
        t0 = Clock::now();
        const engine::MultiPolygon poly = engine::polygon_from_spans(g, spans);
        polygon_ms.push_back(ms_since(t0));
        if (poly.empty()) {
            std::fprintf(stderr, "ladder_probe: empty isochrone\n");
            return 1;
        }
    }
    put("iso_settled_median", percentile(settled, 0.5));
    put("iso_search_p50_ms", percentile(search_ms, 0.5));
    put("iso_search_p95_ms", percentile(search_ms, 0.95));
    put("iso_polygon_p50_ms", percentile(polygon_ms, 0.5));
    put("iso_polygon_p95_ms", percentile(polygon_ms, 0.95));

    // All-demand coverage: buildings and facilities of the extract, snapped with its barriers.
    const engine::CategoryMapping categories = engine::load_category_mapping();
    t0 = Clock::now();
    const io::OsmExtras extras =
        io::read_osm_extras(osm, [&](const io::Tags& tags) { return categories.match(tags); });
    put("extras_ms", ms_since(t0));
    t0 = Clock::now();
    const engine::SiteSnapper snapper(g, extras.barriers);
    std::vector<std::optional<routing::Origin>> demand(extras.buildings.size());
    for (std::size_t i = 0; i < demand.size(); ++i) {
        demand[i] = snapper.snap(extras.buildings[i].location, extras.buildings[i].entrances, 300.0).origin;
    }
    std::map<std::string, std::vector<std::optional<routing::Origin>>> by_category;
    for (const io::FacilityRecord& f : extras.facilities) {
        by_category[f.category].push_back(snapper.snap(f.location, f.entrances, 300.0).origin);
    }
    put("snap_ms", ms_since(t0));
    put("demand_points", static_cast<double>(demand.size()));
    put("facilities", static_cast<double>(extras.facilities.size()));
    put("categories_in_extract", static_cast<double>(by_category.size()));
    std::vector<const std::vector<std::optional<routing::Origin>>*> cats;
    for (const auto& [id, sites] : by_category) {
        if (cats.size() < 20) { // the aim's twenty categories, the first by id
            cats.push_back(&sites);
        }
    }
    t0 = Clock::now();
    const engine::PreparedDemand prepared = engine::prepare_demand(g, demand, routing::Metric::time_ms);
    put("coverage_prepare_ms", ms_since(t0));
    put("categories", static_cast<double>(cats.size()));
    for (const unsigned t : {1U, threads}) {
        std::vector<std::uint64_t> covered(t, 0);
        auto work = [&](unsigned w) {
            routing::BoundedSearch s(g);
            for (std::size_t c = w; c < cats.size(); c += t) {
                const engine::NearestResult r = engine::nearest_facilities(s, prepared, *cats[c], budget);
                covered[w] += static_cast<std::uint64_t>(std::count_if(
                    r.cost.begin(), r.cost.end(), [](routing::Cost x) { return x != routing::inf_cost; }));
            }
        };
        t0 = Clock::now();
        c0 = process_cpu_ms();
        std::vector<std::thread> pool;
        for (unsigned w = 1; w < t; ++w) {
            pool.emplace_back(work, w);
        }
        work(0);
        for (auto& th : pool) {
            th.join();
        }
        const double ms = ms_since(t0);
        const double cpu_ms = process_cpu_ms() - c0;
        std::uint64_t total = 0;
        for (const auto c : covered) {
            total += c;
        }
        put(t == 1 ? "coverage_1t_ms" : "coverage_nt_ms", ms);
        put(t == 1 ? "coverage_1t_cpu_ms" : "coverage_nt_cpu_ms", cpu_ms);
        put("coverage_covered_share", demand.empty() || cats.empty()
                                          ? 0.0
                                          : static_cast<double>(total) / static_cast<double>(demand.size() * cats.size()));
    }
    put("threads", threads);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    std::string osm;
    std::string graph;
    int origins = 200;
    unsigned threads = 2;
    for (int a = 1; a + 1 < argc; a += 2) {
        const std::string_view arg = argv[a];
        if (arg == "--osm") {
            osm = argv[a + 1];
        } else if (arg == "--graph") {
            graph = argv[a + 1];
        } else if (arg == "--origins") {
            origins = std::atoi(argv[a + 1]);
        } else if (arg == "--threads") {
            threads = static_cast<unsigned>(std::max(1, std::atoi(argv[a + 1])));
        }
    }
    if (osm.empty() || graph.empty()) {
        std::fprintf(stderr, "usage: ladder_probe --osm FILE.osm.pbf --graph FILE.ykg [--origins N] [--threads T]\n");
        return 2;
    }
    try {
        return run(osm, graph, origins, threads);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "ladder_probe: %s\n", e.what());
        return 1;
    }
}
