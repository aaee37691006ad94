// `yike graph`: the walking network of an extract, its statistics, its export and graph file.
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "command.hpp"
#include "common.hpp"
#include "network_options.hpp"
#include "yike/io/output_folder.hpp"
#include "yike/io/feature_writer.hpp"
#include "yike/io/network_file.hpp"

namespace yike::cli {
namespace {

struct GraphOptions {
    NetworkOptions network;
    std::string out;
    std::string save;
};

std::vector<io::Layer> graph_layers(const routing::WalkGraph& g) {
    using io::Feature;
    using routing::coordinate_precision;
    io::Layer nodes{"nodes", {}};
    nodes.features.reserve(g.node_count());
    for (std::uint32_t u = 0; u < g.node_count(); ++u) {
        nodes.features.push_back(Feature{
            io::PointGeometry{{g.node_lon_e7[u] / coordinate_precision, g.node_lat_e7[u] / coordinate_precision}},
            {{"node", std::int64_t{u}}, {"osm_id", g.node_osm_id[u]}}});
    }
    io::Layer edges{"edges", {}};
    edges.features.reserve(g.edge_count());
    for (std::uint32_t e = 0; e < g.edge_count(); ++e) {
        io::LineGeometry line;
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
        if (g.has_directional_times()) {
            // With a DEM, time_ms is from_node -> to_node and this the way back.
            edges.features.back().properties.emplace_back("time_back_ms", std::int64_t{g.edge_back_time_ms[e]});
        }
    }
    return {std::move(edges), std::move(nodes)};
}

void run_graph(const GraphOptions& o) {
    io::WalkProfile profile;
    if (!o.out.empty()) {
        (void)io::format_for_path(o.out); // reject a bad format before the work
        io::check_output_file(o.out, o.network.input_files());
    }
    if (!o.save.empty()) io::check_output_file(o.save, o.network.input_files());
    const auto net = load_network(o.network, profile);
    const auto& g = net.graph;
    const auto& r = net.report;
    double length_m = 0;
    for (std::uint32_t e = 0; e < g.edge_count(); ++e) {
        length_m += g.edge_length_cm[e] / 100.0;
    }
    if (!o.out.empty()) {
        io::write_layers(o.out, graph_layers(g));
    }
    if (!o.save.empty()) {
        io::save_walk_network(o.save, net);
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
          << "  blocking barriers     " << thousands(r.blocking_barriers) << '\n';
        if (r.slope.segments > 0) { // only with --dem, so runs without one print what they always did
            s << "  slope (DEM)           " << thousands(r.slope.segments) << " way segments sampled, steepest "
              << fixed(r.slope.steepest_percent, 1) << " %; " << thousands(r.slope.segments_without_height)
              << " without height (flat), " << thousands(r.slope.segments_too_steep) << " cut as too steep\n";
        }
        s << "  graph memory          " << fixed(static_cast<double>(g.memory_bytes()) / 1048576.0, 2) << " MiB ("
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
}

} // namespace

Command add_graph_command(CLI::App& app) {
    const auto [graph, o] = add_subcommand<GraphOptions>(app, "graph", "build the walking network of an OSM extract, print its statistics, export it");
    add_network_options(*graph, o->network);
    graph->add_option("--out", o->out, "write nodes and edges (.geojson, .gpkg, or .csv + .nodes.csv)");
    graph->add_option("--save", o->save, "save the built graph as a binary file (.ykg) for --graph");
    graph->add_flag("-q,--quiet", g_quiet, "print nothing but errors");
    return runs(graph, o, run_graph);
}

} // namespace yike::cli
