// Layers as Chinese offices save them: GBK/GB18030 and UTF-8-BOM CSV, Excel workbooks with
// several sheets, Chinese column names, FILE:SHEET@CRS specs and the CRS a layer without one
// probably has.
#include <gtest/gtest.h>

#include <gdal/gdal.h>
#include <gdal/ogr_api.h>

#include <filesystem>
#include <fstream>
#include <iconv.h>
#include <string>
#include <unistd.h>
#include <vector>

#include "support/gb18030.hpp"
#include "support/facility_layer.hpp"
#include "support/temp_dir.hpp"
#include "yike/error.hpp"
#include "support/xlsx_sheets.hpp"
#include "yike/io/inputs.hpp"
#include "yike/io/xlsx_writer.hpp"

namespace fs = std::filesystem;
using namespace yike::io;

namespace {

using namespace yike::test; // fixtures and error helpers of tests/support


const std::string k_households = "编号,名称,经度,纬度,户数,人口,老年人口\n"
                                 "h1,东四一条,116.4170,39.9320,120,310,62\n"
                                 "h2,东四二条,116.4180,39.9330,80,200,41\n";

void write_sheets(const fs::path& path, const std::vector<std::pair<std::string, yike::test::SheetRows>>& sheets) {
    yike::test::write_xlsx(path, sheets);
}

void expect_same(const std::vector<DemandRecord>& a, const std::vector<DemandRecord>& b) {
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].id, b[i].id);
        EXPECT_EQ(a[i].location.lon, b[i].location.lon);
        EXPECT_EQ(a[i].location.lat, b[i].location.lat);
        EXPECT_EQ(a[i].households, b[i].households);
        EXPECT_EQ(a[i].population, b[i].population);
        EXPECT_EQ(a[i].seniors, b[i].seniors);
    }
}

} // namespace

TEST(LayerSources, GbkBomUtf8AndXlsxReadTheSameWithChineseColumns) {
    TempDir dir;
    DemandLayerOptions opt;
    opt.crs = "EPSG:4326";
    ReadWarnings w;
    const auto utf8 = read_demand_layer(dir.file("utf8.csv", k_households), opt, w);
    ASSERT_EQ(utf8.size(), 2u);
    EXPECT_EQ(utf8[0].id, "h1"); // 编号
    EXPECT_EQ(utf8[0].households, 120);
    EXPECT_EQ(utf8[0].population, 310);
    EXPECT_EQ(utf8[0].seniors, 62);
    EXPECT_DOUBLE_EQ(utf8[1].location.lon, 116.418);
    expect_same(utf8, read_demand_layer(dir.file("bom.csv", "\xEF\xBB\xBF" + k_households), opt, w));
    const std::string gbk = to_gb18030(k_households);
    ASSERT_NE(gbk, k_households);
    expect_same(utf8, read_demand_layer(dir.file("gbk.csv", gbk), opt, w));
    opt.encoding = "gbk";
    expect_same(utf8, read_demand_layer(dir.file("gbk2.csv", gbk), opt, w));
    opt.encoding = "utf-8";
    const std::string e = error_of([&] { (void)read_demand_layer(dir.path("gbk2.csv"), opt, w); });
    EXPECT_TRUE(contains(e, "gbk2.csv: line 1, column 1: bytes that are not UTF-8 text")) << e;
    opt.encoding.clear();
    write_sheets(dir.path("h.xlsx"), {{"说明", {{"说明"}, {"示例"}}},
                                      {"住户", {{"编号", "名称", "经度", "纬度", "户数", "人口", "老年人口"},
                                                {"h1", "东四一条", "116.4170", "39.9320", "120", "310", "62"},
                                                {"h2", "东四二条", "116.4180", "39.9330", "80", "200", "41"}}}});
    opt.layer = "住户";
    expect_same(utf8, read_demand_layer(dir.path("h.xlsx"), opt, w));
    opt.layer = "户籍";
    const std::string missing = error_of([&] { (void)read_demand_layer(dir.path("h.xlsx"), opt, w); });
    EXPECT_EQ(missing, dir.path("h.xlsx").string() + ": has no sheet named '户籍' (sheets: 说明, 住户)");
    EXPECT_TRUE(w.messages.empty());
}

