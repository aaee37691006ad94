// The web planner: request parsing, isochrones from a clicked point, and scenarios that add, move
// or remove facilities of one category, recomputing only that category's costs and evaluating
// the standard with the same report engine as `yike coverage`.
#include "yike/viz/planner.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include "detail/threshold_text.hpp"
#include "yike/assert.hpp"
#include "yike/engine/catchment.hpp"
#include "yike/engine/category_cost.hpp"
#include "yike/engine/isochrone.hpp"
#include "yike/engine/siting.hpp"
#include "yike/io/feature_writer.hpp"
#include "yike/routing/search.hpp"
#include "yike/routing/snap.hpp"

namespace yike::viz {

namespace {

using json = nlohmann::json;
using routing::Cost;

// ---- request parsing -----------------------------------------------------------------------

// Nesting deeper than this is refused before the JSON parser sees it: no request needs more
// than three levels, and a bounded depth keeps the parser's and the value's recursion shallow.
constexpr int max_json_depth = 8;

void check_depth(std::string_view body) {
    int depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (const char c : body) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        else if (c == '[' || c == '{') {
            if (++depth > max_json_depth) throw request_error(400, "request nested deeper than " + std::to_string(max_json_depth) + " levels");
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
}

json parse_object(std::string_view body, const PlannerLimits& limits) {
    if (body.size() > limits.max_body_bytes) {
        throw request_error(413, "request body of " + std::to_string(body.size()) + " bytes; at most " +
                                     std::to_string(limits.max_body_bytes) + " are accepted");
    }
    check_depth(body);
    json j = json::parse(body.begin(), body.end(), nullptr, false);
    if (j.is_discarded()) throw request_error(400, "request body is not valid JSON");
    if (!j.is_object()) throw request_error(400, "request body must be a JSON object");
    return j;
}

void only_keys(const json& object, std::initializer_list<std::string_view> allowed, std::string_view what) {
    for (const auto& [key, value] : object.items()) {
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            throw request_error(400, std::string(what) + ": unknown field \"" + key.substr(0, 40) + "\"");
        }
    }
}

double number_field(const json& object, const char* key, std::string_view what) {
    const auto it = object.find(key);
    if (it == object.end()) throw request_error(400, std::string(what) + ": missing field \"" + key + "\"");
    if (!it->is_number()) throw request_error(400, std::string(what) + ": \"" + key + "\" must be a number");
    const double v = it->get<double>();
    if (!std::isfinite(v)) throw request_error(400, std::string(what) + ": \"" + key + "\" must be finite");
    return v;
}

routing::LonLat lonlat_fields(const json& object, std::string_view what) {
    const double lon = number_field(object, "lon", what);
    const double lat = number_field(object, "lat", what);
    if (lon < -180 || lon > 180) throw request_error(400, std::string(what) + ": lon must be within [-180, 180]");
    if (lat < -90 || lat > 90) throw request_error(400, std::string(what) + ": lat must be within [-90, 90]");
    return {lon, lat};
}

std::string id_value(const json& value, std::string_view what, const PlannerLimits& limits) {
    if (!value.is_string()) throw request_error(400, std::string(what) + " must be a string");
    auto id = value.get<std::string>();
    if (id.empty()) throw request_error(400, std::string(what) + " must not be empty");
    if (id.size() > limits.max_id_chars) {
        throw request_error(400, std::string(what) + " longer than " + std::to_string(limits.max_id_chars) + " bytes");
    }
    return id;
}

} // namespace

IsochroneRequest parse_isochrone_request(std::string_view body, const PlannerLimits& limits) {
    const json j = parse_object(body, limits);
    only_keys(j, {"lon", "lat", "minutes", "profile", "bands"}, "isochrone");
    IsochroneRequest r;
    r.at = lonlat_fields(j, "isochrone");
    // The default budgets, within the limits (a planner with tighter limits must not answer more
    // or longer budgets than it lets a request name).
    for (const double m : {5.0, 10.0, 15.0}) {
        if (m <= limits.max_minutes && r.minutes.size() < limits.max_bands) r.minutes.push_back(m);
    }
    if (r.minutes.empty() && limits.max_bands > 0 && limits.max_minutes > 0) r.minutes.push_back(limits.max_minutes);
    if (const auto it = j.find("minutes"); it != j.end()) {
        if (!it->is_array() || it->empty()) throw request_error(400, "isochrone: \"minutes\" must be a non-empty array of numbers");
        if (it->size() > limits.max_bands) {
            throw request_error(413, "isochrone: at most " + std::to_string(limits.max_bands) + " budgets per request");
        }
        r.minutes.clear();
        for (const auto& m : *it) {
            if (!m.is_number()) throw request_error(400, "isochrone: \"minutes\" must be a non-empty array of numbers");
            const double v = m.get<double>();
            if (!std::isfinite(v) || v <= 0 || v > limits.max_minutes) {
                throw request_error(400, "isochrone: every budget must be within (0, " + io::format_number(limits.max_minutes) +
                                             "] minutes");
            }
            r.minutes.push_back(v);
        }
        std::sort(r.minutes.begin(), r.minutes.end());
        r.minutes.erase(std::unique(r.minutes.begin(), r.minutes.end()), r.minutes.end());
    }
    if (const auto it = j.find("profile"); it != j.end()) {
        if (!it->is_string() || (*it != "walk" && *it != "senior")) {
            throw request_error(400, "isochrone: \"profile\" must be \"walk\" or \"senior\"");
        }
        r.senior = *it == "senior";
    }
    if (const auto it = j.find("bands"); it != j.end()) {
        if (!it->is_string() || (*it != "nested" && *it != "disjoint")) {
            throw request_error(400, "isochrone: \"bands\" must be \"nested\" or \"disjoint\"");
        }
        r.disjoint = *it == "disjoint";
    }
    return r;
}

ScenarioRequest parse_scenario_request(std::string_view body, const PlannerLimits& limits) {
    const json j = parse_object(body, limits);
    only_keys(j, {"category", "add", "remove"}, "scenario");
    ScenarioRequest r;
    const auto category = j.find("category");
    if (category == j.end()) throw request_error(400, "scenario: missing field \"category\"");
    r.category = id_value(*category, "scenario: \"category\"", limits);
    std::size_t sites = 0;
    if (const auto it = j.find("add"); it != j.end()) {
        if (!it->is_array()) throw request_error(400, "scenario: \"add\" must be an array of {id, lon, lat}");
        sites += it->size();
        if (sites > limits.max_sites) {
            throw request_error(413, "scenario: at most " + std::to_string(limits.max_sites) + " added and removed sites per request");
        }
        std::set<std::string> seen;
        for (const auto& site : *it) {
            if (!site.is_object()) throw request_error(400, "scenario: \"add\" must be an array of {id, lon, lat}");
            only_keys(site, {"id", "lon", "lat"}, "scenario: added site");
            const auto id = site.find("id");
            if (id == site.end()) throw request_error(400, "scenario: added site: missing field \"id\"");
            SiteInput s{id_value(*id, "scenario: added site: \"id\"", limits), lonlat_fields(site, "scenario: added site")};
            if (!seen.insert(s.id).second) throw request_error(400, "scenario: added site id \"" + s.id + "\" given twice");
            r.add.push_back(std::move(s));
        }
    }
    if (const auto it = j.find("remove"); it != j.end()) {
        if (!it->is_array()) throw request_error(400, "scenario: \"remove\" must be an array of facility ids");
        sites += it->size();
        if (sites > limits.max_sites) {
            throw request_error(413, "scenario: at most " + std::to_string(limits.max_sites) + " added and removed sites per request");
        }
        std::set<std::string> seen;
        for (const auto& id : *it) {
            auto s = id_value(id, "scenario: removed facility id", limits);
            if (!seen.insert(s).second) throw request_error(400, "scenario: removed facility \"" + s + "\" given twice");
            r.remove.push_back(std::move(s));
        }
    }
    return r;
}

namespace {

// ---- planner internals ---------------------------------------------------------------------

// Search objects for one graph, lent to one request at a time. The pool grows to the number of
// requests computing at once, which the server bounds.
class SearchPool {
public:
    explicit SearchPool(const routing::WalkGraph& graph) : m_graph(&graph) {}

