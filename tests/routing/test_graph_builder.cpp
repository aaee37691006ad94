// build_walk_graph and connected_components on ASCII maps and random pieces.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "random_graph.hpp"
#include "support/ascii_map.hpp"
#include "yike/routing/graph.hpp"

namespace yike::routing {
namespace {

double geodesic_m(const test::AsciiMap& map, char a, char b) {
    return segment_length_m(map.node_lonlat.at(a), map.node_lonlat.at(b));
}

TEST(AsciiMap, ParsesNodesAndRuns) {
    const auto map = test::parse_ascii_map(R"(
A---B---C
    |
    D
)",
                                           test::grid_options(10.0));
    EXPECT_EQ(map.node_osm_id.size(), 4U);
    ASSERT_EQ(map.way_nodes, (std::vector<std::string>{"AB", "BC", "BD"}));
    EXPECT_EQ(map.pieces.size(), 3U);
    EXPECT_NEAR(geodesic_m(map, 'A', 'B'), 40.0, 1e-6);
    EXPECT_NEAR(geodesic_m(map, 'B', 'D'), 20.0, 1e-6);
    EXPECT_NEAR(geodesic_m(map, 'A', 'C'), 80.0, 1e-6);
    EXPECT_NE(map.osm_id('A'), map.osm_id('B'));
    EXPECT_EQ(map.pieces[2].point_osm_id, (std::vector<std::int64_t>{map.osm_id('B'), map.osm_id('D')}));
    EXPECT_EQ(map.way_id("BD"), map.pieces[2].way_id);
    EXPECT_THROW((void)map.osm_id('Z'), std::invalid_argument);
    EXPECT_THROW(test::parse_ascii_map("A---"), std::invalid_argument);
    EXPECT_THROW(test::parse_ascii_map("A-B-A"), std::invalid_argument);

    test::AsciiMapOptions options = test::grid_options(10.0);
    options.on_way = [](EdgeInput& way, std::string_view nodes, std::size_t) {
        if (nodes == "BC") {
            way.speed_mm_per_s = 500;
        }
    };
    const auto slow = test::parse_ascii_map("A---B---C", options);
    EXPECT_EQ(slow.pieces[0].speed_mm_per_s, 1000U);
    EXPECT_EQ(slow.pieces[1].speed_mm_per_s, 500U);
}

TEST(GraphBuilder, SplitsWaysAtSharedNodes) {
    test::AsciiMapOptions options = test::grid_options(10.0);
    options.ways = {"ABC", "DBE"};
    const auto map = test::parse_ascii_map(R"(
    D
    |
A---B---C
    |
    E
)",
                                           options);
    const WalkGraph g = test::checked_walk_graph(map.pieces);
    EXPECT_EQ(g.node_count(), 5U);
    EXPECT_EQ(g.edge_count(), 4U);
    const NodeId b = test::node_of(g, map.osm_id('B'));
    ASSERT_NE(b, invalid_id);
    EXPECT_EQ(g.first_out[b + 1] - g.first_out[b], 4U);
    for (const char c : std::string("ACDE")) {
        const NodeId u = test::node_of(g, map.osm_id(c));
        ASSERT_NE(u, invalid_id);
        EXPECT_EQ(g.first_out[u + 1] - g.first_out[u], 1U);
        const EdgeId e = test::edge_between(g, u, b);
        ASSERT_NE(e, invalid_id);
        EXPECT_EQ(g.edge_way_id[e], map.way_id(c == 'A' || c == 'C' ? "ABC" : "DBE"));
        EXPECT_NEAR(g.edge_length_cm[e], geodesic_m(map, c, 'B') * 100.0, 1.5);
        EXPECT_EQ(g.edge_time_ms[e], g.edge_length_cm[e] * 10); // 1 m/s
    }
}

