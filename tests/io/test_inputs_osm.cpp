// OSM extras (facilities, residential buildings and compounds, barrier lines) read from drawn
// fixtures and from Monaco. The GDAL layer readers are tested in test_inputs.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "support/temp_dir.hpp"
#include "yike/error.hpp"
#include "yike/io/inputs.hpp"

namespace fs = std::filesystem;
using namespace yike::io;
using yike::routing::LonLat;

namespace {

using namespace yike::test; // fixtures and error helpers of tests/support



} // namespace

namespace {

// Stands in for the engine's category mapping.
std::vector<std::string> test_classifier(const Tags& tags) {
    std::vector<std::string> out;
    auto has = [&](const std::string& k, const std::string& v) {
        return std::find(tags.begin(), tags.end(), std::pair<std::string, std::string>{k, v}) != tags.end();
    };
    if (has("amenity", "pharmacy")) {
        out.push_back("pharmacy");
    }
    if (has("amenity", "clinic")) {
        out.push_back("clinic");
        out.push_back("health");
    }
    if (has("leisure", "park")) {
        out.push_back("park");
    }
    return out;
}

const fs::path extras_osm = fs::path(YIKE_TEST_DATA_DIR) / "inputs" / "extras.osm";

// Node positions of the fixture, read back from the file (7 decimals).
std::map<std::int64_t, LonLat> fixture_nodes() {
    std::ifstream in(extras_osm);
    std::map<std::int64_t, LonLat> out;
    std::string line;
    while (std::getline(in, line)) {
        long long id = 0;
        double lat = 0;
        double lon = 0;
        if (std::sscanf(line.c_str(), " <node id=\"%lld\" version=\"1\" lat=\"%lf\" lon=\"%lf\"", &id, &lat, &lon) == 3) {
            out[id] = {lon, lat};
        }
    }
    return out;
}

void expect_at(LonLat actual, LonLat expected) {
    EXPECT_NEAR(actual.lon, expected.lon, 1e-9);
    EXPECT_NEAR(actual.lat, expected.lat, 1e-9);
}

const DemandRecord* building(const OsmExtras& x, const std::string& id) {
    for (const auto& b : x.buildings) {
        if (b.id == id) {
            return &b;
        }
    }
    return nullptr;
}

} // namespace

TEST(InputsOsm, FacilitiesFromNodesWaysAndMultipolygons) {
    const auto nodes = fixture_nodes();
    ASSERT_EQ(nodes.size(), 62u);
    const OsmExtras x = read_osm_extras(extras_osm, test_classifier);
    ASSERT_EQ(x.facilities.size(), 4u);
    const auto& ph = x.facilities[0];
    EXPECT_EQ(ph.id, "n1");
    EXPECT_EQ(ph.category, "pharmacy");
    EXPECT_EQ(ph.name, "康复药房");
    EXPECT_EQ(*ph.capacity, 12.0);
    EXPECT_TRUE(ph.entrances.empty());
    expect_at(ph.location, nodes.at(1));
    EXPECT_EQ(ph.source, extras_osm.string());

    // The clinic polygon: one record per category, its entrance, floor area = 400 m2 x 2 levels.
    for (std::size_t i : {1u, 2u}) {
        const auto& c = x.facilities[i];
        EXPECT_EQ(c.id, "w100");
        EXPECT_EQ(c.name, "社区诊所");
        ASSERT_EQ(c.entrances.size(), 1u);
        expect_at(c.entrances[0], nodes.at(11));
        EXPECT_GT(c.location.lon, nodes.at(10).lon);
        EXPECT_LT(c.location.lon, nodes.at(11).lon);
        EXPECT_GT(c.location.lat, nodes.at(10).lat);
        EXPECT_LT(c.location.lat, nodes.at(12).lat);
        ASSERT_TRUE(c.floor_area_m2);
        EXPECT_NEAR(*c.floor_area_m2, 800.0, 1.0);
        EXPECT_FALSE(c.capacity);
    }
    EXPECT_EQ(x.facilities[1].category, "clinic");
    EXPECT_EQ(x.facilities[2].category, "health");

    // The multipolygon park: a point inside the outer ring but not in the hole (which holds the
    // bounding box's centre), and the entrance on its outline.
    const auto& park = x.facilities[3];
    EXPECT_EQ(park.id, "r900");
    EXPECT_EQ(park.category, "park");
    EXPECT_EQ(park.name, "小公园");
    ASSERT_EQ(park.entrances.size(), 1u);
    expect_at(park.entrances[0], nodes.at(20));
    const LonLat p = park.location;
    EXPECT_TRUE(p.lon > nodes.at(20).lon && p.lon < nodes.at(21).lon && p.lat > nodes.at(20).lat &&
                p.lat < nodes.at(22).lat);
    const bool in_hole = p.lon > nodes.at(24).lon && p.lon < nodes.at(25).lon && p.lat > nodes.at(24).lat &&
                         p.lat < nodes.at(26).lat;
    EXPECT_FALSE(in_hole);
}

