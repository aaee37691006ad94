// Facilities, residential buildings (estimated households) and barrier lines from an OSM extract.
// Two passes: relations first (which multipolygons matter, which ways outline water), then
// everything with node locations, multipolygons assembled by libosmium. The rules are in
// doc/demand.md.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

// GCC 12 reports a false -Wstringop-overread inside libosmium's object builder (the empty
// user name of assembled areas) when it is inlined here.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-overread"
#include <osmium/area/assembler.hpp>
#include <osmium/area/multipolygon_manager.hpp>
#include <osmium/handler.hpp>
#include <osmium/handler/node_locations_for_ways.hpp>
#include <osmium/index/map/flex_mem.hpp>
#include <osmium/io/any_input.hpp>
#include <osmium/osm/area.hpp>
#include <osmium/osm/node.hpp>
#include <osmium/osm/relation.hpp>
#include <osmium/osm/way.hpp>
#include <osmium/relations/relations_manager.hpp>
#include <osmium/tags/tags_filter.hpp>
#include <osmium/visitor.hpp>
#pragma GCC diagnostic pop

#include "detail/osm_file.hpp"
#include "yike/error.hpp"
#include "yike/io/inputs.hpp"
#include "yike/routing/polygon.hpp"

namespace yike::io {

namespace {

using routing::LonLat;
using routing::MultiPolygon;
using routing::Polygon;
using routing::Ring;

bool is(const char* value, std::string_view expected) noexcept {
    return value != nullptr && expected == value;
}

bool is_any(const char* value, std::initializer_list<std::string_view> expected) noexcept {
    return value != nullptr && std::find(expected.begin(), expected.end(), std::string_view(value)) != expected.end();
}

Tags to_tags(const osmium::TagList& tags) {
    Tags out;
    out.reserve(tags.size());
    for (const osmium::Tag& t : tags) {
        out.emplace_back(t.key(), t.value());
    }
    return out;
}

// ---- the rules (doc/demand.md) -----------------------------------------------------------

// Building types that hold homes, whatever their surroundings.
bool residential_building_type(const char* building) {
    return is_any(building, {"residential", "apartments", "house", "detached", "semidetached_house", "terrace",
                             "dormitory", "bungalow"});
}

// building=yes counts only inside a landuse=residential area, and only when nothing says it is
// something else (a shop, school or office mapped on the building itself).
bool generic_building(const osmium::TagList& tags) {
    if (!is(tags.get_value_by_key("building"), "yes")) {
        return false;
    }
    for (const char* key : {"amenity", "shop", "office", "craft", "tourism", "leisure", "public_transport",
                            "man_made", "healthcare", "industrial", "military", "religion"}) {
        if (tags.has_key(key)) {
            return false;
        }
    }
    return true;
}

enum class BuildingKind { none, residential, generic };

BuildingKind building_kind(const osmium::TagList& tags) {
    const char* building = tags.get_value_by_key("building");
    if (residential_building_type(building)) {
        return BuildingKind::residential;
    }
    return generic_building(tags) ? BuildingKind::generic : BuildingKind::none;
}

bool residential_landuse(const osmium::TagList& tags) {
    return is(tags.get_value_by_key("landuse"), "residential");
}

// Barrier ways snapping must not cross. Hedges, kerbs, guard rails and the like are left out:
// they are low, gappy or mapped along roads where they would cut every building off its street.
const char* barrier_line_kind(const osmium::TagList& tags) {
    const char* barrier = tags.get_value_by_key("barrier");
    if (is_any(barrier, {"wall", "fence", "city_wall", "retaining_wall"})) {
        return barrier;
    }
    return nullptr;
}

// Rail lines and motorways at ground level cut the walk like a wall, so a reach polygon does not
// cover the far side (snapping still crosses them: BarrierLine::blocks_snapping). Lines in a
// tunnel or on a bridge (walkers pass under) are not barriers; trams run in the street.
bool elevated_or_buried(const osmium::TagList& tags) {
    for (const char* key : {"tunnel", "bridge", "covered"}) {
        const char* v = tags.get_value_by_key(key);
        if (v != nullptr && !is(v, "no")) {
            return true;
        }
    }
    return false;
}

const char* transport_line_kind(const osmium::TagList& tags) {
    if (elevated_or_buried(tags)) {
        return nullptr;
    }
    if (is_any(tags.get_value_by_key("railway"), {"rail", "light_rail", "narrow_gauge", "subway", "monorail"})) {
        return "railway";
    }
    if (is_any(tags.get_value_by_key("highway"), {"motorway", "motorway_link"})) {
        return "motorway";
    }
    return nullptr;
}

bool wall_or_fence(const char* barrier) {
    return is_any(barrier, {"wall", "fence"});
}

// Water areas: their outlines are barriers.
bool water_area(const osmium::TagList& tags) {
    return is(tags.get_value_by_key("natural"), "water") || is(tags.get_value_by_key("waterway"), "riverbank") ||
           is_any(tags.get_value_by_key("landuse"), {"reservoir", "basin"});
}

// Water lines: coastline, and the centre lines of rivers and canals (narrow ones are often
// mapped without a riverbank area); streams and ditches are usually culverted or steppable.
const char* water_line_kind(const osmium::TagList& tags) {
    if (is(tags.get_value_by_key("natural"), "coastline")) {
        return "coastline";
    }
    if (is_any(tags.get_value_by_key("waterway"), {"river", "canal"}) && !tags.has_key("tunnel")) {
        return "water";
    }
    return nullptr;
}

// Doors of a building and gates of a compound.
bool entrance_node(const osmium::TagList& tags) {
    const char* entrance = tags.get_value_by_key("entrance");
    return entrance != nullptr && !is(entrance, "no");
}

bool gate_node(const osmium::TagList& tags) {
    return is_any(tags.get_value_by_key("barrier"),
                  {"gate", "lift_gate", "swing_gate", "sliding_gate", "turnstile", "full-height_turnstile",
                   "entrance", "kissing_gate"}) &&
           !is(tags.get_value_by_key("locked"), "yes");
}

// ---- numbers from tags ---------------------------------------------------------------------

// A leading non-negative number ("6", "6.5", "6;7" -> 6); nullopt when there is none.
std::optional<double> leading_number(const char* text) {
    if (text == nullptr) {
        return std::nullopt;
    }
    while (*text == ' ') {
        ++text;
    }
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(text, &end);
    if (end == text || errno != 0 || !std::isfinite(v) || v < 0) {
        return std::nullopt;
    }
    return v;
}

std::optional<double> building_levels(const osmium::TagList& tags) {
    const std::optional<double> v = leading_number(tags.get_value_by_key("building:levels"));
    if (!v || *v < 1.0 || *v > 200.0) {
        return std::nullopt;
    }
    return v;
}

// ---- geometry ------------------------------------------------------------------------------

// Footprint on the ground: projected around the first vertex (buildings and blocks are small).
double area_m2(const MultiPolygon& mp) {
    if (mp.empty() || mp.front().exterior.points.empty()) {
        return 0;
    }
    const routing::LocalProjection proj(mp.front().exterior.points.front());
    double area = 0;
    for (const Polygon& poly : mp) {
        // Holes larger than the outline (broken data) count as no area, not a negative one.
        area += std::max(0.0, routing::polygon_area_m2(poly, proj));
    }
    return area;
}

// A point inside the largest polygon: on a horizontal line between two vertex latitudes around
// the middle (so no vertex lies on it), the middle of the widest stretch inside.
LonLat interior_point(const MultiPolygon& mp) {
    const routing::LocalProjection proj(mp.front().exterior.points.front());
    const Polygon* best = &mp.front();
    double best_area = -1;
    for (const Polygon& poly : mp) {
        const double a = std::max(0.0, routing::polygon_area_m2(poly, proj));
        if (a > best_area) {
            best_area = a;
            best = &poly;
        }
    }
    const std::vector<LonLat>& outer = best->exterior.points;
    std::vector<const std::vector<LonLat>*> rings{&outer};
    for (const Ring& h : best->holes) {
        rings.push_back(&h.points);
    }
    double min_lat = outer.front().lat;
    double max_lat = outer.front().lat;
    for (const LonLat& p : outer) {
        min_lat = std::min(min_lat, p.lat);
        max_lat = std::max(max_lat, p.lat);
    }
    const double centre = (min_lat + max_lat) / 2;
    double lo = min_lat;
    double hi = max_lat;
    for (const std::vector<LonLat>* ring : rings) {
        for (const LonLat& p : *ring) {
            if (p.lat <= centre && p.lat > lo) {
                lo = p.lat;
            }
            if (p.lat > centre && p.lat < hi) {
                hi = p.lat;
            }
        }
    }
    const double y = (lo + hi) / 2;
    std::vector<double> xs;
    for (const std::vector<LonLat>* ring : rings) {
        for (std::size_t i = 0, j = ring->size() - 1; i < ring->size(); j = i++) {
            const LonLat a = (*ring)[i];
            const LonLat b = (*ring)[j];
            if ((a.lat > y) != (b.lat > y)) {
                xs.push_back(a.lon + (y - a.lat) * (b.lon - a.lon) / (b.lat - a.lat));
            }
        }
    }
    std::sort(xs.begin(), xs.end());
    double best_width = -1;
    LonLat out = outer.front(); // degenerate (flat) polygons: a vertex
    for (std::size_t i = 0; i + 1 < xs.size(); i += 2) {
        if (xs[i + 1] - xs[i] > best_width) {
            best_width = xs[i + 1] - xs[i];
            out = {(xs[i] + xs[i + 1]) / 2, y};
        }
    }
    return out;
}

// Polygons of landuse=residential areas, found by a coarse grid over their bounding boxes.
class AreaGrid {
public:
    void add(const MultiPolygon& mp, std::uint32_t index) {
        double min_lon = 180, max_lon = -180, min_lat = 90, max_lat = -90;
        for (const Polygon& poly : mp) {
            for (const LonLat& p : poly.exterior.points) {
                min_lon = std::min(min_lon, p.lon);
                max_lon = std::max(max_lon, p.lon);
                min_lat = std::min(min_lat, p.lat);
                max_lat = std::max(max_lat, p.lat);
            }
        }
        const std::int64_t x0 = cell(min_lon), x1 = cell(max_lon), y0 = cell(min_lat), y1 = cell(max_lat);
        if ((x1 - x0 + 1) * (y1 - y0 + 1) > 4096) {
            m_large.push_back(index);
            return;
        }
        for (std::int64_t x = x0; x <= x1; ++x) {
            for (std::int64_t y = y0; y <= y1; ++y) {
                m_cells[key(x, y)].push_back(index);
            }
        }
    }
    // Candidates in ascending index order.
    std::vector<std::uint32_t> candidates(LonLat p) const {
        std::vector<std::uint32_t> out = m_large;
        const auto it = m_cells.find(key(cell(p.lon), cell(p.lat)));
        if (it != m_cells.end()) {
            out.insert(out.end(), it->second.begin(), it->second.end());
        }
        std::sort(out.begin(), out.end());
        return out;
    }

private:
    static constexpr double cell_deg = 0.005;
    static std::int64_t cell(double v) { return static_cast<std::int64_t>(std::floor(v / cell_deg)); }
    static std::int64_t key(std::int64_t x, std::int64_t y) { return x * 4'000'000 + y; }
    std::unordered_map<std::int64_t, std::vector<std::uint32_t>> m_cells;
    std::vector<std::uint32_t> m_large;
};

// ---- collected objects ---------------------------------------------------------------------

struct SpecialNode {
    LonLat location;
    bool entrance = false;
    bool gate = false;
};

struct BuildingCandidate {
    std::string id;
    MultiPolygon shape;
    std::optional<double> levels;
    bool generic = false; // building=yes: needs a residential landuse around it
    std::vector<LonLat> entrances;
};

struct ResidentialArea {
    MultiPolygon shape;
    std::vector<std::int64_t> outline_nodes; // sorted
    bool walled = false;                     // its own outline is tagged as a wall or fence
    std::vector<std::int64_t> gates;         // gate/entrance nodes, sorted
};

struct WallWay {
    std::vector<std::int64_t> nodes;
};

struct FacilityKey {
    int type_rank;
    std::int64_t id;
    std::size_t order;
};

class Collector {
public:
    Collector(const std::string& file, const Classifier& classify, const OsmExtrasOptions& options,
              const std::unordered_set<std::int64_t>& water_member_ways, OsmExtras& out)
        : m_file(file), m_classify(classify), m_options(options), m_water_member_ways(water_member_ways), m_out(out) {}

