#include "yike/engine/isochrone.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numbers>
#include <string>
#include <tuple>
#include <utility>

#include "detail/barrier_clip.hpp"
#include "detail/geos_context.hpp"
#include "detail/xy_box.hpp"
#include "yike/assert.hpp"
#include "yike/error.hpp"

namespace yike::engine {

namespace {

using detail::GeomPtr;
using detail::GeosContext;
using routing::LonLat;
using routing::XY;

// ---- span geometry ------------------------------------------------------------------------

LonLat point_lonlat(const routing::WalkGraph& g, std::uint32_t i) noexcept {
    return {g.point_lon_e7[i] / routing::coordinate_precision, g.point_lat_e7[i] / routing::coordinate_precision};
}
XY point_xy(const routing::WalkGraph& g, std::uint32_t i) noexcept {
    return {static_cast<double>(g.point_x_m[i]), static_cast<double>(g.point_y_m[i])};
}

template <class P>
P lerp(P a, P b, double t) noexcept;
template <>
LonLat lerp(LonLat a, LonLat b, double t) noexcept {
    return {a.lon + (b.lon - a.lon) * t, a.lat + (b.lat - a.lat) * t};
}
template <>
XY lerp(XY a, XY b, double t) noexcept {
    return {a.x_m + (b.x_m - a.x_m) * t, a.y_m + (b.y_m - a.y_m) * t};
}

bool equal_point(LonLat a, LonLat b) noexcept { return a.lon == b.lon && a.lat == b.lat; }
bool equal_point(XY a, XY b) noexcept { return a.x_m == b.x_m && a.y_m == b.y_m; }

template <class P>
void push_distinct(std::vector<P>& out, P p) {
    if (out.empty() || !equal_point(out.back(), p)) {
        out.push_back(p);
    }
}

// Cuts the edge's geometry at geodesic positions begin/end (metres from the tail), measuring each
// segment as routing does (segment_length_m on lon/lat) and interpolating within the segment.
template <class P, class At>
std::vector<P> cut_edge(const routing::WalkGraph& g, const routing::ReachedSpan& span, At at) {
    YIKE_ASSERT(span.edge < g.edge_count());
    YIKE_ASSERT(span.begin_cm <= span.end_cm);
    const std::uint32_t first = g.edge_first_point[span.edge];
    const std::uint32_t last = g.edge_first_point[span.edge + 1] - 1; // inclusive
    const bool whole_front = span.begin_cm == 0;
    const bool whole_back = span.end_cm >= g.edge_length_cm[span.edge];
    std::vector<P> out;
    if (whole_front && whole_back) {
        out.reserve(last - first + 1);
        for (std::uint32_t i = first; i <= last; ++i) {
            out.push_back(at(i));
        }
        return out;
    }
    const double begin_m = span.begin_cm / 100.0;
    const double end_m = span.end_cm / 100.0;
    double walked = 0.0; // geodesic length from the tail to point i
    bool started = false;
    for (std::uint32_t i = first; i < last; ++i) {
        const double seg = routing::segment_length_m(point_lonlat(g, i), point_lonlat(g, i + 1));
        const double next = walked + seg;
        const bool final_segment = i + 1 == last;
        if (!started && (whole_front || begin_m <= next || final_segment)) {
            if (whole_front) {
                push_distinct(out, at(i));
            } else {
                const double t = seg > 0.0 ? std::clamp((begin_m - walked) / seg, 0.0, 1.0) : 0.0;
                push_distinct(out, lerp(at(i), at(i + 1), t));
            }
            started = true;
        }
        if (started) {
            if (whole_back ? final_segment : (end_m <= next || final_segment)) {
                if (whole_back) {
                    push_distinct(out, at(i + 1));
                } else {
                    const double t = seg > 0.0 ? std::clamp((end_m - walked) / seg, 0.0, 1.0) : 1.0;
                    push_distinct(out, lerp(at(i), at(i + 1), t));
                }
                break;
            }
            push_distinct(out, at(i + 1));
        }
        walked = next;
    }
    if (out.empty()) {
        out.push_back(at(first));
    }
    if (out.size() == 1) {
        out.push_back(out.front());
    }
    return out;
}

// Douglas-Peucker in place: every dropped point lies within `tolerance` of the kept line.
void simplify(std::vector<XY>& line, double tolerance, std::vector<std::pair<std::size_t, std::size_t>>& stack,
              std::vector<char>& keep) {
    if (tolerance <= 0.0 || line.size() <= 2) {
        return;
    }
    keep.assign(line.size(), 0);
    keep.front() = 1;
    keep.back() = 1;
    stack.clear();
    stack.emplace_back(0, line.size() - 1);
    const double tol2 = tolerance * tolerance;
    while (!stack.empty()) {
        const auto [a, b] = stack.back();
        stack.pop_back();
        if (b <= a + 1) {
            continue;
        }
        const XY pa = line[a];
        const double dx = line[b].x_m - pa.x_m;
        const double dy = line[b].y_m - pa.y_m;
        const double len2 = dx * dx + dy * dy;
        double worst = -1.0;
        std::size_t worst_i = a;
        for (std::size_t i = a + 1; i < b; ++i) {
            const double px = line[i].x_m - pa.x_m;
            const double py = line[i].y_m - pa.y_m;
            double d2;
            if (len2 == 0.0) {
                d2 = px * px + py * py;
            } else {
                // Distance to the segment, not the infinite line, so the bound holds for spikes.
                const double t = std::clamp((px * dx + py * dy) / len2, 0.0, 1.0);
                const double ex = px - t * dx;
                const double ey = py - t * dy;
                d2 = ex * ex + ey * ey;
            }
            if (d2 > worst) {
                worst = d2;
                worst_i = i;
            }
        }
        if (worst > tol2) {
            keep[worst_i] = 1;
            stack.emplace_back(a, worst_i);
            stack.emplace_back(worst_i, b);
        }
    }
    std::size_t w = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (keep[i] != 0) {
            line[w++] = line[i];
        }
    }
    line.resize(w);
}

// ---- our types <-> GEOS -------------------------------------------------------------------

double snap(double v, double grid) noexcept { return std::round(v / grid) * grid; }

bool same(LonLat a, LonLat b) noexcept { return a.lon == b.lon && a.lat == b.lat; }
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
        if (r.points.empty() || !same(r.points.back(), p)) {
            r.points.push_back(p);
        }
    }
    return r;
}

