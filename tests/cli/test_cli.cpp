// End-to-end tests of the `yike` command: exit codes, one-line errors, outputs, determinism.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "cli/cli_fixture.hpp"

namespace {

TEST_F(CliTest, HelpEverywhere) {
    for (const std::string cmd : {"--help", "graph --help", "isochrone --help"}) {
        const Result r = run(cmd);
        EXPECT_EQ(r.exit_code, 0) << cmd;
        EXPECT_NE(r.out.find("Usage"), std::string::npos) << cmd;
    }
}

TEST_F(CliTest, BadUsageExitsTwo) {
    EXPECT_EQ(run("").exit_code, 2);
    EXPECT_EQ(run("frobnicate").exit_code, 2);
    EXPECT_EQ(run("graph").exit_code, 2); // --osm is required
    EXPECT_EQ(run("isochrone --osm " + monaco + " --at 7.42,43.73 --out " + path("a.geojson").string()).exit_code, 2);
    EXPECT_EQ(run("isochrone --osm " + monaco + " --at 7.42 --minutes 5 --out " + path("a.geojson").string()).exit_code, 2);
    EXPECT_EQ(run("graph --osm " + monaco + " --out " + path("graph.shp").string()).exit_code, 1);
}

TEST_F(CliTest, NegativeOrZeroBudgetIsUsageError) {
    for (const std::string budget : {"--minutes -5", "--minutes 0", "--meters -100", "--minutes 5,-1"}) {
        const Result r = run("isochrone --osm " + monaco + " --at 7.4246,43.7384 " + budget + " --out " +
                             path("a.geojson").string());
        EXPECT_EQ(r.exit_code, 2) << budget << ": " << r.err;
        EXPECT_EQ(lines(r.err), 1) << r.err;
        EXPECT_EQ(output_files(), 0);
    }
}

TEST_F(CliTest, MissingFile) {
    const Result r = run("graph --osm " + path("nope.osm.pbf").string());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("nope.osm.pbf"), std::string::npos) << r.err;
    EXPECT_EQ(lines(r.err), 1) << r.err;
}

TEST_F(CliTest, NotAnOsmFile) {
    write("text.osm.pbf", "this is not an OpenStreetMap file\n");
    const Result r = run("graph --osm " + path("text.osm.pbf").string());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("text.osm.pbf"), std::string::npos) << r.err;
    EXPECT_EQ(lines(r.err), 1) << r.err;
    write("garbage.osm", "<html><body>not osm</body></html>\n");
    const Result r2 = run("graph --osm " + path("garbage.osm").string());
    EXPECT_EQ(r2.exit_code, 1);
    EXPECT_NE(r2.err.find("garbage.osm"), std::string::npos) << r2.err;
}

TEST_F(CliTest, TruncatedPbf) {
    const std::string full = slurp(monaco);
    ASSERT_GT(full.size(), 100'000U);
    write("truncated.osm.pbf", full.substr(0, full.size() / 2));
    const Result r = run("graph --osm " + path("truncated.osm.pbf").string() + " --out " + path("g.geojson").string());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("truncated.osm.pbf"), std::string::npos) << r.err;
    EXPECT_EQ(lines(r.err), 1) << r.err;
    EXPECT_FALSE(fs::exists(path("g.geojson")));
}

TEST_F(CliTest, EmptyExtract) {
    write("empty.osm", "<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\" generator=\"test\">\n"
                       "<node id=\"1\" lat=\"43.73\" lon=\"7.42\" version=\"1\"/>\n</osm>\n");
    const Result r = run("isochrone --osm " + path("empty.osm").string() + " --at 7.42,43.73 --minutes 5 --out " +
                         path("iso.geojson").string());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("empty.osm"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("walkable"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(path("iso.geojson")));
}

TEST_F(CliTest, PointOutsideTheData) {
    const Result r = run("isochrone --osm " + monaco + " --at 116.3975,39.9087 --minutes 15 --out " +
                         path("iso.geojson").string());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("off the network"), std::string::npos) << r.err;
    EXPECT_EQ(lines(r.err), 1) << r.err;
    EXPECT_FALSE(fs::exists(path("iso.geojson")));
}

