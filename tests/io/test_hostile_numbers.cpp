// Numbers that cannot be trusted (issue 18): every numeric field of every user layer fed the
// extremes (1e308, 1e20, 1e999, -0, NaN, infinity, a subnormal, a negative number) is refused with
// an error naming the file and feature, or skipped with a counted warning, never passed on as a
// value that could make a total overflow.
#include <gtest/gtest.h>

#include <gdal/gdal.h>
#include <gdal/ogr_srs_api.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>
#include <unistd.h>

#include "support/temp_dir.hpp"
#include "yike/error.hpp"
#include "yike/io/inputs.hpp"

namespace fs = std::filesystem;
using namespace yike::io;

namespace {

class HostileNumbers : public ::testing::Test {
protected:
    fs::path write(const std::string& name, const std::string& text) const { return m_tmp.file(name, text); }
    yike::test::TempDir m_tmp;
    const fs::path& m_dir = m_tmp.dir();
};

enum class Expect { error, warning, value };

struct Extreme {
    const char* text;
    Expect expect;
    double value; // for Expect::value
};

// The same for every field of the demand, area and facility layers (limits 1e7 and 1e9).
const Extreme extremes[] = {
    {"1e308", Expect::error, 0},   {"1e20", Expect::error, 0},     {"1e999", Expect::warning, 0},
    {"nan", Expect::warning, 0},   {"NaN", Expect::warning, 0},    {"inf", Expect::warning, 0},
    {"-inf", Expect::warning, 0},  {"-5", Expect::warning, 0},     {"-0", Expect::value, 0.0},
    {"4.9e-324", Expect::value, 4.9e-324}, {"2.2e-308", Expect::value, 2.2e-308}, {"12", Expect::value, 12.0},
};

// Runs `read` and checks the outcome against `e`; `value` reads the field of the one record.
void check(const Extreme& e, const std::string& what, const std::function<double(ReadWarnings&)>& read) {
    SCOPED_TRACE(what + " = " + e.text);
    ReadWarnings w;
    switch (e.expect) {
    case Expect::error:
        try {
            (void)read(w);
            ADD_FAILURE() << "accepted";
        } catch (const yike::data_error& err) {
            const std::string m = err.what();
            EXPECT_NE(m.find("layer.csv: feature 1 (id x1)"), std::string::npos) << m;
            EXPECT_NE(m.find("implausibly large"), std::string::npos) << m;
        }
        break;
    case Expect::warning: {
        const double v = read(w);
        EXPECT_EQ(w.skipped_bad_value, 1u);
        ASSERT_FALSE(w.messages.empty());
        EXPECT_NE(w.messages.front().find("layer.csv: feature 1 (id x1)"), std::string::npos) << w.messages.front();
        EXPECT_TRUE(std::isfinite(v) && v >= 0) << v;
        break;
    }
    case Expect::value: {
        const double v = read(w);
        EXPECT_EQ(w.skipped_bad_value, 0u);
        EXPECT_EQ(v, e.value);
        EXPECT_FALSE(std::signbit(v)) << "-0 must become 0";
        break;
    }
    }
}

} // namespace

TEST_F(HostileNumbers, EveryDemandField) {
    for (const char* field : {"households", "population", "seniors", "children"}) {
        for (const auto& e : extremes) {
            const auto file = write("layer.csv", std::string("id,lon,lat,") + field + (std::string(field) == "households" ? ",population" : ",households") +
                                                     "\nx1,116.4,39.9," + e.text + ",1\n");
            DemandLayerOptions o;
            o.crs = "EPSG:4326";
            check(e, field, [&](ReadWarnings& w) {
                const auto r = read_demand_layer(file, o, w);
                EXPECT_EQ(r.size(), 1u);
                const std::string f = field;
                return f == "households" ? r.at(0).households
                       : f == "population" ? r.at(0).population
                       : f == "seniors"    ? r.at(0).seniors
                                           : r.at(0).children;
            });
        }
    }
}

TEST_F(HostileNumbers, EveryFacilityField) {
    for (const char* field : {"capacity", "floor_area", "staff"}) {
        for (const auto& e : extremes) {
            const auto file = write("layer.csv", std::string("id,lon,lat,") + field + "\nx1,116.4,39.9," + e.text + "\n");
            FacilityLayerOptions o;
            o.crs = "EPSG:4326";
            o.category = "pharmacy";
            o.capacity_field = o.floor_area_field = o.staff_field = "";
            (std::string(field) == "capacity" ? o.capacity_field : std::string(field) == "staff" ? o.staff_field : o.floor_area_field) = field;
            check(e, field, [&](ReadWarnings& w) {
                const auto r = read_facility_layer(file, o, w);
                EXPECT_EQ(r.size(), 1u);
                const auto& f = r.at(0);
                const auto v = std::string(field) == "capacity" ? f.capacity : std::string(field) == "staff" ? f.staff : f.floor_area_m2;
                return v.value_or(0.0);
            });
        }
    }
}

TEST_F(HostileNumbers, CommunityKnownHouseholds) {
    for (const auto& e : extremes) {
        const auto file = write("layer.csv", std::string("id,WKT,hh\nx1,\"POLYGON ((116.4 39.9,116.41 39.9,116.41 39.91,116.4 39.9))\",") +
                                                 e.text + "\n");
        AreaLayerOptions o;
        o.crs = "EPSG:4326";
        o.households_field = "hh";
        check(e, "hh", [&](ReadWarnings& w) {
            const auto r = read_area_layer(file, o, w);
            EXPECT_EQ(r.size(), 1u);
            return r.at(0).households.value_or(0.0);
        });
    }
}

