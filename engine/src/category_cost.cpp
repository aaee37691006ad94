#include "yike/engine/category_cost.hpp"

#include "yike/assert.hpp"

#include <algorithm>
#include <cmath>

namespace yike::engine {

routing::Cost threshold_budget(double amount, routing::Metric metric) {
    const double budget = metric == routing::Metric::time_ms ? amount * 60'000.0 : amount * 100.0;
    YIKE_ASSERT(budget >= 0 && budget < static_cast<double>(routing::inf_cost));
    return static_cast<routing::Cost>(std::llround(budget));
}

routing::Cost target_budget(const Target& target) {
    YIKE_ASSERT(target.threshold_m.has_value() != target.threshold_minutes.has_value());
    return target.threshold_m ? threshold_budget(*target.threshold_m, routing::Metric::length_cm)
                              : threshold_budget(*target.threshold_minutes, routing::Metric::time_ms);
}

std::uint32_t threshold_cm(const Target& target, std::uint32_t speed_mm_per_s) {
    YIKE_ASSERT(target.kind == TargetKind::coverage);
    if (target.threshold_m) return target_budget(target);
    YIKE_ASSERT(target.threshold_minutes.has_value());
    YIKE_ASSERT(speed_mm_per_s > 0);
    // minutes x 60 s x mm/s = mm; /10 = cm
    return static_cast<std::uint32_t>(std::llround(*target.threshold_minutes * 60.0 * speed_mm_per_s / 10.0));
}

Network walking_network(const Target& target) {
    if (target.profile) return *target.profile;
    return target.serves == Serves::seniors ? Network::senior : Network::walk;
}

std::string_view walking_profile_name(const Target& target) { return to_string(walking_network(target)); }

TargetMeasure target_measure(const Target& target) {
    TargetMeasure m;
    m.budget = target_budget(target);
    if (target.threshold_m) {
        // Lengths do not depend on a walking speed: every group's metres are the walk network's.
        m.metric = routing::Metric::length_cm;
        m.network = Network::walk;
    } else {
        m.metric = routing::Metric::time_ms;
        m.network = walking_network(target);
    }
    return m;
}

const NearestResult& measure_of(const CategoryCosts& costs, const Target& target) {
    const TargetMeasure m = target_measure(target);
    if (m.metric == routing::Metric::length_cm) return costs.length;
    return m.network == Network::senior ? costs.senior_time : costs.walk_time;
}

SearchLimits search_limits(const Standard& standard) {
    SearchLimits limits;
    for (const auto& t : standard.targets) {
        if (t.threshold_m) {
            limits.length_cm = std::max<routing::Cost>(limits.length_cm, static_cast<routing::Cost>(*t.threshold_m * 200.0));
        }
        if (t.threshold_minutes) {
            limits.time_ms =
                std::max<routing::Cost>(limits.time_ms, static_cast<routing::Cost>(*t.threshold_minutes * 120'000.0));
        }
    }
    limits.length_cm = std::min(limits.length_cm, routing::inf_cost - 1);
    limits.time_ms = std::min(limits.time_ms, routing::inf_cost - 1);
    return limits;
}

CategoryFacilities category_facilities(const std::vector<io::FacilityRecord>& facilities, const std::string& category,
                                       std::span<const std::optional<routing::Origin>> walk,
                                       std::span<const std::optional<routing::Origin>> senior) {
    YIKE_ASSERT(walk.size() == facilities.size() && senior.size() == facilities.size());
    CategoryFacilities out;
    for (std::uint32_t f = 0; f < facilities.size(); ++f) {
        if (facilities[f].category != category) continue;
        out.facilities.push_back(f);
        out.walk.push_back(walk[f]);
        out.senior.push_back(senior[f]);
        out.capacity.push_back(facilities[f].capacity.value_or(0.0));
        out.has_capacity = out.has_capacity || facilities[f].capacity.has_value();
    }
    return out;
}

CategoryCostSearch::CategoryCostSearch(const Standard& standard, bool gaussian_decay, const routing::WalkGraph& walk,
                                       const routing::WalkGraph& senior, const std::vector<io::DemandRecord>& demand,
                                       std::span<const std::optional<routing::Origin>> demand_walk,
                                       std::span<const std::optional<routing::Origin>> demand_senior)
    : m_standard(standard), m_gaussian(gaussian_decay), m_demand(demand), m_demand_walk(demand_walk),
      m_demand_senior(demand_senior), m_limits(search_limits(standard)),
      m_walk_length(prepare_demand(walk, demand_walk, routing::Metric::length_cm)),
      m_walk_time(prepare_demand(walk, demand_walk, routing::Metric::time_ms)),
      m_senior_time(prepare_demand(senior, demand_senior, routing::Metric::time_ms)) {}

CategoryCosts CategoryCostSearch::costs(const std::string& category, const CategoryFacilities& facilities,
                                        routing::BoundedSearch& walk, routing::BoundedSearch& senior) const {
    CategoryCosts out;
    out.category = category;
    out.facilities = facilities.facilities;
    out.length = nearest_facilities(walk, m_walk_length, facilities.walk, m_limits.length_cm);
    out.walk_time = nearest_facilities(walk, m_walk_time, facilities.walk, m_limits.time_ms);
    out.senior_time = nearest_facilities(senior, m_senior_time, facilities.senior, m_limits.time_ms);
    // Without any capacity every ratio would be 0: no catchment, whatever the command.
    if (facilities.has_capacity) {
        if (const auto definition = catchment_definition(m_standard, category, m_gaussian)) {
            out.catchment = category_catchment(*definition, walk, senior, m_demand,
                                               {m_demand_walk, m_demand_senior, facilities.walk, facilities.senior,
                                                facilities.capacity});
        }
    }
    return out;
}

FacilityReach facility_reach(const CoverageData& data, const Target& target, std::span<const std::string> categories,
                             std::span<const std::optional<routing::Origin>> walk,
                             std::span<const std::optional<routing::Origin>> senior) {
    FacilityReach reach;
    reach.measure = target_measure(target);
    const auto positions = reach.measure.network == Network::senior ? senior : walk;
    for (std::size_t i = 0; i < data.facilities.size() && i < positions.size(); ++i) {
        const auto& f = data.facilities[i];
        if (std::find(categories.begin(), categories.end(), f.category) == categories.end() || !positions[i]) continue;
        routing::Origin o = *positions[i];
        o.source = static_cast<std::uint32_t>(reach.origins.size());
        reach.origins.push_back(o);
    }
    return reach;
}

bool search_reach(routing::BoundedSearch& search, const FacilityReach& reach) {
    if (reach.origins.empty()) return false;
    search.run(std::span<const routing::Origin>(reach.origins), reach.measure.budget, reach.measure.metric,
               routing::Direction::to_sources);
    return true;
}

} // namespace yike::engine
