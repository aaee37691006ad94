// `yike isochrone`: walking isochrones from one or many origins, on worker threads.
#include <algorithm>
#include <cmath>
#include <exception>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "arguments.hpp"
#include "command.hpp"
#include "common.hpp"
#include "network_options.hpp"
#include "yike/io/output_folder.hpp"
#include "yike/engine/category_cost.hpp"
#include "yike/engine/isochrone.hpp"
#include "yike/io/feature_writer.hpp"
#include "yike/io/inputs.hpp"
#include "yike/io/point_reader.hpp"
#include "yike/routing/search.hpp"
#include "yike/routing/snap.hpp"
#include "yike/viz/isochrone_features.hpp"
#include "yike/viz/svg_map.hpp"

namespace yike::cli {
namespace {

struct IsochroneOptionsCli {
    NetworkOptions network;
    std::vector<std::string> at;
    std::string points;
    std::string encoding;
    std::vector<double> minutes;
    std::vector<double> meters;
    double max_snap_m = routing::default_max_snap_m;
    engine::IsochroneOptions poly;
    bool network_lines = false;
    bool no_barriers = false;
    unsigned threads = 0;
    std::string out;
    std::string svg;
};

struct OriginInput {
    std::string id;
    routing::LonLat lonlat;
};


void run_isochrone(IsochroneOptionsCli& o) {
    using namespace yike;
    if (o.at.empty() == o.points.empty()) {
        throw usage_error("give the origins with --at LON,LAT (repeatable) or --points FILE, not both");
    }
    if (!o.encoding.empty()) {
        if (o.points.empty()) throw usage_error("--encoding is the text encoding of a --points file: give --points");
        try {
            io::check_encoding_name(o.encoding, "--encoding");
        } catch (const config_error& e) {
            throw usage_error(e.what());
        }
    }
    if (o.minutes.empty() == o.meters.empty()) {
        throw usage_error("give the budgets with --minutes or --meters (comma-separated), one of them");
    }
    // Option values out of range are bad usage (exit 2), like the budgets below, not bad data.
    if (!std::isfinite(o.poly.buffer_m) || o.poly.buffer_m <= 0 || o.poly.buffer_m > 1000) {
        throw usage_error("--buffer: the corridor half-width must be in (0, 1000] m");
    }
    if (!std::isfinite(o.poly.fill_holes_below_m2) || o.poly.fill_holes_below_m2 < 0) {
        throw usage_error("--fill-holes: the hole area must be a number >= 0 m² (0 keeps every hole)");
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
    const routing::Metric metric = by_time ? routing::Metric::time_ms : routing::Metric::length_cm;
    for (const double b : budgets_in) {
        budgets.push_back(engine::threshold_budget(b, metric));
    }
    if (!std::isfinite(o.max_snap_m) || o.max_snap_m < 0) {
        throw usage_error("--max-snap: must be a non-negative number of metres");
    }
    engine::validate(o.poly);
    if (!o.svg.empty() && std::filesystem::path(o.svg).extension() != ".svg") {
        throw usage_error("--svg " + o.svg + ": the map is written as .svg");
    }
    {
        auto inputs = o.network.input_files();
        inputs.emplace_back(io::parse_layer_spec(o.points).path);
        if (o.out != "-") io::check_output_file(o.out, inputs);
        if (!o.svg.empty()) io::check_output_file(o.svg, inputs);
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
        // FILE[:SHEET][@CRS], like every layer option (shops.xlsx:门店@GCJ-02).
        const io::LayerSpec spec = io::parse_layer_spec(o.points);
        io::LayerOptions layer;
        layer.layer = spec.layer;
        layer.crs = spec.crs;
        layer.encoding = o.encoding;
        io::PointReadReport rep;
        for (auto& p : io::read_points(spec.path, layer, &rep)) {
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
    // Polygons stop at walls, fences, water edges, railways and motorways the walk did not cross
    // (doc/isochrones.md). The lines come from the extract; a graph file holds only the network.
    engine::IsochroneBarriers barriers;
    if (!o.network.osm.empty() && !o.no_barriers) {
        barriers = engine::IsochroneBarriers(io::read_osm_barriers(o.network.osm));
        o.poly.barriers = &barriers;
    }

    std::vector<routing::LonLat> points;
    points.reserve(origins.size());
    for (const auto& in : origins) points.push_back(in.lonlat);
    Progress progress("isochrones", origins.size());
    const auto results = engine::isochrones_from_points(graph, snapper, points, budgets, metric, o.poly, o.max_snap_m,
                                                        o.network_lines, o.threads, [&] { progress.step(); });

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
    const viz::IsochroneFeatureOptions feature_options{budgets_in, by_time, o.poly.disjoint_bands, profile.name};
    for (std::size_t i = 0; i < origins.size(); ++i) {
        const auto& r = results[i];
        const auto& in = origins[i];
        if (!r.snap) {
            ++skipped;
            message("warning: origin " + in.id + " (" + io::format_number(in.lonlat.lon) + "," +
                    io::format_number(in.lonlat.lat) + ") skipped: " + r.error);
            polygons.features.push_back(viz::skipped_origin_feature(in.id, in.lonlat, r.error));
            continue;
        }
        viz::add_isochrone_features(graph, in.id, in.lonlat, r, feature_options, polygons.features, lines.features);
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
}

} // namespace

Command add_isochrone_command(CLI::App& app) {
    const auto [isochrone, iso] = add_subcommand<IsochroneOptionsCli>(app, "isochrone", "walking isochrones from one or many origins");
    add_network_options(*isochrone, iso->network);
    isochrone->add_option("--at", iso->at, "origin LON,LAT in WGS84 degrees (repeatable)")->take_all();
    isochrone->add_option("--points", iso->points,
                          "origins from a point file: GeoJSON, GeoPackage, CSV with lon/lat (UTF-8 or GBK), an Excel "
                          "sheet; FILE[:SHEET][@CRS], e.g. shops.xlsx:门店@GCJ-02 (no CRS: WGS84)");
    isochrone->add_option("--encoding", iso->encoding, "text encoding of a CSV --points file: auto (default), utf-8, gbk, gb18030");
    isochrone->add_option("--minutes", iso->minutes, "walking-time budgets, e.g. 5,10,15")->delimiter(',');
    isochrone->add_option("--meters", iso->meters, "walking-distance budgets, e.g. 300,500,1000")->delimiter(',');
    isochrone->add_option("--max-snap", iso->max_snap_m, "largest distance (m) from an origin to the network")->capture_default_str();
    isochrone->add_option("--buffer", iso->poly.buffer_m, "corridor half-width (m) around the reached network")->capture_default_str();
    isochrone->add_option("--fill-holes", iso->poly.fill_holes_below_m2, "fill holes smaller than this (m²); 0 keeps all")->capture_default_str();
    isochrone->add_flag("--disjoint", iso->poly.disjoint_bands, "write bands as disjoint rings instead of nested polygons");
    isochrone->add_flag("--no-barriers", iso->no_barriers,
                        "do not clip polygons at walls, water edges, railways and motorways (with --osm; a --graph "
                        "file carries no barriers)");
    isochrone->add_flag("--network", iso->network_lines, "also write the reached network as lines, with the time each part is reached");
    isochrone->add_option("--threads", iso->threads, "worker threads for many origins (default: all cores)");
    isochrone->add_option("--svg", iso->svg, "also draw a map of the first origin's bands (.svg)");
    isochrone->add_option("--out", iso->out, "output file (.geojson or .gpkg), or - for GeoJSON on stdout")->required();
    isochrone->add_flag("-q,--quiet", g_quiet, "print nothing but errors");
    return runs(isochrone, iso, run_isochrone);
}

} // namespace yike::cli
