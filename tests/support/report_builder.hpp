#pragma once
// Hand-built report inputs shared by the engine's evaluation tests (tests/engine/test_report.cpp)
// and the report writer's tests (tests/viz/test_report_writer.cpp): demand and facilities with
// costs set by hand in two communities of one sub-district, targets of each kind, and a mixed
// sample standard.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "yike/engine/report.hpp"

namespace yike::test_report {

using namespace yike;
using namespace yike::engine;
using routing::Cost;
using routing::inf_cost;
using routing::LonLat;

constexpr Cost min_ms(double minutes) { return static_cast<Cost>(minutes * 60000.0); }

// Square ring in lon/lat, closed, counter-clockwise.
inline std::vector<LonLat> square(double lon0, double lat0, double lon1, double lat1) {
    return {{lon0, lat0}, {lon1, lat0}, {lon1, lat1}, {lon0, lat1}, {lon0, lat0}};
}

inline io::AreaRecord area(std::string id, std::vector<std::vector<LonLat>> rings, std::string parent = {}) {
    io::AreaRecord a;
    a.id = std::move(id);
    a.name = a.id + " name";
    a.parent_id = std::move(parent);
    // The first ring is the exterior, the others its holes.
    routing::Polygon polygon;
    for (std::size_t k = 0; k < rings.size(); ++k) {
        if (k == 0) {
            polygon.exterior.points = std::move(rings[k]);
        } else {
            polygon.holes.push_back(routing::Ring{std::move(rings[k])});
        }
    }
    a.geometry.polygons.push_back(std::move(polygon));
    return a;
}

inline SiteSnap snapped() {
    SiteSnap s;
    s.origin = routing::Origin{};
    return s;
}

inline SiteSnap unsnapped(std::string reason) {
    SiteSnap s;
    s.reason = std::move(reason);
    return s;
}

inline Target coverage_target(std::string id, std::vector<std::string> categories, double minutes, Basis basis, double share) {
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

inline std::string read(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline std::filesystem::path temp_dir(const std::string& name) {
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

inline void expect_totals(const UnitResult& r) {
    EXPECT_EQ(r.covered.points + r.uncovered.points, r.total.points);
    EXPECT_NEAR(r.covered.households + r.uncovered.households, r.total.households, 1e-9);
    EXPECT_NEAR(r.covered.population + r.uncovered.population, r.total.population, 1e-9);
    EXPECT_NEAR(r.covered.seniors + r.uncovered.seniors, r.total.seniors, 1e-9);
}

inline Target unit_target(std::string id, TargetKind kind, std::vector<std::string> categories) {
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

// A mixed standard over two communities, one unsnapped point, one point outside.
inline Builder sample() {
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

} // namespace yike::test_report