TEST(GraphBuilder, KeepsADegreeTwoChainAsOneEdge) {
    test::AsciiMapOptions options = test::grid_options(10.0);
    options.ways = {"ABCDE"};
    const auto map = test::parse_ascii_map(R"(
A---B
    |
    C---D
        |
        E
)",
                                           options);
    const WalkGraph g = test::checked_walk_graph(map.pieces);
    ASSERT_EQ(g.node_count(), 2U);
    ASSERT_EQ(g.edge_count(), 1U);
    EXPECT_EQ(g.edge_first_point[1] - g.edge_first_point[0], 5U);
    const double expected_m = geodesic_m(map, 'A', 'B') + geodesic_m(map, 'B', 'C') + geodesic_m(map, 'C', 'D') +
                              geodesic_m(map, 'D', 'E');
    EXPECT_NEAR(g.edge_length_cm[0], expected_m * 100.0, 3.0);
    // Geometry runs from the edge's tail to its head, every point kept in order.
    const NodeId a = test::node_of(g, map.osm_id('A'));
    const std::string order = g.edge_tail[0] == a ? "ABCDE" : "EDCBA";
    for (std::size_t i = 0; i < order.size(); ++i) {
        const LonLat ll = map.node_lonlat.at(order[i]);
        EXPECT_NEAR(g.point_lon_e7[i], ll.lon * 1e7, 0.51);
        EXPECT_NEAR(g.point_lat_e7[i], ll.lat * 1e7, 0.51);
    }
    EXPECT_EQ(g.point_lon_e7.front(), g.node_lon_e7[g.edge_tail[0]]);
    EXPECT_EQ(g.point_lat_e7.back(), g.node_lat_e7[g.edge_head[0]]);
}

TEST(GraphBuilder, RepeatedConsecutivePointsAreOnePoint) {
    test::AsciiMapOptions options = test::grid_options(10.0);
    options.ways = {"ABBCDD", "DEF"};
    const auto map = test::parse_ascii_map("A-B-C-D-E-F", options);
    // The repeats are dropped without making B a junction; D (shared with the second way) is one.
    const WalkGraph g = test::checked_walk_graph(map.pieces);
    EXPECT_EQ(g.node_count(), 3U);
    ASSERT_EQ(g.edge_count(), 2U);
    const EdgeId ad = test::edge_between(g, test::node_of(g, map.osm_id('A')), test::node_of(g, map.osm_id('D')));
    ASSERT_NE(ad, invalid_id);
    EXPECT_EQ(g.edge_first_point[ad + 1] - g.edge_first_point[ad], 4U);
    EXPECT_NEAR(g.edge_length_cm[ad], 6000.0, 2.0);

    // A repeated end that is detached stays detached.
    test::AsciiMapOptions detached = options;
    detached.on_way = [](EdgeInput& way, std::string_view nodes, std::size_t) { way.detach_back = nodes == "ABBCDD"; };
    const WalkGraph g2 = test::checked_walk_graph(test::parse_ascii_map("A-B-C-D-E-F", detached).pieces);
    EXPECT_EQ(g2.node_count(), 4U);
    EXPECT_EQ(connected_components(g2).count(), 2U);
}

TEST(GraphBuilder, DetachedEndsStayApart) {
    test::AsciiMapOptions options = test::grid_options(10.0);
    options.on_way = [](EdgeInput& way, std::string_view nodes, std::size_t) {
        if (nodes == "AB") {
            way.detach_back = true; // a gate at B
        }
    };
    const auto map = test::parse_ascii_map("A---B---C", options);
    const WalkGraph g = test::checked_walk_graph(map.pieces);
    EXPECT_EQ(g.node_count(), 4U);
    EXPECT_EQ(g.edge_count(), 2U);
    EXPECT_EQ(std::count(g.node_osm_id.begin(), g.node_osm_id.end(), map.osm_id('B')), 2);
    const Components c = connected_components(g);
    EXPECT_EQ(c.count(), 2U);
    EXPECT_EQ(c.component_size, (std::vector<std::uint32_t>{2, 2}));

    // Detaching the front of the other piece instead gives the same split.
    test::AsciiMapOptions front = test::grid_options(10.0);
    front.on_way = [](EdgeInput& way, std::string_view nodes, std::size_t) { way.detach_front = nodes == "BC"; };
    const WalkGraph g2 = build_walk_graph(test::parse_ascii_map("A---B---C", front).pieces, 1000);
    EXPECT_EQ(g2.node_count(), 4U);
    EXPECT_EQ(connected_components(g2).count(), 2U);

    // Without detaching, B joins both pieces.
    const WalkGraph joined = build_walk_graph(test::parse_ascii_map("A---B---C", test::grid_options(10.0)).pieces, 1000);
    EXPECT_EQ(joined.node_count(), 3U);
    EXPECT_EQ(connected_components(joined).count(), 1U);
}

void expect_same_graph(const WalkGraph& a, const WalkGraph& b) {
    EXPECT_EQ(a.first_out, b.first_out);
    EXPECT_EQ(a.head, b.head);
    EXPECT_EQ(a.arc_edge, b.arc_edge);
    EXPECT_EQ(a.node_osm_id, b.node_osm_id);
    EXPECT_EQ(a.edge_tail, b.edge_tail);
    EXPECT_EQ(a.edge_head, b.edge_head);
    EXPECT_EQ(a.edge_way_id, b.edge_way_id);
    EXPECT_EQ(a.edge_length_cm, b.edge_length_cm);
    EXPECT_EQ(a.point_lon_e7, b.point_lon_e7);
    EXPECT_EQ(a.point_lat_e7, b.point_lat_e7);
}

