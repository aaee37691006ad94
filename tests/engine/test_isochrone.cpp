// Isochrone polygons on synthetic street networks with hand-made reached spans.
#include <gtest/gtest.h>

#include <cmath>

#include "isochrone_checks.hpp"
#include "yike/engine/isochrone.hpp"
#include "yike/error.hpp"
#include "yike/routing/graph.hpp"

namespace yike::engine {
namespace {

using routing::EdgeInput;
using routing::ReachedSpan;
using routing::WalkGraph;
using test::piece;

// A square of streets `side` metres wide:
//
//   4 ---- 3
//   |      |
//   1 ---- 2
WalkGraph square_block(double side, std::int64_t id0 = 0, double x0 = 0.0) {
    const std::vector<EdgeInput> pieces = {
        piece({{x0, 0}, {x0 + side / 2, 0}, {x0 + side, 0}}, {id0 + 1, id0 + 11, id0 + 2}),
        piece({{x0 + side, 0}, {x0 + side, side}}, {id0 + 2, id0 + 3}),
        piece({{x0 + side, side}, {x0, side}}, {id0 + 3, id0 + 4}),
        piece({{x0, side}, {x0, side / 2}, {x0, 0}}, {id0 + 4, id0 + 14, id0 + 1}),
    };
    return routing::build_walk_graph(pieces, 1000);
}

// A grid of n x n junctions `spacing` metres apart.
WalkGraph grid(int n, double spacing) {
    std::vector<EdgeInput> pieces;
    auto id = [&](int i, int j) { return static_cast<std::int64_t>(1 + i * n + j); };
    for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j) {
            if (j + 1 < n) {
                pieces.push_back(piece({{j * spacing, i * spacing}, {(j + 1) * spacing, i * spacing}}, {id(i, j), id(i, j + 1)}));
            }
            if (i + 1 < n) {
                pieces.push_back(piece({{j * spacing, i * spacing}, {j * spacing, (i + 1) * spacing}}, {id(i, j), id(i + 1, j)}));
            }
        }
    }
    return routing::build_walk_graph(pieces, 1000);
}

// Spans of the grid whose points lie within `radius` metres (network-free disc) of the centre:
// whole edges when both ends are inside, otherwise the part from the inner end, which mimics a
// growing reach and keeps each band's spans a superset of the smaller band's.
std::vector<ReachedSpan> disc_reach(const WalkGraph& g, routing::XY centre, double radius) {
    std::vector<ReachedSpan> spans;
    for (routing::EdgeId e = 0; e < g.edge_count(); ++e) {
        const routing::XY a{g.node_x_m[g.edge_tail[e]], g.node_y_m[g.edge_tail[e]]};
        const routing::XY b{g.node_x_m[g.edge_head[e]], g.node_y_m[g.edge_head[e]]};
        const double da = std::hypot(a.x_m - centre.x_m, a.y_m - centre.y_m);
        const double db = std::hypot(b.x_m - centre.x_m, b.y_m - centre.y_m);
        const std::uint32_t len = g.edge_length_cm[e];
        if (da <= radius && db <= radius) {
            spans.push_back({e, 0, len, 0});
        } else if (da <= radius) {
            spans.push_back({e, 0, static_cast<std::uint32_t>(std::min<double>(len, (radius - da) * 100.0)), 0});
        } else if (db <= radius) {
            spans.push_back({e, len - static_cast<std::uint32_t>(std::min<double>(len, (radius - db) * 100.0)), len, 0});
        }
    }
    return spans;
}

class IsochroneTest : public ::testing::Test {
protected:
    detail::GeosContext ctx;

    void expect_correct(const WalkGraph& g, const std::vector<ReachedSpan>& spans, const MultiPolygon& mp,
                        const IsochroneOptions& o = {}) {
        test::expect_well_formed(ctx, mp);
        test::expect_vertices_on_corridor(g, spans, mp, o);
        test::expect_spans_covered(ctx, g, spans, mp);
    }
};