TEST_F(CliTest, SinglePointFromFileOutsideTheData) {
    // One origin read with --points (no --at): the error names it (this crashed, reading --at).
    write("far.csv", "id,lon,lat\nbeijing,116.3975,39.9087\n");
    const Result r = run("isochrone --osm " + monaco + " --points " + path("far.csv").string() + " --minutes 15 --out " +
                         path("iso.geojson").string());
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("origin beijing (116.3975,39.9087) is off the network"), std::string::npos) << r.err;
    EXPECT_EQ(lines(r.err), 1) << r.err;
    EXPECT_FALSE(fs::exists(path("iso.geojson")));
}

TEST_F(CliTest, PointInTheSeaBeyondSnapDistance) {
    // About 1 km off Monaco's harbour; the default snapping limit is 300 m.
    const std::string at = " --at 7.4330,43.7300 ";
    const Result r = run("isochrone --osm " + monaco + at + "--minutes 15 --out " + path("iso.geojson").string());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("300 m"), std::string::npos) << r.err;
    // A larger limit reaches the coast.
    const Result ok = run("isochrone --quiet --osm " + monaco + at + "--max-snap 3000 --minutes 15 --out " +
                          path("iso.geojson").string());
    EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

TEST_F(CliTest, ManyOriginsOneSkipped) {
    write("origins.csv", "id,lon,lat\nharbour,7.4246,43.7384\nsea,7.4330,43.7300\ncasino,7.4282,43.7396\n");
    const Result r = run("isochrone --osm " + monaco + " --points " + path("origins.csv").string() +
                         " --minutes 5,10 --out " + path("iso.geojson").string());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("origin sea"), std::string::npos) << r.err;
    const std::string out = slurp(path("iso.geojson"));
    EXPECT_NE(out.find("\"origin\":\"sea\""), std::string::npos);
    EXPECT_NE(out.find("\"error\":"), std::string::npos);
    // Two bands for each of the two good origins, one error feature.
    int polygons = 0;
    for (std::size_t at = out.find("MultiPolygon"); at != std::string::npos; at = out.find("MultiPolygon", at + 1)) {
        ++polygons;
    }
    EXPECT_EQ(polygons, 4);
}

TEST_F(CliTest, GraphExportFormats) {
    for (const std::string name : {"g.geojson", "g.gpkg", "g.csv"}) {
        const Result r = run("graph --osm " + monaco + " --out " + path(name).string());
        EXPECT_EQ(r.exit_code, 0) << name << ": " << r.err;
        EXPECT_TRUE(fs::exists(path(name))) << name;
        EXPECT_NE(r.out.find("components"), std::string::npos);
    }
    EXPECT_TRUE(fs::exists(path("g.nodes.csv")));
    const std::string csv = slurp_csv(path("g.csv"));
    EXPECT_NE(csv.find("length_cm"), std::string::npos);
    EXPECT_NE(csv.find("time_ms"), std::string::npos);
    EXPECT_NE(csv.find("LINESTRING"), std::string::npos);
}

TEST_F(CliTest, OutputsAreByteIdenticalAcrossRunsAndThreads) {
    write("origins.csv", "id,lon,lat\na,7.4246,43.7384\nb,7.4282,43.7396\nc,7.4165,43.7287\nd,7.4190,43.7335\n");
    const std::string common = "isochrone --quiet --osm " + monaco + " --points " + path("origins.csv").string() +
                               " --minutes 5,10,15 --network --out ";
    ASSERT_EQ(run(common + path("a.geojson").string() + " --threads 1").exit_code, 0);
    ASSERT_EQ(run(common + path("b.geojson").string() + " --threads 2").exit_code, 0);
    ASSERT_EQ(run(common + path("c.geojson").string() + " --threads 2").exit_code, 0);
    const std::string a = slurp(path("a.geojson"));
    EXPECT_GT(a.size(), 1000U);
    EXPECT_EQ(a, slurp(path("b.geojson")));
    EXPECT_EQ(a, slurp(path("c.geojson")));
    ASSERT_EQ(run("graph --quiet --osm " + monaco + " --out " + path("g1.gpkg").string()).exit_code, 0);
    ASSERT_EQ(run("graph --quiet --osm " + monaco + " --out " + path("g2.gpkg").string()).exit_code, 0);
    EXPECT_EQ(slurp(path("g1.gpkg")), slurp(path("g2.gpkg")));
}

