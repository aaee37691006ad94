// CRS conversions: GCJ-02 / BD-09 against published pairs and by round trips, PROJ CRSs against
// closed forms.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "yike/error.hpp"
#include "yike/io/crs.hpp"
#include "yike/routing/geo.hpp"

namespace {

using yike::io::CrsCoord;
using yike::io::CrsTransform;
using yike::routing::LonLat;

// Round trips must stay under 1 cm (the issue asks for 1 m; the iterations reach ~2e-5 m).
constexpr double round_trip_limit_m = 0.01;

struct NamedPoint {
    const char* name;
    LonLat wgs;
};

// WGS84 positions of city centres across China, including its corners.
const std::vector<NamedPoint> chinese_cities = {
    {"Beijing Tiananmen", {116.3975, 39.9087}}, {"Shanghai", {121.4737, 31.2304}},
    {"Guangzhou", {113.2644, 23.1291}},         {"Shenzhen", {114.0579, 22.5431}},
    {"Chengdu", {104.0665, 30.5723}},           {"Wuhan", {114.3055, 30.5928}},
    {"Urumqi", {87.6168, 43.8256}},             {"Kashgar", {75.9897, 39.4704}},
    {"Lhasa", {91.1409, 29.6456}},              {"Harbin", {126.5349, 45.8038}},
    {"Mohe", {122.5386, 52.9727}},              {"Sanya", {109.5119, 18.2528}},
};

const std::vector<NamedPoint> outside_box = {
    {"Monaco", {7.42, 43.73}},
    {"Tokyo", {139.6917, 35.6895}}, // east of 137.8347, so outside the rough box
    {"New York", {-74.006, 40.7128}},
    {"Sydney", {151.2093, -33.8688}},
    {"Moscow", {37.6173, 55.7558}},
};

double distance_m(LonLat a, LonLat b) { return yike::routing::segment_length_m(a, b); }

std::vector<LonLat> china_grid() {
    std::vector<LonLat> grid;
    for (int i = 0; i <= 124; ++i) {     // lon 73 .. 135
        for (int j = 0; j <= 71; ++j) {  // lat 18 .. 53.5
            grid.push_back({73.0 + 0.5 * i, 18.0 + 0.5 * j});
        }
    }
    return grid;
}

// The farthest a point of china_grid() ends up from where it started when `there` converts it and
// `back` converts it back.
template <typename There, typename Back>
double worst_round_trip_m(There there, Back back) {
    double worst_m = 0.0;
    for (const LonLat p : china_grid()) {
        worst_m = std::max(worst_m, distance_m(p, back(there(p))));
    }
    return worst_m;
}

// ---- GCJ-02 ------------------------------------------------------------------------------------

TEST(CrsGcj02, ForwardMatchesPublishedBeijingPair) {
    // wandergis/coordtransform, test/app.js (also its README):
    // wgs84togcj02(116.404, 39.915) -> [116.41024449916938, 39.91640428150164]
    const LonLat gcj = yike::io::wgs84_to_gcj02({116.404, 39.915});
    EXPECT_NEAR(gcj.lon, 116.41024449916938, 1e-11);
    EXPECT_NEAR(gcj.lat, 39.91640428150164, 1e-11);
}

TEST(CrsGcj02, InverseMatchesPublishedPair) {
    // hujiulong/gcoord, test/unit/crs/GCJ02.spec.js: GCJ02 -> WGS84 of (123, 45) is
    // (122.99395597, 44.99804071), checked there to 5 decimals.
    const LonLat wgs = yike::io::gcj02_to_wgs84({123.0, 45.0});
    EXPECT_NEAR(wgs.lon, 122.99395597, 1e-5);
    EXPECT_NEAR(wgs.lat, 44.99804071, 1e-5);
    // Our iterated inverse is exact: the forward formula gives the input back.
    const LonLat back = yike::io::wgs84_to_gcj02(wgs);
    EXPECT_NEAR(back.lon, 123.0, 1e-10);
    EXPECT_NEAR(back.lat, 45.0, 1e-10);
}

TEST(CrsGcj02, InverseIsMoreAccurateThanTheOneStepApproximation) {
    // wandergis/coordtransform, test/app.js: its one-step gcj02towgs84(116.404, 39.915) gives
    // [116.39775550083061, 39.91359571849836]; the true preimage differs by a few decimetres.
    const LonLat wgs = yike::io::gcj02_to_wgs84({116.404, 39.915});
    const double one_step_error_m = distance_m(wgs, {116.39775550083061, 39.91359571849836});
    EXPECT_LT(one_step_error_m, 5.0);
    const LonLat back = yike::io::wgs84_to_gcj02(wgs);
    EXPECT_LT(distance_m(back, {116.404, 39.915}), 1e-4);
    const LonLat one_step_back = yike::io::wgs84_to_gcj02({116.39775550083061, 39.91359571849836});
    EXPECT_GT(distance_m(one_step_back, {116.404, 39.915}), distance_m(back, {116.404, 39.915}));
}

TEST(CrsGcj02, RoundTripOnGridOverChina) {
    EXPECT_LT(worst_round_trip_m(yike::io::wgs84_to_gcj02, yike::io::gcj02_to_wgs84), round_trip_limit_m);
    // And the other way: a GCJ-02 point from AMap back to WGS84 and forward again.
    EXPECT_LT(worst_round_trip_m(yike::io::gcj02_to_wgs84, yike::io::wgs84_to_gcj02), round_trip_limit_m);
}

TEST(CrsGcj02, CitiesRoundTripAndShiftByHundredsOfMetres) {
    for (const auto& [name, wgs] : chinese_cities) {
        SCOPED_TRACE(name);
        const LonLat gcj = yike::io::wgs84_to_gcj02(wgs);
        const double shift_m = distance_m(wgs, gcj);
        // The obfuscation moves points by roughly 50 to 700 m across China.
        EXPECT_GT(shift_m, 20.0);
        EXPECT_LT(shift_m, 1000.0);
        EXPECT_LT(distance_m(wgs, yike::io::gcj02_to_wgs84(gcj)), round_trip_limit_m);
    }
    const LonLat tiananmen{116.3975, 39.9087};
    const double beijing_shift_m = distance_m(tiananmen, yike::io::wgs84_to_gcj02(tiananmen));
    EXPECT_GT(beijing_shift_m, 100.0);
    EXPECT_LT(beijing_shift_m, 700.0);
}

TEST(CrsGcj02, PointsOutsideTheBoxAreUnchanged) {
    for (const auto& [name, p] : outside_box) {
        SCOPED_TRACE(name);
        EXPECT_FALSE(yike::io::in_china_rough(p));
        for (const LonLat q : {yike::io::wgs84_to_gcj02(p), yike::io::gcj02_to_wgs84(p), yike::io::wgs84_to_bd09(p),
                               yike::io::bd09_to_wgs84(p)}) {
            EXPECT_EQ(q.lon, p.lon);
            EXPECT_EQ(q.lat, p.lat);
        }
    }
}

TEST(CrsGcj02, TheBoxIsRoughAndIncludesNeighbours) {
    // Documented limitation: Seoul and Osaka lie inside the box and are shifted like Chinese points.
    for (const LonLat p : {LonLat{126.978, 37.5665}, LonLat{135.5023, 34.6937}}) {
        EXPECT_TRUE(yike::io::in_china_rough(p));
        EXPECT_GT(distance_m(p, yike::io::wgs84_to_gcj02(p)), 20.0);
    }
    // The box edges are inclusive.
    EXPECT_TRUE(yike::io::in_china_rough({72.004, 0.8293}));
    EXPECT_TRUE(yike::io::in_china_rough({137.8347, 55.8271}));
    EXPECT_FALSE(yike::io::in_china_rough({72.0039, 30.0}));
    EXPECT_FALSE(yike::io::in_china_rough({100.0, 55.8272}));
}

// ---- BD-09 ---------------------------------------------------------------------------------------

TEST(CrsBd09, ClosedFormMatchesPublishedPairs) {
    // wandergis/coordtransform, test/app.js: gcj02tobd09(116.404, 39.915) ->
    // [116.41036949371029, 39.92133699351021]
    const LonLat bd = yike::io::gcj02_to_bd09({116.404, 39.915});
    EXPECT_NEAR(bd.lon, 116.41036949371029, 1e-11);
    EXPECT_NEAR(bd.lat, 39.92133699351021, 1e-11);
    // hujiulong/gcoord, test/unit/crs/GCJ02.spec.js: GCJ02 -> BD09 of (123, 45) is
    // (123.00636499, 45.00636899), checked there to 5 decimals.
    const LonLat bd2 = yike::io::gcj02_to_bd09({123.0, 45.0});
    EXPECT_NEAR(bd2.lon, 123.00636499, 5e-6);
    EXPECT_NEAR(bd2.lat, 45.00636899, 5e-6);
    // caijun/geoChina (R), documentation of bd2gcj: Beijing railway station is GCJ-02
    // (39.90245, 116.42703) and BD-09 (39.90851, 116.43351), both rounded to 5 decimals.
    const LonLat station = yike::io::gcj02_to_bd09({116.42703, 39.90245});
    EXPECT_NEAR(station.lon, 116.43351, 1e-5);
    EXPECT_NEAR(station.lat, 39.90851, 1e-5);
}

TEST(CrsBd09, InverseRefinesThePublishedApproximation) {
    // wandergis/coordtransform, test/app.js: the closed-form bd09togcj02(116.404, 39.915) gives
    // [116.39762729119315, 39.90865673957631]; the iterated inverse stays within centimetres of it
    // and reproduces the BD-09 input far better.
    const LonLat gcj = yike::io::bd09_to_gcj02({116.404, 39.915});
    const LonLat published{116.39762729119315, 39.90865673957631};
    EXPECT_LT(distance_m(gcj, published), 0.25);
    EXPECT_LT(distance_m(yike::io::gcj02_to_bd09(gcj), {116.404, 39.915}), 1e-4);
    EXPECT_GT(distance_m(yike::io::gcj02_to_bd09(published), {116.404, 39.915}),
              distance_m(yike::io::gcj02_to_bd09(gcj), {116.404, 39.915}));
}

TEST(CrsBd09, RoundTripOnGridOverChina) {
    EXPECT_LT(worst_round_trip_m(yike::io::wgs84_to_bd09, yike::io::bd09_to_wgs84), round_trip_limit_m);
    EXPECT_LT(worst_round_trip_m(yike::io::gcj02_to_bd09, yike::io::bd09_to_gcj02), round_trip_limit_m);
}

TEST(CrsBd09, OffsetFromGcj02IsAboutSixThousandthsOfADegree) {
    for (const auto& [name, wgs] : chinese_cities) {
        SCOPED_TRACE(name);
        const LonLat gcj = yike::io::wgs84_to_gcj02(wgs);
        const LonLat bd = yike::io::wgs84_to_bd09(wgs);
        EXPECT_NEAR(bd.lon - gcj.lon, 0.0065, 0.001);
        EXPECT_NEAR(bd.lat - gcj.lat, 0.006, 0.001);
        EXPECT_LT(distance_m(wgs, yike::io::bd09_to_wgs84(bd)), round_trip_limit_m);
    }
}

// ---- CrsTransform: GCJ-02 / BD-09 by name ------------------------------------------------------

TEST(CrsTransformChinese, NamesInAnyCase) {
    for (const char* s : {"GCJ-02", "GCJ02", "gcj02", "gcj-02", " Gcj02 "}) {
        const CrsTransform t(s);
        EXPECT_EQ(t.name(), "GCJ-02") << s;
        EXPECT_EQ(t.definition(), s);
        EXPECT_TRUE(t.is_geographic());
        EXPECT_FALSE(t.is_wgs84());
    }
    for (const char* s : {"BD-09", "BD09", "bd09", "bd-09"}) {
        const CrsTransform t(s);
        EXPECT_EQ(t.name(), "BD-09") << s;
        EXPECT_TRUE(t.is_geographic());
    }
}

TEST(CrsTransformChinese, AgreesWithFreeFunctionsBothWays) {
    const CrsTransform gcj("gcj02");
    const CrsTransform bd("BD-09");
    std::vector<CrsCoord> gcj_points;
    std::vector<CrsCoord> bd_points;
    for (const auto& [name, wgs] : chinese_cities) {
        SCOPED_TRACE(name);
        const LonLat g = yike::io::wgs84_to_gcj02(wgs);
        const LonLat b = yike::io::wgs84_to_bd09(wgs);
        const auto g_out = gcj.from_wgs84(wgs);
        const auto b_out = bd.from_wgs84(wgs);
        ASSERT_TRUE(g_out && b_out);
        EXPECT_EQ(g_out->x, g.lon);
        EXPECT_EQ(g_out->y, g.lat);
        EXPECT_EQ(b_out->x, b.lon);
        EXPECT_EQ(b_out->y, b.lat);
        const auto g_in = gcj.to_wgs84({g.lon, g.lat});
        const auto b_in = bd.to_wgs84({b.lon, b.lat});
        ASSERT_TRUE(g_in && b_in);
        EXPECT_LT(distance_m(*g_in, wgs), round_trip_limit_m);
        EXPECT_LT(distance_m(*b_in, wgs), round_trip_limit_m);
        gcj_points.push_back({g.lon, g.lat});
        bd_points.push_back({b.lon, b.lat});
    }
    const auto g_batch = gcj.to_wgs84(gcj_points);
    const auto b_batch = bd.to_wgs84(bd_points);
    ASSERT_EQ(g_batch.size(), chinese_cities.size());
    for (std::size_t i = 0; i < chinese_cities.size(); ++i) {
        ASSERT_TRUE(g_batch[i] && b_batch[i]);
        EXPECT_EQ(g_batch[i]->lon, gcj.to_wgs84(gcj_points[i])->lon);
        EXPECT_EQ(b_batch[i]->lat, bd.to_wgs84(bd_points[i])->lat);
    }
}

TEST(CrsTransformChinese, OutsideChinaUnchangedAndNonFiniteFails) {
    const CrsTransform gcj("GCJ-02");
    const CrsTransform bd("BD-09");
    for (const auto& [name, p] : outside_box) {
        SCOPED_TRACE(name);
        for (const CrsTransform* t : {&gcj, &bd}) {
            const auto in = t->to_wgs84({p.lon, p.lat});
            const auto out = t->from_wgs84(p);
            ASSERT_TRUE(in && out);
            EXPECT_EQ(in->lon, p.lon);
            EXPECT_EQ(in->lat, p.lat);
            EXPECT_EQ(out->x, p.lon);
            EXPECT_EQ(out->y, p.lat);
        }
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    EXPECT_FALSE(gcj.to_wgs84({nan, 39.9}));
    EXPECT_FALSE(bd.to_wgs84({116.4, inf}));
    EXPECT_FALSE(gcj.from_wgs84({inf, 39.9}));
    EXPECT_FALSE(bd.from_wgs84({116.4, nan}));
}

// ---- CrsTransform: PROJ ----------------------------------------------------------------------

TEST(CrsTransformProj, Epsg4326IsIdentity) {
    const CrsTransform t("EPSG:4326");
    EXPECT_TRUE(t.is_wgs84());
    EXPECT_TRUE(t.is_geographic());
    EXPECT_EQ(t.name(), "WGS 84");
    for (const auto& [name, p] : chinese_cities) {
        const auto q = t.to_wgs84({p.lon, p.lat}); // lon/lat order despite EPSG's lat/lon axes
        ASSERT_TRUE(q);
        EXPECT_NEAR(q->lon, p.lon, 1e-12) << name;
        EXPECT_NEAR(q->lat, p.lat, 1e-12) << name;
    }
}

TEST(CrsTransformProj, WktAndProjStringsAreAccepted) {
    const CrsTransform wkt(R"(GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],)"
                           R"(PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]])");
    EXPECT_TRUE(wkt.is_wgs84());
    const auto p = wkt.to_wgs84({116.3975, 39.9087});
    ASSERT_TRUE(p);
    EXPECT_NEAR(p->lon, 116.3975, 1e-12);
    EXPECT_NEAR(p->lat, 39.9087, 1e-12);

    // A bare "+proj=" string (no +type=crs) is taken as the CRS it describes.
    const CrsTransform utm_string("+proj=utm +zone=50 +datum=WGS84 +units=m +no_defs");
    const CrsTransform utm_code("EPSG:32650");
    EXPECT_FALSE(utm_string.is_geographic());
    const auto a = utm_string.from_wgs84({116.3975, 39.9087});
    const auto b = utm_code.from_wgs84({116.3975, 39.9087});
    ASSERT_TRUE(a && b);
    EXPECT_NEAR(a->x, b->x, 1e-3);
    EXPECT_NEAR(a->y, b->y, 1e-3);
    EXPECT_GT(a->x, 400000.0); // easting first whatever the CRS's axis order
    EXPECT_GT(a->y, 4000000.0);
}

TEST(CrsTransformProj, WebMercatorMatchesClosedForm) {
    const CrsTransform t("EPSG:3857");
    EXPECT_FALSE(t.is_geographic());
    constexpr double r = 6378137.0;
    const LonLat p{116.3975, 39.9087};
    const double lam = p.lon * std::numbers::pi / 180.0;
    const double phi = p.lat * std::numbers::pi / 180.0;
    const auto xy = t.from_wgs84(p);
    ASSERT_TRUE(xy);
    EXPECT_NEAR(xy->x, r * lam, 1e-3);
    EXPECT_NEAR(xy->y, r * std::log(std::tan(std::numbers::pi / 4.0 + phi / 2.0)), 1e-3);
    const auto back = t.to_wgs84(*xy);
    ASSERT_TRUE(back);
    EXPECT_NEAR(back->lon, p.lon, 1e-9);
    EXPECT_NEAR(back->lat, p.lat, 1e-9);
}

TEST(CrsTransformProj, GaussKrugerZoneRoundTrip) {
    const CrsTransform t("EPSG:4547"); // CGCS2000 / 3-degree Gauss-Kruger CM 114E
    EXPECT_NE(t.name().find("CGCS2000"), std::string::npos) << t.name();
    EXPECT_FALSE(t.is_geographic());
    // On the central meridian the easting is the false easting.
    const auto cm = t.from_wgs84({114.0, 30.5});
    ASSERT_TRUE(cm);
    EXPECT_NEAR(cm->x, 500000.0, 1e-3);
    EXPECT_NEAR(cm->y, 3375541.7, 1.0);
    std::vector<LonLat> points;
    for (double lon = 112.6; lon <= 115.4; lon += 0.2) {
        for (double lat = 22.0; lat <= 42.0; lat += 2.5) {
            points.push_back({lon, lat});
        }
    }
    const auto projected = t.from_wgs84(points);
    std::vector<CrsCoord> xy;
    for (std::size_t i = 0; i < points.size(); ++i) {
        ASSERT_TRUE(projected[i]);
        const auto single = t.from_wgs84(points[i]);
        ASSERT_TRUE(single);
        EXPECT_EQ(single->x, projected[i]->x);
        EXPECT_EQ(single->y, projected[i]->y);
        xy.push_back(*projected[i]);
    }
    const auto back = t.to_wgs84(xy);
    ASSERT_EQ(back.size(), points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        ASSERT_TRUE(back[i]);
        EXPECT_LT(distance_m(*back[i], points[i]), 1e-3);
    }
    // Xian 1980 zones are accepted too (PROJ knows no datum shift for them; see doc/crs.md).
    const CrsTransform xian("EPSG:2383");
    const auto x = xian.from_wgs84({114.3055, 30.5928});
    ASSERT_TRUE(x);
    const auto x_back = xian.to_wgs84(*x);
    ASSERT_TRUE(x_back);
    EXPECT_LT(distance_m(*x_back, {114.3055, 30.5928}), 1e-3);
}

TEST(CrsTransformProj, Cgcs2000IsWgs84WithinADecimetre) {
    const CrsTransform t("EPSG:4490");
    EXPECT_TRUE(t.is_geographic());
    for (const auto& [name, p] : chinese_cities) {
        const auto q = t.to_wgs84({p.lon, p.lat});
        ASSERT_TRUE(q);
        EXPECT_LT(distance_m(*q, p), 0.1) << name;
    }
}

TEST(CrsTransformProj, UnconvertiblePointsGiveNullopt) {
    const CrsTransform t("EPSG:3857");
    EXPECT_FALSE(t.from_wgs84({116.4, 95.0}));
    EXPECT_FALSE(CrsTransform("EPSG:4547").to_wgs84({1e9, 1e9})); // far outside Gauss-Krüger's domain
    EXPECT_FALSE(t.to_wgs84({std::numeric_limits<double>::quiet_NaN(), 0.0}));
    const std::vector<CrsCoord> batch = {{0.0, 0.0}, {std::numeric_limits<double>::infinity(), 0.0}, {1e6, 1e6}};
    const auto out = t.to_wgs84(batch);
    ASSERT_EQ(out.size(), 3U);
    EXPECT_TRUE(out[0]);
    EXPECT_FALSE(out[1]);
    EXPECT_TRUE(out[2]);
}

TEST(CrsTransformProj, InvalidStringsThrowConfigErrorNamingThem) {
    for (const std::string s : {"EPSG:99999", "nonsense", "+proj=foo", "", "WGS-84-ish"}) {
        try {
            const CrsTransform t(s);
            ADD_FAILURE() << "accepted '" << s << "'";
        } catch (const yike::config_error& e) {
            const std::string what = e.what();
            EXPECT_NE(what.find("'" + s + "'"), std::string::npos) << what;
            EXPECT_EQ(what.find('\n'), std::string::npos) << what;
        }
    }
}

TEST(CrsTransformProj, CopiesAndMovesWork) {
    const CrsTransform original("EPSG:4547");
    CrsTransform copy(original);
    const auto a = original.from_wgs84({114.3, 30.6});
    const auto b = copy.from_wgs84({114.3, 30.6});
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->x, b->x);
    EXPECT_EQ(a->y, b->y);
    CrsTransform moved(std::move(copy));
    const auto c = moved.from_wgs84({114.3, 30.6});
    ASSERT_TRUE(c);
    EXPECT_EQ(a->x, c->x);
    copy = original; // a moved-from object may be assigned to
    EXPECT_EQ(copy.name(), original.name());
    moved = CrsTransform("GCJ-02");
    EXPECT_EQ(moved.name(), "GCJ-02");
}

} // namespace