TEST(GraphBuilder, PieceOrderDoesNotMatter) {
    // Two pieces of way 7 between A and C (via B and via D), and a gate G that two detached
    // pieces of way 8 end at.
    test::AsciiMapOptions options = test::grid_options(10.0);
    options.ways = {"ABC", "ADC", "EG", "GF", "CE"};
    options.on_way = [](EdgeInput& way, std::string_view nodes, std::size_t) {
        way.way_id = nodes == "ABC" || nodes == "ADC" ? 7 : 8;
        way.detach_back = nodes == "EG";
        way.detach_front = nodes == "GF";
    };
    const auto map = test::parse_ascii_map(R"(
  B
A   C---E---G---F
  D
)",
                                           options);
    std::vector<EdgeInput> pieces = map.pieces;
    const WalkGraph forward = test::checked_walk_graph(pieces);
    EXPECT_EQ(forward.node_count(), 6U);
    EXPECT_EQ(connected_components(forward).count(), 2U);
    std::reverse(pieces.begin(), pieces.end());
    expect_same_graph(forward, build_walk_graph(pieces, 1000));
    std::swap(pieces[0], pieces[3]);
    expect_same_graph(forward, build_walk_graph(pieces, 1000));
}

TEST(GraphBuilder, ConnectedComponents) {
    const auto map = test::parse_ascii_map(R"(
A---B   F---G
|       |
C---D   H

J---K
)",
                                           test::grid_options(10.0));
    const WalkGraph g = test::checked_walk_graph(map.pieces);
    const Components c = connected_components(g);
    ASSERT_EQ(c.count(), 3U);
    EXPECT_EQ(c.component_size, (std::vector<std::uint32_t>{4, 3, 2}));
    auto comp = [&](char x) { return c.node_component[test::node_of(g, map.osm_id(x))]; };
    EXPECT_EQ(comp('A'), 0U);
    EXPECT_EQ(comp('D'), 0U);
    EXPECT_EQ(comp('F'), 1U);
    EXPECT_EQ(comp('H'), 1U);
    EXPECT_EQ(comp('J'), 2U);
    EXPECT_EQ(comp('K'), 2U);
}

TEST(GraphBuilder, RandomPiecesKeepInvariants) {
    std::mt19937_64 rng(test::test_seed() + 20);
    for (int round = 0; round < 5; ++round) {
        const auto pieces = test::random_pieces(rng);
        const WalkGraph g = test::checked_walk_graph(pieces);
        // Every junction id that ends a piece or occurs twice is a node, and no other point is.
        std::multiset<std::int64_t> seen;
        std::set<std::int64_t> ends;
        for (const auto& p : pieces) {
            ends.insert(p.point_osm_id.front());
            ends.insert(p.point_osm_id.back());
            seen.insert(p.point_osm_id.begin(), p.point_osm_id.end());
        }
        std::set<std::int64_t> expected;
        for (const auto id : seen) {
            if (ends.count(id) != 0 || seen.count(id) > 1) {
                expected.insert(id);
            }
        }
        const std::set<std::int64_t> nodes(g.node_osm_id.begin(), g.node_osm_id.end());
        EXPECT_EQ(nodes, expected);
        EXPECT_EQ(nodes.size(), g.node_count());
        // Total geometry length is preserved by splitting.
        double input_m = 0;
        double segments = 0;
        for (const auto& p : pieces) {
            for (std::size_t i = 1; i < p.points.size(); ++i) {
                segments += 1;
                input_m += segment_length_m(p.points[i - 1], p.points[i]);
            }
        }
        double built_cm = 0;
        for (EdgeId e = 0; e < g.edge_count(); ++e) {
            built_cm += g.edge_length_cm[e];
        }
        // Coordinates are rounded to 1e-7 degrees (< 1.2 cm) and edge lengths to 1 cm.
        EXPECT_NEAR(built_cm, input_m * 100.0, 2.0 * segments + 1.0 * g.edge_count());
        const Components c = connected_components(g);
        std::uint32_t total = 0;
        for (std::size_t i = 0; i < c.component_size.size(); ++i) {
            total += c.component_size[i];
            if (i > 0) {
                EXPECT_GE(c.component_size[i - 1], c.component_size[i]);
            }
        }
        EXPECT_EQ(total, g.node_count());
    }
}

} // namespace
} // namespace yike::routing
