#include <gtest/gtest.h>

#include <functional>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>
#include <unistd.h>

#include "support/temp_dir.hpp"
#include "yike/error.hpp"
#include "yike/io/osm_network.hpp"
#include "yike/io/profile.hpp"
#include "yike/routing/graph.hpp"

namespace fs = std::filesystem;
using yike::io::load_profile;
using yike::io::read_walk_network;
using yike::io::WalkNetwork;
using yike::io::WalkProfile;
using yike::routing::WalkGraph;

namespace {

using Tags = std::vector<std::pair<std::string, std::string>>;

struct TestNode {
    std::int64_t id;
    double x; // grid column; one step is 0.001 degrees
    double y; // grid row
    Tags tags = {};
};

struct TestWay {
    std::int64_t id;
    std::vector<std::int64_t> refs;
    Tags tags;
};

std::string osm_xml(const std::vector<TestNode>& nodes, const std::vector<TestWay>& ways) {
    std::ostringstream s;
    s.precision(10);
    s << "<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\" generator=\"yike test\">\n";
    auto tags = [&](const Tags& t) {
        for (const auto& [k, v] : t) {
            s << "    <tag k=\"" << k << "\" v=\"" << v << "\"/>\n";
        }
    };
    for (const auto& n : nodes) {
        s << "  <node id=\"" << n.id << "\" version=\"1\" lat=\"" << 43.73 + n.y * 0.001 << "\" lon=\""
          << 7.42 + n.x * 0.001 << "\">\n";
        tags(n.tags);
        s << "  </node>\n";
    }
    for (const auto& w : ways) {
        s << "  <way id=\"" << w.id << "\" version=\"1\">\n";
        for (const auto r : w.refs) {
            s << "    <nd ref=\"" << r << "\"/>\n";
        }
        tags(w.tags);
        s << "  </way>\n";
    }
    s << "</osm>\n";
    return s.str();
}

class OsmNetwork : public ::testing::Test {
protected:
    fs::path write(const std::string& name, const std::string& text) const {
        const fs::path p = m_dir / name;
        std::ofstream(p, std::ios::binary) << text;
        return p;
    }

    WalkNetwork read(const std::vector<TestNode>& nodes, const std::vector<TestWay>& ways,
                     const WalkProfile& profile) const {
        const fs::path p = write("net.osm", osm_xml(nodes, ways));
        WalkNetwork net = read_walk_network(p, profile);
        net.graph.check_invariants();
        return net;
    }

    WalkNetwork read(const std::vector<TestNode>& nodes, const std::vector<TestWay>& ways) const {
        return read(nodes, ways, m_walk);
    }

    WalkProfile m_walk = load_profile("walk");
    yike::test::TempDir m_tmp;
    const fs::path& m_dir = m_tmp.dir();
};

std::set<std::int64_t> way_ids(const WalkGraph& g) {
    return {g.edge_way_id.begin(), g.edge_way_id.end()};
}

// Graph nodes standing for an OSM node (a blocked barrier gives one per detached side).
std::vector<std::uint32_t> nodes_of(const WalkGraph& g, std::int64_t osm_id) {
    std::vector<std::uint32_t> out;
    for (std::uint32_t u = 0; u < g.node_count(); ++u) {
        if (g.node_osm_id[u] == osm_id) {
            out.push_back(u);
        }
    }
    return out;
}

bool connected(const WalkGraph& g, std::int64_t osm_a, std::int64_t osm_b) {
    const auto comps = yike::routing::connected_components(g);
    const auto a = nodes_of(g, osm_a);
    const auto b = nodes_of(g, osm_b);
    EXPECT_FALSE(a.empty()) << "no graph node for OSM node " << osm_a;
    EXPECT_FALSE(b.empty()) << "no graph node for OSM node " << osm_b;
    for (const auto u : a) {
        for (const auto v : b) {
            if (comps.node_component[u] == comps.node_component[v]) {
                return true;
            }
        }
    }
    return false;
}

// Asserts that `call` throws E whose message names `file` and contains `needle`.
template <typename E, typename F>
void expect_error(F call, const fs::path& file, const std::string& needle = "") {
    try {
        call();
        FAIL() << "no exception for " << file;
    } catch (const E& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find(file.string()), std::string::npos) << what;
        EXPECT_NE(what.find(needle), std::string::npos) << what;
        EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    } catch (const std::exception& e) {
        FAIL() << "wrong exception type: " << e.what();
    }
}

} // namespace

