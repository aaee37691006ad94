#pragma once
// The floating catchment (2SFCA / E2SFCA) of a category, defined once for every command: which
// target sets it, on which network and measure it is searched, and what its demand weight is.
// coverage, evaluate, plan, tiles and the web planner all call this; see doc/catchment.md.
#include "yike/engine/coverage.hpp"
#include "yike/engine/report.hpp"
#include "yike/engine/standards.hpp"
#include "yike/io/inputs.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace yike::engine {

struct CatchmentDefinition {
    std::size_t target = 0;  // index into Standard::targets: the first coverage target naming the category
    CatchmentOptions options; // measure, threshold d0 (cm or ms) and decay
    bool senior_network = false; // the target's network (target_measure, category_cost.hpp)
    Basis basis = Basis::households; // demand weight: the target's basis (communities: households)
};

// The catchment of `category` under `standard`, or nullopt when no coverage target with a
// threshold names it. `gaussian`: E2SFCA (Gaussian decay) instead of 2SFCA.
std::optional<CatchmentDefinition> catchment_definition(const Standard& standard, const std::string& category,
                                                        bool gaussian);

// One demand record's weight for a basis (communities are judged by their households).
double basis_weight(const io::DemandRecord& demand, Basis basis);

// "2sfca" or "e2sfca": the suffix of the layer columns holding a catchment's figures.
std::string_view catchment_method(const CatchmentOptions& options);

// The Gaussian decay's β in (metric unit)² actually used: the given one, else the one that makes
// w(d0/2) = 0.5. 0 without decay.
double gaussian_beta(const CatchmentOptions& options);

// Where the demand and one category's facilities sit on each network (their snaps; unset: not
// snapped), with the facilities' capacities: what a category's catchment is computed from.
struct CatchmentSites {
    std::span<const std::optional<routing::Origin>> demand_walk;
    std::span<const std::optional<routing::Origin>> demand_senior;
    std::span<const std::optional<routing::Origin>> facilities_walk;
    std::span<const std::optional<routing::Origin>> facilities_senior;
    std::span<const double> capacity; // per facility
};

// Runs the category's catchment: demand weights from the definition's basis, searched on the walk
// or the senior network as the definition says. `walk` / `senior` are searches on those graphs.
CatchmentResult category_catchment(const CatchmentDefinition& definition, routing::BoundedSearch& walk,
                                   routing::BoundedSearch& senior, const std::vector<io::DemandRecord>& demand,
                                   const CatchmentSites& sites);

// ---- what a report says of a category's catchment --------------------------------------------

// Access figures over a set of demand points, weighted by the catchment's basis. Unsnapped points
// count, with access 0.
struct AccessFigures {
    double demand = 0;         // basis weight of the points
    double within_reach = 0;   // ... of those with access > 0
    double mean_access = 0;    // weighted mean of access (0 without demand)
    double zero_access_share = 0; // (demand - within_reach) / demand (0 without demand)
};

struct CatchmentSummary {
    std::string category;
    CatchmentDefinition definition;
    std::uint32_t facilities = 0;               // of the category
    std::uint32_t facilities_with_capacity = 0;
    double total_capacity = 0;
    AccessFigures all;                          // every demand point
    std::optional<double> supply_per_1000;      // total capacity per 1,000 of the basis (unset: no demand)
    // Access over the points with a positive weight (unset: none), each point counted once.
    std::optional<double> access_min, access_median, access_max;
    std::vector<AccessFigures> communities;     // indexed like AreaAssignment::communities
    std::vector<AccessFigures> subdistricts;    // indexed like AreaAssignment::subdistricts
};

// One summary per category that has a catchment, in category id order.
std::vector<CatchmentSummary> summarize_catchments(const CoverageData& data, const AreaAssignment& areas);

} // namespace yike::engine
