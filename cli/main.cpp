// The `yike` command. Exceptions are caught only here: bad data exits 1, bad usage exits 2.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "arguments.hpp"
#include "yike/engine/categories.hpp"
#include "yike/engine/coverage_run.hpp"
#include "yike/engine/report.hpp"
#include "yike/engine/siting.hpp"
#include "yike/engine/isochrone.hpp"
#include "yike/engine/standards.hpp"
#include "yike/error.hpp"
#include "yike/io/feature_writer.hpp"
#include "yike/io/network_file.hpp"
#include "yike/io/osm_network.hpp"
#include "yike/io/point_reader.hpp"
#include "yike/io/profile.hpp"
#include "yike/routing/search.hpp"
#include "yike/routing/snap.hpp"
#include "yike/viz/html_report.hpp"
#include "yike/viz/map_render.hpp"
#include "yike/viz/svg_map.hpp"
#include "serve.hpp"

namespace {

using yike::cli::parse_lonlat;
using yike::cli::usage_error;

bool g_quiet = false;

void message(const std::string& text) {
    if (!g_quiet) {
        std::cerr << text << '\n';
    }
}

std::string thousands(std::uint64_t v) {
    const std::string digits = std::to_string(v);
    std::string s;
    s.reserve(digits.size() + digits.size() / 3);
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i != 0 && (digits.size() - i) % 3 == 0) {
            s.push_back(',');
        }
        s.push_back(digits[i]);
    }
    return s;
}

std::string fixed(double v, int decimals) {
    std::ostringstream os;
    os.setf(std::ios::fixed);
    os.precision(decimals);
    os << v;
    return os.str();
}

// Shown on stderr when it is a terminal, for work that takes more than a moment.
class Progress {
public:
    Progress(std::string what, std::size_t total)
        : m_what(std::move(what)), m_total(total), m_enabled(!g_quiet && total > 1 && ::isatty(2) != 0) {}
    void step() {
        const std::size_t done = ++m_done;
        if (m_enabled) {
            std::lock_guard<std::mutex> lock(m_mutex);
            std::fprintf(stderr, "\r%s %zu/%zu", m_what.c_str(), done, m_total);
            if (done == m_total) {
                std::fputc('\n', stderr);
            }
        }
    }

private:
    std::string m_what;
    std::size_t m_total;
    bool m_enabled;
    std::atomic<std::size_t> m_done{0};
    std::mutex m_mutex;
};

struct NetworkOptions {
    std::string osm;
    std::string graph; // a graph file written by `yike graph --save`, instead of --osm
    std::string profile = "walk";
    std::optional<double> speed_m_per_s;
    CLI::Option* profile_option = nullptr;

    // The file the network comes from, for messages.
    [[nodiscard]] const std::string& source() const noexcept { return graph.empty() ? osm : graph; }
};

void add_network_options(CLI::App& cmd, NetworkOptions& o) {
    cmd.add_option("--osm", o.osm, "OpenStreetMap extract (.osm.pbf, .osm, .osm.gz, .osm.bz2)");
    cmd.add_option("--graph", o.graph, "graph file written by `yike graph --save` (instead of --osm; skips the OSM parse)");
    o.profile_option = cmd.add_option("--profile", o.profile, "walking profile: walk, senior, or a TOML file")->capture_default_str();
    cmd.add_option("--speed", o.speed_m_per_s, "override the profile's walking speed (m/s)");
}

yike::io::WalkNetwork load_network(const NetworkOptions& o, yike::io::WalkProfile& profile) {
    if (o.osm.empty() == o.graph.empty()) {
        throw usage_error("give the walking network with --osm FILE or --graph FILE, one of them");
    }
    if (!o.graph.empty()) {
        if (o.profile_option->count() > 0 || o.speed_m_per_s) {
            throw usage_error("--graph " + o.graph + ": the profile and speed were fixed when the graph was saved; drop --profile/--speed");
        }
        auto net = yike::io::load_walk_network(o.graph);
        profile.name = net.profile_name;
        profile.speed_mm_per_s = net.graph.walk_speed_mm_per_s;
        return net;
    }
    profile = yike::io::load_profile(o.profile);
    if (o.speed_m_per_s) {
        profile = yike::io::with_speed(profile, *o.speed_m_per_s);
    }
    auto net = yike::io::read_walk_network(o.osm, profile);
    if (net.report.missing_nodes > 0) {
        message("warning: " + yike::io::missing_nodes_text(o.osm, net.report));
    }
    return net;
}

// ---- yike graph ----------------------------------------------------------------------------

struct GraphOptions {
    NetworkOptions network;
    std::string out;
    std::string save;
};

std::vector<yike::io::Layer> graph_layers(const yike::routing::WalkGraph& g) {
    using yike::io::Feature;
    using yike::routing::coordinate_precision;
    yike::io::Layer nodes{"nodes", {}};
    nodes.features.reserve(g.node_count());
    for (std::uint32_t u = 0; u < g.node_count(); ++u) {
        nodes.features.push_back(Feature{
            yike::io::PointGeometry{{g.node_lon_e7[u] / coordinate_precision, g.node_lat_e7[u] / coordinate_precision}},
            {{"node", std::int64_t{u}}, {"osm_id", g.node_osm_id[u]}}});
    }
    yike::io::Layer edges{"edges", {}};
    edges.features.reserve(g.edge_count());
    for (std::uint32_t e = 0; e < g.edge_count(); ++e) {
        yike::io::LineGeometry line;
        for (std::uint32_t k = g.edge_first_point[e]; k < g.edge_first_point[e + 1]; ++k) {
            line.points.push_back({g.point_lon_e7[k] / coordinate_precision, g.point_lat_e7[k] / coordinate_precision});
        }
        edges.features.push_back(Feature{
            std::move(line),
            {{"edge", std::int64_t{e}},
             {"from_node", std::int64_t{g.edge_tail[e]}},
             {"to_node", std::int64_t{g.edge_head[e]}},
             {"from_osm_id", g.node_osm_id[g.edge_tail[e]]},
             {"to_osm_id", g.node_osm_id[g.edge_head[e]]},
             {"way_id", g.edge_way_id[e]},
             {"length_m", g.edge_length_cm[e] / 100.0},
             {"length_cm", std::int64_t{g.edge_length_cm[e]}},
             {"time_ms", std::int64_t{g.edge_time_ms[e]}}}});
    }
    return {std::move(edges), std::move(nodes)};
}

