// Snapping: the R-tree answers must equal the linear scan exactly, ties included.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <tuple>
#include <vector>

#include "nearest_on_segment.hpp"
#include "random_graph.hpp"
#include "support/ascii_map.hpp"
#include "yike/routing/snap.hpp"

namespace yike::routing {
namespace {

void expect_same(const std::optional<SnapResult>& a, const std::optional<SnapResult>& b, XY p) {
    ASSERT_EQ(a.has_value(), b.has_value()) << "at " << p.x_m << ", " << p.y_m;
    if (!a) {
        return;
    }
    EXPECT_EQ(a->edge, b->edge) << "at " << p.x_m << ", " << p.y_m;
    EXPECT_EQ(a->segment, b->segment);
    EXPECT_EQ(a->offset_cm, b->offset_cm);
    EXPECT_EQ(a->distance_m, b->distance_m);
    EXPECT_EQ(a->snapped.x_m, b->snapped.x_m);
    EXPECT_EQ(a->snapped.y_m, b->snapped.y_m);
}

struct Bounds {
    double min_x = 1e300, min_y = 1e300, max_x = -1e300, max_y = -1e300;
};
Bounds bounds(const WalkGraph& g) {
    Bounds b;
    for (std::size_t k = 0; k < g.point_x_m.size(); ++k) {
        b.min_x = std::min<double>(b.min_x, g.point_x_m[k]);
        b.max_x = std::max<double>(b.max_x, g.point_x_m[k]);
        b.min_y = std::min<double>(b.min_y, g.point_y_m[k]);
        b.max_y = std::max<double>(b.max_y, g.point_y_m[k]);
    }
    return b;
}

TEST(Snapper, AgreesWithLinearScanOnRandomPoints) {
    std::mt19937_64 rng(test::test_seed() + 10);
    for (int round = 0; round < 3; ++round) {
        test::RandomGraphOptions opt;
        opt.junctions = 120;
        opt.pieces = 250;
        const WalkGraph g = build_walk_graph(test::random_pieces(rng, opt), 1000);
        const Snapper snapper(g);
        const Bounds b = bounds(g);
        std::uniform_real_distribution<double> x(b.min_x - 400.0, b.max_x + 400.0);
        std::uniform_real_distribution<double> y(b.min_y - 400.0, b.max_y + 400.0);
        int found = 0;
        int missed = 0;
        for (int q = 0; q < 1500; ++q) {
            const XY p{x(rng), y(rng)};
            const double max_m = q % 3 == 0 ? 1e9 : (q % 3 == 1 ? default_max_snap_m : 20.0);
            const auto fast = snapper.nearest(p, max_m);
            const auto slow = snap_linear_scan(g, p, max_m);
            expect_same(fast, slow, p);
            (fast ? found : missed) += 1;
            if (testing::Test::HasFailure()) {
                return;
            }
        }
        EXPECT_GT(found, 500);
        EXPECT_GT(missed, 50);
        // Exactly on geometry points (ties between edges meeting at a node and between the two
        // segments around a shape point).
        for (std::size_t k = 0; k < g.point_x_m.size(); k += 3) {
            const XY p{g.point_x_m[k], g.point_y_m[k]};
            const auto fast = snapper.nearest(p);
            expect_same(fast, snap_linear_scan(g, p, default_max_snap_m), p);
            ASSERT_TRUE(fast.has_value());
            EXPECT_EQ(fast->distance_m, 0.0);
        }
    }
}

TEST(Snapper, OffsetDistanceAndMaxDistance) {
    const auto map = test::parse_ascii_map("A---B\n\n\n\nC---D", test::grid_options(25.0));
    const WalkGraph g = build_walk_graph(map.pieces, 1000);
    ASSERT_EQ(g.edge_count(), 2U);
    const Snapper snapper(g);
    const NodeId a = test::node_of(g, map.osm_id('A'));
    const NodeId b = test::node_of(g, map.osm_id('B'));
    const EdgeId ab = test::edge_between(g, a, b);
    const double ax = g.node_x_m[a];
    const double ay = g.node_y_m[a];
    const double bx = g.node_x_m[b];
    const double by = g.node_y_m[b];
    // 30 m from A along A-B (x grows eastwards), 5 m to the north of it.
    const double ux = (bx - ax) / std::hypot(bx - ax, by - ay);
    const double uy = (by - ay) / std::hypot(bx - ax, by - ay);
    const XY p{ax + 30.0 * ux - 5.0 * uy, ay + 30.0 * uy + 5.0 * ux};
    const auto r = snapper.nearest(p);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->edge, ab);
    EXPECT_EQ(r->segment, 0U);
    EXPECT_NEAR(r->distance_m, 5.0, 1e-3);
    const std::uint32_t from_a = g.edge_tail[ab] == a ? r->offset_cm : g.edge_length_cm[ab] - r->offset_cm;
    // The projection differs from geodesic lengths by a scale factor of ~1e-3 at most.
    EXPECT_NEAR(static_cast<double>(from_a), 3000.0, 6.0);
    EXPECT_NEAR(r->snapped.x_m, ax + 30.0 * ux, 1e-3);

