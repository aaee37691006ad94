// Assigns demand points and facilities to communities (or grid cells) and sub-districts.
#include "yike/assert.hpp"
#include "yike/engine/report.hpp"
#include "yike/routing/geo.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace yike::engine {

void Weights::add(const io::DemandRecord& demand) noexcept {
    households += demand.households;
    population += demand.population;
    seniors += demand.seniors;
    children += demand.children;
    ++points;
}

void Weights::add(const Weights& other) noexcept {
    households += other.households;
    population += other.population;
    seniors += other.seniors;
    children += other.children;
    points += other.points;
}

double Weights::get(Basis basis) const noexcept {
    switch (basis) {
    case Basis::population: return population;
    case Basis::seniors: return seniors;
    case Basis::children: return children;
    case Basis::households:
    case Basis::communities: return households;
    }
    return households;
}

namespace {

struct Box {
    double min_lon = std::numeric_limits<double>::infinity();
    double min_lat = std::numeric_limits<double>::infinity();
    double max_lon = -std::numeric_limits<double>::infinity();
    double max_lat = -std::numeric_limits<double>::infinity();

    void add(routing::LonLat p) noexcept {
        min_lon = std::min(min_lon, p.lon);
        min_lat = std::min(min_lat, p.lat);
        max_lon = std::max(max_lon, p.lon);
        max_lat = std::max(max_lat, p.lat);
    }
    bool holds(routing::LonLat p) const noexcept {
        return p.lon >= min_lon && p.lon <= max_lon && p.lat >= min_lat && p.lat <= max_lat;
    }
    bool empty() const noexcept { return !(min_lon <= max_lon); }
}; // struct Box

Box box_of(const io::MultiPolygonGeometry& area) {
    Box box;
    for (const auto& polygon : area.polygons)
        for (const routing::Ring* ring : routing::rings_of(polygon))
            for (const auto& p : ring->points) box.add(p);
    return box;
}

struct Indexed {
    const io::MultiPolygonGeometry* geometry;
    Box box;
};

std::vector<Indexed> index_areas(const std::vector<io::AreaRecord>& areas) {
    std::vector<Indexed> out;
    out.reserve(areas.size());
    for (const auto& area : areas) out.push_back({&area.geometry, box_of(area.geometry)});
    return out;
}

std::uint32_t find_area(const std::vector<Indexed>& areas, routing::LonLat p) noexcept {
    for (std::size_t i = 0; i < areas.size(); ++i)
        if (areas[i].box.holds(p) && contains(*areas[i].geometry, p)) return static_cast<std::uint32_t>(i);
    return routing::invalid_id;
}

AreaInfo info_of(const io::AreaRecord& area) {
    AreaInfo info;
    info.id = area.id;
    info.name = area.name;
    info.geometry = area.geometry;
    return info;
}

// Grid cells of the local projection centred on the south-west corner of the demand's bounding box.
void make_grid(const CoverageData& data, AreaAssignment& out) {
    out.grid = true;
    const auto n = data.demand.size();
    out.demand_community.assign(n, routing::invalid_id);
    out.facility_community.assign(data.facilities.size(), routing::invalid_id);
    if (n == 0) return;
    YIKE_ASSERT(data.grid.cell_m > 0);
    Box box;
    for (const auto& d : data.demand) box.add(d.location);
    const routing::LocalProjection projection({box.min_lon, box.min_lat});
    const double cell = data.grid.cell_m;
    auto cell_of = [&](routing::LonLat p) {
        const auto xy = projection.forward(p);
        return std::pair{static_cast<std::int64_t>(std::floor(xy.y_m / cell)),
                         static_cast<std::int64_t>(std::floor(xy.x_m / cell))};
    };
    std::vector<std::pair<std::int64_t, std::int64_t>> demand_cells(n);
    std::map<std::pair<std::int64_t, std::int64_t>, std::uint32_t> cells; // (row, col), sorted
    for (std::size_t i = 0; i < n; ++i) {
        auto rc = cell_of(data.demand[i].location);
        // The corner point itself may land a rounding error below zero.
        rc.first = std::max<std::int64_t>(rc.first, 0);
        rc.second = std::max<std::int64_t>(rc.second, 0);
        demand_cells[i] = rc;
        cells.emplace(rc, 0);
    }
    for (auto& [rc, index] : cells) {
        index = static_cast<std::uint32_t>(out.communities.size());
        AreaInfo info;
        const auto row = static_cast<std::uint32_t>(rc.first);
        const auto col = static_cast<std::uint32_t>(rc.second);
        info.id = grid_cell_id(row, col);
        info.name = info.id;
        const double x0 = static_cast<double>(rc.second) * cell;
        const double y0 = static_cast<double>(rc.first) * cell;
        io::PolygonGeometry square;
        square.exterior.points.assign({projection.inverse({x0, y0}), projection.inverse({x0 + cell, y0}),
                                projection.inverse({x0 + cell, y0 + cell}), projection.inverse({x0, y0 + cell}),
                                projection.inverse({x0, y0})});
        info.geometry.polygons.push_back(std::move(square));
        out.communities.push_back(std::move(info));
    }
    for (std::size_t i = 0; i < n; ++i) out.demand_community[i] = cells.at(demand_cells[i]);
    for (std::size_t j = 0; j < data.facilities.size(); ++j) {
        const auto it = cells.find(cell_of(data.facilities[j].location));
        if (it != cells.end()) out.facility_community[j] = it->second;
    }
}

} // namespace

