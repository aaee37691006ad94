// AMap and Baidu POI exports as facility layers: the shipped mappings, classification by class
// and name, positions read back to WGS84 on real Haidian streets, and the errors of bad exports.
#include <gtest/gtest.h>

#include <gdal/gdal.h>
#include <gdal/ogr_api.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "support/temp_dir.hpp"
#include "yike/engine/categories.hpp"
#include "yike/engine/poi_mapping.hpp"
#include "yike/error.hpp"
#include "yike/io/crs.hpp"
#include "yike/io/inputs.hpp"
#include "yike/io/osm_network.hpp"
#include "yike/io/profile.hpp"
#include "yike/routing/geo.hpp"

namespace fs = std::filesystem;
using namespace yike;
using namespace yike::engine;
using routing::LonLat;

namespace {

using namespace yike::test; // fixtures and error helpers of tests/support

const CategoryMapping& categories() {
    static const CategoryMapping mapping = load_category_mapping();
    return mapping;
}

io::PoiRecord poi(std::vector<std::string> codes, std::vector<std::string> types = {}) {
    io::PoiRecord p;
    p.codes = std::move(codes);
    p.types = std::move(types);
    return p;
}

std::vector<std::string> amap_categories(const PoiMapping& m, std::vector<std::string> codes, const std::string& name) {
    return m.categories_of(m.classes_of(poi(std::move(codes))).known, name);
}

std::string six(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f", v);
    return buf;
}

using Names = std::vector<std::string>;

} // namespace

TEST(PoiMappings, ShippedMappingsLoadAgainstTheProviderTables) {
    const PoiMapping amap = load_poi_mapping("amap", categories());
    const PoiMapping baidu = load_poi_mapping("baidu", categories());
    EXPECT_GT(amap.rules().size(), 60u);
    EXPECT_GT(baidu.rules().size(), 50u);
    EXPECT_TRUE(amap.knows("060200"));
    EXPECT_TRUE(amap.knows("090601"));
    EXPECT_FALSE(amap.knows("999999"));
    EXPECT_TRUE(baidu.knows("生活服务/家政服务"));
    EXPECT_TRUE(baidu.knows("美食"));
    EXPECT_FALSE(baidu.knows("美食/火锅"));
    EXPECT_EQ(amap.class_label("060200"), "060200 购物服务;便民商店/便利店;便民商店/便利店");
}

TEST(PoiMappings, AmapCodesTypesAndNames) {
    const PoiMapping m = load_poi_mapping("amap", categories());
    EXPECT_EQ(amap_categories(m, {"060200"}, "快客便利店"), Names{"convenience_store"});
    EXPECT_EQ(amap_categories(m, {"060201"}, "7-ELEVEn"), Names{"convenience_store"}); // a small class of 0602
    EXPECT_EQ(amap_categories(m, {"60200"}, "快客"), Names{"convenience_store"});      // Excel dropped the 0
    EXPECT_EQ(amap_categories(m, {"090601"}, "老百姓大药房"), Names{"pharmacy"});
    // A 社区卫生服务站 is filed as a 诊所 or a 卫生院: the name decides.
    EXPECT_EQ(amap_categories(m, {"090300"}, "学院路社区卫生服务站"), (Names{"community_health_station", "clinic"}));
    EXPECT_EQ(amap_categories(m, {"090102"}, "东升社区卫生服务站"), Names{"community_health_station"});
    EXPECT_EQ(amap_categories(m, {"090300"}, "牙科诊所"), Names{"clinic"});
    EXPECT_EQ(amap_categories(m, {"090102"}, "东升镇卫生院"), Names{"community_health_center"});
    // 老年餐桌 and its kin by name, wherever AMap files them; a buffet never.
    EXPECT_EQ(amap_categories(m, {"050300"}, "学知园老年餐桌"), (Names{"senior_dining", "restaurant"}));
    EXPECT_EQ(amap_categories(m, {"120304"}, "双榆树长者食堂"), Names{"senior_dining"});
    EXPECT_EQ(amap_categories(m, {"050100"}, "金钱豹自助餐"), Names{"restaurant"});
    EXPECT_EQ(amap_categories(m, {"150702"}, "社区服务站(公交站)"), Names{"bus_stop"}); // not the service station
    EXPECT_TRUE(amap_categories(m, {"100100"}, "如家酒店").empty());
    EXPECT_EQ(amap_categories(m, {"050500"}, "星巴克"), Names{"cafe_tea"});
    // Several codes in one cell ("|"), and type strings when no code is given.
    EXPECT_EQ(amap_categories(m, {"100100", "060400"}, "超市"), Names{"supermarket"});
    const auto typed = m.classes_of(poi({}, {"购物服务;便民商店/便利店;便民商店/便利店", "生活服务;洗衣店"}));
    EXPECT_EQ(typed.known, (Names{"060200", "071500"}));
    EXPECT_EQ(m.categories_of(typed.known, "x"), (Names{"convenience_store", "laundry"}));
    const auto unknown = m.classes_of(poi({"abc", "090601"}));
    EXPECT_EQ(unknown.known, Names{"090601"});
    EXPECT_EQ(unknown.unknown, Names{"abc"});
}

