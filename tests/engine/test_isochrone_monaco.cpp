// Isochrones on the bundled Monaco extract with the real search: 5/10/15-minute bands from a
// point near Port Hercule.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <thread>
#include <vector>

#include "isochrone_checks.hpp"
#include "yike/engine/isochrone.hpp"
#include "yike/engine/isochrone_barriers.hpp"
#include "yike/io/inputs.hpp"
#include "yike/io/osm_network.hpp"
#include "yike/io/profile.hpp"
#include "yike/routing/search.hpp"
#include "yike/routing/snap.hpp"

namespace yike::engine {
namespace {

const routing::WalkGraph& monaco() {
    static const routing::WalkGraph graph = [] {
        const std::filesystem::path file = std::filesystem::path(YIKE_DATA_DIR) / "osm" / "monaco.osm.pbf";
        return io::read_walk_network(file, io::load_profile("walk")).graph;
    }();
    return graph;
}

routing::Origin snapped_origin(const routing::WalkGraph& g, routing::LonLat p) {
    const routing::Snapper snapper(g);
    const auto snap = snapper.nearest(g.projection.forward(p));
    if (!snap) {
        throw std::runtime_error("the test point does not snap");
    }
    return routing::origin_from_snap(*snap, 0);
}

routing::Origin harbour_origin(const routing::WalkGraph& g) { return snapped_origin(g, {7.4246, 43.7384}); }

constexpr routing::Cost minute_ms = 60'000;

TEST(IsochroneMonaco, BandsFromTheHarbourAreValidNestedAndOnTheNetwork) {
    const routing::WalkGraph& g = monaco();
    const routing::Origin origin = harbour_origin(g);
    routing::BoundedSearch search(g);
    const std::vector<routing::Cost> budgets = {5 * minute_ms, 10 * minute_ms, 15 * minute_ms};
    const IsochroneOptions options;
    const auto bands = build_isochrones(search, {&origin, 1}, budgets, routing::Metric::time_ms, options);
    ASSERT_EQ(bands.size(), 3U);

    detail::GeosContext ctx;
    for (std::size_t k = 0; k < bands.size(); ++k) {
        SCOPED_TRACE(k);
        const IsochroneBand& b = bands[k];
        EXPECT_EQ(b.budget, budgets[k]);
        ASSERT_FALSE(b.polygon.empty());
        test::expect_well_formed(ctx, b.polygon);
        search.run(std::span<const routing::Origin>(&origin, 1), budgets[k], routing::Metric::time_ms);
        const auto spans = routing::reached_spans(search);
        test::expect_spans_covered(ctx, g, spans, b.polygon);
        EXPECT_NEAR(b.area_m2, area_m2(b.polygon), 1e-6 * b.area_m2);
        if (k == 0) {
            // Later bands also contain the earlier band's boundary, so the two-sided bound holds
            // exactly for the first band; every band is bounded above (checked below).
            test::expect_vertices_on_corridor(g, spans, b.polygon, options);
        } else {
            auto big = test::to_geos(ctx, b.polygon);
            auto small = test::to_geos(ctx, bands[k - 1].polygon);
            EXPECT_EQ(GEOSCovers_r(ctx.handle(), big.get(), small.get()), 1);
            EXPECT_GT(b.area_m2, bands[k - 1].area_m2);
            EXPECT_GT(b.reached_length_m, bands[k - 1].reached_length_m);
        }
        // Upper bound only: no vertex beyond the corridor of this band's reach.
        std::vector<std::vector<routing::XY>> lines;
        for (const auto& s : spans) {
            lines.push_back(span_polyline_xy(g, s));
        }
        double worst = 0.0;
        for (const Polygon& p : b.polygon) {
            std::vector<const Ring*> rings = {&p.exterior};
            for (const Ring& h : p.holes) {
                rings.push_back(&h);
            }
            for (const Ring* r : rings) {
                for (const routing::LonLat& v : r->points) {
                    const routing::XY q = g.projection.forward(v);
                    double d = 1e18;
                    for (const auto& l : lines) {
                        for (std::size_t i = 0; i + 1 < l.size(); ++i) {
                            d = std::min(d, test::segment_distance(q, l[i], l[i + 1]));
                        }
                    }
                    worst = std::max(worst, d);
                }
            }
        }
        EXPECT_LE(worst, options.buffer_m + options.raster_cell_m + options.simplify_m + 0.05);
        std::printf("band %zu: %zu parts, %zu holes, %.0f m2, %.0f m reached\n", k, b.polygon.size(),
                    test::hole_count(b.polygon), b.area_m2, b.reached_length_m);
    }
}

TEST(IsochroneMonaco, DisjointBandsDoNotOverlap) {
    const routing::WalkGraph& g = monaco();
    const routing::Origin origin = harbour_origin(g);
    routing::BoundedSearch search(g);
    const std::vector<routing::Cost> budgets = {5 * minute_ms, 10 * minute_ms, 15 * minute_ms};
    IsochroneOptions options;
    options.disjoint_bands = true;
    const auto rings = build_isochrones(search, {&origin, 1}, budgets, routing::Metric::time_ms, options);
    options.disjoint_bands = false;
    const auto nested = build_isochrones(search, {&origin, 1}, budgets, routing::Metric::time_ms, options);
    detail::GeosContext ctx;
    double sum = 0.0;
    for (std::size_t k = 0; k < rings.size(); ++k) {
        test::expect_well_formed(ctx, rings[k].polygon);
        sum += rings[k].area_m2;
        if (k > 0) {
            auto a = test::to_geos(ctx, rings[k].polygon);
            auto b = test::to_geos(ctx, rings[k - 1].polygon);
            auto inter = ctx.own(GEOSIntersection_r(ctx.handle(), a.get(), b.get()), "intersection");
            double deg2 = 0.0;
            ctx.check(GEOSArea_r(ctx.handle(), inter.get(), &deg2), "area");
            EXPECT_LT(deg2 * 111'132.0 * 80'500.0, 0.01);
        }
    }
    EXPECT_NEAR(sum, nested.back().area_m2, 1e-6 * sum);
    // Determinism: the same request twice gives identical coordinates.
    const auto again = build_isochrones(search, {&origin, 1}, budgets, routing::Metric::time_ms, options);
    for (std::size_t k = 0; k < again.size(); ++k) {
        EXPECT_EQ(test::to_wkt(again[k].polygon), test::to_wkt(nested[k].polygon));
    }
}

// From Fontvieille the 10- and 15-minute reach surrounds a block of ~1.7 ha that no path enters
// (around 7.4144 E 43.7275 N, by Stade Louis II); at 15 minutes a second one (~1.4 ha) appears
// below the Rock. They stay holes (above the 5,000 m2 fill threshold) and the 10-minute hole is
// still a hole at 15 minutes.
TEST(IsochroneMonaco, UnreachedBlocksInFontvieilleAreHoles) {
    const routing::WalkGraph& g = monaco();
    const routing::Origin origin = snapped_origin(g, {7.4160, 43.7270});
    routing::BoundedSearch search(g);
    const std::vector<routing::Cost> budgets = {10 * minute_ms, 15 * minute_ms};
    const IsochroneOptions options;
    const auto bands = build_isochrones(search, {&origin, 1}, budgets, routing::Metric::time_ms, options);
    detail::GeosContext ctx;
    for (std::size_t k = 0; k < bands.size(); ++k) {
        SCOPED_TRACE(k);
        const MultiPolygon& mp = bands[k].polygon;
        test::expect_well_formed(ctx, mp);
        search.run(std::span<const routing::Origin>(&origin, 1), budgets[k], routing::Metric::time_ms);
        const auto spans = routing::reached_spans(search);
        test::expect_spans_covered(ctx, g, spans, mp); // so no reached street runs through a hole
        std::size_t big = 0;
        for (const Polygon& p : mp) {
            for (const Ring& h : p.holes) {
                EXPECT_GE(area_m2(h), options.fill_holes_below_m2);
                big += area_m2(h) > 10'000.0 ? 1 : 0;
            }
        }
        EXPECT_GE(big, k + 1);
    }
    // The 10-minute hole's interior point is outside both bands.
    auto b10 = test::to_geos(ctx, bands[0].polygon);
    auto b15 = test::to_geos(ctx, bands[1].polygon);
    ASSERT_FALSE(bands[0].polygon.empty());
    const Ring* hole = nullptr;
    for (const Polygon& p : bands[0].polygon) {
        for (const Ring& h : p.holes) {
            if (hole == nullptr || area_m2(h) > area_m2(*hole)) {
                hole = &h;
            }
        }
    }
    ASSERT_NE(hole, nullptr);
    Polygon hp{*hole, {}};
    std::reverse(hp.exterior.points.begin(), hp.exterior.points.end());
    auto hg = test::to_geos(ctx, MultiPolygon{hp});
    auto inner = ctx.own(GEOSPointOnSurface_r(ctx.handle(), hg.get()), "point on surface");
    EXPECT_EQ(GEOSIntersects_r(ctx.handle(), b10.get(), inner.get()), 0);
    EXPECT_EQ(GEOSIntersects_r(ctx.handle(), b15.get(), inner.get()), 0);
}

// The raster corridor keeps its lattice and other buffers per thread between calls: a polygon
// must not depend on what the thread built before (a larger reach, a smaller one) nor on the
// thread it is built on.
TEST(IsochroneMonaco, PolygonDoesNotDependOnEarlierCallsOrTheThread) {
    const routing::WalkGraph& g = monaco();
    auto spans_for = [&](routing::LonLat p, routing::Cost budget) {
        const routing::Origin origin = snapped_origin(g, p);
        routing::BoundedSearch search(g);
        search.run(std::span<const routing::Origin>(&origin, 1), budget, routing::Metric::time_ms);
        return routing::reached_spans(search);
    };
    auto coordinates = [](const MultiPolygon& mp) {
        std::vector<double> v;
        auto add = [&](const Ring& r) {
            v.push_back(static_cast<double>(r.points.size()));
            for (const routing::LonLat& q : r.points) {
                v.push_back(q.lon);
                v.push_back(q.lat);
            }
        };
        for (const Polygon& p : mp) {
            v.push_back(static_cast<double>(p.holes.size()));
            add(p.exterior);
            for (const Ring& h : p.holes) {
                add(h);
            }
        }
        return v;
    };
    const auto small = spans_for({7.4246, 43.7384}, 5 * minute_ms);
    const auto large = spans_for({7.4167, 43.7311}, 20 * minute_ms);
    ASSERT_FALSE(small.empty());
    ASSERT_GT(large.size(), 2 * small.size());

    MultiPolygon fresh;
    std::thread([&] { fresh = polygon_from_spans(g, small); }).join();
    ASSERT_FALSE(fresh.empty());
    const MultiPolygon big = polygon_from_spans(g, large);
    ASSERT_FALSE(big.empty());
    const MultiPolygon after_big = polygon_from_spans(g, small);
    EXPECT_EQ(coordinates(after_big), coordinates(fresh));
    MultiPolygon big_after_small;
    std::thread([&] {
        (void)polygon_from_spans(g, small);
        big_after_small = polygon_from_spans(g, large);
    }).join();
    EXPECT_EQ(coordinates(big_after_small), coordinates(big));
}

// Every piece the barriers cut away is justified, by brute force: a point of the unclipped
// polygon that the clipped one leaves out is separated by a barrier segment from the nearest
// point of the reached network (which lies within the corridor width of it). Also: the clipped
// bands cover the network, lie inside the unclipped ones and are smaller somewhere in Monaco
// (the harbour quays, the coast, the rail line where it runs in the open).
TEST(IsochroneMonaco, BarriersCutOnlyWhatTheWalkDidNotCross) {
    const routing::WalkGraph& g = monaco();
    const std::filesystem::path file = std::filesystem::path(YIKE_DATA_DIR) / "osm" / "monaco.osm.pbf";
    const std::vector<io::BarrierLine> lines = io::read_osm_barriers(file);
    ASSERT_GT(lines.size(), 100U);
    const IsochroneBarriers barriers(lines);
    IsochroneOptions clip;
    clip.barriers = &barriers;
    const IsochroneOptions plain;

    std::vector<std::pair<routing::XY, routing::XY>> barrier_xy;
    for (const auto& l : lines) {
        for (std::size_t i = 1; i < l.points.size(); ++i) {
            barrier_xy.emplace_back(g.projection.forward(l.points[i - 1]), g.projection.forward(l.points[i]));
        }
    }
    auto crosses_barrier = [&](routing::XY p, routing::XY q) {
        auto orient = [](routing::XY a, routing::XY b, routing::XY c) {
            return (b.x_m - a.x_m) * (c.y_m - a.y_m) - (b.y_m - a.y_m) * (c.x_m - a.x_m);
        };
        for (const auto& [a, b] : barrier_xy) {
            const double d1 = orient(a, b, p), d2 = orient(a, b, q), d3 = orient(p, q, a), d4 = orient(p, q, b);
            if (((d1 <= 0 && d2 >= 0) || (d1 >= 0 && d2 <= 0)) && ((d3 <= 0 && d4 >= 0) || (d3 >= 0 && d4 <= 0))) {
                return true;
            }
        }
        return false;
    };

    detail::GeosContext ctx;
    routing::BoundedSearch search(g);
    double cut_m2 = 0.0;
    std::size_t checked = 0;
    for (const routing::LonLat at : {routing::LonLat{7.4246, 43.7384}, routing::LonLat{7.4190, 43.7300},
                                     routing::LonLat{7.4270, 43.7440}}) {
        SCOPED_TRACE(at.lon);
        const routing::Origin origin = snapped_origin(g, at);
        search.run(std::span<const routing::Origin>(&origin, 1), 10 * minute_ms, routing::Metric::time_ms);
        const auto spans = routing::reached_spans(search);
        const MultiPolygon a = polygon_from_spans(g, spans, plain);
        const MultiPolygon b = polygon_from_spans(g, spans, clip);
        test::expect_well_formed(ctx, b);
        test::expect_spans_covered(ctx, g, spans, b);
        auto ga = test::to_geos(ctx, a);
        auto gb = test::to_geos(ctx, b);
        // Inside the unclipped polygon up to the output grid's rounding.
        auto grown = ctx.own(GEOSBuffer_r(ctx.handle(), ga.get(), 1e-7, 2), "buffer");
        EXPECT_TRUE(ctx.check(GEOSCovers_r(ctx.handle(), grown.get(), gb.get()), "covers"));
        cut_m2 += area_m2(a) - area_m2(b);

        std::vector<std::vector<routing::XY>> reached;
        for (const auto& s : spans) reached.push_back(span_polyline_xy(g, s));
        auto prepared_a = ctx.own(GEOSPrepare_r(ctx.handle(), ga.get()), "prepare");
        auto prepared_b = ctx.own(GEOSPrepare_r(ctx.handle(), gb.get()), "prepare");
        double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
        GEOSGeom_getXMin_r(ctx.handle(), ga.get(), &x0);
        GEOSGeom_getYMin_r(ctx.handle(), ga.get(), &y0);
        GEOSGeom_getXMax_r(ctx.handle(), ga.get(), &x1);
        GEOSGeom_getYMax_r(ctx.handle(), ga.get(), &y1);
        for (double lat = y0; lat <= y1; lat += 0.0001) {
            for (double lon = x0; lon <= x1; lon += 0.0001) {
                auto pt = ctx.own(GEOSGeom_createPointFromXY_r(ctx.handle(), lon, lat), "point");
                if (!ctx.check(GEOSPreparedContainsProperly_r(ctx.handle(), prepared_a.get(), pt.get()), "contains") ||
                    ctx.check(GEOSPreparedIntersects_r(ctx.handle(), prepared_b.get(), pt.get()), "intersects")) {
                    continue;
                }
                const routing::XY p = g.projection.forward({lon, lat});
                double best = 1e18;
                routing::XY nearest{};
                for (const auto& line : reached) {
                    for (std::size_t i = 0; i < line.size(); ++i) {
                        const routing::XY u = line[i];
                        const routing::XY v = line[i + 1 < line.size() ? i + 1 : i];
                        const double dx = v.x_m - u.x_m, dy = v.y_m - u.y_m;
                        const double len2 = dx * dx + dy * dy;
                        const double t = len2 > 0 ? std::clamp(((p.x_m - u.x_m) * dx + (p.y_m - u.y_m) * dy) / len2, 0.0, 1.0) : 0.0;
                        const routing::XY c{u.x_m + t * dx, u.y_m + t * dy};
                        const double d = std::hypot(p.x_m - c.x_m, p.y_m - c.y_m);
                        if (d < best) {
                            best = d;
                            nearest = c;
                        }
                    }
                }
                // Near the corridor's edge the lattice trace and the exact distance may disagree.
                if (best > clip.buffer_m - 2.0 * clip.raster_cell_m - clip.simplify_m) continue;
                ++checked;
                EXPECT_TRUE(crosses_barrier(p, nearest)) << lon << "," << lat << " dropped, " << best << " m from the network";
            }
        }
    }
    EXPECT_GT(cut_m2, 1000.0);
    EXPECT_GT(checked, 10U);
    std::printf("barriers: %zu segments; %.0f m2 cut from three 10-minute polygons; %zu dropped points checked\n",
                barrier_xy.size(), cut_m2, checked);
}

} // namespace
} // namespace yike::engine
