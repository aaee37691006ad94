#include "network_options.hpp"

#include "arguments.hpp"
#include "common.hpp"
#include "yike/io/network_file.hpp"

#include <optional>

namespace yike::cli {

void add_network_options(CLI::App& cmd, NetworkOptions& o) {
    cmd.add_option("--osm", o.osm, "OpenStreetMap extract (.osm.pbf, .osm, .osm.gz, .osm.bz2)");
    cmd.add_option("--graph", o.graph, "graph file written by `yike graph --save` (instead of --osm; skips the OSM parse)");
    o.profile_option = cmd.add_option("--profile", o.profile, "walking profile: walk, senior, wheelchair, or a TOML file")->capture_default_str();
    cmd.add_option("--speed", o.speed_m_per_s, "override the profile's walking speed (m/s)");
    cmd.add_option("--dem", o.dem, "elevation model (GeoTIFF, ASC, HGT, any GDAL raster): uphill and downhill walking times per the profile's [slope] rules");
}

io::WalkNetwork load_network(const NetworkOptions& o, io::WalkProfile& profile) {
    if (o.osm.empty() == o.graph.empty()) {
        throw usage_error("give the walking network with --osm FILE or --graph FILE, one of them");
    }
    if (!o.graph.empty()) {
        if (o.profile_option->count() > 0 || o.speed_m_per_s || !o.dem.empty()) {
            throw usage_error("--graph " + o.graph +
                              ": the profile, speed and slopes were fixed when the graph was saved; drop --profile/--speed/--dem");
        }
        auto net = io::load_walk_network(o.graph);
        profile.name = net.profile_name;
        profile.speed_mm_per_s = net.graph.walk_speed_mm_per_s;
        return net;
    }
    profile = io::load_profile(o.profile);
    if (o.speed_m_per_s) {
        profile = io::with_speed(profile, *o.speed_m_per_s);
    }
    std::optional<io::ElevationModel> dem;
    if (!o.dem.empty()) {
        dem.emplace(o.dem); // checked before the extract is read
    }
    auto net = io::read_walk_network(o.osm, profile, dem ? &*dem : nullptr);
    if (net.report.missing_nodes > 0) {
        message("warning: " + io::missing_nodes_text(o.osm, net.report));
    }
    if (dem) {
        if (const std::string text = io::slope_warning_text(*dem, net.report.slope); !text.empty()) {
            message("warning: " + text);
        }
    }
    return net;
}

} // namespace yike::cli
