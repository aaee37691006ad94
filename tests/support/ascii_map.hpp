#pragma once
// Tiny street networks drawn as ASCII art, for tests.
//
//     A---B---C          letters and digits are nodes, one grid cell apart per character (and
//         |              per line); runs of '-' join two nodes on a line, runs of '|' join two
//         D              nodes in a column. Every drawn connection becomes one way (one
//                        EdgeInput) unless the ways are listed explicitly as node sequences.
//
// Positions are laid out in metres east/north of an origin and converted to WGS84 with the local
// ellipsoidal radii, so a horizontal run of 4 characters at 25 m per cell is a ~100 m street
// (coordinates are rounded to 1e-7 degrees by the builder, so lengths are exact to ~1 cm only:
// tests compare against the built graph's lengths).
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <numbers>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "yike/routing/graph.hpp"

namespace yike::test {

struct AsciiMapOptions {
    double grid_m = 10.0;                           // metres per character cell (both axes)
    routing::LonLat origin{7.42, 43.73};            // position of the top-left cell
    std::int64_t first_node_id = 1000;              // OSM ids of nodes, assigned in reading order
    std::int64_t first_way_id = 1;                  // OSM ids of ways, in order of creation
    std::uint32_t speed_mm_per_s = 1000;            // default walking speed of every way
    // Explicit ways as node sequences ("ABC" is a way through A, B and C). When empty, every drawn
    // connection is a way of its own, in reading order (horizontal runs before vertical ones).
    std::vector<std::string> ways;
    // Called for every way after it is built: set speed, detach flags, ids... `nodes` is the way's
    // node sequence, `index` its position in creation order.
    std::function<void(routing::EdgeInput& way, std::string_view nodes, std::size_t index)> on_way;
};

// Options with a grid size (and way speed); the rest at their defaults.
inline AsciiMapOptions grid_options(double grid_m, std::uint32_t speed_mm_per_s = 1000) {
    AsciiMapOptions options;
    options.grid_m = grid_m;
    options.speed_mm_per_s = speed_mm_per_s;
    return options;
}

struct AsciiMap {
    std::vector<routing::EdgeInput> pieces;
    std::map<char, std::int64_t> node_osm_id;
    std::map<char, routing::LonLat> node_lonlat;
    std::map<char, routing::XY> node_offset_m;    // east/north of the origin, in metres
    std::vector<std::string> way_nodes;           // node sequence of every piece

