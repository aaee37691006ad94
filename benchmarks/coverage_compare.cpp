// Coverage of all demand points for all categories, timed with yike (1 and 2 threads), plus an
// export of the same problem for benchmarks/coverage_vs_scipy.py, which recomputes it with
// scipy.sparse.csgraph.dijkstra and checks that every cost agrees exactly.
//
// Not a Google Benchmark: one run must produce the exported problem, yike's answers and yike's
// timings together so that the scipy side works on exactly the same inputs.
//
// usage: coverage_compare OSM_FILE OUT_DIR [--standard ID | --categories N] [--facilities MIN-MAX]
//                         [--demand N] [--limit-ms MS] [--repeats N] [--seed N]
//
// Files written to OUT_DIR (all little-endian uint32, row-major; numpy.fromfile friendly):
//   edges.bin                E x 4: tail, head, time_ms, length_cm
//   demand.bin               D x 5: edge (0xffffffff: not snapped), offset_cm (clamped to the edge),
//                                   off-network cost, partial cost to tail, partial cost to head
//   category_K_seeds.bin     S x 2: node, initial cost (routing::append_seeds, time metric)
//   category_K_facilities.bin F x 3: edge, offset_cm (clamped), off-network cost (snapped ones only)
//   yike_costs.bin           C x D: nearest-facility cost (inf_cost = 2^31 - 1 when none)
//   meta.json                sizes, categories and their limits, timings
#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "bench_common.hpp"
#include "bench_export.hpp"
#include "yike/engine/categories.hpp"
#include "yike/engine/coverage.hpp"
#include "yike/engine/standards.hpp"
#include "yike/io/osm_network.hpp"
#include "yike/io/profile.hpp"
#include "yike/routing/graph.hpp"
#include "yike/routing/search.hpp"
#include "yike/routing/snap.hpp"