//   1 ---5--- 2 --- 3
//             |
//             4
// Way 10 (1,5,2,3) is split at 2 where way 11 (2,4) joins; 5 is a shape point.
TEST_F(OsmNetwork, WaysAreSplitAtSharedNodesOnly) {
    // Nodes by ascending id, as extracts list them (an unsorted file is refused, see below).
    const auto net = read({{1, 0, 0}, {2, 2, 0}, {3, 3, 0}, {4, 2, -1}, {5, 1, 0}},
                          {{10, {1, 5, 2, 3}, {{"highway", "residential"}}}, {11, {2, 4}, {{"highway", "footway"}}}});
    const WalkGraph& g = net.graph;
    EXPECT_EQ(g.node_count(), 4U);
    EXPECT_EQ(g.edge_count(), 3U);
    EXPECT_TRUE(nodes_of(g, 5).empty());
    ASSERT_EQ(nodes_of(g, 2).size(), 1U);
    const std::uint32_t u2 = nodes_of(g, 2)[0];
    EXPECT_EQ(g.first_out[u2 + 1] - g.first_out[u2], 3U);
    // The edge 1..2 keeps its shape point.
    std::uint32_t points_1_2 = 0;
    for (std::uint32_t e = 0; e < g.edge_count(); ++e) {
        const std::int64_t a = g.node_osm_id[g.edge_tail[e]];
        const std::int64_t b = g.node_osm_id[g.edge_head[e]];
        if (std::min(a, b) == 1 && std::max(a, b) == 2) {
            points_1_2 = g.edge_first_point[e + 1] - g.edge_first_point[e];
        }
    }
    EXPECT_EQ(points_1_2, 3U);
    EXPECT_EQ(net.report.ways_read, 2U);
    EXPECT_EQ(net.report.walkable_ways, 2U);
    EXPECT_EQ(net.report.walkable_way_nodes, 6U);
    EXPECT_EQ(net.report.missing_nodes, 0U);
    EXPECT_EQ(net.report.component_count, 1U);
    EXPECT_EQ(net.report.largest_component_nodes, 4U);
}

// Duplicate or unsorted ids would make the network depend on the file's order (a duplicate node
// once grew a network from 3.9 to 43.3 km): refused, naming the ids; so is a latitude of 95.
TEST_F(OsmNetwork, DuplicateUnsortedAndOutOfRangeAreRefused) {
    const std::vector<std::pair<std::string, std::function<void()>>> cases = {
        {"1 duplicate node id(s) (first: 2)",
         [&] { (void)read({{1, 0, 0}, {2, 1, 0}, {2, 5, 5}, {3, 2, 0}}, {{10, {1, 2, 3}, {{"highway", "residential"}}}}); }},
        {"1 node id(s) out of order (first: 1 after 2)",
         [&] { (void)read({{2, 1, 0}, {1, 0, 0}, {3, 2, 0}}, {{10, {1, 2, 3}, {{"highway", "residential"}}}}); }},
        {"1 duplicate way id(s) (first: 10)",
         [&] {
             (void)read({{1, 0, 0}, {2, 1, 0}, {3, 2, 0}},
                        {{10, {1, 2}, {{"highway", "residential"}}}, {10, {2, 3}, {{"highway", "residential"}}}});
         }},
        {"1 way id(s) out of order (first: 10 after 11)",
         [&] {
             (void)read({{1, 0, 0}, {2, 1, 0}, {3, 2, 0}},
                        {{11, {1, 2}, {{"highway", "residential"}}}, {10, {2, 3}, {{"highway", "residential"}}}});
         }},
    };
    for (const auto& [expected, run] : cases) {
        try {
            run();
            ADD_FAILURE() << expected << ": accepted";
        } catch (const yike::io_error& e) {
            EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
        }
    }
}

