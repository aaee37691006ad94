// yike.Network: a walking network (from OSM or a graph file) with its nodes and edges as tables,
// isochrones from many origins on worker threads and nearest-source costs, all with the GIL
// released while the engine works. The same engine calls as `yike graph` and `yike isochrone`.
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "convert.hpp"
#include "yike/engine/category_cost.hpp"
#include "yike/engine/coverage.hpp"
#include "yike/engine/isochrone.hpp"
#include "yike/io/inputs.hpp"
#include "yike/io/network_file.hpp"
#include "yike/io/osm_network.hpp"
#include "yike/io/point_reader.hpp"
#include "yike/io/profile.hpp"
#include "yike/routing/search.hpp"
#include "yike/routing/snap.hpp"
#include "yike/viz/isochrone_features.hpp"

namespace yike::python {
namespace {

using routing::coordinate_precision;

struct OriginInput {
    std::string id;
    routing::LonLat lonlat;
};


routing::LonLat checked_lonlat(double lon, double lat, const char* what) {
    if (!std::isfinite(lon) || !std::isfinite(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90) {
        throw usage_error(std::string(what) + ": (" + io::format_number(lon) + ", " + io::format_number(lat) +
                          ") is outside lon/lat bounds (give lon, lat in degrees, longitude first)");
    }
    return {lon, lat};
}

} // namespace

class Network {
public:
    Network(io::WalkNetwork net, std::string source) : m_net(std::move(net)), m_source(std::move(source)) {
        m_snapper = std::make_unique<routing::Snapper>(m_net.graph);
    }

    static std::unique_ptr<Network> from_osm(const std::string& path, const std::string& profile_name,
                                             std::optional<double> speed, bool barriers) {
        std::unique_ptr<Network> out;
        std::vector<std::string> warnings;
        {
            py::gil_scoped_release release;
            auto profile = io::load_profile(profile_name);
            if (speed) profile = io::with_speed(profile, *speed);
            auto net = io::read_walk_network(path, profile);
            if (net.report.missing_nodes > 0) warnings.push_back(io::missing_nodes_text(path, net.report));
            out = std::make_unique<Network>(std::move(net), path);
            // Isochrones stop at walls, water edges, railways and motorways, as `yike isochrone --osm` does.
            if (barriers) out->m_barriers = engine::IsochroneBarriers(io::read_osm_barriers(path));
        }
        out->m_warnings = std::move(warnings);
        return out;
    }

    static std::unique_ptr<Network> from_graph_file(const std::string& path) {
        py::gil_scoped_release release;
        return std::make_unique<Network>(io::load_walk_network(path), path);
    }

    void save(const std::string& path) const {
        py::gil_scoped_release release;
        io::save_walk_network(path, m_net);
    }

    [[nodiscard]] const routing::WalkGraph& graph() const noexcept { return m_net.graph; }

    py::dict info() const {
        const auto& g = m_net.graph;
        const auto& r = m_net.report;
        double length_m = 0;
        for (std::uint32_t e = 0; e < g.edge_count(); ++e) length_m += g.edge_length_cm[e] / 100.0;
        py::dict d;
        d["source"] = m_source;
        d["profile"] = m_net.profile_name;
        d["speed_m_per_s"] = g.walk_speed_mm_per_s / 1000.0;
        d["nodes"] = g.node_count();
        d["edges"] = g.edge_count();
        d["length_m"] = length_m;
        d["ways_read"] = r.ways_read;
        d["walkable_ways"] = r.walkable_ways;
        d["walkable_way_nodes"] = r.walkable_way_nodes;
        d["components"] = r.component_count;
        d["largest_component_nodes"] = r.largest_component_nodes;
        d["missing_nodes"] = r.missing_nodes;
        d["blocking_barriers"] = r.blocking_barriers;
        d["memory_bytes"] = g.memory_bytes();
        return d;
    }

