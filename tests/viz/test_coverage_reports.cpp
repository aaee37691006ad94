// Coverage runs on the bundled Monaco extract checked through their report folders
// (yike/viz/report.hpp): households at the largest allowed figure still write, the area layers carry
// the floating-catchment access, and networks saved once give the same report file for file.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/coverage_run_fixture.hpp"
#include "yike/engine/coverage_run.hpp"
#include "yike/error.hpp"
#include "yike/viz/report.hpp"

namespace yike::engine {
namespace {

namespace fs = std::filesystem;
using namespace test_run; // the Monaco run fixture and its layers
using viz::ReportOptions;
using viz::write_report;

// Known totals at the extremes: 0 empties a community's buildings with a warning; the largest
// count a community may hold (10^7) gives finite totals that the report checks and writes.
TEST_F(CoverageRunTest, KnownHouseholdsOfZeroWarnAndTheLargestAllowedStayFinite) {
    CoverageSettings s;
    s.osm = monaco;
    s.standard = "mofcom-15min";
    std::string text = communities_geojson;
    text.replace(text.find("5000"), 4, "0");
    text.replace(text.find("2000"), 4, "1e7");
    s.communities = write("communities.geojson", text);
    s.community_options.households_field = "households";
    const CoverageData data = run_coverage(s);
    bool warned = false;
    for (const auto& w : data.run.warnings) {
        warned = warned || w.find("1 communities have 0 known households (field 'households') but residential buildings; "
                                  "their estimated households are set to 0 (first: west") != std::string::npos;
    }
    EXPECT_TRUE(warned);
    const ReportResults results = evaluate(data);
    EXPECT_TRUE(std::isfinite(results.demand.households));
    EXPECT_GT(results.demand.households, 1e7 - 1);
    EXPECT_NO_THROW(write_report(m_dir / "report", data, results));
}

TEST_F(CoverageRunTest, FloatingCatchmentAccessPerArea) {
    // Two pharmacies with capacities: 2SFCA access exists per demand point, and the area layer
    // carries the household-weighted mean of it.
    CoverageSettings s;
    s.osm = monaco;
    s.standard = "mofcom-15min";
    s.osm_facilities = false;
    s.communities = write("communities.geojson", communities_geojson);
    FacilityLayerSource layer;
    layer.path = write("pharmacies.csv", "id,lon,lat,seats\np1,7.4190,43.7335,100\np2,7.4282,43.7396,50\n");
    layer.options.category = "pharmacy";
    layer.options.capacity_field = "seats";
    layer.options.crs = "EPSG:4326";
    s.facility_layers.push_back(layer);
    const CoverageData data = run_coverage(s);
    const CategoryCosts* pharmacy = nullptr;
    for (const auto& c : data.costs) {
        if (c.category == "pharmacy") {
            pharmacy = &c;
        }
    }
    ASSERT_NE(pharmacy, nullptr);
    ASSERT_TRUE(pharmacy->catchment.has_value());
    double served = 0;
    for (const double d : pharmacy->catchment->facility_demand) {
        served += d;
    }
    EXPECT_GT(served, 0.0);
    const auto results = evaluate(data);
    ReportOptions options;
    options.layer_format = io::VectorFormat::geojson;
    write_report(m_dir / "report", data, results, options);
    std::ifstream in(m_dir / "report" / "layers.geojson");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto at = text.find(R"("layer":"communities","id":"west")");
    ASSERT_NE(at, std::string::npos);
    const auto line_end = text.find('\n', at);
    const std::string west = text.substr(at, line_end - at);
    EXPECT_NE(west.find(R"("pharmacy_access_2sfca":)"), std::string::npos) << west.substr(0, 400);
    EXPECT_EQ(west.find(R"("pharmacy_access_2sfca":null)"), std::string::npos) << west.substr(0, 400);
}

// Networks saved once (yike batch, runs sharing an extract) give the report of a run reading the
// extract, file for file; files of other profiles are refused rather than silently used.
TEST_F(CoverageRunTest, SavedNetworksGiveTheSameReportAndOtherProfilesAreRefused) {
    CoverageSettings s;
    s.osm = monaco;
    s.standard = "gb50180-2018";
    save_coverage_networks(s, m_dir / "walk.ykg", m_dir / "senior.ykg");
    const CoverageData read = run_coverage(s);
    CoverageSettings shared = s;
    shared.walk_network_file = m_dir / "walk.ykg";
    shared.senior_network_file = m_dir / "senior.ykg";
    const CoverageData loaded = run_coverage(shared);
    write_report(m_dir / "read", read, evaluate(read));
    write_report(m_dir / "loaded", loaded, evaluate(loaded));
    std::size_t files = 0;
    for (const auto& e : fs::directory_iterator(m_dir / "read")) {
        std::ifstream a(e.path(), std::ios::binary);
        std::ifstream b(m_dir / "loaded" / e.path().filename(), std::ios::binary);
        ASSERT_TRUE(b) << e.path().filename();
        const std::string ta((std::istreambuf_iterator<char>(a)), std::istreambuf_iterator<char>());
        const std::string tb((std::istreambuf_iterator<char>(b)), std::istreambuf_iterator<char>());
        EXPECT_TRUE(ta == tb) << e.path().filename() << " differs";
        ++files;
    }
    EXPECT_GE(files, 3u);

    shared.walk_network_file = m_dir / "senior.ykg"; // the senior graph where the walk graph belongs
    shared.senior_network_file = m_dir / "walk.ykg";
    try {
        (void)run_coverage(shared);
        FAIL() << "networks of swapped profiles were used";
    } catch (const io_error& e) {
        EXPECT_NE(std::string(e.what()).find("senior.ykg: networks built for profiles 'senior' and 'walk', not 'walk' and 'senior'"),
                  std::string::npos)
            << e.what();
    }
}

} // namespace
} // namespace yike::engine
