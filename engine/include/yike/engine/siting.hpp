#pragma once
// Site evaluation and site planning on top of a coverage run: candidate sites (from a layer, or
// generated on a regular spacing along the walking network), what each would newly bring within
// a standard's threshold, and which ones to open (maximal, set and capacity-aware covering) with
// the before/after state evaluated by the same report engine as `yike coverage`.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "yike/engine/catchment.hpp"
#include "yike/engine/coverage_run.hpp"
#include "yike/engine/planning.hpp"
#include "yike/engine/report.hpp"

namespace yike::engine {

struct CandidateSettings {
    std::filesystem::path layer;        // points or polygons (GDAL); empty: generate
    std::optional<std::string> crs;     // overrides the layer's CRS
    std::string capacity_field;         // per-candidate capacity, in units of the target's basis
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

struct SitingRun {
    CoverageData before;
    ReportResults before_results;
    std::vector<Candidate> candidates;
    std::vector<CategoryEvaluation> evaluations; // evaluate
    std::vector<CategoryPlan> plans;             // plan
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

// DIR/evaluation.csv, evaluation.md, candidates.gpkg|geojson. Atomic like write_report.
void write_evaluation(const std::filesystem::path& dir, const SitingRun& run, const SitingSettings& settings);

// DIR/plan.md, plan.csv, communities.csv (before/after per community), sites + newly_covered
// layers, before/ and after/ report folders (each with `extra_files`, see ReportOptions). Atomic
// like write_report.
void write_plan(const std::filesystem::path& dir, const SitingRun& run, const SitingSettings& settings,
                const ReportFilesFn& extra_files = {});

// The text of evaluation.md / plan.md.
std::string evaluation_markdown(const SitingRun& run, const SitingSettings& settings);
std::string plan_markdown(const SitingRun& run, const SitingSettings& settings);

} // namespace yike::engine