// Canonical ring: orientation as asked, starting at its smallest point (lon, then lat), closed.
// Returns false for a degenerate ring (fewer than three distinct points).
bool canonical_ring(Ring& ring, bool counter_clockwise) {
    auto& p = ring.points;
    if (p.size() >= 2 && same(p.front(), p.back())) {
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
    std::vector<GEOSGeometry*> polys;
    polys.reserve(mp.size());
    try {
        for (const Polygon& p : mp) {
            GeomPtr shell = ring_to_geos(ctx, p.exterior);
            std::vector<GeomPtr> holes;
            for (const Ring& h : p.holes) {
                holes.push_back(ring_to_geos(ctx, h));
            }
            std::vector<GEOSGeometry*> raw;
            for (GeomPtr& h : holes) {
                raw.push_back(h.get());
            }
            GEOSGeometry* poly = GEOSGeom_createPolygon_r(ctx.handle(), shell.get(), raw.data(),
                                                          static_cast<unsigned int>(raw.size()));
            if (poly == nullptr) {
                ctx.fail("GEOSGeom_createPolygon");
            }
            // The polygon owns its rings now.
            (void)shell.release();
            for (GeomPtr& h : holes) {
                (void)h.release();
            }
            polys.push_back(poly);
        }
    } catch (...) {
        for (GEOSGeometry* g : polys) {
            GEOSGeom_destroy_r(ctx.handle(), g);
        }
        throw;
    }
    GEOSGeometry* multi = GEOSGeom_createCollection_r(ctx.handle(), GEOS_MULTIPOLYGON, polys.data(),
                                                      static_cast<unsigned int>(polys.size()));
    if (multi == nullptr) {
        for (GEOSGeometry* g : polys) {
            GEOSGeom_destroy_r(ctx.handle(), g);
        }
        ctx.fail("GEOSGeom_createCollection");
    }
    return ctx.own(multi, "GEOSGeom_createCollection");
}

// ---- area ---------------------------------------------------------------------------------

double ring_area_m2(const Ring& ring, const routing::LocalProjection& proj) {
    if (ring.points.size() < 4) {
        return 0.0;
    }
    const XY o = proj.forward(ring.points.front());
    double s = 0.0;
    XY prev{0.0, 0.0};
    for (std::size_t i = 1; i < ring.points.size(); ++i) {
        const XY q = proj.forward(ring.points[i]);
        const XY cur{q.x_m - o.x_m, q.y_m - o.y_m};
        s += prev.x_m * cur.y_m - cur.x_m * prev.y_m;
        prev = cur;
    }
    return std::abs(0.5 * s);
}

double polygon_area_m2(const Polygon& p, const routing::LocalProjection& proj) {
    double a = ring_area_m2(p.exterior, proj);
    for (const Ring& h : p.holes) {
        a -= ring_area_m2(h, proj);
    }
    return a;
}

routing::LocalProjection projection_for(const Ring& ring) {
    return routing::LocalProjection(ring.points.empty() ? LonLat{} : ring.points.front());
}

// ---- hole filling -------------------------------------------------------------------------

bool point_in_ring(LonLat p, const Ring& ring) noexcept {
    bool inside = false;
    const auto& r = ring.points;
    for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++) {
        if ((r[i].lat > p.lat) != (r[j].lat > p.lat)) {
            const double x = r[j].lon + (p.lat - r[j].lat) * (r[i].lon - r[j].lon) / (r[i].lat - r[j].lat);
            if (p.lon < x) {
                inside = !inside;
            }
        }
    }
    return inside;
}

// Removes holes under the threshold; parts that sat inside a removed hole are now covered by
// its polygon and are dropped so the parts stay disjoint.
void fill_small_holes(MultiPolygon& mp, double threshold_m2, const routing::LocalProjection& proj) {
    if (threshold_m2 <= 0.0) {
        return;
    }
    std::vector<Ring> filled;
    for (Polygon& p : mp) {
        auto keep_end = std::stable_partition(p.holes.begin(), p.holes.end(), [&](const Ring& h) {
            return ring_area_m2(h, proj) >= threshold_m2;
        });
        for (auto it = keep_end; it != p.holes.end(); ++it) {
            filled.push_back(std::move(*it));
        }
        p.holes.erase(keep_end, p.holes.end());
    }
    if (filled.empty() || mp.size() < 2) {
        return;
    }
    // Parts touch holes at most in points, so a vertex strictly inside a hole decides; test the
    // exterior's vertices until one is not on the hole boundary.
    std::erase_if(mp, [&](const Polygon& p) {
        for (const Ring& h : filled) {
            for (const LonLat& v : p.exterior.points) {
                const bool on_boundary = std::any_of(h.points.begin(), h.points.end(), [&](LonLat w) { return same(v, w); });
                if (!on_boundary) {
                    if (point_in_ring(v, h)) {
                        return true;
                    }
                    break;
                }
            }
        }
        return false;
    });
}

// ---- raster corridor ------------------------------------------------------------------------
//
// The exact corridor (all points within w of the reached lines) is sampled on a lattice of
// corners `cell` metres apart anchored at multiples of `cell` in the projection (so the same reach
// always gives the same lattice): each corner holds its exact distance to the nearest reached
// segment. Marching squares then trace the level set d = w, placing each vertex on a lattice edge
// by linear interpolation of the exact distances. Contours never touch or cross, exteriors come
// out counter-clockwise and holes clockwise.
struct RasterRing {
    std::vector<XY> points; // closed
    std::uint64_t first_edge = 0; // the smallest lattice edge the ring crosses; its first point lies there
    double signed_area = 0.0;
    double min_x = 0.0, min_y = 0.0, max_x = 0.0, max_y = 0.0;
};

bool point_in_xy_ring(XY p, const std::vector<XY>& r) noexcept {
    bool inside = false;
    for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++) {
        if ((r[i].y_m > p.y_m) != (r[j].y_m > p.y_m)) {
            const double x = r[j].x_m + (p.y_m - r[j].y_m) * (r[i].x_m - r[j].x_m) / (r[i].y_m - r[j].y_m);
            if (p.x_m < x) {
                inside = !inside;
            }
        }
    }
    return inside;
}

