#pragma once
// Site evaluation and site planning on top of a coverage run: candidate sites (from a layer, or
// generated on a regular spacing along the walking network), what each would newly bring within
// a standard's threshold, and which ones to open (maximal, set and capacity-aware covering) with
// the before/after state evaluated by the same report engine as `yike coverage`. The folders that
// present a run are written by viz (yike/viz/siting_report.hpp).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "yike/engine/catchment.hpp"
#include "yike/engine/coverage_run.hpp"
#include "yike/engine/planning.hpp"
#include "yike/engine/report.hpp"

namespace yike::engine {

struct CandidateSettings {
    std::filesystem::path layer;        // points or polygons (GDAL); empty: generate
    std::optional<std::string> crs;     // overrides the layer's CRS
    std::string sheet;                  // sheet (or layer) of the candidate file; empty: the first
    std::optional<std::string> mask_crs; // the mask's CRS; empty: crs
    std::string mask_sheet;
    std::string encoding;               // CSV text encoding of both ("" detects: UTF-8 or GBK/GB18030)
    std::string capacity_field;         // per-candidate capacity, in units of the target's basis
    std::string floor_area_field;       // per-candidate floor area (m²), for ratio targets
    std::string staff_field;            // per-candidate staff (workers), for ratio targets
    double spacing_m = 0;               // > 0: generate candidates on this spacing along the network
    bool only_uncovered = false;        // keep only candidates that would newly cover some demand
    std::filesystem::path mask;         // polygons in which no candidate may lie
}; // struct CandidateSettings

enum class PlanMode { maximal, set_cover, capacitated };

struct SitingSettings {
    CoverageSettings coverage;
    CandidateSettings candidates;
    // evaluate: exactly one category; plan: empty means every category of the standard's coverage targets.
    std::vector<std::string> categories;
    std::string target;                 // target id deciding threshold and weights; empty: the first coverage target naming the category
    std::optional<double> capacity;     // the same capacity for every candidate (overrides capacity_field)

