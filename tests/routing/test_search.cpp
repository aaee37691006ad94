// Bounded searches against a plain full Dijkstra (brute-force differential), plus origin seeding.
#include <gtest/gtest.h>

#include <algorithm>
#include <queue>
#include <random>
#include <vector>

#include "random_graph.hpp"
#include "support/ascii_map.hpp"
#include "yike/routing/search.hpp"

namespace yike::routing {
namespace {

// Unbounded Dijkstra from a set of seeds with std::priority_queue and lazy deletion.
std::vector<std::uint64_t> full_dijkstra(const WalkGraph& g, const std::vector<Seed>& seeds, Metric metric) {
    constexpr std::uint64_t inf = ~std::uint64_t{0};
    std::vector<std::uint64_t> dist(g.node_count(), inf);
    using Entry = std::pair<std::uint64_t, NodeId>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
    for (const Seed& s : seeds) {
        if (s.cost < dist[s.node]) {
            dist[s.node] = s.cost;
            queue.emplace(s.cost, s.node);
        }
    }
    const auto cost = g.arc_cost(metric);
    while (!queue.empty()) {
        const auto [d, u] = queue.top();
        queue.pop();
        if (d != dist[u]) {
            continue;
        }
        for (ArcId a = g.first_out[u]; a < g.first_out[u + 1]; ++a) {
            const std::uint64_t nd = d + cost[a];
            if (nd < dist[g.head[a]]) {
                dist[g.head[a]] = nd;
                queue.emplace(nd, g.head[a]);
            }
        }
    }
    return dist;
}

struct Reference {
    std::vector<std::uint64_t> dist;
    std::vector<std::uint32_t> source;
};

// Distance = min over sources; label = the lowest source whose own distance equals it.
Reference reference(const WalkGraph& g, const std::vector<Seed>& seeds, Metric metric) {
    Reference ref;
    ref.dist.assign(g.node_count(), ~std::uint64_t{0});
    ref.source.assign(g.node_count(), invalid_id);
    std::vector<std::uint32_t> labels;
    for (const Seed& s : seeds) {
        labels.push_back(s.source);
    }
    std::sort(labels.begin(), labels.end());
    labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
    for (const std::uint32_t label : labels) {
        std::vector<Seed> own;
        for (const Seed& s : seeds) {
            if (s.source == label) {
                own.push_back(s);
            }
        }
        const auto d = full_dijkstra(g, own, metric);
        for (NodeId u = 0; u < g.node_count(); ++u) {
            if (d[u] < ref.dist[u]) { // labels ascend, so equal distances keep the lower label
                ref.dist[u] = d[u];
                ref.source[u] = label;
            }
        }
    }
    return ref;
}

void expect_matches(const BoundedSearch& search, const Reference& ref, Cost budget) {
    const WalkGraph& g = search.graph();
    std::uint32_t reached = 0;
    for (NodeId u = 0; u < g.node_count(); ++u) {
        if (ref.dist[u] <= budget) {
            ++reached;
            ASSERT_EQ(search.distance(u), ref.dist[u]) << "node " << u << " budget " << budget;
            ASSERT_EQ(search.source(u), ref.source[u]) << "node " << u << " budget " << budget;
            ASSERT_TRUE(search.reached(u));
        } else {
            ASSERT_EQ(search.distance(u), inf_cost) << "node " << u << " budget " << budget;
            ASSERT_EQ(search.source(u), invalid_id);
            ASSERT_FALSE(search.reached(u));
        }
    }
    const auto settled = search.settled();
    ASSERT_EQ(settled.size(), reached);
    for (std::size_t i = 1; i < settled.size(); ++i) {
        ASSERT_LE(search.distance(settled[i - 1]), search.distance(settled[i])) << "settle order";
    }
}

TEST(BoundedSearch, MatchesFullDijkstraOnRandomGraphs) {
    std::mt19937_64 rng(test::test_seed());
    for (int round = 0; round < 4; ++round) {
        const auto pieces = test::random_pieces(rng);
        const WalkGraph g = test::checked_walk_graph(pieces);
        ASSERT_GT(g.node_count(), 20U);
        BoundedSearch search(g); // one object for every run: exercises the O(1) reset
        std::uniform_int_distribution<NodeId> node(0, g.node_count() - 1);
        for (const Metric metric : {Metric::time_ms, Metric::length_cm}) {
            for (int q = 0; q < 25; ++q) {
                // Single source, then several sources with colliding labels and shared nodes.
                const int source_count = q < 8 ? 1 : 1 + q % 5;
                std::vector<Seed> seeds;
                std::uniform_int_distribution<Cost> seed_cost(0, q % 3 == 0 ? 0 : 300'000);
                for (int s = 0; s < source_count; ++s) {
                    const int per_source = 1 + s % 2;
                    for (int k = 0; k < per_source; ++k) {
                        seeds.push_back({node(rng), seed_cost(rng), static_cast<std::uint32_t>((s * 7) % 4)});
                    }
                }
                if (q % 4 == 1) {
                    seeds.push_back({seeds.front().node, seeds.front().cost, seeds.front().source + 1});
                }
                const Reference ref = reference(g, seeds, metric);
                std::uint64_t max_finite = 0;
                for (const auto d : ref.dist) {
                    if (d != ~std::uint64_t{0}) {
                        max_finite = std::max(max_finite, d);
                    }
                }
                // Budgets from nothing to everything, plus budgets landing exactly on a node.
                std::vector<Cost> budgets = {0, 1, static_cast<Cost>(max_finite / 4), static_cast<Cost>(max_finite / 2),
                                             static_cast<Cost>(max_finite), static_cast<Cost>(max_finite + 1)};
                for (int k = 0; k < 3; ++k) {
                    const auto d = ref.dist[node(rng)];
                    if (d != ~std::uint64_t{0}) {
                        budgets.push_back(static_cast<Cost>(d));
                        if (d > 0) {
                            budgets.push_back(static_cast<Cost>(d - 1));
                        }
                    }
                }
                for (const Cost budget : budgets) {
                    search.run(std::span<const Seed>(seeds), budget, metric);
                    EXPECT_EQ(search.budget(), budget);
                    EXPECT_EQ(search.metric(), metric);
                    EXPECT_TRUE(search.origins().empty());
                    expect_matches(search, ref, budget);
                    if (testing::Test::HasFatalFailure()) {
                        return;
                    }
                }
            }
        }
    }
}

TEST(BoundedSearch, OriginsMatchFullDijkstraFromTheirSeeds) {
    std::mt19937_64 rng(test::test_seed() + 1);
    const auto pieces = test::random_pieces(rng);
    const WalkGraph g = build_walk_graph(pieces, 1000);
    BoundedSearch search(g);
    std::uniform_int_distribution<EdgeId> edge(0, g.edge_count() - 1);
    std::uniform_int_distribution<std::uint32_t> offnet(0, 5000);
    for (const Metric metric : {Metric::time_ms, Metric::length_cm}) {
        for (int q = 0; q < 40; ++q) {
            std::vector<Origin> origins;
            for (int k = 0; k < 1 + q % 4; ++k) {
                Origin o;
                o.edge = edge(rng);
                o.offset_cm = std::uniform_int_distribution<std::uint32_t>(0, g.edge_length_cm[o.edge] + 50)(rng);
                o.offnet_cm = offnet(rng);
                o.source = static_cast<std::uint32_t>(k);
                origins.push_back(o);
            }
            std::vector<Seed> seeds;
            for (const Origin& o : origins) {
                append_seeds(g, o, metric, seeds);
            }
            const Reference ref = reference(g, seeds, metric);
            const Cost budget = std::uniform_int_distribution<Cost>(0, 1'000'000)(rng);
            search.run(std::span<const Origin>(origins), budget, metric);
            ASSERT_EQ(search.origins().size(), origins.size());
            expect_matches(search, ref, budget);
            // Rerunning from the search's own origins gives the same answer.
            search.run(search.origins(), budget, metric);
            ASSERT_EQ(search.origins().size(), origins.size());
            EXPECT_EQ(search.origins()[0].edge, origins[0].edge);
            expect_matches(search, ref, budget);
        }
    }
}

TEST(BoundedSearch, SeedsAboveBudgetAndDuplicateSeeds) {
    const auto map = test::parse_ascii_map("A---B---C", test::grid_options(25.0));
    const WalkGraph g = build_walk_graph(map.pieces, 1000);
    const NodeId a = test::node_of(g, map.osm_id('A'));
    const NodeId b = test::node_of(g, map.osm_id('B'));
    const NodeId c = test::node_of(g, map.osm_id('C'));
    const Cost ab = g.edge_length_cm[test::edge_between(g, a, b)];
    const Cost bc = g.edge_length_cm[test::edge_between(g, b, c)];
    BoundedSearch search(g);

    // A seed above the budget is ignored entirely, even on a node others reach.
    const std::vector<Seed> over = {{a, 0, 5}, {c, ab + bc + 1, 1}};
    search.run(std::span<const Seed>(over), ab + bc, Metric::length_cm);
    EXPECT_EQ(search.distance(c), ab + bc);
    EXPECT_EQ(search.source(c), 5U);

    // Several seeds on one node keep the cheapest; equal costs keep the lowest label.
    const std::vector<Seed> dup = {{a, 30, 9}, {a, 10, 7}, {a, 10, 3}, {a, 10, 4}};
    search.run(std::span<const Seed>(dup), 100'000, Metric::length_cm);
    EXPECT_EQ(search.distance(a), 10U);
    EXPECT_EQ(search.source(a), 3U);
    EXPECT_EQ(search.distance(c), 10 + ab + bc);
    EXPECT_EQ(search.source(c), 3U);

    // Meeting exactly half way: the node at equal distance takes the lower label.
    const std::vector<Seed> meet = {{a, bc, 8}, {c, ab, 2}};
    search.run(std::span<const Seed>(meet), 100'000, Metric::length_cm);
    EXPECT_EQ(search.distance(b), ab + bc);
    EXPECT_EQ(search.source(b), 2U);

    // Budget 0 reaches only zero-cost seeds; a node exactly at the budget is reached.
    const std::vector<Seed> zero = {{a, 0, 0}};
    search.run(std::span<const Seed>(zero), 0, Metric::length_cm);
    EXPECT_EQ(search.settled().size(), 1U);
    search.run(std::span<const Seed>(zero), ab, Metric::length_cm);
    EXPECT_TRUE(search.reached(b));
    EXPECT_FALSE(search.reached(c));
    search.run(std::span<const Seed>(zero), ab - 1, Metric::length_cm);
    EXPECT_FALSE(search.reached(b));

    // Results of a previous run do not leak into the next one.
    const std::vector<Seed> from_c = {{c, 0, 1}};
    search.run(std::span<const Seed>(from_c), 10, Metric::length_cm);
    EXPECT_FALSE(search.reached(a));
    EXPECT_EQ(search.source(a), invalid_id);
    EXPECT_EQ(search.distance(c), 0U);

}

TEST(Origins, CostsAndSeeds) {
    const auto map = test::parse_ascii_map("A----B", test::grid_options(25.0, 500));
    const WalkGraph g = build_walk_graph(map.pieces, 1250);
    ASSERT_EQ(g.edge_count(), 1U);
    const Cost len = g.edge_length_cm[0];
    EXPECT_NEAR(static_cast<double>(len), 12'500.0, 2.0);
    const Cost time = g.edge_time_ms[0];
    EXPECT_EQ(time, len * 20); // 0.5 m/s: 20 ms per cm

    EXPECT_EQ(offnet_cost(g, 1000, Metric::length_cm), 1000U);
    EXPECT_EQ(offnet_cost(g, 1000, Metric::time_ms), 8000U); // 10 m at 1.25 m/s
    EXPECT_EQ(offnet_cost(g, 1, Metric::time_ms), 8U);
    EXPECT_EQ(offnet_cost(g, 3, Metric::time_ms), 24U);

    EXPECT_EQ(partial_edge_cost(g, 0, 0, 0, Metric::time_ms), 0U);
    EXPECT_EQ(partial_edge_cost(g, 0, 0, len, Metric::time_ms), time);
    EXPECT_EQ(partial_edge_cost(g, 0, 0, 333, Metric::time_ms), 333U * 20);
    EXPECT_EQ(partial_edge_cost(g, 0, 0, 333, Metric::length_cm), 333U);
    EXPECT_EQ(partial_edge_cost(g, 0, 0, len + 99, Metric::length_cm), len);

    const NodeId a = test::node_of(g, map.osm_id('A'));
    const NodeId b = test::node_of(g, map.osm_id('B'));
    const EdgeId e = 0;
    const bool a_is_tail = g.edge_tail[e] == a;
    std::vector<Seed> seeds;
    append_seeds(g, Origin{e, 4000, 100, 6}, Metric::length_cm, seeds);
    ASSERT_EQ(seeds.size(), 2U);
    EXPECT_EQ(seeds[0].node, g.edge_tail[e]);
    EXPECT_EQ(seeds[0].cost, 4100U);
    EXPECT_EQ(seeds[1].node, g.edge_head[e]);
    EXPECT_EQ(seeds[1].cost, len - 4000 + 100);
    EXPECT_EQ(seeds[0].source, 6U);
    EXPECT_EQ(seeds[1].source, 6U);
    EXPECT_TRUE(a_is_tail ? seeds[1].node == b : seeds[0].node == b);

    // An offset beyond the edge is clamped to its head.
    seeds.clear();
    append_seeds(g, Origin{e, len + 500, 0, 0}, Metric::time_ms, seeds);
    EXPECT_EQ(seeds[0].cost, time);
    EXPECT_EQ(seeds[1].cost, 0U);

    SnapResult snap;
    snap.edge = e;
    snap.offset_cm = 1234;
    snap.distance_m = 4.567;
    const Origin o = origin_from_snap(snap, 42);
    EXPECT_EQ(o.edge, e);
    EXPECT_EQ(o.offset_cm, 1234U);
    EXPECT_EQ(o.offnet_cm, 457U);
    EXPECT_EQ(o.source, 42U);
}

} // namespace
} // namespace yike::routing
