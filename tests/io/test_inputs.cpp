// Inputs of a coverage run: user layers through GDAL (the OSM extras are in test_inputs_osm.cpp).
#include <gtest/gtest.h>

// GDAL is a private dependency of yike::io: its headers are reached through their folder, and
// the library is linked through yike::io.
#include <gdal/gdal.h>
#include <gdal/ogr_api.h>
#include <gdal/ogr_srs_api.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <numbers>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>
#include <unistd.h>

#include "support/facility_layer.hpp"
#include "support/temp_dir.hpp"
#include "yike/error.hpp"
#include "yike/io/crs.hpp"
#include "yike/io/inputs.hpp"

namespace fs = std::filesystem;
using namespace yike::io;
using yike::routing::LonLat;

namespace {

// A fresh folder per test, removed afterwards.
using namespace yike::test; // fixtures and error helpers of tests/support

const FacilityRecord& by_id(const std::vector<FacilityRecord>& v, const std::string& id) {
    const auto it = std::find_if(v.begin(), v.end(), [&](const FacilityRecord& r) { return r.id == id; });
    if (it == v.end()) {
        throw std::runtime_error("no record " + id);
    }
    return *it;
}

bool inside_ring(LonLat p, const std::vector<LonLat>& ring) {
    bool in = false;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        if ((ring[i].lat > p.lat) != (ring[j].lat > p.lat) &&
            p.lon < (ring[j].lon - ring[i].lon) * (p.lat - ring[i].lat) / (ring[j].lat - ring[i].lat) + ring[i].lon) {
            in = !in;
        }
    }
    return in;
}

// Where Web Mercator (EPSG:3857) metres x, y lie in WGS 84: the closed-form spherical inverse.
LonLat web_mercator_to_lonlat(double x_m, double y_m) {
    constexpr double r = 6378137.0;
    constexpr double pi = std::numbers::pi;
    return {x_m / r * 180.0 / pi, (2.0 * std::atan(std::exp(y_m / r)) - pi / 2) * 180.0 / pi};
}

const char* facilities_geojson = R"({
"type": "FeatureCollection",
"features": [
 {"type": "Feature", "properties": {"id": "p1", "name": "大药房", "kind": "pharmacy", "cap": 10},
  "geometry": {"type": "Point", "coordinates": [116.40, 39.90]}},
 {"type": "Feature", "properties": {"id": "c1", "name": "Clinic", "kind": "clinic", "cap": 20},
  "geometry": {"type": "Polygon", "coordinates": [[[116.41, 39.91], [116.42, 39.91], [116.42, 39.92],
     [116.415, 39.912], [116.41, 39.92], [116.41, 39.91]]]}},
 {"type": "Feature", "properties": {"id": "p2", "name": "Bad", "kind": "pharmacy", "cap": -5},
  "geometry": {"type": "Point", "coordinates": [116.43, 39.93]}},
 {"type": "Feature", "properties": {"id": "p3", "name": "Nowhere", "kind": "pharmacy", "cap": 1},
  "geometry": null}
]})";

} // namespace

TEST(InputsLayers, GeoJsonFacilitiesWithCategoryFieldAndCapacity) {
    TempDir dir;
    const fs::path p = dir.file("fac.geojson", facilities_geojson);
    FacilityLayerOptions opt;
    opt.category_field = "kind";
    opt.capacity_field = "cap";
    ReadWarnings w;
    const auto recs = read_facility_layer(p, opt, w);
    ASSERT_EQ(recs.size(), 3u);
    const auto& p1 = by_id(recs, "p1");
    EXPECT_EQ(p1.name, "大药房");
    EXPECT_EQ(p1.category, "pharmacy");
    EXPECT_DOUBLE_EQ(p1.location.lon, 116.40);
    EXPECT_DOUBLE_EQ(p1.location.lat, 39.90);
    ASSERT_TRUE(p1.capacity);
    EXPECT_EQ(*p1.capacity, 10.0);
    EXPECT_FALSE(p1.floor_area_m2);
    EXPECT_EQ(p1.source, p.string());
    // The concave polygon's representative point lies inside it, not at the (outside) centroid.
    const auto& c1 = by_id(recs, "c1");
    EXPECT_EQ(c1.category, "clinic");
    EXPECT_TRUE(inside_ring(c1.location, {{116.41, 39.91}, {116.42, 39.91}, {116.42, 39.92}, {116.415, 39.912},
                                          {116.41, 39.92}, {116.41, 39.91}}));
    EXPECT_EQ(*c1.capacity, 20.0);
    const auto& p2 = by_id(recs, "p2");
    EXPECT_FALSE(p2.capacity);
    EXPECT_EQ(w.skipped_bad_value, 1u);
    EXPECT_EQ(w.skipped_without_geometry, 1u);
    ASSERT_EQ(w.messages.size(), 2u);
    EXPECT_TRUE(contains(w.messages[0], "fac.geojson: feature 3 (id p2): capacity '-5'")) << w.messages[0];
    // A feature skipped for lack of geometry is named in a counted warning, never dropped silently.
    EXPECT_TRUE(contains(w.messages[1], "fac.geojson: 1 of 4 features have no geometry")) << w.messages[1];
    EXPECT_TRUE(contains(w.messages[1], "the first is feature 4 (id p3)")) << w.messages[1];
}