TEST_F(CliTest, IsochroneFromSavedGraphEqualsFromOsm) {
    const Result saved = run("graph --osm " + monaco + " --profile senior --save " + path("monaco.ykg").string());
    ASSERT_EQ(saved.exit_code, 0) << saved.err;
    EXPECT_NE(saved.out.find("graph file"), std::string::npos) << saved.out;
    write("origins.csv", "id,lon,lat\na,7.4246,43.7384\nb,7.4282,43.7396\nc,7.4165,43.7287\n");
    const std::string common = "isochrone --quiet --points " + path("origins.csv").string() + " --minutes 5,10,15 --network --out ";
    // A graph file holds the network but not the barrier lines, so it equals the extract read
    // without them; with them (the default for --osm) some polygons stop at a barrier.
    ASSERT_EQ(run(common + path("osm.geojson").string() + " --osm " + monaco + " --profile senior --no-barriers").exit_code, 0);
    ASSERT_EQ(run(common + path("ykg.geojson").string() + " --graph " + path("monaco.ykg").string()).exit_code, 0);
    ASSERT_EQ(run(common + path("clipped.geojson").string() + " --osm " + monaco + " --profile senior").exit_code, 0);
    const std::string from_osm = slurp(path("osm.geojson"));
    EXPECT_GT(from_osm.size(), 1000U);
    EXPECT_NE(from_osm.find("senior"), std::string::npos);
    EXPECT_EQ(from_osm, slurp(path("ykg.geojson")));
    EXPECT_NE(from_osm, slurp(path("clipped.geojson")));
    // The statistics printed from the file are those printed from the extract.
    const Result again = run("graph --graph " + path("monaco.ykg").string());
    ASSERT_EQ(again.exit_code, 0) << again.err;
    const Result direct = run("graph --osm " + monaco + " --profile senior");
    auto body = [](const std::string& text) { return text.substr(text.find('\n')); };
    EXPECT_EQ(body(again.out), body(direct.out));
}

TEST_F(CliTest, SavedGraphUsageAndCorruption) {
    ASSERT_EQ(run("graph --quiet --osm " + monaco + " --save " + path("m.ykg").string()).exit_code, 0);
    const std::string at = " --at 7.4246,43.7384 --minutes 5 --out " + path("iso.geojson").string();
    EXPECT_EQ(run("isochrone --osm " + monaco + " --graph " + path("m.ykg").string() + at).exit_code, 2);
    EXPECT_EQ(run("isochrone" + at).exit_code, 2);
    EXPECT_EQ(run("isochrone --graph " + path("m.ykg").string() + " --profile senior" + at).exit_code, 2);
    std::string bytes = slurp(path("m.ykg"));
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 4);
    write("bad.ykg", bytes);
    const Result r = run("isochrone --graph " + path("bad.ykg").string() + at);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find(path("bad.ykg").string() + ": graph file is corrupt"), std::string::npos) << r.err;
    write("pbf.ykg", slurp(monaco));
    const Result p = run("isochrone --graph " + path("pbf.ykg").string() + at);
    EXPECT_EQ(p.exit_code, 1);
    EXPECT_NE(p.err.find("not a yike graph file"), std::string::npos) << p.err;
}

TEST_F(CliTest, StdoutOutput) {
    const Result r = run("isochrone --quiet --osm " + monaco + " --at 7.4246,43.7384 --minutes 5 --out -");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("{\"type\":\"FeatureCollection\"", 0), 0U);
    EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST_F(CliTest, FailedRunKeepsTheOldOutput) {
    write("iso.geojson", "previous good result");
    const Result r = run("isochrone --osm " + monaco + " --at 116.39,39.90 --minutes 5 --out " + path("iso.geojson").string());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(slurp(path("iso.geojson")), "previous good result");
}

} // namespace

