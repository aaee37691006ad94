// End-to-end tests of `yike evaluate` and `yike plan` on the bundled Monaco sample.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <cstdio>
#include <map>
#include <tuple>
#include <string>
#include <vector>

#include "cli/cli_fixture.hpp"
#include "support/xlsx_sheets.hpp"
#include "yike/io/crs.hpp"

namespace {

class PlanTest : public CliTest {};

// A CSV without quoted commas in the fields read here: header name -> column, then rows.
struct Csv {
    std::map<std::string, std::size_t> column;
    std::vector<std::vector<std::string>> rows;
    const std::string& at(std::size_t row, const std::string& name) const {
        const auto it = column.find(name);
        EXPECT_NE(it, column.end()) << name;
        return rows.at(row).at(it->second);
    }
    double number(std::size_t row, const std::string& name) const { return std::stod(at(row, name)); }
};

Csv read_csv(const fs::path& file) {
    Csv csv;
    std::istringstream in(slurp_csv(file));
    std::string line;
    bool header = true;
    while (std::getline(in, line)) {
        const auto fields = csv_fields(line);
        if (header) {
            for (std::size_t i = 0; i < fields.size(); ++i) csv.column[fields[i]] = i;
            header = false;
        } else {
            csv.rows.push_back(fields);
        }
    }
    return csv;
}

// The achieved share of a target in a report's summary.csv.
double achieved(const fs::path& summary, const std::string& target) {
    const Csv csv = read_csv(summary);
    for (std::size_t r = 0; r < csv.rows.size(); ++r) {
        if (csv.at(r, "target_id") == target) return std::stod(csv.at(r, "achieved"));
    }
    ADD_FAILURE() << target << " not in " << summary;
    return -1;
}

const std::string base_mofcom = "--osm " + monaco + " --standard mofcom-15min ";

// Three points and a polygon in Monaco, two of the points near streets without a convenience store.
const std::string candidates_geojson = R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"a","name":"vacant lot","seats":40},"geometry":{"type":"Point","coordinates":[7.4827556,43.7607906]}},
{"type":"Feature","properties":{"id":"b","name":"shop unit","seats":25},"geometry":{"type":"Point","coordinates":[7.4246,43.7384]}},
{"type":"Feature","properties":{"id":"c","name":"ground floor","seats":10},"geometry":{"type":"Point","coordinates":[7.4185,43.7315]}},
{"type":"Feature","properties":{"id":"d","name":"yard","seats":30},"geometry":{"type":"Polygon","coordinates":[[[7.4280,43.7390],[7.4286,43.7390],[7.4286,43.7395],[7.4280,43.7395],[7.4280,43.7390]]]}}
]}
)";

TEST_F(PlanTest, EvaluateGeneratedCandidatesIsRanked) {
    const Result r = run("evaluate " + base_mofcom + "--category convenience_store --generate-candidates 150 --out " +
                         path("eval").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(path("eval") / "evaluation.md"));
    EXPECT_TRUE(fs::exists(path("eval") / "candidates.gpkg"));
    const Csv csv = read_csv(path("eval") / "evaluation.csv");
    ASSERT_GT(csv.rows.size(), 20U);
    for (const std::string col : {"rank", "candidate", "lon", "lat", "newly_covered", "served", "overlap",
                                  "nearest_existing", "ratio_2sfca", "target"}) {
        EXPECT_EQ(csv.column.count(col), 1U) << col;
    }
    double previous = 1e300;
    for (std::size_t i = 0; i < csv.rows.size(); ++i) {
        const double newly = csv.number(i, "newly_covered");
        EXPECT_LE(newly, previous + 1e-9) << "row " << i;
        previous = newly;
        EXPECT_NEAR(newly + csv.number(i, "overlap"), csv.number(i, "served"), 2e-3) << "row " << i;
        EXPECT_EQ(csv.at(i, "rank"), std::to_string(i + 1));
        EXPECT_EQ(csv.at(i, "target"), "mofcom.convenience_5min");
    }
    EXPECT_GT(csv.number(0, "newly_covered"), 100.0); // Monaco has gaps for this target
    // The coverage run's input warning (as `yike coverage` prints it), the best site, the table, and
    // last the targets Monaco's OSM data cannot judge (MOFCOM's breakfast, housekeeping, ... are rarely mapped).
    EXPECT_EQ(lines(r.err), 4) << r.err;
    EXPECT_NE(r.err.find("\nwarning: 5 target(s) cannot be judged on the data given: mofcom.daily_8min no_data (needs a "
                         "facilities layer of breakfast); "),
              std::string::npos) << r.err;
    EXPECT_NE(r.err.find("warning: " + monaco + ": 4595 residential building(s) without building:levels"),
              std::string::npos) << r.err;
}

