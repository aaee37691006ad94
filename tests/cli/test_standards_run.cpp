// The shipped standards through the `yike` command: listing and showing them, and a dongcheng-2020
// coverage run end to end on the drawn street of support/street_areas.hpp (answers known by hand;
// the same figures are checked on the engine's results in tests/engine/test_standard_targets.cpp).
#include <cmath>
#include <tuple>

#include "cli_fixture.hpp"
#include "support/street_areas.hpp"

namespace {

class StandardsRunTest : public CliTest {
protected:
    void write_street();
    std::string coverage_command(const std::string& standard, const std::string& out) {
        return "coverage --quiet --osm " + path("street.osm").string() + " --no-osm-facilities --facilities " +
               path("facilities.csv").string() + " --crs EPSG:4326 --households " + path("homes.geojson").string() +
               " --communities " + path("communities.geojson").string() + " --subdistricts " +
               path("subdistricts.geojson").string() + " --parent-field subdistrict --standard " + standard +
               " --threads 1 --out " + path(out).string();
    }
};


// The row of `target_id` in a report's summary.csv, split into fields (no field here holds a
// quoted comma before `status`).
std::vector<std::string> summary_row(const std::string& csv, const std::string& target_id) {
    std::istringstream in(csv);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(target_id + ",", 0) != 0) continue;
        return csv_fields(line);
    }
    return {};
}

std::size_t column(const std::string& csv, const std::string& name) {
    const std::string header = csv.substr(0, csv.find('\n'));
    std::size_t index = 0;
    std::size_t start = 0;
    while (true) {
        const auto comma = header.find(',', start);
        if (header.substr(start, comma - start) == name) return index;
        if (comma == std::string::npos) return std::string::npos;
        start = comma + 1;
        ++index;
    }
}

TEST_F(StandardsRunTest, StandardsListShowsChizhouAndDongchengItsNewTargets) {
    const Result list = run("standards list");
    ASSERT_EQ(list.exit_code, 0) << list.err;
    EXPECT_NE(list.out.find("| chizhou-2014 |"), std::string::npos) << list.out;
    const Result show = run("standards show dongcheng-2020");
    ASSERT_EQ(show.exit_code, 0) << show.err;
    for (const std::string id : {"dc.service_circle", "dc.backbone_subdistrict", "dc.backbone_community"}) {
        EXPECT_NE(show.out.find("| " + id + " |"), std::string::npos) << id;
    }
    EXPECT_NE(show.out.find("1中心2所4站1厅"), std::string::npos);
    // Every MOFCOM number is [W]: all seven flagged.
    const Result mofcom = run("standards show mofcom-15min");
    EXPECT_NE(mofcom.out.find("Not confirmed: 7 of 7 targets"), std::string::npos) << mofcom.out;
}


void StandardsRunTest::write_street() {
    const yike::test::StreetAreas street;
    write("street.osm", street.osm_xml());
    write("homes.geojson", street.households_geojson());
    write("communities.geojson", street.communities_geojson());
    write("subdistricts.geojson", street.subdistricts_geojson());
    std::vector<std::pair<double, std::string>> f;
    // Service circle: all eleven services at B (200 m) reach c1 and c2, not G (1000 m) in c3.
    // Backbone: s1 complete at D; s2 (at F) without its judicial office.
    yike::test::add_dongcheng_circle_and_backbone(f);
    f.emplace_back(150.0, "police");
    f.emplace_back(150.0, "culture_room"); // 10 min = 600 m from 150 m reaches A and C only
    f.emplace_back(800.0, "elderly_day_care");     // a 养老驿站 in s1 ...
    f.emplace_back(1200.0, "elderly_care_center"); // ... and a 养老照料中心 in s2
    f.emplace_back(0.0, "senior_dining");          // c1 only
    write("facilities.csv", street.facilities_csv(f));
}

