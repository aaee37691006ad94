// Gap report: target evaluation and area assignment, on hand-built inputs (the report folder's
// writer is tested in tests/viz/test_report_writer.cpp).
#include "support/report_builder.hpp"
#include "yike/engine/report.hpp"
#include "yike/error.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace {

using namespace yike::test_report;

// ---- coverage ------------------------------------------------------------------------------

TEST(ReportCoverage, PointExactlyAtThresholdIsCovered) {
    Builder b;
    b.two_communities();
    b.facility("f", "library", in_c1);
    const auto at = b.demand("at", in_c1, 1, 1, 0);
    const auto over = b.demand("over", in_c1, 1, 1, 0);
    b.cost(at, "library", 1000, min_ms(10), min_ms(12));
    b.cost(over, "library", 1000, min_ms(10) + 1, min_ms(12));
    b.data.standard.targets.push_back(coverage_target("t", {"library"}, 10, Basis::households, 0.5));
    const auto r = evaluate(b.data);
    ASSERT_EQ(r.targets.size(), 1u);
    EXPECT_EQ(r.targets[0].threshold, 600000u);
    EXPECT_EQ(r.targets[0].covered, (std::vector<std::uint8_t>{1, 0}));
    EXPECT_DOUBLE_EQ(*r.targets[0].overall.achieved, 0.5);
    EXPECT_EQ(r.targets[0].overall.status, Status::pass); // exactly the required share passes
}

TEST(ReportCoverage, RequireAnyVersusEach) {
    Builder b;
    b.two_communities();
    b.facility("a", "library", in_c1);
    b.facility("b", "culture_room", in_c1);
    const auto both = b.demand("both", in_c1, 1, 1, 0);
    const auto one = b.demand("one", in_c1, 1, 1, 0);
    b.cost(both, "library", 100, min_ms(5), min_ms(6));
    b.cost(both, "culture_room", 100, min_ms(5), min_ms(6));
    b.cost(one, "library", 100, min_ms(5), min_ms(6));
    b.cost(one, "culture_room", 100, min_ms(20), min_ms(22));
    auto any = coverage_target("any", {"library", "culture_room"}, 10, Basis::households, 1.0);
    auto each = any;
    each.id = "each";
    each.require = Require::each;
    b.data.standard.targets = {any, each};
    const auto r = evaluate(b.data);
    EXPECT_EQ(r.targets[0].covered, (std::vector<std::uint8_t>{1, 1}));
    EXPECT_EQ(r.targets[0].overall.status, Status::pass);
    EXPECT_EQ(r.targets[1].covered, (std::vector<std::uint8_t>{1, 0}));
    EXPECT_EQ(r.targets[1].overall.status, Status::fail);
    EXPECT_DOUBLE_EQ(r.targets[1].overall.uncovered.households, 1.0);
}

TEST(ReportCoverage, BasisHouseholdsPopulationSeniors) {
    Builder b;
    b.two_communities();
    b.facility("f", "library", in_c1);
    const auto near = b.demand("near", in_c1, 10, 20, 1);
    const auto far = b.demand("far", in_c2, 10, 60, 9);
    b.cost(near, "library", 100, min_ms(1), min_ms(1));
    b.cost(far, "library", 100000, min_ms(30), min_ms(40));
    b.data.standard.targets = {coverage_target("hh", {"library"}, 10, Basis::households, 0.5),
                               coverage_target("pop", {"library"}, 10, Basis::population, 0.5),
                               coverage_target("sen", {"library"}, 10, Basis::seniors, 0.5)};
    const auto r = evaluate(b.data);
    EXPECT_DOUBLE_EQ(*r.targets[0].overall.achieved, 0.5);
    EXPECT_EQ(r.targets[0].overall.status, Status::pass);
    EXPECT_DOUBLE_EQ(*r.targets[1].overall.achieved, 0.25);
    EXPECT_EQ(r.targets[1].overall.status, Status::fail);
    EXPECT_DOUBLE_EQ(*r.targets[2].overall.achieved, 0.1);
    EXPECT_DOUBLE_EQ(r.targets[2].overall.uncovered.seniors, 9.0);
    // per community: c1 fully covered, c2 not at all
    EXPECT_EQ(r.targets[1].communities[0].status, Status::pass);
    EXPECT_EQ(r.targets[1].communities[1].status, Status::fail);
    EXPECT_DOUBLE_EQ(*r.targets[1].subdistricts[0].achieved, 0.25);
}