TEST_F(IsochroneTest, LargeBlockInsideStreetsIsAHole) {
    const WalkGraph g = square_block(200.0);
    const auto spans = test::all_edges(g);
    const MultiPolygon mp = polygon_from_spans(g, spans);
    ASSERT_EQ(mp.size(), 1U);
    ASSERT_EQ(mp[0].holes.size(), 1U);
    // The hole is the block minus 30 m on each side, with rounded corners from the corridor.
    EXPECT_NEAR(area_m2(mp[0].holes[0]), 140.0 * 140.0, 150.0);
    // Corridor: outer square with round corners minus the hole.
    const double outer = 260.0 * 260.0 - (4.0 - std::numbers::pi) * 900.0;
    EXPECT_NEAR(area_m2(mp), outer - 140.0 * 140.0, 0.01 * outer);
    expect_correct(g, spans, mp);
}

TEST_F(IsochroneTest, BlockBelowFillThresholdHasNoHole) {
    const WalkGraph g = square_block(120.0); // inner gap 60 x 60 = 3,600 m2 < 5,000 m2
    const auto spans = test::all_edges(g);
    const MultiPolygon filled = polygon_from_spans(g, spans);
    ASSERT_EQ(filled.size(), 1U);
    EXPECT_EQ(filled[0].holes.size(), 0U);
    EXPECT_NEAR(area_m2(filled), 180.0 * 180.0 - (4.0 - std::numbers::pi) * 900.0, 200.0);
    test::expect_well_formed(ctx, filled);
    test::expect_spans_covered(ctx, g, spans, filled);

    IsochroneOptions keep_all;
    keep_all.fill_holes_below_m2 = 0.0;
    const MultiPolygon holed = polygon_from_spans(g, spans, keep_all);
    ASSERT_EQ(holed.size(), 1U);
    EXPECT_EQ(holed[0].holes.size(), 1U);
    expect_correct(g, spans, holed, keep_all);
}

TEST_F(IsochroneTest, DisconnectedReachGivesSeveralParts) {
    std::vector<EdgeInput> pieces = {
        piece({{0, 0}, {100, 0}}, {1, 2}),
        piece({{500, 0}, {600, 50}}, {3, 4}),
        piece({{1000, 0}, {1000, 80}}, {5, 6}),
    };
    const WalkGraph g = routing::build_walk_graph(pieces, 1000);
    const auto spans = test::all_edges(g);
    const MultiPolygon mp = polygon_from_spans(g, spans);
    EXPECT_EQ(mp.size(), 3U);
    EXPECT_EQ(test::hole_count(mp), 0U);
    expect_correct(g, spans, mp);
    // Parts are sorted canonically (by smallest exterior point, i.e. west to east here).
    for (std::size_t i = 1; i < mp.size(); ++i) {
        EXPECT_LT(mp[i - 1].exterior.points[0].lon, mp[i].exterior.points[0].lon);
    }
}

