// One category-cost service (engine/category_cost.hpp) for every command: `yike plan`'s after-state
// and the web planner's scenario with the planned sites must report what `yike coverage` reports
// with the same sites given as a facility layer, for a metre threshold serving seniors and for a
// minute threshold on each network (walk, senior, and wheelchair as the senior profile). Where
// the walk and senior networks differ (wheelchair: no steps), a command judging a target on the
// other network, or in the other measure, would report other shares. The planned sites carry a
// capacity, so the category's catchment is compared too.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#include "yike/engine/category_cost.hpp"
#include "yike/engine/coverage_run.hpp"
#include "yike/engine/report.hpp"
#include "yike/engine/siting.hpp"
#include "yike/viz/planner.hpp"

namespace yike::viz {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

const std::string monaco = std::string(YIKE_DATA_DIR) + "/osm/monaco.osm.pbf";

struct Case {
    std::string name;
    std::string serves;
    std::string threshold; // the TOML line
    std::string senior_profile;
    engine::TargetMeasure measure; // what the target must be judged on
};

class PlanEqualsCoverage : public ::testing::TestWithParam<Case> {
protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() / ("yike-plan-equals-coverage-" + std::to_string(::getpid()) + "-" + GetParam().name);
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    // A standard of two targets on pharmacies: the case's, and one of every household in 4
    // minutes on the walk network, so that a target the plan does not judge by is compared too.
    engine::CoverageSettings settings() const {
        const auto& c = GetParam();
        const fs::path file = m_dir / "standard.toml";
        auto target = [](const std::string& id, const std::string& serves, const std::string& threshold) {
            return "[[target]]\nid = \"" + id + "\"\nname_zh = \"t\"\nname_en = \"t\"\nkind = \"coverage\"\nlevel = \"5min\"\n"
                   "category = \"pharmacy\"\nserves = \"" + serves + "\"\n" + threshold +
                   "\nbasis = \"households\"\nrequired_share = 0.9\nsource = \"test\"\nconfidence = \"S\"\nconfirmed = true\n\n";
        };
        std::ofstream(file) << "schema_version = 1\nid = \"t\"\nname_zh = \"t\"\nname_en = \"t\"\nsource = \"test\"\n\n"
                            << target("t.case", c.serves, c.threshold) << target("t.all", "all", "threshold_minutes = 4");
        engine::CoverageSettings s;
        s.osm = monaco;
        s.standard = file.string();
        s.senior_profile = c.senior_profile;
        return s;
    }

    // `yike coverage` with `sites` as a facility layer of pharmacies, each of capacity 40.
    engine::ReportResults coverage_with(const std::vector<routing::LonLat>& sites, engine::CoverageData& data) const {
        const fs::path file = m_dir / "sites.geojson";
        json fc = {{"type", "FeatureCollection"}, {"features", json::array()}};
        for (std::size_t k = 0; k < sites.size(); ++k) {
            fc["features"].push_back({{"type", "Feature"},
                                      {"geometry", {{"type", "Point"}, {"coordinates", {sites[k].lon, sites[k].lat}}}},
                                      {"properties", {{"id", "site" + std::to_string(k)}, {"category", "pharmacy"}, {"capacity", 40}}}});
        }
        std::ofstream(file) << fc.dump();
        auto s = settings();
        engine::FacilityLayerSource layer;
        layer.path = file;
        layer.options.category_field = "category";
        layer.options.capacity_field = "capacity";
        s.facility_layers.push_back(layer);
        data = engine::run_coverage(s);
        return engine::evaluate(data);
    }

