// The coverage run on the bundled Monaco extract: scaling estimated households to known community
// totals and scenario files (runs checked through their report folders: tests/viz/test_coverage_reports.cpp).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "yike/engine/batch.hpp"
#include "yike/engine/coverage_run.hpp"
#include "support/coverage_run_fixture.hpp"
#include "yike/engine/report.hpp"
#include "yike/error.hpp"

namespace yike::engine {
namespace {

namespace fs = std::filesystem;
using namespace test_run; // the Monaco run fixture and its layers

TEST_F(CoverageRunTest, EstimatedHouseholdsAreScaledToKnownCommunityTotals) {
    CoverageSettings s;
    s.osm = monaco;
    s.standard = "mofcom-15min";
    s.communities = write("communities.geojson", communities_geojson);
    const CoverageData unscaled = run_coverage(s);
    s.community_options.households_field = "households";
    const CoverageData scaled = run_coverage(s);
    ASSERT_EQ(scaled.demand.size(), unscaled.demand.size());

    const AreaAssignment areas = assign_areas(scaled);
    double west = 0;
    double east = 0;
    double outside_scaled = 0;
    double outside_unscaled = 0;
    for (std::size_t i = 0; i < scaled.demand.size(); ++i) {
        const auto c = areas.demand_community[i];
        if (c == 0) {
            west += scaled.demand[i].households;
        } else if (c == 1) {
            east += scaled.demand[i].households;
        } else {
            outside_scaled += scaled.demand[i].households;
            outside_unscaled += unscaled.demand[i].households;
        }
        // Population, seniors and children scale with the households.
        if (unscaled.demand[i].households > 0) {
            const double f = scaled.demand[i].households / unscaled.demand[i].households;
            EXPECT_NEAR(scaled.demand[i].population, unscaled.demand[i].population * f, 1e-9);
            EXPECT_NEAR(scaled.demand[i].seniors, unscaled.demand[i].seniors * f, 1e-9);
        }
    }
    EXPECT_NEAR(west, 5000.0, 1e-6);
    EXPECT_NEAR(east, 2000.0, 1e-6);
    EXPECT_GT(outside_unscaled, 0.0);
    EXPECT_DOUBLE_EQ(outside_scaled, outside_unscaled); // points outside both communities are untouched
    bool mentioned = false;
    for (const auto& [label, value] : scaled.run.inputs) {
        mentioned = mentioned || value.find("scaled to the known households of 2 communities") != std::string::npos;
    }
    EXPECT_TRUE(mentioned);
}

// A households layer without population on a standard counting population says so.
TEST_F(CoverageRunTest, MissingPopulationOnAPopulationStandardIsAWarning) {
    CoverageSettings s;
    s.osm = monaco;
    s.standard = "gb50180-2018";
    s.demand_source = DemandSource::households_layer;
    s.demand_path = write("homes.csv", "id,lon,lat,households\nh1,7.4246,43.7384,10\nh2,7.4282,43.7396,20\n");
    s.demand_options.crs = "EPSG:4326";
    const CoverageData data = run_coverage(s);
    std::size_t population_targets = 0;
    for (const auto& t : data.standard.targets) population_targets += t.basis == Basis::population ? 1 : 0;
    bool warned = false;
    for (const auto& w : data.run.warnings) {
        warned = warned || w.find("homes.csv: no demand point has population (field 'population' missing or empty), so " +
                                  std::to_string(population_targets) + " target(s)") != std::string::npos;
    }
    EXPECT_GT(population_targets, 0u);
    EXPECT_TRUE(warned);
}

TEST_F(CoverageRunTest, ScalingAHouseholdsLayerIsRejected) {
    CoverageSettings s;
    s.osm = monaco;
    s.communities = write("communities.geojson", communities_geojson);
    s.community_options.households_field = "households";
    s.demand_source = DemandSource::households_layer;
    s.demand_path = write("homes.geojson",
                          R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},)"
                          R"("features":[{"type":"Feature","properties":{"households":10},"geometry":{"type":"Point","coordinates":[7.42,43.73]}}]})");
    try {
        (void)run_coverage(s);
        FAIL() << "expected a config_error";
    } catch (const config_error& e) {
        EXPECT_NE(std::string(e.what()).find("scaling to known households"), std::string::npos) << e.what();
    }
}

