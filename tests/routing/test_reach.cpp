// Reached edge spans: hand-computed cases on ASCII maps, a brute-force check on random graphs,
// and properties (monotone in the budget, independent of input order).
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "random_graph.hpp"
#include "support/ascii_map.hpp"
#include "yike/routing/search.hpp"

namespace yike::routing {

// Found by argument-dependent lookup, so they live in ReachedSpan's namespace (test binary only).
inline bool operator==(const ReachedSpan& a, const ReachedSpan& b) {
    return a.edge == b.edge && a.begin_cm == b.begin_cm && a.end_cm == b.end_cm && a.first_cost == b.first_cost;
}

inline void PrintTo(const ReachedSpan& s, std::ostream* os) {
    *os << "{edge " << s.edge << " [" << s.begin_cm << ", " << s.end_cm << "] first " << s.first_cost << "}";
}

namespace {

struct Fixture {
    test::AsciiMap map;
    WalkGraph graph;
    NodeId node(char c) const { return test::node_of(graph, map.osm_id(c)); }
    EdgeId edge(char a, char b) const { return test::edge_between(graph, node(a), node(b)); }
    Cost len(char a, char b) const { return graph.edge_length_cm[edge(a, b)]; }
    // The span of edge a-b covering `from_a_begin`..`from_a_end` cm measured from a.
    ReachedSpan span(char a, char b, std::uint32_t from_a_begin, std::uint32_t from_a_end, Cost first) const {
        const EdgeId e = edge(a, b);
        const std::uint32_t l = graph.edge_length_cm[e];
        if (graph.edge_tail[e] == node(a)) {
            return {e, from_a_begin, from_a_end, first};
        }
        return {e, l - from_a_end, l - from_a_begin, first};
    }
};

Fixture make(std::string_view drawing, double grid_m, std::uint32_t speed = 1000) {
    Fixture f;
    f.map = test::parse_ascii_map(drawing, test::grid_options(grid_m, speed));
    f.graph = test::checked_walk_graph(f.map.pieces);
    return f;
}

std::vector<ReachedSpan> sorted(std::vector<ReachedSpan> v) {
    std::sort(v.begin(), v.end(), [](const ReachedSpan& a, const ReachedSpan& b) {
        return std::tie(a.edge, a.begin_cm) < std::tie(b.edge, b.begin_cm);
    });
    return v;
}

TEST(ReachedSpans, OriginMidEdge) {
    const Fixture f = make("A---B", 25.0);
    ASSERT_EQ(f.graph.edge_count(), 1U);
    const Cost len = f.len('A', 'B');
    ASSERT_NEAR(static_cast<double>(len), 10'000.0, 2.0);
    const std::uint32_t mid = len / 2;
    BoundedSearch search(f.graph);
    for (const Metric metric : {Metric::length_cm, Metric::time_ms}) {
        const Cost unit = metric == Metric::time_ms ? 10 : 1; // 1 m/s: 10 ms per cm
        // 30 m around the middle of a 100 m street.
        const std::vector<Origin> origin = {{0, mid, 0, 0}};
        search.run(std::span<const Origin>(origin), 3000 * unit, metric);
        EXPECT_FALSE(search.reached(f.node('A')));
        EXPECT_FALSE(search.reached(f.node('B')));
        EXPECT_EQ(reached_spans(search), (std::vector<ReachedSpan>{{0, mid - 3000, mid + 3000, 0}}));

        // Walking 5 m onto the street leaves 25 m each way.
        const std::vector<Origin> offnet = {{0, mid, 500, 0}};
        search.run(std::span<const Origin>(offnet), 3000 * unit, metric);
        EXPECT_EQ(reached_spans(search), (std::vector<ReachedSpan>{{0, mid - 2500, mid + 2500, 500 * unit}}));

        // Off-network leg beyond the budget: nothing at all.
        const std::vector<Origin> far = {{0, mid, 3001, 0}};
        search.run(std::span<const Origin>(far), 3000 * unit, metric);
        EXPECT_TRUE(reached_spans(search).empty());
        EXPECT_TRUE(search.settled().empty());

        // Near the tail: the tail is reached and the span is clipped at the edge's start.
        const std::vector<Origin> near_tail = {{0, 1000, 0, 0}};
        search.run(std::span<const Origin>(near_tail), 3000 * unit, metric);
        EXPECT_TRUE(search.reached(f.graph.edge_tail[0]));
        EXPECT_EQ(search.distance(f.graph.edge_tail[0]), 1000 * unit);
        EXPECT_EQ(reached_spans(search), (std::vector<ReachedSpan>{{0, 0, 4000, 0}}));
    }
}

TEST(ReachedSpans, BudgetExactlyReachingANode) {
    const Fixture f = make("A---B---C", 25.0);
    const Cost ab = f.len('A', 'B');
    BoundedSearch search(f.graph);
    const std::vector<Seed> from_a = {{f.node('A'), 0, 0}};
    search.run(std::span<const Seed>(from_a), ab, Metric::length_cm);
    ASSERT_TRUE(search.reached(f.node('B')));
    EXPECT_FALSE(search.reached(f.node('C')));
    EXPECT_EQ(reached_spans(search), sorted({f.span('A', 'B', 0, ab, 0), f.span('B', 'C', 0, 0, ab)}));

    // One centimetre less: B is not reached and the span stops 1 cm short of it.
    search.run(std::span<const Seed>(from_a), ab - 1, Metric::length_cm);
    EXPECT_FALSE(search.reached(f.node('B')));
    EXPECT_EQ(reached_spans(search), (std::vector<ReachedSpan>{f.span('A', 'B', 0, ab - 1, 0)}));
}

TEST(ReachedSpans, BothEndsWithAndWithoutMeeting) {
    const Fixture f = make("A---B", 25.0);
    const Cost len = f.len('A', 'B');
    BoundedSearch search(f.graph);
    const std::vector<Seed> ends = {{f.node('A'), 0, 0}, {f.node('B'), 200, 1}};
    search.run(std::span<const Seed>(ends), 3000, Metric::length_cm);
    EXPECT_EQ(reached_spans(search), sorted({f.span('A', 'B', 0, 3000, 0), f.span('A', 'B', len - 2800, len, 200)}));

    // The two reaches meet: one full span, reached first at the cheaper end.
    search.run(std::span<const Seed>(ends), 6000, Metric::length_cm);
    EXPECT_EQ(reached_spans(search), (std::vector<ReachedSpan>{{0, 0, len, 0}}));

    // Touching exactly (end of one = begin of the other) also merges.
    const Cost half = (len + 1) / 2;
    const std::vector<Seed> touch = {{f.node('A'), 0, 0}, {f.node('B'), 2 * half - len, 1}};
    search.run(std::span<const Seed>(touch), half, Metric::length_cm);
    EXPECT_LT(search.distance(f.node('B')), search.distance(f.node('A')) + len);
    EXPECT_EQ(reached_spans(search), (std::vector<ReachedSpan>{{0, 0, len, 0}}));
}

TEST(ReachedSpans, FullyReachedEdgesAndUntouchedEdges) {
    const Fixture f = make(R"(
A---B---C---D
    |
    E
)",
                           25.0);
    BoundedSearch search(f.graph);
    const Cost ab = f.len('A', 'B');
    const Cost be = f.len('B', 'E');
    const Cost bc = f.len('B', 'C');
    const std::vector<Seed> from_a = {{f.node('A'), 0, 0}};
    ASSERT_GT(bc, be + 100);
    const Cost budget = ab + bc + 100;
    search.run(std::span<const Seed>(from_a), budget, Metric::length_cm);
    EXPECT_TRUE(search.reached(f.node('E')));
    EXPECT_TRUE(search.reached(f.node('C')));
    EXPECT_FALSE(search.reached(f.node('D')));
    const Cost rest = budget - ab - bc;
    EXPECT_EQ(reached_spans(search),
              sorted({f.span('A', 'B', 0, ab, 0), f.span('B', 'E', 0, be, ab), f.span('B', 'C', 0, bc, ab),
                      f.span('C', 'D', 0, rest, ab + bc)}));
}

TEST(ReachedSpans, SelfLoop) {
    test::AsciiMapOptions options = test::grid_options(20.0);
    options.ways = {"AB", "BCDB"};
    const auto map = test::parse_ascii_map(R"(
A---B---C
    |   |
    |   |
    E---D
)",
                                           options);
    const WalkGraph g = test::checked_walk_graph(map.pieces);
    ASSERT_EQ(g.edge_count(), 2U);
    const NodeId b = test::node_of(g, map.osm_id('B'));
    const EdgeId loop = g.edge_tail[0] == g.edge_head[0] ? 0 : 1;
    ASSERT_EQ(g.edge_tail[loop], b);
    ASSERT_EQ(g.edge_head[loop], b);
    const Cost len = g.edge_length_cm[loop];
    EXPECT_NEAR(static_cast<double>(len), 24'000.0, 4.0);
    BoundedSearch search(g);
    const std::vector<Seed> from_b = {{b, 0, 0}};
    search.run(std::span<const Seed>(from_b), 5000, Metric::length_cm);
    const auto spans = reached_spans(search);
    std::vector<ReachedSpan> on_loop;
    std::copy_if(spans.begin(), spans.end(), std::back_inserter(on_loop), [&](const ReachedSpan& s) { return s.edge == loop; });
    EXPECT_EQ(on_loop, (std::vector<ReachedSpan>{{loop, 0, 5000, 0}, {loop, len - 5000, len, 0}}));
    search.run(std::span<const Seed>(from_b), (len + 1) / 2, Metric::length_cm);
    for (const auto& s : reached_spans(search)) {
        if (s.edge == loop) {
            EXPECT_EQ(s, (ReachedSpan{loop, 0, len, 0}));
        }
    }
}

// Cheapest cost of reaching point x (cm from the tail) of edge e after a search, by brute force.
std::uint64_t point_cost(const BoundedSearch& search, EdgeId e, std::uint32_t x) {
    const WalkGraph& g = search.graph();
    const Metric metric = search.metric();
    const std::uint32_t len = g.edge_length_cm[e];
    std::uint64_t best = ~std::uint64_t{0};
    if (search.reached(g.edge_tail[e])) {
        best = std::min<std::uint64_t>(best, std::uint64_t{search.distance(g.edge_tail[e])} +
                                                 partial_edge_cost(g, e, 0, x, metric));
    }
    if (search.reached(g.edge_head[e])) {
        best = std::min<std::uint64_t>(best, std::uint64_t{search.distance(g.edge_head[e])} +
                                                 partial_edge_cost(g, e, 0, len - x, metric));
    }
    for (const Origin& o : search.origins()) {
        if (o.edge == e) {
            const std::uint32_t off = std::min(o.offset_cm, len);
            const std::uint32_t along = off > x ? off - x : x - off;
            best = std::min<std::uint64_t>(best, std::uint64_t{offnet_cost(g, o.offnet_cm, metric)} +
                                                     partial_edge_cost(g, e, 0, along, metric));
        }
    }
    return best;
}

void check_spans_brute_force(const BoundedSearch& search, std::mt19937_64& rng) {
    const WalkGraph& g = search.graph();
    const Cost budget = search.budget();
    const auto spans = reached_spans(search);
    std::vector<std::vector<ReachedSpan>> by_edge(g.edge_count());
    for (std::size_t i = 0; i < spans.size(); ++i) {
        const ReachedSpan& s = spans[i];
        ASSERT_LT(s.edge, g.edge_count());
        ASSERT_LE(s.begin_cm, s.end_cm);
        ASSERT_LE(s.end_cm, g.edge_length_cm[s.edge]);
        ASSERT_LE(s.first_cost, budget);
        if (i > 0) {
            const ReachedSpan& p = spans[i - 1];
            ASSERT_TRUE(p.edge < s.edge || (p.edge == s.edge && p.end_cm < s.begin_cm)) << "unsorted or unmerged";
        }
        by_edge[s.edge].push_back(s);
    }
    for (EdgeId e = 0; e < g.edge_count(); ++e) {
        const std::uint32_t len = g.edge_length_cm[e];
        std::vector<std::uint32_t> probes = {0, len};
        std::uniform_int_distribution<std::uint32_t> any(0, len);
        for (int k = 0; k < 6; ++k) {
            probes.push_back(any(rng));
        }
        for (const ReachedSpan& s : by_edge[e]) {
            for (const std::int64_t x : {std::int64_t{s.begin_cm} - 1, std::int64_t{s.begin_cm}, std::int64_t{s.end_cm},
                                         std::int64_t{s.end_cm} + 1}) {
                if (x >= 0 && x <= len) {
                    probes.push_back(static_cast<std::uint32_t>(x));
                }
            }
        }
        for (const Origin& o : search.origins()) {
            if (o.edge == e) {
                probes.push_back(std::min(o.offset_cm, len));
            }
        }
        for (const std::uint32_t x : probes) {
            const bool inside = std::any_of(by_edge[e].begin(), by_edge[e].end(),
                                            [&](const ReachedSpan& s) { return s.begin_cm <= x && x <= s.end_cm; });
            ASSERT_EQ(inside, point_cost(search, e, x) <= budget) << "edge " << e << " at " << x << " cm of " << len;
        }
        // The cheapest point of a span is its first point: a span end or an origin in it.
        for (const ReachedSpan& s : by_edge[e]) {
            std::uint64_t cheapest = std::min(point_cost(search, e, s.begin_cm), point_cost(search, e, s.end_cm));
            for (const Origin& o : search.origins()) {
                const std::uint32_t off = std::min(o.offset_cm, len);
                if (o.edge == e && s.begin_cm <= off && off <= s.end_cm) {
                    cheapest = std::min(cheapest, point_cost(search, e, off));
                }
            }
            ASSERT_EQ(s.first_cost, cheapest) << "edge " << e;
        }
    }
}

std::vector<Origin> random_origins(const WalkGraph& g, std::mt19937_64& rng, int count) {
    std::uniform_int_distribution<EdgeId> edge(0, g.edge_count() - 1);
    std::vector<Origin> origins;
    for (int k = 0; k < count; ++k) {
        Origin o;
        o.edge = edge(rng);
        o.offset_cm = std::uniform_int_distribution<std::uint32_t>(0, g.edge_length_cm[o.edge])(rng);
        o.offnet_cm = std::uniform_int_distribution<std::uint32_t>(0, 8000)(rng);
        o.source = static_cast<std::uint32_t>(k);
        origins.push_back(o);
    }
    // Two origins on one edge.
    if (count > 1) {
        origins[1].edge = origins[0].edge;
    }
    return origins;
}

TEST(ReachedSpans, MatchBruteForceOnRandomGraphs) {
    std::mt19937_64 rng(test::test_seed() + 2);
    for (int round = 0; round < 3; ++round) {
        const WalkGraph g = build_walk_graph(test::random_pieces(rng), 900);
        BoundedSearch search(g);
        for (const Metric metric : {Metric::time_ms, Metric::length_cm}) {
            for (int q = 0; q < 12; ++q) {
                const auto origins = random_origins(g, rng, 1 + q % 3);
                const Cost budget = std::uniform_int_distribution<Cost>(0, metric == Metric::time_ms ? 900'000 : 90'000)(rng);
                search.run(std::span<const Origin>(origins), budget, metric);
                check_spans_brute_force(search, rng);
                if (testing::Test::HasFatalFailure()) {
                    return;
                }
            }
        }
    }
}

// Every span of `small` lies within a span of `big`.
bool covered(const std::vector<ReachedSpan>& small, const std::vector<ReachedSpan>& big) {
    return std::all_of(small.begin(), small.end(), [&](const ReachedSpan& s) {
        return std::any_of(big.begin(), big.end(), [&](const ReachedSpan& b) {
            return b.edge == s.edge && b.begin_cm <= s.begin_cm && s.end_cm <= b.end_cm;
        });
    });
}

TEST(ReachedSpans, BiggerBudgetReachesASuperset) {
    std::mt19937_64 rng(test::test_seed() + 3);
    const WalkGraph g = build_walk_graph(test::random_pieces(rng), 1000);
    BoundedSearch search(g);
    for (const Metric metric : {Metric::time_ms, Metric::length_cm}) {
        for (int q = 0; q < 10; ++q) {
            const auto origins = random_origins(g, rng, 1 + q % 3);
            std::vector<ReachedSpan> previous;
            std::vector<bool> previous_reached(g.node_count(), false);
            for (Cost budget = 0; budget <= (metric == Metric::time_ms ? 1'200'000U : 120'000U);
                 budget += (metric == Metric::time_ms ? 37'000U : 3'700U)) {
                search.run(std::span<const Origin>(origins), budget, metric);
                const auto spans = reached_spans(search);
                EXPECT_TRUE(covered(previous, spans)) << "budget " << budget;
                for (NodeId u = 0; u < g.node_count(); ++u) {
                    if (previous_reached[u]) {
                        EXPECT_TRUE(search.reached(u)) << "budget " << budget;
                    }
                    previous_reached[u] = search.reached(u);
                }
                previous = spans;
            }
        }
    }
}

TEST(ReachedSpans, InputOrderDoesNotMatter) {
    std::mt19937_64 rng(test::test_seed() + 4);
    auto pieces = test::random_pieces(rng);
    // Pieces of one way and detached ends (gates) must not make the result order-dependent.
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        if (i % 5 == 1) {
            pieces[i].way_id = pieces[i - 1].way_id;
        }
        if (i % 7 == 3) {
            pieces[i].detach_back = true;
        }
        if (i % 11 == 4) {
            pieces[i].detach_front = true;
        }
    }
    // Two pieces of one way between the same junctions, and a gate shared by two detached ends.
    pieces.push_back(pieces[0]);
    pieces.back().points[1].lat += 2e-4;
    pieces.back().point_osm_id[1] = 99'000'001;
    if (pieces.back().points.size() > 2) {
        pieces.back().point_osm_id[pieces.back().points.size() - 2] = 99'000'002;
    }
    pieces[3].detach_front = true;
    pieces[4].detach_front = true;
    pieces[4].point_osm_id.front() = pieces[3].point_osm_id.front();
    pieces[4].points.front() = pieces[3].points.front();
    const WalkGraph g1 = test::checked_walk_graph(pieces);
    std::shuffle(pieces.begin(), pieces.end(), rng);
    const WalkGraph g2 = build_walk_graph(pieces, 1000);
    ASSERT_EQ(g1.first_out, g2.first_out);
    ASSERT_EQ(g1.head, g2.head);
    ASSERT_EQ(g1.arc_time_ms, g2.arc_time_ms);
    ASSERT_EQ(g1.arc_edge, g2.arc_edge);
    ASSERT_EQ(g1.edge_way_id, g2.edge_way_id);
    ASSERT_EQ(g1.node_osm_id, g2.node_osm_id);
    ASSERT_EQ(g1.point_lon_e7, g2.point_lon_e7);
    BoundedSearch s1(g1);
    BoundedSearch s2(g2);
    for (int q = 0; q < 10; ++q) {
        const auto origins = random_origins(g1, rng, 1 + q % 3);
        const Metric metric = q % 2 == 0 ? Metric::time_ms : Metric::length_cm;
        const Cost budget = metric == Metric::time_ms ? 600'000 : 60'000;
        s1.run(std::span<const Origin>(origins), budget, metric);
        s2.run(std::span<const Origin>(origins), budget, metric);
        ASSERT_EQ(std::vector<NodeId>(s1.settled().begin(), s1.settled().end()),
                  std::vector<NodeId>(s2.settled().begin(), s2.settled().end()));
        for (NodeId u = 0; u < g1.node_count(); ++u) {
            ASSERT_EQ(s1.distance(u), s2.distance(u));
            ASSERT_EQ(s1.source(u), s2.source(u));
        }
        EXPECT_EQ(reached_spans(s1), reached_spans(s2));
    }
}

} // namespace
} // namespace yike::routing