    class Lease {
    public:
        Lease(SearchPool& pool, std::unique_ptr<routing::BoundedSearch> search) : m_pool(&pool), m_search(std::move(search)) {}
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        ~Lease() { m_pool->give_back(std::move(m_search)); }
        routing::BoundedSearch& operator*() const noexcept { return *m_search; }

    private:
        SearchPool* m_pool;
        std::unique_ptr<routing::BoundedSearch> m_search;
    };

    Lease take() {
        std::unique_ptr<routing::BoundedSearch> s;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            if (!m_free.empty()) {
                s = std::move(m_free.back());
                m_free.pop_back();
            }
        }
        if (!s) s = std::make_unique<routing::BoundedSearch>(*m_graph);
        return Lease(*this, std::move(s));
    }

private:
    void give_back(std::unique_ptr<routing::BoundedSearch> s) {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_free.push_back(std::move(s));
    }

    const routing::WalkGraph* m_graph;
    std::mutex m_mutex;
    std::vector<std::unique_ptr<routing::BoundedSearch>> m_free;
};

double rounded(double v, double scale) { return std::round(v * scale) / scale; }

// Large coordinate arrays are written straight into the response text: building them as JSON
// values first cost most of a scenario's time (one allocation per number).
void append_number(std::string& out, double v) {
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v == 0.0 ? 0.0 : v);
    YIKE_ASSERT(ec == std::errc());
    out.append(buffer, end);
}

