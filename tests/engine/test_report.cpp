// Gap report: target evaluation, area assignment and the report folder, on hand-built inputs.
#include "yike/engine/report.hpp"
#include "yike/error.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <sys/resource.h>
#include <unistd.h>

namespace {

using namespace yike;
using namespace yike::engine;
using routing::Cost;
using routing::inf_cost;
using routing::LonLat;

constexpr Cost min_ms(double minutes) { return static_cast<Cost>(minutes * 60000.0); }

// Square ring in lon/lat, closed, counter-clockwise.
std::vector<LonLat> square(double lon0, double lat0, double lon1, double lat1) {
    return {{lon0, lat0}, {lon1, lat0}, {lon1, lat1}, {lon0, lat1}, {lon0, lat0}};
}

io::AreaRecord area(std::string id, std::vector<std::vector<LonLat>> rings, std::string parent = {}) {
    io::AreaRecord a;
    a.id = std::move(id);
    a.name = a.id + " name";
    a.parent_id = std::move(parent);
    a.geometry.polygons.push_back({std::move(rings)});
    return a;
}

SiteSnap snapped() {
    SiteSnap s;
    s.origin = routing::Origin{};
    return s;
}

SiteSnap unsnapped(std::string reason) {
    SiteSnap s;
    s.reason = std::move(reason);
    return s;
}

Target coverage_target(std::string id, std::vector<std::string> categories, double minutes, Basis basis, double share) {
    Target t;
    t.id = std::move(id);
    t.name_zh = "目标";
    t.name_en = "target";
    t.kind = TargetKind::coverage;
    t.categories = std::move(categories);
    t.require = Require::any;
    t.threshold_minutes = minutes;
    t.basis = basis;
    t.required_share = share;
    t.source = "test";
    t.confidence = Confidence::stated;
    t.confirmed = true;
    return t;
}

// A builder: demand and facilities in two communities side by side in one sub-district.
struct Builder {
    CoverageData data;

    Builder() {
        data.standard.id = "test";
        data.standard.name_zh = "测试";
        data.standard.name_en = "test";
        data.standard.source = "hand-built";
    }

    std::size_t demand(std::string id, LonLat at, double households, double population, double seniors,
                       bool is_snapped = true) {
        io::DemandRecord d;
        d.id = std::move(id);
        d.location = at;
        d.households = households;
        d.population = population;
        d.seniors = seniors;
        d.children = population / 10;
        data.demand.push_back(d);
        data.demand_snaps.push_back(is_snapped ? snapped() : unsnapped("no street within 300 m"));
        for (auto& c : data.costs)
            for (auto* m : {&c.length, &c.walk_time, &c.senior_time}) {
                m->cost.push_back(inf_cost);
                m->facility.push_back(routing::invalid_id);
            }
        return data.demand.size() - 1;
    }

    std::size_t facility(std::string id, std::string category, LonLat at) {
        io::FacilityRecord f;
        f.id = std::move(id);
        f.category = category;
        f.location = at;
        data.facilities.push_back(f);
        data.facility_snaps.push_back(snapped());
        const auto j = static_cast<std::uint32_t>(data.facilities.size() - 1);
        category_costs(category).facilities.push_back(j);
        return j;
    }

    CategoryCosts& category_costs(const std::string& category) {
        for (auto& c : data.costs)
            if (c.category == category) return c;
        CategoryCosts c;
        c.category = category;
        for (auto* m : {&c.length, &c.walk_time, &c.senior_time}) {
            m->cost.assign(data.demand.size(), inf_cost);
            m->facility.assign(data.demand.size(), routing::invalid_id);
        }
        data.costs.push_back(std::move(c));
        return data.costs.back();
    }

    // Costs of demand point i to its nearest facility (k-th of the category).
    void cost(std::size_t i, const std::string& category, Cost length_cm, Cost walk_ms, Cost senior_ms, std::uint32_t k = 0) {
        auto& c = category_costs(category);
        c.length.cost[i] = length_cm;
        c.walk_time.cost[i] = walk_ms;
        c.senior_time.cost[i] = senior_ms;
        c.length.facility[i] = c.walk_time.facility[i] = c.senior_time.facility[i] = k;
    }

