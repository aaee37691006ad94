// Site planning: reach sets against single nearest_facilities calls, maximal / set / capacitated
// covering against brute-force enumeration on small random instances (optimal where claimed,
// within the stated gap otherwise, never below the greedy 1 - 1/e guarantee), the exact ILP mode,
// capacities, existing coverage, and bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <optional>
#include <queue>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "random_sites.hpp"
#include "routing/random_graph.hpp"
#include "support/ascii_map.hpp"
#include "yike/engine/coverage.hpp"
#include "yike/engine/planning.hpp"
#include "yike/error.hpp"

namespace yike::engine {
namespace {

using routing::Cost;
using routing::EdgeId;
using routing::inf_cost;
using routing::Metric;
using routing::Origin;
using routing::WalkGraph;
using Sites = std::vector<std::optional<Origin>>;

// ---- small random instances ---------------------------------------------------------------------

struct Instance {
    ReachSets reach;
    std::vector<double> weight;
    std::vector<std::uint8_t> covered;
    std::vector<double> capacity;
    [[nodiscard]] CoveringProblem problem(bool capacitated = false) const {
        CoveringProblem p;
        p.reach = &reach;
        p.weight = weight;
        p.covered = covered;
        if (capacitated) {
            p.capacity = capacity;
        }
        return p;
    }
};

ReachSets reach_from_lists(const std::vector<std::vector<std::uint32_t>>& lists) {
    ReachSets r;
    r.first.push_back(0);
    for (const auto& l : lists) {
        for (const std::uint32_t i : l) {
            r.demand.push_back(i);
            r.cost.push_back(0);
        }
        r.first.push_back(static_cast<std::uint32_t>(r.demand.size()));
    }
    return r;
}

// Random reach sets: each candidate reaches each demand point with a candidate-specific
// probability; integer weights (some 0), some points already covered.
Instance random_instance(std::mt19937_64& rng, std::uint32_t candidates, std::uint32_t demand) {
    Instance in;
    std::uniform_real_distribution<double> density(0.05, 0.45);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::uniform_int_distribution<int> weight(0, 9);
    std::uniform_int_distribution<int> cap(0, 30);
    std::vector<std::vector<std::uint32_t>> lists(candidates);
    for (auto& l : lists) {
        const double p = density(rng);
        for (std::uint32_t i = 0; i < demand; ++i) {
            if (unit(rng) < p) {
                l.push_back(i);
            }
        }
    }
    in.reach = reach_from_lists(lists);
    for (std::uint32_t i = 0; i < demand; ++i) {
        in.weight.push_back(weight(rng));
        in.covered.push_back(unit(rng) < 0.15 ? 1 : 0);
    }
    for (std::uint32_t j = 0; j < candidates; ++j) {
        in.capacity.push_back(cap(rng));
    }
    return in;
}

double covered_by(const Instance& in, const std::vector<std::uint32_t>& sites) {
    std::vector<std::uint8_t> hit(in.weight.size(), 0);
    for (const std::uint32_t j : sites) {
        for (std::uint32_t p = in.reach.first[j]; p < in.reach.first[j + 1]; ++p) {
            hit[in.reach.demand[p]] = 1;
        }
    }
    double v = 0;
    for (std::size_t i = 0; i < hit.size(); ++i) {
        v += hit[i] != 0 && in.covered[i] == 0 ? in.weight[i] : 0.0;
    }
    return v;
}

// Served weight by Edmonds-Karp on a dense residual matrix (independent of the planner's Dinic).
double served_by(const Instance& in, const std::vector<std::uint32_t>& sites) {
    const std::size_t nd = in.weight.size();
    const std::size_t ns = sites.size();
    const std::size_t n = 2 + nd + ns;
    const std::size_t src = 0;
    const std::size_t snk = 1;
    std::vector<std::vector<double>> cap(n, std::vector<double>(n, 0.0));
    for (std::size_t i = 0; i < nd; ++i) {
        cap[src][2 + i] = in.covered[i] == 0 ? in.weight[i] : 0.0;
    }
    for (std::size_t s = 0; s < ns; ++s) {
        const std::uint32_t j = sites[s];
        cap[2 + nd + s][snk] = in.capacity[j];
        for (std::uint32_t p = in.reach.first[j]; p < in.reach.first[j + 1]; ++p) {
            cap[2 + in.reach.demand[p]][2 + nd + s] = 1e18;
        }
    }
    double total = 0;
    while (true) {
        std::vector<std::size_t> parent(n, n);
        parent[src] = src;
        std::queue<std::size_t> q;
        q.push(src);
        while (!q.empty() && parent[snk] == n) {
            const std::size_t u = q.front();
            q.pop();
            for (std::size_t v = 0; v < n; ++v) {
                if (parent[v] == n && cap[u][v] > 1e-12) {
                    parent[v] = u;
                    q.push(v);
                }
            }
        }
        if (parent[snk] == n) {
            return total;
        }
        double f = std::numeric_limits<double>::infinity();
        for (std::size_t v = snk; v != src; v = parent[v]) {
            f = std::min(f, cap[parent[v]][v]);
        }
        for (std::size_t v = snk; v != src; v = parent[v]) {
            cap[parent[v]][v] -= f;
            cap[v][parent[v]] += f;
        }
        total += f;
    }
}

// The best value over all subsets of exactly min(k, m) candidates.
template <class Value>
double brute_force_best(std::uint32_t m, std::uint32_t k, Value value) {
    double best = 0;
    std::vector<std::uint32_t> pick;
    std::vector<bool> mask(m, false);
    std::fill(mask.begin(), mask.begin() + std::min(k, m), true);
    do {
        pick.clear();
        for (std::uint32_t j = 0; j < m; ++j) {
            if (mask[j]) {
                pick.push_back(j);
            }
        }
        best = std::max(best, value(pick));
    } while (std::prev_permutation(mask.begin(), mask.end()));
    return best;
}

void expect_well_formed(const PlanResult& r, std::uint32_t m, std::uint32_t k) {
    EXPECT_LE(r.chosen.size(), k);
    std::vector<std::uint32_t> sorted = r.chosen;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_TRUE(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end()) << "a site chosen twice";
    for (const std::uint32_t j : r.chosen) {
        EXPECT_LT(j, m);
    }
    ASSERT_EQ(r.marginal_gain.size(), r.chosen.size());
    double sum = 0;
    for (const double g : r.marginal_gain) {
        EXPECT_GE(g, -1e-9);
        sum += g;
    }
    EXPECT_NEAR(sum, r.objective, 1e-6);
    EXPECT_GE(r.gap, 0.0);
    EXPECT_LE(r.gap, 1.0);
    EXPECT_FALSE(r.method.empty());
}

// ---- reach sets ----------------------------------------------------------------------------------

TEST(PlanningReachSets, EqualSingleNearestFacilityCallsOnRandomGraphs) {
    std::mt19937_64 rng(test::test_seed() + 1000);
    std::size_t entries = 0;
    std::size_t same_edge = 0;
    for (int round = 0; round < 4; ++round) {
        const WalkGraph g = routing::build_walk_graph(test::random_pieces(rng), 1000);
        routing::BoundedSearch search(g);
        test::RandomSites random(g, rng);
        Sites candidates;
        for (int j = 0; j < 25; ++j) {
            if (random.chance(10)) {
                candidates.emplace_back(std::nullopt);
            } else {
                candidates.emplace_back(random.anywhere());
            }
        }
        const Sites demand = random.demand_near(candidates, 300, 30);
        for (const Metric metric : {Metric::time_ms, Metric::length_cm}) {
            const Cost threshold = metric == Metric::time_ms ? 400'000 : 40'000;
            const PreparedDemand prepared = prepare_demand(g, demand, metric);
            const ReachSets reach = build_reach_sets(g, prepared, candidates, threshold, 2);
            const ReachSets single = build_reach_sets(g, prepared, candidates, threshold, 1);
            EXPECT_EQ(reach.first, single.first);
            EXPECT_EQ(reach.demand, single.demand);
            EXPECT_EQ(reach.cost, single.cost);
            ASSERT_EQ(reach.candidate_count(), candidates.size());
            for (std::size_t j = 0; j < candidates.size(); ++j) {
                const Sites one = {candidates[j]};
                const NearestResult expected = nearest_facilities(search, prepared, one, threshold);
                std::vector<Cost> got(demand.size(), inf_cost);
                for (std::uint32_t p = reach.first[j]; p < reach.first[j + 1]; ++p) {
                    if (p > reach.first[j]) {
                        EXPECT_LT(reach.demand[p - 1], reach.demand[p]) << "not ascending";
                    }
                    got[reach.demand[p]] = reach.cost[p];
                    EXPECT_LE(reach.cost[p], threshold);
                    ++entries;
                    same_edge += candidates[j] && demand[reach.demand[p]] &&
                                         demand[reach.demand[p]]->edge == candidates[j]->edge
                                     ? 1
                                     : 0;
                }
                EXPECT_EQ(got, expected.cost) << "candidate " << j;
            }
        }
    }
    EXPECT_GT(entries, 1000U);
    EXPECT_GT(same_edge, 20U);
}

TEST(PlanningReachSets, AsciiMapByHand) {
    //   A---B---C      grid 25 m: AB, BC ~100 m; 1 m/s
    constexpr const char* line = "A---B---C\n";
    const auto map = test::parse_ascii_map(line, test::grid_options(25.0));
    const WalkGraph g = routing::build_walk_graph(map.pieces, 1000);
    const EdgeId ab = test::edge_between(g, test::node_of(g, map.osm_id('A')), test::node_of(g, map.osm_id('B')));
    const EdgeId bc = test::edge_between(g, test::node_of(g, map.osm_id('B')), test::node_of(g, map.osm_id('C')));
    auto at = [&](EdgeId e, std::uint32_t offset_cm, std::uint32_t offnet_cm) {
        Origin o;
        o.edge = e;
        o.offset_cm = offset_cm;
        o.offnet_cm = offnet_cm;
        return o;
    };
    const std::uint32_t len_ab = g.edge_length_cm[ab];
    const bool ab_from_a = g.edge_tail[ab] == test::node_of(g, map.osm_id('A'));
    // Candidate in the middle of AB; demand 10 m further along AB (same edge), at B's end of BC,
    // and at C (out of reach at 100 m).
    const Sites candidates = {at(ab, len_ab / 2, 0), std::nullopt};
    const Sites demand = {at(ab, ab_from_a ? len_ab / 2 + 1000 : len_ab / 2 - 1000, 200),
                          at(bc, g.edge_tail[bc] == test::node_of(g, map.osm_id('B')) ? 0 : g.edge_length_cm[bc], 0),
                          at(bc, g.edge_tail[bc] == test::node_of(g, map.osm_id('B')) ? g.edge_length_cm[bc] : 0, 0)};
    const PreparedDemand prepared = prepare_demand(g, demand, Metric::length_cm);
    const ReachSets r = build_reach_sets(g, prepared, candidates, 10'000, 1);
    ASSERT_EQ(r.candidate_count(), 2U);
    ASSERT_EQ(r.first[1], 2U);
    EXPECT_EQ(r.first[2], 2U); // unsnapped candidate reaches nothing
    EXPECT_EQ(r.demand[0], 0U);
    EXPECT_EQ(r.cost[0], 1000U + 200U);
    EXPECT_EQ(r.demand[1], 1U);
    EXPECT_EQ(r.cost[1], len_ab - len_ab / 2);
}

constexpr double tol = 1e-6;
const double greedy_factor = 1.0 - 1.0 / std::numbers::e;

TEST(PlanningMaximalCovering, MatchesBruteForceOrStaysWithinItsGap) {
    std::mt19937_64 rng(test::test_seed() + 1100);
    int proven = 0;
    int cases = 0;
    for (int round = 0; round < 60; ++round) {
        const std::uint32_t m = 4 + static_cast<std::uint32_t>(round % 9);
        const Instance in = random_instance(rng, m, 30 + static_cast<std::uint32_t>(round % 5) * 10);
        for (std::uint32_t k = 1; k <= std::min(4U, m); ++k) {
            SCOPED_TRACE("round " + std::to_string(round) + " k " + std::to_string(k));
            const double best = brute_force_best(m, k, [&](const auto& s) { return covered_by(in, s); });
            for (const std::uint32_t rounds : {0U, 50U}) {
                PlanOptions options;
                options.swap_rounds = rounds;
                const PlanResult r = maximal_covering(in.problem(), k, options);
                expect_well_formed(r, m, k);
                EXPECT_NEAR(r.objective, covered_by(in, r.chosen), tol);
                EXPECT_LE(r.objective, best + tol);
                EXPECT_GE(r.objective, greedy_factor * best - tol);
                EXPECT_GE(r.upper_bound, best - tol) << "the bound is not a bound";
                EXPECT_GE(r.objective, (1.0 - r.gap) * r.upper_bound - tol);
                if (r.optimal) {
                    EXPECT_NEAR(r.objective, best, tol);
                    EXPECT_EQ(r.gap, 0.0);
                    ++proven;
                }
                ++cases;
            }
        }
    }
    // The bounds are tight on most small instances (LP relaxation); if none were proven the bound
    // machinery would be broken.
    EXPECT_GT(proven, cases / 4);
}

TEST(PlanningMaximalCovering, ExactModeEqualsBruteForce) {
    std::mt19937_64 rng(test::test_seed() + 1200);
    for (int round = 0; round < 30; ++round) {
        const std::uint32_t m = 5 + static_cast<std::uint32_t>(round % 8);
        const Instance in = random_instance(rng, m, 40);
        for (std::uint32_t k = 1; k <= 4; ++k) {
            SCOPED_TRACE("round " + std::to_string(round) + " k " + std::to_string(k));
            const double best = brute_force_best(m, k, [&](const auto& s) { return covered_by(in, s); });
            PlanOptions options;
            options.exact = true;
            options.swap_rounds = 0; // the ILP must stand on its own
            const PlanResult r = maximal_covering(in.problem(), k, options);
            expect_well_formed(r, m, k);
            EXPECT_TRUE(r.optimal);
            EXPECT_NEAR(r.objective, best, tol);
            EXPECT_NEAR(covered_by(in, r.chosen), best, tol);
        }
    }
}

// Spatial reach sets (points in a unit square, reach = within `radius`): small overlapping sets,
// so the swap phase makes many exchanges, unlike the dense random instances above.
Instance spatial_instance(std::mt19937_64& rng, std::uint32_t candidates, std::uint32_t demand, double radius) {
    Instance in;
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::uniform_int_distribution<int> weight(0, 300);
    std::vector<double> dx(demand);
    std::vector<double> dy(demand);
    for (std::uint32_t i = 0; i < demand; ++i) {
        dx[i] = unit(rng);
        dy[i] = unit(rng);
        in.weight.push_back(weight(rng));
        in.covered.push_back(unit(rng) < 0.1 ? 1 : 0);
    }
    std::vector<std::vector<std::uint32_t>> lists(candidates);
    for (auto& l : lists) {
        const double x = unit(rng);
        const double y = unit(rng);
        for (std::uint32_t i = 0; i < demand; ++i) {
            if ((dx[i] - x) * (dx[i] - x) + (dy[i] - y) * (dy[i] - y) <= radius * radius) {
                l.push_back(i);
            }
        }
    }
    in.reach = reach_from_lists(lists);
    return in;
}

std::uint32_t swaps_in(const std::string& method) {
    const std::size_t at = method.find(" swaps)");
    const std::size_t open = method.rfind('(', at);
    return at == std::string::npos || open == std::string::npos
               ? 0
               : static_cast<std::uint32_t>(std::stoul(method.substr(open + 1, at - open - 1)));
}

TEST(PlanningMaximalCovering, SameResultForAnyThreadCount) {
    // 2,000 candidates: the parallel swap phase evaluates them in blocks of up to 512 and must
    // reproduce the one-by-one first-improvement search exactly, swaps and bound included. 40,000
    // points within 0.06 give about 900,000 reach entries (well above the LP limit: greedy + swap
    // alone); 3,000 points within 0.04 stay below it, so the LP-rounded start is swapped as well.
    std::mt19937_64 rng(test::test_seed() + 1250);
    std::uint32_t total_swaps = 0;
    for (const double radius : {0.06, 0.06, 0.04}) {
        const Instance in = spatial_instance(rng, 2000, radius > 0.05 ? 40000 : 3000, radius);
        for (const std::uint32_t k : {1U, 25U, 80U}) {
            for (const std::uint32_t rounds : {1U, 50U}) {
                if (radius < 0.05 && (k != 25 || rounds != 50)) {
                    continue; // the LP makes these runs slow; one is enough
                }
                SCOPED_TRACE("radius " + std::to_string(radius) + " k " + std::to_string(k) + " swap rounds " +
                             std::to_string(rounds));
                PlanOptions one;
                one.swap_rounds = rounds;
                one.threads = 1;
                const PlanResult a = maximal_covering(in.problem(), k, one);
                for (const unsigned threads : {2U, 3U}) {
                    PlanOptions many = one;
                    many.threads = threads;
                    const PlanResult b = maximal_covering(in.problem(), k, many);
                    EXPECT_EQ(a.chosen, b.chosen);
                    EXPECT_EQ(a.marginal_gain, b.marginal_gain);
                    EXPECT_EQ(a.objective, b.objective);
                    EXPECT_EQ(a.upper_bound, b.upper_bound);
                    EXPECT_EQ(a.gap, b.gap);
                    EXPECT_EQ(a.optimal, b.optimal);
                    EXPECT_EQ(a.method, b.method);
                }
                total_swaps += swaps_in(a.method);
            }
        }
    }
    // Without swaps (and restarts within a block) the comparison would prove little.
    EXPECT_GT(total_swaps, 100U);
}

TEST(PlanningMaximalCovering, ExistingCoverageIsNeverCountedAsGain) {
    // Candidate 0 reaches only covered demand; candidate 1 reaches a little uncovered demand.
    const ReachSets reach = reach_from_lists({{0, 1, 2}, {3}, {2, 3}});
    CoveringProblem p;
    p.reach = &reach;
    p.weight = {100, 100, 100, 1};
    p.covered = {1, 1, 1, 0};
    const PlanResult r = maximal_covering(p, 1);
    ASSERT_EQ(r.chosen.size(), 1U);
    EXPECT_NE(r.chosen[0], 0U);
    EXPECT_DOUBLE_EQ(r.objective, 1.0);
    EXPECT_TRUE(r.optimal);
    // Nothing adds anything once the uncovered point is taken: no useless sites are returned.
    const PlanResult two = maximal_covering(p, 3);
    EXPECT_EQ(two.chosen.size(), 1U);
    EXPECT_DOUBLE_EQ(two.objective, 1.0);
}

TEST(PlanningMaximalCovering, BadInputIsAConfigError) {
    const ReachSets reach = reach_from_lists({{0}, {1}});
    CoveringProblem p;
    p.reach = &reach;
    p.weight = {1, 2};
    EXPECT_THROW(maximal_covering(p, 3), config_error);
    EXPECT_NO_THROW(maximal_covering(p, 2));
    p.weight = {1, -1};
    EXPECT_THROW(maximal_covering(p, 1), config_error);
    p.weight = {1, std::numeric_limits<double>::quiet_NaN()};
    EXPECT_THROW(maximal_covering(p, 1), config_error);
    p.weight = {1, 2};
    p.covered = {0};
    EXPECT_THROW(maximal_covering(p, 1), config_error);
    CoveringProblem none;
    none.weight = {1};
    EXPECT_THROW(maximal_covering(none, 0), config_error);
    // No candidates at all: nothing to choose, and nothing reachable.
    const ReachSets empty;
    none.reach = &empty;
    const PlanResult nothing = maximal_covering(none, 0);
    EXPECT_TRUE(nothing.chosen.empty());
    EXPECT_TRUE(nothing.optimal);
    EXPECT_THROW(maximal_covering(none, 1), config_error);
    const PlanResult unreachable = set_covering(none, 0.5);
    EXPECT_FALSE(unreachable.target_reachable);
    EXPECT_EQ(unreachable.unreachable_demand, std::vector<std::uint32_t>{0});
}

// ---- set covering --------------------------------------------------------------------------------

// The fewest sites reaching `needed` new weight, by enumeration (m + 1 when impossible).
std::uint32_t brute_force_fewest(const Instance& in, std::uint32_t m, double needed) {
    for (std::uint32_t size = 0; size <= m; ++size) {
        if (brute_force_best(m, size, [&](const auto& s) { return covered_by(in, s); }) >= needed - tol) {
            return size;
        }
    }
    return m + 1;
}

TEST(PlanningSetCovering, FewestSitesAgainstBruteForce) {
    std::mt19937_64 rng(test::test_seed() + 1300);
    int proven = 0;
    for (int round = 0; round < 60; ++round) {
        const std::uint32_t m = 4 + static_cast<std::uint32_t>(round % 9);
        const Instance in = random_instance(rng, m, 40);
        double total = 0;
        double already = 0;
        for (std::size_t i = 0; i < in.weight.size(); ++i) {
            total += in.weight[i];
            already += in.covered[i] != 0 ? in.weight[i] : 0.0;
        }
        for (const double share : {0.3, 0.6, 0.8, 0.95, 1.0}) {
            for (const bool exact : {false, true}) {
                SCOPED_TRACE("round " + std::to_string(round) + " share " + std::to_string(share) +
                             (exact ? " exact" : ""));
                PlanOptions options;
                options.exact = exact;
                const PlanResult r = set_covering(in.problem(), share, options);
                expect_well_formed(r, m, m);
                const double needed = share * total - already;
                const double reached = covered_by(in, r.chosen);
                EXPECT_NEAR(r.objective, reached, tol);
                const double achievable = brute_force_best(m, m, [&](const auto& s) { return covered_by(in, s); });
                EXPECT_NEAR(r.upper_bound, achievable, tol);
                if (needed <= achievable + tol) {
                    EXPECT_TRUE(r.target_reachable);
                    EXPECT_TRUE(r.unreachable_demand.empty());
                    EXPECT_GE(reached, needed - tol);
                    const std::uint32_t fewest = brute_force_fewest(in, m, needed);
                    EXPECT_GE(r.chosen.size(), fewest);
                    // gap: how many sites the answer may have too many
                    EXPECT_LE(static_cast<double>(r.chosen.size()) - r.gap, static_cast<double>(fewest));
                    if (r.optimal || exact) {
                        EXPECT_EQ(r.chosen.size(), fewest);
                        EXPECT_EQ(r.gap, 0.0);
                    }
                    proven += r.optimal ? 1 : 0;
                } else {
                    // The best achievable share is still returned, and the reason is listed.
                    EXPECT_FALSE(r.target_reachable);
                    EXPECT_NEAR(reached, achievable, tol);
                    std::vector<std::uint8_t> reachable(in.weight.size(), 0);
                    for (const std::uint32_t i : in.reach.demand) {
                        reachable[i] = 1;
                    }
                    std::vector<std::uint32_t> expected;
                    for (std::uint32_t i = 0; i < in.weight.size(); ++i) {
                        if (in.weight[i] > 0 && in.covered[i] == 0 && reachable[i] == 0) {
                            expected.push_back(i);
                        }
                    }
                    EXPECT_EQ(r.unreachable_demand, expected);
                    EXPECT_FALSE(expected.empty());
                }
            }
        }
    }
    EXPECT_GT(proven, 100);
}

TEST(PlanningSetCovering, ExistingCoverageCountsTowardsTheTarget) {
    const ReachSets reach = reach_from_lists({{2}, {3}, {2, 3}, {}});
    CoveringProblem p;
    p.reach = &reach;
    p.weight = {5, 3, 1, 1, 0};
    p.covered = {1, 1, 0, 0, 0};
    // 8 of 10 already covered: 80 % needs nothing, 100 % needs site 2 alone.
    const PlanResult none = set_covering(p, 0.8);
    EXPECT_TRUE(none.chosen.empty());
    EXPECT_TRUE(none.target_reachable);
    const PlanResult all = set_covering(p, 1.0);
    ASSERT_EQ(all.chosen.size(), 1U);
    EXPECT_EQ(all.chosen[0], 2U);
    EXPECT_TRUE(all.optimal);
    EXPECT_THROW(set_covering(p, 1.5), config_error);
    EXPECT_THROW(set_covering(p, -0.1), config_error);
    p.weight[4] = -2;
    EXPECT_THROW(set_covering(p, 0.5), config_error);
}

// ---- capacitated covering --------------------------------------------------------------------------

TEST(PlanningCapacitated, ServedWeightAgainstBruteForceFlows) {
    std::mt19937_64 rng(test::test_seed() + 1400);
    int proven = 0;
    for (int round = 0; round < 40; ++round) {
        const std::uint32_t m = 4 + static_cast<std::uint32_t>(round % 7);
        const Instance in = random_instance(rng, m, 25);
        double open = 0;
        for (std::size_t i = 0; i < in.weight.size(); ++i) {
            open += in.covered[i] == 0 ? in.weight[i] : 0.0;
        }
        for (std::uint32_t k = 1; k <= std::min(3U, m); ++k) {
            const double best = brute_force_best(m, k, [&](const auto& s) { return served_by(in, s); });
            for (const bool exact : {false, true}) {
                SCOPED_TRACE("round " + std::to_string(round) + " k " + std::to_string(k) + (exact ? " exact" : ""));
                PlanOptions options;
                options.exact = exact;
                const PlanResult r = capacitated_covering(in.problem(true), k, options);
                expect_well_formed(r, m, k);
                ASSERT_EQ(r.served.size(), r.chosen.size());
                double served = 0;
                for (std::size_t s = 0; s < r.chosen.size(); ++s) {
                    EXPECT_GE(r.served[s], -tol);
                    EXPECT_LE(r.served[s], in.capacity[r.chosen[s]] + tol) << "capacity exceeded";
                    // A site serves no more than the open demand within its reach.
                    EXPECT_LE(r.served[s], covered_by(in, {r.chosen[s]}) + tol);
                    served += r.served[s];
                }
                EXPECT_NEAR(served, r.objective, tol);
                EXPECT_NEAR(r.objective, served_by(in, r.chosen), tol);
                EXPECT_LE(r.objective, open + tol);
                EXPECT_LE(r.objective, best + tol);
                EXPECT_GE(r.objective, greedy_factor * best - tol);
                EXPECT_GE(r.upper_bound, best - tol);
                EXPECT_GE(r.objective, (1.0 - r.gap) * r.upper_bound - tol);
                if (r.optimal || exact) {
                    EXPECT_TRUE(r.optimal);
                    EXPECT_NEAR(r.objective, best, tol);
                    ++proven;
                }
            }
        }
    }
    EXPECT_GT(proven, 40);
}

TEST(PlanningCapacitated, DemandIsSplitAndCoveredDemandIsNotAvailable) {
    // Two sites of 4 seats each over 6 open households: 6 served, split over both.
    const ReachSets reach = reach_from_lists({{0, 1}, {1, 2}, {3}});
    CoveringProblem p;
    p.reach = &reach;
    p.weight = {1, 5, 0, 50};
    p.covered = {0, 0, 0, 1};
    p.capacity = {4, 4, 100};
    const PlanResult r = capacitated_covering(p, 2);
    ASSERT_EQ(r.chosen.size(), 2U);
    EXPECT_DOUBLE_EQ(r.objective, 6.0);
    EXPECT_TRUE(r.optimal);
    std::vector<std::uint32_t> sorted = r.chosen;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(sorted, (std::vector<std::uint32_t>{0, 1}));
}

TEST(PlanningCapacitated, MissingOrNegativeCapacitiesAreConfigErrors) {
    const ReachSets reach = reach_from_lists({{0}, {1}});
    CoveringProblem p;
    p.reach = &reach;
    p.weight = {1, 2};
    EXPECT_THROW(capacitated_covering(p, 1), config_error);
    p.capacity = {1};
    EXPECT_THROW(capacitated_covering(p, 1), config_error);
    p.capacity = {1, -1};
    EXPECT_THROW(capacitated_covering(p, 1), config_error);
    p.capacity = {1, std::numeric_limits<double>::infinity()};
    EXPECT_THROW(capacitated_covering(p, 1), config_error);
    p.capacity = {1, 1};
    EXPECT_THROW(capacitated_covering(p, 3), config_error);
    p.weight = {-1, 2};
    EXPECT_THROW(capacitated_covering(p, 1), config_error);
    p.weight = {1, 2};
    EXPECT_DOUBLE_EQ(capacitated_covering(p, 2).objective, 2.0);
}

// ---- whole units (presence targets) ------------------------------------------------------------

// Best weight within k sites by trying every subset.
double brute_best_units(const UnitSelection& u, std::uint32_t k) {
    const auto n = u.weight.size();
    double best = 0;
    for (std::uint32_t mask = 0; mask < (1U << n); ++mask) {
        double w = 0;
        std::uint32_t c = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (mask & (1U << i)) {
                w += u.weight[i];
                c += u.cost[i];
            }
        }
        if (c <= k) best = std::max(best, w);
    }
    return best;
}

TEST(UnitSelectionTest, OneSiteEachIsTheHeaviestUnitsAndProvenOptimal) {
    const UnitSelection u{{5, 40, 12, 40, 7}, {1, 1, 1, 1, 1}};
    const PlanResult r = best_units(u, 3);
    EXPECT_EQ(r.chosen, (std::vector<std::uint32_t>{1, 3, 2}));
    EXPECT_EQ(r.marginal_gain, (std::vector<double>{40, 40, 12}));
    EXPECT_DOUBLE_EQ(r.objective, 92);
    EXPECT_TRUE(r.optimal);
    EXPECT_DOUBLE_EQ(r.gap, 0);
}

TEST(UnitSelectionTest, GreedyBoundAndExactAgreeWithBruteForce) {
    std::mt19937_64 rng(test::test_seed() + 2100);
    int improved = 0;
    for (int round = 0; round < 300; ++round) {
        UnitSelection u;
        const auto n = 1 + rng() % 10;
        for (std::size_t i = 0; i < n; ++i) {
            u.weight.push_back(static_cast<double>(rng() % 100));
            u.cost.push_back(1 + static_cast<std::uint32_t>(rng() % 3));
        }
        const auto k = 1 + static_cast<std::uint32_t>(rng() % 8);
        const double best = brute_best_units(u, k);
        const PlanResult greedy = best_units(u, k);
        EXPECT_LE(greedy.objective, best + 1e-9) << round;
        EXPECT_GE(greedy.upper_bound, best - 1e-9) << round; // the LP bound is a bound
        if (greedy.optimal) EXPECT_NEAR(greedy.objective, best, 1e-9) << round;
        PlanOptions exact;
        exact.exact = true;
        const PlanResult ilp = best_units(u, k, exact);
        EXPECT_NEAR(ilp.objective, best, 1e-9) << round;
        EXPECT_TRUE(ilp.optimal) << round;
        EXPECT_DOUBLE_EQ(ilp.gap, 0) << round;
        std::uint32_t sites = 0;
        for (const auto i : ilp.chosen) sites += u.cost[i];
        EXPECT_LE(sites, k);
        improved += ilp.objective > greedy.objective + 1e-9 ? 1 : 0;
    }
    EXPECT_GT(improved, 0); // the instances include ones where greedy is not optimal
}

TEST(UnitSelectionTest, FewestSitesForACountOfUnits) {
    const UnitSelection u{{10, 50, 30, 20}, {2, 1, 3, 1}};
    PlanOptions exact;
    exact.exact = true;
    for (const auto& options : {PlanOptions{}, exact}) {
        const PlanResult r = fewest_units(u, 3, options);
        EXPECT_TRUE(r.target_reachable);
        EXPECT_EQ(r.chosen, (std::vector<std::uint32_t>{1, 3, 0})); // costs 1, 1, 2
        EXPECT_DOUBLE_EQ(r.objective, 80);
        EXPECT_TRUE(r.optimal);
    }
    const PlanResult all = fewest_units(u, 5);
    EXPECT_FALSE(all.target_reachable);
    EXPECT_EQ(all.chosen.size(), 4U);
}

} // namespace
} // namespace yike::engine