TEST(InputsOsm, ResidentialBuildingsAndCompoundGates) {
    const auto nodes = fixture_nodes();
    const OsmExtras x = read_osm_extras(extras_osm, test_classifier);
    // w302 (building=yes outside any residential area) and w303 (25 m2) hold no households.
    std::vector<std::string> ids;
    for (const auto& b : x.buildings) {
        ids.push_back(b.id);
    }
    EXPECT_EQ(ids, (std::vector<std::string>{"w300", "w301", "w410", "w411", "w430"}));

    // 20 m x 30 m x 6 levels / 90 m2 = 40 households.
    const DemandRecord* b = building(x, "w300");
    ASSERT_NE(b, nullptr);
    EXPECT_NEAR(b->households, 40.0, 0.05);
    EXPECT_NEAR(b->population, 40.0 * 2.62, 0.15);
    EXPECT_NEAR(b->seniors, b->population * 0.187, 1e-9);
    EXPECT_NEAR(b->children, b->population * 0.18, 1e-9);
    ASSERT_EQ(b->entrances.size(), 1u);
    expect_at(b->entrances[0], nodes.at(31));
    EXPECT_EQ(b->source, extras_osm.string());

    // No building:levels: 3 levels by default, counted.
    b = building(x, "w301");
    ASSERT_NE(b, nullptr);
    EXPECT_NEAR(b->households, 200.0 * 3 / 90, 0.01);
    EXPECT_TRUE(b->entrances.empty());
    EXPECT_EQ(x.warnings.buildings_default_levels, 2u);

    // building=yes inside a compound whose walls share its outline's nodes: the wall's gate.
    b = building(x, "w410");
    ASSERT_NE(b, nullptr);
    EXPECT_NEAR(b->households, 450.0 * 4 / 90, 0.03);
    ASSERT_EQ(b->entrances.size(), 1u);
    expect_at(b->entrances[0], nodes.at(54));
    // Own entrance first, then the compound's gate.
    b = building(x, "w411");
    ASSERT_NE(b, nullptr);
    EXPECT_NEAR(b->households, 400.0 * 10 / 90, 0.05);
    ASSERT_EQ(b->entrances.size(), 2u);
    expect_at(b->entrances[0], nodes.at(64));
    expect_at(b->entrances[1], nodes.at(54));
    // A compound whose outline is the fence: the gate on it.
    b = building(x, "w430");
    ASSERT_NE(b, nullptr);
    EXPECT_NEAR(b->households, 100.0 * 3 / 90, 0.01);
    ASSERT_EQ(b->entrances.size(), 1u);
    expect_at(b->entrances[0], nodes.at(71));
}

