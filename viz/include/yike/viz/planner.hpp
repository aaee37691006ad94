#pragma once
// The web planner's engine: a coverage run loaded once, answering isochrone and what-if scenario
// requests (add, move or remove facilities of one category) with JSON for `yike serve`.
//
// Requests are parsed by pure functions (parse_isochrone_request, parse_scenario_request) that
// take the raw request body and throw request_error carrying the HTTP status to answer with; they
// never touch files, the network or global state, so a fuzzer can call them directly. Planner
// methods are const and thread-safe: the graphs and the base run are immutable, and search
// objects come from a pool.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "yike/engine/coverage_run.hpp"
#include "yike/engine/report.hpp"
#include "yike/error.hpp"
#include "yike/routing/geo.hpp"

namespace yike::viz {

// A request the planner will not answer; `status()` is the HTTP status (400 malformed or out of
// range, 413 too large, 422 well-formed but unanswerable, e.g. a point off the network).
class request_error : public yike::error {
public:
    request_error(int status, const std::string& message) : yike::error(message), m_status(status) {}
    [[nodiscard]] int status() const noexcept { return m_status; }

private:
    int m_status;
}; // class request_error

// Bounds on what one request may ask for.
struct PlannerLimits {
    std::size_t max_body_bytes = 64 * 1024; // larger bodies: 413
    std::size_t max_bands = 6;              // isochrone budgets per request
    double max_minutes = 60.0;              // largest isochrone budget
    std::size_t max_sites = 100;            // added plus removed sites per scenario (more: 413)
    std::size_t max_id_chars = 100;         // site and category ids
}; // struct PlannerLimits

// POST /api/isochrone: {"lon": 7.42, "lat": 43.73, "minutes": [5, 10, 15], "profile": "walk",
// "bands": "nested"}; minutes, profile ("walk" or "senior") and bands ("nested" or "disjoint")
// are optional (default budgets: those of 5, 10, 15 within the limits' max_minutes and max_bands,
// else max_minutes alone). Budgets come back sorted and without duplicates.
struct IsochroneRequest {
    routing::LonLat at;
    std::vector<double> minutes;
    bool senior = false;
    bool disjoint = false;
}; // struct IsochroneRequest

struct SiteInput {
    std::string id;
    routing::LonLat at;
}; // struct SiteInput

// POST /api/scenario and /api/export: {"category": "convenience", "add": [{"id": "a",
// "lon": 7.42, "lat": 43.73}], "remove": ["n123"]}; add and remove are optional. Ids in add are
// unique, and so are those in remove.
struct ScenarioRequest {
    std::string category;
    std::vector<SiteInput> add;
    std::vector<std::string> remove;
}; // struct ScenarioRequest

// Both throw request_error: 413 when the body is longer than limits.max_body_bytes or names more
// budgets or sites than allowed; 400 for anything else wrong (not JSON, not an object, a missing
// or unknown field, a wrong type, a coordinate outside lon/lat bounds, a budget outside
// (0, max_minutes], an empty or overlong id, a duplicate id).
[[nodiscard]] IsochroneRequest parse_isochrone_request(std::string_view body, const PlannerLimits& limits);
[[nodiscard]] ScenarioRequest parse_scenario_request(std::string_view body, const PlannerLimits& limits);

struct PlannerOptions {
    PlannerLimits limits;
    double max_snap_m = 300.0;   // added sites (the run's setting); isochrone origins use the same
    bool gaussian_decay = false; // the run's catchment decay (recomputed for capacities)
}; // struct PlannerOptions

class Planner {
public:
    // Evaluates the base run once and prepares what every scenario reuses.
    Planner(engine::CoverageData data, std::unique_ptr<engine::CoverageNetworks> networks, PlannerOptions options = {});
    ~Planner();
    Planner(const Planner&) = delete;
    Planner& operator=(const Planner&) = delete;

    [[nodiscard]] const PlannerLimits& limits() const noexcept;
    [[nodiscard]] const engine::CoverageData& data() const noexcept;
    [[nodiscard]] const engine::ReportResults& base_results() const noexcept;

    // GET /api/info and GET /api/layers: built once, returned as they are.
    [[nodiscard]] const std::string& info_json() const noexcept;
    [[nodiscard]] const std::string& layers_json() const noexcept;

    // GeoJSON FeatureCollection, one feature per budget; request_error 422 when the point is
    // farther than max_snap_m from the profile's network.
    [[nodiscard]] std::string isochrone_json(const IsochroneRequest& request) const;

    // The scenario's effect: every target before and after, coverage of the category's targets,
    // the sites as snapped, and the demand points still uncovered for the category's first
    // coverage target. request_error 400 for a category without a coverage target in the standard
    // or a removed id that is not a facility of the category.
    [[nodiscard]] std::string scenario_json(const ScenarioRequest& request) const;

    // GeoJSON of the added and removed sites with the before/after target table as a member.
    [[nodiscard]] std::string export_json(const ScenarioRequest& request) const;

    // The scenario evaluated by the engine's report code (for tests and the export).
    [[nodiscard]] engine::CoverageData scenario_data(const ScenarioRequest& request) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
}; // class Planner

} // namespace yike::viz