TEST_F(CoverageRunTest, ScenarioErrorsNameFileAndLine) {
    const auto file = write("s.toml", "osm = \"" + monaco + "\"\n\n[demand]\nsource = \"guess\"\n");
    try {
        (void)load_scenario(file);
        FAIL() << "expected a config_error";
    } catch (const config_error& e) {
        EXPECT_NE(std::string(e.what()).find("s.toml:4"), std::string::npos) << e.what();
    }
    const auto ok = write("ok.toml", "osm = \"x.osm.pbf\"\nstandard = \"gb50180-2018\"\n[areas]\ngrid_cell_m = 250\n");
    const CoverageSettings s = load_scenario(ok);
    EXPECT_EQ(s.standard, "gb50180-2018");
    EXPECT_EQ(s.grid_cell_m, 250.0);
    EXPECT_EQ(s.osm, (m_dir / "x.osm.pbf").lexically_normal());
}

// Per-layer CRS, sheet, encoding and POI format in a scenario.
TEST_F(CoverageRunTest, ScenarioLayerKeysForChineseData) {
    const auto file = write("cn.toml", "osm = \"x.osm.pbf\"\n"
                                       "[demand]\nsource = \"households\"\npath = \"h.xlsx\"\nsheet = \"住户\"\ncrs = \"EPSG:4490\"\n"
                                       "[areas]\ncommunities = \"c.csv\"\ncrs = \"EPSG:4527\"\nencoding = \"gbk\"\n"
                                       "subdistricts = \"s.geojson\"\nsubdistrict_crs = \"EPSG:4326\"\n"
                                       "[[facilities]]\npath = \"amap.csv\"\npoi_format = \"amap\"\n"
                                       "[[facilities]]\npath = \"baidu.csv\"\npoi_format = \"baidu\"\ncrs = \"GCJ-02\"\n");
    const CoverageSettings s = load_scenario(file);
    EXPECT_EQ(s.demand_options.layer, "住户");
    EXPECT_EQ(s.demand_options.crs, "EPSG:4490");
    EXPECT_EQ(s.community_options.crs, "EPSG:4527");
    EXPECT_EQ(s.community_options.encoding, "gbk");
    EXPECT_EQ(s.subdistrict_options.crs, "EPSG:4326");
    ASSERT_EQ(s.facility_layers.size(), 2u);
    EXPECT_EQ(s.facility_layers[0].options.poi_format, "amap");
    EXPECT_FALSE(s.facility_layers[0].options.crs.has_value()); // GCJ-02 by the format, when read
    EXPECT_EQ(s.facility_layers[1].options.poi_format, "baidu");
    EXPECT_EQ(s.facility_layers[1].options.crs, "GCJ-02");
    const auto bad = [&](const std::string& text) {
        try {
            (void)load_scenario(write("bad.toml", "osm = \"x.osm.pbf\"\n" + text));
        } catch (const config_error& e) {
            return std::string(e.what());
        }
        return std::string("(no error)");
    };
    EXPECT_NE(bad("[[facilities]]\npath = \"a.csv\"\npoi_format = \"google\"\n").find("bad.toml:4: poi_format must be \"amap\" or \"baidu\""),
              std::string::npos);
    EXPECT_NE(bad("[[facilities]]\npath = \"a.csv\"\npoi_format = \"amap\"\ncategory = \"pharmacy\"\n")
                  .find("needs exactly one of category, category_field or poi_format"),
              std::string::npos);
    EXPECT_NE(bad("[demand]\npath = \"h.csv\"\nencoding = \"big5\"\n").find("bad.toml:4: unknown encoding 'big5'"),
              std::string::npos);
}