void append_lonlat(std::string& out, routing::LonLat p, double scale) {
    out += '[';
    append_number(out, rounded(p.lon, scale));
    out += ',';
    append_number(out, rounded(p.lat, scale));
    out += ']';
}

// JSON text; strings that are not valid UTF-8 (a name from a layer in another encoding, an id cut
// short) get U+FFFD instead of failing the whole answer.
std::string text(const json& value, int indent = -1) {
    return value.dump(indent, ' ', false, json::error_handler_t::replace);
}

// `object` dumped with `members` (already JSON text) appended as its last members.
std::string with_members(const json& object, const std::vector<std::pair<std::string, std::string>>& members) {
    std::string out = text(object);
    YIKE_ASSERT(!out.empty() && out.back() == '}');
    out.pop_back();
    for (const auto& [key, value] : members) {
        if (out.size() > 1) out += ',';
        out += text(json(key));
        out += ':';
        out += value;
    }
    out += '}';
    return out;
}

json lonlat_json(routing::LonLat p) { return json::array({rounded(p.lon, 1e7), rounded(p.lat, 1e7)}); }

void append_ring(std::string& out, const engine::Ring& ring) {
    out += '[';
    for (std::size_t k = 0; k < ring.points.size(); ++k) {
        if (k != 0) out += ',';
        append_lonlat(out, ring.points[k], 1e7);
    }
    out += ']';
}

// {"type":"MultiPolygon","coordinates":...} on the 1e-7 degree grid of the polygons.
std::string multipolygon_text(const engine::MultiPolygon& mp) {
    std::string out = R"({"type":"MultiPolygon","coordinates":[)";
    for (std::size_t p = 0; p < mp.size(); ++p) {
        if (p != 0) out += ',';
        out += '[';
        append_ring(out, mp[p].exterior);
        for (const auto& h : mp[p].holes) {
            out += ',';
            append_ring(out, h);
        }
        out += ']';
    }
    out += "]}";
    return out;
}

json optional_number(const std::optional<double>& v, double scale) {
    return v ? json(rounded(*v, scale)) : json(nullptr);
}

std::string threshold_text(const engine::Target& t) { return detail::threshold_text(t, detail::ThresholdForm::api); }

json unit_json(const engine::UnitResult& r) {
    return {{"status", std::string(engine::to_string(r.status))},
            {"achieved", optional_number(r.achieved, 1e6)},
            {"covered_households", rounded(r.covered.households, 100)},
            {"total_households", rounded(r.total.households, 100)}};
}

bool names_category(const engine::Target& t, const std::string& category) {
    return std::find(t.categories.begin(), t.categories.end(), category) != t.categories.end();
}

} // namespace

struct Planner::Impl {
    engine::CoverageData data;
    std::unique_ptr<engine::CoverageNetworks> net;
    engine::IsochroneBarriers barriers; // net->barriers indexed for the isochrones of clicked points
    PlannerOptions options;
    engine::ReportResults base;
    routing::Snapper walk_snapper;
    routing::Snapper senior_snapper;
    engine::CategoryCostSearch cost_search; // the coverage run's costs, with the scenario's sites
    mutable SearchPool walk_searches;
    mutable SearchPool senior_searches;
    // (category, id) -> index into data.facilities: an OSM object in two categories is two
    // records with the same id.
    std::map<std::pair<std::string, std::string>, std::uint32_t> facility_index;
    std::string info;
    std::string layers;

    Impl(engine::CoverageData d, std::unique_ptr<engine::CoverageNetworks> n, PlannerOptions o)
        : data(std::move(d)), net(std::move(n)), barriers(net->barriers), options(o), base(engine::evaluate(data)),
          walk_snapper(net->walk_net.graph), senior_snapper(net->senior_net.graph),
          cost_search(data.standard, options.gaussian_decay, net->walk_net.graph, net->senior_net.graph, data.demand,
                      net->demand_walk, net->demand_senior),
          walk_searches(net->walk_net.graph),
          senior_searches(net->senior_net.graph) {
        YIKE_ASSERT(net->facility_walk.size() == data.facilities.size());
        YIKE_ASSERT(net->facility_senior.size() == data.facilities.size());
        for (std::uint32_t f = 0; f < data.facilities.size(); ++f) facility_index.emplace(std::pair(data.facilities[f].category, data.facilities[f].id), f);
        info = make_info();
        layers = make_layers();
    }

