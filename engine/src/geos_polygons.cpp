// Isochrone polygons between our types (lon/lat rings, exterior counter-clockwise, holes
// clockwise, snapped to the output grid, in canonical order) and GEOS geometries.
#include "detail/geos_polygons.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <utility>
#include <vector>

namespace yike::engine::detail {

using routing::LonLat;

namespace {

double snap(double v, double grid) noexcept { return std::round(v / grid) * grid; }

bool less(LonLat a, LonLat b) noexcept { return std::tie(a.lon, a.lat) < std::tie(b.lon, b.lat); }

// Twice the signed area in degrees², counter-clockwise positive; relative to the first point
// so large absolute coordinates do not cost precision.
double signed_area2(const std::vector<LonLat>& pts) noexcept {
    if (pts.size() < 4) {
        return 0.0;
    }
    const LonLat o = pts.front();
    double s = 0.0;
    for (std::size_t i = 1; i + 1 < pts.size(); ++i) {
        const double x1 = pts[i].lon - o.lon;
        const double y1 = pts[i].lat - o.lat;
        const double x2 = pts[i + 1].lon - o.lon;
        const double y2 = pts[i + 1].lat - o.lat;
        s += x1 * y2 - x2 * y1;
    }
    return s;
}

Ring ring_from_geos(GeosContext& ctx, const GEOSGeometry* ring, double grid) {
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx.handle(), ring);
    if (seq == nullptr) {
        ctx.fail("GEOSGeom_getCoordSeq");
    }
    unsigned int n = 0;
    ctx.check(GEOSCoordSeq_getSize_r(ctx.handle(), seq, &n), "GEOSCoordSeq_getSize");
    std::vector<double> xy(2 * static_cast<std::size_t>(n));
    ctx.check(GEOSCoordSeq_copyToBuffer_r(ctx.handle(), seq, xy.data(), 0, 0), "GEOSCoordSeq_copyToBuffer");
    Ring r;
    r.points.reserve(n);
    for (unsigned int i = 0; i < n; ++i) {
        const LonLat p{snap(xy[2 * i], grid), snap(xy[2 * i + 1], grid)};
        if (r.points.empty() || r.points.back() != p) {
            r.points.push_back(p);
        }
    }
    return r;
}

// Canonical ring: orientation as asked, starting at its smallest point (lon, then lat), closed.
// Returns false for a degenerate ring (fewer than three distinct points).
bool canonical_ring(Ring& ring, bool counter_clockwise) {
    auto& p = ring.points;
    if (p.size() >= 2 && p.front() == p.back()) {
        p.pop_back();
    }
    if (p.size() < 3) {
        return false;
    }
    p.push_back(p.front());
    const double a = signed_area2(p);
    p.pop_back();
    if (a == 0.0) {
        return false;
    }
    if ((a > 0.0) != counter_clockwise) {
        std::reverse(p.begin(), p.end());
    }
    const auto smallest = std::min_element(p.begin(), p.end(), less);
    std::rotate(p.begin(), smallest, p.end());
    p.push_back(p.front());
    return true;
}

bool ring_less(const Ring& a, const Ring& b) {
    return std::lexicographical_compare(a.points.begin(), a.points.end(), b.points.begin(), b.points.end(), less);
}


} // namespace

void collect_polygons(GeosContext& ctx, const GEOSGeometry* g, double grid, MultiPolygon& out) {
    const int type = GEOSGeomTypeId_r(ctx.handle(), g);
    if (type == GEOS_POLYGON) {
        if (GEOSisEmpty_r(ctx.handle(), g) == 1) {
            return;
        }
        Polygon poly;
        poly.exterior = ring_from_geos(ctx, GEOSGetExteriorRing_r(ctx.handle(), g), grid);
        if (!canonical_ring(poly.exterior, true)) {
            return;
        }
        const int holes = GEOSGetNumInteriorRings_r(ctx.handle(), g);
        for (int i = 0; i < holes; ++i) {
            Ring h = ring_from_geos(ctx, GEOSGetInteriorRingN_r(ctx.handle(), g, i), grid);
            if (canonical_ring(h, false)) {
                poly.holes.push_back(std::move(h));
            }
        }
        out.push_back(std::move(poly));
    } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        const int n = GEOSGetNumGeometries_r(ctx.handle(), g);
        for (int i = 0; i < n; ++i) {
            collect_polygons(ctx, GEOSGetGeometryN_r(ctx.handle(), g, i), grid, out);
        }
    }
    // Lines and points (collapsed slivers of an overlay) carry no area and are dropped.
}

void sort_canonically(MultiPolygon& mp) {
    for (Polygon& p : mp) {
        std::sort(p.holes.begin(), p.holes.end(), ring_less);
    }
    std::sort(mp.begin(), mp.end(), [](const Polygon& a, const Polygon& b) { return ring_less(a.exterior, b.exterior); });
}

GeomPtr ring_to_geos(GeosContext& ctx, const Ring& ring) {
    std::vector<double> xy;
    xy.reserve(2 * ring.points.size());
    for (const LonLat& p : ring.points) {
        xy.push_back(p.lon);
        xy.push_back(p.lat);
    }
    auto seq = ctx.own(GEOSCoordSeq_copyFromBuffer_r(ctx.handle(), xy.data(),
                                                     static_cast<unsigned int>(ring.points.size()), 0, 0),
                       "GEOSCoordSeq_copyFromBuffer");
    return ctx.own(GEOSGeom_createLinearRing_r(ctx.handle(), seq.release()), "GEOSGeom_createLinearRing");
}

GeomPtr to_geos(GeosContext& ctx, const MultiPolygon& mp) {
    std::vector<GeomPtr> polys;
    polys.reserve(mp.size());
    for (const Polygon& p : mp) {
        std::vector<GeomPtr> holes;
        for (const Ring& h : p.holes) {
            holes.push_back(ring_to_geos(ctx, h));
        }
        polys.push_back(ctx.polygon(ring_to_geos(ctx, p.exterior), std::move(holes)));
    }
    return ctx.collection(GEOS_MULTIPOLYGON, std::move(polys));
}

} // namespace yike::engine::detail