    void node(const osmium::Node& node) {
        const osmium::TagList& tags = node.tags();
        if (tags.empty() || !node.location().valid()) {
            return;
        }
        const LonLat p{node.location().lon_without_check(), node.location().lat_without_check()};
        const bool entrance = entrance_node(tags);
        const bool gate = gate_node(tags);
        if (entrance || gate) {
            m_special.emplace(node.id(), SpecialNode{p, entrance, gate});
        }
        if (m_options.facilities) {
            add_facilities(tags, "n", 0, node.id(), p, {}, std::nullopt);
        }
    }

    void way(const osmium::Way& way) {
        const osmium::TagList& tags = way.tags();
        const osmium::WayNodeList& nodes = way.nodes();
        if (nodes.size() < 2) {
            return;
        }
        const bool closed = nodes.size() >= 4 && nodes.front().ref() == nodes.back().ref();
        if (m_options.barriers) {
            add_barrier_way(way, closed); // untagged ways may outline a water multipolygon
        }
        if (tags.empty()) {
            return;
        }
        const bool want_building = m_options.buildings && closed && building_kind(tags) != BuildingKind::none;
        const bool want_landuse = m_options.buildings && closed && residential_landuse(tags);
        std::vector<std::string> categories;
        if (m_options.facilities) {
            categories = m_classify(to_tags(tags));
        }
        if (!want_building && !want_landuse && categories.empty()) {
            return;
        }
        Ring ring;
        ring.points.reserve(nodes.size());
        for (const osmium::NodeRef& n : nodes) {
            if (!n.location().valid()) {
                ring.points.clear();
                break;
            }
            ring.points.push_back({n.location().lon_without_check(), n.location().lat_without_check()});
        }
        if (ring.points.empty()) {
            ++m_missing_geometry;
            return;
        }
        std::vector<std::int64_t> refs;
        refs.reserve(nodes.size());
        for (const osmium::NodeRef& n : nodes) {
            refs.push_back(n.ref());
        }
        if (!closed) {
            // A facility drawn as a line: its middle vertex stands for it.
            add_facilities(tags, "w", 1, way.id(), ring.points[ring.points.size() / 2], {}, std::nullopt, std::move(categories));
            return;
        }
        handle_area(tags, "w", 1, way.id(), MultiPolygon{Polygon{std::move(ring), {}}}, std::move(refs),
                    std::move(categories), want_building, want_landuse);
    }

