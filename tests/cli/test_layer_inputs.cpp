// Input layers as Chinese street offices have them, through the command on the Haidian extract:
// the same sheet as UTF-8, UTF-8 with BOM, GBK CSV and XLSX gives the same report; layers in
// different CRSs (an AMap export in GCJ-02, households in CGCS2000, communities in Web Mercator)
// give the report of the same layers converted to WGS84 beforehand.
#include <gtest/gtest.h>

#include <iconv.h>

#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "support/gb18030.hpp"
#include "cli_fixture.hpp"
#include "support/xlsx_sheets.hpp"
#include "yike/io/crs.hpp"

namespace {

const std::string haidian = std::string(YIKE_DATA_DIR) + "/osm/beijing-haidian-cau.osm.bz2";

using yike::test::to_gb18030;

std::string num(double v, const char* format = "%.17g") {
    char buf[40];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

// Households and facilities spread over the extract (lon 116.344-116.360, lat 39.998-40.009).
std::string households_sheet() {
    std::string s = "编号,名称,经度,纬度,户数,人口,老年人口\n";
    int n = 0;
    for (int i = 0; i < 4; ++i) {
        for (int j = 0; j < 3; ++j) {
            ++n;
            s += "h" + std::to_string(n) + ",小区" + std::to_string(n) + "号楼," + num(116.3465 + 0.0035 * i, "%.4f") + "," +
                 num(39.9995 + 0.0035 * j, "%.4f") + "," + std::to_string(40 + 10 * n) + "," + std::to_string(100 + 25 * n) +
                 "," + std::to_string(20 + 5 * n) + "\n";
        }
    }
    return s;
}

const std::string k_facilities = "编号,名称,类别,经度,纬度,座位数\n"
                                 "f1,学知园老年餐桌,senior_dining,116.3501,40.0021,30\n"
                                 "f2,东升菜市场,vegetable_market,116.3552,40.0043,80\n"
                                 "f3,好邻居便利店,convenience_store,116.3478,40.0064,10\n"
                                 "f4,学院路家政服务部,housekeeping,116.3529,40.0002,5\n";

int run_in(const fs::path& dir, const std::string& args) {
    const std::string cmd = "cd '" + dir.string() + "' && " + yike + " " + args + " >stdout.txt 2>stderr.txt";
    const int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The report folder's files, with `from` replaced by `to` in every one (all are text here).
std::map<std::string, std::string> report_files(const fs::path& dir, const std::string& from = {}, const std::string& to = {}) {
    std::map<std::string, std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (!e.is_regular_file()) continue;
        std::string text = slurp(e.path());
        for (std::size_t at = from.empty() ? std::string::npos : text.find(from); at != std::string::npos;
             at = text.find(from, at + to.size())) {
            text.replace(at, from.size(), to);
        }
        files[fs::relative(e.path(), dir).string()] = text;
    }
    return files;
}

class LayerInputsTest : public CliTest {};

} // namespace

TEST_F(LayerInputsTest, GbkBomUtf8AndXlsxSheetsGiveByteIdenticalReports) {
    const std::string households = households_sheet();
    const std::map<std::string, std::pair<std::string, std::string>> variants = {
        {"utf8", {households, k_facilities}},
        {"bom", {"\xEF\xBB\xBF" + households, "\xEF\xBB\xBF" + k_facilities}},
        {"gbk", {to_gb18030(households), to_gb18030(k_facilities)}},
    };
    ASSERT_NE(variants.at("gbk").first, households);
    const std::string args = "coverage -q --osm " + haidian + " --standard dongcheng-2020 --crs EPSG:4326 --layers geojson " +
                             "--capacity-field capacity --out report";
    for (const auto& [name, texts] : variants) {
        fs::create_directories(path(name));
        write(name + "/households.csv", texts.first);
        write(name + "/facilities.csv", texts.second);
        ASSERT_EQ(run_in(path(name), args + " --households households.csv --facilities facilities.csv"), 0)
            << name << ": " << slurp(path(name) / "stderr.txt");
    }
    fs::create_directories(path("xlsx"));
    yike::test::write_xlsx(path("xlsx/households.xlsx"), {{"说明", {{"说明"}, {"住户表"}}}, {"住户", yike::test::csv_rows(households)}});
    yike::test::write_xlsx(path("xlsx/facilities.xlsx"), {{"设施", yike::test::csv_rows(k_facilities)}});
    ASSERT_EQ(run_in(path("xlsx"), args + " --households households.xlsx:住户 --facilities facilities.xlsx"), 0)
        << slurp(path("xlsx/stderr.txt"));

    const auto utf8 = report_files(path("utf8/report"));
    EXPECT_TRUE(utf8.at("layers.geojson").find("学知园老年餐桌") != std::string::npos);
    EXPECT_GE(utf8.size(), 8u);
    for (const char* name : {"bom", "gbk"}) {
        EXPECT_TRUE(utf8 == report_files(path(name) / "report")) << name << " differs from utf8";
        EXPECT_TRUE(same_folders(path("utf8/report"), path(name) / "report")) << name;
    }
    // The workbook's report names the workbook; otherwise it is the same, byte for byte.
    auto xlsx = report_files(path("xlsx/report"), "facilities.xlsx", "facilities.csv");
    for (auto& [file, text] : xlsx) {
        for (std::size_t at = text.find("households.xlsx"); at != std::string::npos; at = text.find("households.xlsx")) {
            text.replace(at, 15, "households.csv");
        }
    }
    ASSERT_EQ(utf8.size(), xlsx.size());
    for (const auto& [file, text] : utf8) {
        EXPECT_TRUE(text == xlsx.at(file)) << file << " differs between the CSV and the XLSX run";
    }
}

TEST_F(LayerInputsTest, MixedCrsLayersGiveTheReportOfLayersConvertedBeforehand) {
    // Where things are, in WGS84.
    const std::vector<std::pair<double, double>> shops = {{116.3501, 40.0021}, {116.3552, 40.0043}, {116.3478, 40.0064}};
    const yike::io::CrsTransform gcj("GCJ-02");
    const yike::io::CrsTransform cgcs("EPSG:4490");
    const yike::io::CrsTransform mercator("EPSG:3857");
    fs::create_directories(path("mixed"));
    fs::create_directories(path("wgs84"));

    // Facilities: an AMap export (GCJ-02, 6 decimals as AMap gives them), and the same POIs at
    // the WGS84 positions yike's conversion gives.
    std::string amap = "id,name,type,typecode,location\n";
    std::string amap84 = amap;
    const char* names[] = {"好邻居便利店", "东升菜市场", "如家酒店"};
    const char* codes[] = {"060200", "060705", "100100"};
    for (std::size_t i = 0; i < shops.size(); ++i) {
        const auto shifted = yike::io::wgs84_to_gcj02({shops[i].first, shops[i].second});
        const std::string lon = num(shifted.lon, "%.6f");
        const std::string lat = num(shifted.lat, "%.6f");
        const auto back = gcj.to_wgs84({std::stod(lon), std::stod(lat)});
        ASSERT_TRUE(back.has_value());
        const std::string head = "B0" + std::to_string(i) + "," + names[i] + ",x," + codes[i] + ",\"";
        amap += head + lon + "," + lat + "\"\n";
        amap84 += head + num(back->lon) + "," + num(back->lat) + "\"\n";
    }
    write("mixed/pois.csv", amap);
    write("wgs84/pois.csv", amap84);

    // Households in CGCS2000 (EPSG:4490).
    std::string homes = "id,lon,lat,households\n";
    std::string homes84 = homes;
    for (int i = 0; i < 6; ++i) {
        const double lon = 116.3460 + 0.0022 * i;
        const double lat = 39.9990 + 0.0015 * i;
        const auto w = cgcs.to_wgs84({lon, lat});
        ASSERT_TRUE(w.has_value());
        homes += "h" + std::to_string(i) + "," + num(lon) + "," + num(lat) + ",50\n";
        homes84 += "h" + std::to_string(i) + "," + num(w->lon) + "," + num(w->lat) + ",50\n";
    }
    write("mixed/homes.csv", homes);
    write("wgs84/homes.csv", homes84);

    // Two communities drawn in Web Mercator (EPSG:3857), as WKT in a CSV.
    std::string areas = "id,name,wkt\n";
    std::string areas84 = areas;
    const double x0 = 12'951'300, x1 = 12'953'100, x2 = 12'954'900, y0 = 4'865'300, y1 = 4'866'900;
    const std::vector<std::vector<std::pair<double, double>>> rings = {
        {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}, {{x1, y0}, {x2, y0}, {x2, y1}, {x1, y1}, {x1, y0}}};
    for (std::size_t k = 0; k < rings.size(); ++k) {
        std::string wkt = "\"POLYGON ((";
        std::string wkt84 = wkt;
        for (std::size_t i = 0; i < rings[k].size(); ++i) {
            const auto w = mercator.to_wgs84({rings[k][i].first, rings[k][i].second});
            ASSERT_TRUE(w.has_value());
            wkt += (i == 0 ? "" : ",") + num(rings[k][i].first) + " " + num(rings[k][i].second);
            wkt84 += (i == 0 ? "" : ",") + num(w->lon) + " " + num(w->lat);
        }
        areas += "c" + std::to_string(k) + ",社区" + std::to_string(k) + "," + wkt + "))\"\n";
        areas84 += "c" + std::to_string(k) + ",社区" + std::to_string(k) + "," + wkt84 + "))\"\n";
    }
    write("mixed/areas.csv", areas);
    write("wgs84/areas.csv", areas84);

    const std::string args = "coverage -q --osm " + haidian + " --standard dongcheng-2020 --layers geojson --out report";
    ASSERT_EQ(run_in(path("mixed"), args + " --facilities pois.csv --poi-format amap --households homes.csv@EPSG:4490 "
                                           "--communities areas.csv@EPSG:3857"),
              0)
        << slurp(path("mixed/stderr.txt"));
    ASSERT_EQ(run_in(path("wgs84"), args + " --crs EPSG:4326 --facilities pois.csv@EPSG:4326 --poi-format amap "
                                           "--households homes.csv --communities areas.csv"),
              0)
        << slurp(path("wgs84/stderr.txt"));
    EXPECT_TRUE(same_folders(path("mixed/report"), path("wgs84/report")));
    const std::string issues = slurp(path("mixed/report/facility_issues.csv"));
    EXPECT_NE(issues.find("B02,如家酒店,unmapped,100100 住宿服务;宾馆酒店;宾馆酒店"), std::string::npos) << issues;
    const std::string layers = slurp(path("mixed/report/layers.geojson"));
    EXPECT_NE(layers.find("东升菜市场"), std::string::npos);
    // Without the conversion the shops would be some 500 m off: the CRSs were really applied.
    ASSERT_EQ(run_in(path("mixed"), args + " --force --facilities pois.csv@EPSG:4326 --poi-format amap "
                                           "--households homes.csv@EPSG:4490 --communities areas.csv@EPSG:3857"),
              0);
    EXPECT_FALSE(same_folders(path("mixed/report"), path("wgs84/report")));
}

// The README's Chinese worked example, run as written: its target table must be what the run
// reports (figures and results, row by row).
TEST_F(LayerInputsTest, HaidianExampleMatchesTheReadme) {
    const fs::path root = fs::path(YIKE_DATA_DIR).parent_path();
    const Result r = run("coverage --scenario " + (root / "data/examples/haidian/haidian-dongcheng.toml").string() +
                         " --out " + path("haidian").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("2,884 households in 107 demand points"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("facilities-amap.csv: 1 of 17 POIs map to no category of amap.toml (by class: 100100 "
                         "住宿服务;宾馆酒店;宾馆酒店 ×1)"),
              std::string::npos)
        << r.err;
    const std::string issues = slurp(path("haidian/facility_issues.csv"));
    EXPECT_NE(issues.find("B0EXAMPLE16,如家快捷酒店,unmapped"), std::string::npos) << issues;
    EXPECT_NE(issues.find("B0EXAMPLE13,学院路社区卫生服务站,several_categories,090300 医疗保健服务;诊所;诊所,"
                          "community_health_station | clinic"),
              std::string::npos)
        << issues;

    const std::string readme = slurp(root / "README.md");
    const auto begin = readme.find("<!-- haidian-example-table -->");
    const auto end = readme.find("<!-- /haidian-example-table -->");
    ASSERT_NE(begin, std::string::npos);
    ASSERT_NE(end, std::string::npos);
    const std::string summary = slurp(path("haidian/summary.md"));
    std::istringstream table(readme.substr(begin, end - begin));
    std::string line;
    int rows = 0;
    while (std::getline(table, line)) {
        if (!line.starts_with("| `")) continue;
        // | `id` name | kind | achieved | result |
        std::vector<std::string> cells;
        std::size_t at = 1;
        while (true) {
            const auto bar = line.find(" |", at);
            if (bar == std::string::npos) break;
            std::string cell = line.substr(at, bar - at);
            cell.erase(0, cell.find_first_not_of(' '));
            cells.push_back(cell);
            at = bar + 2;
        }
        ASSERT_EQ(cells.size(), 4u) << line;
        const std::string id = cells[0].substr(0, cells[0].find('`', 1) + 1);
        const auto row_at = summary.find("\n| " + id + " ");
        ASSERT_NE(row_at, std::string::npos) << id << " not in summary.md";
        const std::string row = summary.substr(row_at + 1, summary.find('\n', row_at + 1) - row_at - 1);
        EXPECT_NE(row.find("| " + cells[1] + " |"), std::string::npos) << "README: " << line << "\nrun: " << row;
        EXPECT_NE(row.find("| " + cells[2] + " | " + cells[3] + " |"), std::string::npos)
            << "README: " << line << "\nrun: " << row;
        ++rows;
    }
    EXPECT_EQ(rows, 8);
}