TEST_F(IsochroneTest, PartialSpanIsCutAtItsGeodesicPositions) {
    const std::vector<EdgeInput> pieces = {piece({{0, 0}, {150, 0}, {400, 0}}, {1, 2, 3})};
    const WalkGraph g = routing::build_walk_graph(pieces, 1000);
    ASSERT_EQ(g.edge_count(), 1U);
    const bool reversed = g.node_x_m[g.edge_tail[0]] > g.node_x_m[g.edge_head[0]];
    const std::uint32_t len = g.edge_length_cm[0];
    ASSERT_NEAR(len, 40'000, 100); // at_m() is a rough degree scale
    const ReachedSpan span{0, 10'000, 30'000, 0};
    const auto line = span_polyline_xy(g, span);
    ASSERT_EQ(line.size(), 3U); // cut point, the shape point at 150 m, cut point
    const routing::XY tail{g.node_x_m[g.edge_tail[0]], g.node_y_m[g.edge_tail[0]]};
    // Cuts are geodesic; the local projection's scale differs from the ellipsoid's by up to ~0.2%.
    EXPECT_NEAR(std::hypot(line.front().x_m - tail.x_m, line.front().y_m - tail.y_m), 100.0, 0.3);
    EXPECT_NEAR(std::hypot(line.back().x_m - tail.x_m, line.back().y_m - tail.y_m), 300.0, 0.7);
    const auto ll = span_polyline(g, span);
    ASSERT_EQ(ll.size(), 3U);
    const routing::XY back = g.projection.forward(ll.back());
    EXPECT_NEAR(back.x_m, line.back().x_m, 0.01);
    EXPECT_NEAR(back.y_m, line.back().y_m, 0.01);

    const std::vector<ReachedSpan> spans = {span};
    const MultiPolygon mp = polygon_from_spans(g, spans);
    ASSERT_EQ(mp.size(), 1U);
    EXPECT_NEAR(area_m2(mp), 200.0 * 60.0 + std::numbers::pi * 900.0, 0.01 * 14'800.0);
    expect_correct(g, spans, mp);

    // The unreached ends of the street (more than 30 m beyond the cut) are outside.
    auto poly = test::to_geos(ctx, mp);
    const double ex = reversed ? -1.0 : 1.0;
    for (double d : {50.0, 350.0}) {
        const routing::LonLat p = g.projection.inverse({tail.x_m + ex * d, tail.y_m});
        auto pt = ctx.own(GEOSGeom_createPointFromXY_r(ctx.handle(), p.lon, p.lat), "point");
        EXPECT_EQ(GEOSIntersects_r(ctx.handle(), poly.get(), pt.get()), 0) << d;
    }
}

TEST_F(IsochroneTest, ZeroLengthSpanIsADisc) {
    const std::vector<EdgeInput> pieces = {piece({{0, 0}, {400, 0}}, {1, 2})};
    const WalkGraph g = routing::build_walk_graph(pieces, 1000);
    const std::vector<ReachedSpan> spans = {{0, 20'000, 20'000, 0}};
    const MultiPolygon raster = polygon_from_spans(g, spans);
    ASSERT_EQ(raster.size(), 1U);
    EXPECT_NEAR(area_m2(raster), std::numbers::pi * 900.0, 0.005 * std::numbers::pi * 900.0);
    expect_correct(g, spans, raster);

    IsochroneOptions vector_method;
    vector_method.raster_cell_m = 0.0;
    const MultiPolygon vec = polygon_from_spans(g, spans, vector_method);
    ASSERT_EQ(vec.size(), 1U);
    // A 16-gon inscribed in the 30 m circle.
    EXPECT_NEAR(area_m2(vec), 0.5 * 16 * 900.0 * std::sin(2.0 * std::numbers::pi / 16), 5.0);
    expect_correct(g, spans, vec, vector_method);
}

// The raster corridor and GEOS's buffer agree up to the lattice spacing along the boundary.
TEST_F(IsochroneTest, RasterAndVectorMethodsAgree) {
    const WalkGraph g = grid(9, 85.0);
    const routing::XY c{g.projection.forward(test::at_m(330.0, 300.0))};
    const auto spans = disc_reach(g, c, 310.0);
    IsochroneOptions vector_method;
    vector_method.raster_cell_m = 0.0;
    const MultiPolygon r = polygon_from_spans(g, spans);
    const MultiPolygon v = polygon_from_spans(g, spans, vector_method);
    expect_correct(g, spans, r);
    expect_correct(g, spans, v, vector_method);
    EXPECT_EQ(r.size(), v.size());
    EXPECT_EQ(test::hole_count(r), test::hole_count(v));
    auto gr = test::to_geos(ctx, r);
    auto gv = test::to_geos(ctx, v);
    auto diff = ctx.own(GEOSSymDifference_r(ctx.handle(), gr.get(), gv.get()), "symdifference");
    double diff_deg2 = 0.0;
    double perimeter_deg = 0.0;
    ctx.check(GEOSArea_r(ctx.handle(), diff.get(), &diff_deg2), "area");
    ctx.check(GEOSLength_r(ctx.handle(), gv.get(), &perimeter_deg), "length");
    const double m2_per_deg2 = 111'132.0 * 111'320.0 * std::cos(43.73 * std::numbers::pi / 180.0);
    // Perimeter in metres (roughly) times a fraction of the 2 m cell.
    EXPECT_LT(diff_deg2 * m2_per_deg2, perimeter_deg * 95'000.0 * 0.25) << area_m2(r) << " vs " << area_m2(v);
}

// The map outline: the same corridor, on a lattice that coarsens when the reach is wide, so that
// any reach costs a bounded lattice; it still covers every reached street and stays on the
// corridor within the coarser spacing, and does not depend on the order of the spans.
TEST_F(IsochroneTest, ReachOutlineCoversTheReachOnACoarserLatticeWhenWide) {
    // Valid, closed and RFC 7946 oriented (not on the output grid: the outline is for maps).
    auto expect_valid = [&](const MultiPolygon& mp) {
        auto geom = test::to_geos(ctx, mp);
        EXPECT_EQ(GEOSisValid_r(ctx.handle(), geom.get()), 1);
        for (const auto& p : mp) {
            ASSERT_GE(p.exterior.points.size(), 4U);
            EXPECT_EQ(p.exterior.points.front().lon, p.exterior.points.back().lon);
            EXPECT_GT(test::signed_area_deg2(p.exterior), 0.0);
            for (const auto& h : p.holes) EXPECT_LT(test::signed_area_deg2(h), 0.0);
        }
    };
    auto vertex_count = [](const MultiPolygon& mp) {
        std::size_t n = 0;
        for (const auto& p : mp) {
            n += p.exterior.points.size();
            for (const auto& h : p.holes) n += h.points.size();
        }
        return n;
    };
    const WalkGraph g = grid(9, 85.0);
    const routing::XY c{g.projection.forward(test::at_m(330.0, 300.0))};
    const auto spans = disc_reach(g, c, 310.0);
    const MultiPolygon exact = polygon_from_spans(g, spans);
    const MultiPolygon fine = reach_outline(g, spans);
    expect_valid(fine);
    test::expect_vertices_on_corridor(g, spans, fine, IsochroneOptions{});
    test::expect_spans_covered(ctx, g, spans, fine);
    EXPECT_EQ(fine.size(), exact.size());
    EXPECT_EQ(test::hole_count(fine), test::hole_count(exact));
    EXPECT_NEAR(area_m2(fine), area_m2(exact), 0.01 * area_m2(exact));

    // About 800 m x 800 m with its margins: 2,000 corners need a spacing of about 18 m.
    ReachOutlineOptions coarse;
    coarse.max_corners = 2'000;
    const MultiPolygon wide = reach_outline(g, spans, coarse);
    IsochroneOptions at_coarse; // the widest spacing reach_outline allows for a 30 m corridor
    at_coarse.raster_cell_m = 0.95 * (coarse.buffer_m - coarse.simplify_m) / std::numbers::sqrt2;
    expect_valid(wide);
    test::expect_vertices_on_corridor(g, spans, wide, at_coarse);
    test::expect_spans_covered(ctx, g, spans, wide);
    EXPECT_NEAR(area_m2(wide), area_m2(exact), 0.05 * area_m2(exact));
    EXPECT_LT(vertex_count(wide), vertex_count(fine));

    std::vector<ReachedSpan> reversed(spans.rbegin(), spans.rend());
    const MultiPolygon again = reach_outline(g, reversed, coarse);
    ASSERT_EQ(again.size(), wide.size());
    for (std::size_t p = 0; p < wide.size(); ++p) {
        ASSERT_EQ(again[p].exterior.points.size(), wide[p].exterior.points.size());
        for (std::size_t i = 0; i < wide[p].exterior.points.size(); ++i) {
            EXPECT_EQ(again[p].exterior.points[i].lon, wide[p].exterior.points[i].lon);
            EXPECT_EQ(again[p].exterior.points[i].lat, wide[p].exterior.points[i].lat);
        }
    }
    EXPECT_TRUE(reach_outline(g, std::vector<ReachedSpan>{}).empty());
}

TEST_F(IsochroneTest, EmptyReachGivesNoPolygon) {
    const WalkGraph g = square_block(100.0);
    EXPECT_TRUE(polygon_from_spans(g, std::vector<ReachedSpan>{}).empty());
}

TEST_F(IsochroneTest, NestedBandsCoverEachOther) {
    const WalkGraph g = grid(12, 70.0);
    const routing::XY c{g.projection.forward(test::at_m(400.0, 380.0))};
    std::vector<std::vector<ReachedSpan>> reach;
    for (double r : {120.0, 250.0, 330.0, 500.0}) {
        reach.push_back(disc_reach(g, c, r));
    }
    const auto bands = bands_from_spans(g, reach);
    ASSERT_EQ(bands.size(), reach.size());
    for (std::size_t k = 0; k < bands.size(); ++k) {
        SCOPED_TRACE(k);
        ASSERT_FALSE(bands[k].empty());
        test::expect_well_formed(ctx, bands[k]);
        test::expect_spans_covered(ctx, g, reach[k], bands[k]);
        if (k > 0) {
            auto big = test::to_geos(ctx, bands[k]);
            auto small = test::to_geos(ctx, bands[k - 1]);
            EXPECT_EQ(GEOSCovers_r(ctx.handle(), big.get(), small.get()), 1);
            EXPECT_GT(area_m2(bands[k]), area_m2(bands[k - 1]));
        }
    }
    // The smallest band has no earlier band to include, so it lies exactly on its corridor.
    test::expect_vertices_on_corridor(g, reach[0], bands[0], {});
}

TEST_F(IsochroneTest, DisjointBandsAreRingsThatTileTheLargestBand) {
    const WalkGraph g = grid(12, 70.0);
    const routing::XY c{g.projection.forward(test::at_m(400.0, 380.0))};
    std::vector<std::vector<ReachedSpan>> reach;
    for (double r : {120.0, 250.0, 500.0}) {
        reach.push_back(disc_reach(g, c, r));
    }
    IsochroneOptions o;
    o.disjoint_bands = true;
    const auto rings = bands_from_spans(g, reach, o);
    const auto nested = bands_from_spans(g, reach);
    ASSERT_EQ(rings.size(), 3U);
    EXPECT_EQ(rings[0].size(), nested[0].size());
    const double m2_per_deg2 = 111'132.0 * 111'320.0 * std::cos(43.73 * std::numbers::pi / 180.0);
    std::vector<detail::GeomPtr> geoms;
    for (const auto& r : rings) {
        test::expect_well_formed(ctx, r);
        geoms.push_back(test::to_geos(ctx, r));
    }
    // The outer rings have the inner band as a hole.
    EXPECT_GE(test::hole_count(rings[1]), 1U);
    for (std::size_t i = 0; i < geoms.size(); ++i) {
        for (std::size_t j = i + 1; j < geoms.size(); ++j) {
            auto inter = ctx.own(GEOSIntersection_r(ctx.handle(), geoms[i].get(), geoms[j].get()), "intersection");
            double a = 0.0;
            ctx.check(GEOSArea_r(ctx.handle(), inter.get(), &a), "area");
            EXPECT_LT(a * m2_per_deg2, 0.01) << i << " " << j;
        }
    }
    double ring_sum = 0.0;
    for (const auto& r : rings) {
        ring_sum += area_m2(r);
    }
    EXPECT_NEAR(ring_sum, area_m2(nested.back()), 1e-6 * area_m2(nested.back()));
    auto u01 = ctx.own(GEOSUnion_r(ctx.handle(), geoms[0].get(), geoms[1].get()), "union");
    auto all = ctx.own(GEOSUnion_r(ctx.handle(), u01.get(), geoms[2].get()), "union");
    auto largest = test::to_geos(ctx, nested.back());
    auto diff = ctx.own(GEOSSymDifference_r(ctx.handle(), all.get(), largest.get()), "symdifference");
    double a = 0.0;
    ctx.check(GEOSArea_r(ctx.handle(), diff.get(), &a), "area");
    EXPECT_LT(a * m2_per_deg2, 0.01);
}

TEST_F(IsochroneTest, OutputIsDeterministic) {
    const WalkGraph g = grid(10, 90.0);
    const routing::XY c{g.projection.forward(test::at_m(300.0, 420.0))};
    const std::vector<std::vector<ReachedSpan>> reach = {disc_reach(g, c, 200.0), disc_reach(g, c, 420.0)};
    IsochroneOptions o;
    o.disjoint_bands = true;
    const auto a = bands_from_spans(g, reach, o);
    const auto b = bands_from_spans(g, reach, o);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t k = 0; k < a.size(); ++k) {
        EXPECT_EQ(test::to_wkt(a[k]), test::to_wkt(b[k]));
    }
    // Spans given in another order give the same polygon.
    auto shuffled = reach.back();
    std::reverse(shuffled.begin(), shuffled.end());
    EXPECT_EQ(test::to_wkt(polygon_from_spans(g, shuffled)), test::to_wkt(polygon_from_spans(g, reach.back())));
}

TEST_F(IsochroneTest, RejectsBadOptions) {
    const WalkGraph g = square_block(100.0);
    const auto spans = test::all_edges(g);
    IsochroneOptions o;
    o.buffer_m = -1.0;
    EXPECT_THROW((void)polygon_from_spans(g, spans, o), config_error);
    o = {};
    o.simplify_m = 20.0;
    EXPECT_THROW((void)polygon_from_spans(g, spans, o), config_error);
    o = {};
    o.precision_deg = 0.0;
    EXPECT_THROW((void)polygon_from_spans(g, spans, o), config_error);
}

} // namespace
} // namespace yike::engine