TEST(InputsOsm, BarrierLines) {
    const auto nodes = fixture_nodes();
    const OsmExtras x = read_osm_extras(extras_osm, test_classifier);
    std::vector<std::pair<std::int64_t, std::string>> got;
    for (const auto& b : x.barriers) {
        got.emplace_back(b.osm_id, b.kind);
    }
    std::sort(got.begin(), got.end());
    // The walkable wall (w501) and the hedge (w502) are not barriers.
    EXPECT_EQ(got, (std::vector<std::pair<std::int64_t, std::string>>{
                       {401, "wall"}, {402, "wall"}, {420, "fence"}, {500, "water"}, {510, "water"}}));
    for (const auto& b : x.barriers) {
        if (b.osm_id == 401) {
            ASSERT_EQ(b.points.size(), 3u);
            expect_at(b.points[1], nodes.at(54));
        }
        if (b.osm_id == 500) {
            EXPECT_EQ(b.points.size(), 5u);
        }
    }
}

// Ground-level rail lines and motorways are barrier lines that cut reach polygons but not snap
// lines; in a tunnel, on a bridge or covered they are none, and neither are trams.
TEST(InputsOsm, RailwaysAndMotorwaysCutPolygonsOnly) {
    const TempDir dir;
    std::string osm = "<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\">\n";
    for (int i = 1; i <= 16; ++i) {
        osm += "  <node id=\"" + std::to_string(i) + "\" version=\"1\" lat=\"43.73\" lon=\"" +
               std::to_string(7.42 + 0.001 * i) + "\"/>\n";
    }
    const std::vector<std::pair<int, std::string>> ways = {
        {601, R"(<tag k="railway" v="rail"/>)"},
        {602, R"(<tag k="railway" v="rail"/><tag k="tunnel" v="yes"/>)"},
        {603, R"(<tag k="railway" v="light_rail"/><tag k="bridge" v="viaduct"/>)"},
        {604, R"(<tag k="railway" v="tram"/>)"},
        {605, R"(<tag k="highway" v="motorway"/>)"},
        {606, R"(<tag k="highway" v="motorway_link"/><tag k="bridge" v="yes"/>)"},
        {607, R"(<tag k="railway" v="subway"/><tag k="tunnel" v="no"/>)"},
        {608, R"(<tag k="barrier" v="wall"/>)"},
    };
    int node = 1;
    for (const auto& [id, tags] : ways) {
        osm += "  <way id=\"" + std::to_string(id) + "\" version=\"1\"><nd ref=\"" + std::to_string(node) +
               "\"/><nd ref=\"" + std::to_string(node + 1) + "\"/>" + tags + "</way>\n";
        node += 2;
    }
    osm += "</osm>\n";
    const auto file = dir.file("lines.osm", osm);
    std::vector<std::tuple<std::int64_t, std::string, bool>> got;
    for (const auto& b : read_osm_barriers(file)) {
        got.emplace_back(b.osm_id, b.kind, b.blocks_snapping);
    }
    EXPECT_EQ(got, (std::vector<std::tuple<std::int64_t, std::string, bool>>{
                       {601, "railway", false}, {605, "motorway", false}, {607, "railway", false}, {608, "wall", true}}));
    // The same lines as read_osm_extras gives.
    const OsmExtras x = read_osm_extras(file, test_classifier);
    ASSERT_EQ(x.barriers.size(), got.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(x.barriers[i].osm_id, std::get<0>(got[i]));
    }
}

