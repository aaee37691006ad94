// Isochrone corridors clipped at barrier lines: a drawn river with a bridge.
//
//   x = -200                 0                  200
//   N ------------------------+------------------- N   y = +25  north bank street
//   ~~~~~~~~~~~~~~~~~~~~~~~~~~|~~~~~~~~~~~~~~~~~~~~~~   y = +10  north bank (water edge)
//                             | bridge
//   ~~~~~~~~~~~~~~~~~~~~~~~~~~|~~~~~~~~~~~~~~~~~~~~~~   y = -10  south bank (water edge)
//   S ------------------------+------------------- S   y = -25  south bank street
//
// The corridor is 30 m wide, so without barriers the north street's corridor reaches y = -5
// (over the water) and the south street's reaches y = +5.
#include <gtest/gtest.h>

#include <cmath>

#include "isochrone_checks.hpp"
#include "yike/engine/isochrone.hpp"
#include "yike/engine/isochrone_barriers.hpp"
#include "yike/routing/graph.hpp"

namespace yike::engine {
namespace {

using routing::ReachedSpan;
using routing::WalkGraph;
using test::at_m;
using test::piece;

WalkGraph river_town() {
    const std::vector<routing::EdgeInput> pieces = {
        piece({{-200, 25}, {0, 25}}, {1, 2}),   piece({{0, 25}, {200, 25}}, {2, 3}),
        piece({{0, 25}, {0, -25}}, {2, 5}),     // the bridge
        piece({{-200, -25}, {0, -25}}, {4, 5}), piece({{0, -25}, {200, -25}}, {5, 6}),
    };
    return routing::build_walk_graph(pieces, 1000);
}

io::BarrierLine line(std::vector<std::pair<double, double>> pts, const char* kind) {
    io::BarrierLine l;
    for (auto [x, y] : pts) l.points.push_back(at_m(x, y));
    l.kind = kind;
    return l;
}

std::vector<io::BarrierLine> banks() {
    return {line({{-400, 10}, {400, 10}}, "water"), line({{-400, -10}, {400, -10}}, "water")};
}

// Spans of the edges whose both ends satisfy `keep` (by their y in metres), plus `extra`.
std::vector<ReachedSpan> edges_where(const WalkGraph& g, bool north, bool bridge, bool south) {
    std::vector<ReachedSpan> spans;
    for (routing::EdgeId e = 0; e < g.edge_count(); ++e) {
        const double y0 = g.node_y_m[g.edge_tail[e]];
        const double y1 = g.node_y_m[g.edge_head[e]];
        const bool is_bridge = (y0 > 0) != (y1 > 0);
        const bool take = is_bridge ? bridge : (y0 > 0 ? north : south);
        if (take) spans.push_back({e, 0, g.edge_length_cm[e], 0});
    }
    return spans;
}

class BarrierClipTest : public ::testing::Test {
protected:
    detail::GeosContext ctx;
    const WalkGraph g = river_town();
    const std::vector<io::BarrierLine> bank_lines = banks();
    const IsochroneBarriers bank_barriers{bank_lines};

    // Polygons cut at both banks of the river.
    IsochroneOptions cut_at_banks() const {
        IsochroneOptions o;
        o.barriers = &bank_barriers;
        return o;
    }