TEST(InputsLayers, NoFeatureWithAGeometryIsADataError) {
    TempDir dir;
    const fs::path p = dir.file("blank.csv", "id,lon,lat\na,,\nb,nan,39.9\n");
    const std::string e = facility_data_error(p);
    EXPECT_TRUE(contains(e, "blank.csv: none of its 2 features has a geometry")) << e;
    EXPECT_TRUE(contains(e, "the first is feature 1 (id a)")) << e;
}

TEST(InputsLayers, TextThatIsNotUtf8IsRejectedNamingTheFeature) {
    TempDir dir;
    FacilityLayerOptions opt = pharmacy_layer();
    ReadWarnings w;
    // 东城药店 in GBK (the Windows default for Chinese), then in UTF-8.
    const std::string gbk = "\xb6\xab\xb3\xc7\xd2\xa9\xb5\xea";
    // A CSV file in GBK is detected and converted (test_layer_sources.cpp); forced to be read as
    // UTF-8 it is refused naming the line and column.
    const fs::path p = dir.file("gbk.csv", "id,name,lon,lat\nok,plain,116.4,39.9\nz9," + gbk + ",116.41,39.91\n");
    EXPECT_EQ(read_facility_layer(p, opt, w).at(1).name, "东城药店");
    opt.encoding = "utf-8";
    std::string e = facility_data_error(p, opt);
    EXPECT_TRUE(contains(e, "gbk.csv: line 3 (row 2), column 2 'name': bytes that are not UTF-8 text")) << e;
    const fs::path utf8 = dir.file("utf8.csv", "id,name,lon,lat\nz9,东城药店 𠀀,116.41,39.91\n");
    EXPECT_EQ(read_facility_layer(utf8, opt, w).at(0).name, "东城药店 𠀀");
    // Ids are checked before they are put into messages; truncated, overlong and surrogate
    // sequences are not UTF-8 either.
    for (const std::string bad : {"\xe4\xb8", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80"}) {
        const fs::path q = dir.file("id.csv", "id,lon,lat\nx" + bad + ",116.4,39.9\n");
        e = error_of([&] { (void)read_facility_layer(q, opt, w); });
        EXPECT_TRUE(contains(e, "id.csv: line 2 (row 1), column 1 'id': bytes that are not UTF-8 text")) << e;
    }
    opt.encoding.clear();
    AreaLayerOptions area;
    area.crs = "EPSG:4326";
    const fs::path a = dir.file("areas.geojson", R"({"type":"FeatureCollection","features":[{"type":"Feature",)"
                                                 R"("properties":{"id":"c1","name":")" + gbk + R"("},"geometry":)"
                                                 R"({"type":"Polygon","coordinates":[[[116.4,39.9],[116.41,39.9],)"
                                                 R"([116.41,39.91],[116.4,39.9]]]}}]})");
    e = error_of([&] { (void)read_area_layer(a, area, w); });
    EXPECT_TRUE(contains(e, "areas.geojson: feature 1 (id c1): name is not UTF-8 text")) << e;
}

TEST(InputsLayers, DuplicateFacilityIdsAreADataError) {
    TempDir dir;
    const fs::path p = dir.file("dup.csv", "id,lon,lat\np1,116.4,39.9\np2,116.41,39.91\np1,116.42,39.92\n");
    const std::string e = facility_data_error(p);
    EXPECT_TRUE(contains(e, "dup.csv: feature 3 (id p1): duplicate facility id 'p1', already used by feature 1")) << e;
    // Generated ids (no id field) never collide.
    const fs::path q = dir.file("noid.csv", "lon,lat\n116.4,39.9\n116.4,39.9\n");
    ReadWarnings w;
    EXPECT_EQ(read_facility_layer(q, pharmacy_layer(), w).size(), 2u);
}

TEST(InputsLayers, CategoryForWholeFileAndDefaultIds) {
    TempDir dir;
    const fs::path p = dir.file("shops.geojson", R"({"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"title": "a"}, "geometry": {"type": "Point", "coordinates": [1, 2]}},
 {"type": "Feature", "properties": {"title": "b"}, "geometry": {"type": "Point", "coordinates": [3, 4]}}]})");
    FacilityLayerOptions opt = category_layer("grocery");
    opt.name_field = "title";
    ReadWarnings w;
    const auto recs = read_facility_layer(p, opt, w);
    ASSERT_EQ(recs.size(), 2u);
    EXPECT_EQ(recs[0].id, "shops:1");
    EXPECT_EQ(recs[1].id, "shops:2");
    EXPECT_EQ(recs[1].name, "b");
    EXPECT_EQ(recs[1].category, "grocery");
    EXPECT_TRUE(w.messages.empty());
}

