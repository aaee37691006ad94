// yike's side of benchmarks/run_peers.sh: graph build from PBF and 15-minute isochrones (search
// and polygon) from fixed random origins, timed, with the answers written out so that
// benchmarks/peers.py can check every peer against them before it reports a time.
//
// Not a Google Benchmark: one run must produce the origins, yike's answers and yike's timings
// together so that the peers work on exactly the same inputs.
//
// usage: peers_compare OSM_FILE OUT_DIR [--origins N] [--minutes M] [--repeats N] [--build-repeats N]
//                      [--seed N]
//
// Files written to OUT_DIR (little-endian uint32 unless said otherwise):
//   edges.bin          E x 4: tail, head, time_ms, length_cm (the graph every peer must also read)
//   origins.bin        N: origin node ids
//   iso_K.bin          R x 2: node, distance (ms) of every node reached from origin K within the
//                      budget, sorted by node
//   iso_K.wkt          origin K's isochrone polygon, WKT MULTIPOLYGON in WGS84 lon/lat
//   meta.json          sizes and timings (all samples, milliseconds; wall and the thread's CPU time)
#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <random>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "bench_common.hpp"
#include "bench_export.hpp"
#include "yike/engine/isochrone.hpp"
#include "yike/io/osm_network.hpp"
#include "yike/io/profile.hpp"
#include "yike/routing/graph.hpp"
#include "yike/routing/search.hpp"

