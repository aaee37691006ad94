#pragma once
// Shared checks of isochrone polygons: GEOS validity, RFC 7946 orientation, grid snapping, and
// distance bounds against the reached network (brute force).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>
#include <vector>

#include "../../engine/src/detail/geos_context.hpp"
#include "yike/engine/isochrone.hpp"
#include "yike/routing/graph.hpp"

namespace yike::test {

// Local metres -> lon/lat near Monaco, for drawing synthetic streets.
inline routing::LonLat at_m(double x, double y) {
    constexpr double lon0 = 7.42;
    constexpr double lat0 = 43.73;
    return {lon0 + x / (111'320.0 * std::cos(lat0 * std::numbers::pi / 180.0)), lat0 + y / 111'132.0};
}

// A street piece through the given points (metres); `ids` identify shared junctions.
inline routing::EdgeInput piece(std::vector<std::pair<double, double>> pts, std::vector<std::int64_t> ids) {
    routing::EdgeInput e;
    for (auto [x, y] : pts) {
        e.points.push_back(at_m(x, y));
    }
    e.point_osm_id = std::move(ids);
    e.speed_mm_per_s = 1000;
    return e;
}

inline std::vector<routing::ReachedSpan> all_edges(const routing::WalkGraph& g) {
    std::vector<routing::ReachedSpan> spans;
    for (routing::EdgeId e = 0; e < g.edge_count(); ++e) {
        spans.push_back({e, 0, g.edge_length_cm[e], 0});
    }
    return spans;
}

inline std::string to_wkt(const engine::MultiPolygon& mp) {
    std::string s = "MULTIPOLYGON(";
    char buf[64];
    auto ring = [&](const engine::Ring& r) {
        s += "(";
        for (std::size_t i = 0; i < r.points.size(); ++i) {
            std::snprintf(buf, sizeof buf, "%s%.9f %.9f", i == 0 ? "" : ",", r.points[i].lon, r.points[i].lat);
            s += buf;
        }
        s += ")";
    };
    for (std::size_t p = 0; p < mp.size(); ++p) {
        s += p == 0 ? "(" : ",(";
        ring(mp[p].exterior);
        for (const auto& h : mp[p].holes) {
            s += ",";
            ring(h);
        }
        s += ")";
    }
    s += ")";
    if (mp.empty()) {
        return "MULTIPOLYGON EMPTY";
    }
    return s;
}

inline engine::detail::GeomPtr to_geos(engine::detail::GeosContext& ctx, const engine::MultiPolygon& mp) {
    GEOSWKTReader* reader = GEOSWKTReader_create_r(ctx.handle());
    GEOSGeometry* g = GEOSWKTReader_read_r(ctx.handle(), reader, to_wkt(mp).c_str());
    GEOSWKTReader_destroy_r(ctx.handle(), reader);
    return ctx.own(g, "WKT read");
}

inline double signed_area_deg2(const engine::Ring& r) {
    double s = 0.0;
    const auto o = r.points.front();
    for (std::size_t i = 1; i + 1 < r.points.size(); ++i) {
        s += (r.points[i].lon - o.lon) * (r.points[i + 1].lat - o.lat) -
             (r.points[i + 1].lon - o.lon) * (r.points[i].lat - o.lat);
    }
    return 0.5 * s;
}

inline bool on_grid(double v) { return std::abs(v * 1e7 - std::round(v * 1e7)) < 1e-5; }

// Valid, closed, RFC 7946 oriented, on the 1e-7 degree grid.
inline void expect_well_formed(engine::detail::GeosContext& ctx, const engine::MultiPolygon& mp) {
    auto g = to_geos(ctx, mp);
    char* reason = GEOSisValidReason_r(ctx.handle(), g.get());
    EXPECT_STREQ(reason, "Valid Geometry");
    GEOSFree_r(ctx.handle(), reason);
    auto check_ring = [](const engine::Ring& r, bool exterior) {
        ASSERT_GE(r.points.size(), 4U);
        EXPECT_EQ(r.points.front().lon, r.points.back().lon);
        EXPECT_EQ(r.points.front().lat, r.points.back().lat);
        if (exterior) {
            EXPECT_GT(signed_area_deg2(r), 0.0) << "exterior must be counter-clockwise";
        } else {
            EXPECT_LT(signed_area_deg2(r), 0.0) << "holes must be clockwise";
        }
        for (const auto& p : r.points) {
            EXPECT_TRUE(on_grid(p.lon) && on_grid(p.lat)) << p.lon << " " << p.lat;
        }
    };
    for (const auto& p : mp) {
        check_ring(p.exterior, true);
        for (const auto& h : p.holes) {
            check_ring(h, false);
        }
    }
}

inline double segment_distance(routing::XY p, routing::XY a, routing::XY b) {
    const double dx = b.x_m - a.x_m;
    const double dy = b.y_m - a.y_m;
    const double len2 = dx * dx + dy * dy;
    double t = len2 > 0.0 ? ((p.x_m - a.x_m) * dx + (p.y_m - a.y_m) * dy) / len2 : 0.0;
    t = std::clamp(t, 0.0, 1.0);
    return std::hypot(p.x_m - (a.x_m + t * dx), p.y_m - (a.y_m + t * dy));
}

// Every vertex lies within [buffer*cos(pi/(4q)) - simplify - eps, buffer + simplify + eps] of the
// reached geometry: on the corridor boundary, never beyond it. Returns the worst excess.
inline void expect_vertices_on_corridor(const routing::WalkGraph& g, std::span<const routing::ReachedSpan> spans,
                                        const engine::MultiPolygon& mp, const engine::IsochroneOptions& o) {
    std::vector<std::vector<routing::XY>> lines;
    for (const auto& s : spans) {
        lines.push_back(engine::span_polyline_xy(g, s));
    }
    const double eps = 0.05;
    // Raster: vertices interpolate exact distances along lattice edges of length raster_cell_m,
    // and distance is 1-Lipschitz. Vector: vertices on the circle, chords inside it.
    const double hi = o.buffer_m + o.raster_cell_m + o.simplify_m + eps;
    const double lo = o.raster_cell_m > 0.0
                          ? o.buffer_m - o.raster_cell_m - o.simplify_m - eps
                          : o.buffer_m * std::cos(std::numbers::pi / (4.0 * o.quadrant_segments)) - o.simplify_m - eps;
    std::size_t bad = 0;
    double worst_hi = 0.0;
    double worst_lo = 1e9;
    auto check = [&](const engine::Ring& r) {
        for (const auto& v : r.points) {
            const routing::XY p = g.projection.forward(v);
            double d = 1e18;
            for (const auto& l : lines) {
                for (std::size_t i = 0; i + 1 < l.size(); ++i) {
                    d = std::min(d, segment_distance(p, l[i], l[i + 1]));
                }
            }
            worst_hi = std::max(worst_hi, d);
            worst_lo = std::min(worst_lo, d);
            if (d > hi || d < lo) {
                ++bad;
            }
        }
    };
    for (const auto& p : mp) {
        check(p.exterior);
        for (const auto& h : p.holes) {
            check(h);
        }
    }
    EXPECT_EQ(bad, 0U) << "vertex distances range over [" << worst_lo << ", " << worst_hi << "] m, allowed [" << lo
                       << ", " << hi << "]";
}

// Every point of the reached geometry (vertices and segment midpoints) is inside the polygon.
inline void expect_spans_covered(engine::detail::GeosContext& ctx, const routing::WalkGraph& g,
                                 std::span<const routing::ReachedSpan> spans, const engine::MultiPolygon& mp) {
    auto poly = to_geos(ctx, mp);
    const GEOSPreparedGeometry* prep = GEOSPrepare_r(ctx.handle(), poly.get());
    std::size_t outside = 0;
    auto test_point = [&](routing::LonLat p) {
        auto pt = ctx.own(GEOSGeom_createPointFromXY_r(ctx.handle(), p.lon, p.lat), "point");
        if (GEOSPreparedCovers_r(ctx.handle(), prep, pt.get()) != 1) {
            ++outside;
        }
    };
    for (const auto& s : spans) {
        const auto line = engine::span_polyline(g, s);
        for (std::size_t i = 0; i < line.size(); ++i) {
            test_point(line[i]);
            if (i + 1 < line.size()) {
                test_point({0.5 * (line[i].lon + line[i + 1].lon), 0.5 * (line[i].lat + line[i + 1].lat)});
            }
        }
    }
    GEOSPreparedGeom_destroy_r(ctx.handle(), prep);
    EXPECT_EQ(outside, 0U);
}

inline std::size_t hole_count(const engine::MultiPolygon& mp) {
    std::size_t n = 0;
    for (const auto& p : mp) {
        n += p.holes.size();
    }
    return n;
}

} // namespace yike::test