    bool covers(const MultiPolygon& mp, double x, double y) {
        auto geometry = test::to_geos(ctx, mp);
        const routing::LonLat p = at_m(x, y);
        auto pt = ctx.own(GEOSGeom_createPointFromXY_r(ctx.handle(), p.lon, p.lat), "point");
        return ctx.check(GEOSCovers_r(ctx.handle(), geometry.get(), pt.get()), "covers");
    }
};

TEST_F(BarrierClipTest, CorridorStopsAtTheBankWhenTheRiverIsNotCrossed) {
    const auto spans = edges_where(g, true, false, false);
    const MultiPolygon plain = polygon_from_spans(g, spans);
    EXPECT_TRUE(covers(plain, 100, -2)) << "unclipped, the corridor reaches over the water";

    IsochroneOptions o = cut_at_banks();
    const MultiPolygon clipped = polygon_from_spans(g, spans, o);
    test::expect_well_formed(ctx, clipped);
    test::expect_spans_covered(ctx, g, spans, clipped);
    EXPECT_TRUE(covers(clipped, 100, 12));
    EXPECT_TRUE(covers(clipped, 100, 50));
    EXPECT_FALSE(covers(clipped, 100, 8));
    EXPECT_FALSE(covers(clipped, -150, 0));
    // Brute force: every vertex lies on the north side of the north bank (to the output grid).
    for (const Polygon& p : clipped) {
        for (const routing::LonLat v : p.exterior.points) {
            EXPECT_GE(g.projection.forward(v).y_m, 10.0 - 0.05);
        }
    }
    // What was cut is the strip between the bank and the corridor's edge: 400 m x 15 m, plus the
    // round ends' share below the bank.
    EXPECT_NEAR(area_m2(plain) - area_m2(clipped), 400.0 * 15.0, 0.1 * 400.0 * 15.0);
}

TEST_F(BarrierClipTest, FarBankIsCoveredWhereTheBridgeLeadsThere) {
    IsochroneOptions o = cut_at_banks();

    // The whole town: both banks are reached, nothing is cut away.
    const auto all = test::all_edges(g);
    const MultiPolygon whole = polygon_from_spans(g, all, o);
    EXPECT_EQ(test::to_wkt(whole), test::to_wkt(polygon_from_spans(g, all)));

    // North street and the bridge: the far bank is covered only around the bridge's end.
    const auto spans = edges_where(g, true, true, false);
    const MultiPolygon mp = polygon_from_spans(g, spans, o);
    test::expect_well_formed(ctx, mp);
    test::expect_spans_covered(ctx, g, spans, mp);
    EXPECT_TRUE(covers(mp, 0, -40));   // beyond the bridge's south end
    EXPECT_TRUE(covers(mp, 20, -15));  // beside the bridge on the far bank
    EXPECT_FALSE(covers(mp, 150, -15)); // far bank away from the bridge: within 30 m of nothing reached there
    EXPECT_TRUE(covers(mp, 150, 40));
}

TEST_F(BarrierClipTest, HalfCrossedBridgeDoesNotCoverTheFarBank) {
    IsochroneOptions o = cut_at_banks();
    std::vector<ReachedSpan> spans = edges_where(g, true, false, false);
    for (routing::EdgeId e = 0; e < g.edge_count(); ++e) {
        const double y0 = g.node_y_m[g.edge_tail[e]];
        const double y1 = g.node_y_m[g.edge_head[e]];
        if ((y0 > 0) != (y1 > 0)) {
            // 25 m from the north end: to the middle of the river (y = 0).
            if (y0 > 0) {
                spans.push_back({e, 0, 2500, 0});
            } else {
                spans.push_back({e, g.edge_length_cm[e] - 2500, g.edge_length_cm[e], 0});
            }
        }
    }
    const MultiPolygon mp = polygon_from_spans(g, spans, o);
    test::expect_well_formed(ctx, mp);
    test::expect_spans_covered(ctx, g, spans, mp);
    EXPECT_TRUE(covers(mp, 0, -5));    // over the water beside the reached half of the bridge
    EXPECT_FALSE(covers(mp, 0, -15));  // the far bank, 15 m from the reached end, is not reached
    EXPECT_FALSE(covers(mp, 5, -12));
}

TEST_F(BarrierClipTest, BarrierThatCutsNothingChangesNothing) {
    const auto spans = edges_where(g, true, false, false);
    // A fence stub ending inside the corridor, and a wall far away: no piece is cut off.
    const std::vector<io::BarrierLine> lines = {line({{50, 40}, {50, 60}}, "fence"), line({{-50, 200}, {50, 200}}, "wall")};
    const IsochroneBarriers barriers(lines);
    IsochroneOptions o;
    o.barriers = &barriers;
    EXPECT_EQ(test::to_wkt(polygon_from_spans(g, spans, o)), test::to_wkt(polygon_from_spans(g, spans)));
}

TEST_F(BarrierClipTest, NestedBandsStillNestAndAreDeterministic) {
    IsochroneOptions o = cut_at_banks();
    const std::vector<std::vector<ReachedSpan>> bands = {edges_where(g, true, false, false),
                                                         edges_where(g, true, true, false),
                                                         test::all_edges(g)};
    const auto a = bands_from_spans(g, bands, o);
    const auto b = bands_from_spans(g, bands, o);
    ASSERT_EQ(a.size(), 3U);
    for (std::size_t k = 0; k < a.size(); ++k) {
        EXPECT_EQ(test::to_wkt(a[k]), test::to_wkt(b[k]));
        test::expect_well_formed(ctx, a[k]);
        if (k > 0) {
            auto outer = test::to_geos(ctx, a[k]);
            auto inner = test::to_geos(ctx, a[k - 1]);
            EXPECT_TRUE(ctx.check(GEOSCovers_r(ctx.handle(), outer.get(), inner.get()), "covers")) << k;
        }
    }
    EXPECT_FALSE(covers(a[0], 100, 5));
    EXPECT_TRUE(covers(a[2], 100, 5));
}

TEST(IsochroneBarriersIndex, FindsTheSegmentsMeetingABoxOnce) {
    const std::vector<io::BarrierLine> lines = {
        line({{0, 0}, {1000, 0}, {1000, 1000}}, "wall"),
        line({{-5000, -5000}, {5000, 5000}}, "water"), // long: kept outside the grid
        line({{3000, 3000}, {3100, 3000}}, "fence"),
    };
    const IsochroneBarriers b(lines);
    EXPECT_EQ(b.segment_count(), 4U);
    std::vector<IsochroneBarriers::Segment> out;
    b.segments_in(at_m(900, -10), at_m(1100, 10), out);
    EXPECT_EQ(out.size(), 3U); // both wall segments, and the diagonal, whose box covers everything
    b.segments_in(at_m(2900, 2900), at_m(3200, 3100), out);
    EXPECT_EQ(out.size(), 2U); // the fence and the long diagonal through (3000, 3000)
    b.segments_in(at_m(-3000, 2000), at_m(-2000, 3000), out);
    EXPECT_EQ(out.size(), 1U); // only the diagonal's box
    const IsochroneBarriers none;
    none.segments_in(at_m(-3000, 2000), at_m(-2000, 3000), out);
    EXPECT_TRUE(out.empty());
}

} // namespace
} // namespace yike::engine