TEST(PoiMappings, BaiduIndustryClasses) {
    const PoiMapping m = load_poi_mapping("baidu", categories());
    const auto cats = [&](const std::string& type, const std::string& name) {
        return m.categories_of(m.classes_of(poi({}, {type})).known, name);
    };
    EXPECT_EQ(cats("美食;中餐厅", "眉州东坡"), Names{"restaurant"});
    EXPECT_EQ(cats("生活服务;家政服务", "阿姨来了"), Names{"housekeeping"});
    EXPECT_EQ(cats("生活服务/家政服务", "阿姨来了"), Names{"housekeeping"});
    EXPECT_EQ(cats("购物;便利店", "物美便利店"), Names{"convenience_store"});
    EXPECT_EQ(cats("医疗;诊所", "清华园社区卫生服务站"), (Names{"community_health_station", "clinic"}));
    EXPECT_EQ(cats("美食;小吃快餐店", "长者食堂"), (Names{"senior_dining", "restaurant"}));
    EXPECT_EQ(cats("政府机构;居民委员会", "学清苑社区居委会"), Names{"community_service_station"});
    // A second level Baidu added after the table still counts for rules on the first level.
    EXPECT_EQ(m.classes_of(poi({}, {"美食;火锅"})).known, Names{"美食"});
    EXPECT_EQ(cats("美食;火锅", "幸福食堂"), Names{"senior_dining"});
    EXPECT_EQ(m.classes_of(poi({}, {"火星;基地"})).unknown, Names{"火星;基地"});
}

TEST(PoiMappings, RulesAreChecked) {
    TempDir dir;
    const auto bad = [&](const std::string& text) {
        const fs::path p = dir.file("m.toml", "schema_version = 1\nprovider = \"amap\"\n" + text);
        return error_of([&] { (void)load_poi_mapping("amap", categories(), p); });
    };
    EXPECT_PRED2(contains, bad("[[rule]]\ncategory = \"pharmacy\"\nclasses = [\"999999\"]\n"),
                         "m.toml:5: class '999999' is not in the AMap typecode table");
    EXPECT_PRED2(contains, bad("[[rule]]\ncategory = \"space_port\"\nclasses = [\"060200\"]\n"),
                         "m.toml:4: unknown category 'space_port'");
    EXPECT_PRED2(contains, bad("[[rule]]\ncategory = \"pharmacy\"\nclasses = [\"090601\"]\ncolour = \"red\"\n"),
                         "m.toml:6: unknown key 'colour' in [[rule]]");
    EXPECT_PRED2(contains, bad("[[rule]]\ncategory = \"pharmacy\"\n"), "m.toml:3: [[rule]] for 'pharmacy' without classes");
}

