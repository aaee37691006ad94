// poly_probe: time of the 15-minute isochrone polygon alone (`engine::polygon_from_spans`, after
// the search), wall clock and thread CPU time, over fixed-seed origins.
//
//   poly_probe (--osm FILE.osm.pbf | --graph FILE.ykg) [--save-graph FILE.ykg] [--origins 200]
//              [--budget-min 15] [--repeat 1] [--hashes FILE]
//
// Origins: nodes of the largest component picked with a fixed seed, each moved up to 40 m and
// snapped back to the network (so most start mid-edge). Prints `key value` lines: polygon p50 /
// p95 / max in wall clock and thread CPU time (each origin's polygon built `--repeat` times, the
// fastest kept), median vertices, and an FNV-1a hash over the bits of every output coordinate, so
// two builds can be checked for byte-identical polygons; `--hashes` writes one hash per origin.
#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "bench_common.hpp"
#include "yike/engine/isochrone.hpp"
#include "yike/io/network_file.hpp"
#include "yike/io/osm_network.hpp"
#include "yike/io/profile.hpp"
#include "yike/routing/search.hpp"
#include "yike/routing/snap.hpp"

namespace {

using namespace yike;
using bench::Clock;
using bench::percentile;
using bench::put;
using bench::thread_cpu_ms;

struct Fnv {
    std::uint64_t h = 14695981039346656037ULL;
    void add(std::uint64_t v) {
        for (int i = 0; i < 8; ++i) {
            h ^= (v >> (8 * i)) & 0xFFU;
            h *= 1099511628211ULL;
        }
    }
    void add(double d) { add(std::bit_cast<std::uint64_t>(d)); }
    void add(const engine::Ring& r) {
        add(static_cast<std::uint64_t>(r.points.size()));
        for (const routing::LonLat& p : r.points) {
            add(p.lon);
            add(p.lat);
        }
    }
};

struct Args {
    std::filesystem::path osm;
    std::filesystem::path graph;
    std::filesystem::path save_graph;
    std::filesystem::path hashes;
    int origins = 200;
    int budget_min = 15;
    int repeat = 1;
};

int run(const Args& args) {
    io::WalkNetwork net = args.osm.empty() ? io::load_walk_network(args.graph)
                                           : io::read_walk_network(args.osm, io::load_profile("walk"));
    if (!args.save_graph.empty()) {
        io::save_walk_network(args.save_graph, net);
    }
    const routing::WalkGraph& g = net.graph;
    const routing::Components comp = routing::connected_components(g);
    std::vector<routing::NodeId> main_nodes;
    for (routing::NodeId u = 0; u < g.node_count(); ++u) {
        if (comp.node_component[u] == 0 && g.first_out[u + 1] > g.first_out[u]) {
            main_nodes.push_back(u);
        }
    }
    if (main_nodes.empty()) {
        std::fprintf(stderr, "poly_probe: the graph has no edges\n");
        return 1;
    }
    const routing::Snapper snapper(g);
    std::mt19937_64 rng(20261122);
    std::uniform_real_distribution<double> jitter(-40.0, 40.0);
    routing::BoundedSearch search(g);
    const routing::Cost budget = static_cast<routing::Cost>(args.budget_min) * 60'000;
    std::vector<double> wall_ms;
    std::vector<double> cpu_ms;
    std::vector<double> vertices;
    Fnv all;
    std::FILE* hash_file = args.hashes.empty() ? nullptr : std::fopen(args.hashes.c_str(), "w");
    while (static_cast<int>(wall_ms.size()) < args.origins) {
        const routing::NodeId u = main_nodes[rng() % main_nodes.size()];
        const routing::XY p{g.node_x_m[u] + jitter(rng), g.node_y_m[u] + jitter(rng)};
        const auto snap = snapper.nearest(p);
        if (!snap || comp.node_component[g.edge_tail[snap->edge]] != 0) {
            continue;
        }
        const routing::Origin origin = routing::origin_from_snap(*snap, 0);
        search.run(std::span(&origin, 1), budget, routing::Metric::time_ms);
        const std::vector<routing::ReachedSpan> spans = routing::reached_spans(search);
        double best_wall = 1e300;
        double best_cpu = 1e300;
        engine::MultiPolygon poly;
        for (int r = 0; r < args.repeat; ++r) {
            const double c0 = thread_cpu_ms();
            const auto t0 = Clock::now();
            poly = engine::polygon_from_spans(g, spans);
            best_wall = std::min(best_wall, std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
            best_cpu = std::min(best_cpu, thread_cpu_ms() - c0);
        }
        wall_ms.push_back(best_wall);
        cpu_ms.push_back(best_cpu);
        Fnv one;
        double v = 0.0;
        one.add(static_cast<std::uint64_t>(poly.size()));
        for (const engine::Polygon& pg : poly) {
            one.add(pg.exterior);
            v += static_cast<double>(pg.exterior.points.size());
            one.add(static_cast<std::uint64_t>(pg.holes.size()));
            for (const engine::Ring& h : pg.holes) {
                one.add(h);
                v += static_cast<double>(h.points.size());
            }
        }
        vertices.push_back(v);
        all.add(one.h);
        if (hash_file != nullptr) {
            std::fprintf(hash_file, "%zu %016llx %.0f\n", wall_ms.size() - 1, static_cast<unsigned long long>(one.h), v);
        }
    }
    if (hash_file != nullptr) {
        std::fclose(hash_file);
    }
    put("origins", static_cast<double>(wall_ms.size()));
    put("poly_wall_p50_ms", percentile(wall_ms, 0.5));
    put("poly_wall_p95_ms", percentile(wall_ms, 0.95));
    put("poly_wall_max_ms", percentile(wall_ms, 1.0));
    put("poly_cpu_p50_ms", percentile(cpu_ms, 0.5));
    put("poly_cpu_p95_ms", percentile(cpu_ms, 0.95));
    put("poly_cpu_max_ms", percentile(cpu_ms, 1.0));
    put("vertices_median", percentile(vertices, 0.5));
    std::printf("output_hash %016llx\n", static_cast<unsigned long long>(all.h));
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    Args args;
    for (int a = 1; a + 1 < argc; a += 2) {
        const std::string_view arg = argv[a];
        if (arg == "--osm") {
            args.osm = argv[a + 1];
        } else if (arg == "--graph") {
            args.graph = argv[a + 1];
        } else if (arg == "--save-graph") {
            args.save_graph = argv[a + 1];
        } else if (arg == "--hashes") {
            args.hashes = argv[a + 1];
        } else if (arg == "--origins") {
            args.origins = std::atoi(argv[a + 1]);
        } else if (arg == "--budget-min") {
            args.budget_min = std::atoi(argv[a + 1]);
        } else if (arg == "--repeat") {
            args.repeat = std::max(1, std::atoi(argv[a + 1]));
        } else {
            std::fprintf(stderr, "poly_probe: unknown option %s\n", argv[a]);
            return 2;
        }
    }
    if (args.osm.empty() == args.graph.empty() || args.origins <= 0 || args.budget_min <= 0) {
        std::fprintf(stderr, "usage: poly_probe (--osm FILE.osm.pbf | --graph FILE.ykg) [--save-graph FILE.ykg] "
                             "[--origins N] [--budget-min M] [--repeat R] [--hashes FILE]\n");
        return 2;
    }
    try {
        return run(args);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "poly_probe: %s\n", e.what());
        return 1;
    }
}
