// Tag rules of the walking profile on tiny networks drawn as ASCII maps, through the real OSM
// reader (the maps become OSM XML with the tags given per way and per node).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "drawn_network.hpp"
#include "support/ascii_osm.hpp"
#include "yike/io/osm_network.hpp"
#include "yike/io/profile.hpp"
#include "yike/routing/search.hpp"

namespace yike::io {
namespace {

using test::OsmTags;

using Built = test::DrawnNetwork;

Built build(std::string_view drawing, const std::map<std::string, OsmTags>& way_tags,
            const std::map<char, OsmTags>& node_tags = {}, std::vector<std::string> ways = {}) {
    return test::build_drawn(drawing, load_profile("walk"), way_tags, node_tags, std::move(ways));
}

// Four ways round a block: 60 m along A-B and C-D, 20 m along A-C and B-D.
const char* const block = R"(
A-----B
|     |
C-----D
)";

TEST(TagRulesAscii, StepsAreWalkedAtHalfSpeed) {
    const auto b = build("A-----B-----C", {{"AB", {{"highway", "footway"}}}, {"BC", {{"highway", "steps"}}}});
    const auto flat = b.time_ms('A', 'B');
    const auto steps = b.time_ms('B', 'C');
    ASSERT_NE(flat, routing::inf_cost);
    EXPECT_NEAR(static_cast<double>(steps), 2.0 * flat, 2.0); // same length, walk profile steps factor 0.5
}

TEST(TagRulesAscii, PrivateAccessIsExcluded) {
    const auto b = build(block, {{"BD", {{"highway", "service"}, {"access", "private"}}}});
    EXPECT_FALSE(b.has_way(b.map.way_id("BD")));
    // B to D goes round through A and C (60 + 20 + 60 m) instead of the 20 m private way.
    EXPECT_EQ(b.time_ms('B', 'D'), b.time_ms('B', 'A') + b.time_ms('A', 'C') + b.time_ms('C', 'D'));
    EXPECT_NEAR(static_cast<double>(b.time_ms('B', 'D')), 140'000.0, 200.0);
    // foot=yes overrides access=private.
    const auto open = build(block, {{"BD", {{"highway", "service"}, {"access", "private"}, {"foot", "yes"}}}});
    EXPECT_TRUE(open.has_way(open.map.way_id("BD")));
}

TEST(TagRulesAscii, GateWithPrivateAccessBlocksAndAPlainGateDoesNot) {
    const std::vector<std::string> one_way{"ABC"};
    const auto blocked = build("A-----B-----C", {{"ABC", {{"highway", "footway"}}}},
                               {{'B', {{"barrier", "gate"}, {"access", "private"}}}}, one_way);
    EXPECT_EQ(blocked.time_ms('A', 'C'), routing::inf_cost);
    EXPECT_EQ(blocked.network.report.blocking_barriers, 1U);
    const auto open = build("A-----B-----C", {{"ABC", {{"highway", "footway"}}}}, {{'B', {{"barrier", "gate"}}}},
                            one_way);
    EXPECT_NE(open.time_ms('A', 'C'), routing::inf_cost);
    EXPECT_EQ(open.network.report.blocking_barriers, 0U);
}

TEST(TagRulesAscii, MotorwayIsNotWalkable) {
    const auto b = build(block, {{"AB", {{"highway", "motorway"}, {"foot", "yes"}}}});
    EXPECT_FALSE(b.has_way(b.map.way_id("AB")));
    EXPECT_EQ(b.network.graph.edge_count(), 3U);
    // A to B goes round through C and D (20 + 60 + 20 m).
    EXPECT_EQ(b.time_ms('A', 'B'), b.time_ms('A', 'C') + b.time_ms('C', 'D') + b.time_ms('D', 'B'));
    EXPECT_NEAR(static_cast<double>(b.time_ms('A', 'B')), 100'000.0, 200.0);
}

TEST(TagRulesAscii, OnewayIsIgnoredAndFerriesAreExcluded) {
    const auto b = build("A-----B-----C", {{"AB", {{"highway", "residential"}, {"oneway", "yes"}}},
                                           {"BC", {{"route", "ferry"}}}});
    EXPECT_NE(b.time_ms('B', 'A'), routing::inf_cost);
    EXPECT_FALSE(b.has_way(b.map.way_id("BC")));
}

} // namespace
} // namespace yike::io
