#pragma once
// A walking network built by the OSM reader from an ASCII drawing (support/ascii_osm.hpp) with tags
// on its ways and nodes, and the questions the tag-rule tests ask of it.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "support/ascii_osm.hpp"
#include "support/temp_dir.hpp"
#include "yike/io/osm_network.hpp"
#include "yike/io/profile.hpp"
#include "yike/routing/search.hpp"

namespace yike::test {

struct DrawnNetwork {
    AsciiMap map;
    io::WalkNetwork network;

    // The graph node of a drawn letter, invalid_id when it is no junction of the network.
    routing::NodeId node(char name) const {
        const auto id = map.osm_id(name);
        for (routing::NodeId u = 0; u < network.graph.node_count(); ++u) {
            if (network.graph.node_osm_id[u] == id) {
                return u;
            }
        }
        return routing::invalid_id;
    }
    // Walking time between two drawn junctions, inf_cost when not connected.
    routing::Cost time_ms(char from, char to) const {
        const auto a = node(from);
        const auto b = node(to);
        if (a == routing::invalid_id || b == routing::invalid_id) {
            return routing::inf_cost;
        }
        routing::BoundedSearch search(network.graph);
        const routing::Seed seed{a, 0, 0};
        search.run(std::span<const routing::Seed>(&seed, 1), routing::inf_cost - 1, routing::Metric::time_ms);
        return search.distance(b);
    }
    // Whether some edge comes from the OSM way (its id, or the drawn way through these letters).
    bool has_way(std::int64_t way_id) const {
        return std::find(network.graph.edge_way_id.begin(), network.graph.edge_way_id.end(), way_id) !=
               network.graph.edge_way_id.end();
    }
    bool has_way(const std::string& nodes) const { return has_way(map.way_id(nodes)); }
};

// Reads the drawing (10 m cells) through the OSM reader for `profile`.
inline DrawnNetwork build_drawn(std::string_view drawing, const io::WalkProfile& profile,
                                const std::map<std::string, OsmTags>& way_tags,
                                const std::map<char, OsmTags>& node_tags = {}, std::vector<std::string> ways = {}) {
    AsciiMapOptions options = grid_options(10.0);
    options.ways = std::move(ways);
    DrawnNetwork b{parse_ascii_map(drawing, options), {}};
    const TempDir dir;
    const auto file = dir.file("net.osm", ascii_osm_xml(b.map, way_tags, node_tags));
    b.network = io::read_walk_network(file, profile);
    b.network.graph.check_invariants();
    return b;
}

} // namespace yike::test
