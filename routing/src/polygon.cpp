#include "yike/routing/polygon.hpp"

#include <algorithm>
#include <cmath>

namespace yike::routing {

std::vector<const Ring*> rings_of(const Polygon& polygon) {
    std::vector<const Ring*> out{&polygon.exterior};
    for (const Ring& h : polygon.holes) {
        out.push_back(&h);
    }
    return out;
}

double ring_area_m2(const Ring& ring, const LocalProjection& proj) noexcept {
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

double polygon_area_m2(const Polygon& polygon, const LocalProjection& proj) noexcept {
    double a = ring_area_m2(polygon.exterior, proj);
    for (const Ring& h : polygon.holes) {
        a -= ring_area_m2(h, proj);
    }
    return a;
}

namespace {

bool on_segment(LonLat a, LonLat b, LonLat p) noexcept {
    const double c = (b.lon - a.lon) * (p.lat - a.lat) - (b.lat - a.lat) * (p.lon - a.lon);
    return c == 0.0 && p.lon >= std::min(a.lon, b.lon) && p.lon <= std::max(a.lon, b.lon) &&
           p.lat >= std::min(a.lat, b.lat) && p.lat <= std::max(a.lat, b.lat);
}

// One pass over the ring's edges: flips `inside` for every edge a ray from p towards +lon crosses;
// with `boundary`, returns true as soon as p lies on an edge (the caller's answer is then "inside").
bool cross(const Ring& ring, LonLat p, bool& inside, bool boundary) noexcept {
    const auto& r = ring.points;
    for (std::size_t i = 1; i < r.size(); ++i) {
        const LonLat a = r[i - 1];
        const LonLat b = r[i];
        if (boundary && on_segment(a, b, p)) {
            return true;
        }
        if ((a.lat > p.lat) != (b.lat > p.lat)) {
            const double x = a.lon + (p.lat - a.lat) * (b.lon - a.lon) / (b.lat - a.lat);
            if (p.lon < x) {
                inside = !inside;
            }
        }
    }
    return false;
}

} // namespace

bool ring_contains(const Ring& ring, LonLat p) noexcept {
    bool inside = false;
    cross(ring, p, inside, false);
    return inside;
}

bool polygon_contains(const Polygon& polygon, LonLat p) noexcept {
    bool inside = false;
    if (cross(polygon.exterior, p, inside, true)) {
        return true;
    }
    for (const Ring& h : polygon.holes) {
        if (cross(h, p, inside, true)) {
            return true;
        }
    }
    return inside;
}

bool multipolygon_contains(const MultiPolygon& polygons, LonLat p) noexcept {
    return std::any_of(polygons.begin(), polygons.end(), [&](const Polygon& poly) { return polygon_contains(poly, p); });
}

} // namespace yike::routing