    // The columns of `yike graph --out`'s nodes layer.
    py::tuple nodes() const {
        const auto& g = m_net.graph;
        const std::uint32_t n = g.node_count();
        std::vector<std::int64_t> node(n), osm(g.node_osm_id.begin(), g.node_osm_id.end());
        std::vector<double> lon(n), lat(n);
        for (std::uint32_t u = 0; u < n; ++u) {
            node[u] = u;
            lon[u] = g.node_lon_e7[u] / coordinate_precision;
            lat[u] = g.node_lat_e7[u] / coordinate_precision;
        }
        py::dict columns;
        columns["node"] = to_array(std::move(node));
        columns["osm_id"] = to_array(std::move(osm));
        return py::make_tuple(columns, to_array(std::move(lon)), to_array(std::move(lat)));
    }

    // The columns of `yike graph --out`'s edges layer, geometry as WKB line strings.
    py::tuple edges() const {
        const auto& g = m_net.graph;
        const std::uint32_t m = g.edge_count();
        std::vector<std::int64_t> edge(m), from(m), to(m), from_osm(m), to_osm(m), way(m), length_cm(m), time_ms(m);
        std::vector<double> length_m(m);
        py::list geometry(m);
        for (std::uint32_t e = 0; e < m; ++e) {
            edge[e] = e;
            from[e] = g.edge_tail[e];
            to[e] = g.edge_head[e];
            from_osm[e] = g.node_osm_id[g.edge_tail[e]];
            to_osm[e] = g.node_osm_id[g.edge_head[e]];
            way[e] = g.edge_way_id[e];
            length_m[e] = g.edge_length_cm[e] / 100.0;
            length_cm[e] = g.edge_length_cm[e];
            time_ms[e] = g.edge_time_ms[e];
            io::LineGeometry line;
            for (std::uint32_t k = g.edge_first_point[e]; k < g.edge_first_point[e + 1]; ++k) {
                line.points.push_back({g.point_lon_e7[k] / coordinate_precision, g.point_lat_e7[k] / coordinate_precision});
            }
            geometry[e] = py::bytes(to_wkb(line));
        }
        py::dict columns;
        columns["edge"] = to_array(std::move(edge));
        columns["from_node"] = to_array(std::move(from));
        columns["to_node"] = to_array(std::move(to));
        columns["from_osm_id"] = to_array(std::move(from_osm));
        columns["to_osm_id"] = to_array(std::move(to_osm));
        columns["way_id"] = to_array(std::move(way));
        columns["length_m"] = to_array(std::move(length_m));
        columns["length_cm"] = to_array(std::move(length_cm));
        columns["time_ms"] = to_array(std::move(time_ms));
        return py::make_tuple(columns, geometry);
    }