TEST(InputsOsm, OptionsEstimateAndErrors) {
    OsmExtrasOptions only_buildings;
    only_buildings.facilities = false;
    only_buildings.barriers = false;
    HouseholdEstimate est;
    est.dwelling_m2 = 60.0;
    est.default_levels = 1.0;
    est.persons_per_household = 3.0;
    const OsmExtras x = read_osm_extras(extras_osm, nullptr, est, only_buildings);
    EXPECT_TRUE(x.facilities.empty());
    EXPECT_TRUE(x.barriers.empty());
    ASSERT_EQ(x.buildings.size(), 5u);
    EXPECT_NEAR(x.buildings[0].households, 600.0 * 6 / 60, 0.1);
    EXPECT_NEAR(x.buildings[1].households, 200.0 * 1 / 60, 0.01);
    EXPECT_NEAR(x.buildings[1].population, x.buildings[1].households * 3.0, 1e-9);

    est.dwelling_m2 = 0;
    EXPECT_THROW((void)read_osm_extras(extras_osm, test_classifier, est), yike::config_error);
    EXPECT_THROW((void)read_osm_extras(extras_osm, nullptr), yike::config_error);
    const std::string e = error_of([] { (void)read_osm_extras("/nonexistent/x.osm.pbf", test_classifier); });
    EXPECT_EQ(e, "/nonexistent/x.osm.pbf: OSM file not found");
    TempDir dir;
    const fs::path bad = dir.file("bad.osm", "<osm><node id=");
    EXPECT_THROW((void)read_osm_extras(bad, test_classifier), yike::io_error);
}

TEST(InputsOsm, MonacoSmoke) {
    const fs::path monaco = fs::path(YIKE_DATA_DIR) / "osm" / "monaco.osm.pbf";
    const OsmExtras x = read_osm_extras(monaco, [](const Tags& tags) {
        std::vector<std::string> out;
        for (const auto& [k, v] : tags) {
            if (k == "amenity" && (v == "pharmacy" || v == "school" || v == "kindergarten" || v == "clinic" ||
                                   v == "doctors")) {
                out.push_back(v);
            }
            if (k == "leisure" && v == "park") {
                out.push_back("park");
            }
        }
        return out;
    });
    std::map<std::string, int> per_category;
    for (const auto& f : x.facilities) {
        ++per_category[f.category];
        EXPECT_GT(f.location.lon, 7.30);
        EXPECT_LT(f.location.lon, 7.60);
        EXPECT_GT(f.location.lat, 43.65);
        EXPECT_LT(f.location.lat, 43.85);
    }
    double households = 0;
    for (const auto& b : x.buildings) {
        households += b.households;
        EXPECT_GT(b.households, 0);
    }
    std::map<std::string, int> kinds;
    for (const auto& b : x.barriers) {
        ++kinds[b.kind];
        EXPECT_GE(b.points.size(), 2u);
    }
    std::string summary;
    for (const auto& [c, n] : per_category) {
        summary += c + "=" + std::to_string(n) + " ";
    }
    for (const auto& [k, n] : kinds) {
        summary += "barrier:" + k + "=" + std::to_string(n) + " ";
    }
    std::printf("monaco: facilities %s| residential buildings %zu, households %.0f, default levels %llu | barriers %zu\n",
                summary.c_str(), x.buildings.size(), households,
                static_cast<unsigned long long>(x.warnings.buildings_default_levels), x.barriers.size());
    // Seen on the bundled extract (2024): pharmacy 23, school 16, park 16, kindergarten 1; 4596
    // residential buildings (one with building:levels) holding 21139 households; 62 barrier lines.
    EXPECT_GE(per_category["pharmacy"], 15);
    EXPECT_LE(per_category["pharmacy"], 40);
    EXPECT_GE(per_category["school"], 8);
    EXPECT_LE(per_category["school"], 30);
    EXPECT_GE(per_category["park"], 8);
    EXPECT_LE(per_category["park"], 30);
    EXPECT_GE(x.buildings.size(), 2000u);
    EXPECT_LE(x.buildings.size(), 8000u);
    EXPECT_GT(households, 10000);
    EXPECT_LT(households, 50000);
    EXPECT_GE(x.barriers.size(), 20u);
    EXPECT_LE(x.barriers.size(), 200u);
    EXPECT_TRUE(kinds.contains("coastline") || kinds.contains("water"));
}

