// BoundedSearch against a slow, obviously correct bounded search on random graphs whose arcs cost
// 1 to 3, so that equal distances (ties between sources, between paths, at the budget) are the
// rule rather than the exception.
#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "random_graph.hpp"
#include "yike/routing/search.hpp"

namespace yike::routing {
namespace {

// A random directed CSR graph (self-loops and parallel arcs included) with small integer costs.
// The search reads only first_out, head and the arc costs.
WalkGraph random_tie_graph(std::mt19937_64& rng, std::uint32_t n, std::uint32_t m, Cost max_cost) {
    std::uniform_int_distribution<NodeId> node(0, n - 1);
    std::uniform_int_distribution<Cost> cost(1, max_cost);
    struct Arc {
        NodeId tail, head;
        Cost time, length;
    };
    std::vector<Arc> arcs(m);
    for (Arc& a : arcs) {
        a = {node(rng), node(rng), cost(rng), cost(rng)};
    }
    std::stable_sort(arcs.begin(), arcs.end(), [](const Arc& a, const Arc& b) { return a.tail < b.tail; });
    WalkGraph g;
    g.first_out.assign(n + 1, 0);
    for (const Arc& a : arcs) {
        ++g.first_out[a.tail + 1];
        g.head.push_back(a.head);
        g.arc_time_ms.push_back(a.time);
        g.arc_length_cm.push_back(a.length);
    }
    for (std::uint32_t u = 0; u < n; ++u) {
        g.first_out[u + 1] += g.first_out[u];
    }
    return g;
}

struct Label {
    std::uint64_t dist = ~std::uint64_t{0};
    std::uint32_t source = invalid_id;
    [[nodiscard]] bool better_than(const Label& o) const { return dist != o.dist ? dist < o.dist : source < o.source; }
};

// Bounded search straight from the definition: settle the unsettled node with the least
// (distance, source, node), never going beyond the budget. An ordered set keyed by the whole label
// stands in for a heap, so it is slow but plainly right.
std::vector<Label> slow_search(const WalkGraph& g, const std::vector<Seed>& seeds, Cost budget, Metric metric) {
    const std::uint32_t n = g.node_count();
    std::vector<Label> label(n);
    std::set<std::tuple<std::uint64_t, std::uint32_t, NodeId>> open;
    auto improve = [&](NodeId v, const Label& l) {
        if (l.dist <= budget && l.better_than(label[v])) {
            open.erase({label[v].dist, label[v].source, v});
            label[v] = l;
            open.insert({l.dist, l.source, v});
        }
    };
    for (const Seed& s : seeds) {
        improve(s.node, Label{s.cost, s.source});
    }
    const auto cost = g.arc_cost(metric);
    while (!open.empty()) {
        const NodeId u = std::get<2>(*open.begin());
        open.erase(open.begin());
        for (ArcId a = g.first_out[u]; a < g.first_out[u + 1]; ++a) {
            improve(g.head[a], Label{label[u].dist + cost[a], label[u].source});
        }
    }
    return label;
}

void expect_same(const BoundedSearch& search, const std::vector<Label>& want, const std::string& what) {
    const auto n = static_cast<NodeId>(want.size());
    std::uint32_t reached = 0;
    for (NodeId u = 0; u < n; ++u) {
        if (want[u].dist != ~std::uint64_t{0}) {
            ++reached;
            ASSERT_EQ(search.distance(u), want[u].dist) << what << " node " << u;
            ASSERT_EQ(search.source(u), want[u].source) << what << " node " << u;
        } else {
            ASSERT_EQ(search.distance(u), inf_cost) << what << " node " << u;
            ASSERT_EQ(search.source(u), invalid_id) << what << " node " << u;
        }
    }
    // settled(): every reached node exactly once, by nondecreasing distance.
    const auto settled = search.settled();
    ASSERT_EQ(settled.size(), reached) << what;
    std::set<NodeId> unique(settled.begin(), settled.end());
    ASSERT_EQ(unique.size(), settled.size()) << what;
    for (std::size_t i = 0; i < settled.size(); ++i) {
        ASSERT_NE(want[settled[i]].dist, ~std::uint64_t{0}) << what;
        if (i > 0) {
            ASSERT_LE(search.distance(settled[i - 1]), search.distance(settled[i])) << what << " settle order";
        }
    }
}

TEST(BoundedSearchTies, MatchesSlowSearchOnRandomGraphsWithManyTies) {
    std::mt19937_64 rng(test::test_seed() + 7);
    std::uint64_t tied_labels = 0; // nodes where the winning label beat another at equal distance
    for (int round = 0; round < 100; ++round) {
        const std::uint32_t n = 1 + static_cast<std::uint32_t>(rng() % (round % 10 == 0 ? 400 : 60));
        const std::uint32_t m = static_cast<std::uint32_t>(rng() % (4 * n + 1));
        const Cost max_cost = 1 + static_cast<Cost>(rng() % 3);
        const WalkGraph g = random_tie_graph(rng, n, m, max_cost);
        BoundedSearch search(g); // one object for every run on this graph: exercises the reset
        std::uniform_int_distribution<NodeId> node(0, n - 1);
        for (int q = 0; q < 30; ++q) {
            const Metric metric = q % 2 == 0 ? Metric::time_ms : Metric::length_cm;
            // Several sources, often sharing labels, nodes and costs; seeds at cost 0 and above budget.
            std::vector<Seed> seeds;
            const int count = q % 7 == 0 ? 0 : 1 + static_cast<int>(rng() % 8);
            for (int k = 0; k < count; ++k) {
                const auto cost = static_cast<Cost>(rng() % 4 == 0 ? 0 : rng() % 6);
                seeds.push_back({node(rng), cost, static_cast<std::uint32_t>(rng() % 5)});
            }
            if (!seeds.empty() && q % 3 == 0) {
                const Seed s = seeds[rng() % seeds.size()];
                seeds.push_back({s.node, s.cost, s.source ^ 1U}); // same node and cost, other label
            }
            const std::vector<Label> everything = slow_search(g, seeds, inf_cost - 1, metric);
            std::vector<Cost> budgets = {0, 1, 2, 5, inf_cost - 1};
            for (int k = 0; k < 3; ++k) {
                const std::uint64_t d = everything[node(rng)].dist;
                if (d != ~std::uint64_t{0}) {
                    budgets.push_back(static_cast<Cost>(d)); // exactly at a node's distance
                    if (d > 0) {
                        budgets.push_back(static_cast<Cost>(d - 1));
                    }
                }
            }
            for (const Cost budget : budgets) {
                search.run(std::span<const Seed>(seeds), budget, metric);
                const std::vector<Label> want = slow_search(g, seeds, budget, metric);
                expect_same(search, want, "round " + std::to_string(round) + " query " + std::to_string(q) +
                                              " budget " + std::to_string(budget));
                if (testing::Test::HasFatalFailure()) {
                    return;
                }
                // Count labels decided by a tie (another label reaches the node at the same
                // distance), so the test shows that it exercises them.
                std::vector<std::uint32_t> labels;
                for (const Seed& s : seeds) {
                    labels.push_back(s.source);
                }
                std::sort(labels.begin(), labels.end());
                labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
                std::vector<std::uint32_t> equal(n, 0);
                for (const std::uint32_t l : labels) {
                    std::vector<Seed> own;
                    std::copy_if(seeds.begin(), seeds.end(), std::back_inserter(own),
                                 [&](const Seed& s) { return s.source == l; });
                    const std::vector<Label> alone = slow_search(g, own, budget, metric);
                    for (NodeId v = 0; v < n; ++v) {
                        equal[v] += want[v].dist != ~std::uint64_t{0} && alone[v].dist == want[v].dist ? 1 : 0;
                    }
                }
                tied_labels += static_cast<std::uint64_t>(std::count_if(equal.begin(), equal.end(),
                                                                        [](std::uint32_t c) { return c > 1; }));
            }
        }
    }
    EXPECT_GT(tied_labels, 10'000U); // tens of thousands with the default seed
}

TEST(BoundedSearchTies, SourceLabelOfATieReachedLate) {
    // 0 -> 1 -> 2 -> 3 (cost 1 each) from label 5, and 4 -> 3 (cost 3) from label 2: node 3 is at
    // distance 3 either way and must take label 2, though label 5's path reaches it first in arcs.
    WalkGraph g;
    g.first_out = {0, 1, 2, 3, 3, 4};
    g.head = {1, 2, 3, 3};
    g.arc_time_ms = {1, 1, 1, 3};
    g.arc_length_cm = g.arc_time_ms;
    BoundedSearch search(g);
    const std::vector<Seed> seeds = {{0, 0, 5}, {4, 0, 2}};
    search.run(std::span<const Seed>(seeds), 3, Metric::time_ms);
    EXPECT_EQ(search.distance(3), 3U);
    EXPECT_EQ(search.source(3), 2U);
    EXPECT_EQ(search.source(2), 5U);
    // The other way round the lower label comes first and must stay.
    const std::vector<Seed> swapped = {{0, 0, 2}, {4, 0, 5}};
    search.run(std::span<const Seed>(swapped), 3, Metric::time_ms);
    EXPECT_EQ(search.source(3), 2U);
    // One less budget: node 3 is out of reach, node 2 exactly at it.
    search.run(std::span<const Seed>(seeds), 2, Metric::time_ms);
    EXPECT_FALSE(search.reached(3));
    EXPECT_EQ(search.distance(2), 2U);
}

} // namespace
} // namespace yike::routing