TEST(InputsLayers, MissingFieldsAreConfigErrorsNamingFileAndField) {
    TempDir dir;
    const fs::path p = dir.file("fac.geojson", facilities_geojson);
    ReadWarnings w;
    FacilityLayerOptions opt;
    opt.category_field = "kind";
    opt.capacity_field = "seats";
    const std::string e = message_of<yike::config_error>([&] { (void)read_facility_layer(p, opt, w); });
    EXPECT_TRUE(contains(e, "fac.geojson: has no capacity field 'seats'")) << e;
    opt.capacity_field.clear();
    opt.category_field = "type";
    EXPECT_TRUE(contains(error_of([&] { (void)read_facility_layer(p, opt, w); }), "category field 'type'"));
    opt.category_field.clear();
    EXPECT_THROW((void)read_facility_layer(p, opt, w), yike::config_error);
    opt.category = "pharmacy";
    opt.layer = "nope";
    EXPECT_THROW((void)read_facility_layer(p, opt, w), yike::config_error);
}

TEST(InputsLayers, CsvNeedsCrsAndReadsLonLatColumns) {
    TempDir dir;
    const fs::path p = dir.file("fac.csv", "id,name,kind,lon,lat,capacity,staff\n"
                                           "a,甲,school,116.5,39.8,300,25\n"
                                           "b,乙,school,116.6,39.7,abc,\n");
    FacilityLayerOptions opt;
    opt.category_field = "kind";
    opt.capacity_field = "capacity";
    opt.staff_field = "staff";
    ReadWarnings w;
    const std::string e = message_of<yike::config_error>([&] { (void)read_facility_layer(p, opt, w); });
    EXPECT_EQ(e, p.string() + ": has no CRS; pass --crs CRS (every layer without one) or fac.csv@CRS (this layer; "
                              "crs = in a scenario); coordinates 116.5..116.6, 39.7..39.8 are lon/lat in China: EPSG:4326 "
                              "(WGS84: GPS, OSM) or EPSG:4490 (CGCS2000), GCJ-02 for AMap/Tencent exports, BD-09 for Baidu exports");
    opt.crs = "EPSG:4326";
    const auto recs = read_facility_layer(p, opt, w);
    ASSERT_EQ(recs.size(), 2u);
    EXPECT_EQ(recs[0].id, "a");
    EXPECT_DOUBLE_EQ(recs[0].location.lon, 116.5);
    EXPECT_DOUBLE_EQ(recs[0].location.lat, 39.8);
    EXPECT_EQ(*recs[0].capacity, 300.0);
    EXPECT_EQ(*recs[0].staff, 25.0);
    EXPECT_FALSE(recs[1].capacity);
    EXPECT_FALSE(recs[1].staff);
    EXPECT_EQ(w.skipped_bad_value, 1u);
    ASSERT_EQ(w.messages.size(), 1u);
    EXPECT_TRUE(contains(w.messages[0], "feature 2 (id b): capacity 'abc'")) << w.messages[0];
}

