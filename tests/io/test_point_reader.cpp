// read_points: the origins of `yike isochrone --points`.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "support/gb18030.hpp"
#include "support/temp_dir.hpp"
#include "support/xlsx_sheets.hpp"
#include "yike/error.hpp"
#include "yike/io/crs.hpp"
#include "yike/io/inputs.hpp"
#include "yike/io/point_reader.hpp"

namespace {

namespace fs = std::filesystem;

fs::path write_file(const std::string& name, const std::string& content) {
    const fs::path dir = fs::temp_directory_path() / ("yike-point-reader-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path p = dir / name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
}

TEST(PointReader, BlankIdsFallBackToThePosition) {
    // Found by the csv_points fuzz target: an empty id cell gave a point with an empty id.
    const auto path = write_file("blank_ids.csv", "id,lon,lat\na,7.42,43.73\n,7.43,43.74\n  ,7.44,43.75\n b ,7.45,43.76\n");
    const auto points = yike::io::read_points(path);
    ASSERT_EQ(points.size(), 4U);
    EXPECT_EQ(points[0].id, "a");
    EXPECT_EQ(points[1].id, "2");
    EXPECT_EQ(points[2].id, "3");
    EXPECT_EQ(points[3].id, "b");
    EXPECT_DOUBLE_EQ(points[1].lonlat.lon, 7.43);
    EXPECT_DOUBLE_EQ(points[1].lonlat.lat, 43.74);
    fs::remove_all(path.parent_path());
}

TEST(PointReader, TwoLongitudeColumnsAreRefused) {
    // Found by the csv_points fuzz target: GDAL's CSV driver crashed on "lon,x,lat" when asked to
    // drop the coordinate columns, and otherwise silently takes the last longitude column.
    const auto path = write_file("two_lon.csv", "id,lon,x,lat\na,7.42,7.5,43.73\n");
    try {
        (void)yike::io::read_points(path);
        ADD_FAILURE() << "no error";
    } catch (const yike::data_error& e) {
        EXPECT_NE(std::string(e.what()).find("two_lon.csv: has more than one longitude column (lon, x)"),
                  std::string::npos)
            << e.what();
    }
    yike::io::FacilityLayerOptions options;
    options.crs = "EPSG:4326";
    options.category = "pharmacy";
    yike::io::ReadWarnings warnings;
    EXPECT_THROW((void)yike::io::read_facility_layer(path, options, warnings), yike::data_error);
    // One of each is read, and the coordinate columns may stay as fields.
    const auto ok = write_file("one_each.csv", "经度,纬度,name\n116.39,39.91,药店\n");
    const auto points = yike::io::read_points(ok);
    ASSERT_EQ(points.size(), 1U);
    EXPECT_EQ(points[0].id, "药店");
    EXPECT_DOUBLE_EQ(points[0].lonlat.lon, 116.39);
    EXPECT_DOUBLE_EQ(points[0].lonlat.lat, 39.91);
    fs::remove_all(path.parent_path());
}

// `yike isochrone --points` takes the files offices hold, as the layer options do: an Excel sheet
// named after the file, a GBK CSV with Chinese headers, a CRS per file (FILE@CRS).
TEST(PointReader, ExcelSheetsGbkCsvAndACrsPerFile) {
    const yike::test::TempDir dir;
    yike::test::write_xlsx(dir.path("o.xlsx"), {{"说明", {{"说明"}, {"第二张表是起点"}}},
                                                 {"起点", {{"名称", "经度", "纬度"}, {"东四", "116.4170", "39.9320"}}}});
    yike::io::LayerOptions sheet;
    sheet.layer = "起点";
    const auto xlsx = yike::io::read_points(dir.path("o.xlsx"), sheet);
    ASSERT_EQ(xlsx.size(), 1U);
    EXPECT_EQ(xlsx[0].id, "东四");
    EXPECT_DOUBLE_EQ(xlsx[0].lonlat.lon, 116.4170);
    EXPECT_DOUBLE_EQ(xlsx[0].lonlat.lat, 39.9320);

    const auto gbk = dir.file("o.csv", yike::test::to_gb18030("名称,经度,纬度\n东四,116.4170,39.9320\n"));
    const auto from_gbk = yike::io::read_points(gbk);
    ASSERT_EQ(from_gbk.size(), 1U);
    EXPECT_EQ(from_gbk[0].id, "东四");
    EXPECT_DOUBLE_EQ(from_gbk[0].lonlat.lon, 116.4170);

    // The same point given in GCJ-02 (as AMap shows it) comes back where WGS84 has it.
    const auto spec = yike::io::parse_layer_spec(gbk.string() + "@GCJ-02");
    yike::io::LayerOptions gcj;
    gcj.crs = spec.crs;
    const auto shifted = yike::io::read_points(spec.path, gcj);
    ASSERT_EQ(shifted.size(), 1U);
    const auto expected = yike::io::CrsTransform("GCJ-02").to_wgs84({116.4170, 39.9320});
    ASSERT_TRUE(expected.has_value());
    EXPECT_DOUBLE_EQ(shifted[0].lonlat.lon, expected->lon);
    EXPECT_DOUBLE_EQ(shifted[0].lonlat.lat, expected->lat);
    EXPECT_GT(std::abs(shifted[0].lonlat.lon - 116.4170), 1e-4); // GCJ-02 is shifted by hundreds of metres

    yike::io::LayerOptions missing;
    missing.layer = "终点";
    EXPECT_THROW((void)yike::io::read_points(dir.path("o.xlsx"), missing), yike::error);
}

} // namespace