// Closed ring in, closed ring out: a vertex goes when it is within `tol` of the segment joining
// the previous kept vertex and the next vertex (greedy, one pass, O(n)).
std::vector<XY> drop_collinear(std::vector<XY> ring, double tol) {
    if (ring.size() <= 5) {
        return ring;
    }
    std::vector<XY> out;
    out.reserve(ring.size());
    out.push_back(ring[0]);
    for (std::size_t i = 1; i + 1 < ring.size(); ++i) {
        const XY a = out.back();
        const XY b = ring[i];
        const XY c = ring[i + 1];
        const double dx = c.x_m - a.x_m;
        const double dy = c.y_m - a.y_m;
        const double len = std::hypot(dx, dy);
        const double cross = std::abs((b.x_m - a.x_m) * dy - (b.y_m - a.y_m) * dx);
        const double along = (b.x_m - a.x_m) * dx + (b.y_m - a.y_m) * dy;
        if (len > 0.0 && cross <= tol * len && along > 0.0 && along < len * len) {
            continue;
        }
        out.push_back(b);
    }
    out.push_back(ring.back());
    return out.size() >= 4 ? out : ring;
}

// Buffers of raster_corridor kept per thread (up to 4 M corners, 20 MB): a 15-minute reach spans
// a lattice of one to two million corners, and fresh pages for it cost about as much as filling
// them.
// A contour piece across one lattice cell: from the lattice edge where it enters (and the point
// there) to the edge where it leaves.
struct ContourLink {
    std::uint64_t from = 0;
    std::uint64_t to = 0;
    XY p;
};

struct RasterScratch {
    std::vector<float> d2;
    std::vector<std::uint8_t> inside;
    std::vector<ContourLink> links;
    std::vector<char> used;
    std::vector<std::uint64_t> slot_edge; // open addressing: lattice edge -> link starting there
    std::vector<std::uint32_t> slot_link;
    std::vector<std::uint32_t> ring_links;
};

// One segment's squared distances, min-updated into its window of the lattice: columns i0..i1
// of the rows from j0 on, one row per entry of `py_of_row` (the row's y relative to the segment
// start). Single precision relative to the segment start (|offsets| < a few hundred metres, so
// about 1e-5 m resolution) in a branch-free loop the compiler vectorises. On x86-64 it is compiled
// twice, for AVX2 and for the baseline, and picked at load time: the same IEEE single-precision
// operations (AVX2 alone brings no fused multiply-add), only twice the lanes, so both give the
// same bits.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define YIKE_STAMP_CLONES [[gnu::target_clones("avx2", "default")]]
#else
#define YIKE_STAMP_CLONES
#endif
// The column terms (px, px * dx) are the same in every row and are formed once per segment in
// `columns` (room for 2 * (i1 - i0 + 1) floats).
YIKE_STAMP_CLONES void stamp_window(float* d2, std::size_t nx, std::size_t i0, std::size_t i1, std::size_t j0,
                                    const std::vector<float>& py_of_row, float* columns, float px0, float dx, float dy,
                                    float inv, float fcell) {
    const int n = static_cast<int>(i1 + 1 - i0);
    float* const col_px = columns;
    float* const col_pxdx = columns + n;
    for (int i = 0; i < n; ++i) {
        const float px = px0 + static_cast<float>(i) * fcell;
        col_px[i] = px;
        col_pxdx[i] = px * dx;
    }
    for (std::size_t r = 0; r < py_of_row.size(); ++r) {
        const float py = py_of_row[r];
        const float pydy = py * dy;
        float* row = d2 + (j0 + r) * nx + i0;
        for (int i = 0; i < n; ++i) {
            const float px = col_px[i];
            const float t = std::max(0.0F, std::min(1.0F, (col_pxdx[i] + pydy) * inv));
            const float ex = px - t * dx;
            const float ey = py - t * dy;
            row[i] = std::min(row[i], ex * ex + ey * ey);
        }
    }
}