bool contains(const io::MultiPolygonGeometry& area, routing::LonLat point) noexcept {
    return routing::multipolygon_contains(area.polygons, point);
}

std::string grid_cell_id(std::uint32_t row, std::uint32_t col) {
    return "g_r" + std::to_string(row) + "_c" + std::to_string(col);
}

AreaAssignment assign_areas(const CoverageData& data) {
    AreaAssignment out;
    const auto n_demand = data.demand.size();
    const auto n_facilities = data.facilities.size();

    if (data.communities.empty()) {
        make_grid(data, out);
    } else {
        const auto index = index_areas(data.communities);
        for (const auto& area : data.communities) out.communities.push_back(info_of(area));
        out.demand_community.resize(n_demand);
        for (std::size_t i = 0; i < n_demand; ++i) out.demand_community[i] = find_area(index, data.demand[i].location);
        out.facility_community.resize(n_facilities);
        for (std::size_t j = 0; j < n_facilities; ++j)
            out.facility_community[j] = find_area(index, data.facilities[j].location);
    }

    if (data.subdistricts.empty()) {
        out.whole_study_area = true;
        AreaInfo all;
        all.id = "all";
        all.name = std::string(whole_study_area_name);
        out.subdistricts.push_back(std::move(all));
        for (auto& community : out.communities) community.parent = 0;
        out.demand_subdistrict.assign(n_demand, 0);
        out.facility_subdistrict.assign(n_facilities, 0);
    } else {
        const auto index = index_areas(data.subdistricts);
        for (const auto& area : data.subdistricts) out.subdistricts.push_back(info_of(area));
        const auto n_sub = data.subdistricts.size();
        // Votes of the points inside each community, for communities without a usable parent_id.
        std::vector<std::vector<std::uint32_t>> votes(out.communities.size());
        auto vote = [&](std::uint32_t community, routing::LonLat p) {
            if (community == routing::invalid_id) return;
            const auto s = find_area(index, p);
            if (s == routing::invalid_id) return;
            auto& v = votes[community];
            if (v.empty()) v.assign(n_sub, 0);
            ++v[s];
        };
        for (std::size_t c = 0; c < out.communities.size(); ++c) {
            if (data.communities.empty() || data.communities[c].parent_id.empty()) continue;
            for (std::size_t s = 0; s < n_sub; ++s)
                if (data.subdistricts[s].id == data.communities[c].parent_id) {
                    out.communities[c].parent = static_cast<std::uint32_t>(s);
                    break;
                }
        }
        for (std::size_t i = 0; i < n_demand; ++i)
            if (const auto c = out.demand_community[i]; c != routing::invalid_id && out.communities[c].parent == routing::invalid_id)
                vote(c, data.demand[i].location);
        for (std::size_t j = 0; j < n_facilities; ++j)
            if (const auto c = out.facility_community[j]; c != routing::invalid_id && out.communities[c].parent == routing::invalid_id)
                vote(c, data.facilities[j].location);
        for (std::size_t c = 0; c < out.communities.size(); ++c) {
            auto& community = out.communities[c];
            if (community.parent != routing::invalid_id) continue;
            if (!votes[c].empty()) {
                const auto best = std::max_element(votes[c].begin(), votes[c].end()); // first maximum: lowest index
                community.parent = static_cast<std::uint32_t>(best - votes[c].begin());
            } else if (const auto box = box_of(community.geometry); !box.empty()) {
                community.parent = find_area(index, {(box.min_lon + box.max_lon) / 2, (box.min_lat + box.max_lat) / 2});
            }
        }
        auto subdistrict_of = [&](std::uint32_t community, routing::LonLat p) {
            if (community != routing::invalid_id && out.communities[community].parent != routing::invalid_id)
                return out.communities[community].parent;
            return find_area(index, p);
        };
        out.demand_subdistrict.resize(n_demand);
        for (std::size_t i = 0; i < n_demand; ++i)
            out.demand_subdistrict[i] = subdistrict_of(out.demand_community[i], data.demand[i].location);
        out.facility_subdistrict.resize(n_facilities);
        for (std::size_t j = 0; j < n_facilities; ++j)
            out.facility_subdistrict[j] = subdistrict_of(out.facility_community[j], data.facilities[j].location);
    }

    for (std::size_t i = 0; i < n_demand; ++i) {
        if (const auto c = out.demand_community[i]; c != routing::invalid_id) out.communities[c].demand.add(data.demand[i]);
        if (const auto s = out.demand_subdistrict[i]; s != routing::invalid_id) out.subdistricts[s].demand.add(data.demand[i]);
    }
    for (std::size_t j = 0; j < n_facilities; ++j) {
        if (const auto c = out.facility_community[j]; c != routing::invalid_id) ++out.communities[c].facilities;
        if (const auto s = out.facility_subdistrict[j]; s != routing::invalid_id) ++out.subdistricts[s].facilities;
    }
    return out;
}

} // namespace yike::engine