    // Areas assembled from multipolygon relations (closed ways are handled in way()).
    void area(const osmium::Area& area) {
        if (area.from_way()) {
            return;
        }
        const osmium::TagList& tags = area.tags();
        MultiPolygon mp;
        std::vector<std::int64_t> refs;
        auto ring_of = [&](const osmium::NodeRefList& list) {
            Ring ring;
            for (const osmium::NodeRef& n : list) {
                ring.points.push_back({n.location().lon_without_check(), n.location().lat_without_check()});
                refs.push_back(n.ref());
            }
            return ring;
        };
        for (const osmium::OuterRing& outer : area.outer_rings()) {
            Polygon poly;
            poly.exterior = ring_of(outer);
            for (const osmium::InnerRing& inner : area.inner_rings(outer)) {
                poly.holes.push_back(ring_of(inner));
            }
            if (poly.exterior.points.size() >= 4) {
                mp.push_back(std::move(poly));
            }
        }
        if (mp.empty()) {
            ++m_missing_geometry;
            return;
        }
        std::sort(refs.begin(), refs.end());
        refs.erase(std::unique(refs.begin(), refs.end()), refs.end());
        const bool want_building = m_options.buildings && building_kind(tags) != BuildingKind::none;
        const bool want_landuse = m_options.buildings && residential_landuse(tags);
        std::vector<std::string> categories;
        if (m_options.facilities) {
            categories = m_classify(to_tags(tags));
        }
        handle_area(tags, "r", 2, area.orig_id(), std::move(mp), std::move(refs), std::move(categories),
                    want_building, want_landuse);
    }