// Polygons (exterior, holes) in projected metres.
std::vector<std::vector<std::vector<XY>>> raster_corridor(const std::vector<std::vector<XY>>& lines, double w, double cell) {
    const detail::XYBox box = detail::bounds_of(lines);
    if (box.empty()) {
        return {};
    }
    const double min_x = box.min_x;
    const double min_y = box.min_y;
    const double max_x = box.max_x;
    const double max_y = box.max_y;
    // Spare cells beyond the corridor keep the lattice border outside.
    const double x0 = (std::floor((min_x - w) / cell) - 3.0) * cell;
    const double y0 = (std::floor((min_y - w) / cell) - 3.0) * cell;
    const auto nx = static_cast<std::size_t>(std::ceil((max_x + w - x0) / cell)) + 4;
    const auto ny = static_cast<std::size_t>(std::ceil((max_y + w - y0) / cell)) + 4;
    const double far = 4.0 * w * w;
    thread_local RasterScratch scratch;
    std::vector<float>& d2 = scratch.d2;
    d2.assign(nx * ny, static_cast<float>(far));
    std::vector<float> row_py;
    std::vector<float> columns;
    const double w2 = w * w;
    auto corner_x = [&](std::size_t i) { return x0 + static_cast<double>(i) * cell; };
    auto corner_y = [&](std::size_t j) { return y0 + static_cast<double>(j) * cell; };
    auto stamp = [&](XY a, XY b) {
        // Corners up to w + cell away need exact distances too: they are the outer ends of the
        // lattice edges that the boundary crosses.
        const double reach = w + cell;
        const double lo_x = std::min(a.x_m, b.x_m) - reach;
        const double hi_x = std::max(a.x_m, b.x_m) + reach;
        const double lo_y = std::min(a.y_m, b.y_m) - reach;
        const double hi_y = std::max(a.y_m, b.y_m) + reach;
        const auto i0 = static_cast<std::size_t>(std::ceil((lo_x - x0) / cell));
        const auto i1 = static_cast<std::size_t>(std::floor((hi_x - x0) / cell));
        const auto j0 = static_cast<std::size_t>(std::ceil((lo_y - y0) / cell));
        const auto j1 = static_cast<std::size_t>(std::floor((hi_y - y0) / cell));
        const float dx = static_cast<float>(b.x_m - a.x_m);
        const float dy = static_cast<float>(b.y_m - a.y_m);
        const float len2 = dx * dx + dy * dy;
        const float inv = len2 > 0.0F ? 1.0F / len2 : 0.0F;
        row_py.resize(j1 - j0 + 1);
        for (std::size_t j = j0; j <= j1; ++j) {
            row_py[j - j0] = static_cast<float>(corner_y(j) - a.y_m);
        }
        columns.resize(2 * (i1 - i0 + 1));
        stamp_window(d2.data(), nx, i0, i1, j0, row_py, columns.data(), static_cast<float>(corner_x(i0) - a.x_m), dx, dy, inv,
                     static_cast<float>(cell));
    };
    for (const auto& l : lines) {
        if (l.size() == 1) {
            stamp(l[0], l[0]);
        }
        for (std::size_t k = 0; k + 1 < l.size(); ++k) {
            stamp(l[k], l[k + 1]);
        }
    }
    std::vector<std::uint8_t>& in = scratch.inside;
    in.resize(nx * ny);
    {
        const auto w2f = static_cast<float>(w2);
        const float* src = d2.data();
        std::uint8_t* dst = in.data();
        const std::size_t n = nx * ny;
        for (std::size_t k = 0; k < n; ++k) {
            dst[k] = src[k] <= w2f ? 1 : 0;
        }
    }
    auto dist = [&](std::size_t i, std::size_t j) { return std::sqrt(static_cast<double>(d2[j * nx + i])); };
    // Lattice edges: horizontal (i,j)-(i+1,j) is 2*(j*nx+i), vertical (i,j)-(i,j+1) is 2*(j*nx+i)+1.
    auto h_edge = [&](std::size_t i, std::size_t j) { return static_cast<std::uint64_t>(2 * (j * nx + i)); };
    auto v_edge = [&](std::size_t i, std::size_t j) { return static_cast<std::uint64_t>(2 * (j * nx + i) + 1); };
    struct Edge {
        std::uint64_t id;
        std::size_t i, j;
        bool vertical;
    };
    auto crossing = [&](const Edge& e) {
        const std::size_t i = e.i;
        const std::size_t j = e.j;
        const bool vertical = e.vertical;
        const std::size_t i2 = vertical ? i : i + 1;
        const std::size_t j2 = vertical ? j + 1 : j;
        const double da = dist(i, j);
        const double db = dist(i2, j2);
        // Kept off the corners so that contours of neighbouring cells never share a point.
        const double t = std::clamp((w - da) / (db - da), 1e-3, 1.0 - 1e-3);
        return vertical ? XY{corner_x(i), corner_y(j) + t * cell} : XY{corner_x(i) + t * cell, corner_y(j)};
    };
    // Contour pieces oriented with the inside on their left: from the edge where the boundary
    // leaves an inside corner (counter-clockwise around the cell) to the edge where it enters one.
    std::vector<ContourLink>& links = scratch.links;
    links.clear();
    auto link = [&](const Edge& from, const Edge& to) { links.push_back({from.id, to.id, crossing(from)}); };
    for (std::size_t j = 0; j + 1 < ny; ++j) {
        const std::uint8_t* lo_row = in.data() + j * nx;
        const std::uint8_t* hi_row = lo_row + nx;
        for (std::size_t i = 0; i + 1 < nx; ++i) {
            // Most cells lie wholly inside or outside: skip eight at a time when the nine corner
            // columns agree in both rows.
            if (i + 9 <= nx) {
                std::uint64_t a = 0;
                std::uint64_t a1 = 0;
                std::uint64_t b = 0;
                std::uint64_t b1 = 0;
                std::memcpy(&a, lo_row + i, 8);
                std::memcpy(&a1, lo_row + i + 1, 8);
                std::memcpy(&b, hi_row + i, 8);
                std::memcpy(&b1, hi_row + i + 1, 8);
                if (a == a1 && a == b && a1 == b1) {
                    i += 7;
                    continue;
                }
            }
            const unsigned c = static_cast<unsigned>(lo_row[i]) | static_cast<unsigned>(lo_row[i + 1]) << 1U |
                               static_cast<unsigned>(hi_row[i + 1]) << 2U | static_cast<unsigned>(hi_row[i]) << 3U;
            if (c == 0 || c == 15) {
                continue;
            }
            const Edge B{h_edge(i, j), i, j, false};
            const Edge R{v_edge(i + 1, j), i + 1, j, true};
            const Edge T{h_edge(i, j + 1), i, j + 1, false};
            const Edge L{v_edge(i, j), i, j, true};
            // Only saddles need the centre.
            auto centre = [&] { return 0.25 * (dist(i, j) + dist(i + 1, j) + dist(i + 1, j + 1) + dist(i, j + 1)); };
            switch (c) {
            case 1: link(B, L); break;
            case 2: link(R, B); break;
            case 3: link(R, L); break;
            case 4: link(T, R); break;
            case 5:
                if (centre() <= w) {
                    link(B, R);
                    link(T, L);
                } else {
                    link(B, L);
                    link(T, R);
                }
                break;
            case 6: link(T, B); break;
            case 7: link(T, L); break;
            case 8: link(L, T); break;
            case 9: link(B, T); break;
            case 10:
                if (centre() <= w) {
                    link(R, T);
                    link(L, B);
                } else {
                    link(R, B);
                    link(L, T);
                }
                break;
            case 11: link(R, T); break;
            case 12: link(L, R); break;
            case 13: link(B, R); break;
            case 14: link(L, B); break;
            default: break;
            }
        }
    }
    // Each crossed lattice edge starts exactly one piece: index the pieces by it.
    std::size_t slots = 16;
    while (slots < 2 * links.size()) {
        slots *= 2;
    }
    const int shift = 64 - std::countr_zero(slots);
    constexpr std::uint64_t empty = std::numeric_limits<std::uint64_t>::max();
    std::vector<std::uint64_t>& slot_edge = scratch.slot_edge;
    std::vector<std::uint32_t>& slot_link = scratch.slot_link;
    slot_edge.assign(slots, empty);
    slot_link.resize(slots);
    auto slot_of = [&](std::uint64_t e) { return static_cast<std::size_t>((e * 0x9E3779B97F4A7C15ULL) >> shift); };
    for (std::size_t k = 0; k < links.size(); ++k) {
        std::size_t s = slot_of(links[k].from);
        while (slot_edge[s] != empty) {
            YIKE_ASSERT(slot_edge[s] != links[k].from);
            s = (s + 1) & (slots - 1);
        }
        slot_edge[s] = links[k].from;
        slot_link[s] = static_cast<std::uint32_t>(k);
    }
    auto find = [&](std::uint64_t from) {
        std::size_t s = slot_of(from);
        while (slot_edge[s] != from) {
            YIKE_ASSERT(slot_edge[s] != empty);
            s = (s + 1) & (slots - 1);
        }
        return static_cast<std::size_t>(slot_link[s]);
    };
    std::vector<char>& used = scratch.used;
    used.assign(links.size(), 0);
    std::vector<std::uint32_t>& ring_links = scratch.ring_links;
    std::vector<RasterRing> rings;
    for (std::size_t s = 0; s < links.size(); ++s) {
        if (used[s] != 0) {
            continue;
        }
        ring_links.clear();
        std::size_t k = s;
        std::size_t start = 0;
        while (used[k] == 0) {
            used[k] = 1;
            if (links[k].from < links[ring_links.empty() ? k : ring_links[start]].from) {
                start = ring_links.size();
            }
            ring_links.push_back(static_cast<std::uint32_t>(k));
            k = find(links[k].to);
        }
        // Each ring starts at its smallest lattice edge, and rings come in that order, so the
        // output does not depend on the order the cells were visited in.
        RasterRing r;
        r.first_edge = links[ring_links[start]].from;
        r.points.reserve(ring_links.size() + 1);
        for (std::size_t q = 0; q < ring_links.size(); ++q) {
            r.points.push_back(links[ring_links[(start + q) % ring_links.size()]].p);
        }
        r.points.push_back(r.points.front());
        // Along straight corridor sides the crossings are collinear: drop those that lie within
        // 1 mm of the line through their neighbours (the ring keeps its shape to 1 mm, far below
        // the output grid, and contours are further apart than that).
        r.points = drop_collinear(std::move(r.points), 1e-3);
        r.min_x = r.max_x = r.points[0].x_m;
        r.min_y = r.max_y = r.points[0].y_m;
        double a = 0.0;
        const XY o = r.points[0];
        for (std::size_t q = 1; q < r.points.size(); ++q) {
            const XY p = r.points[q];
            r.min_x = std::min(r.min_x, p.x_m);
            r.max_x = std::max(r.max_x, p.x_m);
            r.min_y = std::min(r.min_y, p.y_m);
            r.max_y = std::max(r.max_y, p.y_m);
            if (q + 1 < r.points.size()) {
                a += (p.x_m - o.x_m) * (r.points[q + 1].y_m - o.y_m) - (r.points[q + 1].x_m - o.x_m) * (p.y_m - o.y_m);
            }
        }
        r.signed_area = 0.5 * a;
        rings.push_back(std::move(r));
    }
    std::sort(rings.begin(), rings.end(), [](const RasterRing& a, const RasterRing& b) { return a.first_edge < b.first_edge; });
    std::vector<std::size_t> exteriors;
    for (std::size_t k = 0; k < rings.size(); ++k) {
        if (rings[k].signed_area > 0.0) {
            exteriors.push_back(k);
        }
    }
    std::vector<std::vector<std::vector<XY>>> polys(exteriors.size());
    for (std::size_t e = 0; e < exteriors.size(); ++e) {
        polys[e].push_back(rings[exteriors[e]].points);
    }
    std::vector<std::size_t> candidates;
    for (std::size_t k = 0; k < rings.size(); ++k) {
        const RasterRing& hole = rings[k];
        if (hole.signed_area >= 0.0) {
            continue;
        }
        // The owner is the smallest exterior around the hole (islands inside holes are exteriors too).
        // Its owner's box holds it, so when only one box does, that is the owner (no ring test).
        candidates.clear();
        for (std::size_t e = 0; e < exteriors.size(); ++e) {
            const RasterRing& ex = rings[exteriors[e]];
            if (ex.min_x <= hole.min_x && ex.min_y <= hole.min_y && ex.max_x >= hole.max_x && ex.max_y >= hole.max_y) {
                candidates.push_back(e);
            }
        }
        std::size_t best = exteriors.size();
        if (candidates.size() == 1) {
            best = candidates[0];
        } else {
            for (const std::size_t e : candidates) {
                const RasterRing& ex = rings[exteriors[e]];
                if (point_in_xy_ring(hole.points[0], ex.points) &&
                    (best == exteriors.size() || ex.signed_area < rings[exteriors[best]].signed_area)) {
                    best = e;
                }
            }
        }
        YIKE_ASSERT(best != exteriors.size());
        polys[best].push_back(hole.points);
    }
    if (d2.capacity() > (std::size_t{1} << 22)) {
        // A reach wider than ~4 km x 4 km (4 M corners, 20 MB): do not hold its lattice for the
        // thread's life. A 15-minute walk needs under 2 M corners.
        scratch = RasterScratch{};
    }
    return polys;
}

