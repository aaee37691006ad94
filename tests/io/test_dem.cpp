// Elevation models (io::ElevationModel) on tiny ESRI ASCII grids written by the tests, and the
// slopes apply_slope derives from them.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>

#include "support/temp_dir.hpp"
#include "yike/error.hpp"
#include "yike/io/dem.hpp"
#include "yike/io/profile.hpp"

namespace yike::io {
namespace {

const std::string wgs84_wkt =
    R"(GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]])";
const std::string utm32_wkt =
    R"(PROJCS["WGS 84 / UTM zone 32N",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],)"
    R"(PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],)"
    R"(PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",9],PARAMETER["scale_factor",0.9996],)"
    R"(PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1]])";

// An ESRI ASCII grid; rows from north to south. Writes NAME.asc and, when `wkt` is not empty, NAME.prj.
std::filesystem::path write_grid(const test::TempDir& dir, const std::string& name, double west, double south, double cell,
                                 const std::vector<std::vector<double>>& rows, const std::string& wkt) {
    std::ostringstream s;
    s.precision(12);
    s << "ncols " << rows.front().size() << "\nnrows " << rows.size() << "\nxllcorner " << west << "\nyllcorner " << south
      << "\ncellsize " << cell << "\nNODATA_value -9999\n";
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < row.size(); ++c) s << (c ? " " : "") << row[c];
        s << "\n";
    }
    if (!wkt.empty()) dir.file(name + ".prj", wkt);
    return dir.file(name + ".asc", s.str());
}

// 3 x 3 cells of 0.001 degrees; the south-west corner at 7.42, 43.73. Cell centres are at
// 7.4205 + 0.001 c, 43.7325 - 0.001 r.
const std::vector<std::vector<double>> grid3 = {{10, 20, 30}, {40, 50, 60}, {70, 80, -9999}};