    // `incomplete`: multipolygons of interest with member ways missing from the extract.
    void finish(const HouseholdEstimate& estimate, std::uint64_t incomplete) {
        m_missing_geometry += incomplete;
        // Facilities in a stable order: nodes, ways, relations by id, categories as classified.
        std::vector<std::size_t> order(m_facility_keys.size());
        for (std::size_t i = 0; i < order.size(); ++i) {
            order[i] = i;
        }
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            const FacilityKey& x = m_facility_keys[a];
            const FacilityKey& y = m_facility_keys[b];
            return std::tie(x.type_rank, x.id, x.order) < std::tie(y.type_rank, y.id, y.order);
        });
        std::vector<FacilityRecord> sorted;
        sorted.reserve(order.size());
        for (const std::size_t i : order) {
            sorted.push_back(std::move(m_out.facilities[i]));
        }
        m_out.facilities = std::move(sorted);
        if (m_options.buildings) {
            finish_buildings(estimate);
        }
        if (m_missing_geometry > 0) {
            m_out.warnings.skipped_without_geometry += m_missing_geometry;
            m_out.warnings.messages.push_back(m_file + ": " + std::to_string(m_missing_geometry) +
                                              " polygon(s) of interest skipped: nodes or member ways missing from the extract");
        }
    }

private:
    void add_facilities(const osmium::TagList& tags, const char* prefix, int rank, std::int64_t id, LonLat location,
                        std::vector<LonLat> entrances, std::optional<double> floor_area,
                        std::optional<std::vector<std::string>> given = std::nullopt) {
        const std::vector<std::string> categories = given ? std::move(*given) : m_classify(to_tags(tags));
        if (categories.empty()) {
            return;
        }
        const std::string osm_id = prefix + std::to_string(id);
        std::string name = tags.get_value_by_key("name", "");
        if (name.empty()) {
            name = tags.get_value_by_key("name:zh", "");
        }
        std::optional<double> capacity;
        for (const char* key : {"capacity", "beds"}) {
            const char* text = tags.get_value_by_key(key);
            if (text == nullptr) {
                continue;
            }
            capacity = leading_number(text);
            if (!capacity) {
                ++m_out.warnings.skipped_bad_value;
                m_out.warnings.messages.push_back(m_file + ": " + osm_id + ": " + key + "='" + text +
                                                  "' is not a number; ignored");
            }
            break;
        }
        for (const std::string& category : categories) {
            FacilityRecord r;
            r.id = osm_id;
            r.name = name;
            r.category = category;
            r.location = location;
            r.entrances = entrances;
            r.capacity = capacity;
            r.floor_area_m2 = floor_area;
            r.source = m_file;
            m_facility_keys.push_back({rank, id, m_out.facilities.size()});
            m_out.facilities.push_back(std::move(r));
        }
    }

