#pragma once
// Pieces of siting.cpp shared with unit_siting.cpp (presence and ratio targets): candidate
// positions, the nearest existing facility and the entry points of the unit-by-unit planning.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "yike/engine/siting.hpp"

namespace yike::engine::detail {

// The candidates of `subset` as search origins on the walk or senior network, `source` = position in `subset`.
std::vector<std::optional<routing::Origin>> candidate_origins(const std::vector<Candidate>& candidates,
                                                              const std::vector<std::uint32_t>& subset, bool senior);

// Network distance (m, metric length) or time (min) from each candidate of `subset` to the
// nearest existing facility of ct.category, searched up to four times ct.threshold.
std::vector<std::optional<double>> nearest_existing(const CoverageData& data, const CoverageNetworks& net,
                                                    const std::vector<Candidate>& candidates,
                                                    const std::vector<std::uint32_t>& subset, const CategoryTarget& ct);

// What a plan or evaluation is judged against: the coverage categories (as before) and the
// presence or ratio targets with the categories planned for each. Throws config_error naming the
// category or target that no target of the standard can judge.
struct SitingJobs {
    std::vector<std::string> coverage_categories;
    std::vector<std::pair<std::size_t, std::vector<std::string>>> unit_targets;
};
SitingJobs siting_jobs(const SitingSettings& s, const Standard& standard, bool plan);

// Plans one presence or ratio target; the sites are in `plan.sites`.
UnitPlan plan_unit_target(const SitingSettings& s, const SitingRun& run, const CoverageNetworks& net, std::size_t target,
                          const std::vector<std::string>& categories);

// Evaluates every candidate against one presence or ratio target for `category`.
UnitEvaluation evaluate_unit_target(const SitingSettings& s, const SitingRun& run, const CoverageNetworks& net,
                                    std::size_t target, const std::string& category);

} // namespace yike::engine::detail
