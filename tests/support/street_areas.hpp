#pragma once
// A drawn street with households, communities and sub-districts as GeoJSON, and facilities as a
// CSV, for tests that check standards' targets end to end where every answer is known by hand:
//
//     A---B---C---D---E---F---G      one footway, 50 m per cell: A 0 m, B 200, C 400, D 600,
//                                     E 800, F 1000, G 1200 m (walk 1.0 m/s: 15 min = 900 m,
//                                     10 min = 600 m; senior 0.9 m/s: 15 min = 810 m)
//
// Communities c1 (A, B, C: x < 500 m), c2 (D, E and the point at 860 m: 500-900 m) and c3 (F, G);
// sub-districts s1 (c1, c2) and s2 (c3); communities name their sub-district in the field
// `subdistrict`. Households: 100 at each of A, C, E, G and at x = 860 m (between E and F), each
// with 250 residents of whom 50 are seniors. Facilities are placed at x metres east of A.
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "support/ascii_osm.hpp"

namespace yike::test {

class StreetAreas {
public:
    StreetAreas() : m_map(parse_ascii_map("A---B---C---D---E---F---G", grid_options(50.0))) {}

    const AsciiMap& map() const { return m_map; }

    // OSM XML of the street; `node_tags` turns letters into tagged facilities.
    std::string osm_xml(const std::map<char, OsmTags>& node_tags = {}) const {
        return ascii_osm_xml(m_map, {}, node_tags);
    }

    std::string households_geojson() const {
        std::string out = header();
        int n = 0;
        for (const double x : {0.0, 400.0, 800.0, 1200.0, 860.0}) {
            out += std::string(n ? "," : "") + R"({"type":"Feature","properties":{"id":"h)" + std::to_string(n) +
                   R"(","households":100,"population":250,"seniors":50,"children":0},"geometry":{"type":"Point","coordinates":)" +
                   point(x) + "}}";
            ++n;
        }
        return out + "]}";
    }
    std::string communities_geojson() const {
        return header() + area("c1", -100, 500, "s1") + "," + area("c2", 500, 900, "s1") + "," +
               area("c3", 900, 1300, "s2") + "]}";
    }
    std::string subdistricts_geojson() const {
        return header() + area("s1", -100, 900, "") + "," + area("s2", 900, 1300, "") + "]}";
    }
    // "id,lon,lat,category" rows, one per (x metres, category).
    std::string facilities_csv(const std::vector<std::pair<double, std::string>>& facilities) const {
        std::ostringstream csv;
        csv.precision(12);
        csv << "id,lon,lat,category\n";
        int k = 0;
        for (const auto& [x, category] : facilities) {
            const auto p = at(x);
            csv << "f" << k++ << "," << p.lon << "," << p.lat << "," << category << "\n";
        }
        return csv.str();
    }

private:
    AsciiMap m_map;

    routing::LonLat at(double x_m) const {
        const auto a = m_map.node_lonlat.at('A');
        return {a.lon + x_m * detail::degrees_per_metre(a.lat).lon, a.lat};
    }
    std::string point(double x_m) const {
        std::ostringstream s;
        s.precision(12);
        const auto p = at(x_m);
        s << "[" << p.lon << "," << p.lat << "]";
        return s.str();
    }
    // A 200 m tall box around the street from x0 to x1 metres.
    std::string area(const std::string& id, double x0_m, double x1_m, const std::string& parent) const {
        const auto a = m_map.node_lonlat.at('A');
        const double dlat = 100.0 * detail::degrees_per_metre(a.lat).lat;
        const auto p0 = at(x0_m), p1 = at(x1_m);
        std::ostringstream s;
        s.precision(12);
        s << R"({"type":"Feature","properties":{"id":")" << id << "\""
          << (parent.empty() ? "" : R"(,"subdistrict":")" + parent + "\"")
          << R"(},"geometry":{"type":"Polygon","coordinates":[[[)" << p0.lon << "," << a.lat - dlat << "],[" << p1.lon
          << "," << a.lat - dlat << "],[" << p1.lon << "," << a.lat + dlat << "],[" << p0.lon << "," << a.lat + dlat
          << "],[" << p0.lon << "," << a.lat - dlat << "]]]}}";
        return s.str();
    }
    static std::string header() {
        return R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[)";
    }
};

// Facilities (x metres, category) for dongcheng-2020's service circle and backbone: the circle's
// eleven services at B (200 m), reaching c1 and c2 but not G; the backbone's four sub-district
// services at D (600 m) for s1 and, without the judicial office, at F (1000 m) for s2.
inline void add_dongcheng_circle_and_backbone(std::vector<std::pair<double, std::string>>& facilities) {
    for (const char* c : {"community_service_station", "community_health_station", "volunteer_station",
                          "vegetable_market", "breakfast", "convenience_store", "laundry", "hairdresser", "recycling",
                          "housekeeping", "bill_payment"}) {
        facilities.emplace_back(200.0, c);
    }
    for (const char* c : {"community_service_center", "social_security_office", "judicial_office", "service_hall"}) {
        facilities.emplace_back(600.0, c);
    }
    for (const char* c : {"community_service_center", "social_security_office", "service_hall"}) {
        facilities.emplace_back(1000.0, c);
    }
}

} // namespace yike::test