TEST(InputsLayers, CsvTakesItsCrsFromAPrjBesideIt) {
    TempDir dir;
    const fs::path p = dir.file("m.csv", "id,x,y\na,12958000,4852000\n");
    FacilityLayerOptions opt = category_layer("school");
    ReadWarnings w;
    EXPECT_THROW((void)read_facility_layer(p, opt, w), yike::config_error);
    dir.file("m.prj", "EPSG:3857");
    const auto recs = read_facility_layer(p, opt, w);
    ASSERT_EQ(recs.size(), 1u);
    const LonLat expected = web_mercator_to_lonlat(12958000.0, 4852000.0);
    EXPECT_NEAR(recs[0].location.lon, expected.lon, 1e-9);
    EXPECT_NEAR(recs[0].location.lat, expected.lat, 1e-9);
    // --crs wins over the .prj.
    opt.crs = "EPSG:4326";
    EXPECT_THROW((void)read_facility_layer(p, opt, w), yike::data_error);
    dir.file("m.prj", "not a crs");
    opt.crs.reset();
    const std::string e = error_of([&] { (void)read_facility_layer(p, opt, w); });
    EXPECT_TRUE(contains(e, "m.prj: not a CRS definition")) << e;
}

TEST(InputsLayers, CsvInGcj02IsConvertedToWgs84) {
    TempDir dir;
    const std::vector<LonLat> wgs = {{116.397, 39.909}, {121.4737, 31.2304}, {113.2644, 23.1291}};
    std::string csv = "id,lng,lat\n";
    std::vector<LonLat> gcj;
    for (std::size_t i = 0; i < wgs.size(); ++i) {
        gcj.push_back(wgs84_to_gcj02(wgs[i]));
        char line[128];
        std::snprintf(line, sizeof line, "g%zu,%.10f,%.10f\n", i, gcj.back().lon, gcj.back().lat);
        csv += line;
    }
    const fs::path p = dir.file("gcj.csv", csv);
    FacilityLayerOptions opt = category_layer("park");
    opt.crs = "GCJ-02";
    ReadWarnings w;
    const auto recs = read_facility_layer(p, opt, w);
    ASSERT_EQ(recs.size(), 3u);
    for (std::size_t i = 0; i < wgs.size(); ++i) {
        // The file holds 10 decimals; convert what was written, as the reader does.
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.10f", gcj[i].lon);
        const double lon = std::stod(buf);
        std::snprintf(buf, sizeof buf, "%.10f", gcj[i].lat);
        const double lat = std::stod(buf);
        const LonLat expected = gcj02_to_wgs84({lon, lat});
        EXPECT_NEAR(recs[i].location.lon, expected.lon, 1e-12);
        EXPECT_NEAR(recs[i].location.lat, expected.lat, 1e-12);
        // ... and it is hundreds of metres away from the obfuscated position.
        EXPECT_GT(std::abs(recs[i].location.lon - lon) + std::abs(recs[i].location.lat - lat), 1e-3);
        EXPECT_NEAR(recs[i].location.lon, wgs[i].lon, 1e-8);
        EXPECT_NEAR(recs[i].location.lat, wgs[i].lat, 1e-8);
    }
}

TEST(InputsLayers, SwappedAndNonFiniteCoordinatesAreDataErrors) {
    TempDir dir;
    FacilityLayerOptions opt = pharmacy_layer();
    ReadWarnings w;
    const fs::path swapped = dir.file("swapped.csv", "id,lon,lat\nok,116.4,39.9\nx7,39.9,116.4\n");
    std::string e = facility_data_error(swapped, opt);
    EXPECT_TRUE(contains(e, "swapped.csv: feature 2 (id x7): lon/lat 39.9,116.4 outside lon/lat bounds "
                            "(latitude and longitude swapped?)"))
        << e;
    // GDAL's CSV driver turns an unparsable coordinate into a missing geometry: skipped, counted.
    const fs::path nan = dir.file("nan.csv", "id,lon,lat\nok,116.4,39.9\nbad,nan,39.9\n");
    EXPECT_EQ(read_facility_layer(nan, opt, w).size(), 1u);
    EXPECT_EQ(w.skipped_without_geometry, 1u);

    // A binary format keeps an infinite vertex: that is an error naming the feature.
    const fs::path gpkg = dir.path("inf.gpkg");
    GDALAllRegister();
    GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GPKG"), gpkg.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
    ASSERT_NE(ds, nullptr);
    OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
    OSRImportFromEPSG(srs, 4326);
    OGRLayerH layer = GDALDatasetCreateLayer(ds, "inf", srs, wkbPolygon, nullptr);
    OSRDestroySpatialReference(srs);
    ASSERT_NE(layer, nullptr);
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(layer));
    OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
    OGR_G_AddPoint_2D(ring, 116.0, 39.0);
    OGR_G_AddPoint_2D(ring, std::numeric_limits<double>::infinity(), 39.0);
    OGR_G_AddPoint_2D(ring, 116.1, 39.1);
    OGR_G_AddPoint_2D(ring, 116.0, 39.0);
    OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
    OGR_G_AddGeometryDirectly(poly, ring);
    OGR_F_SetGeometryDirectly(f, poly);
    ASSERT_EQ(OGR_L_CreateFeature(layer, f), OGRERR_NONE);
    OGR_F_Destroy(f);
    GDALClose(ds);
    opt.crs.reset();
    e = facility_data_error(gpkg, opt);
    EXPECT_TRUE(contains(e, "inf.gpkg: feature 1: has a coordinate that is not a finite number")) << e;
}