int run_graph(const GraphOptions& o) {
    yike::io::WalkProfile profile;
    if (!o.out.empty()) {
        (void)yike::io::format_for_path(o.out); // reject a bad format before the work
    }
    const auto net = load_network(o.network, profile);
    const auto& g = net.graph;
    const auto& r = net.report;
    double length_m = 0;
    for (std::uint32_t e = 0; e < g.edge_count(); ++e) {
        length_m += g.edge_length_cm[e] / 100.0;
    }
    if (!o.out.empty()) {
        yike::io::write_layers(o.out, graph_layers(g));
    }
    if (!o.save.empty()) {
        yike::io::save_walk_network(o.save, net);
    }
    if (!g_quiet) {
        const double largest_share = g.node_count() == 0 ? 0.0 : 100.0 * r.largest_component_nodes / g.node_count();
        std::ostringstream s;
        s << "walking network of " << o.network.source() << " (profile " << profile.name << ", "
          << fixed(profile.speed_mm_per_s / 1000.0, 2) << " m/s)\n"
          << "  ways read             " << thousands(r.ways_read) << '\n'
          << "  walkable ways         " << thousands(r.walkable_ways) << '\n'
          << "  walkable way-nodes    " << thousands(r.walkable_way_nodes) << '\n'
          << "  nodes (junctions)     " << thousands(g.node_count()) << '\n'
          << "  edges                 " << thousands(g.edge_count()) << '\n'
          << "  network length        " << fixed(length_m / 1000.0, 1) << " km\n"
          << "  components            " << thousands(r.component_count) << " (largest "
          << thousands(r.largest_component_nodes) << " nodes, " << fixed(largest_share, 1) << " %; "
          << thousands(r.component_count == 0 ? 0 : r.component_count - 1) << " islands)\n"
          << "  missing node refs     " << thousands(r.missing_nodes) << '\n'
          << "  blocking barriers     " << thousands(r.blocking_barriers) << '\n'
          << "  graph memory          " << fixed(static_cast<double>(g.memory_bytes()) / 1048576.0, 2) << " MiB ("
          << fixed(r.walkable_way_nodes == 0 ? 0.0 : static_cast<double>(g.memory_bytes()) / static_cast<double>(r.walkable_way_nodes), 1)
          << " bytes per way-node)\n";
        if (!o.out.empty()) {
            s << "  written to            " << o.out << '\n';
        }
        if (!o.save.empty()) {
            s << "  graph file            " << o.save << '\n';
        }
        std::cout << s.str();
    }
    return 0;
}

// ---- yike isochrone ------------------------------------------------------------------------

struct IsochroneOptionsCli {
    NetworkOptions network;
    std::vector<std::string> at;
    std::string points;
    std::vector<double> minutes;
    std::vector<double> meters;
    double max_snap_m = yike::routing::default_max_snap_m;
    yike::engine::IsochroneOptions poly;
    bool network_lines = false;
    unsigned threads = 0;
    std::string out;
    std::string svg;
};

struct OriginInput {
    std::string id;
    yike::routing::LonLat lonlat;
};

struct OriginResult {
    std::optional<yike::routing::SnapResult> snap;
    std::string error;
    std::vector<yike::engine::IsochroneBand> bands;
    std::vector<yike::routing::ReachedSpan> spans; // of the largest budget, when asked
};

