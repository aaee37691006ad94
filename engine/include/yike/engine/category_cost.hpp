#pragma once
// What one category costs, defined once for every command: the integer budget of a target, the
// search limits of a standard, the network and measure a target is judged on, the costs and
// catchment of one category, and the reach of a target's facilities. coverage, evaluate, plan, the
// web planner, the HTML report, `yike render` and `yike isochrone` all call this, so that a plan's
// after-state is what a coverage run with the planned sites would report.
#include "yike/engine/catchment.hpp"
#include "yike/engine/coverage.hpp"
#include "yike/engine/report.hpp"
#include "yike/engine/standards.hpp"
#include "yike/io/inputs.hpp"
#include "yike/routing/search.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace yike::engine {

// ---- budgets -------------------------------------------------------------------------------

// A threshold as an integer search budget: minutes as milliseconds (Metric::time_ms), metres as
// centimetres (Metric::length_cm), rounded to the nearest unit.
routing::Cost threshold_budget(double amount, routing::Metric metric);

// The budget of a coverage target's threshold (exactly one of minutes or metres is set).
routing::Cost target_budget(const Target& target);

// A coverage target's threshold as a walking distance in cm: metres as given, minutes walked at
// `speed_mm_per_s`; so that thresholds in metres and minutes can be compared.
std::uint32_t threshold_cm(const Target& target, std::uint32_t speed_mm_per_s);

// ---- networks and measures -----------------------------------------------------------------

// The network a target's minutes are walked on: its `profile` key when given, else the senior
// network for targets serving seniors and the walk network otherwise. Also the network of the
// 15-minute walks of presence and ratio targets.
Network walking_network(const Target& target);

// The name of walking_network() ("walk", "senior"), as reports print it.
std::string_view walking_profile_name(const Target& target);

// What a coverage target is judged on: metres are network lengths on the walk network (whatever
// the group served), minutes are walking times on walking_network(); the budget is the threshold's.
struct TargetMeasure {
    routing::Metric metric = routing::Metric::time_ms;
    Network network = Network::walk;
    routing::Cost budget = 0;

    friend bool operator==(const TargetMeasure&, const TargetMeasure&) = default;
};
TargetMeasure target_measure(const Target& target); // asserts a threshold

// Of a category's costs, the result a target judges: lengths, walk times or senior times.
const NearestResult& measure_of(const CategoryCosts& costs, const Target& target);

// The searches of every run reach twice the largest threshold of the standard, at least 5 km and
// 60 minutes (the distance layers show how far beyond a threshold a household is). Costs within a
// threshold do not depend on the limit; one limit keeps every recomputation equal to the run's.
struct SearchLimits {
    routing::Cost length_cm = 500'000;
    routing::Cost time_ms = 3'600'000;
};
SearchLimits search_limits(const Standard& standard);

// ---- the costs of one category -------------------------------------------------------------

// One category's facilities as the searches take them, in facility order.
struct CategoryFacilities {
    std::vector<std::uint32_t> facilities;           // indices into the facility records
    std::vector<std::optional<routing::Origin>> walk; // positions on the walk network
    std::vector<std::optional<routing::Origin>> senior;
    std::vector<double> capacity;                    // 0 where a facility has none
    bool has_capacity = false;                       // some facility has a capacity
};

// The facilities of `category`; `walk` and `senior` are their positions, indexed like `facilities`.
CategoryFacilities category_facilities(const std::vector<io::FacilityRecord>& facilities, const std::string& category,
                                       std::span<const std::optional<routing::Origin>> walk,
                                       std::span<const std::optional<routing::Origin>> senior);

// What every category of a run is searched from: the demand on both networks, prepared once for
// the three measures, and the standard's search limits. Keeps references to its arguments, which
// must outlive it. Const calls are thread-safe with one pair of searches per thread.
class CategoryCostSearch {
public:
    CategoryCostSearch(const Standard& standard, bool gaussian_decay, const routing::WalkGraph& walk,
                       const routing::WalkGraph& senior, const std::vector<io::DemandRecord>& demand,
                       std::span<const std::optional<routing::Origin>> demand_walk,
                       std::span<const std::optional<routing::Origin>> demand_senior);

    // The category's costs: the nearest facility by network length and by walking time on the walk
    // network, by walking time on the senior network, each within the limits; and its floating
    // catchment when the standard defines one (catchment.hpp) and some facility has a capacity.
    // `walk` and `senior` are searches on the two graphs.
    CategoryCosts costs(const std::string& category, const CategoryFacilities& facilities,
                        routing::BoundedSearch& walk, routing::BoundedSearch& senior) const;

    const SearchLimits& limits() const noexcept { return m_limits; }

private:
    const Standard& m_standard;
    bool m_gaussian = false;
    const std::vector<io::DemandRecord>& m_demand;
    std::span<const std::optional<routing::Origin>> m_demand_walk;
    std::span<const std::optional<routing::Origin>> m_demand_senior;
    SearchLimits m_limits;
    PreparedDemand m_walk_length;
    PreparedDemand m_walk_time;
    PreparedDemand m_senior_time;
};

// ---- the reach of a target's facilities ----------------------------------------------------

// The facilities of `categories` as the origins of one search towards them, on the network the
// target is judged on: whoever that search reaches within the budget walks to one of them in time
// (the coverage of the target, drawn). `walk` / `senior` are the facilities' positions on the two
// networks, indexed like data.facilities; the origins are numbered in facility order.
struct FacilityReach {
    TargetMeasure measure;
    std::vector<routing::Origin> origins; // empty: no facility of the categories is on the network
};
FacilityReach facility_reach(const CoverageData& data, const Target& target, std::span<const std::string> categories,
                             std::span<const std::optional<routing::Origin>> walk,
                             std::span<const std::optional<routing::Origin>> senior);

// Runs the reach's search towards its origins (routing::Direction::to_sources) within its budget;
// `search` is on the graph of reach.measure.network. Returns false, without searching, when there
// is no origin.
bool search_reach(routing::BoundedSearch& search, const FacilityReach& reach);

} // namespace yike::engine
