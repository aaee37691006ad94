// Missing data is not a missing service (issue 13): on the drawn street (tests/support/street_areas.hpp),
// a target whose category no source gave and OSM rarely maps is `no_data`, not `fail`, exactly
// there; one facility of the category from a layer turns it back into a judged target; a ratio
// whose facilities have no floor area is `not_assessable` naming the field; the summary says what
// would make each assessable and the run ends with one warning line listing them.
#include "street_fixture.hpp"

#include <set>

namespace {

const std::string k_standard = standard_head("no-data-example", "示例", "no-data example", "tests/cli/test_no_data.cpp") +
    target_toml("ex.dining_5min", "老年餐桌 5 分钟", "senior dining within 5 minutes",
                {"kind = 'coverage'", "category = 'senior_dining'", "serves = 'seniors'", "threshold_minutes = 5", "basis = 'seniors'", "required_share = 1.0"}) +
    target_toml("ex.store_5min", "便利店 5 分钟", "convenience store within 5 minutes",
                {"kind = 'coverage'", "category = 'convenience_store'", "threshold_minutes = 5", "basis = 'households'", "required_share = 1.0"}) +
    target_toml("ex.volunteer", "志愿服务站", "volunteer station in every community",
                {"kind = 'presence'", "category = 'volunteer_station'", "unit = 'community'", "required_share = 1.0"}) +
    target_toml("ex.rooms", "文化室面积", "culture room floor area",
                {"kind = 'ratio'", "ratio = 'floor_area_per_community'", "category = 'culture_room'", "unit = 'community'", "min_floor_area_m2 = 100"});

class NoDataTest : public StreetCliTest {
protected:
    std::string common() { return street_inputs(k_standard) + " --layers geojson"; }
    // (target, status) of every row of a report's communities.csv and the overall status per target.
    static std::set<std::pair<std::string, std::string>> statuses(const std::string& csv, std::size_t target_col,
                                                                  std::size_t status_col) {
        std::set<std::pair<std::string, std::string>> out;
        std::istringstream in(csv);
        std::string line;
        std::getline(in, line);
        while (std::getline(in, line)) {
            const auto f = csv_fields(line);
            out.emplace(f.at(target_col), f.at(status_col));
        }
        return out;
    }
    std::string coverage(const std::string& out, const std::string& facilities, const std::string& more = "") {
        write("facilities.csv", facilities);
        const Result r = run("coverage" + common() + " --facilities " + path("facilities.csv").string() + more +
                             " --out " + path(out).string());
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return r.err;
    }
    // Every row of every sheet of an .xlsx as openpyxl reads it (tests/cli/read_xlsx.py).
    std::string xlsx_rows(const fs::path& file) {
        const fs::path out = path("xlsx.txt");
        const std::string cmd = std::string("/usr/bin/python3 ") + YIKE_TEST_DATA_DIR + "/../cli/read_xlsx.py " +
                                file.string() + " >" + out.string() + " 2>&1";
        EXPECT_EQ(std::system(cmd.c_str()), 0) << slurp(out);
        return slurp(out);
    }
};

TEST_F(NoDataTest, NoDataExactlyWhereNoSourceGaveTheCategoryAndGoneWithOneFacility) {
    // A culture room without a floor area; no senior dining, no volunteer station, no store anywhere.
    const std::string err = coverage("a", m_street.facilities_csv({{200.0, "culture_room"}}));
    // community rows: community_id,name,subdistrict_id,target_id,unconfirmed,status,...
    const auto rows = statuses(slurp_csv(path("a") / "communities.csv"), 3, 5);
    const std::set<std::pair<std::string, std::string>> expected{
        {"ex.dining_5min", "no_data"}, // senior_dining: osm_quality none, no layer gave one
        {"ex.store_5min", "fail"},     // convenience_store: OSM maps it well, so none there is a real gap
        {"ex.volunteer", "no_data"},   // volunteer_station: osm_quality none
        {"ex.rooms", "not_assessable"}, {"ex.rooms", "fail"}}; // c1 holds the room without a floor area; c2, c3 none
    EXPECT_EQ(rows, expected);
    const auto summary = statuses(slurp_csv(path("a") / "summary.csv"), 0, 18);
    EXPECT_EQ(summary, (std::set<std::pair<std::string, std::string>>{{"ex.dining_5min", "no_data"},
                                                                       {"ex.store_5min", "fail"},
                                                                       {"ex.volunteer", "no_data"},
                                                                       {"ex.rooms", "not_assessable"}}));
    const std::string csv = slurp_csv(path("a") / "summary.csv");
    EXPECT_NE(csv.find(",senior_dining,,test,S,"), std::string::npos) << csv;        // needs_categories, needs_field
    EXPECT_NE(csv.find(",,floor_area_field,test,S,"), std::string::npos) << csv;
    const std::string md = slurp(path("a") / "summary.md");
    EXPECT_NE(md.find("## 缺少的数据 / Missing data"), std::string::npos);
    EXPECT_NE(md.find("- `ex.dining_5min` (无数据 no data): 设施图层 / a facilities layer of senior_dining"), std::string::npos) << md;
    EXPECT_NE(md.find("- `ex.rooms` (无法评估 not assessable): 建筑面积字段 / the facilities' floor area (--floor-area-field"),
              std::string::npos) << md;
    EXPECT_EQ(md.find("- `ex.store_5min` ("), std::string::npos);
    const std::string json = slurp(path("a") / "summary.json");
    EXPECT_NE(json.find("\"needs\": {\n        \"categories\": [\n          \"volunteer_station\"\n        ],"), std::string::npos);
    const std::string html = slurp(path("a") / "report.html");
    EXPECT_NE(html.find("<span class=\"zh\">无数据</span> <span class=\"en\">no data</span>"), std::string::npos);
    EXPECT_NE(html.find("<div class=\"needs\">需要 needs: 设施图层 / a facilities layer of volunteer_station"), std::string::npos);
    // One warning line at the end naming the three, not the store.
    const auto last = err.substr(err.rfind('\n', err.size() - 2) + 1);
    EXPECT_EQ(last, "warning: 3 target(s) cannot be judged on the data given: ex.dining_5min no_data (needs a facilities "
                    "layer of senior_dining); ex.volunteer no_data (needs a facilities layer of volunteer_station); "
                    "ex.rooms not_assessable (needs --floor-area-field) (summary.md, Missing data)\n")
        << err;

    // summary.xlsx as openpyxl reads it: the four sheets, bilingual headers, the statuses and what is needed.
    const std::string book = xlsx_rows(path("a") / "summary.xlsx");
    for (const std::string line :
         {"目标 targets\t目标 target\t名称 name\t类型 kind\t设施 categories\t阈值 threshold\t要求 required\t要求值 required "
          "value\t达到 achieved\t结果 result\t未覆盖户数 uncovered households\t未覆盖人口 uncovered population\t未覆盖老人 "
          "uncovered seniors\t需要的数据 data needed\t来源 source\t可信度 confidence\t已确认 confirmed\n",
          "目标 targets\tex.store_5min\t便利店 5 分钟 / convenience store within 5 minutes\tcoverage\t便利店(含小超市、日杂) "
          "Convenience store\t5 min (walk)\t100.0 % of households\t1\t0\t未达标 fail\t500\t1250\t250\t\ttest\tS\t是 yes\n",
          "\t0\t无数据 no data\t500\t1250\t250\t设施图层 / a facilities layer of senior_dining 老年餐桌",
          "按街道 by sub-district\t街道 sub-district\t名称 name\t户数 households\t目标 target\t结果 result\t",
          "按社区 by community\tc2\t\tall\t200\tex.volunteer\t无数据 no data\t0\t1\t200\tvolunteer_station\t\n",
          "未覆盖住户 uncovered households\tex.dining_5min\th0\t100\t250\t50\tc1\tall\t"}) {
        EXPECT_NE(book.find(line), std::string::npos) << line << "\n" << book;
    }
    // The same inputs give the same bytes, summary.xlsx included.
    coverage("a2", m_street.facilities_csv({{200.0, "culture_room"}}));
    EXPECT_TRUE(same_folders(path("a"), path("a2")));
    // --lang: one language in summary.xlsx (and summary.md); ids and CSV keys unchanged.
    coverage("en", m_street.facilities_csv({{200.0, "culture_room"}}), " --lang en");
    const std::string en = xlsx_rows(path("en") / "summary.xlsx");
    EXPECT_NE(en.find("targets\ttarget\tname\tkind\tcategories\t"), std::string::npos) << en;
    EXPECT_NE(en.find("targets\tex.dining_5min\tsenior dining within 5 minutes\t"), std::string::npos) << en;
    EXPECT_NE(en.find("\tno data\t"), std::string::npos) << en;
    EXPECT_EQ(en.find("无数据"), std::string::npos) << en;
    EXPECT_EQ(slurp_csv(path("en") / "summary.csv"), slurp_csv(path("a") / "summary.csv"));
    const std::string md_en = slurp(path("en") / "summary.md");
    EXPECT_TRUE(md_en.starts_with("# Gap report: no-data example\n")) << md_en.substr(0, 200);
    EXPECT_NE(md_en.find("| target | kind | categories | threshold |"), std::string::npos);
    EXPECT_NE(md_en.find("- `ex.dining_5min` (no data): a facilities layer of senior_dining Senior dining table"), std::string::npos)
        << md_en;
    EXPECT_EQ(md_en.find("无数据"), std::string::npos);
    // report.html: one language shown (the other's spans hidden by the page's style).
    const std::string html_en = slurp(path("en") / "report.html");
    EXPECT_NE(html_en.find("<html lang=\"en\">"), std::string::npos);
    EXPECT_NE(html_en.find("<body class=\"lang-en\">"), std::string::npos);
    EXPECT_NE(html_en.find(".lang-zh .en, .lang-en .zh { display: none; }"), std::string::npos);
    coverage("zh", m_street.facilities_csv({{200.0, "culture_room"}}), " --lang zh");
    const std::string zh = xlsx_rows(path("zh") / "summary.xlsx");
    EXPECT_NE(zh.find("目标\t目标\t名称\t类型\t设施\t"), std::string::npos) << zh;
    EXPECT_NE(zh.find("\t无数据\t"), std::string::npos) << zh;
    EXPECT_EQ(zh.find("no data"), std::string::npos) << zh;

    // One senior dining point from the layer, and floor areas: both targets are judged again.
    std::string with_area = "id,lon,lat,category,area\n";
    {
        std::istringstream in(m_street.facilities_csv({{200.0, "culture_room"}, {0.0, "senior_dining"}}));
        std::string line;
        std::getline(in, line);
        while (std::getline(in, line)) with_area += line + ",120\n";
    }
    const std::string err_b = coverage("b", with_area, " --floor-area-field area");
    const auto rows_b = statuses(slurp_csv(path("b") / "communities.csv"), 3, 5);
    EXPECT_EQ(rows_b, (std::set<std::pair<std::string, std::string>>{{"ex.dining_5min", "fail"},
                                                                      {"ex.store_5min", "fail"},
                                                                      {"ex.volunteer", "no_data"},
                                                                      {"ex.rooms", "pass"},
                                                                      {"ex.rooms", "fail"}}));
    EXPECT_NE(err_b.find("warning: 1 target(s) cannot be judged on the data given: ex.volunteer no_data"), std::string::npos)
        << err_b;

    // A layer given for the category as a whole (FILE=CATEGORY) says where they are, even if none is near.
    write("volunteers.csv", m_street.facilities_csv({{5000.0, "volunteer_station"}}));
    coverage("c", m_street.facilities_csv({{200.0, "culture_room"}}),
             " --facilities " + path("volunteers.csv").string() + "=volunteer_station");
    const auto rows_c = statuses(slurp_csv(path("c") / "communities.csv"), 3, 5);
    EXPECT_EQ(rows_c.count({"ex.volunteer", "fail"}), 1U);
    EXPECT_EQ(rows_c.count({"ex.volunteer", "no_data"}), 0U);

    // Without OSM, a category no layer gave has no source at all, however well OSM maps it.
    coverage("d", with_area, " --floor-area-field area --no-osm-facilities");
    const auto summary_d = statuses(slurp_csv(path("d") / "summary.csv"), 0, 18);
    EXPECT_EQ(summary_d.count({"ex.store_5min", "no_data"}), 1U);
}

} // namespace
