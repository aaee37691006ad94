#include "yike/routing/geo.hpp"

#include <cmath>
#include <numbers>

namespace yike::routing {

namespace {
constexpr double wgs84_a = 6378137.0;
constexpr double wgs84_f = 1.0 / 298.257223563;
constexpr double wgs84_e2 = wgs84_f * (2.0 - wgs84_f);
constexpr double deg = std::numbers::pi / 180.0;

// Meridional (M) and prime-vertical (N) radii of curvature at latitude phi.
struct Radii {
    double m;
    double n;
};
Radii radii_at(double phi_rad) noexcept {
    const double s = std::sin(phi_rad);
    const double w2 = 1.0 - wgs84_e2 * s * s;
    const double w = std::sqrt(w2);
    return {wgs84_a * (1.0 - wgs84_e2) / (w2 * w), wgs84_a / w};
}
} // namespace

double segment_length_m(LonLat a, LonLat b) noexcept {
    const double phi_mid = 0.5 * (a.lat + b.lat) * deg;
    const Radii r = radii_at(phi_mid);
    double dlon = b.lon - a.lon;
    if (dlon > 180.0) {
        dlon -= 360.0;
    } else if (dlon < -180.0) {
        dlon += 360.0;
    }
    const double dy = (b.lat - a.lat) * deg * r.m;
    const double dx = dlon * deg * r.n * std::cos(phi_mid);
    return std::hypot(dx, dy);
}

LocalProjection::LocalProjection(LonLat origin) noexcept : m_origin(origin), m_lat0_rad(origin.lat * deg) {
    // A sphere of radius N (prime vertical) gets east-west scale right at the origin; stretching
    // latitude differences by M/N gets north-south scale right too, so the map is true to scale in
    // every direction at the origin and errs only to second order away from it.
    const Radii r = radii_at(m_lat0_rad);
    m_radius_m = r.n;
    m_lat_stretch = r.m / r.n;
}

XY LocalProjection::forward(LonLat p) const noexcept {
    const double phi = m_lat0_rad + (p.lat * deg - m_lat0_rad) * m_lat_stretch;
    const double dlam = (p.lon - m_origin.lon) * deg;
    const double b = std::cos(phi) * std::sin(dlam);
    const double x = m_radius_m * std::atanh(b);
    const double y = m_radius_m * (std::atan2(std::tan(phi), std::cos(dlam)) - m_lat0_rad);
    return {x, y};
}

LonLat LocalProjection::inverse(XY p) const noexcept {
    const double d = p.y_m / m_radius_m + m_lat0_rad;
    const double xr = p.x_m / m_radius_m;
    const double phi = std::asin(std::sin(d) / std::cosh(xr));
    const double dlam = std::atan2(std::sinh(xr), std::cos(d));
    return {m_origin.lon + dlam / deg, (m_lat0_rad + (phi - m_lat0_rad) / m_lat_stretch) / deg};
}

} // namespace yike::routing