TEST(ReportCoverage, BasisCommunitiesCountsOnlyCommunitiesAtTheirShare) {
    Builder b;
    b.two_communities();
    b.facility("f", "library", in_c1);
    // c1: 79 covered of 100 households; c2: 80 of 100.
    for (const auto& [at, covered] : {std::pair{in_c1, 79.0}, std::pair{in_c2, 80.0}}) {
        const auto yes = b.demand("y", at, covered, covered, 0);
        const auto no = b.demand("n", at, 100 - covered, 100 - covered, 0);
        b.cost(yes, "library", 100, min_ms(1), min_ms(1));
        b.cost(no, "library", 100000, min_ms(60), min_ms(60));
    }
    auto t = coverage_target("comm", {"library"}, 15, Basis::communities, 0.5);
    t.community_share_covered = 0.8;
    b.data.standard.targets = {t};
    const auto r = evaluate(b.data);
    const auto& res = r.targets[0];
    EXPECT_EQ(res.communities[0].status, Status::fail); // 79 % < 80 %
    EXPECT_EQ(res.communities[1].status, Status::pass);
    EXPECT_EQ(res.overall.units, 2u);
    EXPECT_EQ(res.overall.units_passing, 1u);
    EXPECT_DOUBLE_EQ(*res.overall.achieved, 0.5);
    EXPECT_EQ(res.overall.status, Status::pass);
    EXPECT_DOUBLE_EQ(res.overall.uncovered.households, 41.0);
    expect_totals(res.overall);
}

TEST(ReportCoverage, SeniorTargetsUseSeniorTimeAndMetresUseLength) {
    Builder b;
    b.two_communities();
    b.facility("f", "senior_dining", in_c1);
    const auto i = b.demand("d", in_c1, 1, 2, 1);
    // within 10 min at walking speed, not at senior speed; 700 m away
    b.cost(i, "senior_dining", 70000, min_ms(9), min_ms(10) + 1);
    auto seniors = coverage_target("sen", {"senior_dining"}, 10, Basis::seniors, 1.0);
    seniors.serves = Serves::seniors;
    auto all = coverage_target("all", {"senior_dining"}, 10, Basis::population, 1.0);
    auto m500 = coverage_target("m500", {"senior_dining"}, 10, Basis::population, 1.0);
    m500.threshold_minutes.reset();
    m500.threshold_m = 500;
    auto m700 = m500;
    m700.id = "m700";
    m700.threshold_m = 700;
    b.data.standard.targets = {seniors, all, m500, m700};
    const auto r = evaluate(b.data);
    EXPECT_EQ(r.targets[0].covered[0], 0);
    EXPECT_EQ(r.targets[1].covered[0], 1);
    EXPECT_EQ(r.targets[2].covered[0], 0);
    EXPECT_TRUE(r.targets[2].threshold_is_length);
    EXPECT_EQ(r.targets[2].threshold, 50000u);
    EXPECT_EQ(r.targets[3].covered[0], 1); // exactly 700 m
}

// ---- presence and ratio --------------------------------------------------------------------