    PlanMode mode = PlanMode::maximal;
    std::uint32_t k = 0;                // maximal / capacitated
    double target_share = 0;            // set_cover
    PlanOptions plan;
}; // struct SitingSettings

// What --out may replace: the coverage run's guard plus the candidate and mask layers.
io::OutputGuard output_guard(const SitingSettings& settings);

struct Candidate {
    std::string id;
    std::string name;
    routing::LonLat location;           // as given, or the generated network location
    std::optional<double> capacity;
    std::optional<double> floor_area_m2;
    std::optional<double> staff;
    SiteSnap walk;                      // snapped on the walk profile's network
    SiteSnap senior;                    // snapped on the senior profile's network
}; // struct Candidate

// How a category is judged: the coverage target, its measure and the weight it counts.
struct CategoryTarget {
    std::string category;
    std::size_t target = 0;             // index into Standard::targets
    routing::Metric metric = routing::Metric::time_ms;
    bool senior = false;                // minutes on the senior profile
    routing::Cost threshold = 0;        // cm or ms
    std::vector<double> weight;         // per demand point (the target's basis)
    std::vector<std::uint8_t> covered;  // per demand point: covered by existing facilities for the target
    double total_weight = 0;
    double covered_weight = 0;
}; // struct CategoryTarget

struct EvaluationRow {
    std::uint32_t candidate = 0;        // index into SitingRun::candidates
    double newly_covered = 0;           // uncovered weight brought within the threshold
    double newly_covered_households = 0;
    double newly_covered_population = 0;
    double newly_covered_seniors = 0;
    double newly_covered_children = 0;
    double served = 0;                  // all weight within the threshold
    double overlap = 0;                 // served weight already covered by existing facilities
    std::optional<double> nearest_existing; // network distance (m) or time (min) to the nearest existing facility
    // The candidate's floating-catchment ratio (capacity per unit of the catchment's basis, see
    // catchment.hpp) as if it were the category's only facility; unset without capacity or demand.
    std::optional<double> catchment_ratio;
    std::optional<double> load;         // served weight / capacity
}; // struct EvaluationRow

struct CategoryEvaluation {
    CategoryTarget target;
    std::vector<std::uint32_t> candidates; // candidates considered (after --only-uncovered)
    std::vector<EvaluationRow> rows;        // ranked: newly covered, then served, then candidate order
    std::optional<CatchmentDefinition> catchment; // the category's catchment (unset: no target with a threshold)
}; // struct CategoryEvaluation

struct CategoryPlan {
    CategoryTarget target;
    std::vector<std::uint32_t> candidates;  // candidates considered
    PlanResult result;                      // `chosen` indexes `candidates`
    std::vector<std::uint32_t> sites;       // chosen, as indices into SitingRun::candidates, in order
    std::vector<std::uint32_t> new_facilities; // index into `after.facilities` of each chosen site
    double covered_after = 0;               // weight covered for the target's basis after
    std::vector<std::uint32_t> newly_covered; // demand indices covered after and not before
}; // struct CategoryPlan

// One chosen site of a coverage plan: the row plan.md, plan.csv and the Python module's plan rows show.
struct PlanSiteRow {
    std::uint32_t order = 0;            // 1-based, in plan order
    std::uint32_t candidate = 0;        // index into SitingRun::candidates
    double marginal_gain = 0;           // PlanResult::marginal_gain of the site
    double cumulative = 0;              // the gains of the sites up to this one
    double cumulative_share = 0;        // covered share of the target's basis with those sites
    std::optional<double> served;       // capacity-aware plans: the demand the site serves
}; // struct PlanSiteRow

// The rows of `plan`'s sites, in plan order.
std::vector<PlanSiteRow> plan_site_rows(const CategoryPlan& plan);

// ---- presence and ratio targets, unit by unit -------------------------------------------------

// The walking budgets a candidate's served demand is counted within for presence and ratio
// targets (on the target's walking profile): 5, 10 and 15 minutes.
inline constexpr std::uint32_t unit_reach_minutes[3] = {5, 10, 15};
// The nearest existing facility of a candidate judged per unit is searched up to 4 × this (1,500 m).
inline constexpr std::uint32_t unit_nearest_search_cm = 150'000;

// A failing unit (community, grid cell or sub-district) of a presence or ratio target.
struct UnitNeed {
    std::uint32_t unit = 0;            // index into the target's level of ReportResults::areas
    double weight = 0;                 // the unit's basis (unit_basis)
    // presence: the categories it lacks (require any: all of the target's) and those to add
    std::vector<std::string> missing;
    std::vector<std::string> need;
    // presence: the site chosen inside the unit (index into SitingRun::candidates), one for every
    // category of `need`; invalid_id when no candidate lies inside
    std::uint32_t site = routing::invalid_id;
    double site_reached = 0;           // the unit's basis within 15 minutes of the site
    double site_total_time_min = 0;    // their total walking time (minutes × basis)
    std::string unfixable;             // why no plan of the given categories can make it pass; empty: it can
    // ratio: what is missing in the target's unit (m², workers) and the least-cost candidates inside
    // the unit closing it (empty when they cannot, or candidates carry no such figure)
    double shortfall = 0;
    std::vector<std::uint32_t> ratio_sites;
    bool chosen = false;               // part of the plan
}; // struct UnitNeed

struct UnitPlan {
    std::size_t target = 0;                 // index into Standard::targets (presence or ratio)
    std::vector<std::string> categories;    // the categories planned (presence: those the sites get)
    Basis basis = Basis::population;        // what a unit's weight counts (unit_basis)
    std::uint32_t units = 0;                // units at the target's level
    std::uint32_t passing_before = 0;
    std::uint32_t assessed = 0;             // passing + failing units
    std::vector<UnitNeed> needs;            // the failing units, in unit order
    PlanResult result;                      // presence: `chosen` indexes `needs`
    std::uint32_t candidates_inside = 0;    // snapped candidates inside some unit of the level
    std::vector<std::string> notes;         // grid cells used, candidates outside every unit, ...
    // (category, candidate) of every new site, in plan order
    std::vector<std::pair<std::string, std::uint32_t>> sites;
}; // struct UnitPlan

// One candidate judged against a presence or ratio target.
struct UnitEvaluationRow {
    std::uint32_t candidate = 0;
    std::uint32_t unit = routing::invalid_id;   // the unit it lies in (invalid_id: outside every unit)
    std::string effect;                         // "passes", "already passes", "also lacks …", ...
    bool makes_pass = false;
    double unit_weight = 0;                     // the unit's basis
    double served[3] = {0, 0, 0};               // basis within unit_reach_minutes
    double gain_15min = 0;                      // of it, without a facility of the category within 15 minutes
    std::optional<double> nearest_existing_m;   // network distance to the nearest facility of the category
}; // struct UnitEvaluationRow

struct UnitEvaluation {
    std::size_t target = 0;
    std::string category;
    Basis basis = Basis::population;
    std::vector<UnitEvaluationRow> rows;        // ranked: makes its unit pass, gain, served, candidate order
    std::vector<std::string> notes;
}; // struct UnitEvaluation

// The basis a presence or ratio target is weighted by: the group it serves (seniors, children,
// households; all: population); a coverage target's own basis.
Basis unit_basis(const Target& target);

struct SitingRun {
    CoverageData before;
    ReportResults before_results;
    std::vector<Candidate> candidates;
    std::vector<CategoryEvaluation> evaluations; // evaluate
    std::vector<CategoryPlan> plans;             // plan
    std::vector<UnitEvaluation> unit_evaluations; // evaluate against a presence or ratio target
    std::vector<UnitPlan> unit_plans;             // plan of presence and ratio targets
    CoverageData after;                          // plan: existing facilities plus every chosen site
    ReportResults after_results;
    // The graphs and positions of the coverage run (`before`), kept for maps of the results.
    std::shared_ptr<const CoverageNetworks> networks;
    // plan: per facility of `after`, its position on the senior profile's network (the walk
    // profile's positions are after.facility_snaps).
    std::vector<std::optional<routing::Origin>> after_facility_senior;
}; // struct SitingRun

// The target judging `category`: `target_id` when given (a coverage target naming the category,
// else config_error), otherwise the first coverage target naming it; config_error when none does.
std::size_t target_for_category(const Standard& standard, const std::string& category, const std::string& target_id);

// Per demand point, 1 when covered for `target` as far as `category` is concerned (as site
// planning judges it): with require = any, any of the target's categories within the threshold;
// with require = each, this category within it. Unsnapped demand is never covered.
// `category_state`, when given, supplies the costs of `category` itself (a plan's after-state with
// its own sites) while the target's other categories keep theirs from `data`: a plan's gains then
// add up to its after-state even when other categories of the same "any" target are planned too.
std::vector<std::uint8_t> covered_for(const CoverageData& data, const Target& target, const std::string& category,
                                      const CoverageData* category_state = nullptr);

// The name of a target's basis in plan and evaluation tables (communities are counted in households).
std::string basis_name(Basis basis);

// The warning for candidates that could not be snapped (how many, and the first with its reason),
// or nullopt when all were: the command prints it, the Python module returns it.
std::optional<std::string> unsnapped_candidates_warning(const SitingRun& run);

// Runs the coverage, builds the candidates and evaluates each (one category). Throws yike::error
// subclasses for bad input (no candidates, unknown category, negative capacities, ...).
SitingRun run_site_evaluation(const SitingSettings& settings, const ProgressFn& progress = {});

// Runs the coverage and plans each category, then evaluates the standard again with the chosen
// sites added as facilities.
SitingRun run_site_plan(const SitingSettings& settings, const ProgressFn& progress = {});

} // namespace yike::engine