    [[nodiscard]] std::int64_t osm_id(char name) const {
        const auto it = node_osm_id.find(name);
        if (it == node_osm_id.end()) {
            throw std::invalid_argument(std::string("ascii map has no node ") + name);
        }
        return it->second;
    }
    [[nodiscard]] std::int64_t way_id(std::string_view nodes) const {
        for (std::size_t i = 0; i < way_nodes.size(); ++i) {
            if (way_nodes[i] == nodes) {
                return pieces[i].way_id;
            }
        }
        throw std::invalid_argument("ascii map has no way " + std::string(nodes));
    }
};

namespace detail {
// Degrees per metre east and north at a latitude, from the WGS84 radii of curvature.
inline routing::LonLat degrees_per_metre(double lat_deg) {
    constexpr double a = 6378137.0;
    constexpr double f = 1.0 / 298.257223563;
    constexpr double e2 = f * (2.0 - f);
    const double phi = lat_deg * std::numbers::pi / 180.0;
    const double s = std::sin(phi);
    const double w2 = 1.0 - e2 * s * s;
    const double m = a * (1.0 - e2) / (w2 * std::sqrt(w2));
    const double n = a / std::sqrt(w2);
    const double rad = 180.0 / std::numbers::pi;
    return {rad / (n * std::cos(phi)), rad / m};
}

inline bool is_node_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
} // namespace detail

// Parses the drawing; throws std::invalid_argument on malformed maps (dangling runs, repeated
// node names, unknown nodes in `ways`).
inline AsciiMap parse_ascii_map(std::string_view text, const AsciiMapOptions& options = {}) {
    std::vector<std::string> lines;
    {
        std::size_t start = 0;
        while (start <= text.size()) {
            const std::size_t nl = text.find('\n', start);
            const std::size_t stop = nl == std::string_view::npos ? text.size() : nl;
            lines.emplace_back(text.substr(start, stop - start));
            if (nl == std::string_view::npos) {
                break;
            }
            start = nl + 1;
        }
    }
    auto at = [&](std::size_t row, std::size_t col) -> char {
        return row < lines.size() && col < lines[row].size() ? lines[row][col] : ' ';
    };

    AsciiMap map;
    const routing::LonLat per_m = detail::degrees_per_metre(options.origin.lat);
    std::int64_t next_node = options.first_node_id;
    for (std::size_t row = 0; row < lines.size(); ++row) {
        for (std::size_t col = 0; col < lines[row].size(); ++col) {
            const char c = lines[row][col];
            if (!detail::is_node_char(c)) {
                continue;
            }
            if (map.node_osm_id.count(c) != 0) {
                throw std::invalid_argument(std::string("ascii map repeats node ") + c);
            }
            const routing::XY xy{static_cast<double>(col) * options.grid_m, -static_cast<double>(row) * options.grid_m};
            map.node_osm_id[c] = next_node++;
            map.node_offset_m[c] = xy;
            // East-west scale at the node's own latitude, so that runs along a line are exact.
            const double lat = options.origin.lat + xy.y_m * per_m.lat;
            map.node_lonlat[c] = {options.origin.lon + xy.x_m * detail::degrees_per_metre(lat).lon, lat};
        }
    }

    std::vector<std::string> ways = options.ways;
    if (ways.empty()) {
        // Every run of `line` characters from a node, step (drow, dcol) at a time, is a way from that
        // node to the node where the run ends; nodes in reading order.
        const auto add_runs = [&](char line, std::size_t drow, std::size_t dcol) {
            for (std::size_t row = 0; row < lines.size(); ++row) {
                for (std::size_t col = 0; col < lines[row].size(); ++col) {
                    const char c = at(row, col);
                    if (detail::is_node_char(c) && at(row + drow, col + dcol) == line) {
                        std::size_t k = 1;
                        while (at(row + k * drow, col + k * dcol) == line) {
                            ++k;
                        }
                        const char end = at(row + k * drow, col + k * dcol);
                        if (!detail::is_node_char(end)) {
                            throw std::invalid_argument(std::string("ascii map: '") + line + "' run from " + c +
                                                        " ends nowhere");
                        }
                        ways.push_back(std::string{c, end});
                    }
                }
            }
        };
        // Horizontal runs first, then vertical ones.
        add_runs('-', 0, 1);
        add_runs('|', 1, 0);
    }

    std::int64_t next_way = options.first_way_id;
    for (std::size_t i = 0; i < ways.size(); ++i) {
        routing::EdgeInput way;
        for (const char c : ways[i]) {
            way.points.push_back(map.node_lonlat.count(c) != 0
                                     ? map.node_lonlat.at(c)
                                     : throw std::invalid_argument(std::string("ascii map has no node ") + c));
            way.point_osm_id.push_back(map.node_osm_id.at(c));
        }
        way.way_id = next_way++;
        way.speed_mm_per_s = options.speed_mm_per_s;
        if (options.on_way) {
            options.on_way(way, ways[i], i);
        }
        map.pieces.push_back(std::move(way));
        map.way_nodes.push_back(ways[i]);
    }
    return map;
}

// The graph of drawn or generated ways walked at 1 m/s, its invariants checked: where a test
// starts from a graph it builds.
inline routing::WalkGraph checked_walk_graph(std::span<const routing::EdgeInput> pieces) {
    routing::WalkGraph graph = routing::build_walk_graph(pieces, 1000);
    graph.check_invariants();
    return graph;
}

// Dense node id of an OSM node in a built graph (invalid_id if absent).
inline routing::NodeId node_of(const routing::WalkGraph& graph, std::int64_t osm_id) {
    for (routing::NodeId u = 0; u < graph.node_count(); ++u) {
        if (graph.node_osm_id[u] == osm_id) {
            return u;
        }
    }
    return routing::invalid_id;
}

// The edge between two nodes (lowest id if several), in either direction, or invalid_id.
inline routing::EdgeId edge_between(const routing::WalkGraph& graph, routing::NodeId a, routing::NodeId b) {
    for (routing::EdgeId e = 0; e < graph.edge_count(); ++e) {
        if ((graph.edge_tail[e] == a && graph.edge_head[e] == b) || (graph.edge_tail[e] == b && graph.edge_head[e] == a)) {
            return e;
        }
    }
    return routing::invalid_id;
}

} // namespace yike::test
