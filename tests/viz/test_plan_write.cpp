// The plan folder checks its own totals before anything is written, and a refused plan leaves
// the previous folder as it was. Runs on the 5 x 5 street grid of the bad-input corpus.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

#include "yike/assert.hpp"
#include "yike/engine/siting.hpp"
#include "yike/viz/siting_report.hpp"

namespace fs = std::filesystem;
using namespace yike;
using namespace yike::engine;

namespace {

const fs::path corpus = fs::path(YIKE_TEST_DATA_DIR).parent_path() / "badinput" / "common";

std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

SitingSettings grid_plan(const fs::path& households) {
    SitingSettings s;
    auto& c = s.coverage;
    c.osm = corpus / "grid.osm";
    c.osm_facilities = false;
    FacilityLayerSource pharmacies;
    pharmacies.path = corpus / "pharmacies.csv";
    pharmacies.options.category = "pharmacy";
    pharmacies.options.crs = "EPSG:4326";
    c.facility_layers.push_back(pharmacies);
    c.demand_source = DemandSource::households_layer;
    c.demand_path = households;
    c.demand_options.crs = "EPSG:4326";
    c.standard = (corpus / "badinput-std.toml").string();
    c.layer_format = io::VectorFormat::geojson;
    c.threads = 1;
    s.candidates.spacing_m = 100;
    s.categories = {"pharmacy"};
    s.mode = PlanMode::maximal;
    s.k = 1;
    return s;
}

// Calls write_plan in a death-test child; the library's YIKE_ASSERT aborts with its message.
void write_or_die(const fs::path& dir, const SitingRun& run, const SitingSettings& s) {
    try {
        viz::write_plan(dir, run, s);
    } catch (const assert_error& e) {
        std::fprintf(stderr, "%s\n", e.what());
        std::abort();
    }
}

TEST(PlanWrite, TotalsAreCheckedBeforeAnythingIsWritten) {
    const fs::path base = fs::temp_directory_path() / ("yike_plan_write_" + std::to_string(::getpid()));
    fs::remove_all(base);
    fs::create_directories(base);
    // h4, at the grid's south-east corner, is more than 300 m from both pharmacies: a site helps.
    std::ofstream(base / "households.csv") << read(corpus / "households.csv") << "h4,116.4040,39.9000,7,18\n";
    auto s = grid_plan(base / "households.csv");
    const SitingRun run = run_site_plan(s, {});
    ASSERT_EQ(run.plans.size(), 1U);
    const auto& plan = run.plans.front();
    ASSERT_EQ(plan.sites.size(), 1U);
    EXPECT_GT(plan.covered_after, plan.target.covered_weight);
    viz::write_plan(base / "plan", run, s);
    const std::string good = read(base / "plan" / "plan.csv");
    ASSERT_FALSE(good.empty());

    ::testing::FLAGS_gtest_death_test_style = "threadsafe";
    auto broken = run;
    broken.plans.front().covered_after += 1; // more than before plus the sites' gains
    EXPECT_DEATH(write_or_die(base / "plan", broken, s), "assertion failed");
    broken = run;
    broken.plans.front().covered_after = broken.plans.front().target.total_weight + 1; // beyond all demand
    EXPECT_DEATH(write_or_die(base / "plan", broken, s), "assertion failed");
    broken = run;
    broken.plans.front().result.marginal_gain.front() += 0.5;
    EXPECT_DEATH(write_or_die(base / "fresh", broken, s), "assertion failed");

    // The good plan is intact and no other folder (temporary or new) was made.
    EXPECT_EQ(read(base / "plan" / "plan.csv"), good);
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(base)) ++entries;
    EXPECT_EQ(entries, 2U); // plan/ and households.csv
    fs::remove_all(base);
}

// Two planned categories that meet one "any" target: each plan's after-state counts its own
// sites only, so its gains add up (this aborted `yike plan --standard gb50180-2018` before).
TEST(PlanWrite, CategoriesSharingAnAnyTargetKeepTheirOwnTotals) {
    const fs::path base = fs::temp_directory_path() / ("yike_plan_any_" + std::to_string(::getpid()));
    fs::remove_all(base);
    fs::create_directories(base);
    std::ofstream(base / "households.csv") << read(corpus / "households.csv") << "h4,116.4040,39.9000,7,18\n"
                                           << "h5,116.4000,39.9040,9,10\n";
    std::ofstream(base / "std.toml") << R"(schema_version = 1
id = "any-std"
name_zh = "任一"
name_en = "any"
source = "test"

[[target]]
id = "t.clinic_300m"
name_zh = "诊所 300 米"
name_en = "clinic within 300 m"
kind = "coverage"
category = "clinic"
serves = "all"
threshold_m = 300
basis = "population"
required_share = 1.0
source = "test"
confidence = "S"

[[target]]
id = "t.care_300m"
name_zh = "药店或诊所 300 米"
name_en = "pharmacy or clinic within 300 m"
kind = "coverage"
categories = ["pharmacy", "clinic"]
require = "any"
serves = "all"
threshold_m = 300
basis = "households"
required_share = 1.0
source = "test"
confidence = "S"
)";
    auto s = grid_plan(base / "households.csv");
    s.coverage.standard = (base / "std.toml").string();
    s.categories = {"pharmacy", "clinic"};
    const SitingRun run = run_site_plan(s, {});
    ASSERT_EQ(run.plans.size(), 2U);
    for (const auto& plan : run.plans) {
        ASSERT_EQ(plan.sites.size(), 1U) << plan.target.category;
        double gained = 0;
        for (const double g : plan.result.marginal_gain) gained += g;
        EXPECT_GT(gained, 0) << plan.target.category;
        EXPECT_DOUBLE_EQ(plan.covered_after, plan.target.covered_weight + gained) << plan.target.category;
    }
    // The clinic is planned for its own target by population (h4's corner), the pharmacy for the
    // "any" target by households (h5's corner): the after report of the "any" target counts both.
    ASSERT_EQ(run.plans[0].target.target, 1U);
    ASSERT_EQ(run.plans[1].target.target, 0U);
    const auto& t = run.after_results.targets[1];
    EXPECT_GT(t.overall.covered.households, run.plans[0].covered_after);
    viz::write_plan(base / "plan", run, s);
    EXPECT_NE(read(base / "plan" / "plan.md").find("is planned too"), std::string::npos);
    fs::remove_all(base);
}

} // namespace
