// The parts the covering solvers share: input checks, covered weight, the LP model and the gap.
#include "detail/covering_parts.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "yike/assert.hpp"
#include "yike/error.hpp"

namespace yike::engine::detail {

// ---- validation ------------------------------------------------------------------------------

void check_problem(const CoveringProblem& p, const char* what) {
    if (p.reach == nullptr) {
        throw config_error(std::string(what) + ": no candidate reach sets given");
    }
    const std::size_t n = p.weight.size();
    if (!p.covered.empty() && p.covered.size() != n) {
        throw config_error(std::string(what) + ": " + std::to_string(p.covered.size()) + " coverage flags for " +
                           std::to_string(n) + " demand points");
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (!(p.weight[i] >= 0.0) || std::isinf(p.weight[i])) {
            throw config_error(std::string(what) + ": demand point " + std::to_string(i) + " has weight " +
                               std::to_string(p.weight[i]) + " (must be a finite number >= 0)");
        }
    }
    const ReachSets& r = *p.reach;
    YIKE_ASSERT(r.first.empty() ? r.demand.empty() : r.first.back() == r.demand.size());
    for (const std::uint32_t i : r.demand) {
        if (i >= n) {
            throw config_error(std::string(what) + ": reach sets name demand point " + std::to_string(i) + " of " +
                               std::to_string(n));
        }
    }
}

void check_k(const CoveringProblem& p, std::uint32_t k, const char* what) {
    if (k > p.reach->candidate_count()) {
        throw config_error(std::string(what) + ": " + std::to_string(k) + " sites asked for among " +
                           std::to_string(p.reach->candidate_count()) + " candidates");
    }
}

// The weight each demand point can still add: 0 when an existing facility covers it.
std::vector<double> open_weight(const CoveringProblem& p) {
    std::vector<double> w = p.weight;
    for (std::size_t i = 0; i < p.covered.size(); ++i) {
        if (p.covered[i] != 0) {
            w[i] = 0.0;
        }
    }
    return w;
}

double tolerance(std::span<const double> w) {
    double total = 0.0;
    for (const double x : w) {
        total += x;
    }
    return 1e-9 * (1.0 + total);
}

double covered_weight(const ReachSets& reach, std::span<const double> weight, std::span<const std::uint32_t> sites) {
    std::vector<std::uint8_t> hit(weight.size(), 0);
    for (const std::uint32_t j : sites) {
        for (std::uint32_t p = reach.first[j]; p < reach.first[j + 1]; ++p) {
            hit[reach.demand[p]] = 1;
        }
    }
    double total = 0.0;
    for (std::size_t i = 0; i < weight.size(); ++i) {
        if (hit[i] != 0) {
            total += weight[i];
        }
    }
    return total;
}

// merged when the same candidates reach them. `merge` false keeps one group per point.
detail::CoverModel cover_model(const ReachSets& reach, std::span<const double> w, bool merge) {
    const std::uint32_t m = reach.candidate_count();
    std::vector<std::vector<std::uint32_t>> by_demand(w.size());
    for (std::uint32_t j = 0; j < m; ++j) {
        for (std::uint32_t p = reach.first[j]; p < reach.first[j + 1]; ++p) {
            if (w[reach.demand[p]] > 0.0) {
                by_demand[reach.demand[p]].push_back(j);
            }
        }
    }
    detail::CoverModel model;
    model.candidates = m;
    std::map<std::vector<std::uint32_t>, std::size_t> group_of;
    for (std::size_t i = 0; i < w.size(); ++i) {
        auto& list = by_demand[i];
        if (list.empty()) {
            continue;
        }
        if (merge) {
            const auto [it, inserted] = group_of.emplace(std::move(list), model.groups());
            if (!inserted) {
                model.weight[it->second] += w[i];
                continue;
            }
            model.weight.push_back(w[i]);
            model.cand.insert(model.cand.end(), it->first.begin(), it->first.end());
        } else {
            model.weight.push_back(w[i]);
            model.cand.insert(model.cand.end(), list.begin(), list.end());
        }
        model.first.push_back(static_cast<std::uint32_t>(model.cand.size()));
    }
    return model;
}

std::size_t open_entries(const ReachSets& reach, std::span<const double> w) {
    std::size_t entries = 0;
    for (const std::uint32_t i : reach.demand) {
        entries += w[i] > 0.0 ? 1 : 0;
    }
    return entries;
}

void finish_gap(PlanResult& r, double eps) {
    r.upper_bound = std::max(r.upper_bound, r.objective);
    if (r.upper_bound - r.objective <= lp_relative_tolerance * r.upper_bound + 2.0 * eps) {
        r.optimal = true;
    }
    r.gap = r.optimal || r.upper_bound <= 0.0 ? 0.0 : (r.upper_bound - r.objective) / r.upper_bound;
    if (r.optimal) {
        r.upper_bound = r.objective;
    }
}

void take_mip_answer(PlanResult& r, std::string& bound_name, const LpOutcome& mip, double value,
                     std::vector<std::uint32_t> ordered, double eps) {
    if (mip.solved) {
        if (value > r.objective + eps) {
            r.chosen = std::move(ordered);
            r.objective = value;
        }
        if (mip.optimal) {
            r.optimal = true;
            r.upper_bound = r.objective;
            bound_name = "ILP optimum (GLPK)";
        }
    }
    r.method += "; exact: GLPK MIP" + std::string(mip.optimal ? " (proven optimal)" : " (time limit)");
}

void take_lp_bound(PlanResult& r, std::string& bound_name, const LpOutcome& lp, double eps) {
    const double lp_bound = lp.value * (1.0 + lp_relative_tolerance) + eps;
    if (lp.solved && lp_bound < r.upper_bound) {
        r.upper_bound = lp_bound;
        bound_name = "LP relaxation (GLPK)";
    }
}

} // namespace yike::engine::detail