TEST(LayerSources, BytesNeitherUtf8NorGbkAreNamedByLineAndColumn) {
    TempDir dir;
    const fs::path p = dir.file("bad.csv", "id,name,lon,lat\np1,ok,116.4,39.9\np2,\"a,b\xFF\",116.4,39.9\n");
    FacilityLayerOptions opt = yike::test::pharmacy_layer();
    const std::string e = yike::test::facility_data_error(p, opt);
    EXPECT_EQ(e, p.string() + ": line 3 (row 2), column 2 'name': bytes that are neither UTF-8 nor GBK/GB18030 text "
                              "(detected); save the file as UTF-8 CSV (or .xlsx) and try again");
    opt.encoding = "latin-1";
    ReadWarnings w;
    EXPECT_THROW((void)read_facility_layer(p, opt, w), yike::config_error);
}

TEST(LayerSources, KnownFieldsByTheirChineseNames) {
    TempDir dir;
    const fs::path p = dir.file("f.csv", "编号,名称,类别,经度,纬度,座位数,建筑面积,工作人员\n"
                                         "a,社区食堂,senior_dining,116.41,39.93,40,120.5,3\n");
    FacilityLayerOptions opt;
    opt.category_field = "category";
    opt.capacity_field = "capacity";
    opt.floor_area_field = "floor_area";
    opt.staff_field = "STAFF";
    opt.crs = "EPSG:4326";
    ReadWarnings w;
    const auto recs = read_facility_layer(p, opt, w);
    ASSERT_EQ(recs.size(), 1u);
    EXPECT_EQ(recs[0].id, "a");
    EXPECT_EQ(recs[0].name, "社区食堂");
    EXPECT_EQ(recs[0].category, "senior_dining");
    EXPECT_EQ(recs[0].capacity, 40.0);
    EXPECT_EQ(recs[0].floor_area_m2, 120.5);
    EXPECT_EQ(recs[0].staff, 3.0);
    opt.capacity_field = "beds";
    const std::string e = error_of([&] { (void)read_facility_layer(p, opt, w); });
    EXPECT_TRUE(contains(e, "has no capacity field 'beds' (fields: 编号, 名称, 类别, 经度, 纬度")) << e;
    opt.capacity_field = "capacity";
    opt.category_field.clear();
    opt.category = "senior_dining";
    const fs::path q = dir.file("g.csv", "id,lon,lat\na,116.41,39.93\n");
    const std::string e2 = error_of([&] { (void)read_facility_layer(q, opt, w); });
    EXPECT_TRUE(contains(e2, "has no capacity field 'capacity' (nor 座位数,床位数,容量,规模)")) << e2;
}

TEST(LayerSources, LayerSpecsSplitSheetAndCrs) {
    const auto a = parse_layer_spec("shops.xlsx:便利店@GCJ-02");
    EXPECT_EQ(a.path, "shops.xlsx");
    EXPECT_EQ(a.layer, "便利店");
    EXPECT_EQ(a.crs, "GCJ-02");
    const auto b = parse_layer_spec("data/communities.geojson@EPSG:4490");
    EXPECT_EQ(b.path, "data/communities.geojson");
    EXPECT_EQ(b.layer, "");
    EXPECT_EQ(b.crs, "EPSG:4490");
    const auto c = parse_layer_spec("/home/a@b/h.csv");
    EXPECT_EQ(c.path, "/home/a@b/h.csv");
    EXPECT_FALSE(c.crs.has_value());
    const auto d = parse_layer_spec("Book.XLSX:Sheet1");
    EXPECT_EQ(d.path, "Book.XLSX");
    EXPECT_EQ(d.layer, "Sheet1");
    const auto e = parse_layer_spec("h.csv@+proj=longlat +datum=WGS84");
    EXPECT_EQ(e.path, "h.csv");
    EXPECT_EQ(e.crs, "+proj=longlat +datum=WGS84");
    // A file whose name has an '@' is never split.
    TempDir dir;
    const fs::path odd = dir.file("x@EPSG:4326", "");
    EXPECT_EQ(parse_layer_spec(odd.string()).path, odd);
}

