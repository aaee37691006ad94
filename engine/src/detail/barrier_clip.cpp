// Cutting an isochrone corridor at barrier lines.
//
// The barrier segments near the reached network are intersected with the corridor, noded with
// its boundary and polygonized: the faces are the corridor's pieces between barriers (plus the
// corridor's holes, which hold no network). A face is kept when part of a reached line lies in
// it. To know which, every reached line is split where it touches a barrier segment; a piece of
// line between two such points crosses no barrier and cannot leave the corridor, so it lies in one
// face, and one point strictly inside the piece identifies that face.
#include "barrier_clip.hpp"
#include "xy_box.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace yike::engine::detail {
namespace {

using routing::XY;

struct SegXY {
    XY a;
    XY b;
};

// Parameter t in [0, 1] along p-q where it meets segment a-b (touching counts); none when they do
// not meet or are collinear (a street drawn along a barrier: its points then lie on the boundary
// between two faces and keep both, which errs on the side of covering).
bool meet(XY p, XY q, XY a, XY b, double& t) {
    const double rx = q.x_m - p.x_m;
    const double ry = q.y_m - p.y_m;
    const double sx = b.x_m - a.x_m;
    const double sy = b.y_m - a.y_m;
    const double denom = rx * sy - ry * sx;
    if (denom == 0.0) {
        return false;
    }
    const double qpx = a.x_m - p.x_m;
    const double qpy = a.y_m - p.y_m;
    const double tt = (qpx * sy - qpy * sx) / denom;
    const double uu = (qpx * ry - qpy * rx) / denom;
    if (tt < 0.0 || tt > 1.0 || uu < 0.0 || uu > 1.0) {
        return false;
    }
    t = tt;
    return true;
}

// Barrier segments bucketed on a square grid (metres) for the line-splitting step.
class SegmentGrid {
public:
    SegmentGrid(const std::vector<SegXY>& segs, double cell) : m_segs(segs), m_cell(cell) {
        for (std::uint32_t i = 0; i < segs.size(); ++i) {
            const auto [x0, y0, x1, y1] = cells(segs[i].a, segs[i].b);
            for (long long x = x0; x <= x1; ++x) {
                for (long long y = y0; y <= y1; ++y) {
                    m_cells[key(x, y)].push_back(i);
                }
            }
        }
    }
    // Calls f(segment index) for the segments in the cells p-q's box covers (possibly twice).
    template <class F>
    void near(XY p, XY q, F&& f) const {
        const auto [x0, y0, x1, y1] = cells(p, q);
        for (long long x = x0; x <= x1; ++x) {
            for (long long y = y0; y <= y1; ++y) {
                const auto it = m_cells.find(key(x, y));
                if (it != m_cells.end()) {
                    for (const std::uint32_t i : it->second) f(i);
                }
            }
        }
    }

private:
    struct Box {
        long long x0, y0, x1, y1;
    };
    [[nodiscard]] Box cells(XY a, XY b) const {
        return {static_cast<long long>(std::floor(std::min(a.x_m, b.x_m) / m_cell)),
                static_cast<long long>(std::floor(std::min(a.y_m, b.y_m) / m_cell)),
                static_cast<long long>(std::floor(std::max(a.x_m, b.x_m) / m_cell)),
                static_cast<long long>(std::floor(std::max(a.y_m, b.y_m) / m_cell))};
    }
    static long long key(long long x, long long y) { return (x << 32) ^ (y & 0xffffffffLL); }
    const std::vector<SegXY>& m_segs;
    double m_cell;
    std::unordered_map<long long, std::vector<std::uint32_t>> m_cells;
};

// One point strictly inside every piece of every line between the points where it meets a
// barrier (and the point itself for a line of one point).
std::vector<XY> piece_samples(const std::vector<std::vector<XY>>& lines, const std::vector<SegXY>& segs) {
    const SegmentGrid grid(segs, 50.0);
    std::vector<XY> samples;
    std::vector<double> cuts;
    for (const std::vector<XY>& line : lines) {
        if (line.size() == 1) {
            samples.push_back(line.front());
            continue;
        }
        bool need_sample = true;
        for (std::size_t i = 1; i < line.size(); ++i) {
            const XY p = line[i - 1];
            const XY q = line[i];
            cuts.clear();
            grid.near(p, q, [&](std::uint32_t s) {
                double t = 0.0;
                if (meet(p, q, segs[s].a, segs[s].b, t)) cuts.push_back(t);
            });
            std::sort(cuts.begin(), cuts.end());
            // Walk the pieces of p-q between the points where barriers meet it; passing such a
            // point starts a new piece of the line, which needs its own sample.
            double from = 0.0;
            std::size_t k = 0;
            while (true) {
                const double to = k < cuts.size() ? cuts[k] : 1.0;
                if (to > from) {
                    if (need_sample) {
                        const double m = 0.5 * (from + to);
                        samples.push_back({p.x_m + m * (q.x_m - p.x_m), p.y_m + m * (q.y_m - p.y_m)});
                        need_sample = false;
                    }
                    from = to;
                }
                if (k >= cuts.size()) {
                    break;
                }
                need_sample = true;
                ++k;
            }
        }
    }
    return samples;
}

GeomPtr line_collection(GeosContext& ctx, const std::vector<SegXY>& segs) {
    const GEOSContextHandle_t h = ctx.handle();
    std::vector<GeomPtr> parts;
    parts.reserve(segs.size());
    for (const SegXY& s : segs) {
        const double xy[4] = {s.a.x_m, s.a.y_m, s.b.x_m, s.b.y_m};
        auto seq = ctx.own(GEOSCoordSeq_copyFromBuffer_r(h, xy, 2, 0, 0), "GEOSCoordSeq_copyFromBuffer");
        parts.push_back(ctx.own(GEOSGeom_createLineString_r(h, seq.release()), "GEOSGeom_createLineString"));
    }
    return ctx.collection(GEOS_MULTILINESTRING, std::move(parts));
}

} // namespace

