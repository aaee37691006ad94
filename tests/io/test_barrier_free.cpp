// The barrier-free and crossing rules of walking profiles (wheelchair.toml, signal delays,
// separately mapped sidewalks) on tiny networks drawn as ASCII maps, through the real OSM reader,
// and a differential test of signal delays against a brute-force search over node weights.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "drawn_network.hpp"
#include "support/ascii_osm.hpp"
#include "support/temp_dir.hpp"
#include "yike/error.hpp"
#include "yike/io/osm_network.hpp"
#include "yike/io/profile.hpp"
#include "yike/routing/search.hpp"

namespace yike::io {
namespace {

using test::OsmTags;

std::uint64_t seed() {
    if (const char* env = std::getenv("YIKE_TEST_SEED"); env != nullptr && *env != '\0') {
        return std::stoull(env);
    }
    return 20261203;
}

// walk.toml with `extra` top-level keys added (before its highway table).
WalkProfile walk_with(const test::TempDir& dir, const std::string& extra) {
    std::ifstream in(data_dir() / "profiles" / "walk.toml");
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    const auto at = s.find("[highway_speed_factor]");
    EXPECT_NE(at, std::string::npos);
    s.insert(at, extra + "\n");
    return load_profile(dir.file("variant.toml", s).string());
}

using Built = test::DrawnNetwork;

Built build(std::string_view drawing, const WalkProfile& profile, const std::map<std::string, OsmTags>& way_tags,
            const std::map<char, OsmTags>& node_tags = {}, std::vector<std::string> ways = {}) {
    return test::build_drawn(drawing, profile, way_tags, node_tags, std::move(ways));
}

const WalkProfile& wheelchair() {
    static const WalkProfile p = load_profile("wheelchair");
    return p;
}

const WalkProfile& walk() {
    static const WalkProfile p = load_profile("walk");
    return p;
}

// One way A-B-C of the given tags, and whether A reaches C in the wheelchair profile (a footway
// D-E beside it keeps the network from being empty when A-B-C is not walkable).
bool wheelchair_passes(const OsmTags& tags) {
    return build("A-----B-----C\n\nD-----E", wheelchair(), {{"ABC", tags}}, {}, {"ABC", "DE"}).time_ms('A', 'C') !=
           routing::inf_cost;
}

// A footway A-B-C whose middle node B has the given tags.
bool wheelchair_passes_node(const OsmTags& node) {
    return build("A-----B-----C", wheelchair(), {{"ABC", {{"highway", "footway"}}}}, {{'B', node}}, {"ABC"})
               .time_ms('A', 'C') != routing::inf_cost;
}

TEST(BarrierFreeProfile, WheelchairLoadsItsRulesAndWalkAndSeniorHaveNone) {
    const WalkProfile& w = wheelchair();
    EXPECT_EQ(w.name, "wheelchair");
    EXPECT_EQ(w.speed_mm_per_s, 800U);
    EXPECT_TRUE(w.steps_need_ramp);
    EXPECT_TRUE(w.wheelchair_tags);
    EXPECT_EQ(w.max_kerb_height_mm, 30U);
    EXPECT_EQ(w.max_incline_permille, 80U);
    EXPECT_EQ(w.min_width_mm, 900U);
    EXPECT_EQ(w.signal_delay_ms, 30'000U);
    EXPECT_TRUE(w.blocking_kerbs.contains("raised"));
    EXPECT_TRUE(w.blocked_surfaces.contains("sand"));
    EXPECT_DOUBLE_EQ(w.surface_speed_factor.at("sett"), 0.7);
    EXPECT_TRUE(w.separate_sidewalk_classes.contains("primary"));
    for (const char* name : {"walk", "senior"}) {
        const WalkProfile p = load_profile(name);
        EXPECT_FALSE(p.steps_need_ramp || p.wheelchair_tags) << name;
        EXPECT_FALSE(p.max_kerb_height_mm || p.max_incline_permille || p.min_width_mm) << name;
        EXPECT_TRUE(p.blocking_kerbs.empty() && p.blocked_surfaces.empty() && p.blocked_smoothness.empty()) << name;
        EXPECT_TRUE(p.surface_speed_factor.empty() && p.smoothness_speed_factor.empty()) << name;
        EXPECT_EQ(p.signal_delay_ms, 0U) << name;
        EXPECT_TRUE(p.separate_sidewalk_classes.empty()) << name;
    }
}

TEST(BarrierFreeProfile, BadValuesAreRejectedNamingFileAndKey) {
    const test::TempDir dir;
    auto rejected = [&](const std::string& extra, const std::string& needle) {
        const std::string what = test::error_of([&] { (void)walk_with(dir, extra); });
        EXPECT_TRUE(test::contains(what, "variant.toml")) << what;
        EXPECT_TRUE(test::contains(what, needle)) << extra << " -> " << what;
        EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    };
    rejected("max_incline_percent = 0", "profile key 'max_incline_percent' must be in (0, 100], got 0");
    rejected("max_incline_percent = \"8%\"", "'max_incline_percent' must be a number");
    rejected("max_kerb_height_cm = -1", "'max_kerb_height_cm' must be in (0, 100]");
    rejected("min_width_m = 0", "'min_width_m' must be in (0, 20]");
    rejected("max_incline_percent = 0.01", "'max_incline_percent' must be at least 0.1, got 0.01");
    rejected("blocked_surfaces = [\"sandy\"]", "'blocked_surfaces' value 'sandy' is not a known value");
    rejected("blocked_smoothness = [\"rough\"]", "'blocked_smoothness' value 'rough' is not a known value");
    rejected("blocking_kerbs = [\"high\"]", "'blocking_kerbs' value 'high' is not a known value");
    rejected("steps_need_ramp = \"yes\"", "'steps_need_ramp' must be true or false");
    rejected("signal_delay_s = -5", "'signal_delay_s' must be in [0, 600] s");
    rejected("separate_sidewalk_classes = [\"motorway_junction\"]", "class 'motorway_junction' has no entry");
    rejected("blocked_surfaces = [\"sett\"]\n[surface_speed_factor]\nsett = 0.5", "'surface_speed_factor.sett' is also in blocked_surfaces");
    rejected("[surface_speed_factor]\nsett = 1.5", "'surface_speed_factor.sett' must be in (0, 1]");
    rejected("[smoothness_speed_factor]\nbumpy = 0.5", "'smoothness_speed_factor.bumpy' is not a known value");
}

TEST(BarrierFreeRules, StepsNeedARampOrAWheelchairYes) {
    EXPECT_FALSE(wheelchair_passes({{"highway", "steps"}}));
    EXPECT_TRUE(wheelchair_passes({{"highway", "steps"}, {"ramp", "yes"}}));
    EXPECT_TRUE(wheelchair_passes({{"highway", "steps"}, {"ramp:wheelchair", "yes"}}));
    EXPECT_TRUE(wheelchair_passes({{"highway", "steps"}, {"wheelchair", "limited"}}));
    EXPECT_FALSE(wheelchair_passes({{"highway", "steps"}, {"ramp", "no"}}));
    // The walk profile still takes them.
    EXPECT_NE(build("A-----B-----C", walk(), {{"ABC", {{"highway", "steps"}}}}, {}, {"ABC"}).time_ms('A', 'C'),
              routing::inf_cost);
}

TEST(BarrierFreeRules, WheelchairTagBlocksOrExemptsButNeverOverridesAccess) {
    EXPECT_FALSE(wheelchair_passes({{"highway", "footway"}, {"wheelchair", "no"}}));
    EXPECT_TRUE(wheelchair_passes({{"highway", "footway"}, {"wheelchair", "yes"}}));
    // wheelchair=yes does not open a private way nor a class the profile does not walk.
    EXPECT_FALSE(wheelchair_passes({{"highway", "footway"}, {"access", "private"}, {"wheelchair", "yes"}}));
    EXPECT_FALSE(wheelchair_passes({{"highway", "motorway"}, {"wheelchair", "yes"}}));
    // It exempts from the physical rules: a steep ramp a mapper judged usable.
    EXPECT_TRUE(wheelchair_passes({{"highway", "footway"}, {"incline", "12%"}, {"wheelchair", "yes"}}));
    // Walk ignores wheelchair=*.
    EXPECT_NE(build("A-----B-----C", walk(), {{"ABC", {{"highway", "footway"}, {"wheelchair", "no"}}}}, {}, {"ABC"})
                  .time_ms('A', 'C'),
              routing::inf_cost);
}

TEST(BarrierFreeRules, RaisedKerbsAndHighKerbHeightsCutTheWay) {
    EXPECT_TRUE(wheelchair_passes_node({}));
    EXPECT_FALSE(wheelchair_passes_node({{"barrier", "kerb"}, {"kerb", "raised"}}));
    EXPECT_FALSE(wheelchair_passes_node({{"kerb", "raised"}})); // a kerb tagged on a crossing node
    EXPECT_TRUE(wheelchair_passes_node({{"barrier", "kerb"}, {"kerb", "lowered"}}));
    EXPECT_TRUE(wheelchair_passes_node({{"barrier", "kerb"}, {"kerb", "flush"}}));
    // A measured height decides over kerb=*: metres by default, or with a unit.
    EXPECT_TRUE(wheelchair_passes_node({{"kerb", "raised"}, {"kerb:height", "0.02"}}));
    EXPECT_FALSE(wheelchair_passes_node({{"kerb", "lowered"}, {"kerb:height", "0.05"}}));
    EXPECT_FALSE(wheelchair_passes_node({{"kerb:height", "5 cm"}}));
    EXPECT_TRUE(wheelchair_passes_node({{"kerb:height", "3cm"}}));  // at the limit
    EXPECT_TRUE(wheelchair_passes_node({{"kerb:height", "20mm"}}));
    EXPECT_TRUE(wheelchair_passes_node({{"kerb:height", "low"}})); // unknown measure: not guessed
    EXPECT_TRUE(wheelchair_passes_node({{"kerb", "raised"}, {"wheelchair", "yes"}}));
    EXPECT_FALSE(wheelchair_passes_node({{"wheelchair", "no"}}));
    // A barrier the walk profile passes but the wheelchair profile does not list.
    EXPECT_FALSE(wheelchair_passes_node({{"barrier", "stile"}}));
    // The blocked node counts as a blocking barrier; for walk the raised kerb is an ordinary point.
    const auto b = build("A-----B-----C", wheelchair(), {{"ABC", {{"highway", "footway"}}}},
                         {{'B', {{"barrier", "kerb"}, {"kerb", "raised"}}}}, {"ABC"});
    EXPECT_EQ(b.network.report.blocking_barriers, 1U);
    const auto w = build("A-----B-----C", walk(), {{"ABC", {{"highway", "footway"}}}},
                         {{'B', {{"barrier", "kerb"}, {"kerb", "raised"}}}}, {"ABC"});
    EXPECT_EQ(w.network.report.blocking_barriers, 0U);
    EXPECT_NE(w.time_ms('A', 'C'), routing::inf_cost);
}

TEST(BarrierFreeRules, InclineAboveTheLimitBlocksUnknownInclinesDoNot) {
    EXPECT_FALSE(wheelchair_passes({{"highway", "footway"}, {"incline", "10%"}}));
    EXPECT_FALSE(wheelchair_passes({{"highway", "footway"}, {"incline", "-10%"}}));
    EXPECT_FALSE(wheelchair_passes({{"highway", "footway"}, {"incline", "8.5 %"}}));
    EXPECT_TRUE(wheelchair_passes({{"highway", "footway"}, {"incline", "8%"}}));
    EXPECT_TRUE(wheelchair_passes({{"highway", "footway"}, {"incline", "5"}})); // plain number: percent
    EXPECT_FALSE(wheelchair_passes({{"highway", "footway"}, {"incline", "5°"}})); // tan 5° = 8.75 %
    EXPECT_TRUE(wheelchair_passes({{"highway", "footway"}, {"incline", "4°"}}));  // 6.99 %
    EXPECT_TRUE(wheelchair_passes({{"highway", "footway"}, {"incline", "up"}}));
    EXPECT_TRUE(wheelchair_passes({{"highway", "footway"}, {"incline", "down"}}));
    EXPECT_TRUE(wheelchair_passes({{"highway", "footway"}, {"incline", "steep"}}));
}

TEST(BarrierFreeRules, SurfaceAndSmoothnessSlowOrBlock) {
    EXPECT_FALSE(wheelchair_passes({{"highway", "footway"}, {"surface", "sand"}}));
    EXPECT_FALSE(wheelchair_passes({{"highway", "footway"}, {"smoothness", "horrible"}}));
    const char* drawing = "A-----B-----C";
    const auto plain = build(drawing, wheelchair(), {{"ABC", {{"highway", "footway"}, {"surface", "asphalt"}}}}, {}, {"ABC"});
    const auto sett = build(drawing, wheelchair(), {{"ABC", {{"highway", "footway"}, {"surface", "sett"}}}}, {}, {"ABC"});
    const auto both = build(drawing, wheelchair(),
                            {{"ABC", {{"highway", "footway"}, {"surface", "sett"}, {"smoothness", "bad"}}}}, {}, {"ABC"});
    const auto t0 = plain.time_ms('A', 'C');
    ASSERT_NE(t0, routing::inf_cost);
    // 120 m at 0.8 m/s = 150 s; sett 0.7 → 560 mm/s; sett and bad 0.7 × 0.7 → 392 mm/s.
    EXPECT_NEAR(static_cast<double>(t0), 150'000.0, 300.0);
    EXPECT_NEAR(static_cast<double>(sett.time_ms('A', 'C')), static_cast<double>(t0) * 800.0 / 560.0, 2.0);
    EXPECT_NEAR(static_cast<double>(both.time_ms('A', 'C')), static_cast<double>(t0) * 800.0 / 392.0, 2.0);
}

TEST(BarrierFreeRules, NarrowWaysBlockUnparsableWidthsDoNot) {
    EXPECT_FALSE(wheelchair_passes({{"highway", "footway"}, {"width", "0.8"}}));
    EXPECT_FALSE(wheelchair_passes({{"highway", "footway"}, {"width", "80 cm"}}));
    EXPECT_TRUE(wheelchair_passes({{"highway", "footway"}, {"width", "1.2 m"}}));
    EXPECT_TRUE(wheelchair_passes({{"highway", "footway"}, {"width", "120cm"}}));
    EXPECT_TRUE(wheelchair_passes({{"highway", "footway"}, {"width", "0.9"}}));
    EXPECT_TRUE(wheelchair_passes({{"highway", "footway"}, {"width", "narrow"}}));
    EXPECT_TRUE(wheelchair_passes({{"highway", "footway"}, {"width", "3'"}}));
}

//   A---B   steps between two levels, with an elevator beside them (way E-F and node E tagged
//   |   |   highway=elevator): the wheelchair goes round through the elevator.
//   E---F
TEST(BarrierFreeRules, ElevatorsPass) {
    const char* drawing = R"(
A-----B
|     |
E-----F
)";
    const auto b = build(drawing, wheelchair(),
                         {{"AB", {{"highway", "steps"}}}, {"EF", {{"highway", "elevator"}}}},
                         {{'E', {{"highway", "elevator"}}}});
    EXPECT_FALSE(b.has_way("AB"));
    EXPECT_TRUE(b.has_way("EF"));
    EXPECT_NE(b.time_ms('A', 'B'), routing::inf_cost);
}

// A primary street A-B whose sidewalks are mapped as ways of their own (C-D and F-G), joined by
// one mapped crossing C-E-F.
TEST(Crossings, SeparateSidewalksMakeTheStreetCrossableOnlyAtCrossings) {
    const test::TempDir dir;
    const WalkProfile only_crossings = walk_with(dir, "separate_sidewalk_classes = [\"primary\"]");
    const char* drawing = R"(
A-----------B
C-----------D
|
E
|
F-----------G
)";
    // Dropped, the street is gone from the graph and D reaches G over the crossing C-E-F.
    const std::map<std::string, OsmTags> tags{
        {"AB", {{"highway", "primary"}, {"sidewalk", "separate"}}},
        {"CD", {{"highway", "footway"}, {"footway", "sidewalk"}}},
        {"FG", {{"highway", "footway"}, {"footway", "sidewalk"}}},
        {"CEF", {{"highway", "footway"}, {"footway", "crossing"}}},
    };
    const std::vector<std::string> ways{"AB", "CD", "FG", "CEF"};
    const auto walked = build(drawing, walk(), tags, {}, ways);
    EXPECT_TRUE(walked.has_way("AB"));
    const auto dropped = build(drawing, only_crossings, tags, {}, ways);
    EXPECT_FALSE(dropped.has_way("AB"));
    EXPECT_NE(dropped.time_ms('D', 'G'), routing::inf_cost);
    auto dropped_with = [&](const OsmTags& street) {
        auto t = tags;
        t["AB"] = street;
        return !build(drawing, only_crossings, t, {}, ways).has_way("AB");
    };
    EXPECT_TRUE(dropped_with({{"highway", "primary"}, {"sidewalk:both", "separate"}}));
    EXPECT_TRUE(dropped_with({{"highway", "primary"}, {"sidewalk:left", "separate"}, {"sidewalk:right", "no"}}));
    EXPECT_FALSE(dropped_with({{"highway", "primary"}, {"sidewalk:left", "separate"}, {"sidewalk:right", "yes"}}));
    EXPECT_FALSE(dropped_with({{"highway", "primary"}, {"sidewalk", "both"}}));
    EXPECT_FALSE(dropped_with({{"highway", "residential"}, {"sidewalk", "separate"}})); // class not listed
}

// A footway A-B-C with a signalised crossing at B (interior to the way) and a spur B-D, so that B
// is a junction with or without the delay and the times compare exactly.
TEST(Crossings, SignalDelayIsPaidOnceThroughTheNodeAndHalfAtIt) {
    const test::TempDir dir;
    const WalkProfile delayed = walk_with(dir, "signal_delay_s = 20.001");
    EXPECT_EQ(delayed.signal_delay_ms, 20'001U);
    const routing::Cost half = 10'001; // rounded up: through the node costs 20 002 ms
    const char* drawing = R"(
A-----B-----C
      |
      D
)";
    const std::vector<std::string> ways{"ABC", "BD"};
    for (const char* key : {"highway", "crossing"}) {
        const std::map<char, OsmTags> signal{{'B', {{key, "traffic_signals"}}}};
        const auto base = build(drawing, walk(), {}, signal, ways);
        const auto d = build(drawing, delayed, {}, signal, ways);
        EXPECT_EQ(d.time_ms('A', 'C'), base.time_ms('A', 'C') + 2 * half) << key;
        EXPECT_EQ(d.time_ms('A', 'D'), base.time_ms('A', 'D') + 2 * half) << key;
        EXPECT_EQ(d.time_ms('A', 'B'), base.time_ms('A', 'B') + half) << key;
    }
    // Without the spur the node is cut into a junction of its own, so the way pays the delay too.
    const auto base = build("A-----B-----C", walk(), {}, {}, {"ABC"});
    const auto d = build("A-----B-----C", delayed, {}, {{'B', {{"crossing", "traffic_signals"}}}}, {"ABC"});
    EXPECT_EQ(base.node('B'), routing::invalid_id);
    EXPECT_NE(d.node('B'), routing::invalid_id);
    EXPECT_NEAR(static_cast<double>(d.time_ms('A', 'C')), static_cast<double>(base.time_ms('A', 'C') + 2 * half), 2.0);
    // A plain crossing without signals costs nothing.
    const auto plain = build("A-----B-----C", delayed, {}, {{'B', {{"crossing", "uncontrolled"}}}}, {"ABC"});
    EXPECT_EQ(plain.time_ms('A', 'C'), base.time_ms('A', 'C'));
}

// Random street grids where every drawn connection is a way of its own (so every letter is a graph
// node whatever the delay) and random nodes are signalised. The graph's shortest times must equal
// a Floyd-Warshall search on the delay-free graph with the rule stated per node: walking through a
// signalised node costs the whole delay (2 × half, rounded up), starting or ending at one half.
TEST(Crossings, SignalDelaysMatchABruteForceOverNodeWeights) {
    std::mt19937_64 rng(seed());
    const test::TempDir dir;
    const WalkProfile delayed = walk_with(dir, "signal_delay_s = 7.001");
    const routing::Cost half = 3'501;
    for (int round = 0; round < 20; ++round) {
        // A 4 x 4 grid of letters 6 cells apart, each connection present with probability 3/4.
        std::vector<std::string> rows(4 * 3 + 1, std::string(4 * 6 + 1, ' '));
        std::vector<char> letters;
        for (int r = 0; r < 4; ++r) {
            for (int c = 0; c < 4; ++c) {
                const char name = static_cast<char>('A' + r * 4 + c);
                letters.push_back(name);
                rows[r * 3][c * 6] = name;
                if (c < 3 && rng() % 4 != 0) {
                    for (int k = 1; k < 6; ++k) rows[r * 3][c * 6 + k] = '-';
                }
                if (r < 3 && rng() % 4 != 0) {
                    rows[r * 3 + 1][c * 6] = '|';
                    rows[r * 3 + 2][c * 6] = '|';
                }
            }
        }
        std::string drawing;
        for (auto& row : rows) {
            while (!row.empty() && row.back() == ' ') row.pop_back();
            drawing += row + "\n";
        }
        std::map<char, OsmTags> signals;
        std::vector<bool> signalised(letters.size(), false);
        for (std::size_t i = 0; i < letters.size(); ++i) {
            if (rng() % 3 == 0) {
                signals[letters[i]] = {{rng() % 2 == 0 ? "highway" : "crossing", "traffic_signals"}};
                signalised[i] = true;
            }
        }
        Built base;
        try {
            base = build(drawing, walk(), {}, signals);
        } catch (const data_error&) {
            continue; // no connection drawn at all
        }
        const auto d = build(drawing, delayed, {}, signals);
        // Floyd-Warshall over the letters on the delay-free graph, node weights at the relay.
        const std::size_t n = letters.size();
        constexpr std::uint64_t inf = std::uint64_t{1} << 40;
        std::vector<std::uint64_t> dist(n * n, inf);
        std::vector<bool> present(n, false);
        const auto& g = base.network.graph;
        for (std::size_t i = 0; i < n; ++i) {
            const auto u = base.node(letters[i]);
            if (u == routing::invalid_id) continue;
            present[i] = true;
            dist[i * n + i] = 0;
            for (auto a = g.first_out[u]; a < g.first_out[u + 1]; ++a) {
                const auto v = g.head[a];
                const auto j = static_cast<std::size_t>(
                    std::find_if(letters.begin(), letters.end(),
                                 [&](char c) { return base.map.osm_id(c) == g.node_osm_id[v]; }) -
                    letters.begin());
                ASSERT_LT(j, n);
                dist[i * n + j] = std::min<std::uint64_t>(dist[i * n + j], g.arc_time_ms[a]);
            }
        }
        for (std::size_t k = 0; k < n; ++k) {
            const std::uint64_t through = signalised[k] ? 2 * half : 0;
            for (std::size_t i = 0; i < n; ++i) {
                for (std::size_t j = 0; j < n; ++j) {
                    if (i == k || j == k) continue;
                    dist[i * n + j] = std::min(dist[i * n + j], dist[i * n + k] + through + dist[k * n + j]);
                }
            }
        }
        for (std::size_t i = 0; i < n; ++i) {
            if (!present[i]) continue;
            for (std::size_t j = 0; j < n; ++j) {
                if (!present[j] || i == j) continue;
                const std::uint64_t expected = dist[i * n + j] >= inf
                                                   ? routing::inf_cost
                                                   : dist[i * n + j] + (signalised[i] ? half : 0) + (signalised[j] ? half : 0);
                EXPECT_EQ(d.time_ms(letters[i], letters[j]), expected)
                    << "seed " << seed() << " round " << round << " " << letters[i] << "->" << letters[j] << "\n" << drawing;
            }
        }
    }
}

} // namespace
} // namespace yike::io