TEST(InputsLayers, EmptyLayerIsAnIoError) {
    TempDir dir;
    const fs::path p = dir.file("empty.geojson", R"({"type": "FeatureCollection", "features": []})");
    FacilityLayerOptions opt = category_layer("pharmacy");
    ReadWarnings w;
    const std::string e = message_of<yike::io_error>([&] { (void)read_facility_layer(p, opt, w); });
    EXPECT_TRUE(contains(e, "empty.geojson: holds no feature")) << e;
    EXPECT_THROW((void)read_facility_layer(dir.path("missing.geojson"), opt, w), yike::io_error);
    const fs::path junk = dir.file("junk.geojson", "this is not json");
    EXPECT_THROW((void)read_facility_layer(junk, opt, w), yike::io_error);
}

TEST(InputsLayers, GeoPackageInWebMercatorIsTransformed) {
    TempDir dir;
    const fs::path p = dir.path("fac.gpkg");
    GDALAllRegister();
    {
        GDALDriverH drv = GDALGetDriverByName("GPKG");
        ASSERT_NE(drv, nullptr);
        GDALDatasetH ds = GDALCreate(drv, p.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
        ASSERT_NE(ds, nullptr);
        OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
        OSRImportFromEPSG(srs, 3857);
        OGRLayerH layer = GDALDatasetCreateLayer(ds, "kindergartens", srs, wkbPoint, nullptr);
        OSRDestroySpatialReference(srs);
        ASSERT_NE(layer, nullptr);
        for (const char* name : {"id", "category"}) {
            OGRFieldDefnH fd = OGR_Fld_Create(name, OFTString);
            OGR_L_CreateField(layer, fd, 1);
            OGR_Fld_Destroy(fd);
        }
        OGRFieldDefnH fd = OGR_Fld_Create("area", OFTReal);
        OGR_L_CreateField(layer, fd, 1);
        OGR_Fld_Destroy(fd);
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(layer));
        OGR_F_SetFieldString(f, 0, "k1");
        OGR_F_SetFieldString(f, 1, "kindergarten");
        OGR_F_SetFieldDouble(f, 2, 850.5);
        OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
        OGR_G_SetPoint_2D(g, 0, 12958000.0, 4852000.0);
        OGR_F_SetGeometryDirectly(f, g);
        ASSERT_EQ(OGR_L_CreateFeature(layer, f), OGRERR_NONE);
        OGR_F_Destroy(f);
        GDALClose(ds);
    }
    FacilityLayerOptions opt;
    opt.category_field = "category";
    opt.floor_area_field = "area";
    ReadWarnings w;
    const auto recs = read_facility_layer(p, opt, w);
    ASSERT_EQ(recs.size(), 1u);
    EXPECT_EQ(recs[0].id, "k1");
    EXPECT_EQ(recs[0].category, "kindergarten");
    EXPECT_EQ(*recs[0].floor_area_m2, 850.5);
    const LonLat expected = web_mercator_to_lonlat(12958000.0, 4852000.0);
    EXPECT_NEAR(recs[0].location.lon, expected.lon, 1e-9);
    EXPECT_NEAR(recs[0].location.lat, expected.lat, 1e-9);
}