    // The features `yike isochrone` writes (layers isochrones and, with network_lines,
    // reached_network) for origins given as (id, lon, lat) or read from a point file.
    py::tuple isochrones(std::vector<std::tuple<std::string, double, double>> given, const std::string& points_path,
                         std::vector<double> budgets_in, bool by_time, bool disjoint, double max_snap_m,
                         double buffer_m, double fill_holes_m2, bool network_lines, std::optional<unsigned> threads) const {
        const char* unit_name = by_time ? "minutes" : "meters";
        if (budgets_in.empty()) throw usage_error(std::string(unit_name) + ": give at least one budget");
        for (const double b : budgets_in) {
            if (!std::isfinite(b) || b <= 0) {
                throw usage_error(std::string(unit_name) + ": every budget must be a positive number (got " +
                                  io::format_number(b) + ")");
            }
            if (b > (by_time ? 600.0 : 50'000.0)) {
                throw usage_error(std::string(unit_name) + ": " + io::format_number(b) +
                                  " is beyond the supported maximum (" + (by_time ? "600 minutes" : "50,000 m") + ")");
            }
        }
        if (!std::isfinite(max_snap_m) || max_snap_m < 0) throw usage_error("max_snap: must be a non-negative number of metres");
        std::sort(budgets_in.begin(), budgets_in.end());
        budgets_in.erase(std::unique(budgets_in.begin(), budgets_in.end()), budgets_in.end());
        std::vector<routing::Cost> budgets;
        const routing::Metric metric = by_time ? routing::Metric::time_ms : routing::Metric::length_cm;
        for (const double b : budgets_in) budgets.push_back(engine::threshold_budget(b, metric));
        engine::IsochroneOptions poly;
        poly.buffer_m = buffer_m;
        poly.fill_holes_below_m2 = fill_holes_m2;
        poly.disjoint_bands = disjoint;
        poly.barriers = &m_barriers;
        engine::validate(poly);

        std::vector<OriginInput> origins;
        for (std::size_t i = 0; i < given.size(); ++i) {
            const auto& [id, lon, lat] = given[i];
            origins.push_back({id, checked_lonlat(lon, lat, "points")});
        }
        std::vector<std::string> warnings;
        TableBuilder polygons;
        TableBuilder lines;
        {
            py::gil_scoped_release release;
            if (!points_path.empty()) {
                io::PointReadReport rep;
                // FILE[:SHEET][@CRS], as `yike isochrone --points` takes it.
                const io::LayerSpec spec = io::parse_layer_spec(points_path);
                io::LayerOptions layer;
                layer.layer = spec.layer;
                layer.crs = spec.crs;
                for (auto& p : io::read_points(spec.path, layer, &rep)) origins.push_back({std::move(p.id), p.lonlat});
                if (rep.skipped_without_geometry > 0) {
                    warnings.push_back(points_path + ": " + std::to_string(rep.skipped_without_geometry) +
                                       " features without geometry skipped");
                }
            }
            if (origins.empty()) throw usage_error("points: give at least one origin");
            const auto& graph = m_net.graph;
            std::vector<routing::LonLat> points;
            points.reserve(origins.size());
            for (const auto& in : origins) points.push_back(in.lonlat);
            const auto results = engine::isochrones_from_points(graph, *m_snapper, points, budgets, metric, poly,
                                                                max_snap_m, network_lines, threads.value_or(0));
            if (origins.size() == 1 && !results[0].snap) {
                throw data_error(m_source + ": origin " + origins[0].id + " (" + io::format_number(origins[0].lonlat.lon) +
                                 "," + io::format_number(origins[0].lonlat.lat) + ") is off the network: " +
                                 results[0].error + " (max_snap sets the limit)");
            }
            const viz::IsochroneFeatureOptions feature_options{budgets_in, by_time, disjoint, m_net.profile_name};
            std::vector<io::Feature> band_features, span_features;
            for (std::size_t i = 0; i < origins.size(); ++i) {
                const auto& r = results[i];
                const auto& in = origins[i];
                if (!r.snap) {
                    warnings.push_back("origin " + in.id + " (" + io::format_number(in.lonlat.lon) + "," +
                                       io::format_number(in.lonlat.lat) + ") skipped: " + r.error);
                    polygons.add(viz::skipped_origin_feature(in.id, in.lonlat, r.error));
                    continue;
                }
                band_features.clear();
                span_features.clear();
                viz::add_isochrone_features(graph, in.id, in.lonlat, r, feature_options, band_features, span_features);
                for (const auto& f : band_features) polygons.add(f);
                for (const auto& f : span_features) lines.add(f);
            }
        }
        return py::make_tuple(polygons.take(), network_lines ? py::object(lines.take()) : py::object(py::none()), warnings);
    }

    // Nearest-source costs (ms or cm, -1 where none within the limit) and the source's index:
    // per node of the graph, or per target point. Sources and targets are snapped as origins of
    // `yike isochrone` are; an unsnappable source is an error, an unsnappable target has no cost.
    py::tuple distances(const std::vector<std::pair<double, double>>& sources,
                        const std::optional<std::vector<std::pair<double, double>>>& targets, bool by_time,
                        std::optional<double> limit, double max_snap_m) const {
        if (sources.empty()) throw usage_error("sources: give at least one source point");
        if (!std::isfinite(max_snap_m) || max_snap_m < 0) throw usage_error("max_snap: must be a non-negative number of metres");
        const routing::Metric metric = by_time ? routing::Metric::time_ms : routing::Metric::length_cm;
        routing::Cost budget = routing::inf_cost - 1;
        if (limit) {
            const char* name = by_time ? "max_minutes" : "max_meters";
            if (!std::isfinite(*limit) || *limit <= 0) throw usage_error(std::string(name) + ": must be a positive number");
            const double units = by_time ? *limit * 60'000.0 : *limit * 100.0;
            if (units >= static_cast<double>(routing::inf_cost)) throw usage_error(std::string(name) + ": too large");
            budget = engine::threshold_budget(*limit, metric);
        }
        std::vector<routing::LonLat> source_points, target_points;
        for (const auto& [lon, lat] : sources) source_points.push_back(checked_lonlat(lon, lat, "sources"));
        if (targets) {
            for (const auto& [lon, lat] : *targets) target_points.push_back(checked_lonlat(lon, lat, "targets"));
        }
        std::vector<std::int64_t> cost, source;
        {
            py::gil_scoped_release release;
            const auto& graph = m_net.graph;
            std::vector<std::optional<routing::Origin>> origins;
            for (std::uint32_t i = 0; i < source_points.size(); ++i) {
                const auto snap = m_snapper->nearest(graph.projection.forward(source_points[i]), max_snap_m);
                if (!snap) {
                    throw data_error(m_source + ": source " + std::to_string(i) + " (" + io::format_number(source_points[i].lon) +
                                     "," + io::format_number(source_points[i].lat) + ") is off the network: no walkable street within " +
                                     io::format_number(max_snap_m) + " m (max_snap sets the limit)");
                }
                origins.push_back(routing::origin_from_snap(*snap, i));
            }
            routing::BoundedSearch search(graph);
            auto put = [&](routing::Cost c, std::uint32_t s) {
                const bool reached = c != routing::inf_cost && c <= budget;
                cost.push_back(reached ? std::int64_t{c} : -1);
                source.push_back(reached ? std::int64_t{s} : -1);
            };
            if (!targets) {
                std::vector<routing::Origin> starts;
                for (const auto& o : origins) starts.push_back(*o);
                search.run(std::span<const routing::Origin>(starts), budget, metric);
                cost.reserve(graph.node_count());
                source.reserve(graph.node_count());
                for (routing::NodeId u = 0; u < graph.node_count(); ++u) put(search.distance(u), search.source(u));
            } else {
                std::vector<std::optional<routing::Origin>> demand;
                for (std::uint32_t i = 0; i < target_points.size(); ++i) {
                    const auto snap = m_snapper->nearest(graph.projection.forward(target_points[i]), max_snap_m);
                    demand.push_back(snap ? std::optional<routing::Origin>(routing::origin_from_snap(*snap, i)) : std::nullopt);
                }
                const auto nearest = engine::nearest_facilities(search, demand, origins, metric, budget);
                for (std::size_t i = 0; i < demand.size(); ++i) put(nearest.cost[i], nearest.facility[i]);
            }
        }
        return py::make_tuple(to_array(std::move(cost)), to_array(std::move(source)));
    }

    [[nodiscard]] const std::vector<std::string>& warnings() const noexcept { return m_warnings; }

private:
    io::WalkNetwork m_net;
    std::string m_source;
    std::unique_ptr<routing::Snapper> m_snapper;
    engine::IsochroneBarriers m_barriers; // empty for a graph file, which holds only the network
    std::vector<std::string> m_warnings;
};

void bind_network(py::module_& m) {
    py::class_<Network>(m, "Network")
        .def_static("from_osm", &Network::from_osm, py::arg("path"), py::arg("profile") = "walk", py::arg("speed") = py::none(),
                    py::arg("barriers") = true)
        .def_static("from_graph_file", &Network::from_graph_file, py::arg("path"))
        .def("save", &Network::save, py::arg("path"))
        .def("info", &Network::info)
        .def("nodes", &Network::nodes)
        .def("edges", &Network::edges)
        .def("isochrones", &Network::isochrones, py::arg("origins"), py::arg("points_path"), py::arg("budgets"),
             py::arg("by_time"), py::arg("disjoint"), py::arg("max_snap"), py::arg("buffer"), py::arg("fill_holes"),
             py::arg("network_lines"), py::arg("threads"))
        .def("distances", &Network::distances, py::arg("sources"), py::arg("targets"), py::arg("by_time"), py::arg("limit"),
             py::arg("max_snap"))
        .def_property_readonly("warnings", &Network::warnings);
}

} // namespace yike::python
