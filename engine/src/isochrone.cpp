// Isochrone polygons: the corridor of the reached lines (vector buffer or raster), cut at barriers,
// with holes filled, nested or disjoint bands, and the public entry points.
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
#include "detail/geos_polygons.hpp"
#include "detail/polygon_area.hpp"
#include "detail/raster_corridor.hpp"
#include "detail/span_lines.hpp"
#include "detail/xy_box.hpp"
#include "yike/assert.hpp"
#include "yike/error.hpp"

namespace yike::engine {

namespace {

using detail::GeomPtr;
using detail::GeosContext;
using routing::LonLat;
using routing::XY;
using detail::collect_polygons;
using detail::fill_small_holes;
using detail::raster_corridor;
using detail::simplify;
using detail::sort_canonically;
using detail::to_geos;

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
            if (std::all_of(line.begin(), line.end(), [&](XY p) { return p == line.front(); })) {
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
        const auto polys = raster_corridor(lines, options.buffer_m, options.raster_cell_m);
        std::vector<GeomPtr> out;
        out.reserve(polys.size());
        for (const auto& rings : polys) {
            std::vector<GeomPtr> holes;
            for (std::size_t k = 1; k < rings.size(); ++k) {
                holes.push_back(make_ring(rings[k]));
            }
            out.push_back(ctx.polygon(make_ring(rings[0]), std::move(holes)));
        }
        return ctx.collection(GEOS_MULTIPOLYGON, std::move(out));
    }

    GeomPtr buffered_geometry(const std::vector<std::vector<XY>>& lines) {
        const GEOSContextHandle_t h = ctx.handle();
        std::vector<GeomPtr> parts;
        parts.reserve(lines.size());
        std::vector<double> xy;
        bool any_point = false;
        for (const std::vector<XY>& line : lines) {
            const bool is_point = line.size() == 1;
            xy.clear();
            for (const XY& p : line) {
                xy.push_back(p.x_m);
                xy.push_back(p.y_m);
            }
            auto seq = ctx.own(GEOSCoordSeq_copyFromBuffer_r(h, xy.data(), static_cast<unsigned int>(line.size()), 0, 0),
                               "GEOSCoordSeq_copyFromBuffer");
            parts.push_back(ctx.own(is_point ? GEOSGeom_createPoint_r(h, seq.release()) : GEOSGeom_createLineString_r(h, seq.release()),
                                    "GEOSGeom_createLineString"));
            any_point = any_point || is_point;
        }
        GeomPtr multi = ctx.collection(any_point ? GEOS_GEOMETRYCOLLECTION : GEOS_MULTILINESTRING, std::move(parts));
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
        std::vector<GeomPtr> boundaries;
        for (std::size_t k = 0; k < n; ++k) {
            if (spans_per_band[k].empty()) {
                continue;
            }
            corridors[k] = sorted_corridor(spans_per_band[k]);
            boundaries.push_back(ctx.own(GEOSBoundary_r(h, corridors[k].get()), "GEOSBoundary"));
        }
        if (boundaries.empty()) {
            return bands;
        }
        GeomPtr all_lines = ctx.collection(GEOS_GEOMETRYCOLLECTION, std::move(boundaries));
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
            std::vector<GeomPtr> mine;
            for (int f = 0; f < face_count; ++f) {
                if (label[static_cast<std::size_t>(f)] <= k) {
                    mine.push_back(ctx.own(GEOSGeom_clone_r(h, GEOSGetGeometryN_r(h, faces.get(), f)), "GEOSGeom_clone"));
                }
            }
            if (mine.empty()) {
                continue;
            }
            GeomPtr face_set = ctx.collection(GEOS_MULTIPOLYGON, std::move(mine));
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
} // namespace yike::engine