namespace {

using namespace yike;
using bench::Clock;
using bench::ms_since;
using bench::json_list;
using bench::write_edges;
using bench::write_u32;
using bench::thread_cpu_ms; // the search and the polygon run on this thread only

struct Options {
    std::filesystem::path osm_file;
    std::filesystem::path out_dir;
    std::uint32_t origins = 20;
    std::uint32_t minutes = 15;
    std::uint32_t repeats = 7;
    std::uint32_t build_repeats = 5;
    std::uint64_t seed = 15;
};

[[noreturn]] void usage(const std::string& why) {
    bench::exit_with_usage(
        "peers_compare", why,
        "usage: peers_compare OSM_FILE OUT_DIR [--origins N] [--minutes M] [--repeats N] [--build-repeats N]\n"
        "                     [--seed N]\n");
}

std::uint32_t parse_count(const std::string& text, const std::string& what) {
    return static_cast<std::uint32_t>(bench::parse_whole(text, what, 1, 1'000'000, usage));
}

Options parse(int argc, char** argv) {
    Options o;
    const auto option = [&o](const std::string& arg, const std::function<std::string()>& value) {
        if (arg == "--origins") {
            o.origins = parse_count(value(), arg);
        } else if (arg == "--minutes") {
            o.minutes = parse_count(value(), arg);
        } else if (arg == "--repeats") {
            o.repeats = parse_count(value(), arg);
        } else if (arg == "--build-repeats") {
            o.build_repeats = parse_count(value(), arg);
        } else if (arg == "--seed") {
            o.seed = parse_count(value(), arg);
        } else {
            return false;
        }
        return true;
    };
    std::tie(o.osm_file, o.out_dir) = bench::parse_command_line(argc, argv, option, usage);
    if (o.minutes > 600) {
        usage("--minutes: at most 600");
    }
    return o;
}

void write_ring(std::ostream& out, const engine::Ring& ring) {
    out << '(';
    for (std::size_t i = 0; i < ring.points.size(); ++i) {
        out << (i ? ", " : "") << ring.points[i].lon << ' ' << ring.points[i].lat;
    }
    out << ')';
}

std::string to_wkt(const engine::MultiPolygon& polygons) {
    std::ostringstream out;
    out << std::setprecision(10);
    if (polygons.empty()) {
        return "MULTIPOLYGON EMPTY";
    }
    out << "MULTIPOLYGON (";
    for (std::size_t p = 0; p < polygons.size(); ++p) {
        out << (p ? ", " : "") << '(';
        write_ring(out, polygons[p].exterior);
        for (const engine::Ring& hole : polygons[p].holes) {
            out << ", ";
            write_ring(out, hole);
        }
        out << ')';
    }
    out << ')';
    return out.str();
}

std::size_t vertex_count(const engine::MultiPolygon& polygons) {
    std::size_t n = 0;
    for (const engine::Polygon& p : polygons) {
        n += p.exterior.points.size();
        for (const engine::Ring& h : p.holes) {
            n += h.points.size();
        }
    }
    return n;
}

int run(const Options& opt) {
    std::filesystem::create_directories(opt.out_dir);
    const io::WalkProfile profile = io::load_profile("walk");

    // ---- graph build from PBF: parse, filter by the walk profile, junction graph, components.
    std::vector<double> build_ms;
    io::WalkNetwork net = io::read_walk_network(opt.osm_file, profile); // warm-up: file in page cache
    for (std::uint32_t r = 0; r < opt.build_repeats; ++r) {
        const auto start = Clock::now();
        net = io::read_walk_network(opt.osm_file, profile);
        build_ms.push_back(ms_since(start));
    }
    const routing::WalkGraph& g = net.graph;
    write_edges(opt.out_dir, g);

    // ---- origins: random nodes (fixed seed) whose isochrone is not a stub (an island or the
    // edge of the extract would time nothing): at least 50 nodes reached.
    const routing::Cost budget = static_cast<routing::Cost>(opt.minutes) * 60'000;
    const auto metric = routing::Metric::time_ms;
    routing::BoundedSearch search(g);
    std::mt19937_64 rng(opt.seed);
    std::uniform_int_distribution<routing::NodeId> pick(0, g.node_count() - 1);
    std::vector<routing::NodeId> origins;
    for (std::uint32_t attempt = 0; origins.size() < opt.origins; ++attempt) {
        if (attempt > 1000 * opt.origins) {
            throw std::runtime_error("fewer than " + std::to_string(opt.origins) +
                                     " nodes reach 50 others within the budget");
        }
        const routing::Seed seed{pick(rng), 0, 0};
        search.run(std::span<const routing::Seed>(&seed, 1), budget, metric);
        if (search.settled().size() >= 50) {
            origins.push_back(seed.node);
        }
    }
    write_u32(opt.out_dir / "origins.bin", {origins.begin(), origins.end()});

    // ---- answers, written once; then the timings, interleaved over the origins.
    const engine::IsochroneOptions poly_options; // the defaults `yike isochrone` uses
    std::vector<std::size_t> settled(origins.size());
    std::vector<std::size_t> vertices(origins.size());
    std::vector<double> areas(origins.size());
    for (std::size_t k = 0; k < origins.size(); ++k) {
        const routing::Seed seed{origins[k], 0, 0};
        search.run(std::span<const routing::Seed>(&seed, 1), budget, metric);
        std::vector<std::pair<routing::NodeId, routing::Cost>> reached;
        for (const routing::NodeId u : search.settled()) {
            reached.emplace_back(u, search.distance(u));
        }
        std::sort(reached.begin(), reached.end());
        std::vector<std::uint32_t> rows;
        for (const auto& [u, d] : reached) {
            rows.insert(rows.end(), {u, d});
        }
        write_u32(opt.out_dir / ("iso_" + std::to_string(k) + ".bin"), rows);
        settled[k] = reached.size();
        const engine::MultiPolygon polygon = engine::polygon_from_spans(g, routing::reached_spans(search), poly_options);
        vertices[k] = vertex_count(polygon);
        areas[k] = engine::area_m2(polygon);
        std::ofstream wkt(opt.out_dir / ("iso_" + std::to_string(k) + ".wkt"));
        wkt << to_wkt(polygon) << '\n';
        if (!wkt) {
            throw std::runtime_error("cannot write iso_" + std::to_string(k) + ".wkt");
        }
    }
    std::vector<double> search_ms;
    std::vector<double> polygon_ms;
    std::vector<double> search_cpu_ms;
    std::vector<double> polygon_cpu_ms;
    for (std::uint32_t r = 0; r < opt.repeats; ++r) {
        for (const routing::NodeId origin : origins) {
            const routing::Seed seed{origin, 0, 0};
            double cpu = thread_cpu_ms();
            auto start = Clock::now();
            search.run(std::span<const routing::Seed>(&seed, 1), budget, metric);
            search_ms.push_back(ms_since(start));
            search_cpu_ms.push_back(thread_cpu_ms() - cpu);
            cpu = thread_cpu_ms();
            start = Clock::now();
            const auto polygon = engine::polygon_from_spans(g, routing::reached_spans(search), poly_options);
            polygon_ms.push_back(ms_since(start));
            polygon_cpu_ms.push_back(thread_cpu_ms() - cpu);
            if (polygon.empty()) {
                throw std::runtime_error("an isochrone polygon came out empty");
            }
        }
    }

    std::ofstream meta(opt.out_dir / "meta.json");
    meta << std::setprecision(10) << "{\n"
         << "  \"osm_file\": \"" << opt.osm_file.string() << "\",\n"
         << "  \"nodes\": " << g.node_count() << ",\n"
         << "  \"edges\": " << g.edge_count() << ",\n"
         << "  \"walkable_way_nodes\": " << net.report.walkable_way_nodes << ",\n"
         << "  \"budget_ms\": " << budget << ",\n"
         << "  \"seed\": " << opt.seed << ",\n"
         << "  \"buffer_m\": " << poly_options.buffer_m << ",\n"
         << "  \"build_ms\": " << json_list(build_ms) << ",\n"
         << "  \"search_ms\": " << json_list(search_ms) << ",\n"
         << "  \"polygon_ms\": " << json_list(polygon_ms) << ",\n"
         << "  \"search_cpu_ms\": " << json_list(search_cpu_ms) << ",\n"
         << "  \"polygon_cpu_ms\": " << json_list(polygon_cpu_ms) << ",\n"
         << "  \"settled\": " << json_list({settled.begin(), settled.end()}) << ",\n"
         << "  \"vertices\": " << json_list({vertices.begin(), vertices.end()}) << ",\n"
         << "  \"area_m2\": " << json_list(areas) << "\n"
         << "}\n";
    if (!meta) {
        throw std::runtime_error("cannot write meta.json");
    }
    std::cout << opt.osm_file.filename().string() << ": " << g.node_count() << " nodes, " << g.edge_count()
              << " edges; " << origins.size() << " origins timed " << opt.repeats << " times each\n";
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    const Options opt = parse(argc, argv);
    try {
        return run(opt);
    } catch (const std::exception& e) {
        std::cerr << "peers_compare: " << e.what() << "\n";
        return 1;
    }
}
