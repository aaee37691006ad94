// The outline of a reach for maps: the reached lines' corridor on a lattice coarse enough to stay
// within a point budget, whatever the size of the reach.
#include <algorithm>
#include <cmath>
#include <numbers>
#include <tuple>
#include <utility>
#include <vector>

#include "detail/polygon_area.hpp"
#include "detail/raster_corridor.hpp"
#include "detail/span_lines.hpp"
#include "detail/xy_box.hpp"
#include "yike/engine/isochrone.hpp"

namespace yike::engine {

using routing::XY;
using detail::fill_small_holes;
using detail::raster_corridor;
using detail::simplify;

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