    const engine::CategoryCosts* costs(const std::string& category) const {
        for (const auto& c : data.costs)
            if (c.category == category) return &c;
        return nullptr;
    }

    std::string make_info() const {
        json targets = json::array();
        for (const auto& t : data.standard.targets) {
            json row = {{"id", t.id},
                        {"name_zh", t.name_zh},
                        {"name_en", t.name_en},
                        {"kind", std::string(engine::to_string(t.kind))},
                        {"categories", t.categories},
                        {"threshold", threshold_text(t)},
                        {"required_share", optional_number(t.required_share, 1e6)},
                        {"report_only", t.report_only},
                        {"confirmed", t.confirmed}};
            if (t.kind == engine::TargetKind::coverage) {
                row["profile"] = t.threshold_m ? "length" : std::string(engine::walking_profile_name(t));
                row["basis"] = std::string(engine::to_string(t.basis));
            }
            targets.push_back(std::move(row));
        }
        json categories = json::array();
        for (const auto& c : data.costs) {
            const auto* cat = data.categories.find(c.category);
            // Any target naming the category can be planned for: coverage targets by walking
            // distance, presence and ratio targets unit by unit (units_json).
            bool plannable = false;
            for (const auto& t : data.standard.targets) plannable = plannable || names_category(t, c.category);
            categories.push_back({{"id", c.category},
                                  {"name_zh", cat != nullptr ? cat->name_zh : c.category},
                                  {"name_en", cat != nullptr ? cat->name_en : c.category},
                                  {"facilities", c.facilities.size()},
                                  {"plannable", plannable}});
        }
        std::sort(categories.begin(), categories.end(),
                  [](const json& a, const json& b) { return a["id"].get<std::string>() < b["id"].get<std::string>(); });
        const auto& g = net->walk_net.graph;
        double min_lon = 180, min_lat = 90, max_lon = -180, max_lat = -90;
        for (std::size_t k = 0; k < g.point_lon_e7.size(); ++k) {
            const double lon = g.point_lon_e7[k] / routing::coordinate_precision;
            const double lat = g.point_lat_e7[k] / routing::coordinate_precision;
            min_lon = std::min(min_lon, lon);
            max_lon = std::max(max_lon, lon);
            min_lat = std::min(min_lat, lat);
            max_lat = std::max(max_lat, lat);
        }
        // The initial view: where the households are (extracts reach beyond the study area).
        double v_min_lon = 180, v_min_lat = 90, v_max_lon = -180, v_max_lat = -90;
        for (const auto& d : data.demand) {
            v_min_lon = std::min(v_min_lon, d.location.lon);
            v_max_lon = std::max(v_max_lon, d.location.lon);
            v_min_lat = std::min(v_min_lat, d.location.lat);
            v_max_lat = std::max(v_max_lat, d.location.lat);
        }
        json view = data.demand.empty()
                        ? json::array({rounded(min_lon, 1e6), rounded(min_lat, 1e6), rounded(max_lon, 1e6), rounded(max_lat, 1e6)})
                        : json::array({rounded(v_min_lon, 1e6), rounded(v_min_lat, 1e6), rounded(v_max_lon, 1e6), rounded(v_max_lat, 1e6)});
        const auto& lim = options.limits;
        json out = {
            {"view", std::move(view)},
            {"standard", {{"id", data.standard.id}, {"name_zh", data.standard.name_zh}, {"name_en", data.standard.name_en}}},
            {"targets", std::move(targets)},
            {"categories", std::move(categories)},
            {"profiles",
             json::array({{{"id", "walk"}, {"speed_m_per_s", data.run.walk_speed_mm_per_s / 1000.0}},
                          {{"id", "senior"}, {"speed_m_per_s", data.run.senior_speed_mm_per_s / 1000.0}}})},
            {"bounds", json::array({rounded(min_lon, 1e6), rounded(min_lat, 1e6), rounded(max_lon, 1e6), rounded(max_lat, 1e6)})},
            {"counts",
             {{"demand_points", data.demand.size()},
              {"households", rounded(base.demand.households, 10)},
              {"facilities", data.facilities.size()},
              {"nodes", g.node_count()},
              {"edges", g.edge_count()}}},
            {"limits",
             {{"max_body_bytes", lim.max_body_bytes},
              {"max_bands", lim.max_bands},
              {"max_minutes", lim.max_minutes},
              {"max_sites", lim.max_sites},
              {"max_snap_m", options.max_snap_m}}},
            {"attribution", "© OpenStreetMap contributors, ODbL 1.0"},
        };
        return text(out);
    }