    // Beyond the end of the street: snaps to its end node at full offset.
    const auto end = snapper.nearest({bx + 10.0 * ux, by + 10.0 * uy});
    ASSERT_TRUE(end.has_value());
    EXPECT_EQ(end->edge, ab);
    EXPECT_EQ(end->offset_cm, g.edge_tail[ab] == b ? 0U : g.edge_length_cm[ab]);
    EXPECT_NEAR(end->distance_m, 10.0, 1e-3);

    // 400 m north of A-B (C-D is 100 m south of it): beyond 300 m nothing, within 500 m A-B.
    const XY far{ax + 30.0 * ux - 400.0 * uy, ay + 30.0 * uy + 400.0 * ux};
    EXPECT_FALSE(snapper.nearest(far).has_value());
    EXPECT_FALSE(snap_linear_scan(g, far, default_max_snap_m).has_value());
    const auto within = snapper.nearest(far, 500.0);
    ASSERT_TRUE(within.has_value());
    EXPECT_EQ(within->edge, ab);
    // Exactly at the maximum distance still counts.
    EXPECT_TRUE(snapper.nearest(far, within->distance_m).has_value());
}

TEST(Snapper, NearestAcceptedVisitsCandidatesByDistance) {
    std::mt19937_64 rng(test::test_seed() + 11);
    const WalkGraph g = build_walk_graph(test::random_pieces(rng), 1000);
    const Snapper snapper(g);
    const Bounds b = bounds(g);
    std::uniform_real_distribution<double> x(b.min_x, b.max_x);
    std::uniform_real_distribution<double> y(b.min_y, b.max_y);
    for (int q = 0; q < 300; ++q) {
        const XY p{x(rng), y(rng)};
        const auto nearest = snapper.nearest(p, 1e9);
        ASSERT_TRUE(nearest.has_value());
        // Rejecting the nearest edge yields the nearest segment of any other edge.
        std::vector<SnapResult> seen;
        const auto other = snapper.nearest_accepted(p, 1e9, [&](XY at, const SnapResult& c) {
            EXPECT_EQ(at.x_m, p.x_m);
            seen.push_back(c);
            return c.edge != nearest->edge;
        });
        ASSERT_FALSE(seen.empty());
        EXPECT_EQ(seen.front().edge, nearest->edge);
        EXPECT_EQ(seen.front().distance_m, nearest->distance_m);
        for (std::size_t i = 1; i < seen.size(); ++i) {
            ASSERT_LE(seen[i - 1].distance_m, seen[i].distance_m);
        }
        if (g.edge_count() > 1) {
            ASSERT_TRUE(other.has_value());
            EXPECT_NE(other->edge, nearest->edge);
            // Brute force: the closest segment of any other edge.
            double best = 1e300;
            std::tuple<EdgeId, std::uint32_t> best_key{invalid_id, 0};
            for (EdgeId e = 0; e < g.edge_count(); ++e) {
                if (e == nearest->edge) {
                    continue;
                }
                for (std::uint32_t k = g.edge_first_point[e]; k + 1 < g.edge_first_point[e + 1]; ++k) {
                    const routing::XY at = test::nearest_on_segment(g, k, p);
                    const double d = std::hypot(p.x_m - at.x_m, p.y_m - at.y_m);
                    if (d < best) {
                        best = d;
                        best_key = {e, k - g.edge_first_point[e]};
                    }
                }
            }
            EXPECT_EQ(other->edge, std::get<0>(best_key));
            EXPECT_EQ(other->segment, std::get<1>(best_key));
            EXPECT_NEAR(other->distance_m, best, 1e-9);
        }
        // A predicate that accepts nothing ends the search once the maximum distance is passed.
        int calls = 0;
        const auto none = snapper.nearest_accepted(p, 50.0, [&](XY, const SnapResult& c) {
            ++calls;
            EXPECT_LE(c.distance_m, 50.0);
            return false;
        });
        EXPECT_FALSE(none.has_value());
        if (nearest->distance_m <= 50.0) {
            EXPECT_GT(calls, 0);
        } else {
            EXPECT_EQ(calls, 0);
        }
    }
}

TEST(Snapper, EmptyGraphAndMove) {
    const WalkGraph empty = build_walk_graph({}, 1000);
    const Snapper none(empty);
    EXPECT_FALSE(none.nearest({0.0, 0.0}, 1e9).has_value());
    EXPECT_FALSE(snap_linear_scan(empty, {0.0, 0.0}, 1e9).has_value());

    const auto map = test::parse_ascii_map("A---B", test::grid_options(25.0));
    const WalkGraph g = build_walk_graph(map.pieces, 1000);
    Snapper first(g);
    Snapper moved(std::move(first));
    const auto r = moved.nearest({g.node_x_m[0], g.node_y_m[0]});
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->edge, 0U);
    EXPECT_EQ(&moved.graph(), &g);

    // Diagonally off the end of the only street: inside a small search window's square but
    // farther than its half side.
    const NodeId east = g.node_x_m[0] > g.node_x_m[1] ? 0 : 1;
    const XY corner{g.node_x_m[east] + 35.0, g.node_y_m[east] + 35.0};
    const auto diagonal = moved.nearest(corner);
    expect_same(diagonal, snap_linear_scan(g, corner, default_max_snap_m), corner);
    ASSERT_TRUE(diagonal.has_value());
    EXPECT_NEAR(diagonal->distance_m, 35.0 * std::sqrt(2.0), 1e-3);
    EXPECT_FALSE(moved.nearest(corner, 49.0).has_value());
}

} // namespace
} // namespace yike::routing