    std::vector<LonLat> entrances_among(const std::vector<std::int64_t>& refs) const {
        std::vector<LonLat> out;
        std::unordered_set<std::int64_t> seen;
        for (const std::int64_t ref : refs) {
            const auto it = m_special.find(ref);
            if (it != m_special.end() && it->second.entrance && seen.insert(ref).second) {
                out.push_back(it->second.location);
            }
        }
        return out;
    }

    void handle_area(const osmium::TagList& tags, const char* prefix, int rank, std::int64_t id, MultiPolygon mp,
                     std::vector<std::int64_t> refs, std::vector<std::string> categories, bool want_building,
                     bool want_landuse) {
        if (!categories.empty()) {
            std::optional<double> floor_area;
            if (tags.has_key("building")) {
                if (const std::optional<double> levels = building_levels(tags)) {
                    floor_area = area_m2(mp) * *levels;
                }
            }
            add_facilities(tags, prefix, rank, id, interior_point(mp), entrances_among(refs), floor_area,
                           std::move(categories));
        }
        if (want_building) {
            BuildingCandidate b;
            b.id = prefix + std::to_string(id);
            b.levels = building_levels(tags);
            b.generic = building_kind(tags) == BuildingKind::generic;
            b.entrances = entrances_among(refs);
            if (want_landuse) {
                b.shape = mp;
            } else {
                b.shape = std::move(mp);
            }
            m_buildings.push_back(std::move(b));
        }
        if (want_landuse) {
            ResidentialArea a;
            a.shape = std::move(mp);
            a.walled = wall_or_fence(tags.get_value_by_key("barrier"));
            std::sort(refs.begin(), refs.end());
            refs.erase(std::unique(refs.begin(), refs.end()), refs.end());
            for (const std::int64_t ref : refs) {
                const auto it = m_special.find(ref);
                if (it != m_special.end()) {
                    a.gates.push_back(ref);
                }
            }
            a.outline_nodes = std::move(refs);
            m_areas.push_back(std::move(a));
        }
    }

