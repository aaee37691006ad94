// `yike template`: empty input sheets with bilingual headers the readers accept. A facilities and a
// households sheet filled in (with openpyxl, as in Excel, and as CSV) give the same report as the
// same points given as the test's usual CSV and GeoJSON.
#include "street_fixture.hpp"

namespace {

const std::string k_standard = standard_head("template-example", "示例", "template example", "tests/cli/test_template.cpp") +
    target_toml("ex.pharmacy_5min", "药店 5 分钟", "pharmacy within 5 minutes",
                {"kind = 'coverage'", "category = 'pharmacy'", "threshold_minutes = 5", "basis = 'households'", "required_share = 0.5"});

class TemplateTest : public CliTest {
protected:
    std::string python(const std::string& script, const std::string& args) {
        const fs::path out = path("python.txt");
        const std::string cmd = std::string("/usr/bin/python3 ") + YIKE_TEST_DATA_DIR + "/../cli/" + script + " " + args +
                                " >" + out.string() + " 2>&1";
        EXPECT_EQ(std::system(cmd.c_str()), 0) << slurp(out);
        return slurp(out);
    }
    // "lon,lat" of the point x metres along the drawn street.
    std::pair<std::string, std::string> lonlat(double x) const {
        std::istringstream in(m_street.facilities_csv({{x, "pharmacy"}}));
        std::string line;
        std::getline(in, line);
        std::getline(in, line); // f0,LON,LAT,pharmacy
        const auto a = line.find(','), b = line.find(',', a + 1), c = line.find(',', b + 1);
        return {line.substr(a + 1, b - a - 1), line.substr(b + 1, c - b - 1)};
    }
    std::string coverage(const std::string& out, const std::string& facilities, const std::string& households) {
        const Result r = run("coverage -q --osm " + path("street.osm").string() + " --crs EPSG:4326 --standard " +
                             path("std.toml").string() + " --facilities " + facilities + " --households " + households +
                             " --threads 1 --out " + path(out).string());
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return slurp_csv(path(out) / "summary.csv");
    }
    // The communities of the drawn street as (id, WKT polygon) rows, from their GeoJSON.
    std::vector<std::pair<std::string, std::string>> community_wkt() const {
        const std::string g = m_street.communities_geojson();
        std::vector<std::pair<std::string, std::string>> out;
        for (std::size_t at = g.find("\"id\":\""); at != std::string::npos; at = g.find("\"id\":\"", at + 1)) {
            const std::size_t id0 = at + 6;
            const std::string id = g.substr(id0, g.find('"', id0) - id0);
            const std::size_t c0 = g.find("[[[", at) + 3;
            std::string ring = g.substr(c0, g.find("]]]", c0) - c0); // lon,lat],[lon,lat],[...
            std::string wkt = "POLYGON((";
            std::size_t from = 0;
            while (true) {
                const std::size_t end = ring.find("],[", from);
                std::string pair = ring.substr(from, end == std::string::npos ? std::string::npos : end - from);
                pair[pair.find(',')] = ' ';
                wkt += (from == 0 ? "" : ", ") + pair;
                if (end == std::string::npos) break;
                from = end + 3;
            }
            out.emplace_back(id, wkt + "))");
        }
        return out;
    }
    yike::test::StreetAreas m_street;
};

TEST_F(TemplateTest, SheetsHaveBilingualHeadersAndFilledInSheetsReadBack) {
    // The three templates as .xlsx, read with openpyxl.
    for (const std::string kind : {"facilities", "households", "communities"}) {
        const Result r = run("template " + kind + " --out " + path(kind + ".xlsx").string());
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    const std::string f = python("read_xlsx.py", path("facilities.xlsx").string());
    EXPECT_EQ(f.substr(0, f.find('\n')), "设施 facilities\t编号 id\t名称 name\t类别 category\t地址 address\t经度 lon\t纬度 lat\t"
                                         "座位数 capacity\t建筑面积 floor_area\t工作人员 staff");
    EXPECT_NE(f.find("\n字段说明 fields\t建筑面积 floor_area\t建筑面积（平方米）\tfloor area (m²)\t否 no\t--floor-area-field "
                     "floor_area"),
              std::string::npos) << f;
    EXPECT_NE(f.find("\n类别 categories\tsenior_dining\t老年餐桌/长者食堂/助餐点\tSenior dining table / community canteen\t"
                     "elderly\tnone\n"),
              std::string::npos) << f;
    EXPECT_EQ(std::count(f.begin(), f.end(), '\n'), 1 + 10 + 63) << f; // header; fields 1 + 9; categories 1 + 62
    const std::string h = python("read_xlsx.py", path("households.xlsx").string());
    EXPECT_EQ(h.substr(0, h.find('\n')), "住户 households\t编号 id\t名称 name\t地址 address\t经度 lon\t纬度 lat\t户数 households\t"
                                         "人口 population\t老年人口 seniors\t儿童人口 children");
    const std::string c = python("read_xlsx.py", path("communities.xlsx").string());
    EXPECT_EQ(c.substr(0, c.find('\n')), "社区 communities\t编号 id\t名称 name\t街道 parent\t户数 households\t几何 wkt");
    // One language; the same bytes on a rerun; an existing sheet is kept without --force.
    ASSERT_EQ(run("template facilities --lang en --out " + path("en.xlsx").string()).exit_code, 0);
    const std::string en = python("read_xlsx.py", path("en.xlsx").string());
    EXPECT_EQ(en.substr(0, en.find('\n')), "facilities\tid\tname\tcategory\taddress\tlon\tlat\tcapacity\tfloor_area\tstaff");
    const std::string before = slurp(path("facilities.xlsx"));
    const Result again = run("template facilities --out " + path("facilities.xlsx").string());
    EXPECT_EQ(again.exit_code, 1);
    EXPECT_NE(again.err.find("facilities.xlsx: exists (a filled-in sheet?)"), std::string::npos) << again.err;
    ASSERT_EQ(run("template facilities --force --out " + path("facilities.xlsx").string()).exit_code, 0);
    EXPECT_EQ(slurp(path("facilities.xlsx")), before);

    // Filled in: a pharmacy at B (200 m) and the street's five household points.
    write("street.osm", m_street.osm_xml());
    write("std.toml", k_standard);
    write("facilities.csv", m_street.facilities_csv({{200.0, "pharmacy"}}));
    write("homes.geojson", m_street.households_geojson());
    const std::string reference = coverage("reference", path("facilities.csv").string(), path("homes.geojson").string());
    const auto [blon, blat] = lonlat(200.0);
    write("facility_rows.json", "[[\"p1\", \"药店\", \"pharmacy\", \"某路1号\", " + blon + ", " + blat + "]]");
    std::string rows = "[";
    std::string csv_rows;
    int n = 0;
    for (const double x : {0.0, 400.0, 800.0, 1200.0, 860.0}) {
        const auto [lon, lat] = lonlat(x);
        rows += std::string(n ? ", " : "") + "[\"h" + std::to_string(n) + "\", null, null, " + lon + ", " + lat + ", 100, 250, 50, 0]";
        csv_rows += "h" + std::to_string(n) + ",,," + lon + "," + lat + ",100,250,50,0\n";
        ++n;
    }
    write("household_rows.json", rows + "]");
    python("fill_xlsx.py", path("facilities.xlsx").string() + " " + path("facility_rows.json").string() + " " +
                               path("filled_facilities.xlsx").string());
    python("fill_xlsx.py", path("households.xlsx").string() + " " + path("household_rows.json").string() + " " +
                               path("filled_households.xlsx").string());
    EXPECT_EQ(coverage("xlsx", path("filled_facilities.xlsx").string(), path("filled_households.xlsx").string()), reference);

    // The CSV template: the header only (with the byte-order mark), categories beside it.
    ASSERT_EQ(run("template households --out " + path("households.csv").string()).exit_code, 0);
    const std::string header = slurp_csv(path("households.csv"));
    EXPECT_EQ(header, "编号 id,名称 name,地址 address,经度 lon,纬度 lat,户数 households,人口 population,老年人口 seniors,"
                      "儿童人口 children\n");
    EXPECT_FALSE(fs::exists(path("households.categories.csv"))); // only facilities have categories
    write("filled_households.csv", "\xEF\xBB\xBF" + header + csv_rows);
    EXPECT_EQ(coverage("csv", path("facilities.csv").string(), path("filled_households.csv").string()), reference);
    ASSERT_EQ(run("template facilities --out " + path("f.csv").string()).exit_code, 0);
    const std::string categories = slurp_csv(path("f.categories.csv"));
    EXPECT_EQ(categories.substr(0, categories.find('\n')), "类别 category,中文名称 Chinese name,英文名称 English name,分组 group,OSM 覆盖 in OSM");
    EXPECT_NE(categories.find("\nhousekeeping,家政服务点,"), std::string::npos) << categories;

    // The communities sheet filled in with WKT polygons gives the report of the same communities
    // given as GeoJSON: the same summary and the same per-community table.
    write("communities.geojson", m_street.communities_geojson());
    std::string community_rows = "[";
    for (const auto& [id, wkt] : community_wkt()) {
        community_rows += std::string(community_rows.size() > 1 ? ", " : "") + "[\"" + id + "\", null, null, null, \"" + wkt + "\"]";
    }
    ASSERT_EQ(community_wkt().size(), 3U);
    write("community_rows.json", community_rows + "]");
    python("fill_xlsx.py", path("communities.xlsx").string() + " " + path("community_rows.json").string() + " " +
                               path("filled_communities.xlsx").string());
    auto with_communities = [&](const std::string& out, const std::string& communities) {
        const Result r = run("coverage -q --osm " + path("street.osm").string() + " --crs EPSG:4326 --standard " +
                             path("std.toml").string() + " --facilities " + path("facilities.csv").string() +
                             " --households " + path("homes.geojson").string() + " --communities " + communities +
                             " --threads 1 --out " + path(out).string());
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return slurp_csv(path(out) / "summary.csv") + slurp_csv(path(out) / "communities.csv");
    };
    const std::string from_geojson = with_communities("areas_geojson", path("communities.geojson").string());
    EXPECT_NE(from_geojson.find("c3"), std::string::npos) << from_geojson;
    EXPECT_EQ(with_communities("areas_xlsx", path("filled_communities.xlsx").string()), from_geojson);
}

} // namespace