namespace {

// ---- yike coverage ---------------------------------------------------------------------------

TEST_F(CliTest, CoverageReportOnMonaco) {
    const Result r = run("coverage --osm " + monaco + " --standard mofcom-15min --out " + path("report").string());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    for (const std::string name : {"summary.md", "summary.csv", "summary.json", "communities.csv", "subdistricts.csv",
                                   "demand_issues.csv", "layers.gpkg", "report.html"}) {
        EXPECT_TRUE(fs::exists(path("report") / name)) << name;
    }
    EXPECT_NE(r.err.find("summary.md"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("report.html"), std::string::npos) << r.err;
    const std::string md = slurp(path("report") / "summary.md");
    EXPECT_NE(md.find("mofcom.convenience_5min"), std::string::npos);
    EXPECT_NE(md.find("OpenStreetMap"), std::string::npos) << "the report must carry the OSM attribution";
}

TEST_F(CliTest, CoverageIsByteIdenticalAcrossRunsAndThreads) {
    // Every file of the folder, the GeoPackage included (GDAL's timestamps are pinned): two runs,
    // on one and on two threads.
    const std::string common = "coverage --quiet --osm " + monaco + " --standard gb50180-2018 --out ";
    ASSERT_EQ(run(common + path("a").string() + " --threads 1").exit_code, 0);
    ASSERT_EQ(run(common + path("b").string() + " --threads 2").exit_code, 0);
    EXPECT_EQ(folder_files(path("a")).size(), 11U); // report.html, summary.xlsx, .yike-output and catchments.csv (sports centres with capacities)
    EXPECT_TRUE(same_folders(path("a"), path("b")));
}

TEST_F(CliTest, CoverageDistancesAreNeverNegativeOrNaN) {
    // Every distance, time and snap offset of every demand point and facility in the report's
    // layers is null (not reached) or a finite number >= 0.
    const Result r = run("coverage --quiet --osm " + monaco + " --standard mofcom-15min --layers geojson --detail full --out " +
                         path("report").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string layers = slurp(path("report") / "layers.geojson");
    const std::regex measure(R"re("([a-z_0-9]*(_m|_min|_cm))":([^,}]*))re");
    std::size_t numbers = 0;
    std::size_t nulls = 0;
    for (auto it = std::sregex_iterator(layers.begin(), layers.end(), measure); it != std::sregex_iterator(); ++it) {
        const std::string name = (*it)[1];
        const std::string value = (*it)[3];
        if (value == "null") {
            ++nulls;
            continue;
        }
        char* end = nullptr;
        const double v = std::strtod(value.c_str(), &end);
        ASSERT_TRUE(end == value.c_str() + value.size() && std::isfinite(v) && v >= 0) << name << " = " << value;
        ++numbers;
    }
    EXPECT_GT(numbers, 100'000U); // the check ran over the whole report
    EXPECT_GT(nulls, 0U);         // categories Monaco lacks are null, not a made-up number
}

TEST_F(CliTest, CoverageFromScenarioFile) {
    write("scenario.toml", "osm = \"" + monaco + "\"\nstandard = \"xiangshan-2021\"\nout = \"report\"\nlayers = \"geojson\"\n"
                           "[areas]\ngrid_cell_m = 1000\n");
    const Result r = run("coverage --quiet --scenario " + path("scenario.toml").string());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(path("report") / "layers.geojson"));
    EXPECT_NE(slurp(path("report") / "summary.md").find("1000 m"), std::string::npos);
    write("typo.toml", "osm = \"" + monaco + "\"\nstandrad = \"xiangshan-2021\"\n");
    const Result bad = run("coverage --scenario " + path("typo.toml").string() + " --out " + path("r2").string());
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_NE(bad.err.find("typo.toml:2"), std::string::npos) << bad.err;
    EXPECT_NE(bad.err.find("standrad"), std::string::npos) << bad.err;
}

// A scenario's files (here the standard, the households and the report folder) are found beside it,
// not in the working folder (ctest's) the test runs yike from.
TEST_F(CliTest, ScenarioPathsAreRelativeToTheScenario) {
    fs::create_directories(path("city/standards"));
    fs::copy_file(std::string(YIKE_DATA_DIR) + "/standards/mofcom-15min.toml", path("city/standards/mine.toml"));
    write("city/households.csv", "id,lon,lat,households\nh1,7.4246,43.7384,10\nh2,7.4282,43.7396,20\n");
    write("city/s.toml", "osm = \"" + monaco + "\"\nstandard = \"standards/mine.toml\"\nout = \"../report\"\n"
                         "[demand]\nsource = \"households\"\npath = \"households.csv\"\ncrs = \"EPSG:4326\"\n");
    ASSERT_NE(fs::current_path(), path("city"));
    const Result r = run("coverage --quiet --scenario " + path("city/s.toml").string());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const auto summary = slurp(path("report") / "summary.md");
    EXPECT_NE(summary.find("demand points: 2 (households 30.0"), std::string::npos) << summary.substr(0, 2000);
}

TEST_F(CliTest, CoverageBadInput) {
    const std::string base = "coverage --osm " + monaco + " --out " + path("report").string();
    // A households layer that does not exist.
    Result r = run(base + " --households " + path("nope.gpkg").string());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("nope.gpkg"), std::string::npos) << r.err;
    // A facility layer without a CRS.
    write("shops.csv", "id,lon,lat,category\n1,7.4246,43.7384,pharmacy\n");
    r = run(base + " --facilities " + path("shops.csv").string());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("shops.csv"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--crs"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(path("report"))) << "a failed run writes nothing";
    // With --crs it runs.
    r = run(base + " --quiet --facilities " + path("shops.csv").string() + " --crs EPSG:4326");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    // A facility of a category no mapping defines.
    write("odd.csv", "id,lon,lat,category\n1,7.4246,43.7384,space_elevator\n");
    r = run(base + " --facilities " + path("odd.csv").string() + " --crs EPSG:4326");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("space_elevator"), std::string::npos) << r.err;
    // An empty households layer.
    write("empty.geojson", R"({"type":"FeatureCollection","features":[]})");
    r = run(base + " --households " + path("empty.geojson").string());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("empty.geojson"), std::string::npos) << r.err;
    // A standard naming a category no mapping defines: the error names file and line.
    write("std.toml", standard_head("x", "x", "x", "test") +
                          target_toml("t", "t", "t",
                                      {"kind = 'coverage'", "level = '5min'", "category = 'flux_capacitor'", "serves = 'all'",
                                       "threshold_m = 300", "basis = 'population'", "required_share = 1.0", "confirmed = true"}));
    r = run(base + " --standard " + path("std.toml").string());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("std.toml:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("flux_capacitor"), std::string::npos) << r.err;
    // The failures after the good run left its report in place.
    EXPECT_TRUE(fs::exists(path("report") / "summary.md"));
    // Bad usage.
    EXPECT_EQ(run("coverage --osm " + monaco).exit_code, 2); // no --out
    EXPECT_EQ(run(base + " --households a.gpkg --population-raster b.tif").exit_code, 2);
    EXPECT_EQ(run(base + " --decay cubic").exit_code, 2);
}

TEST_F(CliTest, CoverageHouseholdsOutsideEveryCommunityAreReported) {
    // One community polygon over part of Monaco; households elsewhere are listed, not dropped.
    write("communities.geojson", monte_carlo_community);
    const Result r = run("coverage --quiet --osm " + monaco + " --standard mofcom-15min --communities " +
                         path("communities.geojson").string() + " --out " + path("report").string());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const std::string md = slurp(path("report") / "summary.md");
    EXPECT_NE(md.find("c1"), std::string::npos);
    const std::string issues = slurp_csv(path("report") / "demand_issues.csv");
    EXPECT_NE(issues.find("outside"), std::string::npos) << issues.substr(0, 300);
}

TEST_F(CliTest, CoverageFailedRunKeepsTheOldReport) {
    ASSERT_EQ(run("coverage --quiet --osm " + monaco + " --standard xiangshan-2021 --out " + path("report").string())
                  .exit_code,
              0);
    const std::string before = slurp(path("report") / "summary.md");
    const Result r = run("coverage --osm " + monaco + " --standard xiangshan-2021 --households " +
                         path("missing.gpkg").string() + " --out " + path("report").string());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(slurp(path("report") / "summary.md"), before);
    int entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(m_dir)) {
        ++entries;
    }
    EXPECT_EQ(entries, 3) << "only report/, stdout.txt and stderr.txt";
}

TEST_F(CliTest, StandardsListAndShow) {
    const Result list = run("standards list");
    EXPECT_EQ(list.exit_code, 0);
    for (const std::string id : {"dongcheng-2020", "beijing-15min", "gb50180-2018", "mofcom-15min", "xiangshan-2021"}) {
        EXPECT_NE(list.out.find(id), std::string::npos) << id;
    }
    const Result show = run("standards show xiangshan-2021");
    EXPECT_EQ(show.exit_code, 0);
    EXPECT_NE(show.out.find("350"), std::string::npos);
    EXPECT_EQ(run("standards show no-such-standard").exit_code, 1);
    EXPECT_EQ(run("standards").exit_code, 2);
}

TEST_F(CliTest, IsochroneSvgMap) {
    const Result r = run("isochrone --quiet --osm " + monaco + " --at 7.4246,43.7384 --minutes 5,10 --svg " +
                         path("map.svg").string() + " --out " + path("iso.geojson").string());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const std::string svg = slurp(path("map.svg"));
    EXPECT_EQ(svg.rfind("<svg", 0), 0U);
    EXPECT_NE(svg.find("OpenStreetMap"), std::string::npos);
    EXPECT_NE(svg.find("10 min"), std::string::npos);
}

} // namespace
