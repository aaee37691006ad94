// --dem on the command line and in scenario files: the synthetic Monaco relief of
// scripts/monaco-dem changes the figures doc/profiles.md quotes, reruns are byte-identical, a
// saved graph keeps the slopes.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "cli_fixture.hpp"

namespace {

class DemCliTest : public CliTest {
protected:
    // The synthetic DEM, written once per test by the script the documentation uses.
    std::string monaco_dem() {
        const fs::path dem = path("monaco-dem.asc");
        const std::string script = (fs::path(YIKE_DATA_DIR).parent_path() / "scripts" / "monaco-dem").string();
        EXPECT_EQ(std::system(("/usr/bin/python3 " + script + " " + dem.string()).c_str()), 0);
        return dem.string();
    }
    // The "achieved" cell of a target's row in summary.md.
    static std::string achieved(const fs::path& report, const std::string& target) {
        const std::string md = slurp(report / "summary.md");
        const auto at = md.find("| `" + target + "`");
        if (at == std::string::npos) return "no row";
        std::istringstream row(md.substr(at, md.find('\n', at) - at));
        std::string cell;
        for (int i = 0; i < 7; ++i) std::getline(row, cell, '|');
        return cell;
    }
};

TEST_F(DemCliTest, CoverageWithTheSyntheticMonacoRelief) {
    const std::string dem = monaco_dem();
    const std::string base = "coverage --quiet --osm " + monaco + " --standard mofcom-15min --out ";
    ASSERT_EQ(run(base + path("flat").string()).exit_code, 0);
    const Result r = run(base + path("dem").string() + " --dem " + dem);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err.find("way segments lie outside"), std::string::npos) << r.err; // the DEM covers the extract
    // The figures of doc/profiles.md (Slope).
    EXPECT_EQ(achieved(path("flat"), "mofcom.large_supermarket_15min"), " 45.2 % ");
    EXPECT_EQ(achieved(path("dem"), "mofcom.large_supermarket_15min"), " 37.9 % ");
    EXPECT_EQ(achieved(path("dem"), "mofcom.convenience_5min"), " 12.3 % ");
    // Byte-identical rerun.
    ASSERT_EQ(run(base + path("dem2").string() + " --dem " + dem).exit_code, 0);
    EXPECT_TRUE(same_folders(path("dem"), path("dem2")));
    // The scenario key gives the same report.
    std::ofstream(path("s.toml")) << "osm = \"" << monaco << "\"\nstandard = \"mofcom-15min\"\ndem = \"monaco-dem.asc\"\n";
    const Result s = run("coverage --quiet --scenario " + path("s.toml").string() + " --out " + path("scenario").string());
    ASSERT_EQ(s.exit_code, 0) << s.err;
    EXPECT_EQ(achieved(path("scenario"), "mofcom.large_supermarket_15min"), " 37.9 % ");
    EXPECT_EQ(slurp(path("scenario") / "summary.csv"), slurp(path("dem") / "summary.csv"));
    // Tiled runs do not read a DEM yet: refused, not ignored.
    const Result t = run("tiles --osm " + monaco + " --standard mofcom-15min --tile-km 2 --dem " + dem + " --out " + path("work").string());
    EXPECT_EQ(t.exit_code, 2);
    EXPECT_NE(t.err.find("tiled runs do not read a DEM yet"), std::string::npos) << t.err;
}

TEST_F(DemCliTest, IsochronesFromAPointAndFromASavedGraph) {
    const std::string dem = monaco_dem();
    const std::string at = " --at 7.4246,43.7384 --minutes 5,10 --out ";
    ASSERT_EQ(run("graph --osm " + monaco + " --dem " + dem + " --save " + path("g.ykg").string()).exit_code, 0);
    ASSERT_EQ(run("isochrone --osm " + monaco + " --dem " + dem + at + path("dem.geojson").string()).exit_code, 0);
    ASSERT_EQ(run("isochrone --graph " + path("g.ykg").string() + at + path("graph.geojson").string()).exit_code, 0);
    ASSERT_EQ(run("isochrone --osm " + monaco + at + path("flat.geojson").string()).exit_code, 0);
    EXPECT_EQ(slurp(path("dem.geojson")), slurp(path("graph.geojson")));
    EXPECT_NE(slurp(path("dem.geojson")), slurp(path("flat.geojson")));
    // The export carries both directions' times.
    ASSERT_EQ(run("graph --graph " + path("g.ykg").string() + " --out " + path("edges.geojson").string()).exit_code, 0);
    EXPECT_NE(slurp(path("edges.geojson")).find("\"time_back_ms\""), std::string::npos);
    ASSERT_EQ(run("graph --osm " + monaco + " --out " + path("flat-edges.geojson").string()).exit_code, 0);
    EXPECT_EQ(slurp(path("flat-edges.geojson")).find("\"time_back_ms\""), std::string::npos);
}

} // namespace