    // Two communities c1 (west) and c2 (east) in sub-district s1.
    void two_communities() {
        data.communities.push_back(area("c1", {square(116.0, 39.0, 116.01, 39.01)}, "s1"));
        data.communities.push_back(area("c2", {square(116.01, 39.0, 116.02, 39.01)}, "s1"));
        data.subdistricts.push_back(area("s1", {square(116.0, 39.0, 116.02, 39.01)}));
    }
}; // struct Builder

constexpr LonLat in_c1{116.005, 39.005};
constexpr LonLat in_c2{116.015, 39.005};

std::string read(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::filesystem::path temp_dir(const std::string& name) {
    static const struct TempDir {
        std::filesystem::path path = std::filesystem::temp_directory_path() / ("yike_report_" + std::to_string(::getpid()));
        ~TempDir() {
            std::error_code ec;
            std::filesystem::remove_all(path, ec);
        }
    } temp;
    const auto dir = temp.path / name;
    std::filesystem::create_directories(dir);
    return dir;
}

void expect_totals(const UnitResult& r) {
    EXPECT_EQ(r.covered.points + r.uncovered.points, r.total.points);
    EXPECT_NEAR(r.covered.households + r.uncovered.households, r.total.households, 1e-9);
    EXPECT_NEAR(r.covered.population + r.uncovered.population, r.total.population, 1e-9);
    EXPECT_NEAR(r.covered.seniors + r.uncovered.seniors, r.total.seniors, 1e-9);
}

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

// ---- presence and ratio --------------------------------------------------------------------

Target unit_target(std::string id, TargetKind kind, std::vector<std::string> categories) {
    Target t;
    t.id = std::move(id);
    t.name_zh = "目标";
    t.name_en = "target";
    t.kind = kind;
    t.categories = std::move(categories);
    t.unit = AreaUnit::community;
    t.source = "test";
    t.confidence = Confidence::stated;
    t.confirmed = true;
    if (kind == TargetKind::presence) t.required_share = 1.0;
    return t;
}

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
    ring_area.polygons.push_back({{square(0, 0, 10, 10), square(4, 4, 6, 6)}});
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

// ---- report folder -------------------------------------------------------------------------

// A mixed standard over two communities, one unsnapped point, one point outside.
Builder sample() {
    Builder b;
    b.two_communities();
    b.facility("lib", "library", in_c1);
    const auto st = b.facility("station", "community_service_station", in_c2);
    b.data.facilities[st].floor_area_m2 = 80;
    b.data.facilities[st].staff = 4;
    const auto d1 = b.demand("d1", in_c1, 120, 300, 40);
    const auto d2 = b.demand("d2", in_c2, 80, 210, 30);
    b.demand("d3", in_c2, 10, 20, 5, false);
    b.demand("d4", {117.0, 40.0}, 5, 12, 2);
    b.cost(d1, "library", 20000, min_ms(4), min_ms(5));
    b.cost(d2, "library", 120000, min_ms(22), min_ms(25));
    b.category_costs("library").catchment = CatchmentResult{{0.5}, {0.5, 0.0, 0.0, 0.0}, {2.0}};
    auto cov = coverage_target("x.library_15min", {"library"}, 15, Basis::population, 0.9);
    cov.confirmed = false;
    cov.confidence = Confidence::recalled;
    cov.note = "Recalled threshold, check the official text.";
    auto pres = unit_target("x.station", TargetKind::presence, {"community_service_station"});
    auto rooms = unit_target("x.rooms", TargetKind::ratio, {"community_service_station"});
    rooms.min_floor_area_m2 = 60;
    b.data.standard.targets = {cov, pres, rooms};
    b.data.run.inputs = {{"demand", "demand.gpkg"}, {"network", "city.osm.pbf"}};
    b.data.run.warnings = {"1 feature skipped without geometry"};
    return b;
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
    {
        const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit old_limit{};
        ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old_limit), 0);
        rlimit limit = old_limit;
        limit.rlim_cur = static_cast<rlim_t>(largest_text + 50);
        ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limit), 0);
        EXPECT_THROW(write_report(base / "report", b.data, new_results, options), io_error);
        ::setrlimit(RLIMIT_FSIZE, &old_limit);
        std::signal(SIGXFSZ, old_handler);
    }
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

} // namespace

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