TEST(InputsLayers, KmlPlacemarks) {
    TempDir dir;
    const fs::path p = dir.file("sites.kml", R"(<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>站点</name>
<Point><coordinates>116.3,39.95,0</coordinates></Point></Placemark></Document></kml>)");
    FacilityLayerOptions opt = category_layer("elderly_day_care");
    opt.name_field = "Name";
    ReadWarnings w;
    const auto recs = read_facility_layer(p, opt, w);
    ASSERT_EQ(recs.size(), 1u);
    EXPECT_EQ(recs[0].name, "站点");
    EXPECT_DOUBLE_EQ(recs[0].location.lon, 116.3);
    EXPECT_DOUBLE_EQ(recs[0].location.lat, 39.95);
}

TEST(InputsLayers, DemandFieldsAndPopulationOnly) {
    TempDir dir;
    ReadWarnings w;
    DemandLayerOptions opt;
    opt.crs = "EPSG:4326";
    const fs::path full = dir.file("d.csv", "id,lon,lat,households,population,seniors,children\n"
                                            "h1,116.1,39.1,100,250,40,30\n"
                                            "h2,116.2,39.2,,262,,\n"
                                            "h3,116.3,39.3,-4,10,2,1\n");
    auto recs = read_demand_layer(full, opt, w);
    ASSERT_EQ(recs.size(), 3u);
    EXPECT_EQ(recs[0].households, 100.0);
    EXPECT_EQ(recs[0].population, 250.0);
    EXPECT_EQ(recs[0].seniors, 40.0);
    EXPECT_EQ(recs[0].children, 30.0);
    // A blank household count falls back on population / 2.62.
    EXPECT_DOUBLE_EQ(recs[1].households, 100.0);
    EXPECT_EQ(recs[1].seniors, 0.0);
    EXPECT_DOUBLE_EQ(recs[2].households, 10.0 / 2.62);
    EXPECT_EQ(w.skipped_bad_value, 1u);

    const fs::path pop = dir.file("p.csv", "lon,lat,population\n116.1,39.1,524\n");
    recs = read_demand_layer(pop, opt, w);
    ASSERT_EQ(recs.size(), 1u);
    EXPECT_EQ(recs[0].id, "p:1");
    EXPECT_DOUBLE_EQ(recs[0].households, 200.0);
    EXPECT_EQ(recs[0].population, 524.0);

    const fs::path none = dir.file("n.csv", "lon,lat,people\n116.1,39.1,5\n");
    std::string e = message_of<yike::config_error>([&] { (void)read_demand_layer(none, opt, w); });
    EXPECT_TRUE(contains(e, "n.csv: has neither a households field")) << e;
    opt.population_field = "people";
    recs = read_demand_layer(none, opt, w);
    EXPECT_DOUBLE_EQ(recs[0].households, 5.0 / 2.62);
    opt.seniors_field = "old";
    e = error_of([&] { (void)read_demand_layer(none, opt, w); });
    EXPECT_TRUE(contains(e, "n.csv: has no seniors field 'old'")) << e;
}