    void add_line(const osmium::Way& way, const char* kind, bool blocks_snapping = true) {
        BarrierLine line;
        line.kind = kind;
        line.blocks_snapping = blocks_snapping;
        line.osm_id = way.id();
        auto flush = [&] {
            if (line.points.size() >= 2) {
                m_out.barriers.push_back(line);
            }
            line.points.clear();
        };
        for (const osmium::NodeRef& n : way.nodes()) {
            if (!n.location().valid()) {
                flush(); // never bridge a gap in the extract
                continue;
            }
            line.points.push_back({n.location().lon_without_check(), n.location().lat_without_check()});
        }
        flush();
    }

    void add_barrier_way(const osmium::Way& way, bool closed) {
        const osmium::TagList& tags = way.tags();
        if (const char* kind = transport_line_kind(tags)) {
            add_line(way, kind, /*blocks_snapping=*/false);
            return;
        }
        if (tags.has_key("highway")) {
            return; // a walkable way is never a barrier (motorways are never walkable)
        }
        if (const char* kind = barrier_line_kind(tags)) {
            add_line(way, kind);
            if (wall_or_fence(kind)) {
                WallWay w;
                for (const osmium::NodeRef& n : way.nodes()) {
                    w.nodes.push_back(n.ref());
                }
                m_walls.push_back(std::move(w));
            }
            return;
        }
        if ((closed && water_area(tags)) || m_water_member_ways.contains(way.id())) {
            add_line(way, "water");
            return;
        }
        if (const char* kind = water_line_kind(tags)) {
            add_line(way, kind);
        }
    }

