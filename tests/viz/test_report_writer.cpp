// The report folder's writer (yike/viz/report.hpp) on hand-built inputs: summary.md's sections,
// the tables and layers, byte-identical folders, totals that check themselves, and a failed write
// that leaves the previous report.
#include "support/file_size_limit.hpp"
#include "support/report_builder.hpp"
#include "yike/error.hpp"
#include "yike/viz/report.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <unistd.h>

namespace {

using namespace yike::test_report;
using yike::viz::ReportOptions;
using yike::viz::report_markdown;
using yike::viz::write_report;

TEST(ReportCoverage, UnsnappedDemandIsUncoveredAndReported) {
    Builder b;
    b.two_communities();
    b.facility("f", "library", in_c1);
    const auto ok = b.demand("ok", in_c1, 3, 6, 1);
    const auto lost = b.demand("lost_house", in_c1, 2, 4, 1, false);
    b.cost(ok, "library", 100, min_ms(1), min_ms(1));
    b.cost(lost, "library", 100, min_ms(1), min_ms(1)); // a cost that must be ignored
    b.data.standard.targets = {coverage_target("t", {"library"}, 10, Basis::households, 1.0)};
    const auto r = evaluate(b.data);
    EXPECT_EQ(r.targets[0].covered, (std::vector<std::uint8_t>{1, 0}));
    EXPECT_EQ(r.targets[0].overall.unsnapped.points, 1u);
    EXPECT_DOUBLE_EQ(r.targets[0].overall.unsnapped.households, 2.0);
    EXPECT_DOUBLE_EQ(r.targets[0].overall.uncovered.households, 2.0);
    EXPECT_DOUBLE_EQ(r.unsnapped_demand.households, 2.0);
    const auto md = report_markdown(b.data, r);
    EXPECT_NE(md.find("unsnapped demand points: 1"), std::string::npos);
    EXPECT_NE(md.find("`lost_house`"), std::string::npos);
}


TEST(ReportRatio, FloorAreaPer100HouseholdsPassFailNotAssessable) {
    Builder b;
    b.two_communities();
    b.data.communities.push_back(area("c3", {square(116.02, 39.0, 116.03, 39.01)}, "s1"));
    b.demand("d1", in_c1, 200, 500, 50);
    b.demand("d2", in_c2, 200, 500, 50);
    b.demand("d3", {116.025, 39.005}, 100, 250, 20);
    const auto f1 = b.facility("f1", "community_service_station", in_c1);
    b.data.facilities[f1].floor_area_m2 = 120; // 60 per 100 households: exactly enough
    const auto f2 = b.facility("f2", "community_service_station", in_c2);
    b.data.facilities[f2].floor_area_m2 = 119.5;
    b.facility("f3", "community_service_station", {116.025, 39.005}); // no floor area
    auto t = unit_target("rooms", TargetKind::ratio, {"community_service_station"});
    t.ratio = RatioKind::floor_area_per_100_households;
    t.min_floor_area_m2 = 60;
    b.data.standard.targets = {t};
    const auto r = evaluate(b.data);
    const auto& res = r.targets[0];
    EXPECT_EQ(res.communities[0].status, Status::pass);
    EXPECT_DOUBLE_EQ(*res.communities[0].achieved, 60.0);
    EXPECT_EQ(res.communities[1].status, Status::fail);
    EXPECT_EQ(res.communities[2].status, Status::not_assessable);
    EXPECT_EQ(res.communities[2].lacking_data, 1u);
    EXPECT_EQ(res.units_not_assessable, 1u);
    EXPECT_EQ(res.overall.status, Status::fail);
    // Without the failing community the result is still not a pass: c3 cannot be judged.
    b.data.facilities[f2].floor_area_m2 = 130;
    const auto r2 = evaluate(b.data);
    EXPECT_EQ(r2.targets[0].overall.status, Status::not_assessable);
    const auto md = report_markdown(b.data, r2);
    EXPECT_NE(md.find("无法评估 not assessable"), std::string::npos);
}


TEST(ReportAreas, HouseholdsOutsideEveryAreaAreReportedAndKept) {
    Builder b;
    b.two_communities();
    b.facility("f", "laundry", in_c1);
    b.demand("in", in_c1, 5, 10, 1);
    b.demand("stray_house", {117.0, 40.0}, 3, 6, 1);
    auto t = unit_target("p", TargetKind::presence, {"laundry"});
    b.data.standard.targets = {t};
    const auto r = evaluate(b.data);
    EXPECT_EQ(r.outside_communities, (std::vector<std::uint32_t>{1}));
    EXPECT_EQ(r.outside_subdistricts, (std::vector<std::uint32_t>{1}));
    EXPECT_DOUBLE_EQ(r.targets[0].overall.total.households, 8.0);
    EXPECT_DOUBLE_EQ(r.targets[0].overall.uncovered.households, 3.0);
    expect_totals(r.targets[0].overall);
    const auto md = report_markdown(b.data, r);
    EXPECT_NE(md.find("outside every community: 1 demand points, households 3.0"), std::string::npos);
    EXPECT_NE(md.find("`stray_house`"), std::string::npos);
}


TEST(ReportWrite, TotalsCheckThemselves) {
    auto b = sample();
    const auto r = evaluate(b.data);
    for (const auto& t : r.targets) {
        expect_totals(t.overall);
        for (const auto& u : t.communities) expect_totals(u);
        for (const auto& u : t.subdistricts) expect_totals(u);
    }
    // The writer refuses inconsistent totals: YIKE_ASSERT aborts in the library (or throws,
    // depending on how it was compiled; either way the message is printed).
    auto broken = r;
    broken.targets[0].communities[1].covered.households += 1;
    const auto dies = [&](const ReportResults& results) {
        try {
            (void)report_markdown(b.data, results);
        } catch (const assert_error& e) {
            std::fprintf(stderr, "%s\n", e.what());
            std::abort();
        }
    };
    EXPECT_DEATH(dies(broken), "assertion failed");
    broken = r;
    broken.targets[2].overall.uncovered.points += 1;
    EXPECT_DEATH(dies(broken), "assertion failed");
    broken = r;
    broken.targets[1].subdistricts[0].uncovered.seniors -= 0.5;
    EXPECT_DEATH(dies(broken), "assertion failed");
    (void)report_markdown(b.data, r); // and accepts consistent ones
}

TEST(ReportWrite, UnconfirmedTargetsAreFlagged) {
    auto b = sample();
    const auto r = evaluate(b.data);
    const auto md = report_markdown(b.data, r);
    EXPECT_NE(md.find("1 target(s) unconfirmed"), std::string::npos);
    EXPECT_NE(md.find("`x.library_15min` 目标 / target[^u1]"), std::string::npos);
    EXPECT_NE(md.find("⚠ 未确认 unconfirmed"), std::string::npos);
    EXPECT_NE(md.find("[^u1]: ⚠ 未确认 / unconfirmed `x.library_15min` (R): Recalled threshold"), std::string::npos);
    EXPECT_NE(md.find("| `x.library_15min`[^u1]"), std::string::npos); // area table headers
    EXPECT_EQ(md.find("`x.station`[^"), std::string::npos);
    EXPECT_NE(md.find("1 feature skipped without geometry"), std::string::npos);
}

TEST(ReportWrite, FolderIsByteIdenticalAcrossRuns) {
    const auto base = temp_dir("identical");
    for (const auto format : {io::VectorFormat::geojson, io::VectorFormat::gpkg}) {
        auto b = sample();
        const auto r = evaluate(b.data);
        ReportOptions options;
        options.layer_format = format;
        write_report(base / "one", b.data, r, options);
        write_report(base / "two", b.data, evaluate(sample().data), options);
        std::vector<std::string> names;
        for (const auto& entry : std::filesystem::directory_iterator(base / "one")) names.push_back(entry.path().filename().string());
        std::sort(names.begin(), names.end());
        const std::string layer = format == io::VectorFormat::gpkg ? "layers.gpkg" : "layers.geojson";
        // The sample's facilities have capacities: catchments.csv is written.
        EXPECT_EQ(names, (std::vector<std::string>{".yike-output", "catchments.csv", "communities.csv", "demand_issues.csv",
                                                   layer, "subdistricts.csv", "summary.csv", "summary.json", "summary.md",
                                                   "summary.xlsx"}));
        for (const auto& name : names) EXPECT_EQ(read(base / "one" / name), read(base / "two" / name)) << name;
        std::filesystem::remove_all(base / "one");
        std::filesystem::remove_all(base / "two");
    }
    // Spot checks of the tables.
    auto b = sample();
    ReportOptions options;
    options.layer_format = io::VectorFormat::geojson;
    write_report(base / "check", b.data, evaluate(b.data), options);
    const auto summary = read(base / "check" / "summary.csv");
    EXPECT_NE(summary.find("x.library_15min,"), std::string::npos);
    EXPECT_NE(summary.find(",test,R,false,\"Recalled threshold, check the official text.\"\n"), std::string::npos);
    const auto issues = read(base / "check" / "demand_issues.csv");
    EXPECT_NE(issues.find("d3,unsnapped,10,20,5,no street within 300 m"), std::string::npos);
    EXPECT_NE(issues.find("d4,outside_communities,5,12,2,"), std::string::npos);
    const auto communities = read(base / "check" / "communities.csv");
    EXPECT_NE(communities.find("c2,c2 name,s1,x.rooms,false,pass,88.888"), std::string::npos);
    // Default layers: the demand layer carries minutes and covered flags, not the per-point detail.
    const auto layers = read(base / "check" / "layers.geojson");
    EXPECT_NE(layers.find("\"library_min\""), std::string::npos);
    EXPECT_NE(layers.find("\"covered_x_library_15min\""), std::string::npos);
    EXPECT_EQ(layers.find("\"library_m\""), std::string::npos);
    EXPECT_EQ(layers.find("\"library_nearest\""), std::string::npos);
    const auto demand_at = layers.find("\"layer\":\"demand\"");
    ASSERT_NE(demand_at, std::string::npos);
    const auto demand_feature = layers.substr(demand_at, layers.find('\n', demand_at) - demand_at);
    EXPECT_NE(demand_feature.find("\"snap_m\""), std::string::npos) << demand_feature;
    EXPECT_EQ(demand_feature.find("\"snapped_edge\""), std::string::npos) << demand_feature; // facilities keep theirs
    EXPECT_EQ(layers.find("\"layer\":\"uncovered\""), std::string::npos);
    EXPECT_NE(layers.find("\"ratio_2sfca\""), std::string::npos);
    EXPECT_NE(layers.find("\"served_households\":120"), std::string::npos);
    // --detail full: every column and one uncovered point per (target, uncovered demand point).
    options.full_layer_detail = true;
    write_report(base / "full", b.data, evaluate(b.data), options);
    const auto full = read(base / "full" / "layers.geojson");
    EXPECT_NE(full.find("\"library_m\""), std::string::npos);
    EXPECT_NE(full.find("\"library_nearest\""), std::string::npos);
    const auto full_demand_at = full.find("\"layer\":\"demand\"");
    ASSERT_NE(full_demand_at, std::string::npos);
    EXPECT_NE(full.substr(full_demand_at, full.find('\n', full_demand_at) - full_demand_at).find("\"snapped_edge\""),
              std::string::npos);
    EXPECT_NE(full.find("\"layer\":\"uncovered\""), std::string::npos);
    for (const char* table : {"summary.csv", "summary.json", "summary.md", "communities.csv", "subdistricts.csv"})
        EXPECT_EQ(read(base / "full" / table), read(base / "check" / table)) << table;
}

TEST(ReportWrite, FailedWriteLeavesThePreviousReport) {
    const auto base = temp_dir("failure");
    auto b = sample();
    const auto good = evaluate(b.data);
    ReportOptions options;
    options.layer_format = io::VectorFormat::geojson;
    write_report(base / "report", b.data, good, options);
    const auto before = read(base / "report" / "summary.md");

    // Let the file system refuse files above a size that the Markdown and CSV files fit in and
    // summary.json does not: the write fails part-way, after several files of the new report exist.
    std::uintmax_t largest_text = 0;
    for (const auto& entry : std::filesystem::directory_iterator(base / "report"))
        if (entry.path().extension() == ".md" || entry.path().extension() == ".csv")
            largest_text = std::max(largest_text, entry.file_size());
    ASSERT_GT(std::filesystem::file_size(base / "report" / "summary.json"), largest_text + 100);
    b.data.run.inputs.emplace_back("changed", "yes"); // the new report differs from the old one
    const auto new_results = evaluate(b.data);
    ASSERT_NO_FATAL_FAILURE(yike::test::with_file_size_limit(largest_text + 50, [&] {
        EXPECT_THROW(write_report(base / "report", b.data, new_results, options), io_error);
    }));
    EXPECT_EQ(read(base / "report" / "summary.md"), before);
    std::vector<std::string> left;
    for (const auto& entry : std::filesystem::directory_iterator(base)) left.push_back(entry.path().filename().string());
    EXPECT_EQ(left, (std::vector<std::string>{"report"})); // no temporary folder behind

    // A successful rewrite replaces the folder, dropping files that are no longer written.
    std::ofstream(base / "report" / "stale.txt") << "old";
    b.data.standard.targets.pop_back();
    write_report(base / "report", b.data, evaluate(b.data), options);
    EXPECT_FALSE(std::filesystem::exists(base / "report" / "stale.txt"));
    EXPECT_EQ(read(base / "report" / "summary.md").find("x.rooms"), std::string::npos);
}


namespace {

TEST(ReportWrite, GridAndWholeStudyAreaWriteGeoPackage) {
    Builder b;
    b.facility("f", "library", {116.0005, 39.0005});
    const auto i = b.demand("a", {116.0, 39.0}, 3, 7, 1);
    b.demand("b", {116.0, 39.0072}, 2, 5, 1);
    b.cost(i, "library", 10000, min_ms(2), min_ms(3));
    auto cov = coverage_target("g.lib", {"library"}, 5, Basis::households, 0.5);
    auto pres = unit_target("g.pres", TargetKind::presence, {"library"});
    pres.unit = AreaUnit::subdistrict;
    b.data.standard.targets = {cov, pres};
    const auto r = evaluate(b.data);
    EXPECT_EQ(r.targets[1].overall.status, Status::pass); // the study area holds the library
    EXPECT_EQ(r.targets[1].communities[0].status, Status::not_applicable);
    EXPECT_DOUBLE_EQ(*r.targets[0].overall.achieved, 0.6);
    const auto base = temp_dir("grid");
    write_report(base / "one", b.data, r);
    write_report(base / "two", b.data, r);
    EXPECT_EQ(read(base / "one" / "layers.gpkg"), read(base / "two" / "layers.gpkg"));
    const auto md = read(base / "one" / "summary.md");
    EXPECT_NE(md.find("g_r1_c0"), std::string::npos);
    EXPECT_NE(md.find("the whole study area is one unit"), std::string::npos);
}

} // namespace

} // namespace