TEST(InputsLayers, AreasRepairBowTieSkipEmptyRejectLines) {
    TempDir dir;
    const fs::path p = dir.file("areas.geojson", R"({"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"id": "S1", "name": "街道", "up": ""},
  "geometry": {"type": "Polygon", "coordinates": [[[116.0, 39.0], [116.1, 39.0], [116.1, 39.1], [116.0, 39.1], [116.0, 39.0]],
                                                  [[116.02, 39.02], [116.03, 39.02], [116.03, 39.03], [116.02, 39.02]]]}},
 {"type": "Feature", "properties": {"id": "C1", "name": "社区", "up": "S1"},
  "geometry": {"type": "Polygon", "coordinates": [[[116.0, 39.0], [116.1, 39.1], [116.1, 39.0], [116.0, 39.1], [116.0, 39.0]]]}},
 {"type": "Feature", "properties": {"id": "C2", "name": "空", "up": "S1"},
  "geometry": {"type": "Polygon", "coordinates": [[[116.0, 39.0], [116.1, 39.0], [116.2, 39.0], [116.0, 39.0]]]}},
 {"type": "Feature", "properties": {"id": "C3", "name": "none", "up": "S1"}, "geometry": null}
]})");
    AreaLayerOptions opt;
    opt.parent_field = "up";
    ReadWarnings w;
    const auto areas = read_area_layer(p, opt, w);
    ASSERT_EQ(areas.size(), 2u);
    EXPECT_EQ(areas[0].id, "S1");
    EXPECT_EQ(areas[0].name, "街道");
    EXPECT_EQ(areas[0].parent_id, "");
    EXPECT_FALSE(areas[0].repaired);
    ASSERT_EQ(areas[0].geometry.polygons.size(), 1u);
    ASSERT_EQ(areas[0].geometry.polygons[0].holes.size(), 1u);
    EXPECT_EQ(areas[0].geometry.polygons[0].holes[0].points.size(), 4u);
    EXPECT_EQ(areas[1].id, "C1");
    EXPECT_EQ(areas[1].parent_id, "S1");
    EXPECT_TRUE(areas[1].repaired);
    // The bow-tie becomes its two triangles, rings closed.
    ASSERT_EQ(areas[1].geometry.polygons.size(), 2u);
    for (const auto& poly : areas[1].geometry.polygons) {
        EXPECT_TRUE(poly.holes.empty());
        EXPECT_EQ(poly.exterior.points.size(), 4u);
        EXPECT_EQ(poly.exterior.points.front(), poly.exterior.points.back());
    }
    EXPECT_EQ(w.repaired_polygons, 1u);
    EXPECT_EQ(w.skipped_without_geometry, 1u);
    EXPECT_EQ(w.skipped_bad_value, 1u);
    ASSERT_EQ(w.messages.size(), 3u);
    EXPECT_TRUE(contains(w.messages[0], "areas.geojson: feature 2 (id C1): invalid polygon")) << w.messages[0];
    EXPECT_TRUE(contains(w.messages[1], "feature 3 (id C2): polygon is empty")) << w.messages[1];

    const fs::path lines = dir.file("lines.geojson", R"({"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"id": "L", "up": "S"}, "geometry": {"type": "LineString", "coordinates": [[1, 2], [3, 4]]}}]})");
    const std::string e = message_of<yike::data_error>([&] { (void)read_area_layer(lines, opt, w); });
    EXPECT_TRUE(contains(e, "lines.geojson: feature 1 (id L): is a Line String; an area must be a polygon")) << e;
    opt.parent_field = "sub_district";
    EXPECT_THROW((void)read_area_layer(p, opt, w), yike::config_error);
}

namespace {

// A Float32 GeoTIFF with the given cells (row-major, north row first), 0.01-degree cells whose
// north-west corner is (116.0, 40.0).
void write_geotiff(const fs::path& p, int width, int height, const std::vector<float>& cells, bool with_crs,
                   std::optional<double> nodata) {
    GDALAllRegister();
    GDALDriverH drv = GDALGetDriverByName("GTiff");
    ASSERT_NE(drv, nullptr);
    GDALDatasetH ds = GDALCreate(drv, p.c_str(), width, height, 1, GDT_Float32, nullptr);
    ASSERT_NE(ds, nullptr);
    double gt[6] = {116.0, 0.01, 0.0, 40.0, 0.0, -0.01};
    GDALSetGeoTransform(ds, gt);
    if (with_crs) {
        OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
        OSRImportFromEPSG(srs, 4326);
        GDALSetSpatialRef(ds, srs);
        OSRDestroySpatialReference(srs);
    }
    GDALRasterBandH band = GDALGetRasterBand(ds, 1);
    if (nodata) {
        GDALSetRasterNoDataValue(band, *nodata);
    }
    std::vector<float> data = cells;
    ASSERT_EQ(GDALRasterIO(band, GF_Write, 0, 0, width, height, data.data(), width, height, GDT_Float32, 0, 0),
              CE_None);
    GDALClose(ds);
}

} // namespace

