#include "yike/engine/tiles.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <type_traits>

#include "detail/tile_cut.hpp"
#include "yike/engine/coverage_run.hpp"
#include "yike/engine/report.hpp"
#include "yike/error.hpp"
#include "yike/assert.hpp"

namespace yike::engine {

// ---- grid ----------------------------------------------------------------------------------

namespace {

// Fewer metres per degree than anywhere on the WGS84 ellipsoid (a meridian degree is 110,574 m
// at the equator and more elsewhere), so a box widened by d / kMetresPerDegree degrees holds every
// point within d metres.
constexpr double kMetresPerDegree = 110'000.0;

std::uint32_t clamp_cell(double v, std::uint32_t n) noexcept {
    if (!(v >= 0.0)) { // also NaN: a point without coordinates belongs to the first tile
        return 0;
    }
    if (v >= static_cast<double>(n)) {
        return n - 1;
    }
    return std::min(static_cast<std::uint32_t>(v), n - 1);
}

bool finite(routing::LonLat p) noexcept {
    return std::isfinite(p.lon) && std::isfinite(p.lat);
}

} // namespace

std::uint32_t TileGrid::tile_of(routing::LonLat p) const noexcept {
    const std::uint32_t col = clamp_cell(std::floor((p.lon - lon0) / dlon), cols);
    const std::uint32_t row = clamp_cell(std::floor((p.lat - lat0) / dlat), rows);
    return row * cols + col;
}

TileGrid make_tile_grid(routing::LonLat lo, routing::LonLat hi, double tile_km) {
    if (!std::isfinite(tile_km) || tile_km < 0.1 || tile_km > 1000.0) {
        throw config_error("--tile-km: must be between 0.1 and 1000 km");
    }
    if (!finite(lo) || !finite(hi) || hi.lon < lo.lon || hi.lat < lo.lat) {
        throw data_error("tiles: the study area has no valid bounds");
    }
    TileGrid g;
    g.lon0 = lo.lon;
    g.lat0 = lo.lat;
    const double mid = std::cos((lo.lat + hi.lat) * 0.5 * M_PI / 180.0);
    g.dlat = tile_km * 1000.0 / 111'320.0;
    g.dlon = g.dlat / std::max(mid, 0.01);
    const double cols = std::max(1.0, std::ceil((hi.lon - lo.lon) / g.dlon));
    const double rows = std::max(1.0, std::ceil((hi.lat - lo.lat) / g.dlat));
    if (cols * rows > 100'000.0) {
        throw config_error("--tile-km " + std::to_string(tile_km) + " gives " + std::to_string(cols * rows) +
                           " tiles (at most 100,000): choose larger tiles");
    }
    g.cols = static_cast<std::uint32_t>(cols);
    g.rows = static_cast<std::uint32_t>(rows);
    return g;
}

TileGrid make_tile_grid(const routing::WalkGraph& graph, double tile_km) {
    if (graph.node_count() == 0) {
        throw data_error("tiles: the walking network is empty; nothing to cut into tiles");
    }
    routing::LonLat lo{180.0, 90.0};
    routing::LonLat hi{-180.0, -90.0};
    for (std::uint32_t u = 0; u < graph.node_count(); ++u) {
        const double lon = graph.node_lon_e7[u] * 1e-7;
        const double lat = graph.node_lat_e7[u] * 1e-7;
        lo = {std::min(lo.lon, lon), std::min(lo.lat, lat)};
        hi = {std::max(hi.lon, lon), std::max(hi.lat, lat)};
    }
    return make_tile_grid(lo, hi, tile_km);
}

// ---- the cut -------------------------------------------------------------------------------

namespace {

struct Box {
    double west = INFINITY;
    double south = INFINITY;
    double east = -INFINITY;
    double north = -INFINITY;
    void add(routing::LonLat p) noexcept {
        if (!finite(p)) return;
        west = std::min(west, p.lon);
        east = std::max(east, p.lon);
        south = std::min(south, p.lat);
        north = std::max(north, p.lat);
    }
    [[nodiscard]] bool empty() const noexcept { return !(west <= east); }
    // Widened by `m` metres in every direction (conservatively: see kMetresPerDegree).
    [[nodiscard]] Box widened(double m) const noexcept {
        Box b;
        if (empty()) return b;
        const double dlat = m / kMetresPerDegree;
        b.south = south - dlat;
        b.north = north + dlat;
        const double worst = std::min(89.0, std::max(std::fabs(b.south), std::fabs(b.north)));
        const double dlon = m / (kMetresPerDegree * std::cos(worst * M_PI / 180.0));
        b.west = west - dlon;
        b.east = east + dlon;
        return b;
    }
    [[nodiscard]] bool contains(routing::LonLat p) const noexcept {
        return p.lon >= west && p.lon <= east && p.lat >= south && p.lat <= north;
    }
    [[nodiscard]] bool contains(const Box& o) const noexcept {
        return o.empty() || (o.west >= west && o.east <= east && o.south >= south && o.north <= north);
    }
    [[nodiscard]] bool intersects(const Box& o) const noexcept {
        return !empty() && !o.empty() && o.west <= east && o.east >= west && o.south <= north && o.north >= south;
    }
};

template <class Site>
Box site_box(const Site& s) {
    Box b;
    b.add(s.location);
    for (const auto& e : s.entrances) b.add(e);
    return b;
}

io::DegreeBox degree_box(const Box& b) {
    io::DegreeBox out;
    if (!b.empty()) out = {b.west, b.south, b.east, b.north};
    return out;
}

} // namespace

namespace detail {

void check_tile_index(const TileWindow& window) {
    if (window.index >= window.grid.count()) {
        throw config_error("--tile-index " + std::to_string(window.index) + ": out of range (the manifest has " +
                           std::to_string(window.grid.count()) + " tiles, 0 to " +
                           std::to_string(window.grid.count() - 1) + ")");
    }
}

TileCut plan_tile(const TileWindow& window, const CoverageData& data, double fastest_cm_per_ms, double max_snap_m,
                  std::int64_t limit_length_cm, std::int64_t limit_time_ms) {
    check_tile_index(window);
    TileCut cut;
    TileCutInfo& info = cut.info;
    // The core: sites whose location falls in the tile; B is the box of all their points.
    Box core;
    auto mark_core = [&](const auto& sites, std::vector<std::uint8_t>& mask, std::uint32_t& count) {
        mask.assign(sites.size(), 0);
        for (std::size_t i = 0; i < sites.size(); ++i) {
            if (window.grid.tile_of(sites[i].location) == window.index) {
                mask[i] = 1;
                ++count;
                core.add(sites[i].location);
                for (const auto& e : sites[i].entrances) core.add(e);
            }
        }
    };
    mark_core(data.demand, info.core_demand, info.core_demand_count);
    mark_core(data.facilities, info.core_facility, info.core_facility_count);
    // The halo's parts (doc/batch.md): R, the longest path the searches may walk; S, the snap
    // distance; E, the farthest entrance of any site from its location.
    info.reach_m = std::max(static_cast<double>(limit_length_cm), static_cast<double>(limit_time_ms) * fastest_cm_per_ms) / 100.0;
    info.snap_m = max_snap_m;
    double entrance = 0.0;
    auto far_entrance = [&](const auto& site) {
        if (!finite(site.location)) return;
        for (const auto& e : site.entrances) {
            if (finite(e)) entrance = std::max(entrance, routing::segment_length_m(site.location, e));
        }
    };
    for (const auto& d : data.demand) far_entrance(d);
    for (const auto& f : data.facilities) far_entrance(f);
    info.entrance_m = entrance;
    // The slack covers the local projection's scale error (below 1e-4 within 30 km of its origin,
    // growing beyond) and rounding of thresholds to whole cm and ms.
    const double derived = (info.reach_m + 3.0 * info.snap_m + 2.0 * info.entrance_m) * 1.01 + 10.0;
    info.halo_m = window.halo_m.value_or(derived);

    const Box halo = core.widened(info.halo_m);
    cut.halo = degree_box(halo);

    // A site is snapped on the tile's graphs only when every edge it could snap to is there:
    // every point it snaps from, widened by the snap distance, lies inside the halo box.
    const double reach = max_snap_m * 1.01 + 1.0;
    cut.snap_demand.assign(data.demand.size(), 0);
    cut.snap_facility.assign(data.facilities.size(), 0);
    for (std::size_t i = 0; i < data.demand.size(); ++i) {
        cut.snap_demand[i] = info.core_demand[i] != 0 || halo.contains(site_box(data.demand[i]).widened(reach)) ? 1 : 0;
    }
    for (std::size_t f = 0; f < data.facilities.size(); ++f) {
        cut.snap_facility[f] =
            info.core_facility[f] != 0 || halo.contains(site_box(data.facilities[f]).widened(reach)) ? 1 : 0;
    }
    return cut;
}

} // namespace detail

// ---- the whole networks' facts, the part of a graph in a box, edge keys -------------------------

double fastest_cm_per_ms(const routing::WalkGraph& g) {
    double v = 0.0;
    for (std::uint32_t e = 0; e < g.edge_count(); ++e) {
        // The faster direction (downhill, with a DEM).
        const double t = std::min(g.edge_cost(e, routing::Metric::time_ms, false), g.edge_cost(e, routing::Metric::time_ms, true));
        v = std::max(v, static_cast<double>(g.edge_length_cm[e]) / std::max<double>(1.0, t));
    }
    // The off-network legs count at the profile's speed (mm/s = 0.0001 cm/ms ... 0.1 cm/ms per m/s).
    return std::max(v, g.walk_speed_mm_per_s / 10'000.0);
}

TileNetworkFacts tile_network_facts(const io::WalkNetwork& walk, const io::WalkNetwork& senior) {
    TileNetworkFacts f;
    f.walk = io::network_part_frame(walk.graph);
    f.senior = io::network_part_frame(senior.graph);
    f.fastest_cm_per_ms = std::max(fastest_cm_per_ms(walk.graph), fastest_cm_per_ms(senior.graph));
    f.walk_nodes = walk.graph.node_count();
    f.walk_edges = walk.graph.edge_count();
    f.walk_way_nodes = walk.report.walkable_way_nodes;
    f.walk_missing_nodes = walk.report.missing_nodes;
    return f;
}

routing::WalkGraph cut_graph_to_box(const routing::WalkGraph& g, const io::DegreeBox& box, std::vector<std::uint32_t>* map) {
    using routing::invalid_id;
    const std::uint32_t m = g.edge_count();
    std::vector<std::uint32_t> new_edge(m, invalid_id);
    std::vector<std::uint32_t> edge_map;
    // A segment's own box, not the edge's: a long edge curving around the box (a ring path) has a
    // box that meets it while no part of it comes near, and a reader of part of the extract can
    // find every segment meeting the box from its ends (io::read_walk_network_parts).
    auto meets = [&](std::uint32_t p) {
        const double lon0 = g.point_lon_e7[p - 1] * 1e-7;
        const double lon1 = g.point_lon_e7[p] * 1e-7;
        const double lat0 = g.point_lat_e7[p - 1] * 1e-7;
        const double lat1 = g.point_lat_e7[p] * 1e-7;
        return std::min(lon0, lon1) <= box.east && std::max(lon0, lon1) >= box.west &&
               std::min(lat0, lat1) <= box.north && std::max(lat0, lat1) >= box.south;
    };
    if (!box.empty()) {
        for (std::uint32_t e = 0; e < m; ++e) {
            for (std::uint32_t p = g.edge_first_point[e] + 1; p < g.edge_first_point[e + 1]; ++p) {
                if (meets(p)) {
                    new_edge[e] = static_cast<std::uint32_t>(edge_map.size());
                    edge_map.push_back(e);
                    break;
                }
            }
        }
    }
    std::vector<std::uint32_t> new_node(g.node_count(), invalid_id);
    for (const std::uint32_t e : edge_map) {
        new_node[g.edge_tail[e]] = 0;
        new_node[g.edge_head[e]] = 0;
    }
    routing::WalkGraph out;
    std::uint32_t n = 0;
    out.first_out.push_back(0);
    for (std::uint32_t u = 0; u < g.node_count(); ++u) {
        if (new_node[u] == invalid_id) continue;
        new_node[u] = n++;
    }
    for (std::uint32_t u = 0; u < g.node_count(); ++u) {
        if (new_node[u] == invalid_id) continue;
        out.node_lon_e7.push_back(g.node_lon_e7[u]);
        out.node_lat_e7.push_back(g.node_lat_e7[u]);
        out.node_x_m.push_back(g.node_x_m[u]);
        out.node_y_m.push_back(g.node_y_m[u]);
        out.node_osm_id.push_back(g.node_osm_id[u]);
        for (std::uint32_t a = g.first_out[u]; a < g.first_out[u + 1]; ++a) {
            const std::uint32_t e = routing::WalkGraph::edge_of_arc_value(g.arc_edge[a]);
            if (new_edge[e] == invalid_id) continue;
            out.head.push_back(new_node[g.head[a]]);
            out.arc_time_ms.push_back(g.arc_time_ms[a]);
            if (g.has_directional_times()) out.arc_back_time_ms.push_back(g.arc_back_time_ms[a]);
            out.arc_length_cm.push_back(g.arc_length_cm[a]);
            out.arc_edge.push_back((new_edge[e] << 1) | (g.arc_edge[a] & 1U));
        }
        out.first_out.push_back(static_cast<routing::ArcId>(out.head.size()));
    }
    out.edge_first_point.push_back(0);
    for (const std::uint32_t e : edge_map) {
        out.edge_tail.push_back(new_node[g.edge_tail[e]]);
        out.edge_head.push_back(new_node[g.edge_head[e]]);
        out.edge_time_ms.push_back(g.edge_time_ms[e]);
        if (g.has_directional_times()) out.edge_back_time_ms.push_back(g.edge_back_time_ms[e]);
        out.edge_length_cm.push_back(g.edge_length_cm[e]);
        out.edge_way_id.push_back(g.edge_way_id[e]);
        for (std::uint32_t p = g.edge_first_point[e]; p < g.edge_first_point[e + 1]; ++p) {
            out.point_lon_e7.push_back(g.point_lon_e7[p]);
            out.point_lat_e7.push_back(g.point_lat_e7[p]);
            out.point_x_m.push_back(g.point_x_m[p]);
            out.point_y_m.push_back(g.point_y_m[p]);
        }
        out.edge_first_point.push_back(static_cast<std::uint32_t>(out.point_lon_e7.size()));
    }
    // The whole graph's projection, not one centred on the tile: snap distances are computed in
    // it, and a different origin would change them in the last bits.
    out.projection = g.projection;
    out.walk_speed_mm_per_s = g.walk_speed_mm_per_s;
    if (map != nullptr) *map = std::move(edge_map);
    return out;
}

std::vector<EdgeKey> edge_keys(const routing::WalkGraph& g) {
    std::vector<EdgeKey> keys(g.edge_count());
    for (std::uint32_t e = 0; e < g.edge_count(); ++e) {
        EdgeKey& k = keys[e];
        k.way_id = g.edge_way_id[e];
        k.tail_osm_id = g.node_osm_id[g.edge_tail[e]];
        k.head_osm_id = g.node_osm_id[g.edge_head[e]];
        std::uint64_t h = 14695981039346656037ULL; // FNV-1a over the points' coordinates
        for (std::uint32_t p = g.edge_first_point[e]; p < g.edge_first_point[e + 1]; ++p) {
            for (const std::int32_t v : {g.point_lon_e7[p], g.point_lat_e7[p]}) {
                const auto u = static_cast<std::uint32_t>(v);
                for (int byte = 0; byte < 4; ++byte) {
                    h ^= (u >> (8 * byte)) & 0xFFU;
                    h *= 1099511628211ULL;
                }
            }
        }
        k.geometry = h;
    }
    // Ranks among equal keys, in edge order.
    std::vector<std::uint32_t> order(keys.size());
    for (std::uint32_t e = 0; e < order.size(); ++e) order[e] = e;
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return keys[a] < keys[b]; });
    for (std::size_t i = 1; i < order.size(); ++i) {
        EdgeKey& k = keys[order[i]];
        const EdgeKey& prev = keys[order[i - 1]];
        if (k.way_id == prev.way_id && k.tail_osm_id == prev.tail_osm_id && k.head_osm_id == prev.head_osm_id &&
            k.geometry == prev.geometry) {
            k.rank = prev.rank + 1;
        }
    }
    return keys;
}

EdgeKeyIndex::EdgeKeyIndex(const routing::WalkGraph& graph) {
    const std::vector<EdgeKey> keys = edge_keys(graph);
    m_sorted.reserve(keys.size());
    for (std::uint32_t e = 0; e < keys.size(); ++e) m_sorted.emplace_back(keys[e], e);
    std::sort(m_sorted.begin(), m_sorted.end());
}

std::uint32_t EdgeKeyIndex::find(const EdgeKey& key) const {
    const auto it = std::lower_bound(m_sorted.begin(), m_sorted.end(), key,
                                     [](const std::pair<EdgeKey, std::uint32_t>& a, const EdgeKey& k) { return a.first < k; });
    return it != m_sorted.end() && it->first == key ? it->second : routing::invalid_id;
}

} // namespace yike::engine