    std::string make_layers() const {
        // Coordinates rounded to 1e-5 degrees (about a metre): the base map only.
        const auto& g = net->walk_net.graph;
        json network = json::array();
        for (std::uint32_t e = 0; e < g.edge_count(); ++e) {
            json line = json::array();
            for (std::uint32_t k = g.edge_first_point[e]; k < g.edge_first_point[e + 1]; ++k) {
                line.push_back(rounded(g.point_lon_e7[k] / routing::coordinate_precision, 1e5));
                line.push_back(rounded(g.point_lat_e7[k] / routing::coordinate_precision, 1e5));
            }
            network.push_back(std::move(line));
        }
        json facilities = json::array();
        for (const auto& f : data.facilities) {
            facilities.push_back({{"id", f.id},
                                  {"name", f.name},
                                  {"category", f.category},
                                  {"lon", rounded(f.location.lon, 1e6)},
                                  {"lat", rounded(f.location.lat, 1e6)}});
        }
        json demand = json::array();
        for (const auto& d : data.demand) {
            demand.push_back(json::array({rounded(d.location.lon, 1e5), rounded(d.location.lat, 1e5), rounded(d.households, 100)}));
        }
        // The units presence and ratio targets are judged in (communities or grid cells, and
        // sub-districts), indexed like the scenario's per-unit statuses; a unit without geometry
        // (the whole study area) has no rings.
        auto areas_json = [](const std::vector<engine::AreaInfo>& areas) {
            json out = json::array();
            for (const auto& a : areas) {
                json rings = json::array();
                for (const auto& polygon : a.geometry.polygons) {
                    for (const routing::Ring* ring : routing::rings_of(polygon)) {
                        json flat = json::array();
                        for (const auto& p : ring->points) {
                            flat.push_back(rounded(p.lon, 1e5));
                            flat.push_back(rounded(p.lat, 1e5));
                        }
                        rings.push_back(std::move(flat));
                    }
                }
                out.push_back({{"id", a.id}, {"name", a.name}, {"rings", std::move(rings)}});
            }
            return out;
        };
        json areas = {{"grid", base.areas.grid},
                      {"communities", areas_json(base.areas.communities)},
                      {"subdistricts", areas_json(base.areas.subdistricts)}};
        return text(json{{"network", std::move(network)},
                         {"facilities", std::move(facilities)},
                         {"demand", std::move(demand)},
                         {"areas", std::move(areas)}});
    }

    // The after-state of a scenario: the category's removed facilities taken out, the added sites
    // snapped and appended, and the category's costs recomputed; every other category keeps its
    // costs (their facility indices follow the removal).
    engine::CoverageData scenario_data(const ScenarioRequest& r, std::vector<engine::SiteSnap>* snaps_out) const {
        if (costs(r.category) == nullptr) {
            throw request_error(400, "scenario: category \"" + r.category + "\" is not used by standard " + data.standard.id);
        }
        std::vector<std::uint8_t> removed(data.facilities.size(), 0);
        for (const auto& id : r.remove) {
            const auto it = facility_index.find(std::pair(r.category, id));
            if (it == facility_index.end()) {
                throw request_error(400, "scenario: \"" + id + "\" is not a facility of category " + r.category);
            }
            removed[it->second] = 1;
        }

        engine::CoverageData after;
        after.standard = data.standard;
        after.categories = data.categories;
        after.demand = data.demand;
        after.demand_snaps = data.demand_snaps;
        after.demand_senior_snaps = data.demand_senior_snaps;
        after.communities = data.communities;
        after.subdistricts = data.subdistricts;
        after.grid = data.grid;
        after.run = data.run;
        std::vector<std::uint32_t> new_index(data.facilities.size(), routing::invalid_id);
        std::vector<std::optional<routing::Origin>> senior_origin;
        for (std::uint32_t f = 0; f < data.facilities.size(); ++f) {
            if (removed[f]) continue;
            new_index[f] = static_cast<std::uint32_t>(after.facilities.size());
            after.facilities.push_back(data.facilities[f]);
            after.facility_snaps.push_back(data.facility_snaps[f]);
            after.facility_senior_snaps.push_back(data.facility_senior_snaps[f]);
            senior_origin.push_back(net->facility_senior[f]);
        }
        for (const auto& site : r.add) {
            io::FacilityRecord f;
            f.id = "new:" + site.id;
            f.name = site.id;
            f.category = r.category;
            f.location = site.at;
            f.source = "planner";
            const auto index = static_cast<std::uint32_t>(after.facilities.size());
            engine::SiteSnap walk = net->walk_snapper->snap(site.at, {}, options.max_snap_m, index);
            engine::SiteSnap senior = net->senior_snapper->snap(site.at, {}, options.max_snap_m, index);
            if (snaps_out != nullptr) snaps_out->push_back(walk);
            after.facilities.push_back(std::move(f));
            after.facility_snaps.push_back(std::move(walk));
            senior_origin.push_back(senior.origin);
            after.facility_senior_snaps.push_back(std::move(senior));
        }

        after.costs.reserve(data.costs.size());
        for (const auto& c : data.costs) {
            if (c.category != r.category) {
                engine::CategoryCosts copy = c;
                for (auto& f : copy.facilities) f = new_index[f];
                after.costs.push_back(std::move(copy));
                continue;
            }
            std::vector<std::optional<routing::Origin>> walk_origin;
            walk_origin.reserve(after.facility_snaps.size());
            for (const auto& snap : after.facility_snaps) walk_origin.push_back(snap.origin);
            const auto facilities = engine::category_facilities(after.facilities, c.category, walk_origin, senior_origin);
            auto walk = walk_searches.take();
            auto senior = senior_searches.take();
            after.costs.push_back(cost_search.costs(c.category, facilities, *walk, *senior));
        }
        return after;
    }

};