int run_isochrone(IsochroneOptionsCli& o) {
    using namespace yike;
    if (o.at.empty() == o.points.empty()) {
        throw usage_error("give the origins with --at LON,LAT (repeatable) or --points FILE, not both");
    }
    if (o.minutes.empty() == o.meters.empty()) {
        throw usage_error("give the budgets with --minutes or --meters (comma-separated), one of them");
    }
    const bool by_time = !o.minutes.empty();
    std::vector<double> budgets_in = by_time ? o.minutes : o.meters;
    const char* unit_name = by_time ? "--minutes" : "--meters";
    for (const double b : budgets_in) {
        if (!std::isfinite(b) || b <= 0) {
            throw usage_error(std::string(unit_name) + ": every budget must be a positive number (got " +
                              io::format_number(b) + ")");
        }
        if (b > (by_time ? 600.0 : 50'000.0)) {
            throw usage_error(std::string(unit_name) + ": " + io::format_number(b) + " is beyond the supported maximum (" +
                              (by_time ? "600 minutes" : "50,000 m") + ")");
        }
    }
    std::sort(budgets_in.begin(), budgets_in.end());
    budgets_in.erase(std::unique(budgets_in.begin(), budgets_in.end()), budgets_in.end());
    std::vector<routing::Cost> budgets;
    for (const double b : budgets_in) {
        budgets.push_back(static_cast<routing::Cost>(std::llround(by_time ? b * 60'000.0 : b * 100.0)));
    }
    const routing::Metric metric = by_time ? routing::Metric::time_ms : routing::Metric::length_cm;
    if (!std::isfinite(o.max_snap_m) || o.max_snap_m < 0) {
        throw usage_error("--max-snap: must be a non-negative number of metres");
    }
    engine::validate(o.poly);
    if (!o.svg.empty() && std::filesystem::path(o.svg).extension() != ".svg") {
        throw usage_error("--svg " + o.svg + ": the map is written as .svg");
    }
    if (o.out != "-") {
        if (io::format_for_path(o.out) != io::VectorFormat::geojson && io::format_for_path(o.out) != io::VectorFormat::gpkg) {
            throw usage_error(o.out + ": isochrones are written as .geojson or .gpkg");
        }
    }

    std::vector<OriginInput> origins;
    for (std::size_t i = 0; i < o.at.size(); ++i) {
        origins.push_back({std::to_string(i + 1), parse_lonlat(o.at[i])});
    }
    if (!o.points.empty()) {
        io::PointReadReport rep;
        for (auto& p : io::read_points(o.points, &rep)) {
            origins.push_back({std::move(p.id), p.lonlat});
        }
        if (rep.skipped_without_geometry > 0) {
            message("warning: " + o.points + ": " + std::to_string(rep.skipped_without_geometry) +
                    " features without geometry skipped");
        }
    }

    io::WalkProfile profile;
    const auto net = load_network(o.network, profile);
    const auto& graph = net.graph;
    const routing::Snapper snapper(graph);

    std::vector<OriginResult> results(origins.size());
    Progress progress("isochrones", origins.size());
    std::atomic<std::size_t> next{0};
    std::mutex error_mutex;
    std::exception_ptr failure;
    auto worker = [&] {
        try {
            routing::BoundedSearch search(graph);
            while (true) {
                const std::size_t i = next++;
                if (i >= origins.size()) {
                    break;
                }
                OriginResult& r = results[i];
                const routing::XY xy = graph.projection.forward(origins[i].lonlat);
                r.snap = snapper.nearest(xy, o.max_snap_m);
                if (!r.snap) {
                    r.error = "no walkable street within " + io::format_number(o.max_snap_m) + " m";
                    progress.step();
                    continue;
                }
                const routing::Origin origin = routing::origin_from_snap(*r.snap, 0);
                r.bands = engine::build_isochrones(search, {&origin, 1}, budgets, metric, o.poly);
                if (o.network_lines) {
                    r.spans = routing::reached_spans(search); // the search holds the largest budget
                }
                progress.step();
            }
        } catch (...) {
            std::lock_guard<std::mutex> lock(error_mutex);
            if (!failure) {
                failure = std::current_exception();
            }
            next = origins.size();
        }
    };
    unsigned threads = o.threads != 0 ? o.threads : std::max(1U, std::thread::hardware_concurrency());
    threads = static_cast<unsigned>(std::min<std::size_t>(threads, origins.size()));
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) {
        pool.emplace_back(worker);
    }
    worker();
    for (auto& t : pool) {
        t.join();
    }
    if (failure) {
        std::rethrow_exception(failure);
    }

    const bool single = origins.size() == 1;
    if (single && !results[0].snap) {
        // the one origin may come from --points, when --at is empty
        throw data_error(o.network.source() + ": origin " + origins[0].id + " (" + io::format_number(origins[0].lonlat.lon) +
                         "," + io::format_number(origins[0].lonlat.lat) + ") is off the network: " + results[0].error +
                         " (--max-snap sets the limit)");
    }

    io::Layer polygons{"isochrones", {}};
    io::Layer lines{"reached_network", {}};
    std::size_t skipped = 0;
    for (std::size_t i = 0; i < origins.size(); ++i) {
        const auto& r = results[i];
        const auto& in = origins[i];
        if (!r.snap) {
            ++skipped;
            message("warning: origin " + in.id + " (" + io::format_number(in.lonlat.lon) + "," +
                    io::format_number(in.lonlat.lat) + ") skipped: " + r.error);
            polygons.features.push_back(io::Feature{std::monostate{},
                                                    {{"origin", in.id},
                                                     {"origin_lon", in.lonlat.lon},
                                                     {"origin_lat", in.lonlat.lat},
                                                     {"error", r.error}}});
            continue;
        }
        const routing::LonLat snapped = graph.projection.inverse(r.snap->snapped);
        for (std::size_t b = 0; b < r.bands.size(); ++b) {
            const auto& band = r.bands[b];
            io::MultiPolygonGeometry mp;
            for (const auto& poly : band.polygon) {
                io::PolygonGeometry pg;
                pg.rings.push_back(poly.exterior.points);
                for (const auto& h : poly.holes) {
                    pg.rings.push_back(h.points);
                }
                mp.polygons.push_back(std::move(pg));
            }
            io::Feature f{std::move(mp), {}};
            f.properties.emplace_back("origin", in.id);
            f.properties.emplace_back("origin_lon", in.lonlat.lon);
            f.properties.emplace_back("origin_lat", in.lonlat.lat);
            if (by_time) {
                f.properties.emplace_back("minutes", budgets_in[b]);
            } else {
                f.properties.emplace_back("meters", budgets_in[b]);
            }
            f.properties.emplace_back("band", o.poly.disjoint_bands ? std::string("ring") : std::string("nested"));
            f.properties.emplace_back("area_m2", std::round(band.area_m2 * 10.0) / 10.0);
            f.properties.emplace_back("reached_length_m", std::round(band.reached_length_m * 100.0) / 100.0);
            f.properties.emplace_back("snapped_lon", std::round(snapped.lon * 1e7) / 1e7);
            f.properties.emplace_back("snapped_lat", std::round(snapped.lat * 1e7) / 1e7);
            f.properties.emplace_back("snap_distance_m", std::round(r.snap->distance_m * 100.0) / 100.0);
            // The exact start on the `yike graph` export, so others can recompute the reach.
            const routing::Origin start = routing::origin_from_snap(*r.snap, 0);
            f.properties.emplace_back("snapped_edge", std::int64_t{start.edge});
            f.properties.emplace_back("snapped_offset_cm", std::int64_t{start.offset_cm});
            f.properties.emplace_back("offnet_cm", std::int64_t{start.offnet_cm});
            f.properties.emplace_back("profile", profile.name);
            polygons.features.push_back(std::move(f));
        }
        for (const auto& span : r.spans) {
            io::LineGeometry line{engine::span_polyline(graph, span)};
            io::Feature f{std::move(line), {}};
            f.properties.emplace_back("origin", in.id);
            f.properties.emplace_back("edge", std::int64_t{span.edge});
            f.properties.emplace_back("way_id", graph.edge_way_id[span.edge]);
            f.properties.emplace_back("from_m", span.begin_cm / 100.0);
            f.properties.emplace_back("to_m", span.end_cm / 100.0);
            if (by_time) {
                f.properties.emplace_back("reached_at_s", span.first_cost / 1000.0);
            } else {
                f.properties.emplace_back("reached_at_m", span.first_cost / 100.0);
            }
            lines.features.push_back(std::move(f));
        }
    }
    std::vector<io::Layer> layers{std::move(polygons)};
    if (o.network_lines) {
        layers.push_back(std::move(lines));
    }
    std::string svg;
    if (!o.svg.empty()) {
        // The map shows the first origin that could be computed, with all of its bands.
        std::vector<viz::SvgBand> bands;
        std::vector<routing::LonLat> shown;
        for (std::size_t i = 0; i < origins.size() && shown.empty(); ++i) {
            if (!results[i].snap) {
                continue;
            }
            shown.push_back(origins[i].lonlat);
            for (std::size_t b = 0; b < results[i].bands.size(); ++b) {
                bands.push_back({results[i].bands[b].polygon,
                                 io::format_number(budgets_in[b]) + (by_time ? " min" : " m")});
            }
        }
        viz::SvgMapOptions map_options;
        map_options.title = "Walking isochrones (" + profile.name + ", " +
                            io::format_number(profile.speed_mm_per_s / 1000.0) + " m/s)";
        svg = viz::render_svg_map(graph, bands, shown, map_options);
    }
    // Both outputs are complete before either is written; the map, the lesser one, goes last.
    if (o.out == "-") {
        std::cout << io::to_geojson(layers);
    } else {
        io::write_layers(o.out, layers);
    }
    if (!o.svg.empty()) {
        io::write_text_file(o.svg, svg);
    }
    message("isochrones: " + std::to_string(origins.size() - skipped) + " origin(s) computed" +
            (skipped > 0 ? ", " + std::to_string(skipped) + " skipped" : std::string()) + ", " +
            std::to_string(budgets.size()) + " band(s) each" + (o.out == "-" ? "" : ", written to " + o.out));
    return 0;
}

// ---- yike coverage -------------------------------------------------------------------------

struct CoverageCli {
    std::string scenario;
    std::string osm;
    std::vector<std::string> facilities;
    std::string category_field;
    std::string capacity_field;
    std::string floor_area_field;
    std::string staff_field;
    bool no_osm_facilities = false;
    std::string households;
    bool estimate_households = false;
    std::string population_raster;
    std::string communities;
    std::string subdistricts;
    std::string parent_field;
    std::string community_households_field;
    std::optional<double> grid_m;
    std::string crs;
    std::string standard;
    std::string profile;
    std::string senior_profile;
    std::optional<double> max_snap_m;
    std::string decay;
    std::string layers;
    unsigned threads = 0;
    std::string out;
};

// The settings of a coverage run from the options shared by coverage, evaluate, plan and serve
// (which writes no report: needs_out false).
yike::engine::CoverageSettings coverage_settings(const CoverageCli& c, CLI::App& cmd, bool needs_out = true) {
    using namespace yike;
    auto given = [&](const char* name) { return cmd.get_option_no_throw(name) != nullptr && cmd.count(name) > 0; };
    engine::CoverageSettings s;
    if (!c.scenario.empty()) {
        s = engine::load_scenario(c.scenario);
    } else if (c.osm.empty()) {
        throw usage_error("give --osm FILE (or --scenario FILE)");
    }
    if (given("--osm")) {
        s.osm = c.osm;
    }
    std::optional<std::string> crs;
    if (given("--crs")) {
        crs = c.crs;
    }
    if (given("--facilities")) {
        s.facility_layers.clear();
        for (const auto& spec : c.facilities) {
            // FILE or FILE=CATEGORY (every feature of the file is of that category).
            engine::FacilityLayerSource f;
            const auto eq = spec.rfind('=');
            if (eq != std::string::npos && eq > 0) {
                f.path = spec.substr(0, eq);
                f.options.category = spec.substr(eq + 1);
            } else {
                f.path = spec;
                f.options.category_field = c.category_field.empty() ? "category" : c.category_field;
            }
            f.options.capacity_field = c.capacity_field;
            f.options.floor_area_field = c.floor_area_field;
            f.options.staff_field = c.staff_field;
            f.options.crs = crs;
            s.facility_layers.push_back(std::move(f));
        }
    }
    if (c.no_osm_facilities) {
        s.osm_facilities = false;
    }
    const int demand_choices = (given("--households") ? 1 : 0) + (c.estimate_households ? 1 : 0) +
                               (given("--population-raster") ? 1 : 0);
    if (demand_choices > 1) {
        throw usage_error("give one of --households, --estimate-households and --population-raster");
    }
    if (given("--households")) {
        s.demand_source = engine::DemandSource::households_layer;
        s.demand_path = c.households;
    } else if (given("--population-raster")) {
        s.demand_source = engine::DemandSource::population_raster;
        s.demand_path = c.population_raster;
    } else if (c.estimate_households) {
        s.demand_source = engine::DemandSource::estimate_from_buildings;
    }
    if (crs) {
        s.demand_options.crs = crs;
        s.community_options.crs = crs;
        s.subdistrict_options.crs = crs;
    }
    if (given("--communities")) {
        s.communities = c.communities;
    }
    if (given("--subdistricts")) {
        s.subdistricts = c.subdistricts;
    }
    if (given("--parent-field")) {
        s.community_options.parent_field = c.parent_field;
    }
    if (given("--community-households")) {
        s.community_options.households_field = c.community_households_field;
    }
    if (c.grid_m) {
        if (!std::isfinite(*c.grid_m) || *c.grid_m < 50 || *c.grid_m > 10'000) {
            throw usage_error("--grid: cell size must be between 50 and 10,000 m");
        }
        s.grid_cell_m = *c.grid_m;
    }
    if (given("--standard")) {
        s.standard = c.standard;
    }
    if (given("--profile")) {
        s.walk_profile = c.profile;
    }
    if (given("--senior-profile")) {
        s.senior_profile = c.senior_profile;
    }
    if (c.max_snap_m) {
        if (!std::isfinite(*c.max_snap_m) || *c.max_snap_m < 0) {
            throw usage_error("--max-snap: must be a non-negative number of metres");
        }
        s.max_snap_m = *c.max_snap_m;
    }
    if (given("--decay")) {
        if (c.decay != "none" && c.decay != "gaussian") {
            throw usage_error("--decay: none or gaussian");
        }
        s.gaussian_decay = c.decay == "gaussian";
    }
    if (given("--layers")) {
        if (c.layers != "gpkg" && c.layers != "geojson") {
            throw usage_error("--layers: gpkg or geojson");
        }
        s.layer_format = c.layers == "gpkg" ? io::VectorFormat::gpkg : io::VectorFormat::geojson;
    }
    if (given("--threads")) {
        s.threads = c.threads;
    }
    if (given("--out")) {
        s.out = c.out;
    }
    if (!needs_out) {
        return s;
    }
    if (s.out.empty()) {
        throw usage_error("give the report folder with --out DIR");
    }
    const auto parent = s.out.has_parent_path() ? s.out.parent_path() : std::filesystem::path(".");
    if (!std::filesystem::is_directory(parent)) {
        throw usage_error("--out " + s.out.string() + ": folder '" + parent.string() + "' does not exist");
    }

    return s;
}

// report.html of a report folder, written inside the folder's atomic replacement. Walking
// positions are the report's own facility snaps; senior positions come from the run.
yike::engine::ReportFilesFn html_report_files(const yike::engine::CoverageNetworks& networks,
                                              const yike::engine::CoverageData* after = nullptr,
                                              const std::vector<std::optional<yike::routing::Origin>>* after_senior = nullptr,
                                              std::string before_subtitle = {}, std::string after_subtitle = {}) {
    using namespace yike;
    return [&networks, after, after_senior, before_subtitle, after_subtitle](
               const std::filesystem::path& dir, const engine::CoverageData& data, const engine::ReportResults& results) {
        const bool is_after = after != nullptr && &data == after;
        std::vector<std::optional<routing::Origin>> walk;
        walk.reserve(data.facility_snaps.size());
        for (const auto& snap : data.facility_snaps) walk.push_back(snap.origin);
        const auto& senior = is_after ? *after_senior : networks.facility_senior;
        viz::HtmlReportOptions options;
        options.subtitle = is_after ? after_subtitle : before_subtitle;
        viz::write_html_report(dir / "report.html",
                               viz::HtmlReportInput{data, results, networks.graph(false), networks.graph(true), walk, senior},
                               options);
    };
}

// The input warnings of a coverage run (skipped features, repaired polygons, gaps in the extract),
// one line each; the reports list them too.
void print_warnings(const std::vector<std::string>& warnings) {
    for (const auto& w : warnings) {
        message("warning: " + w);
    }
}

int run_coverage_command(const CoverageCli& c, CLI::App& cmd) {
    using namespace yike;
    const engine::CoverageSettings s = coverage_settings(c, cmd);
    const bool show_progress = !g_quiet && ::isatty(2) != 0;
    engine::CoverageNetworks networks;
    const auto data = engine::run_coverage(
        s,
        [&](const std::string& m) {
            if (show_progress) {
                std::cerr << m << "...\n";
            }
        },
        &networks);
    const auto results = engine::evaluate(data);
    engine::ReportOptions options;
    options.layer_format = s.layer_format;
    options.extra_files = html_report_files(networks);
    engine::write_report(s.out, data, results, options);

    print_warnings(data.run.warnings);
    if (!g_quiet) {
        std::size_t pass = 0;
        std::size_t fail = 0;
        for (const auto& t : results.targets) {
            pass += t.overall.status == engine::Status::pass ? 1 : 0;
            fail += t.overall.status == engine::Status::fail ? 1 : 0;
        }
        std::cerr << "coverage against " << data.standard.id << ": " << pass << " target(s) met, " << fail
                  << " not met, " << results.targets.size() - pass - fail << " reported without pass/fail; "
                  << thousands(static_cast<std::uint64_t>(std::llround(results.demand.households))) << " households in "
                  << thousands(results.demand.points) << " demand points\n"
                  << "report: " << (s.out / "summary.md").string() << ", " << (s.out / "report.html").string() << '\n';
    }
    return 0;
}

void add_coverage_options(CLI::App& cmd, CoverageCli& cov) {
    cmd.add_option("--scenario", cov.scenario, "read the settings from a scenario file (TOML); options given here override it");
    cmd.add_option("--osm", cov.osm, "OpenStreetMap extract: walking network, and facilities/buildings/barriers");
    cmd.add_option("--facilities", cov.facilities, "facility layer FILE (category from a field) or FILE=CATEGORY (repeatable)")->take_all();
    cmd.add_option("--category-field", cov.category_field, "field holding the category id (default: category)");
    cmd.add_option("--capacity-field", cov.capacity_field, "field with seats/beds/... (enables 2SFCA)");
    cmd.add_option("--floor-area-field", cov.floor_area_field, "field with floor area in m² (for floor-area ratio targets)");
    cmd.add_option("--staff-field", cov.staff_field, "field with staff numbers (for staffing ratio targets)");
    cmd.add_flag("--no-osm-facilities", cov.no_osm_facilities, "use only the --facilities layers");
    cmd.add_option("--households", cov.households, "demand layer with households/population/seniors/children fields");
    cmd.add_flag("--estimate-households", cov.estimate_households, "estimate households from OSM residential buildings (the default)");
    cmd.add_option("--population-raster", cov.population_raster, "population raster (GeoTIFF...): each cell is a demand point");
    cmd.add_option("--communities", cov.communities, "community (社区) polygons; default: grid cells");
    cmd.add_option("--subdistricts", cov.subdistricts, "sub-district (街道) polygons");
    cmd.add_option("--parent-field", cov.parent_field, "community field naming its sub-district id");
    cmd.add_option("--community-households", cov.community_households_field,
                         "community field with known household counts: estimated households are scaled to match");
    cmd.add_option("--grid", cov.grid_m, "grid cell size in metres when no communities are given (default 500)");
    cmd.add_option("--crs", cov.crs, "CRS of the input layers (EPSG:4326, EPSG:4490, GCJ-02, BD-09, ...), overriding the files'");
    cmd.add_option("--standard", cov.standard, "standard id (see `yike standards list`) or TOML file (default beijing-15min)");
    cmd.add_option("--profile", cov.profile, "walking profile for general targets (default walk)");
    cmd.add_option("--senior-profile", cov.senior_profile, "walking profile for senior targets (default senior)");
    cmd.add_option("--max-snap", cov.max_snap_m, "largest distance (m) from a household or facility to the network (default 300)");
    cmd.add_option("--decay", cov.decay, "floating catchment: none (2SFCA, default) or gaussian (E2SFCA)");
    cmd.add_option("--layers", cov.layers, "layer format in the report: gpkg (default) or geojson");
    cmd.add_option("--threads", cov.threads, "worker threads (default: all cores)");
    cmd.add_option("--out", cov.out, "report folder (replaced atomically when the run succeeds)");
}

// ---- yike evaluate / yike plan --------------------------------------------------------------

struct SitingCli {
    CoverageCli coverage;
    std::vector<std::string> categories;
    std::string target;
    std::string candidates;
    std::optional<double> spacing_m;
    bool only_uncovered = false;
    std::string mask;
    std::string capacity_field;
    std::optional<double> capacity;
    std::optional<std::uint32_t> k;
    std::optional<double> target_share;
    bool exact = false;
};

void add_siting_options(CLI::App& cmd, SitingCli& o) {
    add_coverage_options(cmd, o.coverage);
    cmd.add_option("--candidates", o.candidates, "candidate sites: points or polygons (GeoJSON, GeoPackage, Shapefile, CSV with lon/lat, ...)");
    cmd.add_option("--generate-candidates", o.spacing_m, "generate candidates on the walking network on this spacing (m) inside the study area");
    cmd.add_flag("--only-uncovered", o.only_uncovered, "keep only candidates that would newly cover some demand");
    cmd.add_option("--mask", o.mask, "polygons in which no candidate may lie");
    cmd.add_option("--target", o.target, "the coverage target whose threshold and basis judge the sites (default: the first naming the category)");
    cmd.add_option("--candidate-capacity-field", o.capacity_field, "field of the candidate layer with each site's capacity (in units of the target's basis)");
    cmd.add_option("--capacity", o.capacity, "the same capacity for every candidate (in units of the target's basis)");
    cmd.add_flag("-q,--quiet", g_quiet, "print nothing but errors");
}

yike::engine::SitingSettings siting_settings(const SitingCli& o, CLI::App& cmd) {
    using namespace yike;
    if (o.candidates.empty() == !o.spacing_m.has_value()) {
        throw usage_error("give the candidates with --candidates FILE or --generate-candidates SPACING_M, one of them");
    }
    if (o.spacing_m && (!std::isfinite(*o.spacing_m) || *o.spacing_m < 10 || *o.spacing_m > 10'000)) {
        throw usage_error("--generate-candidates: the spacing must be between 10 and 10,000 m");
    }
    if (o.capacity && (!std::isfinite(*o.capacity) || *o.capacity < 0)) {
        throw usage_error("--capacity: must be a non-negative number");
    }
    if (o.capacity && !o.capacity_field.empty()) {
        throw usage_error("give --capacity or --candidate-capacity-field, not both");
    }
    engine::SitingSettings s;
    s.coverage = coverage_settings(o.coverage, cmd);
    s.candidates.layer = o.candidates;
    s.candidates.spacing_m = o.spacing_m.value_or(0.0);
    s.candidates.only_uncovered = o.only_uncovered;
    s.candidates.mask = o.mask;
    s.candidates.capacity_field = o.capacity_field;
    if (cmd.count("--crs") > 0) {
        s.candidates.crs = o.coverage.crs;
    }
    for (const auto& c : o.categories) {
        if (!c.empty() && std::find(s.categories.begin(), s.categories.end(), c) == s.categories.end()) {
            s.categories.push_back(c);
        }
    }
    s.target = o.target;
    s.capacity = o.capacity;
    return s;
}

// Candidates off the network serve nobody: say how many and why, once.
void warn_unsnapped_candidates(const yike::engine::SitingRun& run) {
    std::size_t unsnapped = 0;
    const yike::engine::Candidate* first = nullptr;
    for (const auto& c : run.candidates) {
        if (!c.walk.origin) {
            ++unsnapped;
            first = first != nullptr ? first : &c;
        }
    }
    if (unsnapped > 0) {
        message("warning: " + std::to_string(unsnapped) + " of " + std::to_string(run.candidates.size()) +
                " candidates could not be snapped to the network and are left out (" + first->id + ": " +
                first->walk.reason + ")");
    }
}

std::function<void(const std::string&)> progress_printer() {
    const bool show = !g_quiet && ::isatty(2) != 0;
    return [show](const std::string& m) {
        if (show) {
            std::cerr << m << "...\n";
        }
    };
}

int run_evaluate_command(const SitingCli& o, CLI::App& cmd) {
    using namespace yike;
    if (o.categories.empty()) {
        throw usage_error("give the category of the new facility with --category ID");
    }
    const auto s = siting_settings(o, cmd);
    const auto run = engine::run_site_evaluation(s, progress_printer());
    engine::write_evaluation(s.coverage.out, run, s);
    print_warnings(run.before.run.warnings);
    warn_unsnapped_candidates(run);
    if (!g_quiet) {
        for (const auto& ev : run.evaluations) {
            const auto& t = run.before.standard.targets[ev.target.target];
            const auto& best = ev.rows.front();
            std::cerr << ev.target.category << " against " << t.id << ": " << ev.rows.size()
                      << " candidates evaluated; the best, " << run.candidates[best.candidate].id << ", newly covers "
                      << fixed(best.newly_covered, 1) << ' ' << (t.basis == engine::Basis::communities ? "households" : std::string(engine::to_string(t.basis)))
                      << " (covered before: " << fixed(100.0 * (ev.target.total_weight > 0 ? ev.target.covered_weight / ev.target.total_weight : 0), 1)
                      << " %)\n";
        }
        std::cerr << "table: " << (s.coverage.out / "evaluation.md").string() << '\n';
    }
    return 0;
}

int run_plan_command(const SitingCli& o, CLI::App& cmd) {
    using namespace yike;
    if (o.k.has_value() == o.target_share.has_value()) {
        throw usage_error("give the number of sites with --k N or the share to reach with --target-share S, one of them");
    }
    if (o.k && *o.k == 0) {
        throw usage_error("--k: plan at least one site");
    }
    if (o.target_share && (!std::isfinite(*o.target_share) || *o.target_share <= 0 || *o.target_share > 1)) {
        throw usage_error("--target-share: a share in (0, 1], e.g. 0.9");
    }
    const bool capacitated = o.capacity.has_value() || !o.capacity_field.empty();
    if (capacitated && o.target_share) {
        throw usage_error("capacity-aware planning chooses --k sites; --target-share is for uncapacitated set covering");
    }
    auto s = siting_settings(o, cmd);
    s.mode = o.target_share ? engine::PlanMode::set_cover
                            : (capacitated ? engine::PlanMode::capacitated : engine::PlanMode::maximal);
    s.k = o.k.value_or(0);
    s.target_share = o.target_share.value_or(0.0);
    s.plan.exact = o.exact;
    const auto run = engine::run_site_plan(s, progress_printer());
    engine::write_plan(s.coverage.out, run, s,
                       html_report_files(*run.networks, &run.after, &run.after_facility_senior, "规划前 Before planning",
                                         "规划后 After planning (" +
                                             std::to_string(run.after.facilities.size() - run.before.facilities.size()) +
                                             " 处新增设施 new sites)"));
    print_warnings(run.before.run.warnings);
    warn_unsnapped_candidates(run);
    if (!g_quiet) {
        for (const auto& plan : run.plans) {
            const auto& ct = plan.target;
            const double total = ct.total_weight > 0 ? ct.total_weight : 1.0;
            std::cerr << ct.category << " against " << run.before.standard.targets[ct.target].id << ": "
                      << plan.sites.size() << " site(s), covered " << fixed(100.0 * ct.covered_weight / total, 1)
                      << " % -> " << fixed(100.0 * plan.covered_after / total, 1) << " %, gap to optimum at most "
                      << fixed(100.0 * plan.result.gap, 1) << " %" << (plan.result.optimal ? " (optimal)" : "") << '\n';
            if (!plan.result.target_reachable) {
                std::cerr << "warning: " << ct.category << ": the target share " << fixed(100.0 * s.target_share, 1)
                          << " % cannot be reached: " << plan.result.unreachable_demand.size()
                          << " demand points are within reach of no candidate and no existing facility\n";
            }
        }
        std::cerr << "plan: " << (s.coverage.out / "plan.md").string() << '\n';
    }
    return 0;
}

// ---- yike render ---------------------------------------------------------------------------

struct RenderCli {
    CoverageCli coverage;
    std::string target;
    std::string map_layers = "areas,uncovered,facilities";
    std::optional<int> width;
    std::optional<int> height;
    std::string paper;
    std::optional<double> dpi;
    bool by_share = false;
    std::string title;
};

// The reach of the target's facilities within its threshold along the network (one multi-source
// search from the facilities' positions in the run), as the isochrones layer.
std::vector<yike::viz::MapBand> target_bands(const yike::routing::WalkGraph& graph, const yike::engine::CoverageData& data,
                                             const yike::engine::Target& t,
                                             const std::vector<std::optional<yike::routing::Origin>>& positions) {
    using namespace yike;
    if (!t.threshold_minutes && !t.threshold_m) {
        return {};
    }
    std::vector<routing::Origin> origins;
    for (std::size_t i = 0; i < data.facilities.size() && i < positions.size(); ++i) {
        const auto& f = data.facilities[i];
        if (std::find(t.categories.begin(), t.categories.end(), f.category) == t.categories.end() || !positions[i]) {
            continue;
        }
        routing::Origin o = *positions[i];
        o.source = static_cast<std::uint32_t>(origins.size());
        origins.push_back(o);
    }
    if (origins.empty()) {
        return {};
    }
    const bool by_time = t.threshold_minutes.has_value();
    const std::array<routing::Cost, 1> budget{static_cast<routing::Cost>(
        std::llround(by_time ? *t.threshold_minutes * 60'000.0 : *t.threshold_m * 100.0))};
    routing::BoundedSearch search(graph);
    auto bands = engine::build_isochrones(search, origins, budget, by_time ? routing::Metric::time_ms : routing::Metric::length_cm);
    const std::string reach = by_time ? io::format_number(*t.threshold_minutes) + " 分钟步行可达|within " +
                                            io::format_number(*t.threshold_minutes) + " min walk of the facilities"
                                      : io::format_number(*t.threshold_m) + " 米步行可达|within " +
                                            io::format_number(*t.threshold_m) + " m walk of the facilities";
    return {yike::viz::MapBand{std::move(bands.front().polygon), reach}};
}

int run_render_command(const RenderCli& o, CLI::App& cmd) {
    using namespace yike;
    const std::filesystem::path out = o.coverage.out;
    if (out.empty()) {
        throw usage_error("give the image file with --out MAP.png, MAP.svg or MAP.pdf");
    }
    const auto format = viz::image_format_for(out);
    if (!format) {
        throw usage_error("--out " + out.string() + ": unknown image format '" + out.extension().string() +
                          "' (use .png, .svg or .pdf)");
    }
    viz::MapRenderOptions mo;
    try {
        mo.layers = viz::parse_map_layers(o.map_layers);
    } catch (const config_error& e) {
        throw usage_error(std::string("--layers: ") + e.what());
    }
    mo.target_id = o.target;
    mo.areas_by_share = o.by_share;
    mo.title = o.title;
    if (!o.paper.empty()) {
        const auto paper = viz::parse_paper_size(o.paper);
        if (!paper) {
            throw usage_error("--paper " + o.paper + ": a4, a3, a4-landscape or a3-landscape");
        }
        if (o.width || o.height) {
            throw usage_error("give --paper (with --dpi) or --width/--height, not both");
        }
        const double dpi = o.dpi.value_or(150.0);
        if (!std::isfinite(dpi) || dpi < 36 || dpi > 1200) {
            throw usage_error("--dpi: between 36 and 1200");
        }
        const auto size = viz::image_size_for_paper(*paper, dpi, *format);
        mo.width = size.width;
        mo.height = size.height;
        mo.scale = size.scale;
    } else {
        if (o.dpi) {
            throw usage_error("--dpi goes with --paper");
        }
        mo.width = o.width.value_or(1600);
        mo.height = o.height.value_or(0);
        if (mo.width < 200 || mo.width > 20'000 || (o.height && (mo.height < 200 || mo.height > 20'000))) {
            throw usage_error("--width/--height: between 200 and 20,000");
        }
    }
    // --layers names map layers here; the report's layer format is not used.
    CoverageCli cov = o.coverage;
    cov.layers = "gpkg";
    const auto s = coverage_settings(cov, cmd);
    // Fail before the run when the target is not in the standard.
    {
        const auto mapping = engine::load_category_mapping(s.category_mapping);
        engine::CoverageData probe;
        probe.standard = engine::load_standard(s.standard, mapping);
        (void)viz::find_target(probe, o.target);
    }
    engine::CoverageNetworks networks;
    const auto data = engine::run_coverage(s, progress_printer(), &networks);
    const auto results = engine::evaluate(data);
    const auto& target = data.standard.targets[viz::find_target(data, o.target)];
    // The network of the group the target serves: its base map and its walking times.
    const bool senior = engine::walking_profile_name(target) == "senior";
    const auto& graph = networks.graph(senior);
    if (std::find(mo.layers.begin(), mo.layers.end(), viz::MapLayer::isochrones) != mo.layers.end()) {
        mo.bands = target_bands(graph, data, target, senior ? networks.facility_senior : networks.facility_walk);
    }
    viz::render_map(out, graph, data, results, mo);
    print_warnings(data.run.warnings);
    message("map: " + out.string());
    return 0;
}

// ---- yike standards ------------------------------------------------------------------------

int run_standards_list() {
    std::cout << yike::engine::describe_standard_list(yike::engine::list_standards());
    return 0;
}

int run_standards_show(const std::string& id) {
    const auto mapping = yike::engine::load_category_mapping();
    const auto standard = yike::engine::load_standard(id, mapping);
    std::cout << yike::engine::describe_standard(standard, mapping);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"yike: which households reach which services within a 15-minute walk"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "yike 0.1.0");
    app.add_flag("-q,--quiet", g_quiet, "print nothing but errors");

    GraphOptions graph_opts;
    auto* graph = app.add_subcommand("graph", "build the walking network of an OSM extract, print its statistics, export it");
    add_network_options(*graph, graph_opts.network);
    graph->add_option("--out", graph_opts.out, "write nodes and edges (.geojson, .gpkg, or .csv + .nodes.csv)");
    graph->add_option("--save", graph_opts.save, "save the built graph as a binary file (.ykg) for --graph");
    graph->add_flag("-q,--quiet", g_quiet, "print nothing but errors");

    IsochroneOptionsCli iso;
    auto* isochrone = app.add_subcommand("isochrone", "walking isochrones from one or many origins");
    add_network_options(*isochrone, iso.network);
    isochrone->add_option("--at", iso.at, "origin LON,LAT in WGS84 degrees (repeatable)")->take_all();
    isochrone->add_option("--points", iso.points, "origins from a point file (GeoJSON, GeoPackage, CSV with lon/lat, ...)");
    isochrone->add_option("--minutes", iso.minutes, "walking-time budgets, e.g. 5,10,15")->delimiter(',');
    isochrone->add_option("--meters", iso.meters, "walking-distance budgets, e.g. 300,500,1000")->delimiter(',');
    isochrone->add_option("--max-snap", iso.max_snap_m, "largest distance (m) from an origin to the network")->capture_default_str();
    isochrone->add_option("--buffer", iso.poly.buffer_m, "corridor half-width (m) around the reached network")->capture_default_str();
    isochrone->add_option("--fill-holes", iso.poly.fill_holes_below_m2, "fill holes smaller than this (m²); 0 keeps all")->capture_default_str();
    isochrone->add_flag("--disjoint", iso.poly.disjoint_bands, "write bands as disjoint rings instead of nested polygons");
    isochrone->add_flag("--network", iso.network_lines, "also write the reached network as lines, with the time each part is reached");
    isochrone->add_option("--threads", iso.threads, "worker threads for many origins (default: all cores)");
    isochrone->add_option("--svg", iso.svg, "also draw a map of the first origin's bands (.svg)");
    isochrone->add_option("--out", iso.out, "output file (.geojson or .gpkg), or - for GeoJSON on stdout")->required();
    isochrone->add_flag("-q,--quiet", g_quiet, "print nothing but errors");

    CoverageCli cov;
    auto* coverage = app.add_subcommand("coverage", "coverage and gap report of households against a planning standard");
    add_coverage_options(*coverage, cov);
    coverage->add_flag("-q,--quiet", g_quiet, "print nothing but errors");

    SitingCli eval_opts;
    auto* evaluate = app.add_subcommand("evaluate", "evaluate candidate sites: the demand each would newly bring within a target's threshold");
    evaluate->add_option("--category", eval_opts.categories, "category of the new facility (see `yike standards show`)")->delimiter(',');
    add_siting_options(*evaluate, eval_opts);

    SitingCli plan_opts;
    auto* plan = app.add_subcommand("plan", "choose new sites that close the gaps: best k sites, or fewest reaching a share");
    plan->add_option("--categories,--category", plan_opts.categories, "categories to plan, each separately (default: every category of the standard's coverage targets)")->delimiter(',');
    plan->add_option("--k", plan_opts.k, "number of new sites per category (maximal covering)");
    plan->add_option("--target-share", plan_opts.target_share, "fewest sites so that this share of the target's basis is covered (set covering)");
    plan->add_flag("--exact", plan_opts.exact, "solve exactly (integer program; small instances)");
    add_siting_options(*plan, plan_opts);

    RenderCli render_opts;
    auto* render = app.add_subcommand("render", "draw a map image (PNG, SVG, PDF) of one target of a coverage run, for printed reports");
    add_coverage_options(*render, render_opts.coverage);
    render->remove_option(render->get_option("--layers"));
    render->remove_option(render->get_option("--out"));
    render->add_option("--target", render_opts.target, "target id of the standard to draw (see `yike standards show`)")->required();
    render->add_option("--layers", render_opts.map_layers, "map layers: areas, uncovered, demand, facilities, isochrones (comma-separated)")->capture_default_str();
    render->add_flag("--by-share", render_opts.by_share, "colour areas by achieved share instead of pass/fail");
    render->add_option("--width", render_opts.width, "image width (PNG: pixels, SVG/PDF: points; default 1600)");
    render->add_option("--height", render_opts.height, "image height (default: from the map's extent)");
    render->add_option("--paper", render_opts.paper, "paper size instead of --width/--height: a4, a3, a4-landscape, a3-landscape");
    render->add_option("--dpi", render_opts.dpi, "resolution of a PNG with --paper (default 150)");
    render->add_option("--title", render_opts.title, "title (default: the target's Chinese and English names)");
    render->add_option("--out", render_opts.coverage.out, "image file: .png, .svg or .pdf (written atomically)")->required();
    render->add_flag("-q,--quiet", g_quiet, "print nothing but errors");

    CoverageCli serve_coverage;
    yike::cli::ServeCli serve_opts;
    auto* serve = app.add_subcommand("serve", "local web planner: isochrones on click, add/move/remove facilities, live target table");
    add_coverage_options(*serve, serve_coverage);
    serve->remove_option(serve->get_option("--out"));
    serve->remove_option(serve->get_option("--layers"));
    yike::cli::add_serve_options(*serve, serve_opts);
    serve->add_flag("-q,--quiet", g_quiet, "print nothing but errors (and the address)");

    auto* standards = app.add_subcommand("standards", "the planning standards yike ships (list, show ID)");
    standards->require_subcommand(1);
    auto* standards_list = standards->add_subcommand("list", "list the shipped standards");
    std::string standard_id;
    auto* standards_show = standards->add_subcommand("show", "print a standard's targets (an id from `list`, or a TOML file)");
    standards_show->add_option("id", standard_id, "standard id or file")->required();

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "yike: error: " << e.what() << " (see yike --help)\n";
        return 2;
    }

    try {
        if (graph->parsed()) {
            return run_graph(graph_opts);
        }
        if (isochrone->parsed()) {
            return run_isochrone(iso);
        }
        if (coverage->parsed()) {
            return run_coverage_command(cov, *coverage);
        }
        if (evaluate->parsed()) {
            return run_evaluate_command(eval_opts, *evaluate);
        }
        if (plan->parsed()) {
            return run_plan_command(plan_opts, *plan);
        }
        if (render->parsed()) {
            return run_render_command(render_opts, *render);
        }
        if (serve->parsed()) {
            return yike::cli::run_serve(coverage_settings(serve_coverage, *serve, false), serve_opts, g_quiet);
        }
        if (standards_list->parsed()) {
            return run_standards_list();
        }
        if (standards_show->parsed()) {
            return run_standards_show(standard_id);
        }
    } catch (const usage_error& e) {
        std::cerr << "yike: error: " << e.what() << '\n';
        return 2;
    } catch (const yike::error& e) {
        std::cerr << "yike: error: " << e.what() << '\n';
        return 1;
    } catch (const std::bad_alloc&) {
        std::cerr << "yike: error: out of memory\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "yike: internal error: " << e.what() << '\n';
        return 1;
    }
    return 2;
}