// Every path of a scenario is relative to the scenario's folder, whatever the working folder.
TEST_F(CoverageRunTest, ScenarioPathsAreRelativeToTheFile) {
    fs::create_directories(m_dir / "city");
    const auto file = write("city/s.toml",
                            "osm = \"extract.osm.pbf\"\nstandard = \"standards/mine.toml\"\n"
                            "category_mapping = \"categories.toml\"\nwalk_profile = \"slow.toml\"\n"
                            "senior_profile = \"profiles/old.toml\"\nout = \"../reports/city\"\n"
                            "[demand]\nsource = \"households\"\npath = \"households.csv\"\n"
                            "[areas]\ncommunities = \"areas/communities.gpkg\"\nsubdistricts = \"/abs/sub.gpkg\"\n"
                            "[[facilities]]\npath = \"shops.csv\"\ncategory = \"pharmacy\"\n");
    const auto here = fs::current_path();
    for (const auto& cwd : {fs::path("/"), m_dir, m_dir / "city"}) {
        fs::current_path(cwd);
        const CoverageSettings s = load_scenario(file);
        fs::current_path(here);
        const auto dir = m_dir / "city";
        EXPECT_EQ(s.osm, dir / "extract.osm.pbf") << "from " << cwd;
        EXPECT_EQ(fs::path(s.standard), dir / "standards/mine.toml") << "from " << cwd;
        EXPECT_EQ(s.category_mapping, dir / "categories.toml");
        EXPECT_EQ(fs::path(s.walk_profile), dir / "slow.toml");
        EXPECT_EQ(fs::path(s.senior_profile), dir / "profiles/old.toml");
        EXPECT_EQ(s.out, m_dir / "reports/city");
        EXPECT_EQ(s.demand_path, dir / "households.csv");
        EXPECT_EQ(s.communities, dir / "areas/communities.gpkg");
        EXPECT_EQ(s.subdistricts, fs::path("/abs/sub.gpkg"));
        ASSERT_EQ(s.facility_layers.size(), 1u);
        EXPECT_EQ(s.facility_layers[0].path, dir / "shops.csv");
        EXPECT_EQ(s.scenario, file);
    }
    const auto named = write("city/named.toml", "osm = \"x.osm.pbf\"\nstandard = \"mofcom-15min\"\nwalk_profile = \"walk\"\n");
    const CoverageSettings n = load_scenario(named);
    EXPECT_EQ(n.standard, "mofcom-15min");
    EXPECT_EQ(n.walk_profile, "walk");
    // A list of standards: each file among them relative to the scenario, names kept.
    const auto list = write("city/list.toml", "osm = \"x.osm.pbf\"\nstandard = \"mofcom-15min, std/a.toml,/abs/b.toml\"\n");
    EXPECT_EQ(load_scenario(list).standard, "mofcom-15min," + (m_dir / "city/std/a.toml").string() + ",/abs/b.toml");
}

// The batch file shares the scenario reader: its standard files are relative to it too.
TEST_F(CoverageRunTest, BatchStandardFilesAreRelativeToTheBatchFile) {
    fs::create_directories(m_dir / "jobs");
    const auto file = write("jobs/batch.toml", "[[run]]\nname = \"a\"\nosm = \"a.osm.pbf\"\nstandard = \"mine.toml\"\nout = \"a\"\n");
    const auto here = fs::current_path();
    fs::current_path("/");
    const BatchFile b = load_batch(file);
    fs::current_path(here);
    ASSERT_EQ(b.items.size(), 1U);
    EXPECT_EQ(b.items[0].settings.standard, (m_dir / "jobs/mine.toml").string());
}

} // namespace
} // namespace yike::engine