// Real street positions of the Haidian extract, written as AMap (GCJ-02) and Baidu (BD-09)
// exports with the 6 decimals both give, read back to WGS84.
TEST(PoiLayers, AmapAndBaiduExportsOfHaidianStreetsReadBackWithinHalfAMetre) {
    const io::WalkNetwork net =
        io::read_walk_network(io::data_dir() / "osm" / "beijing-haidian-cau.osm.bz2", io::load_profile("walk"));
    const auto& g = net.graph;
    ASSERT_GT(g.point_lon_e7.size(), 1000u);
    std::vector<LonLat> truth;
    for (std::size_t i = 0; i < g.point_lon_e7.size(); i += g.point_lon_e7.size() / 50) {
        truth.push_back({g.point_lon_e7[i] * 1e-7, g.point_lat_e7[i] * 1e-7});
    }
    std::string amap = "id,name,type,typecode,address,location\n";
    std::string baidu = "uid,name,一级行业,二级行业,lng,lat\n";
    for (std::size_t i = 0; i < truth.size(); ++i) {
        const LonLat gcj = io::wgs84_to_gcj02(truth[i]);
        const LonLat bd = io::wgs84_to_bd09(truth[i]);
        amap += "B0" + std::to_string(i) + ",便利店" + std::to_string(i) + ",购物服务;便民商店/便利店;便民商店/便利店,060200,海淀区,\"" +
                six(gcj.lon) + "," + six(gcj.lat) + "\"\n";
        baidu += "b" + std::to_string(i) + ",家政" + std::to_string(i) + ",生活服务,家政服务," + six(bd.lon) + "," + six(bd.lat) + "\n";
    }
    TempDir dir;
    io::FacilityLayerOptions a;
    a.poi_format = "amap";
    io::FacilityLayerOptions b;
    b.poi_format = "baidu";
    io::ReadWarnings w;
    const auto amap_layer = io::read_poi_layer(dir.file("amap.csv", amap), a, w);
    const auto baidu_layer = io::read_poi_layer(dir.file("baidu.csv", baidu), b, w);
    ASSERT_EQ(amap_layer.pois.size(), truth.size());
    ASSERT_EQ(baidu_layer.pois.size(), truth.size());
    EXPECT_EQ(amap_layer.code_column, "typecode");
    EXPECT_EQ(baidu_layer.type_column, "一级行业/二级行业");
    double worst = 0;
    for (std::size_t i = 0; i < truth.size(); ++i) {
        const double da = routing::segment_length_m(truth[i], amap_layer.pois[i].location);
        const double db = routing::segment_length_m(truth[i], baidu_layer.pois[i].location);
        EXPECT_LT(da, 0.5) << "AMap row " << i + 1;
        EXPECT_LT(db, 0.5) << "Baidu row " << i + 1;
        // The shift itself is hundreds of metres: the file really was in GCJ-02/BD-09.
        EXPECT_GT(routing::segment_length_m(truth[i], io::wgs84_to_gcj02(truth[i])), 100.0);
        worst = std::max({worst, da, db});
    }
    EXPECT_LT(worst, 0.5);
    RecordProperty("worst_round_trip_mm", static_cast<int>(worst * 1000 + 0.5));
    EXPECT_TRUE(w.messages.empty());

    const PoiMapping am = load_poi_mapping("amap", categories());
    const PoiMapping bm = load_poi_mapping("baidu", categories());
    std::vector<FacilityIssue> issues;
    const auto shops = poi_facilities(dir.path("amap.csv"), amap_layer, am, w, issues);
    const auto helpers = poi_facilities(dir.path("baidu.csv"), baidu_layer, bm, w, issues);
    ASSERT_EQ(shops.size(), truth.size());
    ASSERT_EQ(helpers.size(), truth.size());
    EXPECT_EQ(shops[3].category, "convenience_store");
    EXPECT_EQ(shops[3].id, "B03");
    EXPECT_EQ(helpers[3].category, "housekeeping");
    EXPECT_TRUE(issues.empty());
}

