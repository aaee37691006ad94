// Reached spans as lines: an edge cut at the reached positions, in lon/lat or projected metres,
// and Douglas-Peucker simplification of those lines.
#include "detail/span_lines.hpp"

#include <cmath>
#include <cstdint>
#include <utility>

#include "yike/assert.hpp"
#include "yike/engine/isochrone.hpp"

namespace yike::engine {

using routing::LonLat;
using routing::XY;

namespace {

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



template <class P>
void push_distinct(std::vector<P>& out, P p) {
    if (out.empty() || out.back() != p) {
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


} // namespace

namespace detail {

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

} // namespace detail

std::vector<LonLat> span_polyline(const routing::WalkGraph& graph, const routing::ReachedSpan& span) {
    return cut_edge<LonLat>(graph, span, [&](std::uint32_t i) { return point_lonlat(graph, i); });
}

std::vector<XY> span_polyline_xy(const routing::WalkGraph& graph, const routing::ReachedSpan& span) {
    return cut_edge<XY>(graph, span, [&](std::uint32_t i) { return point_xy(graph, i); });
}

} // namespace yike::engine