TEST_F(HostileNumbers, LargeButPossibleDemandIsCountedInAWarning) {
    const auto file = write("layer.csv", "id,lon,lat,households\na,116.4,39.9,200000\nb,116.4,39.9,10\nc,116.4,39.9,1e7\n");
    DemandLayerOptions o;
    o.crs = "EPSG:4326";
    ReadWarnings w;
    const auto r = read_demand_layer(file, o, w);
    ASSERT_EQ(r.size(), 3u);
    ASSERT_EQ(w.messages.size(), 1u);
    EXPECT_NE(w.messages[0].find("2 demand point(s) hold more than 100000"), std::string::npos) << w.messages[0];
    EXPECT_NE(w.messages[0].find("feature 1 (id a)"), std::string::npos) << w.messages[0];
}

TEST_F(HostileNumbers, DuplicateAreaIdsAreRefused) {
    const auto file = write("layer.csv",
                            "id,WKT\nc1,\"POLYGON ((116.4 39.9,116.41 39.9,116.41 39.91,116.4 39.9))\"\n"
                            "c2,\"POLYGON ((116.5 39.9,116.51 39.9,116.51 39.91,116.5 39.9))\"\n"
                            "c1,\"POLYGON ((116.6 39.9,116.61 39.9,116.61 39.91,116.6 39.9))\"\n");
    AreaLayerOptions o;
    o.crs = "EPSG:4326";
    ReadWarnings w;
    try {
        (void)read_area_layer(file, o, w);
        FAIL() << "accepted";
    } catch (const yike::data_error& e) {
        EXPECT_NE(std::string(e.what()).find("layer.csv: feature 3 (id c1): duplicate area id 'c1', already used by feature 1"),
                  std::string::npos)
            << e.what();
    }
}

namespace {

// A Float64 GeoTIFF, one row of cells, 0.01-degree cells from (116.0, 40.0).
fs::path float64_raster(const fs::path& p, const std::vector<double>& cells, std::optional<double> nodata = {}) {
    GDALAllRegister();
    GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GTiff"), p.c_str(), static_cast<int>(cells.size()), 1, 1,
                                 GDT_Float64, nullptr);
    EXPECT_NE(ds, nullptr);
    double gt[6] = {116.0, 0.01, 0.0, 40.0, 0.0, -0.01};
    GDALSetGeoTransform(ds, gt);
    OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
    OSRImportFromEPSG(srs, 4326);
    GDALSetSpatialRef(ds, srs);
    OSRDestroySpatialReference(srs);
    GDALRasterBandH band = GDALGetRasterBand(ds, 1);
    if (nodata) GDALSetRasterNoDataValue(band, *nodata);
    std::vector<double> data = cells;
    EXPECT_EQ(GDALRasterIO(band, GF_Write, 0, 0, static_cast<int>(cells.size()), 1, data.data(),
                           static_cast<int>(cells.size()), 1, GDT_Float64, 0, 0),
              CE_None);
    GDALClose(ds);
    return p;
}

} // namespace

TEST_F(HostileNumbers, RasterCells) {
    const double nan = std::nan("");
    const double inf = HUGE_VAL;
    ReadWarnings w;
    // NaN, infinities and negative cells are skipped and counted; -0 and the nodata value are empty
    // cells; a subnormal is a (tiny) population.
    const auto p = float64_raster(m_dir / "pop.tif", {262.0, nan, -100.0, inf, -inf, -0.0, 4.9e-324, -9999.0}, -9999.0);
    const auto r = read_population_raster(p, {}, HouseholdEstimate{}, w);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[1].population, 4.9e-324);
    EXPECT_EQ(w.skipped_bad_value, 4u);
    ASSERT_EQ(w.messages.size(), 1u);
    EXPECT_NE(w.messages[0].find("4 cell(s) with a NaN, infinite or negative value skipped (first: row 0 column 1)"),
              std::string::npos)
        << w.messages[0];
    // Cells beyond any plausible population are refused, naming the cell.
    for (const double big : {1e308, 1e20, 1.5e7}) {
        ReadWarnings w2;
        const auto q = float64_raster(m_dir / "big.tif", {10.0, big});
        try {
            (void)read_population_raster(q, {}, HouseholdEstimate{}, w2);
            ADD_FAILURE() << big << " accepted";
        } catch (const yike::data_error& e) {
            EXPECT_NE(std::string(e.what()).find("big.tif: cell row 0 column 1 holds"), std::string::npos) << e.what();
        }
    }
}


// A column full of unusable values gives two lines per field, not one per row: the first value
// named, then the count.
TEST_F(HostileNumbers, UnusableValuesOfAColumnAreCountedNotListed) {
    std::string csv = "id,lon,lat,households,seniors\n";
    for (int k = 0; k < 1000; ++k) {
        csv += "h" + std::to_string(k) + ",116.40,39.90," + (k % 2 == 0 ? "n/a" : "-3") + "," + (k == 7 ? "nan" : "1") + "\n";
    }
    ReadWarnings w;
    DemandLayerOptions o;
    o.crs = "EPSG:4326";
    const auto r = read_demand_layer(write("homes.csv", csv), o, w);
    EXPECT_EQ(r.size(), 1000u);
    EXPECT_EQ(w.skipped_bad_value, 1001u);
    ASSERT_EQ(w.messages.size(), 3u);
    EXPECT_NE(w.messages[0].find("homes.csv: feature 1 (id h0): households 'n/a' is not a non-negative number; ignored"),
              std::string::npos)
        << w.messages[0];
    EXPECT_NE(w.messages[1].find("(id h7): seniors 'nan' is not a non-negative number"), std::string::npos) << w.messages[1];
    EXPECT_NE(w.messages[2].find("homes.csv: 1000 households values in all are not non-negative numbers"),
              std::string::npos)
        << w.messages[2];
}