TEST(InputsRaster, CellsWithPositiveValuesBecomeDemandPoints) {
    TempDir dir;
    const fs::path p = dir.path("pop.tif");
    // 3 x 2 cells: one nodata (-9999), one zero, one NaN: three demand points remain.
    write_geotiff(p, 3, 2, {262.0f, -9999.0f, 0.0f, 131.0f, std::nanf(""), 52.4f}, true, -9999.0);
    HouseholdEstimate est;
    ReadWarnings w;
    const auto recs = read_population_raster(p, {}, est, w);
    ASSERT_EQ(recs.size(), 3u);
    EXPECT_EQ(recs[0].id, "r0c0");
    EXPECT_NEAR(recs[0].location.lon, 116.005, 1e-12);
    EXPECT_NEAR(recs[0].location.lat, 39.995, 1e-12);
    EXPECT_DOUBLE_EQ(recs[0].population, 262.0);
    EXPECT_DOUBLE_EQ(recs[0].households, 100.0);
    EXPECT_DOUBLE_EQ(recs[0].seniors, 262.0 * 0.187);
    EXPECT_DOUBLE_EQ(recs[0].children, 262.0 * 0.18);
    EXPECT_EQ(recs[1].id, "r1c0");
    EXPECT_NEAR(recs[1].location.lon, 116.005, 1e-12);
    EXPECT_NEAR(recs[1].location.lat, 39.985, 1e-12);
    EXPECT_DOUBLE_EQ(recs[1].households, 50.0);
    EXPECT_EQ(recs[2].id, "r1c2");
    EXPECT_NEAR(recs[2].location.lon, 116.025, 1e-12);
    EXPECT_NEAR(recs[2].population, 52.4, 1e-5);
    EXPECT_EQ(recs[2].source, p.string());
}

TEST(InputsRaster, NoCrsNeedsOption) {
    TempDir dir;
    const fs::path p = dir.path("pop.tif");
    write_geotiff(p, 1, 1, {10.0f}, false, std::nullopt);
    ReadWarnings w;
    const std::string e = message_of<yike::config_error>([&] { (void)read_population_raster(p, {}, {}, w); });
    EXPECT_TRUE(contains(e, "pop.tif: has no CRS; pass --crs")) << e;
    LayerOptions opt;
    opt.crs = "EPSG:4326";
    HouseholdEstimate est;
    est.persons_per_household = 2.0;
    const auto recs = read_population_raster(p, opt, est, w);
    ASSERT_EQ(recs.size(), 1u);
    EXPECT_DOUBLE_EQ(recs[0].households, 5.0);
    const fs::path zero = dir.path("zero.tif");
    write_geotiff(zero, 1, 1, {0.0f}, true, std::nullopt);
    EXPECT_THROW((void)read_population_raster(zero, opt, est, w), yike::io_error);
}

TEST(InputsLayers, ShapefileWithoutPrjNeedsCrs) {
    TempDir dir;
    const fs::path p = dir.path("sites.shp");
    GDALAllRegister();
    GDALDatasetH ds = GDALCreate(GDALGetDriverByName("ESRI Shapefile"), p.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
    ASSERT_NE(ds, nullptr);
    OGRLayerH layer = GDALDatasetCreateLayer(ds, "sites", nullptr, wkbPoint, nullptr);
    ASSERT_NE(layer, nullptr);
    OGRFieldDefnH fd = OGR_Fld_Create("cap", OFTInteger);
    OGR_L_CreateField(layer, fd, 1);
    OGR_Fld_Destroy(fd);
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(layer));
    OGR_F_SetFieldInteger(f, 0, 30);
    OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
    OGR_G_SetPoint_2D(g, 0, 116.2, 39.8);
    OGR_F_SetGeometryDirectly(f, g);
    ASSERT_EQ(OGR_L_CreateFeature(layer, f), OGRERR_NONE);
    OGR_F_Destroy(f);
    GDALClose(ds);
    ASSERT_FALSE(fs::exists(dir.path("sites.prj")));

    FacilityLayerOptions opt = category_layer("library");
    opt.capacity_field = "cap";
    ReadWarnings w;
    const std::string e = error_of([&] { (void)read_facility_layer(p, opt, w); });
    EXPECT_TRUE(e.starts_with(p.string() + ": has no CRS; pass --crs CRS (every layer without one) or sites.shp@CRS")) << e;
    EXPECT_TRUE(contains(e, "coordinates 116.2..116.2, 39.8..39.8 are lon/lat in China")) << e;
    opt.crs = "BD-09";
    const auto recs = read_facility_layer(p, opt, w);
    ASSERT_EQ(recs.size(), 1u);
    EXPECT_EQ(recs[0].id, "sites:1");
    EXPECT_EQ(*recs[0].capacity, 30.0);
    const LonLat expected = bd09_to_wgs84({116.2, 39.8});
    EXPECT_NEAR(recs[0].location.lon, expected.lon, 1e-12);
    EXPECT_NEAR(recs[0].location.lat, expected.lat, 1e-12);
}