Planner::Planner(engine::CoverageData data, std::unique_ptr<engine::CoverageNetworks> networks, PlannerOptions options)
    : m_impl(std::make_unique<Impl>(std::move(data), std::move(networks), options)) {}

Planner::~Planner() = default;

const PlannerLimits& Planner::limits() const noexcept { return m_impl->options.limits; }
const engine::CoverageData& Planner::data() const noexcept { return m_impl->data; }
const engine::ReportResults& Planner::base_results() const noexcept { return m_impl->base; }
const std::string& Planner::info_json() const noexcept { return m_impl->info; }
const std::string& Planner::layers_json() const noexcept { return m_impl->layers; }

std::string Planner::isochrone_json(const IsochroneRequest& r) const {
    const auto& impl = *m_impl;
    const auto& graph = impl.net->graph(r.senior);
    const auto& snapper = r.senior ? impl.senior_snapper : impl.walk_snapper;
    const auto snap = snapper.nearest(graph.projection.forward(r.at), impl.options.max_snap_m);
    if (!snap) {
        throw request_error(422, "isochrone: no walkable street within " + io::format_number(impl.options.max_snap_m) +
                                     " m of the point");
    }
    std::vector<Cost> budgets;
    for (const double m : r.minutes) budgets.push_back(engine::threshold_budget(m, routing::Metric::time_ms));
    engine::IsochroneOptions options;
    options.disjoint_bands = r.disjoint;
    options.barriers = &impl.barriers;
    const routing::Origin origin = routing::origin_from_snap(*snap, 0);
    std::vector<engine::IsochroneBand> bands;
    {
        auto search = r.senior ? impl.senior_searches.take() : impl.walk_searches.take();
        bands = engine::build_isochrones(*search, {&origin, 1}, budgets, routing::Metric::time_ms, options);
    }
    const routing::LonLat snapped = graph.projection.inverse(snap->snapped);
    std::string features = "[";
    for (std::size_t b = 0; b < bands.size(); ++b) {
        const json properties = {{"minutes", r.minutes[b]},
                                 {"band", r.disjoint ? "ring" : "nested"},
                                 {"profile", r.senior ? "senior" : "walk"},
                                 {"area_m2", rounded(bands[b].area_m2, 10)},
                                 {"reached_length_m", rounded(bands[b].reached_length_m, 100)}};
        if (b != 0) features += ',';
        features += R"({"type":"Feature","properties":)" + text(properties) + R"(,"geometry":)" +
                    multipolygon_text(bands[b].polygon) + "}";
    }
    features += ']';
    const json out = {{"type", "FeatureCollection"},
                      {"origin",
                       {{"lon", r.at.lon},
                        {"lat", r.at.lat},
                        {"snapped_lon", rounded(snapped.lon, 1e7)},
                        {"snapped_lat", rounded(snapped.lat, 1e7)},
                        {"snap_distance_m", rounded(snap->distance_m, 100)}}}};
    return with_members(out, {{"features", features}});
}

engine::CoverageData Planner::scenario_data(const ScenarioRequest& request) const {
    return m_impl->scenario_data(request, nullptr);
}