TEST(PoiLayers, UnmappedAndSeveralCategoriesAreCountedAndListed) {
    TempDir dir;
    const fs::path p = dir.file("pois.csv", "id,name,typecode,location\n"
                                            "a,如家酒店,100100,\"116.35,40.00\"\n"
                                            "b,汉庭酒店,100100,\"116.35,40.00\"\n"
                                            "c,某加油站,010100,\"116.35,40.00\"\n"
                                            "d,学院路社区卫生服务站,090300,\"116.35,40.00\"\n"
                                            "e,好邻居,060200|zzz,\"116.35,40.00\"\n"
                                            "e,好邻居,060200,\"116.35,40.00\"\n");
    io::FacilityLayerOptions o;
    o.poi_format = "amap";
    io::ReadWarnings w;
    const auto layer = io::read_poi_layer(p, o, w);
    ASSERT_EQ(layer.pois.size(), 5u);
    ASSERT_EQ(w.messages.size(), 1u);
    EXPECT_EQ(w.messages[0], p.string() + ": 1 POI(s) repeat an id already read and are read once (first: row 6 repeats row 5)");
    w.messages.clear();
    std::vector<FacilityIssue> issues;
    const auto recs = poi_facilities(p, layer, load_poi_mapping("amap", categories()), w, issues);
    ASSERT_EQ(recs.size(), 3u); // d twice, e once
    ASSERT_EQ(w.messages.size(), 3u);
    EXPECT_EQ(w.messages[0], p.string() + ": 3 of 5 POIs map to no category of amap.toml (by class: 100100 住宿服务;宾馆酒店;"
                                          "宾馆酒店 ×2, 010100 汽车服务;加油站;加油站 ×1); listed in facility_issues.csv");
    EXPECT_EQ(w.messages[1], p.string() + ": 1 POI(s) have classes the AMap typecode table does not know (first: row 5 (id e): "
                                          "'zzz'); listed in facility_issues.csv");
    EXPECT_EQ(w.messages[2], p.string() + ": 1 POI(s) map to several categories and count in each (first: row 4 (id d) "
                                          "学院路社区卫生服务站: community_health_station | clinic); listed in facility_issues.csv");
    ASSERT_EQ(issues.size(), 5u);
    EXPECT_EQ(issues[0].issue, "unmapped");
    EXPECT_EQ(issues[0].row, 1u);
    EXPECT_EQ(issues[3].issue, "several_categories");
    EXPECT_EQ(issues[3].categories, "community_health_station | clinic");
    EXPECT_EQ(issues[4].issue, "unknown_class");
    EXPECT_EQ(issues[4].classes, "060200 购物服务;便民商店/便利店;便民商店/便利店 | zzz");
}

TEST(PoiLayers, BadExportsNameFileRowAndColumn) {
    TempDir dir;
    io::FacilityLayerOptions o;
    o.poi_format = "amap";
    io::ReadWarnings w;
    const fs::path no_code = dir.file("a.csv", "id,name,location\nx,店,\"116.35,40.00\"\n");
    std::string e = error_of([&] { (void)io::read_poi_layer(no_code, o, w); });
    EXPECT_EQ(e, no_code.string() + ": has no typecode column (nor type) for an AMap POI export (fields: id, name, location)");
    EXPECT_THROW((void)io::read_poi_layer(no_code, o, w), config_error);

    const fs::path bad_location = dir.file("b.csv", "id,name,typecode,location\nx,店,060200,\"116.35,40.00\"\n"
                                                    "y,店,060200,116.35 40.00\n");
    e = error_of([&] { (void)io::read_poi_layer(bad_location, o, w); });
    EXPECT_EQ(e, bad_location.string() + ": row 2 (id y), column 'location': '116.35 40.00' is not \"lng,lat\" "
                                         "(longitude, a comma, latitude, e.g. 116.397428,39.90923)");
    EXPECT_THROW((void)io::read_poi_layer(bad_location, o, w), data_error);

    const fs::path unknown = dir.file("c.csv", "id,name,typecode,location\nx,店,abc,\"116.35,40.00\"\ny,店,12,\"116.35,40.00\"\n");
    const auto layer = io::read_poi_layer(unknown, o, w);
    std::vector<FacilityIssue> issues;
    e = error_of([&] { (void)poi_facilities(unknown, layer, load_poi_mapping("amap", categories()), w, issues); });
    EXPECT_EQ(e, unknown.string() + ": row 1 (id x), column 'typecode': no row of the file holds a known AMap typecode "
                                    "(6 digits, e.g. 060200) (this row: 'abc'); is it an AMap export?");

    const fs::path far = dir.file("d.csv", "id,name,typecode,location\nx,店,060200,\"116.35,40.00\"\ny,店,060200,\"2.35,48.85\"\n");
    w.messages.clear();
    (void)io::read_poi_layer(far, o, w);
    ASSERT_EQ(w.messages.size(), 1u);
    EXPECT_EQ(w.messages[0], far.string() + ": 1 position(s) outside China (first: row 2 (id y)) in GCJ-02, which shifts "
                                            "positions only inside China: taken unshifted; check the layer's CRS");
}