// ---- corridor building --------------------------------------------------------------------

struct Builder {
    const routing::WalkGraph& graph;
    const IsochroneOptions& options;
    GeosContext ctx;
    std::vector<std::pair<std::size_t, std::size_t>> dp_stack;
    std::vector<char> dp_keep;

    Builder(const routing::WalkGraph& g, const IsochroneOptions& o) : graph(g), options(o) {}

    std::vector<std::vector<XY>> reached_lines(std::span<const routing::ReachedSpan> spans) {
        std::vector<std::vector<XY>> lines;
        lines.reserve(spans.size());
        for (const routing::ReachedSpan& s : spans) {
            std::vector<XY> line = span_polyline_xy(graph, s);
            simplify(line, options.simplify_m, dp_stack, dp_keep);
            if (std::all_of(line.begin(), line.end(), [&](XY p) { return equal_point(p, line.front()); })) {
                line.resize(1);
            }
            lines.push_back(std::move(line));
        }
        return lines;
    }

    // Corridor of the spans, in lon/lat but not yet on the output grid.
    GeomPtr corridor(std::span<const routing::ReachedSpan> spans) {
        const std::vector<std::vector<XY>> lines = reached_lines(spans);
        GeomPtr xy = use_raster(lines) ? raster_geometry(lines) : buffered_geometry(lines);
        if (options.barriers != nullptr) {
            xy = detail::clip_at_barriers(ctx, std::move(xy), lines, *options.barriers, graph.projection, options.buffer_m);
        }
        return ctx.own(GEOSGeom_transformXY_r(ctx.handle(), xy.get(), &Builder::to_lonlat,
                                              const_cast<routing::LocalProjection*>(&graph.projection)),
                       "GEOSGeom_transformXY");
    }

    // The lattice costs 5 bytes per corner over the reach's bounding box (distance and inside
    // flag): beyond ~320 MB (a reach whose bounding box exceeds ~16 km x 16 km at 2 m) the slower
    // but compact GEOS buffer is used.
    bool use_raster(const std::vector<std::vector<XY>>& lines) const {
        if (options.raster_cell_m <= 0.0) {
            return false;
        }
        const detail::XYBox box = detail::bounds_of(lines);
        const double min_x = box.min_x;
        const double min_y = box.min_y;
        const double max_x = box.max_x;
        const double max_y = box.max_y;
        const double pad = 2.0 * options.buffer_m + 8.0 * options.raster_cell_m;
        const double corners = (max_x - min_x + pad) / options.raster_cell_m * ((max_y - min_y + pad) / options.raster_cell_m);
        return !(corners > 64e6);
    }