GeomPtr clip_at_barriers(GeosContext& ctx, GeomPtr corridor, const std::vector<std::vector<XY>>& lines,
                         const IsochroneBarriers& barriers, const routing::LocalProjection& projection,
                         double buffer_m) {
    if (barriers.empty() || lines.empty()) {
        return corridor;
    }
    const GEOSContextHandle_t h = ctx.handle();
    // The barrier segments within reach of the corridor, in the corridor's frame.
    const XYBox box = bounds_of(lines);
    const double min_x = box.min_x;
    const double min_y = box.min_y;
    const double max_x = box.max_x;
    const double max_y = box.max_y;
    // 10 % margin on top of the corridor width for the projection's small scale error.
    const double pad = 1.1 * buffer_m + 1.0;
    routing::LonLat lo{std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()};
    routing::LonLat hi{-lo.lon, -lo.lat};
    for (const XY c : {XY{min_x - pad, min_y - pad}, XY{max_x + pad, min_y - pad}, XY{min_x - pad, max_y + pad},
                       XY{max_x + pad, max_y + pad}}) {
        const routing::LonLat ll = projection.inverse(c);
        lo = {std::min(lo.lon, ll.lon), std::min(lo.lat, ll.lat)};
        hi = {std::max(hi.lon, ll.lon), std::max(hi.lat, ll.lat)};
    }
    std::vector<IsochroneBarriers::Segment> near;
    barriers.segments_in(lo, hi, near);
    if (near.empty()) {
        return corridor;
    }
    std::vector<SegXY> segs;
    segs.reserve(near.size());
    for (const auto& s : near) {
        segs.push_back({projection.forward(s.a), projection.forward(s.b)});
    }

    GeomPtr barrier_lines = line_collection(ctx, segs);
    GeomPtr inside = ctx.own(GEOSIntersection_r(h, barrier_lines.get(), corridor.get()), "GEOSIntersection");
    if (ctx.check(GEOSisEmpty_r(h, inside.get()), "GEOSisEmpty")) {
        return corridor;
    }
    GeomPtr boundary = ctx.own(GEOSBoundary_r(h, corridor.get()), "GEOSBoundary");
    GEOSGeometry* both[2] = {boundary.release(), inside.release()};
    GeomPtr all = ctx.own(GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, both, 2), "GEOSGeom_createCollection");
    GeomPtr noded = ctx.own(GEOSUnaryUnion_r(h, all.get()), "GEOSUnaryUnion");
    const GEOSGeometry* noded_raw = noded.get();
    GeomPtr faces = ctx.own(GEOSPolygonize_r(h, &noded_raw, 1), "GEOSPolygonize");
    const int face_count = GEOSGetNumGeometries_r(h, faces.get());

    const std::vector<XY> samples = piece_samples(lines, segs);
    PreparedPtr prepared_corridor = ctx.own(GEOSPrepare_r(h, corridor.get()), "GEOSPrepare");
    std::vector<GeomPtr> kept;
    bool dropped = false;
    for (int f = 0; f < face_count; ++f) {
        const GEOSGeometry* face = GEOSGetGeometryN_r(h, faces.get(), f);
        double fx0 = 0, fy0 = 0, fx1 = 0, fy1 = 0;
        ctx.check(GEOSGeom_getXMin_r(h, face, &fx0), "GEOSGeom_getXMin");
        ctx.check(GEOSGeom_getYMin_r(h, face, &fy0), "GEOSGeom_getYMin");
        ctx.check(GEOSGeom_getXMax_r(h, face, &fx1), "GEOSGeom_getXMax");
        ctx.check(GEOSGeom_getYMax_r(h, face, &fy1), "GEOSGeom_getYMax");
        PreparedPtr prepared = ctx.own(GEOSPrepare_r(h, face), "GEOSPrepare");
        bool holds_network = false;
        for (const XY& p : samples) {
            if (p.x_m < fx0 || p.x_m > fx1 || p.y_m < fy0 || p.y_m > fy1) {
                continue;
            }
            GeomPtr pt = ctx.own(GEOSGeom_createPointFromXY_r(h, p.x_m, p.y_m), "GEOSGeom_createPointFromXY");
            if (ctx.check(GEOSPreparedIntersects_r(h, prepared.get(), pt.get()), "GEOSPreparedIntersects")) {
                holds_network = true;
                break;
            }
        }
        if (holds_network) {
            kept.push_back(ctx.own(GEOSGeom_clone_r(h, face), "GEOSGeom_clone"));
        } else {
            // Faces filling the corridor's holes hold no network either; only a piece of the
            // corridor itself being dropped changes the result.
            GeomPtr inner = ctx.own(GEOSPointOnSurface_r(h, face), "GEOSPointOnSurface");
            dropped = dropped || ctx.check(GEOSPreparedIntersects_r(h, prepared_corridor.get(), inner.get()),
                                           "GEOSPreparedIntersects");
        }
    }
    if (!dropped) {
        return corridor;
    }
    GeomPtr face_set = ctx.collection(GEOS_MULTIPOLYGON, std::move(kept));
    // The faces of a polygonized arrangement meet only along shared edges: a coverage.
    return ctx.own(GEOSCoverageUnion_r(h, face_set.get()), "GEOSCoverageUnion");
}

} // namespace yike::engine::detail