TEST_F(StandardsRunTest, DongchengRunEndToEnd) {
    write_street();
    const Result r = run(coverage_command("dongcheng-2020", "report"));
    ASSERT_EQ(r.exit_code, 0) << r.err;

    const std::string csv = slurp_csv(path("report") / "summary.csv");
    const auto status = column(csv, "status");
    const auto achieved = column(csv, "achieved");
    const auto confirmed = column(csv, "confirmed");
    ASSERT_NE(status, std::string::npos);
    struct Expected {
        const char* id;
        const char* status;
        const char* achieved_prefix;
        const char* confirmed;
    };
    for (const Expected& e : std::vector<Expected>{
             {"dc.service_circle", "fail", "0.666", "false"},      // c1, c2 of three communities
             {"dc.backbone_subdistrict", "fail", "0.5", "false"},  // s1 of two
             {"dc.backbone_community", "report_only", "0.333", "false"}, // c1 of three
             {"dc.elderly_care", "fail", "0.5", "false"},          // s2 only: the 养老驿站 does not count
             {"dc.senior_dining", "fail", "0.333", "false"},       // c1 of three
             {"dc.culture_10min", "fail", "0.4", "true"},          // 500 of 1250 residents
             {"dc.eight_convenience_functions", "fail", "0.333", "true"},
         }) {
        const auto row = summary_row(csv, e.id);
        ASSERT_GT(row.size(), std::max({status, achieved, confirmed})) << e.id << "\n" << csv;
        EXPECT_EQ(row[status], e.status) << e.id;
        EXPECT_EQ(row[achieved].rfind(e.achieved_prefix, 0), 0u) << e.id << ": " << row[achieved];
        EXPECT_EQ(row[confirmed], e.confirmed) << e.id;
    }
    // The sub-district table names the missing judicial office; the summary flags the unconfirmed
    // targets with their notes.
    const std::string subdistricts = slurp_csv(path("report") / "subdistricts.csv");
    EXPECT_NE(subdistricts.find("judicial_office"), std::string::npos) << subdistricts;
    const std::string md = slurp(path("report") / "summary.md");
    EXPECT_NE(md.find("5 target(s) unconfirmed"), std::string::npos) << md.substr(0, 2000);
    EXPECT_NE(md.find("unconfirmed `dc.service_circle`"), std::string::npos);
    EXPECT_TRUE(fs::exists(path("report") / "report.html"));
}

// Lines of a CSV file without their first field (a combined run's `standard` column).
std::vector<std::string> lines_of(const std::string& csv, bool drop_first_field) {
    std::vector<std::string> out;
    std::istringstream in(csv);
    for (std::string line; std::getline(in, line);) {
        out.push_back(drop_first_field ? line.substr(line.find(',') + 1) : line);
    }
    return out;
}

// Two standards in one run: every target keeps its figures from the run of its own standard, the
// summary groups them by standard, and plan and evaluate accept the same list.
TEST_F(StandardsRunTest, SeveralStandardsInOneRun) {
    write_street();
    ASSERT_EQ(run(coverage_command("dongcheng-2020", "dc")).exit_code, 0);
    ASSERT_EQ(run(coverage_command("gb50180-2018", "gb")).exit_code, 0);
    const Result r = run(coverage_command("dongcheng-2020,gb50180-2018", "both"));
    ASSERT_EQ(r.exit_code, 0) << r.err;

    const auto both = lines_of(slurp_csv(path("both") / "summary.csv"), false);
    const auto dc = lines_of(slurp_csv(path("dc") / "summary.csv"), false);
    const auto gb = lines_of(slurp_csv(path("gb") / "summary.csv"), false);
    ASSERT_EQ(both.size(), dc.size() + gb.size() - 1); // one header
    EXPECT_EQ(both[0], "standard," + dc[0]);
    for (std::size_t i = 1; i < dc.size(); ++i) EXPECT_EQ(both[i], "dongcheng-2020," + dc[i]);
    for (std::size_t i = 1; i < gb.size(); ++i) EXPECT_EQ(both[dc.size() - 1 + i], "gb50180-2018," + gb[i]);
    // Per-community rows are keyed by target id: the combined file holds both runs' rows.
    const auto both_c = lines_of(slurp_csv(path("both") / "communities.csv"), false);
    const auto dc_c = lines_of(slurp_csv(path("dc") / "communities.csv"), false);
    const auto gb_c = lines_of(slurp_csv(path("gb") / "communities.csv"), false);
    for (const auto* single : {&dc_c, &gb_c}) {
        for (std::size_t i = 1; i < single->size(); ++i) {
            EXPECT_NE(std::find(both_c.begin(), both_c.end(), (*single)[i]), both_c.end()) << (*single)[i];
        }
    }

    const std::string md = slurp(path("both") / "summary.md");
    const auto dc_head = md.find("### `dongcheng-2020`");
    const auto gb_head = md.find("### `gb50180-2018`");
    ASSERT_NE(dc_head, std::string::npos);
    ASSERT_NE(gb_head, std::string::npos);
    EXPECT_LT(dc_head, md.find("`dc.service_circle`"));
    EXPECT_LT(md.find("`dc.service_circle`"), gb_head);
    EXPECT_GT(md.find("`gb50180.5min.health_station`"), gb_head);
    const std::string json = slurp(path("both") / "summary.json");
    EXPECT_NE(json.find("\"standards\""), std::string::npos);
    EXPECT_NE(json.find("\"standard\": \"gb50180-2018\""), std::string::npos) << json.substr(0, 400);

    const std::string common = " --quiet --osm " + path("street.osm").string() + " --no-osm-facilities --facilities " +
                               path("facilities.csv").string() + " --crs EPSG:4326 --households " +
                               path("homes.geojson").string() + " --communities " +
                               path("communities.geojson").string() + " --standard dongcheng-2020,gb50180-2018 --threads 1";
    const Result plan = run("plan" + common + " --category community_health_station --k 1 --generate-candidates 50 --out " +
                            path("plan").string());
    EXPECT_EQ(plan.exit_code, 0) << plan.err;
    const Result eval = run("evaluate" + common + " --category community_health_station --generate-candidates 50 --out " +
                            path("eval").string());
    EXPECT_EQ(eval.exit_code, 0) << eval.err;

    const Result twice = run(coverage_command("gb50180-2018,gb50180-2018", "twice"));
    EXPECT_EQ(twice.exit_code, 1);
    EXPECT_NE(twice.err.find("gb50180-2018 is listed twice"), std::string::npos) << twice.err;
    EXPECT_FALSE(fs::exists(path("twice")));
}

} // namespace

