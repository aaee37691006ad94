// Coverage on graphs with directional walking times (slope): the cost of a household is that of
// walking from it to the facility, checked against brute force that walks forwards from every
// household.
#include <gtest/gtest.h>

#include <optional>
#include <queue>
#include <random>
#include <vector>

#include "routing/directional_brute_force.hpp"
#include "routing/random_graph.hpp"
#include "yike/engine/coverage.hpp"
#include "yike/routing/search.hpp"

namespace yike::engine {
namespace {

using namespace routing; // the graph, its ids and costs are what these tests talk about

using test::along;
using test::inf64;
using test::walk_from;

// From household h to facility f: off the network, along h's edge to an end, through the graph,
// along f's edge to f, off the network; or straight along a shared edge.
std::uint64_t walk_to(const WalkGraph& g, const Origin& h, const Origin& f) {
    const std::uint32_t hl = g.edge_length_cm[h.edge];
    const std::uint32_t fl = g.edge_length_cm[f.edge];
    const auto d = walk_from(g, {{g.edge_tail[h.edge], along(g, h.edge, h.offset_cm, false)},
                                 {g.edge_head[h.edge], along(g, h.edge, hl - h.offset_cm, true)}});
    std::uint64_t best = inf64;
    if (d[g.edge_tail[f.edge]] != inf64) best = std::min(best, d[g.edge_tail[f.edge]] + along(g, f.edge, f.offset_cm, true));
    if (d[g.edge_head[f.edge]] != inf64) best = std::min(best, d[g.edge_head[f.edge]] + along(g, f.edge, fl - f.offset_cm, false));
    if (h.edge == f.edge) {
        best = std::min(best, h.offset_cm <= f.offset_cm ? along(g, h.edge, f.offset_cm - h.offset_cm, true)
                                                         : along(g, h.edge, h.offset_cm - f.offset_cm, false));
    }
    return best == inf64 ? inf64 : best + g.offnet_time_ms(h.offnet_cm) + g.offnet_time_ms(f.offnet_cm);
}

// A random graph whose segments are each slower or faster, differently in each direction.
WalkGraph random_sloped_graph(std::mt19937_64& rng) {
    std::uniform_real_distribution<double> factor(0.5, 3.0);
    std::vector<routing::EdgeInput> pieces = test::random_pieces(rng);
    for (auto& p : pieces) {
        for (std::size_t i = 0; i + 1 < p.points.size(); ++i) {
            p.segment_time_factor.push_back(factor(rng));
            p.segment_back_time_factor.push_back(factor(rng));
        }
    }
    return routing::build_walk_graph(pieces, 1000);
}

TEST(SlopeCoverage, NearestFacilityIsTheWalkFromTheHousehold) {
    std::mt19937_64 rng(test::test_seed() + 900);
    std::uint64_t compared = 0;
    std::uint64_t reached = 0;
    for (int round = 0; round < 3; ++round) {
        const WalkGraph g = random_sloped_graph(rng);
        ASSERT_TRUE(g.has_directional_times());
        routing::BoundedSearch search(g);
        std::uniform_int_distribution<EdgeId> edge(0, g.edge_count() - 1);
        auto random_origin = [&](EdgeId e) {
            return Origin{e, std::uniform_int_distribution<std::uint32_t>(0, g.edge_length_cm[e])(rng),
                          std::uniform_int_distribution<std::uint32_t>(0, 2000)(rng), 0};
        };
        for (int q = 0; q < 6; ++q) {
            std::vector<std::optional<Origin>> facilities;
            for (int j = 0; j < 1 + q % 4; ++j) facilities.emplace_back(random_origin(edge(rng)));
            std::vector<std::optional<Origin>> demand;
            for (int i = 0; i < 40; ++i) {
                // A third of the households share a facility's edge.
                demand.emplace_back(random_origin(i % 3 == 0 ? facilities[i % facilities.size()]->edge : edge(rng)));
            }
            const Cost limit = std::uniform_int_distribution<Cost>(200'000, 1'500'000)(rng);
            const NearestResult r = nearest_facilities(search, demand, facilities, routing::Metric::time_ms, limit);
            for (std::size_t i = 0; i < demand.size(); ++i) {
                std::uint64_t best = inf64;
                std::uint32_t which = invalid_id;
                for (std::size_t j = 0; j < facilities.size(); ++j) {
                    const std::uint64_t c = walk_to(g, *demand[i], *facilities[j]);
                    if (c < best) {
                        best = c;
                        which = static_cast<std::uint32_t>(j);
                    }
                }
                if (best > limit) {
                    EXPECT_EQ(r.cost[i], inf_cost) << "household " << i;
                } else {
                    EXPECT_EQ(r.cost[i], best) << "household " << i;
                    EXPECT_EQ(r.facility[i], which) << "household " << i;
                    ++reached;
                }
                ++compared;
            }
        }
    }
    EXPECT_GT(reached, compared / 4);
}

// Step 1 of the floating catchment counts the households whose walk *to* the facility is within d0.
TEST(SlopeCoverage, CatchmentCountsTheWalkToTheFacility) {
    std::mt19937_64 rng(test::test_seed() + 901);
    const WalkGraph g = random_sloped_graph(rng);
    routing::BoundedSearch search(g);
    std::uniform_int_distribution<EdgeId> edge(0, g.edge_count() - 1);
    auto random_origin = [&](EdgeId e) {
        return Origin{e, std::uniform_int_distribution<std::uint32_t>(0, g.edge_length_cm[e])(rng),
                      std::uniform_int_distribution<std::uint32_t>(0, 2000)(rng), 0};
    };
    std::vector<std::optional<Origin>> facilities;
    for (int j = 0; j < 6; ++j) facilities.emplace_back(random_origin(edge(rng)));
    std::vector<std::optional<Origin>> demand;
    for (int i = 0; i < 120; ++i) demand.emplace_back(random_origin(i % 4 == 0 ? facilities[i % 6]->edge : edge(rng)));
    CatchmentOptions options;
    options.threshold = 600'000;
    const std::vector<double> ones_d(demand.size(), 1.0);
    const std::vector<double> ones_f(facilities.size(), 1.0);
    const CatchmentResult r = floating_catchment(search, demand, ones_d, facilities, ones_f, options);
    double total = 0.0;
    for (std::size_t j = 0; j < facilities.size(); ++j) {
        double within = 0.0;
        for (const auto& h : demand) within += walk_to(g, *h, *facilities[j]) <= options.threshold ? 1.0 : 0.0;
        EXPECT_EQ(r.facility_demand[j], within) << "facility " << j;
        total += within;
    }
    EXPECT_GT(total, 20.0);
}

} // namespace
} // namespace yike::engine