TEST(ReportPresence, PerCommunityAnyAndEach) {
    Builder b;
    b.two_communities();
    b.demand("d1", in_c1, 5, 10, 1);
    b.demand("d2", in_c2, 7, 14, 2);
    b.facility("a1", "laundry", in_c1);
    b.facility("b1", "breakfast", in_c1);
    b.facility("a2", "laundry", in_c2);
    auto each = unit_target("each", TargetKind::presence, {"laundry", "breakfast"});
    auto any = each;
    any.id = "any";
    any.require = Require::any;
    b.data.standard.targets = {each, any};
    const auto r = evaluate(b.data);
    const auto& e = r.targets[0];
    EXPECT_EQ(e.communities[0].status, Status::pass);
    EXPECT_EQ(e.communities[1].status, Status::fail);
    EXPECT_EQ(e.communities[1].missing, (std::vector<std::string>{"breakfast"}));
    EXPECT_DOUBLE_EQ(*e.overall.achieved, 0.5);
    EXPECT_EQ(e.overall.status, Status::fail);
    EXPECT_DOUBLE_EQ(e.overall.uncovered.households, 7.0);
    EXPECT_EQ(e.subdistricts[0].units, 2u);
    EXPECT_EQ(e.subdistricts[0].units_passing, 1u);
    EXPECT_EQ(e.subdistricts[0].status, Status::fail);
    expect_totals(e.overall);
    expect_totals(e.subdistricts[0]);
    EXPECT_EQ(r.targets[1].overall.status, Status::pass);
    EXPECT_TRUE(r.targets[1].communities[1].missing.empty());
}

TEST(ReportRatio, StaffPerHouseholdsWithMinimum) {
    // Xiangshan: one worker per 350 households, at least 6 in communities below 1,500 households.
    Builder b;
    b.data.communities.push_back(area("small", {square(116.0, 39.0, 116.01, 39.01)}));
    b.data.communities.push_back(area("large", {square(116.01, 39.0, 116.02, 39.01)}));
    b.data.communities.push_back(area("unknown", {square(116.02, 39.0, 116.03, 39.01)}));
    b.demand("d1", in_c1, 1400, 3000, 300);
    b.demand("d2", in_c2, 3500, 8000, 900);
    b.demand("d3", {116.025, 39.005}, 100, 200, 10);
    const auto s1 = b.facility("s1", "community_service_station", in_c1);
    b.data.facilities[s1].staff = 5;
    const auto s2 = b.facility("s2", "community_service_station", in_c2);
    b.data.facilities[s2].staff = 10;
    b.facility("s3", "community_service_station", {116.025, 39.005}); // staff not known
    Target t = unit_target("staff", TargetKind::ratio, {});
    t.ratio = RatioKind::staff_per_households;
    t.households_per_staff = 350;
    t.min_staff = 6;
    t.min_staff_below_households = 1500;
    b.data.standard.targets = {t};
    auto r = evaluate(b.data);
    EXPECT_DOUBLE_EQ(*r.targets[0].communities[0].required, 6.0); // ceil(1400/350) = 4 < 6
    EXPECT_EQ(r.targets[0].communities[0].status, Status::fail);
    EXPECT_DOUBLE_EQ(*r.targets[0].communities[1].required, 10.0); // 3500/350, no minimum above 1500
    EXPECT_EQ(r.targets[0].communities[1].status, Status::pass);
    EXPECT_EQ(r.targets[0].communities[2].status, Status::not_assessable);
    b.data.facilities[s1].staff = 6;
    b.data.demand[1].households = 3501; // ceil -> 11
    r = evaluate(b.data);
    EXPECT_EQ(r.targets[0].communities[0].status, Status::pass);
    EXPECT_DOUBLE_EQ(*r.targets[0].communities[1].required, 11.0);
    EXPECT_EQ(r.targets[0].communities[1].status, Status::fail);
    // The whole study area stands in for the missing sub-districts.
    EXPECT_TRUE(r.areas.whole_study_area);
    ASSERT_EQ(r.areas.subdistricts.size(), 1u);
    EXPECT_EQ(r.targets[0].subdistricts[0].units, 3u);
    EXPECT_EQ(r.targets[0].subdistricts[0].units_passing, 1u);
}

// ---- areas ---------------------------------------------------------------------------------

