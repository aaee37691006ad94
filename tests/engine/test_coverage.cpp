// Coverage core: barrier-aware snapping with entrances, nearest facilities from one multi-source
// search (hand-built cases and a brute-force differential against single-source searches), and
// floating catchments (2SFCA, E2SFCA) computed by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstdint>
#include <optional>
#include <queue>
#include <random>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "random_sites.hpp"
#include "routing/nearest_on_segment.hpp"
#include "routing/random_graph.hpp"
#include "support/ascii_map.hpp"
#include "yike/engine/coverage.hpp"
#include "yike/error.hpp"

namespace yike::engine {
namespace {

using namespace routing; // the graph, its ids and costs are what these tests talk about
using Sites = std::vector<std::optional<Origin>>;

Origin origin(EdgeId e, std::uint32_t offset_cm, std::uint32_t offnet_cm = 0) {
    Origin o;
    o.edge = e;
    o.offset_cm = offset_cm;
    o.offnet_cm = offnet_cm;
    return o;
}

// An origin exactly at node n, which is an end of edge e.
Origin at_node(const WalkGraph& g, EdgeId e, NodeId n, std::uint32_t offnet_cm = 0) {
    return origin(e, g.edge_tail[e] == n ? 0 : g.edge_length_cm[e], offnet_cm);
}

// A point dx metres east and dy metres north of node `ref` of the map, in the graph's projection.
LonLat near_node(const WalkGraph& g, const test::AsciiMap& map, char ref, double dx, double dy) {
    const routing::XY r = g.projection.forward(map.node_lonlat.at(ref));
    return g.projection.inverse({r.x_m + dx, r.y_m + dy});
}

EdgeId edge_of(const WalkGraph& g, const test::AsciiMap& map, char a, char b) {
    const EdgeId e = test::edge_between(g, test::node_of(g, map.osm_id(a)), test::node_of(g, map.osm_id(b)));
    if (e == invalid_id) {
        throw std::invalid_argument(std::string("no edge ") + a + b);
    }
    return e;
}

// ---- nearest facilities: hand-built cases ----------------------------------------------------

//   A---B---C        grid 25 m: AB and BC ~100 m, BD ~50 m
//       |
//       D
constexpr const char* tee = "A---B---C\n"
                            "    |\n"
                            "    D\n";

TEST(CoverageNearest, HouseholdExactlyAtTheThresholdIsCovered) {
    const auto map = test::parse_ascii_map(tee, test::grid_options(25.0));
    const WalkGraph g = routing::build_walk_graph(map.pieces, 1000);
    const NodeId a = test::node_of(g, map.osm_id('A'));
    const NodeId d = test::node_of(g, map.osm_id('D'));
    const EdgeId ab = edge_of(g, map, 'A', 'B');
    const EdgeId bd = edge_of(g, map, 'B', 'D');
    routing::BoundedSearch search(g);
    // Facility 5 m off the network at A, household 5 m off at D.
    const Sites facilities = {at_node(g, ab, a, 500)};
    const Sites demand = {at_node(g, bd, d, 500)};
    for (const Metric metric : {Metric::length_cm, Metric::time_ms}) {
        SCOPED_TRACE(static_cast<int>(metric));
        const Cost expected = metric == Metric::length_cm
                                  ? 500 + g.edge_length_cm[ab] + g.edge_length_cm[bd] + 500
                                  : g.offnet_time_ms(500) + g.edge_time_ms[ab] + g.edge_time_ms[bd] + g.offnet_time_ms(500);
        const NearestResult at = nearest_facilities(search, demand, facilities, metric, expected);
        EXPECT_EQ(at.cost[0], expected);
        EXPECT_EQ(at.facility[0], 0U);
        const NearestResult below = nearest_facilities(search, demand, facilities, metric, expected - 1);
        EXPECT_EQ(below.cost[0], inf_cost);
        EXPECT_EQ(below.facility[0], invalid_id);
    }
}

TEST(CoverageNearest, SameEdgeFacilityIsReachedAlongTheEdge) {
    const auto map = test::parse_ascii_map(tee, test::grid_options(25.0));
    const WalkGraph g = routing::build_walk_graph(map.pieces, 1000);
    const EdgeId ab = edge_of(g, map, 'A', 'B');
    routing::BoundedSearch search(g);
    // Both in the middle of AB, 20 m apart: through either end would be ~80 m or more.
    const Sites facilities = {origin(ab, 4000, 300)};
    const Sites demand = {origin(ab, 6000, 200)};
    const NearestResult len = nearest_facilities(search, demand, facilities, Metric::length_cm, inf_cost);
    EXPECT_EQ(len.cost[0], 300U + 2000U + 200U);
    EXPECT_EQ(len.facility[0], 0U);
    const NearestResult time = nearest_facilities(search, demand, facilities, Metric::time_ms, inf_cost);
    EXPECT_EQ(time.cost[0], g.offnet_time_ms(300) + routing::partial_edge_cost(g, ab, 0, 2000, Metric::time_ms) +
                                g.offnet_time_ms(200));
    // The same-edge walk is within a limit that the way through the ends is not.
    const NearestResult tight = nearest_facilities(search, demand, facilities, Metric::length_cm, 2500);
    EXPECT_EQ(tight.cost[0], 2500U);
}

TEST(CoverageNearest, TiesGoToTheLowestIndexAndMissesAreReported) {
    const auto map = test::parse_ascii_map(tee, test::grid_options(25.0));
    const WalkGraph g = routing::build_walk_graph(map.pieces, 1000);
    const NodeId a = test::node_of(g, map.osm_id('A'));
    const NodeId b = test::node_of(g, map.osm_id('B'));
    const NodeId c = test::node_of(g, map.osm_id('C'));
    const EdgeId ab = edge_of(g, map, 'A', 'B');
    const EdgeId bc = edge_of(g, map, 'B', 'C');
    const EdgeId bd = edge_of(g, map, 'B', 'D');
    // Off-network legs even out the (rounded) lengths of AB and BC, so both are equally far.
    const std::uint32_t lab = g.edge_length_cm[ab];
    const std::uint32_t lbc = g.edge_length_cm[bc];
    const Cost tie = 1000 + std::max(lab, lbc);
    const Origin from_a = at_node(g, ab, a, tie - lab);
    const Origin from_c = at_node(g, bc, c, tie - lbc);
    routing::BoundedSearch search(g);
    const Sites demand = {at_node(g, bd, b), std::nullopt, at_node(g, bd, b, 100)};
    // Facility 0 unsnapped (ignored); 1 and 2 equally far from B, from either side.
    for (const bool swapped : {false, true}) {
        const Sites facilities = {std::nullopt, swapped ? from_a : from_c, swapped ? from_c : from_a};
        const NearestResult r = nearest_facilities(search, demand, facilities, Metric::length_cm, inf_cost);
        ASSERT_EQ(r.cost.size(), 3U);
        EXPECT_EQ(r.cost[0], tie);
        EXPECT_EQ(r.facility[0], 1U);
        EXPECT_EQ(r.cost[1], inf_cost); // unsnapped demand
        EXPECT_EQ(r.facility[1], invalid_id);
        EXPECT_EQ(r.cost[2], tie + 100);
        EXPECT_EQ(r.facility[2], 1U);
        // One centimetre more for facility 1: facility 2 wins.
        Sites worse = facilities;
        worse[1]->offnet_cm += 1;
        EXPECT_EQ(nearest_facilities(search, demand, worse, Metric::length_cm, inf_cost).facility[0], 2U);
    }
    // No snapped facility at all.
    const Sites none = {std::nullopt};
    const NearestResult r = nearest_facilities(search, demand, none, Metric::length_cm, inf_cost);
    EXPECT_EQ(r.cost, std::vector<Cost>(3, inf_cost));
    EXPECT_EQ(r.facility, std::vector<std::uint32_t>(3, invalid_id));
}

// ---- nearest facilities: brute-force differential --------------------------------------------

std::vector<std::uint64_t> full_dijkstra(const WalkGraph& g, const std::vector<routing::Seed>& seeds, Metric metric) {
    constexpr std::uint64_t inf = ~std::uint64_t{0};
    std::vector<std::uint64_t> dist(g.node_count(), inf);
    using Entry = std::pair<std::uint64_t, NodeId>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
    for (const routing::Seed& s : seeds) {
        if (s.cost < dist[s.node]) {
            dist[s.node] = s.cost;
            queue.emplace(s.cost, s.node);
        }
    }
    const auto cost = g.arc_cost(metric);
    while (!queue.empty()) {
        const auto [du, u] = queue.top();
        queue.pop();
        if (du != dist[u]) {
            continue;
        }
        for (routing::ArcId arc = g.first_out[u]; arc < g.first_out[u + 1]; ++arc) {
            if (du + cost[arc] < dist[g.head[arc]]) {
                dist[g.head[arc]] = du + cost[arc];
                queue.emplace(du + cost[arc], g.head[arc]);
            }
        }
    }
    return dist;
}

// The cost from facility f to demand point o with a search of f alone: through either end of o's
// edge, or along the edge when both are on it, plus both off-network legs.
std::vector<std::uint64_t> single_source_costs(const WalkGraph& g, const Origin& f, const Sites& demand, Metric metric) {
    constexpr std::uint64_t inf = ~std::uint64_t{0};
    std::vector<routing::Seed> seeds;
    routing::append_seeds(g, f, metric, seeds);
    const auto dist = full_dijkstra(g, seeds, metric);
    std::vector<std::uint64_t> out(demand.size(), inf);
    for (std::size_t i = 0; i < demand.size(); ++i) {
        if (!demand[i]) {
            continue;
        }
        const Origin& o = *demand[i];
        const std::uint32_t len = g.edge_length_cm[o.edge];
        const std::uint32_t off = std::min(o.offset_cm, len);
        std::uint64_t best = inf;
        if (dist[g.edge_tail[o.edge]] != inf) {
            best = std::min(best, dist[g.edge_tail[o.edge]] + routing::partial_edge_cost(g, o.edge, 0, off, metric));
        }
        if (dist[g.edge_head[o.edge]] != inf) {
            best = std::min(best, dist[g.edge_head[o.edge]] + routing::partial_edge_cost(g, o.edge, 0, len - off, metric));
        }
        if (f.edge == o.edge) {
            const std::uint32_t foff = std::min(f.offset_cm, len);
            const std::uint32_t gap = foff > off ? foff - off : off - foff;
            best = std::min<std::uint64_t>(best, std::uint64_t{routing::offnet_cost(g, f.offnet_cm, metric)} +
                                                     routing::partial_edge_cost(g, o.edge, 0, gap, metric));
        }
        if (best != inf) {
            out[i] = best + routing::offnet_cost(g, o.offnet_cm, metric);
        }
    }
    return out;
}

TEST(CoverageNearest, EqualsTheMinimumOverSingleSourceSearchesOnRandomGraphs) {
    std::mt19937_64 rng(test::test_seed() + 700);
    std::uint64_t covered = 0;
    std::uint64_t uncovered = 0;
    std::uint64_t same_edge_wins = 0;
    for (int round = 0; round < 4; ++round) {
        const WalkGraph g = routing::build_walk_graph(test::random_pieces(rng), 1000);
        routing::BoundedSearch search(g);
        test::RandomSites random(g, rng);
        for (const Metric metric : {Metric::time_ms, Metric::length_cm}) {
            for (int q = 0; q < 20; ++q) {
                Sites facilities;
                const int facility_count = 1 + q % 8;
                for (int j = 0; j < facility_count; ++j) {
                    if (random.chance(10)) {
                        facilities.emplace_back(std::nullopt);
                    } else if (j > 0 && facilities[static_cast<std::size_t>(j - 1)] && random.chance(15)) {
                        facilities.push_back(facilities[static_cast<std::size_t>(j - 1)]); // exact tie
                    } else {
                        facilities.emplace_back(random.anywhere());
                    }
                }
                // Many on a facility's edge, where the walk along the shared edge may win.
                const Sites demand = random.demand_near(facilities, 80, 35);
                // Reference: facilities in index order, keeping the first strict minimum.
                std::vector<std::uint64_t> best(demand.size(), ~std::uint64_t{0});
                std::vector<std::uint32_t> label(demand.size(), invalid_id);
                for (std::size_t j = 0; j < facilities.size(); ++j) {
                    if (!facilities[j]) {
                        continue;
                    }
                    const auto costs = single_source_costs(g, *facilities[j], demand, metric);
                    for (std::size_t i = 0; i < demand.size(); ++i) {
                        if (costs[i] < best[i]) {
                            best[i] = costs[i];
                            label[i] = static_cast<std::uint32_t>(j);
                        }
                    }
                }
                std::vector<Cost> limits = {0, 1, 200'000, 600'000, inf_cost - 1, inf_cost};
                for (int k = 0; k < 2; ++k) {
                    const std::uint64_t b = best[std::uniform_int_distribution<std::size_t>(0, best.size() - 1)(rng)];
                    if (b < inf_cost) {
                        limits.push_back(static_cast<Cost>(b)); // exactly at a household's cost
                        limits.push_back(static_cast<Cost>(b > 0 ? b - 1 : 0));
                    }
                }
                for (const Cost limit : limits) {
                    const NearestResult r = nearest_facilities(search, demand, facilities, metric, limit);
                    ASSERT_EQ(r.cost.size(), demand.size());
                    ASSERT_EQ(r.facility.size(), demand.size());
                    for (std::size_t i = 0; i < demand.size(); ++i) {
                        if (best[i] <= limit && best[i] < inf_cost) {
                            ASSERT_EQ(r.cost[i], best[i]) << "demand " << i << " limit " << limit << " round " << round;
                            ASSERT_EQ(r.facility[i], label[i]) << "demand " << i << " limit " << limit;
                            ++covered;
                            if (demand[i] && facilities[label[i]]->edge == demand[i]->edge) {
                                ++same_edge_wins;
                            }
                        } else {
                            ASSERT_EQ(r.cost[i], inf_cost) << "demand " << i << " limit " << limit;
                            ASSERT_EQ(r.facility[i], invalid_id);
                            ++uncovered;
                        }
                    }
                }
            }
        }
    }
    EXPECT_GT(covered, 5000U);
    EXPECT_GT(uncovered, 5000U);
    EXPECT_GT(same_edge_wins, 500U);
}

// ---- barrier-aware snapping ------------------------------------------------------------------

//   A-------B        outside street (grid 10 m: 80 m long)
//
//
//
//
//   C-------D        inside street, 50 m south
constexpr const char* two_streets = "A-------B\n"
                                    "\n"
                                    "\n"
                                    "\n"
                                    "\n"
                                    "C-------D\n";

struct TwoStreets {
    test::AsciiMap map = test::parse_ascii_map(two_streets, test::grid_options(10.0));
    WalkGraph g = routing::build_walk_graph(map.pieces, 1000);
    EdgeId ab = edge_of(g, map, 'A', 'B');
    EdgeId cd = edge_of(g, map, 'C', 'D');
    // A wall 10 m south of AB, longer than the streets.
    std::vector<io::BarrierLine> barriers(const std::string& kind = "wall") const {
        io::BarrierLine wall;
        wall.points = {near_node(g, map, 'A', -20, -10), near_node(g, map, 'A', 40, -10), near_node(g, map, 'A', 100, -10)};
        wall.kind = kind;
        wall.osm_id = 77;
        return {wall};
    }
};

TEST(CoverageSnap, NeverSnapsAcrossAWall) {
    const TwoStreets s;
    const LonLat household = near_node(s.g, s.map, 'A', 30, -20); // 20 m from AB across the wall, 30 m from CD
    const SiteSnapper open_snapper(s.g, {});
    const SiteSnap open = open_snapper.snap(household, {}, 300.0, 4);
    ASSERT_TRUE(open.origin.has_value()) << open.reason;
    EXPECT_EQ(open.origin->edge, s.ab);
    EXPECT_EQ(open.origin->source, 4U);
    EXPECT_NEAR(open.distance_m, 20.0, 0.05);

    const auto walls = s.barriers();
    const SiteSnapper snapper(s.g, walls);
    EXPECT_TRUE(snapper.crosses_barrier(household, open.snapped));
    const SiteSnap inside = snapper.snap(household, {}, 300.0, 4);
    ASSERT_TRUE(inside.origin.has_value()) << inside.reason;
    EXPECT_EQ(inside.origin->edge, s.cd);
    EXPECT_FALSE(inside.via_entrance);
    EXPECT_NEAR(inside.distance_m, 30.0, 0.05);
    EXPECT_EQ(inside.origin->offnet_cm, static_cast<std::uint32_t>(std::lround(inside.distance_m * 100.0)));
    EXPECT_FALSE(snapper.crosses_barrier(household, inside.snapped));
    EXPECT_TRUE(inside.reason.empty());

    // Within 25 m only the street across the wall is near: not snapped, and the reason says why.
    const SiteSnap stuck = snapper.snap(household, {}, 25.0);
    EXPECT_FALSE(stuck.origin.has_value());
    EXPECT_EQ(stuck.reason, "no walkable street within 25 m without crossing a wall");
    const auto water = s.barriers("water");
    const SiteSnapper river(s.g, water);
    EXPECT_EQ(river.snap(household, {}, 25.0).reason, "no walkable street within 25 m without crossing water");
    // Within 15 m there is no street at all.
    const SiteSnap far = snapper.snap(household, {}, 15.0);
    EXPECT_FALSE(far.origin.has_value());
    EXPECT_EQ(far.reason, "no walkable street within 15 m");
}

TEST(CoverageSnap, BeyondTheSnapLimitIsReportedNotDropped) {
    const TwoStreets s;
    const SiteSnapper snapper(s.g, {});
    const LonLat lonely = near_node(s.g, s.map, 'A', 40, 400); // 400 m north of AB
    const SiteSnap r = snapper.snap(lonely, {}, 300.0);
    EXPECT_FALSE(r.origin.has_value());
    EXPECT_EQ(r.reason, "no walkable street within 300 m");
    const SiteSnap wide = snapper.snap(lonely, {}, 500.0);
    ASSERT_TRUE(wide.origin.has_value());
    EXPECT_NEAR(wide.distance_m, 400.0, 0.5);
    // Without any usable coordinate.
    const SiteSnap nan = snapper.snap({std::nan(""), 43.7}, {}, 300.0);
    EXPECT_FALSE(nan.origin.has_value());
    EXPECT_FALSE(nan.reason.empty());
}

TEST(CoverageSnap, SiteOnABarrierLineIsNotStuck) {
    const TwoStreets s;
    const auto walls = s.barriers();
    const SiteSnapper snapper(s.g, walls);
    // On the wall, mid-segment and on its vertex: the nearest street (AB, 10 m) is used.
    for (const double x : {25.0, 40.0}) {
        const SiteSnap r = snapper.snap(near_node(s.g, s.map, 'A', x, -10), {}, 300.0);
        ASSERT_TRUE(r.origin.has_value()) << r.reason;
        EXPECT_EQ(r.origin->edge, s.ab);
        EXPECT_NEAR(r.distance_m, 10.0, 0.05);
    }
}

TEST(CoverageSnap, CrossingRuleForTouchingAndCollinearCases) {
    const TwoStreets s;
    auto p = [&](double x, double y) { return near_node(s.g, s.map, 'A', x, y); };
    const auto walls = s.barriers(); // (-20,-10) - (40,-10) - (100,-10)
    const SiteSnapper snapper(s.g, walls);
    EXPECT_TRUE(snapper.crosses_barrier(p(10, 0), p(10, -20)));  // proper crossing
    EXPECT_TRUE(snapper.crosses_barrier(p(40, 0), p(40, -20)));  // through the wall's vertex
    EXPECT_TRUE(snapper.crosses_barrier(p(30, 0), p(50, -20)));  // diagonally through the vertex
    EXPECT_FALSE(snapper.crosses_barrier(p(10, 0), p(10, -10))); // ends on the wall
    EXPECT_FALSE(snapper.crosses_barrier(p(10, -10), p(10, -30))); // starts on the wall
    EXPECT_FALSE(snapper.crosses_barrier(p(0, -10), p(60, -10))); // along the wall
    EXPECT_FALSE(snapper.crosses_barrier(p(10, 0), p(90, -5)));   // stays on one side
    EXPECT_FALSE(snapper.crosses_barrier(p(110, 0), p(110, -20))); // past the wall's end
    // A barrier that only touches the line at a vertex counts (conservative).
    io::BarrierLine vee;
    vee.points = {p(20, -30), p(40, -20), p(60, -30)};
    vee.kind = "fence";
    const std::vector<io::BarrierLine> fences = {vee};
    const SiteSnapper touching(s.g, fences);
    EXPECT_TRUE(touching.crosses_barrier(p(0, -20), p(80, -20)));
    EXPECT_FALSE(touching.crosses_barrier(p(0, -15), p(80, -15)));
}

TEST(CoverageSnap, EntrancesArePreferredOverTheSite) {
    const TwoStreets s;
    const SiteSnapper snapper(s.g, {});
    const LonLat building = near_node(s.g, s.map, 'A', 40, -12); // 12 m from AB
    // Entrances 10 m and 4 m from CD: the one nearest to the network is used.
    const std::vector<LonLat> entrances = {near_node(s.g, s.map, 'A', 20, -40), near_node(s.g, s.map, 'A', 60, -46)};
    const SiteSnap r = snapper.snap(building, entrances, 300.0, 9);
    ASSERT_TRUE(r.origin.has_value()) << r.reason;
    EXPECT_TRUE(r.via_entrance);
    EXPECT_EQ(r.origin->edge, s.cd);
    EXPECT_EQ(r.origin->source, 9U);
    EXPECT_NEAR(r.distance_m, 4.0, 0.05);
    const routing::XY snapped = s.g.projection.forward(r.snapped);
    const routing::XY c = s.g.projection.forward(s.map.node_lonlat.at('C'));
    EXPECT_NEAR(snapped.x_m - c.x_m, 60.0, 0.05);
    // Entrances too far from any street: the site itself joins the network.
    const std::vector<LonLat> far_entrances = {near_node(s.g, s.map, 'A', 40, 200)};
    const SiteSnap site = snapper.snap(building, far_entrances, 50.0);
    ASSERT_TRUE(site.origin.has_value()) << site.reason;
    EXPECT_FALSE(site.via_entrance);
    EXPECT_EQ(site.origin->edge, s.ab);
    EXPECT_NEAR(site.distance_m, 12.0, 0.05);
    // Nothing within the limit at all.
    const SiteSnap none = snapper.snap(building, entrances, 3.0);
    EXPECT_FALSE(none.origin.has_value());
    EXPECT_EQ(none.reason, "no walkable street within 3 m");
}

// Random graphs and random barrier lines: snap() equals a linear scan that takes the nearest
// segment point (ties: lowest edge, then segment) whose straight line crosses no barrier segment,
// checked segment by segment without the index.
TEST(CoverageSnap, AgreesWithALinearScanOnRandomGraphsAndWalls) {
    std::mt19937_64 rng(test::test_seed() + 800);
    int blocked_nearest = 0;
    int unsnapped_by_walls = 0;
    for (int round = 0; round < 3; ++round) {
        const WalkGraph g = routing::build_walk_graph(test::random_pieces(rng), 1000);
        double min_x = 1e300, max_x = -1e300, min_y = 1e300, max_y = -1e300;
        for (std::size_t k = 0; k < g.point_x_m.size(); ++k) {
            min_x = std::min<double>(min_x, g.point_x_m[k]);
            max_x = std::max<double>(max_x, g.point_x_m[k]);
            min_y = std::min<double>(min_y, g.point_y_m[k]);
            max_y = std::max<double>(max_y, g.point_y_m[k]);
        }
        std::uniform_real_distribution<double> x(min_x - 100.0, max_x + 100.0);
        std::uniform_real_distribution<double> y(min_y - 100.0, max_y + 100.0);
        std::uniform_real_distribution<double> step(-80.0, 80.0);
        std::vector<io::BarrierLine> barriers(60);
        std::vector<std::pair<routing::XY, routing::XY>> walls; // every barrier segment, projected
        for (auto& b : barriers) {
            routing::XY p{x(rng), y(rng)};
            b.points.push_back(g.projection.inverse(p));
            for (int k = 0; k < 3; ++k) {
                p = {p.x_m + step(rng), p.y_m + step(rng)};
                b.points.push_back(g.projection.inverse(p));
            }
            b.kind = "fence";
            for (std::size_t k = 0; k + 1 < b.points.size(); ++k) {
                walls.emplace_back(g.projection.forward(b.points[k]), g.projection.forward(b.points[k + 1]));
            }
        }
        const SiteSnapper snapper(g, barriers);
        const auto side = [](routing::XY a, routing::XY b, routing::XY c) {
            const double cross = (b.x_m - a.x_m) * (c.y_m - a.y_m) - (b.y_m - a.y_m) * (c.x_m - a.x_m);
            const double tol = 1e-3 * std::hypot(b.x_m - a.x_m, b.y_m - a.y_m);
            return cross > tol ? 1 : (cross < -tol ? -1 : 0);
        };
        const auto crosses = [&](routing::XY a, routing::XY b) {
            for (const auto& [p, q] : walls) {
                const int sa = side(p, q, a);
                const int sb = side(p, q, b);
                const int sp = side(a, b, p);
                const int sq = side(a, b, q);
                if (sa * sb < 0 && sp * sq <= 0 && !(sp == 0 && sq == 0)) {
                    return true;
                }
            }
            return false;
        };
        for (int q = 0; q < 300; ++q) {
            // The point as the snapper sees it (after the lon/lat round trip), so exact ties agree.
            const LonLat site = g.projection.inverse({x(rng), y(rng)});
            const routing::XY p = g.projection.forward(site);
            const double max_m = q % 2 == 0 ? 300.0 : 60.0;
            struct Candidate {
                double distance;
                EdgeId edge;
                std::uint32_t segment;
                routing::XY at;
            };
            std::vector<Candidate> candidates;
            for (EdgeId e = 0; e < g.edge_count(); ++e) {
                for (std::uint32_t k = g.edge_first_point[e]; k + 1 < g.edge_first_point[e + 1]; ++k) {
                    const routing::XY at = test::nearest_on_segment(g, k, p);
                    const double d = std::hypot(p.x_m - at.x_m, p.y_m - at.y_m);
                    if (d <= max_m) {
                        candidates.push_back({d, e, k - g.edge_first_point[e], at});
                    }
                }
            }
            std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
                return std::tie(a.distance, a.edge, a.segment) < std::tie(b.distance, b.edge, b.segment);
            });
            std::optional<Candidate> expected;
            for (const Candidate& c : candidates) {
                if (!crosses(p, c.at)) {
                    expected = c;
                    break;
                }
            }
            if (!candidates.empty() && (!expected || expected->distance != candidates.front().distance)) {
                ++blocked_nearest;
            }
            const SiteSnap r = snapper.snap(site, {}, max_m);
            ASSERT_EQ(r.origin.has_value(), expected.has_value()) << "query " << q << ": " << r.reason;
            if (!expected) {
                if (!candidates.empty()) {
                    ++unsnapped_by_walls;
                    EXPECT_NE(r.reason.find("without crossing a fence"), std::string::npos) << r.reason;
                } else {
                    EXPECT_EQ(r.reason.find("without crossing"), std::string::npos) << r.reason;
                }
                continue;
            }
            EXPECT_EQ(r.origin->edge, expected->edge) << "query " << q;
            EXPECT_EQ(r.distance_m, expected->distance) << "query " << q;
        }
    }
    EXPECT_GT(blocked_nearest, 20);
    EXPECT_GT(unsnapped_by_walls, 0);
}

