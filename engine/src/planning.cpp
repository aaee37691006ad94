// Site planning: candidate reach sets, maximal covering and set covering (see
// yike/engine/planning.hpp and doc/planning.md). The capacity-aware variant is in
// capacitated_covering.cpp, whole units in unit_selection.cpp, the parts they share in
// detail/covering_parts.hpp.
//
// Covered weight and served weight are both monotone submodular in the set of chosen sites, so a
// stale marginal gain is an upper bound on the current one: lazy greedy re-evaluates only the top
// of the queue, and the stale gains give an upper bound on the optimum at every step
// (f(S) + the k largest gains w.r.t. S bounds any k-set).
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
#include "detail/demand_eval.hpp"
#include "detail/parallel.hpp"
#include "detail/planning_ilp.hpp"
#include "yike/assert.hpp"
#include "yike/error.hpp"

namespace yike::engine {

using namespace detail; // the covering solvers' shared parts (detail/covering_parts.hpp)

using routing::Cost;
using routing::EdgeId;
using routing::inf_cost;
using routing::invalid_id;
using routing::Origin;
using routing::WalkGraph;

// ---- reach sets ------------------------------------------------------------------------------------

ReachSets build_reach_sets(const WalkGraph& graph, const PreparedDemand& demand,
                           std::span<const std::optional<Origin>> candidates, Cost threshold, unsigned threads) {
    const std::size_t n = demand.size();
    const EdgeId edges = graph.edge_count();
    const Cost budget = std::min<Cost>(threshold, inf_cost - 1);

    // Demand points of every edge (CSR by edge, indices ascending within an edge).
    std::vector<std::uint32_t> first(std::size_t{edges} + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
        if (demand.edge[i] != invalid_id) {
            YIKE_ASSERT(demand.edge[i] < edges);
            ++first[demand.edge[i] + 1];
        }
    }
    for (std::size_t e = 0; e < edges; ++e) {
        first[e + 1] += first[e];
    }
    std::vector<std::uint32_t> by_edge(first.back());
    {
        std::vector<std::uint32_t> fill(first.begin(), first.end() - 1);
        for (std::size_t i = 0; i < n; ++i) {
            if (demand.edge[i] != invalid_id) {
                by_edge[fill[demand.edge[i]]++] = static_cast<std::uint32_t>(i);
            }
        }
    }

    struct Hit {
        std::uint32_t demand;
        Cost cost;
    };
    std::vector<std::vector<Hit>> hits(candidates.size());
    struct Worker {
        explicit Worker(const WalkGraph& g) : search(g), edge_seen(g.edge_count(), invalid_id) {}
        routing::BoundedSearch search;
        std::vector<std::uint32_t> edge_seen;
        std::vector<EdgeId> edges;
    };
    const unsigned workers = detail::worker_count(threads, candidates.size());
    std::vector<std::unique_ptr<Worker>> pool;
    for (unsigned w = 0; w < workers; ++w) {
        pool.push_back(std::make_unique<Worker>(graph));
    }
    detail::parallel_for(candidates.size(), workers, [&](std::size_t j, unsigned w) {
        if (!candidates[j]) {
            return;
        }
        Worker& k = *pool[w];
        Origin f = *candidates[j];
        YIKE_ASSERT(f.edge < edges);
        f.source = 0;
        // Towards the candidate, as nearest_facilities: households walk to it.
        k.search.run(std::span<const Origin>(&f, 1), budget, demand.metric, routing::Direction::to_sources);
        const auto mark = static_cast<std::uint32_t>(j);
        k.edges.clear();
        auto visit = [&](EdgeId e) {
            if (k.edge_seen[e] != mark) {
                k.edge_seen[e] = mark;
                k.edges.push_back(e);
            }
        };
        visit(f.edge);
        for (const routing::NodeId u : k.search.settled()) {
            for (routing::ArcId a = graph.first_out[u]; a < graph.first_out[u + 1]; ++a) {
                visit(WalkGraph::edge_of_arc_value(graph.arc_edge[a]));
            }
        }
        std::vector<Hit>& out = hits[j];
        for (const EdgeId e : k.edges) {
            for (std::uint32_t q = first[e]; q < first[e + 1]; ++q) {
                const std::uint32_t i = by_edge[q];
                Cost c = detail::through_prepared_ends(k.search, demand, i).cost;
                if (e == f.edge) {
                    Origin here;
                    here.edge = e;
                    here.offset_cm = demand.offset_cm[i];
                    c = std::min(c, detail::along_same_edge(graph, f, here, demand.metric, routing::Direction::to_sources));
                }
                if (const Cost total = detail::within_limit(c, demand.offnet[i], threshold); total != inf_cost) {
                    out.push_back({i, total});
                }
            }
        }
        std::sort(out.begin(), out.end(), [](const Hit& a, const Hit& b) { return a.demand < b.demand; });
        out.shrink_to_fit();
    });

    ReachSets r;
    r.first.assign(candidates.size() + 1, 0);
    std::size_t total = 0;
    for (std::size_t j = 0; j < candidates.size(); ++j) {
        total += hits[j].size();
        YIKE_ASSERT(total < invalid_id);
        r.first[j + 1] = static_cast<std::uint32_t>(total);
    }
    r.demand.reserve(total);
    r.cost.reserve(total);
    for (auto& h : hits) {
        for (const Hit& x : h) {
            r.demand.push_back(x.demand);
            r.cost.push_back(x.cost);
        }
        std::vector<Hit>().swap(h);
    }
    return r;
}

// ---- maximal covering ------------------------------------------------------------------------------

PlanResult maximal_covering(const CoveringProblem& problem, std::uint32_t k, const PlanOptions& options) {
    check_problem(problem, "maximal covering");
    check_k(problem, k, "maximal covering");
    const ReachSets& reach = *problem.reach;
    const std::vector<double> w = open_weight(problem);
    const double eps = tolerance(w);
    const std::uint32_t m = reach.candidate_count();

    CoverState state(reach, w);
    GreedyTrace greedy = lazy_greedy(
        m, [&](std::uint32_t j) { return state.gain(j); }, [&](std::uint32_t j) { state.add(j); },
        [&](double, std::size_t picks) { return picks >= k; }, eps, k, singleton_gains(state, m, options.threads));

    PlanResult r;
    r.chosen = greedy.chosen;
    r.upper_bound = greedy.bound;
    std::string bound_name = "submodular (greedy)";
    const SwapOutcome swaps = swap_improve(reach, w, r.chosen, greedy.singleton, options.swap_rounds, k, eps,
                                                   options.threads);
    if (swaps.bound < r.upper_bound) {
        r.upper_bound = swaps.bound;
        bound_name = "submodular (final selection)";
    }
    r.objective = covered_weight(reach, w, r.chosen);
    r.method = "lazy greedy + swap (" + std::to_string(swaps.swaps) + " swaps)";

    const bool proven = r.upper_bound - r.objective <= eps;
    if (!proven && k > 0 && (options.exact || open_entries(reach, w) <= lp_bound_max_entries)) {
        const detail::CoverModel model = cover_model(reach, w, true);
        if (options.exact) {
            const detail::LpOutcome mip = detail::solve_max_cover(model, k, true, options.exact_time_limit_s);
            // Keep the greedy order for sites both share, then the solver's others.
            std::vector<std::uint32_t> order;
            for (const std::uint32_t j : r.chosen) {
                if (std::binary_search(mip.chosen.begin(), mip.chosen.end(), j)) {
                    order.push_back(j);
                }
            }
            for (const std::uint32_t j : mip.chosen) {
                if (std::find(order.begin(), order.end(), j) == order.end()) {
                    order.push_back(j);
                }
            }
            detail::take_mip_answer(r, bound_name, mip, mip.solved ? covered_weight(reach, w, mip.chosen) : 0.0,
                                    std::move(order), eps);
        }
        if (!r.optimal) {
            const detail::LpOutcome lp = detail::solve_max_cover(model, k, false, lp_bound_time_limit_s);
            detail::take_lp_bound(r, bound_name, lp, eps);
            if (lp.solved && r.upper_bound - r.objective > eps) {
                // LP rounding: the k sites with the largest x_j (the LP optimum itself when it is
                // integral, as it often is for spatial instances), improved by swaps, replace
                // the greedy answer when better.
                std::vector<std::uint32_t> order(m);
                std::iota(order.begin(), order.end(), 0U);
                std::stable_sort(order.begin(), order.end(),
                                 [&](std::uint32_t a, std::uint32_t b) { return lp.x[a] > lp.x[b]; });
                std::vector<std::uint32_t> rounded(order.begin(), order.begin() + k);
                const SwapOutcome more = swap_improve(reach, w, rounded, greedy.singleton, options.swap_rounds, k, eps,
                                                       options.threads);
                const double value = covered_weight(reach, w, rounded);
                if (value > r.objective + eps) {
                    r.chosen = std::move(rounded);
                    r.objective = value;
                    r.method += "; LP rounding + swap (" + std::to_string(more.swaps) + " swaps) better";
                }
            }
        }
    }
    r.marginal_gain = marginal_gains(reach, w, r.chosen);
    finish_gap(r, eps);
    r.method += "; bound: " + (r.optimal && bound_name.rfind("ILP", 0) != 0 ? bound_name + ", met" : bound_name);
    return r;
}

// ---- set covering ----------------------------------------------------------------------------------

PlanResult set_covering(const CoveringProblem& problem, double target_share, const PlanOptions& options) {
    check_problem(problem, "set covering");
    if (!(target_share >= 0.0 && target_share <= 1.0)) {
        throw config_error("set covering: target share " + std::to_string(target_share) + " is not within [0, 1]");
    }
    const ReachSets& reach = *problem.reach;
    const std::vector<double> w = open_weight(problem);
    const double eps = tolerance(w);
    const std::uint32_t m = reach.candidate_count();
    double total = 0.0;
    double open = 0.0;
    for (std::size_t i = 0; i < w.size(); ++i) {
        total += problem.weight[i];
        open += w[i];
    }
    const double needed = target_share * total - (total - open);

    PlanResult r;
    // What all candidates together could add: the most any selection can.
    std::vector<std::uint32_t> all(m);
    std::iota(all.begin(), all.end(), 0U);
    const double achievable = covered_weight(reach, w, all);
    r.upper_bound = achievable;
    const double goal = std::min(needed, achievable);
    if (needed > achievable + eps) {
        r.target_reachable = false;
        std::vector<std::uint8_t> reachable(w.size(), 0);
        for (const std::uint32_t i : reach.demand) {
            reachable[i] = 1;
        }
        for (std::size_t i = 0; i < w.size(); ++i) {
            if (w[i] > 0.0 && reachable[i] == 0) {
                r.unreachable_demand.push_back(static_cast<std::uint32_t>(i));
            }
        }
    }
    if (goal <= eps) {
        r.optimal = true;
        r.method = "nothing to add";
        return r;
    }

    CoverState state(reach, w);
    GreedyTrace greedy = lazy_greedy(
        m, [&](std::uint32_t j) { return state.gain(j); }, [&](std::uint32_t j) { state.add(j); },
        [&](double value, std::size_t) { return value >= goal - eps; }, eps, 0, singleton_gains(state, m, options.threads));
    r.chosen = greedy.chosen;
    // Drop sites the others make redundant, latest first.
    std::uint32_t dropped = 0;
    for (std::size_t q = r.chosen.size(); q-- > 0;) {
        const std::uint32_t j = r.chosen[q];
        if (greedy.value - state.loss(j) >= goal - eps) {
            greedy.value -= state.loss(j);
            state.remove(j);
            r.chosen.erase(r.chosen.begin() + static_cast<std::ptrdiff_t>(q));
            ++dropped;
        }
    }
    r.objective = covered_weight(reach, w, r.chosen);
    r.method = "lazy greedy + redundant-site removal (" + std::to_string(dropped) + " dropped)";

    // Lower bound on the number of sites: the fewest whose gains alone could add up to the goal.
    std::vector<double> singles = greedy.singleton;
    std::sort(singles.begin(), singles.end(), std::greater<>());
    std::size_t lower = 0;
    for (double sum = 0.0; lower < singles.size() && sum < goal - eps; ++lower) {
        sum += singles[lower];
    }
    std::string bound_name = "largest single gains";
    if (lower < r.chosen.size() && (options.exact || open_entries(reach, w) <= lp_bound_max_entries)) {
        const detail::CoverModel model = cover_model(reach, w, true);
        if (options.exact) {
            // The set-covering ILP with a single "covered weight >= needed" row branches badly in
            // GLPK; maximal covering ILPs of growing size prove the fewest sites much faster: the
            // first size whose optimum reaches the goal is the answer.
            // One time limit for the whole sequence.
            const auto deadline = std::chrono::steady_clock::now() +
                                  std::chrono::duration<double>(std::max(0.0, options.exact_time_limit_s));
            bool proven = true;
            for (auto size = static_cast<std::uint32_t>(lower); size < r.chosen.size(); ++size) {
                const double left =
                    std::chrono::duration<double>(deadline - std::chrono::steady_clock::now()).count();
                if (left <= 0.0) {
                    proven = false;
                    break;
                }
                const detail::LpOutcome mip = detail::solve_max_cover(model, size, true, left);
                if (mip.solved && covered_weight(reach, w, mip.chosen) >= goal - eps) {
                    r.chosen = mip.chosen;
                    r.objective = covered_weight(reach, w, r.chosen);
                    lower = size;
                    break;
                }
                if (!mip.optimal) {
                    proven = false;
                    break;
                }
                lower = size + 1; // no selection of this size reaches the goal
                bound_name = "ILP optima (GLPK)";
            }
            if (proven && lower >= r.chosen.size()) {
                bound_name = "ILP optimum (GLPK)";
            }
            r.method += "; exact: GLPK MIP" + std::string(proven ? " (proven optimal)" : " (time limit)");
        }
        if (lower < r.chosen.size()) {
            const detail::LpOutcome lp = detail::solve_set_cover(model, goal - eps, false, lp_bound_time_limit_s);
            if (lp.solved) {
                const auto lp_lower = static_cast<std::size_t>(std::ceil(lp.value - 1e-6));
                if (lp_lower > lower) {
                    lower = std::min(lp_lower, r.chosen.size());
                    bound_name = "LP relaxation (GLPK)";
                }
            }
        }
    }
    r.marginal_gain = marginal_gains(reach, w, r.chosen);
    r.optimal = lower >= r.chosen.size();
    r.gap = static_cast<double>(r.chosen.size() - std::min(lower, r.chosen.size()));
    r.method += "; at least " + std::to_string(lower) + " sites needed (" + bound_name + ")";
    return r;
}


} // namespace yike::engine