namespace {

struct ScenarioOutcome {
    engine::CoverageData after;
    engine::ReportResults results;
    std::vector<engine::SiteSnap> snaps; // per added site
};

json sites_json(const ScenarioRequest& r, const std::vector<engine::SiteSnap>& snaps) {
    json sites = json::array();
    for (std::size_t k = 0; k < r.add.size(); ++k) {
        const auto& s = snaps[k];
        json row = {{"id", r.add[k].id},
                    {"lon", r.add[k].at.lon},
                    {"lat", r.add[k].at.lat},
                    {"snapped", s.origin.has_value()}};
        if (s.origin) {
            row["snapped_lon"] = rounded(s.snapped.lon, 1e7);
            row["snapped_lat"] = rounded(s.snapped.lat, 1e7);
            row["snap_distance_m"] = rounded(s.distance_m, 100);
        } else {
            row["reason"] = s.reason;
        }
        sites.push_back(std::move(row));
    }
    return sites;
}

json table_json(const engine::CoverageData& data, const engine::ReportResults& before, const engine::ReportResults& after,
                const std::string& category) {
    json rows = json::array();
    for (std::size_t k = 0; k < data.standard.targets.size(); ++k) {
        const auto& t = data.standard.targets[k];
        rows.push_back({{"id", t.id},
                        {"name_zh", t.name_zh},
                        {"name_en", t.name_en},
                        {"kind", std::string(engine::to_string(t.kind))},
                        {"categories", t.categories},
                        {"threshold", threshold_text(t)},
                        {"required", optional_number(before.targets[k].overall.required, 1e6)},
                        {"touched", names_category(t, category)},
                        {"before", unit_json(before.targets[k].overall)},
                        {"after", unit_json(after.targets[k].overall)}});
    }
    return rows;
}

} // namespace

