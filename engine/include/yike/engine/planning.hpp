#pragma once
// Site planning: which new facilities close the gaps. Candidate reach sets (the demand each
// candidate site would serve within a threshold), maximal covering (best k sites), set covering
// (fewest sites reaching a target share) and a capacity-aware variant, with existing facilities
// fixed. Lazy greedy plus swap improvement, with an upper bound on the optimum so that every
// answer states how far from optimal it can be; an exact ILP (GLPK) for small instances.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "yike/engine/coverage.hpp"
#include "yike/routing/graph.hpp"
#include "yike/routing/search.hpp"

namespace yike::engine {

// For every candidate, the demand points within the threshold and their costs, in CSR form.
struct ReachSets {
    std::vector<std::uint32_t> first;  // candidate count + 1
    std::vector<std::uint32_t> demand; // demand indices, ascending within a candidate
    std::vector<routing::Cost> cost;   // cost from the candidate to that demand point
    [[nodiscard]] std::uint32_t candidate_count() const noexcept {
        return first.empty() ? 0 : static_cast<std::uint32_t>(first.size() - 1);
    }
};

// One bounded search per candidate (candidates spread over `threads`, one search object each),
// evaluated at the prepared demand exactly as nearest_facilities does (both edge ends, same edge,
// both off-network legs). Unsnapped candidates reach nothing.
ReachSets build_reach_sets(const routing::WalkGraph& graph, const PreparedDemand& demand,
                           std::span<const std::optional<routing::Origin>> candidates, routing::Cost threshold,
                           unsigned threads = 0);

struct CoveringProblem {
    const ReachSets* reach = nullptr;
    std::vector<double> weight;              // per demand point (households, seniors, ... as the target says), >= 0
    std::vector<std::uint8_t> covered;       // per demand point: 1 when an existing facility already covers it
    std::vector<double> capacity;            // per candidate; empty: uncapacitated
    // Capacity-aware only: demand already served by existing facilities is not available.
};

struct PlanOptions {
    std::uint32_t swap_rounds = 50;   // improvement phase: rounds of best-improvement swaps
    bool exact = false;               // solve the ILP with GLPK (small instances)
    double exact_time_limit_s = 60.0;
    unsigned threads = 0;             // worker threads (0: all cores); results do not depend on it
};

struct PlanResult {
    std::vector<std::uint32_t> chosen;  // candidate indices in the order chosen
    std::vector<double> marginal_gain;  // newly covered (or served) weight of each, in that order
    double objective = 0;               // weight newly covered/served by all chosen sites
    double upper_bound = 0;             // no selection of this size can do better than this
    double gap = 0;                     // (upper_bound - objective) / upper_bound, 0 when optimal
    bool optimal = false;               // proven optimal (exact mode, or bound met)
    std::string method;                 // e.g. "lazy greedy + swap; bound: LP relaxation"
    // set covering: the target share could not be reached; these demand points (with weight > 0)
    // are within reach of no candidate and not covered by existing facilities.
    bool target_reachable = true;
    std::vector<std::uint32_t> unreachable_demand;
    std::vector<double> served;         // capacity-aware: weight assigned to each chosen site
};

// Best k sites: maximise the uncovered weight newly covered. k larger than the candidates, or
// a weight < 0, is a config_error.
PlanResult maximal_covering(const CoveringProblem& problem, std::uint32_t k, const PlanOptions& options = {});

// Fewest sites so that covered weight / total weight >= target_share (existing coverage counts).
PlanResult set_covering(const CoveringProblem& problem, double target_share, const PlanOptions& options = {});

// Best k sites when each new site serves at most its capacity: demand within the threshold is
// assigned to chosen sites without exceeding capacities; the objective counts only served weight.
// Missing or negative capacities are a config_error.
PlanResult capacitated_covering(const CoveringProblem& problem, std::uint32_t k, const PlanOptions& options = {});

// Whole units to make pass (presence targets, yike/engine/siting.hpp): unit u passes once it gets
// cost[u] new sites (one per category it lacks) and then counts weight[u] (its households, seniors…).
struct UnitSelection {
    std::vector<double> weight;        // >= 0
    std::vector<std::uint32_t> cost;   // >= 1 sites
}; // struct UnitSelection

// The units of most total weight within `k` sites (a knapsack): greedy by weight per site, the
// bound from the LP relaxation (exact, with the optimum met, when every unit needs one site);
// options.exact solves the integer program with GLPK. `chosen` indexes the units, in decreasing
// weight per site; marginal_gain holds each unit's weight.
PlanResult best_units(const UnitSelection& units, std::uint32_t k, const PlanOptions& options = {});

// The fewest sites making `needed` units pass: the units needing the fewest sites first (ties:
// the heavier), which is optimal; target_reachable is false (and every unit chosen) when fewer
// than `needed` units are given. objective = weight of the chosen units.
PlanResult fewest_units(const UnitSelection& units, std::uint32_t needed, const PlanOptions& options = {});

} // namespace yike::engine