TEST_F(PlanTest, EvaluateCandidateLayerWithMaskAndCapacity) {
    write("cands.geojson", candidates_geojson);
    // The mask removes candidate b.
    write("mask.geojson", R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"m"},"geometry":{"type":"Polygon","coordinates":[[[7.4240,43.7380],[7.4252,43.7380],[7.4252,43.7388],[7.4240,43.7388],[7.4240,43.7380]]]}}]})");
    const Result r = run("evaluate --quiet " + base_mofcom + "--category convenience_store --candidates " +
                         path("cands.geojson").string() + " --mask " + path("mask.geojson").string() +
                         " --candidate-capacity-field seats --out " + path("eval").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Csv csv = read_csv(path("eval") / "evaluation.csv");
    ASSERT_EQ(csv.rows.size(), 3U);
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < csv.rows.size(); ++i) {
        ids.push_back(csv.at(i, "candidate"));
        const double served = csv.number(i, "served");
        if (served > 0) {
            EXPECT_NEAR(csv.number(i, "ratio_2sfca"), csv.number(i, "capacity") / served, 1e-5);
        }
    }
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(ids, (std::vector<std::string>{"a", "c", "d"}));
}

TEST_F(PlanTest, UnsnappedCandidatesAreCountedInOneWarning) {
    write("far.csv", "id,name,lon,lat\nx1,far,7.0,43.0\nx2,also far,7.1,43.1\nx3,on the street,7.4246,43.7384\n");
    const Result r = run("evaluate " + base_mofcom + "--category pharmacy --candidates " + path("far.csv").string() +
                         " --crs EPSG:4326 --out " + path("eval").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("warning: 2 of 3 candidates could not be snapped to the network and are left out (x1: "
                         "no walkable street within 300 m)"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(read_csv(path("eval") / "evaluation.csv").rows.size(), 1U);
}

TEST_F(PlanTest, PlanFiveSitesClosesPartOfTheGap) {
    const Result r = run("plan " + base_mofcom + "--category convenience_store --k 5 --generate-candidates 150 --out " +
                         path("plan").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const fs::path dir = path("plan");
    for (const std::string f : {"plan.md", "plan.csv", "communities.csv", "sites.gpkg", "before/summary.md",
                                "after/summary.md", "after/layers.gpkg"}) {
        EXPECT_TRUE(fs::exists(dir / f)) << f;
    }
    const Csv plan = read_csv(dir / "plan.csv");
    ASSERT_EQ(plan.rows.size(), 5U);
    const double before = achieved(dir / "before" / "summary.csv", "mofcom.convenience_5min");
    const double after = achieved(dir / "after" / "summary.csv", "mofcom.convenience_5min");
    EXPECT_GT(after, before);
    double cumulative = 0;
    double previous = 1e300;
    std::vector<std::string> sites;
    for (std::size_t i = 0; i < plan.rows.size(); ++i) {
        const double gain = plan.number(i, "marginal_gain");
        EXPECT_GT(gain, 0.0);
        EXPECT_LE(gain, previous + 1e-9); // sites listed in greedy order of what each adds
        previous = gain;
        cumulative += gain;
        EXPECT_EQ(plan.at(i, "order"), std::to_string(i + 1));
        sites.push_back(plan.at(i, "candidate"));
    }
    std::sort(sites.begin(), sites.end());
    EXPECT_EQ(std::unique(sites.begin(), sites.end()), sites.end()); // five different sites
    EXPECT_NEAR(cumulative, plan.number(4, "objective"), 1e-2);
    EXPECT_LE(plan.number(4, "objective"), plan.number(4, "upper_bound") + 1e-6);
    // The planner's own count and the report engine (costs recomputed with the new facilities) agree.
    EXPECT_NEAR(plan.number(4, "cumulative_share"), after, 1e-5);
    // Existing facilities stay: no community loses coverage.
    const Csv communities = read_csv(dir / "communities.csv");
    ASSERT_GT(communities.rows.size(), 0U);
    bool gained = false;
    for (std::size_t i = 0; i < communities.rows.size(); ++i) {
        EXPECT_GE(communities.number(i, "covered_after"), communities.number(i, "covered_before") - 1e-9);
        gained = gained || communities.number(i, "covered_after") > communities.number(i, "covered_before") + 1e-6;
    }
    EXPECT_TRUE(gained);
    // The after report holds the existing facilities plus the five new ones.
    const std::string after_md = slurp(dir / "after" / "summary.md");
    EXPECT_NE(after_md.find("5 new facilities added to the existing ones"), std::string::npos);
    EXPECT_NE(slurp(dir / "plan.md").find("fail (" ), std::string::npos);
    // Both report folders carry the HTML report; the after one marks the five planned sites.
    const std::string before_html = slurp(dir / "before" / "report.html");
    const std::string after_html = slurp(dir / "after" / "report.html");
    EXPECT_NE(before_html.find("规划前 Before planning"), std::string::npos);
    EXPECT_NE(before_html.find("\"planned\":[]"), std::string::npos);
    EXPECT_NE(after_html.find("规划后 After planning (5 处新增设施 new sites)"), std::string::npos);
    const auto planned = after_html.find("\"planned\":[");
    ASSERT_NE(planned, std::string::npos);
    const std::string list = after_html.substr(planned + 11, after_html.find(']', planned) - planned - 11);
    EXPECT_EQ(std::count(list.begin(), list.end(), ','), 4) << list;
}

TEST_F(PlanTest, SetCoveringReachesTheShareOrSaysWhyNot) {
    const std::string common = "plan --quiet " + base_mofcom + "--category supermarket --generate-candidates 150 ";
    const Result ok = run(common + "--target-share 0.6 --out " + path("share").string());
    ASSERT_EQ(ok.exit_code, 0) << ok.err;
    EXPECT_GE(achieved(path("share") / "after" / "summary.csv", "mofcom.convenience_5min"), 0.6 - 1e-9);
    EXPECT_GE(read_csv(path("share") / "plan.csv").rows.size(), 1U);

    // Everything within 5 minutes is impossible: some homes are off the network or beyond every candidate.
    const Result r = run("plan " + base_mofcom + "--category supermarket --generate-candidates 400 --target-share 1 --out " +
                         path("all").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("cannot be reached"), std::string::npos) << r.err;
    EXPECT_NE(slurp(path("all") / "plan.md").find("cannot be reached"), std::string::npos);
}

TEST_F(PlanTest, CapacityAwarePlanServesAtMostTheCapacity) {
    write("cands.geojson", candidates_geojson);
    const Result r = run("plan --quiet " + base_mofcom + "--category convenience_store --k 2 --candidates " +
                         path("cands.geojson").string() + " --candidate-capacity-field seats --out " + path("cap").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Csv plan = read_csv(path("cap") / "plan.csv");
    // Sites that would serve nobody more are not opened: at most k.
    ASSERT_GE(plan.rows.size(), 1U);
    ASSERT_LE(plan.rows.size(), 2U);
    for (std::size_t i = 0; i < plan.rows.size(); ++i) {
        EXPECT_LE(plan.number(i, "served"), plan.number(i, "capacity") + 1e-6);
    }
}

TEST_F(PlanTest, SeveralCategoriesInOneRunAreCombinedInTheAfterState) {
    const Result r = run("plan --quiet --osm " + monaco + " --standard gb50180-2018 --categories kindergarten,culture_room " +
                         "--k 2 --generate-candidates 200 --out " + path("plan").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Csv plan = read_csv(path("plan") / "plan.csv");
    ASSERT_EQ(plan.rows.size(), 4U);
    EXPECT_EQ(plan.at(0, "category"), "kindergarten");
    EXPECT_EQ(plan.at(2, "category"), "culture_room");
    for (std::size_t i = 0; i < plan.rows.size(); ++i) {
        const std::string target = plan.at(i, "target");
        const double before = achieved(path("plan") / "before" / "summary.csv", target);
        const double after = achieved(path("plan") / "after" / "summary.csv", target);
        EXPECT_GT(after, before) << target;
        if (i % 2 == 1) {
            EXPECT_NEAR(plan.number(i, "cumulative_share"), after, 1e-5) << target;
        }
    }
    EXPECT_NE(slurp(path("plan") / "after" / "summary.md").find("4 new facilities"), std::string::npos);
}

TEST_F(PlanTest, PlanIsByteIdenticalAcrossRunsAndThreads) {
    // Every file of the folder, the before/ and after/ reports and the GeoPackages included: two
    // runs, on one and on two threads.
    const std::string common = "plan --quiet " + base_mofcom + "--category convenience_store --k 3 --generate-candidates 200 --out ";
    ASSERT_EQ(run(common + path("a").string() + " --threads 1").exit_code, 0);
    ASSERT_EQ(run(common + path("b").string() + " --threads 2").exit_code, 0);
    for (const std::string f : {"plan.md", "plan.csv", "communities.csv", "sites.gpkg", "after/summary.csv"}) {
        EXPECT_FALSE(slurp(path("a") / f).empty()) << f;
    }
    EXPECT_EQ(folder_files(path("a")).size(), 25U); // 5 + 10 in before/ + 10 in after/ (each with .yike-output, summary.xlsx)
    EXPECT_TRUE(same_folders(path("a"), path("b")));
}

TEST_F(PlanTest, ExactModeIsProvenOptimal) {
    write("cands.geojson", candidates_geojson);
    const Result r = run("plan --quiet " + base_mofcom + "--category convenience_store --k 2 --exact --candidates " +
                         path("cands.geojson").string() + " --out " + path("exact").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Csv plan = read_csv(path("exact") / "plan.csv");
    ASSERT_GE(plan.rows.size(), 1U);
    EXPECT_EQ(plan.at(0, "optimal"), "true");
    EXPECT_NEAR(plan.number(0, "gap"), 0.0, 1e-9);
}

TEST_F(PlanTest, OnlyUncoveredKeepsCandidatesThatAddSomething) {
    const std::string common = "evaluate --quiet " + base_mofcom + "--category convenience_store --generate-candidates 150 ";
    ASSERT_EQ(run(common + "--out " + path("all").string()).exit_code, 0);
    ASSERT_EQ(run(common + "--only-uncovered --out " + path("some").string()).exit_code, 0);
    const Csv all = read_csv(path("all") / "evaluation.csv");
    const Csv some = read_csv(path("some") / "evaluation.csv");
    std::size_t adding = 0;
    for (std::size_t i = 0; i < all.rows.size(); ++i) adding += all.number(i, "newly_covered") > 0 ? 1 : 0;
    EXPECT_LT(some.rows.size(), all.rows.size());
    EXPECT_EQ(some.rows.size(), adding);
    for (std::size_t i = 0; i < some.rows.size(); ++i) EXPECT_GT(some.number(i, "newly_covered"), 0.0);
}

TEST_F(PlanTest, Help) {
    for (const std::string cmd : {"evaluate --help", "plan --help"}) {
        const Result r = run(cmd);
        EXPECT_EQ(r.exit_code, 0) << cmd;
        EXPECT_NE(r.out.find("--generate-candidates"), std::string::npos) << cmd;
        EXPECT_NE(r.out.find("--standard"), std::string::npos) << cmd; // the coverage options are shared
    }
}

TEST_F(PlanTest, GeneratedCandidatesStayInsideTheCommunities) {
    write("communities.geojson", monte_carlo_community);
    const Result r = run("plan --quiet " + base_mofcom + "--category convenience_store --k 2 --generate-candidates 100 " +
                         "--communities " + path("communities.geojson").string() + " --out " + path("plan").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Csv plan = read_csv(path("plan") / "plan.csv");
    ASSERT_EQ(plan.rows.size(), 2U);
    for (std::size_t i = 0; i < plan.rows.size(); ++i) {
        // A grid point inside the community moves at most half the spacing (50 m) onto the network.
        EXPECT_GT(plan.number(i, "lon"), 7.420 - 0.0007);
        EXPECT_LT(plan.number(i, "lon"), 7.435 + 0.0007);
        EXPECT_GT(plan.number(i, "lat"), 43.735 - 0.0005);
        EXPECT_LT(plan.number(i, "lat"), 43.745 + 0.0005);
    }
    const Csv communities = read_csv(path("plan") / "communities.csv");
    ASSERT_EQ(communities.rows.size(), 1U);
    EXPECT_EQ(communities.at(0, "community"), "c1");
}

TEST_F(PlanTest, SeniorTargetsPlanOnTheSeniorProfile) {
    // A senior target in minutes: the planner's reach (senior network and speed) and the report
    // engine's recomputed costs must agree on the share after.
    write("std.toml", standard_head("s", "s", "s", "test") +
                          target_toml("s.day_care", "t", "t",
                                      {"kind = 'coverage'", "level = '10min'", "category = 'elderly_day_care'", "serves = 'seniors'",
                                       "threshold_minutes = 10", "basis = 'seniors'", "required_share = 0.9", "confirmed = true"}));
    const Result r = run("plan --quiet --osm " + monaco + " --standard " + path("std.toml").string() +
                         " --k 3 --generate-candidates 200 --out " + path("plan").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Csv plan = read_csv(path("plan") / "plan.csv");
    ASSERT_EQ(plan.rows.size(), 3U);
    EXPECT_EQ(plan.at(0, "basis"), "seniors");
    const double after = achieved(path("plan") / "after" / "summary.csv", "s.day_care");
    EXPECT_GT(after, achieved(path("plan") / "before" / "summary.csv", "s.day_care"));
    EXPECT_NEAR(plan.number(2, "cumulative_share"), after, 1e-5);
    EXPECT_NE(slurp(path("plan") / "plan.md").find("10 min (senior)"), std::string::npos);
}

TEST_F(PlanTest, CandidatesOffTheNetworkAreLeftOutWithAWarning) {
    write("sea.geojson", R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Point","coordinates":[7.4827556,43.7607906]}},
{"type":"Feature","properties":{"id":"sea"},"geometry":{"type":"Point","coordinates":[7.45,43.70]}}]})");
    const Result r = run("evaluate " + base_mofcom + "--category convenience_store --candidates " +
                         path("sea.geojson").string() + " --out " + path("eval").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("1 of 2 candidates could not be snapped"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("sea: no walkable street"), std::string::npos) << r.err;
    const Csv csv = read_csv(path("eval") / "evaluation.csv");
    ASSERT_EQ(csv.rows.size(), 1U);
    EXPECT_EQ(csv.at(0, "candidate"), "a");
}

TEST_F(PlanTest, BadInput) {
    write("cands.geojson", candidates_geojson);
    write("empty.geojson", R"({"type":"FeatureCollection","features":[]})");
    write("nocap.geojson", R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"a","seats":5},"geometry":{"type":"Point","coordinates":[7.4246,43.7384]}},
{"type":"Feature","properties":{"id":"b"},"geometry":{"type":"Point","coordinates":[7.4185,43.7315]}}]})");
    write("negcap.geojson", R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"a","seats":-5},"geometry":{"type":"Point","coordinates":[7.4246,43.7384]}}]})");
    write("world.geojson", R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"w"},"geometry":{"type":"Polygon","coordinates":[[[7.0,43.5],[8.0,43.5],[8.0,44.0],[7.0,44.0],[7.0,43.5]]]}}]})");
    const std::string cands = " --candidates " + path("cands.geojson").string();
    const std::string out = " --out " + path("out").string();
    struct Case {
        std::string args;
        int exit_code;
        std::string says;
    };
    const std::vector<Case> cases = {
        {"plan " + base_mofcom + "--category convenience_store --k 5" + cands + out, 1, "larger than"},
        {"plan " + base_mofcom + "--category kindergarten --k 1" + cands + out, 1, "not in standard mofcom-15min"},
        {"evaluate " + base_mofcom + "--category kindergarten" + cands + out, 1, "not in standard mofcom-15min"},
        {"plan " + base_mofcom + "--category convenience_store --k 1 --candidates " + path("empty.geojson").string() + out,
         1, "empty.geojson"},
        {"evaluate " + base_mofcom + "--category convenience_store --generate-candidates 200 --mask " +
             path("world.geojson").string() + out, 1, "no candidate"},
        {"plan " + base_mofcom + "--category convenience_store --k 1 --candidates " + path("nocap.geojson").string() +
             " --candidate-capacity-field seats" + out, 1, "no capacity"},
        {"plan " + base_mofcom + "--category convenience_store --k 1 --candidates " + path("negcap.geojson").string() +
             " --candidate-capacity-field seats" + out, 1, "capacity '-5'"},
        {"plan " + base_mofcom + "--category convenience_store --k 1 --capacity -3" + cands + out, 2, "--capacity"},
        {"plan " + base_mofcom + "--category convenience_store" + cands + out, 2, "--k"},
        {"plan " + base_mofcom + "--category convenience_store --k 1 --target-share 0.5" + cands + out, 2, "--k"},
        {"plan " + base_mofcom + "--category convenience_store --k 0" + cands + out, 2, "--k"},
        {"plan " + base_mofcom + "--category convenience_store --target-share 1.5" + cands + out, 2, "--target-share"},
        {"plan " + base_mofcom + "--category convenience_store --k 1" + out, 2, "--candidates"},
        {"plan " + base_mofcom + "--category convenience_store --k 1 --generate-candidates 100" + cands + out, 2,
         "--candidates"},
        {"evaluate " + base_mofcom + cands + out, 2, "--category"},
        {"plan " + base_mofcom + "--category convenience_store --target mofcom.large_supermarket_15min --k 1" + cands + out,
         1, "not in target"},
    };
    for (const auto& c : cases) {
        const Result r = run(c.args);
        EXPECT_EQ(r.exit_code, c.exit_code) << c.args << "\n" << r.err;
        EXPECT_EQ(lines(r.err), 1) << c.args << "\n" << r.err;
        EXPECT_NE(r.err.find(c.says), std::string::npos) << c.args << "\n" << r.err;
        EXPECT_FALSE(fs::exists(path("out"))) << c.args;
    }
}

} // namespace