std::string Planner::scenario_json(const ScenarioRequest& r) const {
    const auto& impl = *m_impl;
    std::vector<engine::SiteSnap> snaps;
    const auto after = impl.scenario_data(r, &snaps);
    const auto results = engine::evaluate(after);
    const auto& targets = impl.data.standard.targets;

    // Coverage of each coverage target naming the category, as far as the category is concerned
    // (with require = each the target as a whole also needs its other categories; the table has
    // the target's own result).
    json coverage = json::array();
    for (std::size_t k = 0; k < targets.size(); ++k) {
        const auto& t = targets[k];
        if (t.kind != engine::TargetKind::coverage || !names_category(t, r.category)) continue;
        const auto before = engine::covered_for(impl.data, t, r.category);
        const auto now = engine::covered_for(after, t, r.category);
        double total = 0, covered_before = 0, covered_after = 0;
        for (std::size_t i = 0; i < after.demand.size(); ++i) {
            const double w = engine::basis_weight(after.demand[i], t.basis);
            total += w;
            covered_before += before[i] ? w : 0.0;
            covered_after += now[i] ? w : 0.0;
        }
        const auto& b = impl.base.targets[k].overall;
        const auto& a = results.targets[k].overall;
        coverage.push_back({{"target", t.id},
                            {"basis", t.basis == engine::Basis::communities ? "households" : std::string(engine::to_string(t.basis))},
                            {"total", rounded(total, 100)},
                            {"covered_before", rounded(covered_before, 100)},
                            {"covered_after", rounded(covered_after, 100)},
                            {"share_before", total > 0 ? json(rounded(covered_before / total, 1e6)) : json(nullptr)},
                            {"share_after", total > 0 ? json(rounded(covered_after / total, 1e6)) : json(nullptr)},
                            {"target_status_before", std::string(engine::to_string(b.status))},
                            {"target_status_after", std::string(engine::to_string(a.status))}});
    }

    // Presence and ratio targets naming the category: every unit's status before and after,
    // indexed like the areas of /api/layers (communities or sub-districts, as the target is judged).
    json units = json::array();
    for (std::size_t k = 0; k < targets.size(); ++k) {
        const auto& t = targets[k];
        if (t.kind == engine::TargetKind::coverage || !names_category(t, r.category)) continue;
        const bool community = t.unit == engine::AreaUnit::community;
        const auto& b = community ? impl.base.targets[k].communities : impl.base.targets[k].subdistricts;
        const auto& a = community ? results.targets[k].communities : results.targets[k].subdistricts;
        json before_status = json::array(), after_status = json::array();
        std::size_t passing_before = 0, passing_after = 0, changed = 0;
        for (std::size_t u = 0; u < a.size(); ++u) {
            before_status.push_back(std::string(engine::to_string(b[u].status)));
            after_status.push_back(std::string(engine::to_string(a[u].status)));
            passing_before += b[u].status == engine::Status::pass ? 1 : 0;
            passing_after += a[u].status == engine::Status::pass ? 1 : 0;
            changed += b[u].status != a[u].status ? 1 : 0;
        }
        units.push_back({{"target", t.id},
                         {"kind", std::string(engine::to_string(t.kind))},
                         {"level", community ? (impl.base.areas.grid ? "grid" : "community") : "subdistrict"},
                         {"areas", community ? "communities" : "subdistricts"},
                         {"basis", engine::basis_name(engine::unit_basis(t))},
                         {"units", a.size()},
                         {"passing_before", passing_before},
                         {"passing_after", passing_after},
                         {"changed", changed},
                         {"status_before", std::move(before_status)},
                         {"status_after", std::move(after_status)}});
    }

    // Demand points with households left uncovered, in that sense, for the category's first
    // coverage target (none when only presence or ratio targets name it).
    std::optional<std::size_t> primary;
    for (std::size_t k = 0; k < targets.size() && !primary; ++k) {
        const auto& t = targets[k];
        if (t.kind == engine::TargetKind::coverage && names_category(t, r.category) && (t.threshold_m || t.threshold_minutes)) primary = k;
    }
    if (!primary && units.empty()) {
        throw request_error(400, "scenario: no target of standard " + impl.data.standard.id + " names category " + r.category);
    }
    const std::vector<std::uint8_t> none(after.demand.size(), 1);
    const auto covered_after = primary ? engine::covered_for(after, targets[*primary], r.category) : none;
    const auto covered_before = primary ? engine::covered_for(impl.data, targets[*primary], r.category) : none;
    std::string uncovered = R"({"type":"FeatureCollection","features":[)";
    std::size_t newly = 0;
    std::size_t count = 0;
    double uncovered_households = 0;
    for (std::size_t i = 0; i < after.demand.size(); ++i) {
        const bool now = covered_after[i] != 0;
        const bool was = covered_before[i] != 0;
        newly += (now && !was) ? 1 : 0;
        if (now || after.demand[i].households <= 0) continue;
        uncovered_households += after.demand[i].households;
        if (count++ != 0) uncovered += ',';
        uncovered += R"({"type":"Feature","geometry":{"type":"Point","coordinates":)";
        append_lonlat(uncovered, after.demand[i].location, 1e6);
        uncovered += R"(},"properties":{"households":)";
        append_number(uncovered, rounded(after.demand[i].households, 100));
        uncovered += "}}";
    }
    uncovered += "]}";
    const json out = {{"category", r.category},
                      {"sites", sites_json(r, snaps)},
                      {"removed", r.remove},
                      {"targets", table_json(impl.data, impl.base, results, r.category)},
                      {"coverage", std::move(coverage)},
                      {"units", std::move(units)},
                      {"uncovered_target", primary ? json(targets[*primary].id) : json(nullptr)},
                      {"uncovered_households", rounded(uncovered_households, 100)},
                      {"newly_covered_points", newly}};
    return with_members(out, {{"uncovered", uncovered}});
}

std::string Planner::export_json(const ScenarioRequest& r) const {
    const auto& impl = *m_impl;
    std::vector<engine::SiteSnap> snaps;
    const auto after = impl.scenario_data(r, &snaps);
    const auto results = engine::evaluate(after);
    json features = json::array();
    for (std::size_t k = 0; k < r.add.size(); ++k) {
        json props = {{"id", r.add[k].id}, {"category", r.category}, {"change", "added"}, {"snapped", snaps[k].origin.has_value()}};
        if (snaps[k].origin) props["snap_distance_m"] = rounded(snaps[k].distance_m, 100);
        features.push_back({{"type", "Feature"},
                            {"geometry", {{"type", "Point"}, {"coordinates", lonlat_json(r.add[k].at)}}},
                            {"properties", std::move(props)}});
    }
    for (const auto& id : r.remove) {
        const auto& f = impl.data.facilities[impl.facility_index.at(std::pair(r.category, id))];
        features.push_back({{"type", "Feature"},
                            {"geometry", {{"type", "Point"}, {"coordinates", lonlat_json(f.location)}}},
                            {"properties", {{"id", f.id}, {"name", f.name}, {"category", f.category}, {"change", "removed"}}}});
    }
    json out = {{"type", "FeatureCollection"},
                {"standard", impl.data.standard.id},
                {"category", r.category},
                {"targets", table_json(impl.data, impl.base, results, r.category)},
                {"attribution", "© OpenStreetMap contributors, ODbL 1.0"},
                {"features", std::move(features)}};
    return text(out, 1);
}

} // namespace yike::viz