TEST(LayerSources, CrsSuggestionsFromCoordinateRanges) {
    EXPECT_TRUE(contains(crs_suggestion(116.2, 39.9, 116.5, 40.1), "lon/lat in China: EPSG:4326"));
    EXPECT_TRUE(contains(crs_suggestion(116.2, 39.9, 116.5, 40.1), "GCJ-02 for AMap"));
    EXPECT_TRUE(contains(crs_suggestion(7.4, 43.7, 7.5, 43.8), "probably EPSG:4326"));
    // Beijing in CGCS2000 3-degree Gauss-Krüger zone 39 with the zone number (EPSG:4527).
    EXPECT_TRUE(contains(crs_suggestion(39'440'000, 4'420'000, 39'460'000, 4'440'000), "zone 39 with its zone number: EPSG:4527"));
    EXPECT_TRUE(contains(crs_suggestion(20'440'000, 4'420'000, 20'460'000, 4'440'000), "6-degree zone 20 with its zone number: EPSG:4498"));
    EXPECT_TRUE(contains(crs_suggestion(12'950'000, 4'850'000, 12'960'000, 4'860'000), "Web Mercator over China: EPSG:3857"));
    EXPECT_TRUE(contains(crs_suggestion(440'000, 4'420'000, 460'000, 4'440'000), "without its zone number"));
}

TEST(LayerSources, XlsxPolygonsFromWktAndPointsOutsideChinaWarnedForGcj02) {
    TempDir dir;
    write_sheets(dir.path("c.xlsx"), {{"社区", {{"id", "名称", "wkt"},
                                               {"c1", "东四", "POLYGON ((116.41 39.93,116.42 39.93,116.42 39.94,116.41 39.94,116.41 39.93))"}}}});
    AreaLayerOptions area;
    area.crs = "EPSG:4326";
    ReadWarnings w;
    const auto areas = read_area_layer(dir.path("c.xlsx"), area, w);
    for (const auto& m : w.messages) ADD_FAILURE() << m;
    w.messages.clear();
    ASSERT_EQ(areas.size(), 1u);
    EXPECT_EQ(areas[0].name, "东四");
    ASSERT_EQ(areas[0].geometry.polygons.size(), 1u);
    EXPECT_EQ(areas[0].geometry.polygons[0].exterior.points.size(), 5u);

    const fs::path p = dir.file("far.csv", "id,lon,lat\na,116.41,39.93\nb,7.42,43.73\nc,7.43,43.74\n");
    FacilityLayerOptions opt = category_layer("pharmacy");
    opt.crs = "GCJ-02";
    const auto recs = read_facility_layer(p, opt, w);
    ASSERT_EQ(recs.size(), 3u);
    EXPECT_EQ(recs[1].location.lon, 7.42); // unshifted
    ASSERT_EQ(w.messages.size(), 1u);
    EXPECT_EQ(w.messages[0], p.string() + ": 2 position(s) outside China (first: feature 2 (id b)) in GCJ-02, which shifts "
                                          "positions only inside China: taken unshifted; check the layer's CRS");
}

// An unfilled sheet (a `yike template` sheet as written) is a sheet without data, said so, not a
// sheet whose columns are missing (GDAL names the columns of a one-row sheet Field1, Field2, ...).
TEST(LayerSources, XlsxSheetWithItsHeaderOnlyHoldsNoFeature) {
    TempDir dir;
    // Written as `yike template` writes it (GDAL's writer leaves a sheet without rows empty).
    XlsxSheet sheet;
    sheet.name = "住户";
    sheet.header = {"编号 id", "经度 lon", "纬度 lat", "户数 households"};
    write_xlsx_file(dir.path("h.xlsx"), {sheet});
    DemandLayerOptions options;
    options.crs = "EPSG:4326";
    ReadWarnings w;
    const std::string e = message_of<yike::io_error>([&] { (void)read_demand_layer(dir.path("h.xlsx"), options, w); });
    EXPECT_EQ(e, dir.path("h.xlsx").string() + ": holds no feature (the sheet '住户' has its header row only)");
    // One row of data under the header is read.
    write_sheets(dir.path("one.xlsx"), {{"住户", {{"编号 id", "经度 lon", "纬度 lat", "户数 households"}, {"h1", "116.41", "39.93", "12"}}}});
    const auto demand = read_demand_layer(dir.path("one.xlsx"), options, w);
    ASSERT_EQ(demand.size(), 1u);
    EXPECT_EQ(demand[0].id, "h1");
    EXPECT_EQ(demand[0].households, 12);
}