// A walled compound (小区): the outside street A-X-B, a lane from X to the gate G in the wall and
// the inside street C-Y-D reached through the gate (grid 10 m; the wall runs 15 m south of AB
// with a gap at the gate).
//
//   A---X---B
//       |
//       G
//       |
//   C---Y---D
constexpr const char* compound = "A---X---B\n"
                                 "    |\n"
                                 "    G\n"
                                 "    |\n"
                                 "C---Y---D\n";

TEST(CoverageSnap, PrivateGateKeepsTheFacilityOutsideOutOfReach) {
    for (const bool private_gate : {false, true}) {
        SCOPED_TRACE(private_gate);
        test::AsciiMapOptions options = test::grid_options(10.0);
        options.on_way = [&](routing::EdgeInput& way, std::string_view nodes, std::size_t) {
            // As the OSM reader does for a blocking barrier node: the inside lane gets its own end.
            if (private_gate && nodes == "GY") {
                way.detach_front = true;
            }
        };
        const auto map = test::parse_ascii_map(compound, options);
        const WalkGraph g = routing::build_walk_graph(map.pieces, 1000);
        io::BarrierLine west;
        west.points = {near_node(g, map, 'A', -10, -15), near_node(g, map, 'A', 38, -15)};
        west.kind = "wall";
        io::BarrierLine east;
        east.points = {near_node(g, map, 'A', 42, -15), near_node(g, map, 'A', 90, -15)};
        east.kind = "wall";
        const std::vector<io::BarrierLine> walls = {west, east};
        const SiteSnapper snapper(g, walls);
        const SiteSnapper naive(g, {});

        const LonLat household = near_node(g, map, 'A', 10, -19); // 19 m from AX (across the wall), 21 m from CY
        const LonLat shop = near_node(g, map, 'A', 0, 5);         // 5 m north of A
        const SiteSnap h = snapper.snap(household, {}, 300.0);
        ASSERT_TRUE(h.origin.has_value()) << h.reason;
        EXPECT_EQ(h.origin->edge, edge_of(g, map, 'C', 'Y'));
        const SiteSnap f = snapper.snap(shop, {}, 300.0);
        ASSERT_TRUE(f.origin.has_value()) << f.reason;
        routing::BoundedSearch search(g);
        const Sites facilities = {f.origin};
        const NearestResult r = nearest_facilities(search, Sites{h.origin}, facilities, Metric::length_cm, inf_cost);
        if (private_gate) {
            EXPECT_EQ(r.cost[0], inf_cost);
            EXPECT_EQ(r.facility[0], invalid_id);
        } else {
            // 21 m + CY 30 m + YG + GX 40 m + XA 40 m + 5 m ≈ 136 m.
            EXPECT_NEAR(static_cast<double>(r.cost[0]), 13'600.0, 20.0);
            EXPECT_EQ(r.facility[0], 0U);
        }
        // Snapping across the wall would report coverage the residents do not have.
        const SiteSnap wrong = naive.snap(household, {}, 300.0);
        ASSERT_TRUE(wrong.origin.has_value());
        const NearestResult false_cover =
            nearest_facilities(search, Sites{wrong.origin}, facilities, Metric::length_cm, inf_cost);
        EXPECT_NEAR(static_cast<double>(false_cover.cost[0]), 1'900.0 + 1'000.0 + 500.0, 20.0);
    }
}

// ---- floating catchments ---------------------------------------------------------------------

// One straight 500 m street (grid 10 m); sites are placed on it by offset with no off-network
// leg, so with the length metric every distance is an exact difference of offsets.
struct Street {
    test::AsciiMap map = test::parse_ascii_map(std::string("A") + std::string(49, '-') + "B", test::grid_options(10.0));
    WalkGraph g = routing::build_walk_graph(map.pieces, 1000);
};

TEST(CoverageCatchment, TwoStepFloatingCatchmentByHand) {
    const Street s;
    ASSERT_EQ(s.g.edge_count(), 1U);
    ASSERT_GT(s.g.edge_length_cm[0], 49'000U);
    routing::BoundedSearch search(s.g);
    // Facilities F0 (capacity 10) at 0 m and F1 (capacity 20) at 400 m; demand D0 (100) at 100 m,
    // D1 (200) at 200 m, D2 (300) at 450 m; d0 = 200 m.
    //   d(F0, D0) = 100 ✓   d(F0, D1) = 200 ✓ (exactly d0)   d(F0, D2) = 450 ✗
    //   d(F1, D0) = 300 ✗   d(F1, D1) = 200 ✓ (exactly d0)   d(F1, D2) =  50 ✓
    // Step 1: P0 = 100 + 200 = 300, R0 = 10/300 = 1/30; P1 = 200 + 300 = 500, R1 = 20/500 = 0.04.
    // Step 2: A0 = 1/30, A1 = 1/30 + 0.04, A2 = 0.04.
    const Sites facilities = {origin(0, 0), origin(0, 40'000)};
    const std::vector<double> capacity = {10.0, 20.0};
    const Sites demand = {origin(0, 10'000), origin(0, 20'000), origin(0, 45'000)};
    const std::vector<double> population = {100.0, 200.0, 300.0};
    CatchmentOptions options;
    options.metric = Metric::length_cm;
    options.threshold = 20'000;
    const CatchmentResult r = floating_catchment(search, demand, population, facilities, capacity, options);
    ASSERT_EQ(r.facility_ratio.size(), 2U);
    ASSERT_EQ(r.demand_access.size(), 3U);
    EXPECT_DOUBLE_EQ(r.facility_demand[0], 300.0);
    EXPECT_DOUBLE_EQ(r.facility_demand[1], 500.0);
    EXPECT_DOUBLE_EQ(r.facility_ratio[0], 10.0 / 300.0);
    EXPECT_DOUBLE_EQ(r.facility_ratio[1], 0.04);
    EXPECT_DOUBLE_EQ(r.demand_access[0], 1.0 / 30.0);
    EXPECT_DOUBLE_EQ(r.demand_access[1], 1.0 / 30.0 + 0.04);
    EXPECT_DOUBLE_EQ(r.demand_access[2], 0.04);
    // Total supply is conserved: every facility has demand in reach.
    double supply = 0.0;
    for (std::size_t i = 0; i < demand.size(); ++i) {
        supply += r.demand_access[i] * population[i];
    }
    EXPECT_NEAR(supply, 30.0, 1e-9);

    // One metre less: D1 drops out of both catchments.
    options.threshold = 19'999;
    const CatchmentResult tighter = floating_catchment(search, demand, population, facilities, capacity, options);
    EXPECT_DOUBLE_EQ(tighter.facility_ratio[0], 0.1);
    EXPECT_DOUBLE_EQ(tighter.facility_ratio[1], 20.0 / 300.0);
    EXPECT_EQ(tighter.demand_access[1], 0.0);
}

TEST(CoverageCatchment, UnsnappedSitesAndFacilitiesWithoutDemand) {
    const Street s;
    routing::BoundedSearch search(s.g);
    const Sites facilities = {std::nullopt, origin(0, 0), origin(0, 49'000)};
    const std::vector<double> capacity = {5.0, 10.0, 7.0};
    const Sites demand = {origin(0, 1'000), std::nullopt};
    const std::vector<double> population = {50.0, 80.0};
    CatchmentOptions options;
    options.metric = Metric::length_cm;
    options.threshold = 5'000;
    const CatchmentResult r = floating_catchment(search, demand, population, facilities, capacity, options);
    EXPECT_EQ(r.facility_ratio[0], 0.0); // unsnapped facility
    EXPECT_DOUBLE_EQ(r.facility_ratio[1], 0.2);
    EXPECT_EQ(r.facility_ratio[2], 0.0); // nobody within d0
    EXPECT_EQ(r.facility_demand[2], 0.0);
    EXPECT_DOUBLE_EQ(r.demand_access[0], 0.2);
    EXPECT_EQ(r.demand_access[1], 0.0); // unsnapped demand
}

TEST(CoverageCatchment, GaussianWeightsAtZeroHalfAndFullThreshold) {
    const Street s;
    routing::BoundedSearch search(s.g);
    // One facility (capacity 1) at 100 m; demand at 0, d0/2 and d0 from it, and d0/2 the other
    // way. With w = 1, 1/2, 0, 1/2: P = 2, R = 1/2, A_i = w_i R.
    const Sites facilities = {origin(0, 10'000)};
    const std::vector<double> capacity = {1.0};
    const Sites demand = {origin(0, 10'000), origin(0, 20'000), origin(0, 30'000), origin(0, 0)};
    const std::vector<double> population = {1.0, 1.0, 1.0, 1.0};
    CatchmentOptions options;
    options.metric = Metric::length_cm;
    options.threshold = 20'000;
    options.gaussian_decay = true;
    const CatchmentResult r = floating_catchment(search, demand, population, facilities, capacity, options);
    EXPECT_NEAR(r.facility_demand[0], 2.0, 1e-12);
    EXPECT_NEAR(r.facility_ratio[0], 0.5, 1e-12);
    EXPECT_NEAR(r.demand_access[0], 0.5, 1e-12);  // w(0) = 1
    EXPECT_NEAR(r.demand_access[1], 0.25, 1e-12); // w(d0/2) = 1/2
    EXPECT_EQ(r.demand_access[2], 0.0);           // w(d0) = 0
    EXPECT_NEAR(r.demand_access[3], 0.25, 1e-12); // the other way along the street

    // A given β: w(d) = (exp(-d²/β) - exp(-d0²/β)) / (1 - exp(-d0²/β)).
    options.gaussian_beta = 1e8;
    const CatchmentResult b = floating_catchment(search, demand, population, facilities, capacity, options);
    const double floor = std::exp(-4e8 / 1e8);
    const double w_half = (std::exp(-1e8 / 1e8) - floor) / (1.0 - floor);
    EXPECT_NEAR(b.facility_demand[0], 1.0 + 2.0 * w_half, 1e-12); // w(d0) = 0 still
    EXPECT_NEAR(b.demand_access[1], w_half / (1.0 + 2.0 * w_half), 1e-12);

    // Without decay every demand point within d0 counts fully, the one at d0 included.
    options.gaussian_decay = false;
    const CatchmentResult flat = floating_catchment(search, demand, population, facilities, capacity, options);
    EXPECT_DOUBLE_EQ(flat.facility_demand[0], 4.0);
    EXPECT_DOUBLE_EQ(flat.demand_access[2], 0.25);
}

TEST(CoverageCatchment, RejectsBadCapacityAndMismatchedSizes) {
    const Street s;
    routing::BoundedSearch search(s.g);
    const Sites facilities = {origin(0, 0), origin(0, 100)};
    const Sites demand = {origin(0, 50)};
    const std::vector<double> population = {1.0};
    CatchmentOptions options;
    options.metric = Metric::length_cm;
    options.threshold = 1'000;
    for (const double bad : {-1.0, std::nan("")}) {
        const std::vector<double> capacity = {3.0, bad};
        try {
            (void)floating_catchment(search, demand, population, facilities, capacity, options);
            ADD_FAILURE() << "no error for capacity " << bad;
        } catch (const config_error& e) {
            EXPECT_NE(std::string(e.what()).find("facility 1"), std::string::npos) << e.what();
        }
    }
    // Mismatched sizes are a bug in the caller: YIKE_ASSERT, which aborts in the library (or
    // throws, depending on how the library was compiled; either way the message is printed).
    const auto dies = [&](std::span<const double> weights, std::span<const double> supply) {
        try {
            (void)floating_catchment(search, demand, weights, facilities, supply, options);
        } catch (const assert_error& e) {
            std::fprintf(stderr, "%s\n", e.what());
            std::abort();
        }
    };
    const std::vector<double> short_capacity = {3.0};
    EXPECT_DEATH(dies(population, short_capacity), "assertion failed");
    const std::vector<double> capacity = {3.0, 4.0};
    const std::vector<double> no_population;
    EXPECT_DEATH(dies(no_population, capacity), "assertion failed");
}

// Random graphs: the catchment figures equal a brute-force 2SFCA over the pairwise costs of
// single-facility nearest_facilities runs (themselves checked against Dijkstra above).
TEST(CoverageCatchment, MatchesBruteForceOnRandomGraphs) {
    std::mt19937_64 rng(test::test_seed() + 900);
    for (int round = 0; round < 3; ++round) {
        const WalkGraph g = routing::build_walk_graph(test::random_pieces(rng), 1000);
        routing::BoundedSearch search(g);
        std::uniform_int_distribution<EdgeId> edge(0, g.edge_count() - 1);
        std::uniform_int_distribution<int> percent(0, 99);
        auto random_origin = [&](EdgeId e) {
            return origin(e, std::uniform_int_distribution<std::uint32_t>(0, g.edge_length_cm[e])(rng),
                          std::uniform_int_distribution<std::uint32_t>(0, 3000)(rng));
        };
        Sites facilities;
        std::vector<double> capacity;
        for (int j = 0; j < 12; ++j) {
            facilities.push_back(percent(rng) < 10 ? std::nullopt : std::optional<Origin>(random_origin(edge(rng))));
            capacity.push_back(static_cast<double>(percent(rng)));
        }
        Sites demand;
        std::vector<double> population;
        for (int i = 0; i < 150; ++i) {
            const auto& f = facilities[static_cast<std::size_t>(i) % facilities.size()];
            demand.push_back(percent(rng) < 5   ? std::nullopt
                             : f && percent(rng) < 30 ? std::optional<Origin>(random_origin(f->edge))
                                                      : std::optional<Origin>(random_origin(edge(rng))));
            population.push_back(1.0 + percent(rng));
        }
        for (const bool gaussian : {false, true}) {
            CatchmentOptions options;
            options.metric = round % 2 == 0 ? Metric::time_ms : Metric::length_cm;
            options.threshold = round % 2 == 0 ? 600'000 : 50'000;
            options.gaussian_decay = gaussian;
            const CatchmentResult r = floating_catchment(search, demand, population, facilities, capacity, options);
            // Brute force: d_ij from single-facility runs, then the two steps literally.
            const double d0 = options.threshold;
            const double half = d0 / 2.0;
            auto w = [&](Cost d) {
                if (!gaussian) {
                    return 1.0;
                }
                // β with w(d0/2) = 1/2, found by bisection on the formula itself.
                double lo = 1e-6 * d0 * d0;
                double hi = 1e3 * d0 * d0;
                auto formula = [&](double x, double beta) {
                    return (std::exp(-x * x / beta) - std::exp(-d0 * d0 / beta)) / (1.0 - std::exp(-d0 * d0 / beta));
                };
                for (int it = 0; it < 200; ++it) {
                    const double mid = std::sqrt(lo * hi);
                    (formula(half, mid) < 0.5 ? lo : hi) = mid;
                }
                return formula(static_cast<double>(d), std::sqrt(lo * hi));
            };
            std::vector<std::vector<Cost>> cost(facilities.size());
            std::vector<double> p(facilities.size(), 0.0);
            std::vector<double> ratio(facilities.size(), 0.0);
            for (std::size_t j = 0; j < facilities.size(); ++j) {
                const Sites one = {facilities[j]};
                cost[j] = nearest_facilities(search, demand, one, options.metric, options.threshold).cost;
                for (std::size_t i = 0; i < demand.size(); ++i) {
                    if (cost[j][i] != inf_cost) {
                        p[j] += w(cost[j][i]) * population[i];
                    }
                }
                ratio[j] = p[j] > 0.0 ? capacity[j] / p[j] : 0.0;
                EXPECT_NEAR(r.facility_demand[j], p[j], 1e-9 * (1.0 + p[j])) << "facility " << j;
                EXPECT_NEAR(r.facility_ratio[j], ratio[j], 1e-9 * (1.0 + ratio[j])) << "facility " << j;
            }
            int reached = 0;
            for (std::size_t i = 0; i < demand.size(); ++i) {
                double a = 0.0;
                for (std::size_t j = 0; j < facilities.size(); ++j) {
                    if (cost[j][i] != inf_cost) {
                        a += w(cost[j][i]) * ratio[j];
                    }
                }
                reached += a > 0.0 ? 1 : 0;
                EXPECT_NEAR(r.demand_access[i], a, 1e-9 * (1.0 + a)) << "demand " << i;
            }
            EXPECT_GT(reached, 20);
        }
    }
}

} // namespace
} // namespace yike::engine