// Candidates in a workbook's sheet in Web Mercator and a mask as WKT in a CSV, each with its own
// CRS (FILE:SHEET@CRS, FILE@CRS): the same evaluation as the GeoJSON candidates in WGS84.
TEST_F(PlanTest, EvaluateCandidatesFromASheetAndAMaskEachInItsCrs) {
    write("cands.geojson", candidates_geojson);
    write("mask.geojson", R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"m"},"geometry":{"type":"Polygon","coordinates":[[[7.4240,43.7380],[7.4252,43.7380],[7.4252,43.7388],[7.4240,43.7388],[7.4240,43.7380]]]}}]})");
    write("mask.csv", "id,wkt\nm,\"POLYGON ((7.4240 43.7380,7.4252 43.7380,7.4252 43.7388,7.4240 43.7388,7.4240 43.7380))\"\n");
    const yike::io::CrsTransform mercator("EPSG:3857");
    yike::test::SheetRows rows = {{"编号", "名称", "x", "y", "座位数"}};
    const std::vector<std::tuple<std::string, double, double, int>> points = {
        {"a", 7.4827556, 43.7607906, 40}, {"b", 7.4246, 43.7384, 25}, {"c", 7.4185, 43.7315, 10}};
    for (const auto& [id, lon, lat, seats] : points) {
        const auto xy = mercator.from_wgs84({lon, lat});
        ASSERT_TRUE(xy.has_value());
        char x[40], y[40];
        std::snprintf(x, sizeof x, "%.17g", xy->x);
        std::snprintf(y, sizeof y, "%.17g", xy->y);
        rows.push_back({id, "site " + id, x, y, std::to_string(seats)});
    }
    yike::test::write_xlsx(path("cands.xlsx"), {{"说明", {{"说明"}, {"候选地块"}}}, {"候选", rows}});
    const Result geojson = run("evaluate --quiet " + base_mofcom + "--category convenience_store --candidates " +
                               path("cands.geojson").string() + " --mask " + path("mask.geojson").string() +
                               " --candidate-capacity-field seats --out " + path("eval-geojson").string());
    ASSERT_EQ(geojson.exit_code, 0) << geojson.err;
    const Result sheet = run("evaluate --quiet " + base_mofcom + "--category convenience_store --candidates " +
                             path("cands.xlsx").string() + ":候选@EPSG:3857 --mask " + path("mask.csv").string() +
                             "@EPSG:4326 --candidate-capacity-field capacity --out " + path("eval-sheet").string());
    ASSERT_EQ(sheet.exit_code, 0) << sheet.err;
    const Csv a = read_csv(path("eval-geojson") / "evaluation.csv");
    const Csv b = read_csv(path("eval-sheet") / "evaluation.csv");
    std::map<std::string, std::pair<std::string, std::string>> by_id; // candidate -> (served, capacity)
    for (std::size_t i = 0; i < a.rows.size(); ++i) by_id[a.at(i, "candidate")] = {a.at(i, "served"), a.at(i, "capacity")};
    ASSERT_EQ(b.rows.size(), 2U); // b masked, no polygon d in the sheet
    for (std::size_t i = 0; i < b.rows.size(); ++i) {
        const std::string id = b.at(i, "candidate");
        ASSERT_TRUE(by_id.count(id) == 1) << id;
        EXPECT_EQ(b.at(i, "served"), by_id[id].first) << id;
        EXPECT_EQ(b.at(i, "capacity"), by_id[id].second) << id;
    }
}
