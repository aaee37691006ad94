// Directional walking times (slope): graphs whose two arcs of an edge cost differently, searched
// from the sources and towards them, against brute force that walks the graph one way only.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <queue>
#include <random>
#include <vector>

#include "directional_brute_force.hpp"
#include "random_graph.hpp"
#include "support/ascii_map.hpp"
#include "support/temp_dir.hpp"
#include "yike/routing/graph_file.hpp"
#include "yike/routing/search.hpp"

namespace yike::routing {
namespace {

using test::along;
using test::inf64;
using test::walk_from;

// Slopes drawn at random per segment: each way 0.5x to 3x the flat time, independently.
void add_random_slopes(std::vector<EdgeInput>& pieces, std::mt19937_64& rng) {
    std::uniform_real_distribution<double> factor(0.5, 3.0);
    for (EdgeInput& p : pieces) {
        p.segment_time_factor.clear();
        p.segment_back_time_factor.clear();
        for (std::size_t i = 0; i + 1 < p.points.size(); ++i) {
            p.segment_time_factor.push_back(factor(rng));
            p.segment_back_time_factor.push_back(factor(rng));
        }
    }
}

TEST(SlopeGraph, HeightsOnADrawnMapMakeUphillSlower) {
    // A climbs to B (20 m up over ~100 m); C is level with B.
    const auto map = test::parse_ascii_map("A---------B---------C", test::grid_options(10.0));
    const std::map<char, double> height{{'A', 0.0}, {'B', 20.0}, {'C', 20.0}};
    std::vector<EdgeInput> pieces = map.pieces;
    for (std::size_t w = 0; w < pieces.size(); ++w) {
        EdgeInput& p = pieces[w];
        const std::string& nodes = map.way_nodes[w];
        for (std::size_t i = 0; i + 1 < p.points.size(); ++i) {
            const double rise = height.at(nodes[i + 1]) - height.at(nodes[i]);
            const double run = segment_length_m(p.points[i], p.points[i + 1]);
            const double s = rise / run;
            p.segment_time_factor.push_back(std::exp(3.5 * (std::abs(s + 0.05) - 0.05)));
            p.segment_back_time_factor.push_back(std::exp(3.5 * (std::abs(-s + 0.05) - 0.05)));
        }
    }
    const WalkGraph flat = build_walk_graph(map.pieces, 1000);
    const WalkGraph g = test::checked_walk_graph(pieces);
    ASSERT_TRUE(g.has_directional_times());
    ASSERT_FALSE(flat.has_directional_times());
    ASSERT_EQ(g.edge_count(), 2U);
    std::uint32_t up = 0;
    std::uint32_t level = 0;
    for (EdgeId e = 0; e < g.edge_count(); ++e) {
        const bool from_a = g.node_osm_id[g.edge_tail[e]] == map.osm_id('A') || g.node_osm_id[g.edge_head[e]] == map.osm_id('A');
        if (from_a) {
            up = e;
        } else {
            level = e;
        }
    }
    // The level piece costs its flat time both ways, exactly.
    EXPECT_EQ(g.edge_time_ms[level], flat.edge_time_ms[level]);
    EXPECT_EQ(g.edge_back_time_ms[level], flat.edge_time_ms[level]);
    // 20 % up: exp(3.5 x 0.2) = 2.01x; 20 % down: exp(3.5 x 0.1) = 1.42x.
    const bool tail_is_a = g.node_osm_id[g.edge_tail[up]] == map.osm_id('A');
    const Cost uphill = tail_is_a ? g.edge_time_ms[up] : g.edge_back_time_ms[up];
    const Cost downhill = tail_is_a ? g.edge_back_time_ms[up] : g.edge_time_ms[up];
    EXPECT_NEAR(uphill, flat.edge_time_ms[up] * std::exp(0.7), 1.0);
    EXPECT_NEAR(downhill, flat.edge_time_ms[up] * std::exp(0.35), 1.0);

    // From A the walk to C climbs; towards A (from C) it descends.
    BoundedSearch search(g);
    NodeId a = invalid_id;
    NodeId c = invalid_id;
    for (NodeId u = 0; u < g.node_count(); ++u) {
        if (g.node_osm_id[u] == map.osm_id('A')) a = u;
        if (g.node_osm_id[u] == map.osm_id('C')) c = u;
    }
    const Seed seed{a, 0, 0};
    search.run(std::span<const Seed>(&seed, 1), inf_cost - 1, Metric::time_ms, Direction::from_sources);
    EXPECT_EQ(search.distance(c), uphill + g.edge_time_ms[level]);
    search.run(std::span<const Seed>(&seed, 1), inf_cost - 1, Metric::time_ms, Direction::to_sources);
    EXPECT_EQ(search.distance(c), downhill + g.edge_time_ms[level]);
    // Lengths never depend on the direction.
    search.run(std::span<const Seed>(&seed, 1), inf_cost - 1, Metric::length_cm, Direction::to_sources);
    EXPECT_EQ(search.distance(c), g.edge_length_cm[up] + g.edge_length_cm[level]);
}

TEST(SlopeGraph, AllFlatFactorsGiveTheFlatGraphExactly) {
    std::mt19937_64 rng(test::test_seed() + 41);
    std::vector<EdgeInput> pieces = test::random_pieces(rng);
    const WalkGraph flat = build_walk_graph(pieces, 1000);
    for (EdgeInput& p : pieces) {
        p.segment_time_factor.assign(p.points.size() - 1, 1.0);
        p.segment_back_time_factor.assign(p.points.size() - 1, 1.0);
    }
    const WalkGraph g = build_walk_graph(pieces, 1000);
    EXPECT_FALSE(g.has_directional_times());
    EXPECT_EQ(g.edge_time_ms, flat.edge_time_ms);
    EXPECT_EQ(g.arc_time_ms, flat.arc_time_ms);
}

// Searches from origins part-way along edges, both ways, against brute force on random graphs
// with random directional times.
TEST(SlopeSearch, FromAndTowardsOriginsMatchBruteForce) {
    std::mt19937_64 rng(test::test_seed() + 42);
    std::uint64_t compared = 0;
    std::uint64_t asymmetric = 0;
    for (int round = 0; round < 5; ++round) {
        std::vector<EdgeInput> pieces = test::random_pieces(rng);
        add_random_slopes(pieces, rng);
        const WalkGraph g = test::checked_walk_graph(pieces);
        ASSERT_TRUE(g.has_directional_times());
        BoundedSearch search(g);
        std::uniform_int_distribution<EdgeId> edge(0, g.edge_count() - 1);
        for (int q = 0; q < 8; ++q) {
            // Two origins (labels 0 and 1) part-way along random edges, with off-network legs.
            std::vector<Origin> origins;
            for (std::uint32_t s = 0; s < 2; ++s) {
                const EdgeId e = edge(rng);
                origins.push_back({e, std::uniform_int_distribution<std::uint32_t>(0, g.edge_length_cm[e])(rng),
                                   std::uniform_int_distribution<std::uint32_t>(0, 3000)(rng), s});
            }
            const Cost budget = std::uniform_int_distribution<Cost>(100'000, 2'000'000)(rng);

            // From the origins: walk from each origin to its edge's ends, then on.
            std::vector<std::pair<NodeId, std::uint64_t>> seeds;
            for (const Origin& o : origins) {
                const std::uint64_t off = g.offnet_time_ms(o.offnet_cm);
                const std::uint32_t len = g.edge_length_cm[o.edge];
                seeds.emplace_back(g.edge_tail[o.edge], off + along(g, o.edge, o.offset_cm, false));
                seeds.emplace_back(g.edge_head[o.edge], off + along(g, o.edge, len - o.offset_cm, true));
            }
            const auto from = walk_from(g, seeds);
            search.run(std::span<const Origin>(origins), budget, Metric::time_ms, Direction::from_sources);
            for (NodeId u = 0; u < g.node_count(); ++u) {
                const std::uint64_t want = from[u] <= budget ? from[u] : inf64;
                ASSERT_EQ(search.distance(u) == inf_cost ? inf64 : search.distance(u), want) << "from, node " << u;
            }

            // Towards the origins: from every node walk the graph forwards and finish on the
            // origin's edge (tail -> origin forwards, head -> origin backwards).
            search.run(std::span<const Origin>(origins), budget, Metric::time_ms, Direction::to_sources);
            for (NodeId u = 0; u < g.node_count(); ++u) {
                const auto d = walk_from(g, {{u, 0}});
                std::uint64_t best = inf64;
                for (const Origin& o : origins) {
                    const std::uint64_t off = g.offnet_time_ms(o.offnet_cm);
                    const std::uint32_t len = g.edge_length_cm[o.edge];
                    if (d[g.edge_tail[o.edge]] != inf64) {
                        best = std::min(best, d[g.edge_tail[o.edge]] + along(g, o.edge, o.offset_cm, true) + off);
                    }
                    if (d[g.edge_head[o.edge]] != inf64) {
                        best = std::min(best, d[g.edge_head[o.edge]] + along(g, o.edge, len - o.offset_cm, false) + off);
                    }
                }
                const std::uint64_t want = best <= budget ? best : inf64;
                ASSERT_EQ(search.distance(u) == inf_cost ? inf64 : search.distance(u), want) << "towards, node " << u;
                asymmetric += want != (from[u] <= budget ? from[u] : inf64) ? 1 : 0;
                ++compared;
            }
        }
    }
    EXPECT_GT(compared, 1000U);
    EXPECT_GT(asymmetric, compared / 10); // the two directions really differ
}

// Reached spans of a search towards the sources: a point of a span walks to a source within the
// budget, and a point just beyond a span's end (on a partly reached edge) does not.
TEST(SlopeSearch, SpansTowardsTheSourcesHoldThePointsThatReachThem) {
    std::mt19937_64 rng(test::test_seed() + 43);
    std::vector<EdgeInput> pieces = test::random_pieces(rng);
    add_random_slopes(pieces, rng);
    const WalkGraph g = build_walk_graph(pieces, 1000);
    BoundedSearch search(g);
    std::uint32_t checked = 0;
    for (EdgeId oe = 0; oe < g.edge_count(); oe += 7) {
    const Origin o{oe, g.edge_length_cm[oe] / 3, 0, 0};
    const Cost budget = 600'000;
    search.run(std::span<const Origin>(&o, 1), budget, Metric::time_ms, Direction::to_sources);
    const auto spans = reached_spans(search);
    ASSERT_FALSE(spans.empty());
    // Cost of walking from position x on edge e to the origin, by brute force.
    std::map<NodeId, std::vector<std::uint64_t>> from_node;
    auto to_origin = [&](NodeId u) -> const std::vector<std::uint64_t>& {
        auto it = from_node.find(u);
        if (it == from_node.end()) it = from_node.emplace(u, walk_from(g, {{u, 0}})).first;
        return it->second;
    };
    auto cost_from = [&](EdgeId e, std::uint32_t x) {
        const std::uint32_t len = g.edge_length_cm[e];
        std::uint64_t best = inf64;
        const NodeId ends[2] = {g.edge_tail[e], g.edge_head[e]};
        const std::uint64_t legs[2] = {along(g, e, x, false), along(g, e, len - x, true)};
        for (int k = 0; k < 2; ++k) {
            const auto& d = to_origin(ends[k]);
            const std::uint32_t olen = g.edge_length_cm[o.edge];
            if (d[g.edge_tail[o.edge]] != inf64) best = std::min(best, legs[k] + d[g.edge_tail[o.edge]] + along(g, o.edge, o.offset_cm, true));
            if (d[g.edge_head[o.edge]] != inf64) best = std::min(best, legs[k] + d[g.edge_head[o.edge]] + along(g, o.edge, olen - o.offset_cm, false));
        }
        if (e == o.edge) {
            best = std::min(best, x <= o.offset_cm ? along(g, e, o.offset_cm - x, true) : along(g, e, x - o.offset_cm, false));
        }
        return best;
    };
    for (const ReachedSpan& s : spans) {
        for (const std::uint32_t x : {s.begin_cm, (s.begin_cm + s.end_cm) / 2, s.end_cm}) {
            EXPECT_LE(cost_from(s.edge, x), budget) << "edge " << s.edge << " at " << x;
            ++checked;
        }
        if (s.end_cm < g.edge_length_cm[s.edge] &&
            std::none_of(spans.begin(), spans.end(), [&](const ReachedSpan& t) { return t.edge == s.edge && t.begin_cm <= s.end_cm + 1 && t.end_cm > s.end_cm; })) {
            EXPECT_GT(cost_from(s.edge, s.end_cm + 1), budget) << "edge " << s.edge << " past " << s.end_cm;
        }
    }
    }
    EXPECT_GT(checked, 300U);
}

TEST(SlopeGraph, GraphFilesKeepDirectionalTimes) {
    std::mt19937_64 rng(test::test_seed() + 44);
    std::vector<EdgeInput> pieces = test::random_pieces(rng);
    const WalkGraph flat = build_walk_graph(pieces, 1000);
    add_random_slopes(pieces, rng);
    const WalkGraph g = build_walk_graph(pieces, 1000);
    const test::TempDir dir;
    save_walk_graph(dir.path("slope.graph"), g);
    save_walk_graph(dir.path("flat.graph"), flat);
    const LoadedGraph back = load_walk_graph(dir.path("slope.graph"));
    EXPECT_EQ(back.graph.edge_time_ms, g.edge_time_ms);
    EXPECT_EQ(back.graph.edge_back_time_ms, g.edge_back_time_ms);
    EXPECT_EQ(back.graph.arc_back_time_ms, g.arc_back_time_ms);
    const LoadedGraph flat_back = load_walk_graph(dir.path("flat.graph"));
    EXPECT_FALSE(flat_back.graph.has_directional_times());
    // Two arrays (arc and edge back times, each with its 8-byte count) are all that is added.
    const auto arrays = 8 * 2 + ((g.arc_count() * 4 + 7) / 8) * 8 + ((g.edge_count() * 4 + 7) / 8) * 8;
    EXPECT_EQ(std::filesystem::file_size(dir.path("slope.graph")), std::filesystem::file_size(dir.path("flat.graph")) + arrays);
}

} // namespace
} // namespace yike::routing
