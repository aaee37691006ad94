// Areas of isochrone polygons in square metres, and the filling of small holes.
#include "detail/polygon_area.hpp"

#include <algorithm>
#include <cmath>

namespace yike::engine {

using routing::LonLat;
using routing::XY;

namespace detail {

routing::LocalProjection projection_for(const Ring& ring) {
    return routing::LocalProjection(ring.points.empty() ? LonLat{} : ring.points.front());
}

// ---- hole filling -------------------------------------------------------------------------

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
                const bool on_boundary = std::any_of(h.points.begin(), h.points.end(), [&](LonLat w) { return v == w; });
                if (!on_boundary) {
                    if (routing::ring_contains(h, v)) {
                        return true;
                    }
                    break;
                }
            }
        }
        return false;
    });
}

} // namespace detail

using detail::projection_for;
using routing::polygon_area_m2;
using routing::ring_area_m2;

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

} // namespace yike::engine