// A target with profile = "senior" is judged on the --senior-profile network (or a scenario's
// senior_profile): with --senior-profile wheelchair, a 15 % incline on the only path (way 11) cuts the home at 0 m from
// the pharmacy at 700 m, while the same target on the walk network (and on the default senior
// network, 700 m at 0.9 m/s = 13 min) is met.
TEST_F(StandardsRunTest, ProfileKeyJudgesATargetOnTheSeniorSlotNetwork) {
    const double lat = 39.9;
    const double metre_lon = 1.0 / (111'320.0 * std::cos(lat * 3.14159265358979 / 180.0));
    auto lon = [&](double x) {
        std::ostringstream s;
        s.precision(12);
        s << 116.4 + x * metre_lon;
        return s.str();
    };
    std::string osm = "<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\">\n";
    const double xs[] = {0, 300, 400, 700};
    for (int i = 0; i < 4; ++i) {
        osm += "<node id=\"" + std::to_string(i + 1) + "\" version=\"1\" lat=\"39.9\" lon=\"" + lon(xs[i]) + "\"/>\n";
    }
    osm += "<way id=\"10\" version=\"1\"><nd ref=\"1\"/><nd ref=\"2\"/><tag k=\"highway\" v=\"footway\"/></way>\n"
           "<way id=\"11\" version=\"1\"><nd ref=\"2\"/><nd ref=\"3\"/><tag k=\"highway\" v=\"footway\"/>"
           "<tag k=\"incline\" v=\"15%\"/></way>\n"
           "<way id=\"12\" version=\"1\"><nd ref=\"3\"/><nd ref=\"4\"/><tag k=\"highway\" v=\"footway\"/></way>\n</osm>\n";
    write("net.osm", osm);
    write("homes.geojson", R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"h0",)"
                           R"("households":100,"population":250,"seniors":50,"children":0},"geometry":{"type":"Point",)"
                           R"("coordinates":[)" + lon(0) + R"(,39.9001]}}]})");
    write("facilities.csv", "id,lon,lat,category\nf1," + lon(700) + ",39.9001,pharmacy\n");
    std::string standard = standard_head("access", "无障碍", "Access", "test");
    for (const std::string profile : {"", "senior"}) {
        standard += "\n[[target]]\nid = \"t." + (profile.empty() ? std::string("walk") : profile) +
                    "\"\nname_zh = \"药店\"\nname_en = \"Pharmacy\"\nkind = \"coverage\"\ncategory = \"pharmacy\"\n"
                    "threshold_minutes = 15\n" + (profile.empty() ? "" : "profile = \"" + profile + "\"\n") +
                    "basis = \"households\"\nrequired_share = 1.0\nsource = \"test\"\nconfidence = \"W\"\n";
    }
    write("access.toml", standard);
    auto command = [&](const std::string& extra, const std::string& out) {
        return "coverage --quiet --osm " + path("net.osm").string() + " --no-osm-facilities --facilities " +
               path("facilities.csv").string() + " --crs EPSG:4326 --households " + path("homes.geojson").string() +
               " --standard " + path("access.toml").string() + " --threads 1" + extra + " --out " + path(out).string();
    };
    // The scenario file's senior_profile key chooses the same network as the option.
    write("wheelchair-scenario.toml", "osm = \"net.osm\"\nstandard = \"access.toml\"\nsenior_profile = \"wheelchair\"\n");
    for (const auto& [extra, out, senior_status] : std::vector<std::tuple<std::string, std::string, std::string>>{
             {"", "senior", "pass"},
             {" --senior-profile wheelchair", "wheelchair", "fail"},
             {" --scenario " + path("wheelchair-scenario.toml").string(), "scenario", "fail"}}) {
        const Result r = run(command(extra, out));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const std::string csv = slurp_csv(path(out) / "summary.csv");
        const auto status = column(csv, "status");
        ASSERT_NE(status, std::string::npos);
        EXPECT_EQ(summary_row(csv, "t.walk").at(status), "pass") << out;
        EXPECT_EQ(summary_row(csv, "t.senior").at(status), senior_status) << out;
    }
}