    void finish_buildings(const HouseholdEstimate& estimate) {
        // Walls and fences sharing at least two nodes with a residential area's outline enclose
        // it: the area is a walled compound, and the gates on those walls are its gates.
        std::unordered_map<std::int64_t, std::vector<std::uint32_t>> outline_owner;
        for (std::uint32_t i = 0; i < m_areas.size(); ++i) {
            for (const std::int64_t ref : m_areas[i].outline_nodes) {
                outline_owner[ref].push_back(i);
            }
        }
        for (const WallWay& wall : m_walls) {
            std::unordered_map<std::uint32_t, int> shared;
            for (const std::int64_t ref : wall.nodes) {
                const auto it = outline_owner.find(ref);
                if (it != outline_owner.end()) {
                    for (const std::uint32_t a : it->second) {
                        ++shared[a];
                    }
                }
            }
            for (const auto& [a, count] : shared) {
                if (count < 2) {
                    continue;
                }
                ResidentialArea& area = m_areas[a];
                area.walled = true;
                for (const std::int64_t ref : wall.nodes) {
                    const auto it = m_special.find(ref);
                    if (it != m_special.end() && (it->second.gate || it->second.entrance)) {
                        area.gates.push_back(ref);
                    }
                }
            }
        }
        AreaGrid grid;
        for (std::uint32_t i = 0; i < m_areas.size(); ++i) {
            std::sort(m_areas[i].gates.begin(), m_areas[i].gates.end());
            m_areas[i].gates.erase(std::unique(m_areas[i].gates.begin(), m_areas[i].gates.end()), m_areas[i].gates.end());
            grid.add(m_areas[i].shape, i);
        }

        ReadWarnings& warnings = m_out.warnings;
        std::vector<std::pair<std::pair<int, std::int64_t>, DemandRecord>> records;
        for (BuildingCandidate& b : m_buildings) {
            const double footprint = area_m2(b.shape);
            if (footprint < estimate.min_footprint_m2) {
                continue;
            }
            const LonLat at = interior_point(b.shape);
            const ResidentialArea* around = nullptr;
            const ResidentialArea* walled = nullptr;
            for (const std::uint32_t i : grid.candidates(at)) {
                if (routing::multipolygon_contains(m_areas[i].shape, at)) {
                    around = around != nullptr ? around : &m_areas[i];
                    if (m_areas[i].walled && !m_areas[i].gates.empty()) {
                        walled = &m_areas[i];
                        break;
                    }
                }
            }
            if (b.generic && around == nullptr) {
                continue;
            }
            double levels = estimate.default_levels;
            if (b.levels) {
                levels = *b.levels;
            } else {
                ++warnings.buildings_default_levels;
            }
            DemandRecord d;
            d.id = b.id;
            d.location = at;
            d.entrances = std::move(b.entrances);
            if (walled != nullptr) {
                for (const std::int64_t gate : walled->gates) {
                    d.entrances.push_back(m_special.at(gate).location);
                }
            }
            d.households = footprint * levels / estimate.dwelling_m2;
            d.population = d.households * estimate.persons_per_household;
            d.seniors = d.population * estimate.senior_share;
            d.children = d.population * estimate.child_share;
            d.source = m_file;
            const int rank = d.id[0] == 'w' ? 1 : 2;
            records.push_back({{rank, std::stoll(d.id.substr(1))}, std::move(d)});
        }
        std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (auto& [key, d] : records) {
            m_out.buildings.push_back(std::move(d));
        }
        if (warnings.buildings_default_levels > 0) {
            warnings.messages.push_back(m_file + ": " + std::to_string(warnings.buildings_default_levels) +
                                        " residential building(s) without building:levels counted with " +
                                        format_number(estimate.default_levels) + " levels");
        }
    }

    std::string m_file;
    const Classifier& m_classify;
    const OsmExtrasOptions& m_options;
    const std::unordered_set<std::int64_t>& m_water_member_ways;
    OsmExtras& m_out;
    std::unordered_map<std::int64_t, SpecialNode> m_special;
    std::vector<FacilityKey> m_facility_keys;
    std::vector<BuildingCandidate> m_buildings;
    std::vector<ResidentialArea> m_areas;
    std::vector<WallWay> m_walls;
    std::uint64_t m_missing_geometry = 0;
};

// Forwards libosmium's callbacks to the collector.
class CollectHandler : public osmium::handler::Handler {
public:
    explicit CollectHandler(Collector& c) : m_c(c) {}
    void node(const osmium::Node& n) { m_c.node(n); }
    void way(const osmium::Way& w) { m_c.way(w); }
    void area(const osmium::Area& a) { m_c.area(a); }

private:
    Collector& m_c;
};

