// The local projection against the ellipsoidal segment length: metres in x/y are true metres.
#include <gtest/gtest.h>

#include <cmath>

#include "yike/routing/geo.hpp"

namespace yike::routing {
namespace {

// Relative difference between the projected length and the WGS84 length of a short step taken
// from `p` in direction (dlon, dlat) (a few metres: segment_length_m is exact to 1e-6 there).
double scale_error(const LocalProjection& proj, LonLat p, double dlon, double dlat) {
    const LonLat q{p.lon + dlon, p.lat + dlat};
    const XY a = proj.forward(p);
    const XY b = proj.forward(q);
    const double projected = std::hypot(b.x_m - a.x_m, b.y_m - a.y_m);
    return projected / segment_length_m(p, q) - 1.0;
}

TEST(GeoProjection, ScaleIsTrueAtTheOriginInEveryDirection) {
    for (const double lat : {0.0, 22.5, 39.9, 43.73, 47.1, 60.0}) {
        const LocalProjection proj({116.4, lat});
        for (const auto& [dlon, dlat] : {std::pair{1e-5, 0.0}, {0.0, 1e-5}, {7e-6, 7e-6}, {-7e-6, 3e-6}}) {
            EXPECT_LT(std::abs(scale_error(proj, {116.4, lat}, dlon, dlat)), 2e-6) << lat;
        }
    }
}

TEST(GeoProjection, ScaleErrorBelow1e4Within30Km) {
    const LonLat origin{9.52, 47.15}; // Liechtenstein
    const LocalProjection proj(origin);
    for (double dy_deg = -0.27; dy_deg <= 0.27; dy_deg += 0.09) {     // about +-30 km north-south
        for (double dx_deg = -0.39; dx_deg <= 0.39; dx_deg += 0.13) { // about +-30 km east-west
            const LonLat p{origin.lon + dx_deg, origin.lat + dy_deg};
            EXPECT_LT(std::abs(scale_error(proj, p, 1e-5, 0.0)), 1e-4) << dx_deg << "," << dy_deg;
            EXPECT_LT(std::abs(scale_error(proj, p, 0.0, 1e-5)), 1e-4) << dx_deg << "," << dy_deg;
        }
    }
}

TEST(GeoProjection, InverseRoundTrips) {
    const LocalProjection proj({7.42, 43.73});
    for (double dlat = -0.3; dlat <= 0.3; dlat += 0.05) {
        for (double dlon = -0.4; dlon <= 0.4; dlon += 0.05) {
            const LonLat p{7.42 + dlon, 43.73 + dlat};
            const LonLat q = proj.inverse(proj.forward(p));
            EXPECT_NEAR(q.lon, p.lon, 1e-11);
            EXPECT_NEAR(q.lat, p.lat, 1e-11);
        }
    }
}

TEST(GeoSegmentLength, KnownDistances) {
    // One degree of latitude at the equator and at 45 degrees on WGS84 (110,574 m and 111,132 m).
    EXPECT_NEAR(segment_length_m({0.0, -0.005}, {0.0, 0.005}) * 100, 110'574.4, 1.0);
    EXPECT_NEAR(segment_length_m({0.0, 44.995}, {0.0, 45.005}) * 100, 111'132.0, 1.0);
    // One degree of longitude at 45 degrees: 78,847 m.
    EXPECT_NEAR(segment_length_m({-0.005, 45.0}, {0.005, 45.0}) * 100, 78'846.8, 1.0);
}

} // namespace
} // namespace yike::routing