TEST(ReportAreas, PointInPolygonWithHoleAndBoundary) {
    io::MultiPolygonGeometry ring_area;
    ring_area.polygons.push_back({{square(0, 0, 10, 10)}, {{square(4, 4, 6, 6)}}});
    EXPECT_TRUE(contains(ring_area, {1, 1}));
    EXPECT_FALSE(contains(ring_area, {5, 5}));  // in the hole
    EXPECT_TRUE(contains(ring_area, {4, 5}));   // on the hole's edge
    EXPECT_TRUE(contains(ring_area, {10, 3}));  // on the outer edge
    EXPECT_FALSE(contains(ring_area, {10.5, 3}));

    Builder b;
    b.data.communities.push_back(area("west", {square(116.0, 39.0, 116.01, 39.01)}));
    b.data.communities.push_back(area("donut", {square(116.01, 39.0, 116.03, 39.02), square(116.015, 39.005, 116.025, 39.015)}));
    b.data.communities.push_back(area("core", {square(116.015, 39.005, 116.025, 39.015)}));
    b.demand("edge", {116.01, 39.005}, 1, 1, 0);  // shared edge of west and donut: lowest index
    b.demand("hole", {116.02, 39.01}, 1, 1, 0);   // in the donut's hole: core
    b.demand("ring", {116.012, 39.01}, 1, 1, 0);  // in the donut
    b.demand("out", {116.05, 39.05}, 4, 8, 1);    // outside everything
    const auto a = assign_areas(b.data);
    EXPECT_EQ(a.demand_community, (std::vector<std::uint32_t>{0, 2, 1, routing::invalid_id}));
}

TEST(ReportAreas, SubdistrictFromParentElseContainment) {
    Builder b;
    b.data.subdistricts.push_back(area("s_west", {square(116.0, 39.0, 116.01, 39.01)}));
    b.data.subdistricts.push_back(area("s_east", {square(116.01, 39.0, 116.02, 39.01)}));
    // c_named lies in the west but names the east as its parent; c_free has no parent.
    b.data.communities.push_back(area("c_named", {square(116.0, 39.0, 116.005, 39.01)}, "s_east"));
    b.data.communities.push_back(area("c_free", {square(116.012, 39.0, 116.018, 39.01)}));
    b.demand("a", {116.002, 39.005}, 1, 1, 0);
    b.demand("b", {116.015, 39.005}, 1, 1, 0);
    b.demand("c", {116.008, 39.005}, 1, 1, 0); // no community: by containment
    const auto a = assign_areas(b.data);
    EXPECT_EQ(a.communities[0].parent, 1u);
    EXPECT_EQ(a.communities[1].parent, 1u);
    EXPECT_EQ(a.demand_subdistrict, (std::vector<std::uint32_t>{1, 1, 0}));
    EXPECT_EQ(a.demand_community[2], routing::invalid_id);
}

TEST(ReportAreas, GridCellsWhenNoCommunities) {
    Builder b;
    b.data.grid.cell_m = 500;
    b.demand("sw", {116.0, 39.0}, 1, 1, 0);
    b.demand("near_sw", {116.001, 39.001}, 1, 1, 0);      // ~86 m east, ~111 m north: same cell
    b.demand("north", {116.0, 39.0 + 0.0072}, 1, 1, 0);   // ~800 m north: row 1
    b.demand("east", {116.0 + 0.0141, 39.0}, 1, 1, 0);    // ~1.22 km east: column 2
    b.facility("f", "library", {116.0005, 39.0005});
    b.facility("far", "library", {115.9, 39.0});         // west of every cell
    const auto a = assign_areas(b.data);
    EXPECT_TRUE(a.grid);
    ASSERT_EQ(a.communities.size(), 3u);
    EXPECT_EQ(a.communities[0].id, "g_r0_c0");
    EXPECT_EQ(a.communities[1].id, "g_r0_c2");
    EXPECT_EQ(a.communities[2].id, "g_r1_c0");
    EXPECT_EQ(a.demand_community, (std::vector<std::uint32_t>{0, 0, 2, 1}));
    EXPECT_EQ(a.facility_community, (std::vector<std::uint32_t>{0, routing::invalid_id}));
    EXPECT_DOUBLE_EQ(a.communities[0].demand.households, 2.0);
    EXPECT_TRUE(a.whole_study_area);
    EXPECT_EQ(a.demand_subdistrict, (std::vector<std::uint32_t>{0, 0, 0, 0}));
    // The cell polygon holds its points.
    EXPECT_TRUE(contains(a.communities[0].geometry, {116.001, 39.001}));
    EXPECT_EQ(grid_cell_id(3, 7), "g_r3_c7");
}

} // namespace