    GeomPtr make_ring(const std::vector<XY>& pts) {
        std::vector<double> xy;
        xy.reserve(2 * pts.size());
        for (const XY& p : pts) {
            xy.push_back(p.x_m);
            xy.push_back(p.y_m);
        }
        auto seq = ctx.own(GEOSCoordSeq_copyFromBuffer_r(ctx.handle(), xy.data(), static_cast<unsigned int>(pts.size()), 0, 0),
                           "GEOSCoordSeq_copyFromBuffer");
        return ctx.own(GEOSGeom_createLinearRing_r(ctx.handle(), seq.release()), "GEOSGeom_createLinearRing");
    }

    GeomPtr raster_geometry(const std::vector<std::vector<XY>>& lines) {
        const GEOSContextHandle_t h = ctx.handle();
        const auto polys = raster_corridor(lines, options.buffer_m, options.raster_cell_m);
        std::vector<GEOSGeometry*> out;
        auto destroy = [&] {
            for (GEOSGeometry* g : out) {
                GEOSGeom_destroy_r(h, g);
            }
        };
        try {
            for (const auto& rings : polys) {
                GeomPtr shell = make_ring(rings[0]);
                std::vector<GeomPtr> holes;
                std::vector<GEOSGeometry*> raw;
                for (std::size_t k = 1; k < rings.size(); ++k) {
                    holes.push_back(make_ring(rings[k]));
                    raw.push_back(holes.back().get());
                }
                GEOSGeometry* poly = GEOSGeom_createPolygon_r(h, shell.get(), raw.data(), static_cast<unsigned int>(raw.size()));
                if (poly == nullptr) {
                    ctx.fail("GEOSGeom_createPolygon");
                }
                (void)shell.release();
                for (GeomPtr& g : holes) {
                    (void)g.release();
                }
                out.push_back(poly);
            }
        } catch (...) {
            destroy();
            throw;
        }
        GEOSGeometry* multi = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, out.data(), static_cast<unsigned int>(out.size()));
        if (multi == nullptr) {
            destroy();
            ctx.fail("GEOSGeom_createCollection");
        }
        return ctx.own(multi, "GEOSGeom_createCollection");
    }

    GeomPtr buffered_geometry(const std::vector<std::vector<XY>>& lines) {
        const GEOSContextHandle_t h = ctx.handle();
        std::vector<GEOSGeometry*> parts;
        parts.reserve(lines.size());
        auto destroy_parts = [&] {
            for (GEOSGeometry* g : parts) {
                GEOSGeom_destroy_r(h, g);
            }
        };
        std::vector<double> xy;
        bool any_point = false;
        try {
            for (const std::vector<XY>& line : lines) {
                const bool is_point = line.size() == 1;
                xy.clear();
                for (const XY& p : line) {
                    xy.push_back(p.x_m);
                    xy.push_back(p.y_m);
                }
                auto seq = ctx.own(GEOSCoordSeq_copyFromBuffer_r(h, xy.data(), static_cast<unsigned int>(line.size()), 0, 0),
                                   "GEOSCoordSeq_copyFromBuffer");
                GEOSGeometry* g = is_point ? GEOSGeom_createPoint_r(h, seq.release())
                                           : GEOSGeom_createLineString_r(h, seq.release());
                if (g == nullptr) {
                    ctx.fail("GEOSGeom_createLineString");
                }
                any_point = any_point || is_point;
                parts.push_back(g);
            }
        } catch (...) {
            destroy_parts();
            throw;
        }
        GEOSGeometry* coll = GEOSGeom_createCollection_r(h, any_point ? GEOS_GEOMETRYCOLLECTION : GEOS_MULTILINESTRING,
                                                         parts.data(), static_cast<unsigned int>(parts.size()));
        if (coll == nullptr) {
            destroy_parts();
            ctx.fail("GEOSGeom_createCollection");
        }
        GeomPtr multi = ctx.own(coll, "GEOSGeom_createCollection");
        auto params = ctx.own(GEOSBufferParams_create_r(h), "GEOSBufferParams_create");
        ctx.check(GEOSBufferParams_setEndCapStyle_r(h, params.get(), GEOSBUF_CAP_ROUND), "GEOSBufferParams_setEndCapStyle");
        ctx.check(GEOSBufferParams_setJoinStyle_r(h, params.get(), GEOSBUF_JOIN_ROUND), "GEOSBufferParams_setJoinStyle");
        ctx.check(GEOSBufferParams_setQuadrantSegments_r(h, params.get(), options.quadrant_segments),
                  "GEOSBufferParams_setQuadrantSegments");
        return ctx.own(GEOSBufferWithParams_r(h, multi.get(), params.get(), options.buffer_m), "GEOSBuffer");
    }

    static int to_lonlat(double* x, double* y, void* userdata) {
        const auto* proj = static_cast<const routing::LocalProjection*>(userdata);
        const LonLat p = proj->inverse({*x, *y});
        *x = p.lon;
        *y = p.lat;
        return 1;
    }

    MultiPolygon to_multipolygon(const GEOSGeometry* g) {
        MultiPolygon mp;
        collect_polygons(ctx, g, options.precision_deg, mp);
        return mp;
    }

    GeomPtr sorted_corridor(std::span<const routing::ReachedSpan> spans) {
        // The same reach given in another order gives the same polygon.
        std::vector<routing::ReachedSpan> sorted(spans.begin(), spans.end());
        std::sort(sorted.begin(), sorted.end(), [](const routing::ReachedSpan& a, const routing::ReachedSpan& b) {
            return std::tie(a.edge, a.begin_cm, a.end_cm) < std::tie(b.edge, b.begin_cm, b.end_cm);
        });
        return corridor(sorted);
    }

    MultiPolygon finish(const GEOSGeometry* g) {
        MultiPolygon mp = to_multipolygon(g);
        fill_small_holes(mp, options.fill_holes_below_m2, graph.projection);
        sort_canonically(mp);
        return mp;
    }

    // One band: the corridor of `spans` on the output grid.
    MultiPolygon single_band(std::span<const routing::ReachedSpan> spans) {
        if (spans.empty()) {
            return {};
        }
        GeomPtr c = sorted_corridor(spans);
        GeomPtr u = ctx.own(GEOSUnaryUnionPrec_r(ctx.handle(), c.get(), options.precision_deg), "GEOSUnaryUnionPrec");
        return finish(u.get());
    }

    // Nested bands that share their boundaries exactly. Overlaying band k-1 with corridor k on a
    // fixed grid would let snap rounding bend band k-1's edges by up to half a grid cell, so
    // band k would not always cover band k-1. Instead, the boundaries of all corridors are noded
    // together on the grid once, the faces of that arrangement are labelled with the first band
    // whose corridor holds them, and band k is the union of the faces labelled <= k: the bands
    // are made of the same faces and nest exactly.
    std::vector<MultiPolygon> nested_bands(std::span<const std::vector<routing::ReachedSpan>> spans_per_band) {
        const GEOSContextHandle_t h = ctx.handle();
        const std::size_t n = spans_per_band.size();
        std::vector<MultiPolygon> bands(n);
        if (n == 1) {
            bands[0] = single_band(spans_per_band[0]);
            return bands;
        }
        std::vector<GeomPtr> corridors(n);
        std::vector<GEOSGeometry*> boundaries;
        std::vector<GeomPtr> boundary_owner;
        for (std::size_t k = 0; k < n; ++k) {
            if (spans_per_band[k].empty()) {
                continue;
            }
            corridors[k] = sorted_corridor(spans_per_band[k]);
            boundary_owner.push_back(ctx.own(GEOSBoundary_r(h, corridors[k].get()), "GEOSBoundary"));
        }
        if (boundary_owner.empty()) {
            return bands;
        }
        for (GeomPtr& b : boundary_owner) {
            boundaries.push_back(b.release());
        }
        GEOSGeometry* coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, boundaries.data(),
                                                         static_cast<unsigned int>(boundaries.size()));
        if (coll == nullptr) {
            for (GEOSGeometry* b : boundaries) {
                GEOSGeom_destroy_r(h, b);
            }
            ctx.fail("GEOSGeom_createCollection");
        }
        GeomPtr all_lines = ctx.own(coll, "GEOSGeom_createCollection");
        GeomPtr noded = ctx.own(GEOSUnaryUnionPrec_r(h, all_lines.get(), options.precision_deg), "GEOSUnaryUnionPrec");
        const GEOSGeometry* noded_raw = noded.get();
        GeomPtr faces = ctx.own(GEOSPolygonize_r(h, &noded_raw, 1), "GEOSPolygonize");

        std::vector<detail::PreparedPtr> prepared(n);
        for (std::size_t k = 0; k < n; ++k) {
            if (corridors[k]) {
                prepared[k] = ctx.own(GEOSPrepare_r(h, corridors[k].get()), "GEOSPrepare");
            }
        }
        const int face_count = GEOSGetNumGeometries_r(h, faces.get());
        std::vector<std::size_t> label(static_cast<std::size_t>(std::max(face_count, 0)), n);
        for (int f = 0; f < face_count; ++f) {
            const GEOSGeometry* face = GEOSGetGeometryN_r(h, faces.get(), f);
            GeomPtr inside = ctx.own(GEOSPointOnSurface_r(h, face), "GEOSPointOnSurface");
            for (std::size_t k = 0; k < n; ++k) {
                if (prepared[k] && ctx.check(GEOSPreparedIntersects_r(h, prepared[k].get(), inside.get()),
                                             "GEOSPreparedIntersects")) {
                    label[static_cast<std::size_t>(f)] = k;
                    break;
                }
            }
        }
        for (std::size_t k = 0; k < n; ++k) {
            std::vector<GEOSGeometry*> mine;
            try {
                for (int f = 0; f < face_count; ++f) {
                    if (label[static_cast<std::size_t>(f)] <= k) {
                        mine.push_back(ctx.own(GEOSGeom_clone_r(h, GEOSGetGeometryN_r(h, faces.get(), f)), "GEOSGeom_clone")
                                           .release());
                    }
                }
            } catch (...) {
                for (GEOSGeometry* g : mine) {
                    GEOSGeom_destroy_r(h, g);
                }
                throw;
            }
            if (mine.empty()) {
                continue;
            }
            GEOSGeometry* fc = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, mine.data(),
                                                           static_cast<unsigned int>(mine.size()));
            if (fc == nullptr) {
                for (GEOSGeometry* g : mine) {
                    GEOSGeom_destroy_r(h, g);
                }
                ctx.fail("GEOSGeom_createCollection");
            }
            GeomPtr face_set = ctx.own(fc, "GEOSGeom_createCollection");
            // Faces of a polygonized, snap-rounded arrangement form an exact coverage.
            GeomPtr u = ctx.own(GEOSCoverageUnion_r(h, face_set.get()), "GEOSCoverageUnion");
            bands[k] = finish(u.get());
        }
        return bands;
    }

    MultiPolygon difference(const MultiPolygon& outer, const MultiPolygon& inner) {
        if (inner.empty()) {
            return outer;
        }
        GeomPtr a = to_geos(ctx, outer);
        GeomPtr b = to_geos(ctx, inner);
        GeomPtr d = ctx.own(GEOSDifferencePrec_r(ctx.handle(), a.get(), b.get(), options.precision_deg),
                            "GEOSDifferencePrec");
        MultiPolygon mp = to_multipolygon(d.get());
        sort_canonically(mp);
        return mp;
    }
};

