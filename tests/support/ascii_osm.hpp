#pragma once
// ASCII-map networks written as OSM XML with tags, so that tag rules are tested through the real
// OSM reader:
//
//     auto map = yike::test::parse_ascii_map("A---B---C", options); // ascii_map.hpp
//     std::string xml = yike::test::ascii_osm_xml(map, {{"AB", {{"highway", "steps"}}}},
//                                                 {{'B', {{"barrier", "gate"}}}});
//
// Every way of the map becomes an OSM way through its letters' nodes; ways without tags given get
// `default_way_tags` (a footway).
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "support/ascii_map.hpp"

namespace yike::test {

using OsmTags = std::vector<std::pair<std::string, std::string>>;

inline std::string ascii_osm_xml(const AsciiMap& map, const std::map<std::string, OsmTags>& way_tags,
                                 const std::map<char, OsmTags>& node_tags = {},
                                 const OsmTags& default_way_tags = {{"highway", "footway"}}) {
    std::ostringstream s;
    s.precision(12);
    auto tags = [&](const OsmTags& t) {
        for (const auto& [k, v] : t) {
            s << "    <tag k=\"" << k << "\" v=\"" << v << "\"/>\n";
        }
    };
    s << "<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\" generator=\"yike ascii test\">\n";
    for (const auto& [name, id] : map.node_osm_id) {
        const auto p = map.node_lonlat.at(name);
        s << "  <node id=\"" << id << "\" version=\"1\" lat=\"" << p.lat << "\" lon=\"" << p.lon << "\">\n";
        if (const auto it = node_tags.find(name); it != node_tags.end()) {
            tags(it->second);
        }
        s << "  </node>\n";
    }
    for (std::size_t i = 0; i < map.way_nodes.size(); ++i) {
        s << "  <way id=\"" << map.pieces[i].way_id << "\" version=\"1\">\n";
        for (const char c : map.way_nodes[i]) {
            s << "    <nd ref=\"" << map.osm_id(c) << "\"/>\n";
        }
        const auto it = way_tags.find(map.way_nodes[i]);
        tags(it != way_tags.end() ? it->second : default_way_tags);
        s << "  </way>\n";
    }
    s << "</osm>\n";
    return s.str();
}

} // namespace yike::test
