#pragma once
// Brute-force reference for the snapping tests: the point of one segment of the graph's polylines
// nearest to a given point.
#include <algorithm>
#include <cstdint>

#include "yike/routing/geo.hpp"
#include "yike/routing/graph.hpp"

namespace yike::test {

// The point of the segment from shape point k to k + 1 nearest to p (its start when it has no length).
inline routing::XY nearest_on_segment(const routing::WalkGraph& g, std::uint32_t k, routing::XY p) {
    const double ax = g.point_x_m[k];
    const double ay = g.point_y_m[k];
    const double dx = static_cast<double>(g.point_x_m[k + 1]) - ax;
    const double dy = static_cast<double>(g.point_y_m[k + 1]) - ay;
    const double len2 = dx * dx + dy * dy;
    const double t = len2 > 0.0 ? std::clamp(((p.x_m - ax) * dx + (p.y_m - ay) * dy) / len2, 0.0, 1.0) : 0.0;
    return {ax + t * dx, ay + t * dy};
}

} // namespace yike::test