double reached_length_m(std::span<const routing::ReachedSpan> spans) noexcept {
    std::uint64_t cm = 0;
    for (const routing::ReachedSpan& s : spans) {
        cm += s.end_cm - s.begin_cm;
    }
    return static_cast<double>(cm) / 100.0;
}

} // namespace

// ---- public -------------------------------------------------------------------------------

double area_m2(const Ring& ring) { return ring_area_m2(ring, projection_for(ring)); }

double area_m2(const Polygon& polygon) { return polygon_area_m2(polygon, projection_for(polygon.exterior)); }

double area_m2(const MultiPolygon& polygons) {
    if (polygons.empty()) {
        return 0.0;
    }
    const routing::LocalProjection proj = projection_for(polygons.front().exterior);
    double a = 0.0;
    for (const Polygon& p : polygons) {
        a += polygon_area_m2(p, proj);
    }
    return a;
}

void validate(const IsochroneOptions& o) {
    auto bad = [](const std::string& what) { throw config_error("isochrone options: " + what); };
    if (!std::isfinite(o.buffer_m) || o.buffer_m <= 0.0 || o.buffer_m > 1000.0) {
        bad("buffer width must be in (0, 1000] m, got " + std::to_string(o.buffer_m));
    }
    if (!std::isfinite(o.fill_holes_below_m2) || o.fill_holes_below_m2 < 0.0) {
        bad("fill-holes threshold must be >= 0 m2, got " + std::to_string(o.fill_holes_below_m2));
    }
    if (!std::isfinite(o.simplify_m) || o.simplify_m < 0.0 || o.simplify_m >= 0.5 * o.buffer_m) {
        bad("simplification must be in [0, buffer/2) m, got " + std::to_string(o.simplify_m));
    }
    if (!std::isfinite(o.raster_cell_m) || o.raster_cell_m < 0.0 ||
        o.raster_cell_m * std::numbers::sqrt2 + o.simplify_m >= o.buffer_m) {
        bad("raster cell must be 0 (vector buffer) or positive with cell * sqrt(2) + simplification below the "
            "buffer width, got " + std::to_string(o.raster_cell_m));
    }
    if (o.quadrant_segments < 1 || o.quadrant_segments > 64) {
        bad("quadrant segments must be in [1, 64], got " + std::to_string(o.quadrant_segments));
    }
    if (!std::isfinite(o.precision_deg) || o.precision_deg <= 0.0 || o.precision_deg > 1e-4) {
        bad("precision must be in (0, 1e-4] degrees, got " + std::to_string(o.precision_deg));
    }
}

