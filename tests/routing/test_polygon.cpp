// yike's polygon type: areas against squares of known size, point-in-polygon against the analytic
// answer for rectangles with a hole and an L shape, boundaries counting as inside.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "yike/routing/polygon.hpp"

namespace yike::routing {
namespace {

// A closed ring through the projected points (metres), in lon/lat.
Ring ring_m(const LocalProjection& proj, std::initializer_list<XY> corners) {
    Ring r;
    for (const XY& c : corners) {
        r.points.push_back(proj.inverse(c));
    }
    r.points.push_back(r.points.front());
    return r;
}

Ring rect_deg(double lon0, double lat0, double lon1, double lat1) {
    return Ring{{{lon0, lat0}, {lon1, lat0}, {lon1, lat1}, {lon0, lat1}, {lon0, lat0}}};
}

TEST(Polygon, AreaOfSquaresWithAndWithoutAHole) {
    const LocalProjection proj({116.35, 40.0});
    const Ring outer = ring_m(proj, {{0, 0}, {100, 0}, {100, 100}, {0, 100}});
    const Ring hole = ring_m(proj, {{40, 40}, {40, 60}, {60, 60}, {60, 40}});
    EXPECT_NEAR(ring_area_m2(outer, proj), 10'000.0, 1e-6);
    EXPECT_NEAR(ring_area_m2(hole, proj), 400.0, 1e-6); // clockwise: still positive
    EXPECT_NEAR(polygon_area_m2(Polygon{outer, {hole}}, proj), 9'600.0, 1e-6);
    // Far from the projection's origin the ring keeps its precision (coordinates relative to its
    // first point).
    const Ring far = ring_m(proj, {{20'000, 20'000}, {20'001, 20'000}, {20'001, 20'001}, {20'000, 20'001}});
    EXPECT_NEAR(ring_area_m2(far, proj), 1.0, 1e-6);
    EXPECT_EQ(ring_area_m2(Ring{{{116.35, 40.0}, {116.36, 40.0}, {116.35, 40.0}}}, proj), 0.0);
}

TEST(Polygon, ContainsAgreesWithRectanglesAndAnLShape) {
    // Outer 0..10 x 0..10 with a hole 4..6 x 4..6, and an L shape (0..10 x 0..4 plus 0..4 x 4..10).
    const Polygon holed{rect_deg(0, 0, 10, 10), {rect_deg(4, 4, 6, 6)}};
    const Polygon ell{Ring{{{0, 0}, {10, 0}, {10, 4}, {4, 4}, {4, 10}, {0, 10}, {0, 0}}}, {}};
    auto in_rect = [](LonLat p, double x0, double y0, double x1, double y1) {
        return p.lon >= x0 && p.lon <= x1 && p.lat >= y0 && p.lat <= y1;
    };
    auto strictly_in_rect = [](LonLat p, double x0, double y0, double x1, double y1) {
        return p.lon > x0 && p.lon < x1 && p.lat > y0 && p.lat < y1;
    };
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> grid(-2, 24); // half units: lands on edges and corners often
    int on_boundary = 0;
    for (int k = 0; k < 5'000; ++k) {
        const LonLat p{grid(rng) / 2.0, grid(rng) / 2.0};
        // Boundaries count as inside, the hole's too.
        const bool want_holed = in_rect(p, 0, 0, 10, 10) && !strictly_in_rect(p, 4, 4, 6, 6);
        const bool want_ell = in_rect(p, 0, 0, 10, 4) || in_rect(p, 0, 4, 4, 10);
        EXPECT_EQ(polygon_contains(holed, p), want_holed) << p.lon << "," << p.lat;
        EXPECT_EQ(polygon_contains(ell, p), want_ell) << p.lon << "," << p.lat;
        EXPECT_EQ(multipolygon_contains(MultiPolygon{holed, ell}, p), want_holed || want_ell);
        if (!strictly_in_rect(p, 0, 0, 10, 10) && in_rect(p, 0, 0, 10, 10)) {
            ++on_boundary;
        }
        // Off the boundary the crossing test on the exterior alone says the same.
        if (strictly_in_rect(p, 0, 0, 10, 10) || !in_rect(p, 0, 0, 10, 10)) {
            EXPECT_EQ(ring_contains(holed.exterior, p), strictly_in_rect(p, 0, 0, 10, 10));
        }
    }
    EXPECT_GT(on_boundary, 100); // the boundary rule was exercised
    EXPECT_FALSE(multipolygon_contains(MultiPolygon{}, {1, 1}));
}

} // namespace
} // namespace yike::routing