namespace {

using namespace yike;
using routing::Cost;
using routing::Origin;
using bench::Clock;
using bench::ms_since;
using bench::json_list;
using bench::write_edges;
using bench::write_u32;

struct Options {
    std::filesystem::path osm_file;
    std::filesystem::path out_dir;
    std::string standard;
    std::uint32_t categories = 20;
    std::uint32_t facilities_min = 5;
    std::uint32_t facilities_max = 60;
    std::uint32_t demand = 20'000;
    Cost limit_ms = 900'000;
    std::uint32_t repeats = 7;
    std::uint64_t seed = 15;
};

[[noreturn]] void usage(const std::string& why) {
    bench::exit_with_usage(
        "coverage_compare", why,
        "usage: coverage_compare OSM_FILE OUT_DIR [--standard ID | --categories N] [--facilities MIN-MAX]\n"
        "                        [--demand N] [--limit-ms MS] [--repeats N] [--seed N]\n");
}

std::uint64_t parse_number(const std::string& text, const std::string& what) {
    return bench::parse_whole(text, what, 0, 0xffff'ffffULL, usage);
}

Options parse(int argc, char** argv) {
    Options o;
    const auto option = [&o](const std::string& arg, const std::function<std::string()>& value) {
        if (arg == "--standard") {
            o.standard = value();
        } else if (arg == "--categories") {
            o.categories = static_cast<std::uint32_t>(parse_number(value(), arg));
        } else if (arg == "--facilities") {
            const std::string v = value();
            const auto dash = v.find('-');
            if (dash == std::string::npos) {
                o.facilities_min = o.facilities_max = static_cast<std::uint32_t>(parse_number(v, arg));
            } else {
                o.facilities_min = static_cast<std::uint32_t>(parse_number(v.substr(0, dash), arg));
                o.facilities_max = static_cast<std::uint32_t>(parse_number(v.substr(dash + 1), arg));
            }
        } else if (arg == "--demand") {
            o.demand = static_cast<std::uint32_t>(parse_number(value(), arg));
        } else if (arg == "--limit-ms") {
            o.limit_ms = static_cast<Cost>(parse_number(value(), arg));
        } else if (arg == "--repeats") {
            o.repeats = static_cast<std::uint32_t>(parse_number(value(), arg));
        } else if (arg == "--seed") {
            o.seed = parse_number(value(), arg);
        } else {
            return false;
        }
        return true;
    };
    std::tie(o.osm_file, o.out_dir) = bench::parse_command_line(argc, argv, option, usage);
    if (o.facilities_min == 0 || o.facilities_min > o.facilities_max) {
        usage("--facilities needs 1 <= MIN <= MAX");
    }
    if (o.repeats == 0 || o.categories == 0 || o.limit_ms >= routing::inf_cost) {
        usage("--repeats and --categories must be >= 1, --limit-ms below 2^31 - 1");
    }
    return o;
}

struct Category {
    std::string name;
    Cost limit_ms = 0;
    std::vector<std::optional<Origin>> facilities;
};

// The categories of a shipped standard's coverage targets, each searched once up to the largest
// threshold that any of its targets uses (smaller thresholds are comparisons on the same costs).
std::vector<Category> standard_categories(const std::string& id, std::uint32_t speed_mm_per_s) {
    const engine::CategoryMapping mapping = engine::load_category_mapping();
    const engine::Standard standard = engine::load_standard(id, mapping);
    std::map<std::string, Cost> limit;
    std::vector<std::string> order;
    for (const engine::Target& t : standard.targets) {
        if (t.kind != engine::TargetKind::coverage) {
            continue;
        }
        // Distance thresholds become the time to walk them at the profile's speed, so that every
        // category runs on the time metric like the rest of the benchmark.
        const double ms = t.threshold_minutes ? *t.threshold_minutes * 60'000.0
                                              : t.threshold_m.value_or(0.0) * 1e6 / speed_mm_per_s;
        const auto cost = static_cast<Cost>(ms + 0.5);
        for (const std::string& c : t.categories) {
            auto [it, fresh] = limit.try_emplace(c, cost);
            if (fresh) {
                order.push_back(c);
            } else {
                it->second = std::max(it->second, cost);
            }
        }
    }
    std::vector<Category> out;
    for (const std::string& c : order) {
        out.push_back({c, limit[c], {}});
    }
    return out;
}

// Random points near the network: a random point of a random edge's geometry moved by up to 40 m
// in each direction, snapped as sites are (nullopt when nothing is within the snap radius).
std::vector<std::optional<Origin>> random_sites(const routing::WalkGraph& g, const routing::Snapper& snapper,
                                                std::mt19937_64& rng, std::uint32_t count) {
    std::uniform_int_distribution<routing::EdgeId> edge(0, g.edge_count() - 1);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::uniform_real_distribution<double> jitter(-40.0, 40.0);
    std::vector<std::optional<Origin>> out;
    out.reserve(count);
    for (std::uint32_t i = 0; i < count; ++i) {
        const routing::EdgeId e = edge(rng);
        const std::uint32_t first = g.edge_first_point[e];
        const std::uint32_t segments = g.edge_first_point[e + 1] - first - 1;
        const std::uint32_t s = first + std::uniform_int_distribution<std::uint32_t>(0, segments - 1)(rng);
        const double t = unit(rng);
        const routing::XY p{g.point_x_m[s] + t * (g.point_x_m[s + 1] - g.point_x_m[s]) + jitter(rng),
                            g.point_y_m[s] + t * (g.point_y_m[s + 1] - g.point_y_m[s]) + jitter(rng)};
        if (const auto snap = snapper.nearest(p)) {
            out.push_back(routing::origin_from_snap(*snap, i));
        } else {
            out.push_back(std::nullopt);
        }
    }
    return out;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

std::string json_escape(const std::string& s) {
    std::string out;
    for (const char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out;
}

// All categories with `threads` workers, each with its own search object; worker w takes
// categories w, w + threads, ... so that the split does not depend on timing.
void run_all(std::vector<routing::BoundedSearch>& searches, const std::vector<Category>& categories,
             const std::vector<std::optional<Origin>>& demand, std::vector<std::vector<Cost>>& costs) {
    const std::size_t threads = searches.size();
    // Prepared once for all categories, as the coverage run does (and inside the timing).
    const engine::PreparedDemand prepared =
        engine::prepare_demand(searches.front().graph(), demand, routing::Metric::time_ms);
    auto work = [&](std::size_t w) {
        for (std::size_t c = w; c < categories.size(); c += threads) {
            engine::NearestResult r =
                engine::nearest_facilities(searches[w], prepared, categories[c].facilities, categories[c].limit_ms);
            costs[c] = std::move(r.cost);
        }
    };
    if (threads == 1) {
        work(0);
        return;
    }
    std::vector<std::thread> pool;
    for (std::size_t w = 1; w < threads; ++w) {
        pool.emplace_back(work, w);
    }
    work(0);
    for (std::thread& t : pool) {
        t.join();
    }
}

int run(const Options& opt) {
    std::filesystem::create_directories(opt.out_dir);
    const io::WalkProfile profile = io::load_profile("walk");
    auto start = Clock::now();
    const routing::WalkGraph g = io::read_walk_network(opt.osm_file, profile).graph;
    const double read_ms = ms_since(start);

    start = Clock::now();
    const routing::Snapper snapper(g);
    const double index_ms = ms_since(start);

    std::vector<Category> categories;
    if (!opt.standard.empty()) {
        categories = standard_categories(opt.standard, g.walk_speed_mm_per_s);
        if (categories.empty()) {
            usage("standard " + opt.standard + " has no coverage target");
        }
    } else {
        for (std::uint32_t c = 0; c < opt.categories; ++c) {
            categories.push_back({"category_" + std::to_string(c), opt.limit_ms, {}});
        }
    }

    std::mt19937_64 rng(opt.seed);
    start = Clock::now();
    const std::vector<std::optional<Origin>> demand = random_sites(g, snapper, rng, opt.demand);
    std::uniform_int_distribution<std::uint32_t> facility_count(opt.facilities_min, opt.facilities_max);
    for (Category& c : categories) {
        c.facilities = random_sites(g, snapper, rng, facility_count(rng));
    }
    const double snap_ms = ms_since(start);

    // ---- export --------------------------------------------------------------------------
    const auto metric = routing::Metric::time_ms;
    write_edges(opt.out_dir, g);
    std::uint32_t demand_snapped = 0;
    {
        std::vector<std::uint32_t> rows;
        rows.reserve(std::size_t{5} * demand.size());
        for (const auto& d : demand) {
            if (!d) {
                rows.insert(rows.end(), {routing::invalid_id, 0, 0, 0, 0});
                continue;
            }
            ++demand_snapped;
            const std::uint32_t len = g.edge_length_cm[d->edge];
            const std::uint32_t offset = std::min(d->offset_cm, len);
            rows.insert(rows.end(), {d->edge, offset, routing::offnet_cost(g, d->offnet_cm, metric),
                                     routing::partial_edge_cost(g, d->edge, 0, offset, metric),
                                     routing::partial_edge_cost(g, d->edge, 0, len - offset, metric)});
        }
        write_u32(opt.out_dir / "demand.bin", rows);
    }
    for (std::size_t c = 0; c < categories.size(); ++c) {
        std::vector<routing::Seed> seeds;
        std::vector<std::uint32_t> facility_rows;
        for (const auto& f : categories[c].facilities) {
            if (!f) {
                continue;
            }
            routing::append_seeds(g, *f, metric, seeds);
            facility_rows.insert(facility_rows.end(), {f->edge, std::min(f->offset_cm, g.edge_length_cm[f->edge]),
                                                       routing::offnet_cost(g, f->offnet_cm, metric)});
        }
        std::vector<std::uint32_t> seed_rows;
        for (const routing::Seed& s : seeds) {
            seed_rows.insert(seed_rows.end(), {s.node, s.cost});
        }
        write_u32(opt.out_dir / ("category_" + std::to_string(c) + "_seeds.bin"), seed_rows);
        write_u32(opt.out_dir / ("category_" + std::to_string(c) + "_facilities.bin"), facility_rows);
    }

    // ---- yike's timings ------------------------------------------------------------------
    std::vector<std::vector<Cost>> costs_1t(categories.size());
    std::vector<std::vector<Cost>> costs_2t(categories.size());
    std::vector<routing::BoundedSearch> one;
    one.emplace_back(g);
    std::vector<routing::BoundedSearch> two;
    two.emplace_back(g);
    two.emplace_back(g);
    run_all(one, categories, demand, costs_1t); // warm-up (page faults, caches), not timed
    std::vector<double> times_1t;
    std::vector<double> times_2t;
    // Interleaved so that a noisy neighbour on the shared machine hits both variants alike.
    for (std::uint32_t r = 0; r < opt.repeats; ++r) {
        start = Clock::now();
        run_all(one, categories, demand, costs_1t);
        times_1t.push_back(ms_since(start));
        start = Clock::now();
        run_all(two, categories, demand, costs_2t);
        times_2t.push_back(ms_since(start));
    }
    // The search part alone (seeds and bounded Dijkstra, no evaluation at the demand points), to
    // set beside scipy's dijkstra-only time.
    std::vector<double> times_search;
    {
        std::vector<routing::Seed> seeds;
        for (std::uint32_t r = 0; r < opt.repeats; ++r) {
            start = Clock::now();
            for (const Category& c : categories) {
                seeds.clear();
                for (const auto& f : c.facilities) {
                    if (f) {
                        routing::append_seeds(g, *f, metric, seeds);
                    }
                }
                one[0].run(std::span<const routing::Seed>(seeds), c.limit_ms, metric);
            }
            times_search.push_back(ms_since(start));
        }
    }
    if (costs_1t != costs_2t) {
        std::cerr << "coverage_compare: 1-thread and 2-thread results differ\n";
        return 1;
    }
    {
        std::vector<std::uint32_t> all;
        all.reserve(categories.size() * demand.size());
        for (const auto& v : costs_1t) {
            all.insert(all.end(), v.begin(), v.end());
        }
        write_u32(opt.out_dir / "yike_costs.bin", all);
    }

    std::uint64_t facility_total = 0;
    std::uint64_t covered = 0;
    std::ostringstream cats;
    for (std::size_t c = 0; c < categories.size(); ++c) {
        std::uint32_t snapped = 0;
        for (const auto& f : categories[c].facilities) {
            snapped += f ? 1U : 0U;
        }
        facility_total += snapped;
        covered += static_cast<std::uint64_t>(
            std::count_if(costs_1t[c].begin(), costs_1t[c].end(), [](Cost x) { return x != routing::inf_cost; }));
        cats << (c ? ",\n    " : "    ") << "{\"name\": \"" << json_escape(categories[c].name)
             << "\", \"limit_ms\": " << categories[c].limit_ms << ", \"facilities\": " << snapped << '}';
    }

    std::ofstream meta(opt.out_dir / "meta.json");
    meta << "{\n"
         << "  \"osm_file\": \"" << json_escape(opt.osm_file.string()) << "\",\n"
         << "  \"standard\": \"" << json_escape(opt.standard) << "\",\n"
         << "  \"seed\": " << opt.seed << ",\n"
         << "  \"nodes\": " << g.node_count() << ",\n"
         << "  \"edges\": " << g.edge_count() << ",\n"
         << "  \"arcs\": " << g.arc_count() << ",\n"
         << "  \"demand\": " << demand.size() << ",\n"
         << "  \"demand_snapped\": " << demand_snapped << ",\n"
         << "  \"facilities_total\": " << facility_total << ",\n"
         << "  \"covered_pairs\": " << covered << ",\n"
         << "  \"inf_cost\": " << routing::inf_cost << ",\n"
         << "  \"categories\": [\n" << cats.str() << "\n  ],\n"
         << "  \"repeats\": " << opt.repeats << ",\n"
         << "  \"read_ms\": " << read_ms << ",\n"
         << "  \"snap_index_ms\": " << index_ms << ",\n"
         << "  \"snap_ms\": " << snap_ms << ",\n"
         << "  \"yike_1t_ms\": " << median(times_1t) << ",\n"
         << "  \"yike_2t_ms\": " << median(times_2t) << ",\n"
         << "  \"yike_search_1t_ms\": " << median(times_search) << ",\n"
         << "  \"yike_1t_samples_ms\": " << json_list(times_1t) << ",\n"
         << "  \"yike_2t_samples_ms\": " << json_list(times_2t) << ",\n"
         << "  \"yike_search_1t_samples_ms\": " << json_list(times_search) << "\n"
         << "}\n";
    if (!meta) {
        std::cerr << "coverage_compare: cannot write meta.json\n";
        return 1;
    }
    std::cout << opt.osm_file.filename().string() << ": " << g.node_count() << " nodes, " << g.edge_count()
              << " edges; " << categories.size() << " categories, " << facility_total << " facilities, "
              << demand_snapped << "/" << demand.size() << " demand points snapped\n"
              << "yike nearest_facilities, all categories: " << median(times_1t) << " ms (1 thread), "
              << median(times_2t) << " ms (2 threads), median of " << opt.repeats << "; searches alone "
              << median(times_search) << " ms (1 thread)\n";
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    const Options opt = parse(argc, argv);
    try {
        return run(opt);
    } catch (const std::exception& e) {
        std::cerr << "coverage_compare: " << e.what() << "\n";
        return 1;
    }
}