    fs::path m_dir;
};

void expect_same(const engine::ReportResults& got, const engine::ReportResults& want, const engine::Standard& standard,
                 const std::string& what) {
    ASSERT_EQ(got.targets.size(), want.targets.size()) << what;
    for (std::size_t k = 0; k < want.targets.size(); ++k) {
        const auto& g = got.targets[k].overall;
        const auto& w = want.targets[k].overall;
        const std::string id = what + ": " + standard.targets[k].id;
        EXPECT_EQ(g.status, w.status) << id;
        ASSERT_EQ(g.achieved.has_value(), w.achieved.has_value()) << id;
        if (w.achieved) {
            EXPECT_DOUBLE_EQ(*g.achieved, *w.achieved) << id;
        }
        EXPECT_DOUBLE_EQ(g.covered.households, w.covered.households) << id;
        EXPECT_DOUBLE_EQ(g.uncovered.households, w.uncovered.households) << id;
        EXPECT_DOUBLE_EQ(g.uncovered.seniors, w.uncovered.seniors) << id;
        EXPECT_EQ(got.targets[k].covered, want.targets[k].covered) << id; // point by point
    }
}

TEST_P(PlanEqualsCoverage, PlanAndPlannerScenarioEqualCoverageWithTheSites) {
    const auto& c = GetParam();
    engine::SitingSettings plan;
    plan.coverage = settings();
    plan.categories = {"pharmacy"};
    plan.target = "t.case";
    plan.k = 3;
    plan.candidates.spacing_m = 150;
    plan.capacity = 40.0; // the only capacities of the category (OSM gives its pharmacies none)
    const engine::SitingRun run = engine::run_site_plan(plan);
    const auto& standard = run.before.standard;
    ASSERT_EQ(standard.targets.size(), 2U);
    EXPECT_EQ(engine::target_measure(standard.targets[0]), c.measure);
    ASSERT_EQ(run.plans.size(), 1U);
    ASSERT_EQ(run.plans[0].target.target, 0U);
    EXPECT_EQ(run.plans[0].target.senior, c.measure.network == engine::Network::senior);
    EXPECT_EQ(run.plans[0].target.metric, c.measure.metric);
    EXPECT_EQ(run.plans[0].target.threshold, c.measure.budget);

    std::vector<routing::LonLat> sites;
    for (const auto f : run.plans[0].new_facilities) sites.push_back(run.after.facilities[f].location);
    ASSERT_EQ(sites.size(), 3U);
    // The sites change what the case's target reports (else the comparison would prove little).
    ASSERT_TRUE(run.before_results.targets[0].overall.achieved && run.after_results.targets[0].overall.achieved);
    EXPECT_GT(*run.after_results.targets[0].overall.achieved, *run.before_results.targets[0].overall.achieved);

    engine::CoverageData full_data;
    const auto full = coverage_with(sites, full_data);
    expect_same(run.after_results, full, standard, "plan after-state");
    // ... and the same catchment: the sites' capacities over the same demand.
    EXPECT_FALSE(engine::costs_of(run.before, "pharmacy").catchment.has_value());
    const auto& got = engine::costs_of(run.after, "pharmacy");
    const auto& want = engine::costs_of(full_data, "pharmacy");
    ASSERT_TRUE(got.catchment.has_value());
    ASSERT_TRUE(want.catchment.has_value());
    ASSERT_EQ(got.catchment->demand_access.size(), want.catchment->demand_access.size());
    for (std::size_t i = 0; i < want.catchment->demand_access.size(); ++i) {
        EXPECT_NEAR(got.catchment->demand_access[i], want.catchment->demand_access[i], 1e-12) << i;
    }
    EXPECT_EQ(got.length.cost, want.length.cost);
    EXPECT_EQ(got.walk_time.cost, want.walk_time.cost);
    EXPECT_EQ(got.senior_time.cost, want.senior_time.cost);

    // The web planner, loaded with the same run, answering a scenario adding the same sites.
    auto networks = std::make_unique<engine::CoverageNetworks>();
    auto data = engine::run_coverage(settings(), {}, networks.get());
    const Planner planner(std::move(data), std::move(networks));
    ScenarioRequest r;
    r.category = "pharmacy";
    for (std::size_t k = 0; k < sites.size(); ++k) r.add.push_back({"s" + std::to_string(k), sites[k]});
    const auto scenario = planner.scenario_data(r);
    expect_same(engine::evaluate(scenario), full, standard, "planner scenario");
    EXPECT_EQ(engine::costs_of(scenario, "pharmacy").senior_time.cost, want.senior_time.cost);
    EXPECT_EQ(engine::costs_of(scenario, "pharmacy").length.cost, want.length.cost);
    const json answer = json::parse(planner.scenario_json(r));
    ASSERT_EQ(answer["targets"].size(), full.targets.size());
    for (std::size_t k = 0; k < full.targets.size(); ++k) {
        const auto& overall = full.targets[k].overall;
        const auto& after = answer["targets"][k]["after"];
        EXPECT_EQ(answer["targets"][k]["id"], standard.targets[k].id);
        EXPECT_EQ(after["status"], std::string(engine::to_string(overall.status))) << standard.targets[k].id;
        ASSERT_TRUE(overall.achieved.has_value());
        EXPECT_NEAR(after["achieved"].get<double>(), *overall.achieved, 1e-6) << standard.targets[k].id; // rounded to 1e-6
        EXPECT_NEAR(after["covered_households"].get<double>(), overall.covered.households, 0.006) << standard.targets[k].id;
    }
}

const routing::Cost minutes_3 = 180'000;

INSTANTIATE_TEST_SUITE_P(
    EachNetwork, PlanEqualsCoverage,
    ::testing::Values(
        // Metres serving seniors are walk-network lengths, even with a wheelchair senior network.
        Case{"metres_seniors", "seniors", "threshold_m = 200", "wheelchair",
             {routing::Metric::length_cm, engine::Network::walk, 20'000}},
        Case{"minutes_walk", "all", "threshold_minutes = 3", "senior",
             {routing::Metric::time_ms, engine::Network::walk, minutes_3}},
        Case{"minutes_senior", "seniors", "threshold_minutes = 3", "senior",
             {routing::Metric::time_ms, engine::Network::senior, minutes_3}},
        Case{"minutes_wheelchair", "seniors", "threshold_minutes = 3", "wheelchair",
             {routing::Metric::time_ms, engine::Network::senior, minutes_3}}),
    [](const ::testing::TestParamInfo<Case>& param_info) { return param_info.param.name; });

} // namespace
} // namespace yike::viz