std::vector<LonLat> span_polyline(const routing::WalkGraph& graph, const routing::ReachedSpan& span) {
    return cut_edge<LonLat>(graph, span, [&](std::uint32_t i) { return point_lonlat(graph, i); });
}

std::vector<XY> span_polyline_xy(const routing::WalkGraph& graph, const routing::ReachedSpan& span) {
    return cut_edge<XY>(graph, span, [&](std::uint32_t i) { return point_xy(graph, i); });
}

MultiPolygon polygon_from_spans(const routing::WalkGraph& graph, std::span<const routing::ReachedSpan> spans,
                                const IsochroneOptions& options) {
    validate(options);
    Builder b(graph, options);
    return b.single_band(spans);
}

std::vector<MultiPolygon> bands_from_spans(const routing::WalkGraph& graph,
                                           std::span<const std::vector<routing::ReachedSpan>> spans_per_band,
                                           const IsochroneOptions& options) {
    validate(options);
    if (spans_per_band.empty()) {
        return {};
    }
    Builder b(graph, options);
    std::vector<MultiPolygon> nested = b.nested_bands(spans_per_band);
    if (!options.disjoint_bands) {
        return nested;
    }
    std::vector<MultiPolygon> rings(nested.size());
    rings[0] = nested[0];
    for (std::size_t k = 1; k < nested.size(); ++k) {
        rings[k] = b.difference(nested[k], nested[k - 1]);
    }
    return rings;
}

std::vector<IsochroneBand> build_isochrones(routing::BoundedSearch& search, std::span<const routing::Origin> origins,
                                            std::span<const routing::Cost> budgets_ascending, routing::Metric metric,
                                            const IsochroneOptions& options) {
    validate(options);
    for (std::size_t i = 1; i < budgets_ascending.size(); ++i) {
        if (budgets_ascending[i] <= budgets_ascending[i - 1]) {
            throw config_error("isochrone budgets must be strictly ascending");
        }
    }
    std::vector<std::vector<routing::ReachedSpan>> spans(budgets_ascending.size());
    for (std::size_t k = 0; k < budgets_ascending.size(); ++k) {
        search.run(origins, budgets_ascending[k], metric, options.direction);
        spans[k] = routing::reached_spans(search);
    }
    std::vector<MultiPolygon> polygons = bands_from_spans(search.graph(), spans, options);
    std::vector<IsochroneBand> bands(budgets_ascending.size());
    for (std::size_t k = 0; k < bands.size(); ++k) {
        bands[k].budget = budgets_ascending[k];
        bands[k].reached_length_m = reached_length_m(spans[k]);
        bands[k].polygon = std::move(polygons[k]);
        bands[k].area_m2 = area_m2(bands[k].polygon);
    }
    return bands;
}

MultiPolygon reach_outline(const routing::WalkGraph& graph, std::span<const routing::ReachedSpan> spans,
                          const ReachOutlineOptions& options) {
    if (spans.empty()) {
        return {};
    }
    // The same reach given in another order gives the same outline.
    std::vector<routing::ReachedSpan> sorted(spans.begin(), spans.end());
    std::sort(sorted.begin(), sorted.end(), [](const routing::ReachedSpan& a, const routing::ReachedSpan& b) {
        return std::tie(a.edge, a.begin_cm, a.end_cm) < std::tie(b.edge, b.begin_cm, b.end_cm);
    });
    std::vector<std::pair<std::size_t, std::size_t>> stack;
    std::vector<char> keep;
    std::vector<std::vector<XY>> lines;
    lines.reserve(sorted.size());
    detail::XYBox box;
    for (const routing::ReachedSpan& s : sorted) {
        std::vector<XY> line = span_polyline_xy(graph, s);
        simplify(line, options.simplify_m, stack, keep);
        box.add(line);
        lines.push_back(std::move(line));
    }
    const double min_x = box.min_x;
    const double min_y = box.min_y;
    const double max_x = box.max_x;
    const double max_y = box.max_y;
    // The spacing that keeps the lattice within max_corners, in steps of min_cell_m so that nearby
    // extents share a spacing; never so coarse that the traced contour could leave the corridor's
    // core (raster_corridor needs cell * sqrt(2) + simplification below the width).
    const double pad = 2.0 * options.buffer_m + 16.0 * options.min_cell_m;
    const double area = (max_x - min_x + pad) * (max_y - min_y + pad);
    double cell = options.min_cell_m;
    if (area / (cell * cell) > static_cast<double>(options.max_corners)) {
        cell = std::ceil(std::sqrt(area / static_cast<double>(options.max_corners)) / options.min_cell_m) * options.min_cell_m;
    }
    const double widest = 0.95 * (options.buffer_m - options.simplify_m) / std::numbers::sqrt2;
    cell = std::min(cell, widest);
    const auto polys = raster_corridor(lines, options.buffer_m, cell);
    MultiPolygon mp;
    mp.reserve(polys.size());
    auto ring_of = [&](const std::vector<XY>& pts) {
        Ring r;
        r.points.reserve(pts.size());
        for (const XY& p : pts) {
            r.points.push_back(graph.projection.inverse(p));
        }
        return r;
    };
    for (const auto& rings : polys) {
        Polygon p;
        p.exterior = ring_of(rings[0]);
        for (std::size_t k = 1; k < rings.size(); ++k) {
            p.holes.push_back(ring_of(rings[k]));
        }
        mp.push_back(std::move(p));
    }
    fill_small_holes(mp, options.fill_holes_below_m2, graph.projection);
    return mp;
}

} // namespace yike::engine