//   1 --footway-- 2 --steps-- 3   (both 0.001 degrees of longitude)
TEST_F(OsmNetwork, StepsAreWalkedAtTheirSpeedFactor) {
    for (const char* profile_name : {"walk", "senior"}) {
        const WalkProfile profile = load_profile(profile_name);
        const auto net = read({{1, 0, 0}, {2, 1, 0}, {3, 2, 0}},
                              {{10, {1, 2}, {{"highway", "footway"}}}, {11, {2, 3}, {{"highway", "steps"}}}}, profile);
        const WalkGraph& g = net.graph;
        ASSERT_EQ(g.edge_count(), 2U);
        for (std::uint32_t e = 0; e < 2; ++e) {
            const double factor = g.edge_way_id[e] == 11 ? profile.highway_speed_factor.at("steps") : 1.0;
            const double speed_mm_per_s = std::round(profile.speed_mm_per_s * factor);
            const auto expected = static_cast<std::uint32_t>(
                std::llround(static_cast<double>(g.edge_length_cm[e]) * 10'000.0 / speed_mm_per_s));
            EXPECT_EQ(g.edge_time_ms[e], expected) << profile_name << " way " << g.edge_way_id[e];
            EXPECT_NEAR(g.edge_length_cm[e], 8040, 40); // 0.001 degrees of longitude at 43.73 N
        }
        const std::uint32_t steps = g.edge_way_id[0] == 11 ? 0 : 1;
        EXPECT_GT(g.edge_time_ms[steps], g.edge_time_ms[1 - steps] * 19 / 10);
    }
}

TEST_F(OsmNetwork, SeniorIsSlowerAndSpeedOverrideScalesTimes) {
    const std::vector<TestNode> nodes = {{1, 0, 0}, {2, 1, 0}};
    const std::vector<TestWay> ways = {{10, {1, 2}, {{"highway", "footway"}}}};
    const auto walk = read(nodes, ways);
    const auto senior = read(nodes, ways, load_profile("senior"));
    const auto fast = read(nodes, ways, yike::io::with_speed(m_walk, 2.0));
    EXPECT_EQ(walk.graph.edge_length_cm[0], senior.graph.edge_length_cm[0]);
    EXPECT_GT(senior.graph.edge_time_ms[0], walk.graph.edge_time_ms[0]);
    EXPECT_NEAR(senior.graph.edge_time_ms[0], walk.graph.edge_time_ms[0] / 0.9, 1.0);
    EXPECT_NEAR(fast.graph.edge_time_ms[0], walk.graph.edge_time_ms[0] / 2.0, 1.0);
    EXPECT_EQ(fast.graph.walk_speed_mm_per_s, 2000U);
    EXPECT_EQ(senior.graph.walk_speed_mm_per_s, 900U);
}

//   1 --10-- 2 --11 (access=private)-- 3 --12 (access=no foot=yes)-- 4
TEST_F(OsmNetwork, AccessRules) {
    const auto net = read({{1, 0, 0}, {2, 1, 0}, {3, 2, 0}, {4, 3, 0}, {5, 4, 0}, {6, 5, 0}},
                          {{10, {1, 2}, {{"highway", "residential"}}},
                           {11, {2, 3}, {{"highway", "service"}, {"access", "private"}}},
                           {12, {3, 4}, {{"highway", "service"}, {"access", "no"}, {"foot", "yes"}}},
                           {13, {4, 5}, {{"highway", "footway"}, {"foot", "no"}}},
                           {14, {5, 6}, {{"highway", "path"}, {"access", "private"}, {"foot", "designated"}}},
                           {15, {1, 6}, {{"highway", "cycleway"}, {"foot", "private"}, {"access", "yes"}}}});
    EXPECT_EQ(way_ids(net.graph), (std::set<std::int64_t>{10, 12, 14}));
    EXPECT_EQ(net.report.walkable_ways, 3U);
    EXPECT_EQ(net.report.ways_read, 6U);
    EXPECT_EQ(net.report.component_count, 3U);
}

//   1 --- 2 (gate) --- 3      way 10, gate 2 with access=private: 1 and 3 do not connect
//         |
//         4                   way 11 (2,4) ends at the gate: it connects to neither side
//   5 --- 6 (gate) --- 7      way 12, a plain gate: passable
TEST_F(OsmNetwork, PrivateGateBlocksAndPlainGatePasses) {
    const auto net = read({{1, 0, 0},
                           {2, 1, 0, {{"barrier", "gate"}, {"access", "private"}}},
                           {3, 2, 0},
                           {4, 1, -1},
                           {5, 0, 2},
                           {6, 1, 2, {{"barrier", "gate"}}},
                           {7, 2, 2}},
                          {{10, {1, 2, 3}, {{"highway", "footway"}}},
                           {11, {2, 4}, {{"highway", "footway"}}},
                           {12, {5, 6, 7}, {{"highway", "footway"}}}});
    const WalkGraph& g = net.graph;
    EXPECT_FALSE(connected(g, 1, 3));
    EXPECT_FALSE(connected(g, 1, 4));
    EXPECT_FALSE(connected(g, 3, 4));
    EXPECT_TRUE(connected(g, 5, 7));
    EXPECT_EQ(nodes_of(g, 2).size(), 3U); // one detached end per piece
    EXPECT_TRUE(nodes_of(g, 6).empty());  // a passable gate is a plain shape point
    EXPECT_EQ(net.report.blocking_barriers, 1U);
    EXPECT_EQ(net.report.component_count, 4U);
    EXPECT_EQ(g.edge_count(), 4U);
}

//   1 - 2 - 3 - 4 - 5 - 6 - 7 - 8 - 9     way 10 with barriers on 2, 4, 6, 8 and stubs at 3, 5, 7
//           |       |       |             (so that 3, 5 and 7 are graph nodes)
//          13      15      17
TEST_F(OsmNetwork, BarrierAccessAndTypeRules) {
    const auto net = read({{1, 0, 0},
                           {2, 1, 0, {{"barrier", "gate"}, {"access", "no"}, {"foot", "yes"}}},
                           {3, 2, 0},
                           {4, 3, 0, {{"barrier", "wall"}}},
                           {5, 4, 0},
                           {6, 5, 0, {{"barrier", "bollard"}, {"foot", "no"}}},
                           {7, 6, 0},
                           {8, 7, 0, {{"barrier", "gate"}, {"locked", "yes"}}},
                           {9, 8, 0},
                           {13, 2, 1},
                           {15, 4, 1},
                           {17, 6, 1}},
                          {{10, {1, 2, 3, 4, 5, 6, 7, 8, 9}, {{"highway", "footway"}}},
                           {20, {3, 13}, {{"highway", "footway"}}},
                           {21, {5, 15}, {{"highway", "footway"}}},
                           {22, {7, 17}, {{"highway", "footway"}}}});
    const WalkGraph& g = net.graph;
    EXPECT_TRUE(connected(g, 1, 3));  // foot=yes opens the gate
    EXPECT_FALSE(connected(g, 3, 5)); // a wall on a path cuts it
    EXPECT_FALSE(connected(g, 5, 7)); // foot=no
    EXPECT_FALSE(connected(g, 7, 9)); // locked
    EXPECT_EQ(net.report.blocking_barriers, 3U);
    EXPECT_EQ(net.report.component_count, 4U);
}

//   1 --- 2      3 --- 4     footways joined only by a wall way and a fence way: no connection
TEST_F(OsmNetwork, WallsAndFencesDoNotConnect) {
    const auto net = read({{1, 0, 0}, {2, 1, 0}, {3, 2, 0}, {4, 3, 0}},
                          {{10, {1, 2}, {{"highway", "footway"}}},
                           {11, {3, 4}, {{"highway", "footway"}}},
                           {12, {2, 3}, {{"barrier", "wall"}}},
                           {13, {2, 3}, {{"barrier", "fence"}}}});
    EXPECT_FALSE(connected(net.graph, 1, 4));
    EXPECT_EQ(way_ids(net.graph), (std::set<std::int64_t>{10, 11}));
}

TEST_F(OsmNetwork, MotorwaysConstructionAndFerriesAreNotWalkable) {
    const auto net = read({{1, 0, 0}, {2, 1, 0}, {3, 2, 0}, {4, 3, 0}, {5, 4, 0}},
                          {{10, {1, 2}, {{"highway", "residential"}}},
                           {11, {2, 3}, {{"highway", "motorway"}}},
                           {12, {2, 3}, {{"highway", "motorway_link"}, {"foot", "yes"}}},
                           {13, {2, 3}, {{"highway", "construction"}}},
                           {14, {3, 4}, {{"route", "ferry"}}},
                           {15, {3, 4}, {{"highway", "service"}, {"route", "ferry"}}},
                           {16, {4, 5}, {{"highway", "proposed"}}},
                           {17, {4, 5}, {{"highway", "footway"}}}});
    EXPECT_EQ(way_ids(net.graph), (std::set<std::int64_t>{10, 17}));
    EXPECT_FALSE(connected(net.graph, 1, 5));
    EXPECT_EQ(net.report.ways_read, 8U);
}

TEST_F(OsmNetwork, TrunksNeedASidewalkOrFootPermission) {
    const auto net = read({{1, 0, 0}, {2, 1, 0}, {3, 2, 0}, {4, 3, 0}, {5, 4, 0}, {6, 5, 0}, {7, 6, 0}},
                          {{10, {1, 2}, {{"highway", "trunk"}}},
                           {11, {2, 3}, {{"highway", "trunk"}, {"sidewalk", "both"}}},
                           {12, {3, 4}, {{"highway", "trunk_link"}, {"foot", "yes"}}},
                           {13, {4, 5}, {{"highway", "trunk"}, {"sidewalk", "separate"}}},
                           {14, {5, 6}, {{"highway", "trunk"}, {"sidewalk:left", "yes"}}},
                           {15, {6, 7}, {{"highway", "trunk"}, {"sidewalk", "no"}}},
                           {16, {6, 7}, {{"highway", "primary"}, {"sidewalk", "no"}}}});
    EXPECT_EQ(way_ids(net.graph), (std::set<std::int64_t>{11, 12, 14, 16}));
}

//   1 ---- 2
//   |      |     closed way 10: highway=pedestrian area=yes; footway 11 from 3 to 5
//   4 ---- 3 --- 5
TEST_F(OsmNetwork, PedestrianAreaOutlineIsWalkable) {
    const std::vector<TestNode> nodes = {{1, 0, 1}, {2, 1, 1}, {3, 1, 0}, {4, 0, 0}, {5, 2, 0}};
    const std::vector<TestWay> ways = {{10, {1, 2, 3, 4, 1}, {{"highway", "pedestrian"}, {"area", "yes"}}},
                                       {11, {3, 5}, {{"highway", "footway"}}}};
    const auto net = read(nodes, ways);
    EXPECT_TRUE(connected(net.graph, 1, 5));
    EXPECT_TRUE(way_ids(net.graph).contains(10));
    EXPECT_EQ(net.report.component_count, 1U);
    std::int64_t ring_cm = 0;
    for (std::uint32_t e = 0; e < net.graph.edge_count(); ++e) {
        if (net.graph.edge_way_id[e] == 10) {
            ring_cm += net.graph.edge_length_cm[e];
        }
    }
    EXPECT_NEAR(static_cast<double>(ring_cm), 2 * 8040 + 2 * 11120, 200); // the whole outline

    // The same area is skipped by a profile with pedestrian_areas = false.
    std::ifstream in(fs::path(YIKE_DATA_DIR) / "profiles" / "walk.toml");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto at = text.find("pedestrian_areas = true");
    ASSERT_NE(at, std::string::npos);
    text.replace(at, std::string("pedestrian_areas = true").size(), "pedestrian_areas = false");
    const WalkProfile no_areas = load_profile(write("no_areas.toml", text).string());
    EXPECT_FALSE(no_areas.pedestrian_areas);
    const auto without = read(nodes, ways, no_areas);
    EXPECT_EQ(way_ids(without.graph), (std::set<std::int64_t>{11}));
}

//   1 --- 2 --- (99 missing) --- 3 --- 4     way 10 is not bridged over the gap
TEST_F(OsmNetwork, MissingNodeReferencesSplitTheWayAndAreCounted) {
    const auto net = read({{1, 0, 0}, {2, 1, 0}, {3, 3, 0}, {4, 4, 0}},
                          {{10, {1, 2, 99, 3, 4}, {{"highway", "residential"}}},
                           {11, {4, 98}, {{"highway", "footway"}}}});
    EXPECT_EQ(net.report.missing_nodes, 2U);
    EXPECT_EQ(net.report.walkable_way_nodes, 7U);
    EXPECT_FALSE(connected(net.graph, 2, 3));
    EXPECT_TRUE(connected(net.graph, 1, 2));
    EXPECT_TRUE(connected(net.graph, 3, 4));
    EXPECT_EQ(net.graph.edge_count(), 2U);
    EXPECT_EQ(net.report.component_count, 2U);
}

TEST_F(OsmNetwork, AllFourInputFormatsGiveTheSameGraph) {
    const fs::path dir = fs::path(YIKE_TEST_DATA_DIR) / "osm";
    const auto reference = read_walk_network(dir / "three_streets_steps_bollard.osm", m_walk);
    const WalkGraph& r = reference.graph;
    r.check_invariants();
    // 1, 2, 3, 6 and 4, where the steps end and the footway starts; the bollard (5) is a shape point.
    EXPECT_EQ(r.node_count(), 5U);
    EXPECT_TRUE(nodes_of(r, 5).empty());
    EXPECT_EQ(way_ids(r), (std::set<std::int64_t>{100, 101, 102}));
    EXPECT_EQ(reference.report.ways_read, 4U);
    EXPECT_EQ(reference.report.walkable_way_nodes, 8U);
    for (const char* ext : {".osm.gz", ".osm.bz2", ".osm.pbf"}) {
        const auto net = read_walk_network(dir / (std::string("three_streets_steps_bollard") + ext), m_walk);
        net.graph.check_invariants();
        EXPECT_EQ(net.graph.first_out, r.first_out) << ext;
        EXPECT_EQ(net.graph.head, r.head) << ext;
        EXPECT_EQ(net.graph.arc_time_ms, r.arc_time_ms) << ext;
        EXPECT_EQ(net.graph.edge_length_cm, r.edge_length_cm) << ext;
        EXPECT_EQ(net.graph.edge_way_id, r.edge_way_id) << ext;
        EXPECT_EQ(net.graph.point_lon_e7, r.point_lon_e7) << ext;
        EXPECT_EQ(net.graph.node_osm_id, r.node_osm_id) << ext;
        EXPECT_EQ(net.report.walkable_way_nodes, reference.report.walkable_way_nodes) << ext;
    }
}

TEST_F(OsmNetwork, MissingFileIsAnIoError) {
    const fs::path p = m_dir / "nowhere.osm.pbf";
    expect_error<yike::io_error>([&] { (void)read_walk_network(p, m_walk); }, p, "not found");
    expect_error<yike::io_error>([&] { (void)read_walk_network(m_dir, m_walk); }, m_dir);
}

TEST_F(OsmNetwork, NotOsmFilesAreIoErrors) {
    const fs::path text_pbf = write("notes.osm.pbf", "These are my notes, not a map.\nSecond line.\n");
    expect_error<yike::io_error>([&] { (void)read_walk_network(text_pbf, m_walk); }, text_pbf);
    const fs::path garbage_osm = write("garbage.osm", "<<<<not xml at all&&&");
    expect_error<yike::io_error>([&] { (void)read_walk_network(garbage_osm, m_walk); }, garbage_osm);
    const fs::path html = write("page.osm", "<html><body>hello</body></html>");
    expect_error<yike::io_error>([&] { (void)read_walk_network(html, m_walk); }, html);
    const fs::path bad_gz = write("bad.osm.gz", "not gzip data");
    expect_error<yike::io_error>([&] { (void)read_walk_network(bad_gz, m_walk); }, bad_gz);
    const fs::path unknown = write("map.xyz", "whatever");
    expect_error<yike::io_error>([&] { (void)read_walk_network(unknown, m_walk); }, unknown);
}

TEST_F(OsmNetwork, TruncatedPbfIsAnIoError) {
    std::ifstream in(fs::path(YIKE_DATA_DIR) / "osm" / "monaco.osm.pbf", std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_GT(bytes.size(), 100'000U);
    const fs::path half = write("half.osm.pbf", bytes.substr(0, bytes.size() / 2));
    expect_error<yike::io_error>([&] { (void)read_walk_network(half, m_walk); }, half);
    const fs::path header_only = write("cut.osm.pbf", bytes.substr(0, 10));
    expect_error<yike::io_error>([&] { (void)read_walk_network(header_only, m_walk); }, header_only);
}

TEST_F(OsmNetwork, ExtractWithoutWalkableWaysIsADataError) {
    const fs::path nodes_only = write("nodes_only.osm", osm_xml({{1, 0, 0}, {2, 1, 0}}, {}));
    expect_error<yike::data_error>([&] { (void)read_walk_network(nodes_only, m_walk); }, nodes_only,
                                   "contains no walkable way for profile walk");
    const fs::path motorway = write("motorway.osm", osm_xml({{1, 0, 0}, {2, 1, 0}}, {{10, {1, 2}, {{"highway", "motorway"}}}}));
    expect_error<yike::data_error>([&] { (void)read_walk_network(motorway, m_walk); }, motorway,
                                   "contains no walkable way for profile walk");
    const fs::path gone = write("gone.osm", osm_xml({{1, 0, 0}}, {{10, {1, 2}, {{"highway", "footway"}}}}));
    expect_error<yike::data_error>([&] { (void)read_walk_network(gone, m_walk); }, gone, "no walkable way");
}

TEST(OsmNetworkMonaco, BuildsAPlausibleGraph) {
    const fs::path file = fs::path(YIKE_DATA_DIR) / "osm" / "monaco.osm.pbf";
    const WalkNetwork net = read_walk_network(file, load_profile("walk"));
    const WalkGraph& g = net.graph;
    g.check_invariants();
    // Observed with the walk profile: 3988 nodes, 5160 edges, 28528 walkable way-nodes,
    // 34 components, the largest with 3845 nodes. The ranges allow for builder refinements.
    EXPECT_GE(g.node_count(), 3700U);
    EXPECT_LE(g.node_count(), 4300U);
    EXPECT_GE(g.edge_count(), 4800U);
    EXPECT_LE(g.edge_count(), 5500U);
    EXPECT_EQ(net.report.walkable_way_nodes, 28528U);
    EXPECT_GE(net.report.component_count, 10U);
    EXPECT_LE(net.report.component_count, 60U);
    EXPECT_GE(net.report.largest_component_nodes, g.node_count() * 9 / 10);
    EXPECT_EQ(net.report.component_count, yike::routing::connected_components(g).count());
    EXPECT_GT(net.report.ways_read, net.report.walkable_ways);
    EXPECT_LT(g.memory_bytes(), 48 * net.report.walkable_way_nodes);
    // The extract's box: 7.30..7.55 E, 43.65..43.80 N (Monaco and a margin of France).
    const auto [min_lon, max_lon] = std::minmax_element(g.node_lon_e7.begin(), g.node_lon_e7.end());
    const auto [min_lat, max_lat] = std::minmax_element(g.node_lat_e7.begin(), g.node_lat_e7.end());
    EXPECT_GT(*min_lon, 73'000'000);
    EXPECT_LT(*max_lon, 75'500'000);
    EXPECT_GT(*min_lat, 436'500'000);
    EXPECT_LT(*max_lat, 438'000'000);
}
