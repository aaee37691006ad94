// Whole-unit selection for presence targets: the best units within a budget of sites, or the
// fewest reaching a share (see yike/engine/planning.hpp).
#include "yike/engine/planning.hpp"

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

#include "detail/covering_parts.hpp"
#include "detail/planning_ilp.hpp"
#include "yike/assert.hpp"
#include "yike/error.hpp"

namespace yike::engine {

using detail::finish_gap;
using routing::invalid_id;

namespace {

void check_units(const UnitSelection& u) {
    YIKE_ASSERT(u.weight.size() == u.cost.size());
    for (std::size_t i = 0; i < u.weight.size(); ++i) {
        YIKE_ASSERT(std::isfinite(u.weight[i]) && u.weight[i] >= 0.0);
        YIKE_ASSERT(u.cost[i] >= 1);
    }
}

double weight_of(const UnitSelection& u, const std::vector<std::uint32_t>& chosen) {
    double sum = 0.0;
    for (const auto i : chosen) sum += u.weight[i];
    return sum;
}

std::uint32_t sites_of(const UnitSelection& u, const std::vector<std::uint32_t>& chosen) {
    std::uint32_t sum = 0;
    for (const auto i : chosen) sum += u.cost[i];
    return sum;
}

// Decreasing weight per site, then weight, then index: the order units are listed in.
void sort_by_density(const UnitSelection& u, std::vector<std::uint32_t>& order) {
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        const double da = u.weight[a] * u.cost[b];
        const double db = u.weight[b] * u.cost[a];
        if (da != db) return da > db;
        if (u.weight[a] != u.weight[b]) return u.weight[a] > u.weight[b];
        return a < b;
    });
}

void unit_gains(const UnitSelection& u, PlanResult& r) {
    sort_by_density(u, r.chosen);
    r.marginal_gain.clear();
    for (const auto i : r.chosen) r.marginal_gain.push_back(u.weight[i]);
    r.objective = weight_of(u, r.chosen);
}

} // namespace

PlanResult best_units(const UnitSelection& u, std::uint32_t k, const PlanOptions& options) {
    check_units(u);
    const auto n = static_cast<std::uint32_t>(u.weight.size());
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0U);
    sort_by_density(u, order);
    PlanResult r;
    // Greedy by weight per site, skipping units that no longer fit; the LP bound takes the same
    // order whole and the first unit that does not fit in part (Dantzig's bound).
    std::uint32_t left = k;
    double bound = 0.0;
    bool bound_done = false;
    for (const auto i : order) {
        if (u.cost[i] <= left) {
            r.chosen.push_back(i);
            left -= u.cost[i];
            if (!bound_done) bound += u.weight[i];
        } else if (!bound_done) {
            bound += u.weight[i] * static_cast<double>(left) / static_cast<double>(u.cost[i]);
            bound_done = true;
        }
    }
    // The single heaviest unit that fits can beat the greedy fill (a unit needing many sites).
    std::uint32_t heaviest = invalid_id;
    for (std::uint32_t i = 0; i < n; ++i) {
        if (u.cost[i] <= k && (heaviest == invalid_id || u.weight[i] > u.weight[heaviest])) heaviest = i;
    }
    if (heaviest != invalid_id && u.weight[heaviest] > weight_of(u, r.chosen)) r.chosen = {heaviest};
    r.method = "greedy by weight per site";
    std::string bound_name = "LP relaxation";
    r.upper_bound = bound;
    const double eps = 1e-9 * std::max(1.0, bound);
    if (options.exact && weight_of(u, r.chosen) < bound - eps) {
        const detail::LpOutcome mip = detail::solve_unit_budget(u.weight, u.cost, k, true, options.exact_time_limit_s);
        if (mip.solved && weight_of(u, mip.chosen) > weight_of(u, r.chosen) + eps) r.chosen = mip.chosen;
        if (mip.solved && mip.optimal) {
            r.optimal = true;
            bound_name = "ILP optimum (GLPK)";
        }
        r.method += "; exact: GLPK MIP" + std::string(mip.optimal ? " (proven optimal)" : " (time limit)");
    } else if (options.exact) {
        r.method += "; exact: not needed (bound met)";
    }
    YIKE_ASSERT(sites_of(u, r.chosen) <= k);
    unit_gains(u, r);
    if (r.optimal) r.upper_bound = r.objective;
    finish_gap(r, eps);
    r.method += "; bound: " + (r.optimal && bound_name.rfind("ILP", 0) != 0 ? bound_name + ", met" : bound_name);
    return r;
}

PlanResult fewest_units(const UnitSelection& u, std::uint32_t needed, const PlanOptions& options) {
    check_units(u);
    const auto n = static_cast<std::uint32_t>(u.weight.size());
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0U);
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        if (u.cost[a] != u.cost[b]) return u.cost[a] < u.cost[b];
        if (u.weight[a] != u.weight[b]) return u.weight[a] > u.weight[b];
        return a < b;
    });
    PlanResult r;
    r.target_reachable = needed <= n;
    order.resize(std::min(needed, n));
    r.chosen = order;
    r.method = "units needing the fewest sites first (optimal for a count of units)";
    if (options.exact && r.target_reachable && needed > 0) {
        const detail::LpOutcome mip = detail::solve_unit_count(u.cost, needed, options.exact_time_limit_s);
        // The cheapest units are optimal: the solver can only tie them, which the test checks.
        YIKE_ASSERT(!mip.solved || sites_of(u, mip.chosen) >= sites_of(u, r.chosen));
        r.method += "; exact: GLPK MIP" + std::string(mip.solved ? ", " + std::to_string(sites_of(u, mip.chosen)) + " sites" : " (no answer)");
    }
    unit_gains(u, r);
    r.upper_bound = r.objective;
    r.optimal = true;
    r.gap = 0.0;
    return r;
}

} // namespace yike::engine