TEST(Dem, HeightsAreBilinearBetweenCellCentres) {
    const test::TempDir dir;
    const ElevationModel dem(write_grid(dir, "g", 7.42, 43.73, 0.001, grid3, wgs84_wkt));
    const routing::LonLat points[] = {
        {7.4205, 43.7325},   // centre of row 0, column 0
        {7.4215, 43.7315},   // centre of row 1, column 1
        {7.4210, 43.7325},   // halfway between the first two centres of row 0
        {7.4210, 43.7320},   // the middle of the four top-left centres
        {7.4201, 43.7329},   // within half a cell of the border: the border cells
        {7.4225, 43.7305},   // the nodata cell
        {7.4220, 43.7310},   // next to the nodata cell: one of its four cells has no height
        {7.4100, 43.7300},   // outside
    };
    const auto h = dem.heights_m(points);
    EXPECT_DOUBLE_EQ(h[0], 10.0);
    EXPECT_DOUBLE_EQ(h[1], 50.0);
    EXPECT_NEAR(h[2], 15.0, 1e-6);
    EXPECT_NEAR(h[3], 30.0, 1e-6);
    EXPECT_NEAR(h[4], 10.0, 1e-6);
    EXPECT_TRUE(std::isnan(h[5]));
    EXPECT_TRUE(std::isnan(h[6]));
    EXPECT_TRUE(std::isnan(h[7]));
    EXPECT_NEAR(dem.cell_size_m(), 0.001 * 111'320.0 * std::cos(43.7315 * M_PI / 180.0), 1.0);
}

TEST(Dem, AProjectedDemIsReadThroughItsCrs) {
    // UTM 32N cells of 1 km around Monaco (about E 372.7 km, N 4842.7 km); the height grows by
    // 1 m per 100 m northwards, so points 0.001 degrees (111 m) apart in latitude differ by 1.11 m.
    std::vector<std::vector<double>> rows;
    const double south = 4'822'700.0;
    for (int r = 39; r >= 0; --r) {
        rows.emplace_back(40, ((south + (r + 0.5) * 1000.0) - south) / 100.0);
    }
    const test::TempDir dir;
    const ElevationModel dem(write_grid(dir, "utm", 352'700.0, south, 1000.0, rows, utm32_wkt));
    EXPECT_NEAR(dem.cell_size_m(), 1000.0, 1e-9);
    const routing::LonLat points[] = {{7.42, 43.73}, {7.42, 43.731}, {7.42, 40.0}};
    const auto h = dem.heights_m(points);
    ASSERT_TRUE(std::isfinite(h[0]));
    ASSERT_TRUE(std::isfinite(h[1]));
    EXPECT_NEAR(h[1] - h[0], 1.1119, 0.01);
    EXPECT_NEAR(h[0], 200.0, 25.0); // near the grid's middle
    EXPECT_TRUE(std::isnan(h[2]));
}

TEST(Dem, BadFilesAreClearErrors) {
    const test::TempDir dir;
    auto message = [](const std::filesystem::path& p) {
        try {
            const ElevationModel dem(p);
        } catch (const error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(message(dir.path("missing.tif")).find("missing.tif: DEM file not found"), std::string::npos);
    EXPECT_THROW(ElevationModel(dir.file("junk.tif", "not a raster at all")), io_error);
    EXPECT_NE(message(dir.file("junk.tif", "not a raster at all")).find("junk.tif: DEM is not a readable raster"),
              std::string::npos);
    const auto no_crs = write_grid(dir, "nocrs", 7.42, 43.73, 0.001, grid3, "");
    EXPECT_THROW(ElevationModel{no_crs}, data_error);
    EXPECT_NE(message(no_crs).find("nocrs.asc: DEM has no coordinate reference system"), std::string::npos);
}

TEST(Dem, ToblerIsNormalisedToTheFlat) {
    EXPECT_DOUBLE_EQ(tobler_time_factor(0.0, 3.5, 0.05), 1.0);
    EXPECT_LT(tobler_time_factor(-0.05, 3.5, 0.05), 1.0); // fastest slightly downhill
    EXPECT_NEAR(tobler_time_factor(-0.05, 3.5, 0.05), std::exp(-0.175), 1e-12);
    EXPECT_NEAR(tobler_time_factor(0.10, 3.5, 0.05), std::exp(3.5 * 0.10), 1e-12);
    EXPECT_NEAR(tobler_time_factor(-0.10, 3.5, 0.05), std::exp(3.5 * 0.0), 1e-12); // |-0.10 + 0.05| - 0.05 = 0
    EXPECT_GT(tobler_time_factor(0.10, 3.5, 0.05), tobler_time_factor(-0.10, 3.5, 0.05));
}

// One street piece running north along a grid that rises `rise_per_cell` per row.
struct Slope {
    test::TempDir dir;
    std::filesystem::path file;
    explicit Slope(double rise_per_cell) {
        std::vector<std::vector<double>> rows;
        for (int r = 19; r >= 0; --r) rows.emplace_back(5, r * rise_per_cell);
        file = write_grid(dir, "slope", 7.42, 43.73, 0.0001, rows, wgs84_wkt);
    }
};

routing::EdgeInput north_piece(double lat0, double lat1, int points) {
    routing::EdgeInput p;
    for (int i = 0; i < points; ++i) {
        p.points.push_back({7.42025, lat0 + (lat1 - lat0) * i / (points - 1)});
        p.point_osm_id.push_back(100 + i);
    }
    p.way_id = 7;
    return p;
}

TEST(Dem, ApplySlopeGivesToblerFactorsBothWays) {
    const Slope s(1.112); // 0.0001 degrees of latitude is 11.12 m: a 10 % slope
    const ElevationModel dem(s.file);
    const WalkProfile walk = load_profile("walk");
    ASSERT_TRUE(walk.slope.tobler);
    // Two points 0.0010 degrees apart: a long segment sampled every cell in between.
    std::vector<routing::EdgeInput> pieces{north_piece(43.7302, 43.7312, 2)};
    SlopeReport report;
    apply_slope(pieces, dem, walk, report);
    ASSERT_EQ(pieces.size(), 1U);
    ASSERT_EQ(pieces[0].segment_time_factor.size(), 1U);
    const double run = routing::segment_length_m(pieces[0].points[0], pieces[0].points[1]);
    const double grade = 1.112 * 10.0 / run;
    EXPECT_NEAR(grade, 0.1, 0.002);
    EXPECT_NEAR(pieces[0].segment_time_factor[0], tobler_time_factor(grade, 3.5, 0.05), 1e-3);
    EXPECT_NEAR(pieces[0].segment_back_time_factor[0], tobler_time_factor(-grade, 3.5, 0.05), 1e-3);
    EXPECT_EQ(report.segments, 1U);
    EXPECT_EQ(report.segments_without_height, 0U);
    EXPECT_NEAR(report.steepest_percent, 10.0, 0.3);
}

TEST(Dem, SegmentsOutsideTheDemAreFlatAndCounted) {
    const Slope s(1.112);
    const ElevationModel dem(s.file);
    // Three segments: inside, leaving the grid (north edge at 43.7320), outside.
    std::vector<routing::EdgeInput> pieces{north_piece(43.7301, 43.7361, 4)};
    pieces[0].points[1].lat = 43.7311;
    SlopeReport report;
    apply_slope(pieces, dem, load_profile("walk"), report);
    EXPECT_EQ(report.segments, 3U);
    EXPECT_EQ(report.segments_without_height, 2U);
    ASSERT_EQ(pieces[0].segment_time_factor.size(), 3U);
    EXPECT_GT(pieces[0].segment_time_factor[0], 1.0);
    EXPECT_EQ(pieces[0].segment_time_factor[1], 1.0);
    EXPECT_EQ(pieces[0].segment_back_time_factor[2], 1.0);
    const std::string text = slope_warning_text(dem, report);
    EXPECT_NE(text.find("slope.asc: 2 of 3 way segments lie outside the DEM or on its nodata cells"), std::string::npos);
}

TEST(Dem, TooSteepSegmentsAreCutForAnInclineLimit) {
    const Slope s(1.112); // 10 %
    const ElevationModel dem(s.file);
    WalkProfile chair = load_profile("walk");
    chair.slope.tobler = false;
    chair.max_incline_permille = 80; // 8 %
    // Four segments; the second climbs the grid, the others are level (east-west).
    routing::EdgeInput p;
    const routing::LonLat pts[] = {{7.4201, 43.7302}, {7.4203, 43.7302}, {7.4203, 43.7305}, {7.4204, 43.7305}, {7.4205, 43.7305}};
    for (int i = 0; i < 5; ++i) {
        p.points.push_back(pts[i]);
        p.point_osm_id.push_back(200 + i);
    }
    p.front_delay_ms = 5;
    p.back_delay_ms = 7;
    std::vector<routing::EdgeInput> pieces{p};
    SlopeReport report;
    apply_slope(pieces, dem, chair, report);
    EXPECT_EQ(report.segments_too_steep, 1U);
    ASSERT_EQ(pieces.size(), 2U);
    EXPECT_EQ(pieces[0].point_osm_id, (std::vector<std::int64_t>{200, 201}));
    EXPECT_EQ(pieces[1].point_osm_id, (std::vector<std::int64_t>{202, 203, 204}));
    EXPECT_EQ(pieces[0].front_delay_ms, 5U);
    EXPECT_EQ(pieces[0].back_delay_ms, 0U);
    EXPECT_EQ(pieces[1].front_delay_ms, 0U);
    EXPECT_EQ(pieces[1].back_delay_ms, 7U);
    EXPECT_TRUE(pieces[0].segment_time_factor.empty()); // flat model: times untouched

    // A 12 % limit keeps it.
    chair.max_incline_permille = 120;
    std::vector<routing::EdgeInput> again{p};
    SlopeReport report2;
    apply_slope(again, dem, chair, report2);
    EXPECT_EQ(again.size(), 1U);
    EXPECT_EQ(report2.segments_too_steep, 0U);
}

TEST(Dem, SlopeProfileKeys) {
    const test::TempDir dir;
    const std::string base = R"(name = "x"
speed_m_per_s = 1.0
forbidden_access = ["no"]
allowed_foot = ["yes"]
[highway_speed_factor]
footway = 1.0
)";
    const WalkProfile flat = load_profile(dir.file("flat.toml", base).string());
    EXPECT_FALSE(flat.slope.tobler);
    const WalkProfile t = load_profile(dir.file("t.toml", base + "[slope]\nmodel = \"tobler\"\nb = 3.0\nc = 0.1\n").string());
    EXPECT_TRUE(t.slope.tobler);
    EXPECT_DOUBLE_EQ(t.slope.b, 3.0);
    EXPECT_DOUBLE_EQ(t.slope.c, 0.1);
    auto error_of = [&](const std::string& name, const std::string& slope) {
        try {
            (void)load_profile(dir.file(name, base + slope).string());
        } catch (const config_error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(error_of("m.toml", "[slope]\nmodel = \"hiking\"\n").find("profile key 'slope.model' must be \"tobler\" or \"flat\""),
              std::string::npos);
    EXPECT_NE(error_of("b.toml", "[slope]\nmodel = \"tobler\"\nb = -1\n").find("profile key 'slope.b' must be in [0, 20]"),
              std::string::npos);
    EXPECT_NE(error_of("k.toml", "[slope]\nmodel = \"tobler\"\nslope_max = 1\n").find("'slope.slope_max' unknown key"),
              std::string::npos);
}

} // namespace
} // namespace yike::io