void check_estimate(const std::string& name, const HouseholdEstimate& e) {
    auto bad = [&](const char* what) { throw config_error(name + ": household estimate: " + what); };
    if (!(e.dwelling_m2 > 0) || !std::isfinite(e.dwelling_m2)) {
        bad("dwelling size must be a positive number of m2");
    }
    if (!(e.default_levels > 0) || !std::isfinite(e.default_levels)) {
        bad("default levels must be positive");
    }
    if (!(e.persons_per_household > 0) || !std::isfinite(e.persons_per_household)) {
        bad("persons per household must be positive");
    }
    if (!(e.senior_share >= 0 && e.senior_share <= 1) || !(e.child_share >= 0 && e.child_share <= 1)) {
        bad("senior and child shares must be between 0 and 1");
    }
    if (!(e.min_footprint_m2 >= 0) || !std::isfinite(e.min_footprint_m2)) {
        bad("minimum footprint must be a non-negative number of m2");
    }
}

} // namespace

OsmExtras read_osm_extras(const std::filesystem::path& osm_file, const Classifier& classify,
                          const HouseholdEstimate& estimate, const OsmExtrasOptions& options) {
    const std::string name = osm_file.string();
    detail::require_osm_file(osm_file);
    check_estimate(name, estimate);
    if (options.facilities && !classify) {
        throw config_error(name + ": no classifier given for OSM facilities");
    }

    OsmExtras out;
    try {
        const osmium::io::File file(name);
        // Only relations (every one has a `type` tag) are assembled by the manager; closed ways
        // are cheaper to take as they come.
        osmium::TagsFilter relations_only{false};
        relations_only.add_rule(true, osmium::TagMatcher{"type"});
        osmium::area::AssemblerConfig config;
        config.create_empty_areas = false;
        osmium::area::MultipolygonManager<osmium::area::Assembler> manager{config, relations_only};
        std::unordered_set<std::int64_t> water_member_ways;

        // Pass 1: the multipolygons that matter.
        {
            osmium::io::Reader reader(file, osmium::osm_entity_bits::relation, osmium::io::read_meta::no);
            while (osmium::memory::Buffer buffer = reader.read()) {
                for (const osmium::Relation& rel : buffer.select<osmium::Relation>()) {
                    const osmium::TagList& tags = rel.tags();
                    if (!is(tags.get_value_by_key("type"), "multipolygon")) {
                        continue;
                    }
                    if (options.barriers && water_area(tags)) {
                        for (const osmium::RelationMember& m : rel.members()) {
                            if (m.type() == osmium::item_type::way) {
                                water_member_ways.insert(m.ref());
                            }
                        }
                    }
                    const bool wanted = (options.buildings && (building_kind(tags) != BuildingKind::none ||
                                                               residential_landuse(tags))) ||
                                        (options.facilities && !classify(to_tags(tags)).empty());
                    if (wanted) {
                        manager.relation(rel);
                    }
                }
            }
            reader.close();
            manager.prepare_for_lookup();
        }

        // Pass 2: nodes with locations, ways, assembled areas.
        using Index = osmium::index::map::FlexMem<osmium::unsigned_object_id_type, osmium::Location>;
        Index index;
        osmium::handler::NodeLocationsForWays<Index> locations{index};
        locations.ignore_errors();
        Collector collector(name, classify, options, water_member_ways, out);
        CollectHandler handler(collector);
        osmium::io::Reader reader(file, osmium::osm_entity_bits::node | osmium::osm_entity_bits::way,
                                  osmium::io::read_meta::no);
        osmium::apply(reader, locations, handler, manager.handler([&handler](osmium::memory::Buffer&& buffer) {
            osmium::apply(buffer, handler);
        }));
        reader.close();
        manager.flush_output();
        std::uint64_t incomplete = 0;
        manager.for_each_incomplete_relation([&incomplete](const osmium::relations::RelationHandle&) { ++incomplete; });
        collector.finish(estimate, incomplete);
    } catch (...) {
        detail::rethrow_as_osm_read_error(name);
    }
    return out;
}

std::vector<BarrierLine> read_osm_barriers(const std::filesystem::path& osm_file) {
    OsmExtrasOptions only_barriers;
    only_barriers.facilities = false;
    only_barriers.buildings = false;
    return read_osm_extras(
               osm_file, [](const Tags&) { return std::vector<std::string>{}; }, {}, only_barriers)
        .barriers;
}

} // namespace yike::io
