// Capacity-aware maximal covering: sites serve at most their capacity, so a selection's value is
// its served weight, a max flow (see yike/engine/planning.hpp and doc/planning.md).
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

using namespace detail; // the covering solvers' shared parts (detail/covering_parts.hpp)

namespace {

using routing::invalid_id;

// ---- capacitated: served weight of a fixed selection (max flow) --------------------------------

// Dinic's max flow on source -> demand (its open weight) -> site within reach (unbounded) -> sink
// (the site's capacity). Reused across evaluations: the network is rebuilt for every selection.
class ServedFlow {
public:
    ServedFlow(const ReachSets& reach, std::span<const double> weight, std::span<const double> capacity)
        : m_reach(reach), m_weight(weight), m_capacity(capacity), m_local(weight.size(), invalid_id) {}

    // Served weight of `sites`; per_site (when given) receives each site's assigned weight.
    double served(std::span<const std::uint32_t> sites, std::vector<double>* per_site = nullptr) {
        build(sites);
        double total = 0.0;
        while (levels()) {
            std::copy(m_first.begin(), m_first.end() - 1, m_next.begin());
            while (true) {
                const double f = push(source, std::numeric_limits<double>::infinity());
                if (f <= 0.0) {
                    break;
                }
                total += f;
            }
        }
        if (per_site != nullptr) {
            per_site->assign(sites.size(), 0.0);
            for (std::size_t s = 0; s < sites.size(); ++s) {
                // The arc site -> sink carries the site's flow; its residual is capacity - flow.
                const std::uint32_t node = static_cast<std::uint32_t>(first_site + s);
                for (std::uint32_t a = m_first[node]; a < m_first[node + 1]; ++a) {
                    if (m_to[a] == sink) {
                        (*per_site)[s] = m_capacity[sites[s]] - m_cap[a];
                    }
                }
            }
        }
        for (const std::uint32_t i : m_demand_nodes) {
            m_local[i] = invalid_id;
        }
        return total;
    }

private:
    static constexpr std::uint32_t source = 0;
    static constexpr std::uint32_t sink = 1;
    static constexpr std::uint32_t first_site = 2;
    static constexpr double flow_eps = 1e-12;

    void build(std::span<const std::uint32_t> sites) {
        m_demand_nodes.clear();
        const auto site_nodes = static_cast<std::uint32_t>(sites.size());
        for (const std::uint32_t j : sites) {
            for (std::uint32_t p = m_reach.first[j]; p < m_reach.first[j + 1]; ++p) {
                const std::uint32_t i = m_reach.demand[p];
                if (m_weight[i] > 0.0 && m_local[i] == invalid_id) {
                    m_local[i] = first_site + site_nodes + static_cast<std::uint32_t>(m_demand_nodes.size());
                    m_demand_nodes.push_back(i);
                }
            }
        }
        const std::uint32_t nodes = first_site + site_nodes + static_cast<std::uint32_t>(m_demand_nodes.size());
        // Arcs as (from, to, capacity) with their reverses, then sorted into CSR by `from`.
        m_arcs.clear();
        auto arc = [&](std::uint32_t from, std::uint32_t to, double cap) {
            m_arcs.push_back({from, to, cap});
            m_arcs.push_back({to, from, 0.0});
        };
        for (std::uint32_t s = 0; s < site_nodes; ++s) {
            arc(first_site + s, sink, m_capacity[sites[s]]);
        }
        for (std::size_t d = 0; d < m_demand_nodes.size(); ++d) {
            arc(source, first_site + site_nodes + static_cast<std::uint32_t>(d), m_weight[m_demand_nodes[d]]);
        }
        for (std::uint32_t s = 0; s < site_nodes; ++s) {
            const std::uint32_t j = sites[s];
            for (std::uint32_t p = m_reach.first[j]; p < m_reach.first[j + 1]; ++p) {
                const std::uint32_t i = m_reach.demand[p];
                if (m_weight[i] > 0.0) {
                    arc(m_local[i], first_site + s, std::numeric_limits<double>::infinity());
                }
            }
        }
        m_first.assign(nodes + 1, 0);
        for (const RawArc& a : m_arcs) {
            ++m_first[a.from + 1];
        }
        for (std::uint32_t u = 0; u < nodes; ++u) {
            m_first[u + 1] += m_first[u];
        }
        m_to.resize(m_arcs.size());
        m_cap.resize(m_arcs.size());
        m_rev.resize(m_arcs.size());
        std::vector<std::uint32_t> fill(m_first.begin(), m_first.end() - 1);
        std::vector<std::uint32_t> pos(m_arcs.size());
        for (std::size_t a = 0; a < m_arcs.size(); ++a) {
            pos[a] = fill[m_arcs[a].from]++;
            m_to[pos[a]] = m_arcs[a].to;
            m_cap[pos[a]] = m_arcs[a].cap;
        }
        for (std::size_t a = 0; a < m_arcs.size(); ++a) {
            m_rev[pos[a]] = pos[a ^ 1U];
        }
        m_level.assign(nodes, -1);
        m_next.assign(nodes, 0);
    }

    bool levels() {
        std::fill(m_level.begin(), m_level.end(), -1);
        m_queue.clear();
        m_queue.push_back(source);
        m_level[source] = 0;
        for (std::size_t q = 0; q < m_queue.size(); ++q) {
            const std::uint32_t u = m_queue[q];
            for (std::uint32_t a = m_first[u]; a < m_first[u + 1]; ++a) {
                if (m_cap[a] > flow_eps && m_level[m_to[a]] < 0) {
                    m_level[m_to[a]] = m_level[u] + 1;
                    m_queue.push_back(m_to[a]);
                }
            }
        }
        return m_level[sink] >= 0;
    }

    double push(std::uint32_t u, double limit) {
        if (u == sink) {
            return limit;
        }
        for (std::uint32_t& a = m_next[u]; a < m_first[u + 1]; ++a) {
            const std::uint32_t v = m_to[a];
            if (m_cap[a] > flow_eps && m_level[v] == m_level[u] + 1) {
                const double f = push(v, std::min(limit, m_cap[a]));
                if (f > 0.0) {
                    m_cap[a] -= f;
                    m_cap[m_rev[a]] += f;
                    return f;
                }
            }
        }
        return 0.0;
    }

    struct RawArc {
        std::uint32_t from;
        std::uint32_t to;
        double cap;
    };
    const ReachSets& m_reach;
    std::span<const double> m_weight;
    std::span<const double> m_capacity;
    std::vector<std::uint32_t> m_local;
    std::vector<std::uint32_t> m_demand_nodes;
    std::vector<RawArc> m_arcs;
    std::vector<std::uint32_t> m_first;
    std::vector<std::uint32_t> m_to;
    std::vector<double> m_cap;
    std::vector<std::uint32_t> m_rev;
    std::vector<int> m_level;
    std::vector<std::uint32_t> m_next;
    std::vector<std::uint32_t> m_queue;
}; // class ServedFlow


} // namespace

PlanResult capacitated_covering(const CoveringProblem& problem, std::uint32_t k, const PlanOptions& options) {
    check_problem(problem, "capacitated covering");
    check_k(problem, k, "capacitated covering");
    const ReachSets& reach = *problem.reach;
    const std::uint32_t m = reach.candidate_count();
    if (problem.capacity.size() != m) {
        throw config_error("capacitated covering: " + std::to_string(problem.capacity.size()) + " capacities for " +
                           std::to_string(m) + " candidates");
    }
    for (std::uint32_t j = 0; j < m; ++j) {
        const double c = problem.capacity[j];
        if (!(c >= 0.0) || std::isinf(c)) {
            throw config_error("capacitated covering: candidate " + std::to_string(j) + " has capacity " +
                               std::to_string(c) + " (must be a finite number >= 0)");
        }
    }
    const std::vector<double> w = open_weight(problem);
    const double eps = tolerance(w);
    ServedFlow flow(reach, w, problem.capacity);

    std::vector<std::uint32_t> current;
    double current_value = 0.0;
    std::vector<std::uint32_t> trial;
    std::uint64_t evaluations = 0;
    auto gain = [&](std::uint32_t j) {
        ++evaluations;
        trial = current;
        trial.push_back(j);
        return flow.served(trial) - current_value;
    };
    auto add = [&](std::uint32_t j) {
        current.push_back(j);
        current_value = flow.served(current);
    };
    GreedyTrace greedy = lazy_greedy(m, gain, add, [&](double, std::size_t picks) { return picks >= k; }, eps, k);

    PlanResult r;
    r.chosen = greedy.chosen;
    r.objective = current_value;
    r.upper_bound = greedy.bound;
    std::string bound_name = "submodular (greedy)";

    // First-improvement swaps, each checked by an exact flow. Submodularity prunes most pairs:
    // replacing s by t gains at most t's served weight alone minus what removing s loses. The
    // flows are capped at as many as the greedy evaluated, so that the phase costs at most about
    // what the greedy did; the bound below stays valid either way.
    std::uint32_t swaps = 0;
    std::vector<std::uint8_t> is_chosen(m, 0);
    for (const std::uint32_t j : r.chosen) {
        is_chosen[j] = 1;
    }
    std::uint64_t budget = evaluations;
    std::vector<double> loss(r.chosen.size());
    // Nothing to improve or to bound when the greedy bound is already met.
    const bool greedy_proven = r.upper_bound - r.objective <= eps;
    for (std::uint32_t round = 0; round < options.swap_rounds && budget > 0 && !greedy_proven; ++round) {
        for (std::size_t s = 0; s < r.chosen.size(); ++s) {
            trial = r.chosen;
            trial.erase(trial.begin() + static_cast<std::ptrdiff_t>(s));
            loss[s] = r.objective - flow.served(trial);
        }
        bool improved = false;
        for (std::size_t s = 0; s < r.chosen.size() && !improved && budget > 0; ++s) {
            for (std::uint32_t t = 0; t < m && !improved && budget > 0; ++t) {
                if (is_chosen[t] != 0 || greedy.singleton[t] - loss[s] <= eps) {
                    continue;
                }
                trial = r.chosen;
                trial[s] = t;
                --budget;
                const double v = flow.served(trial);
                if (v > r.objective + eps) {
                    is_chosen[r.chosen[s]] = 0;
                    is_chosen[t] = 1;
                    r.chosen = trial;
                    r.objective = v;
                    improved = true;
                    ++swaps;
                }
            }
        }
        if (!improved) {
            break;
        }
    }
    // The bound from the exact gains w.r.t. the final selection.
    if (!greedy_proven) {
        current = r.chosen;
        current_value = r.objective;
        std::vector<double> gains;
        for (std::uint32_t t = 0; t < m; ++t) {
            if (is_chosen[t] == 0) {
                gains.push_back(greedy.singleton[t] <= 0.0 ? 0.0 : std::max(0.0, gain(t)));
            }
        }
        const std::size_t take = std::min<std::size_t>(k, gains.size());
        std::nth_element(gains.begin(), gains.begin() + static_cast<std::ptrdiff_t>(take), gains.end(),
                         std::greater<>());
        double b = r.objective;
        for (std::size_t q = 0; q < take; ++q) {
            b += gains[q];
        }
        if (b < r.upper_bound) {
            r.upper_bound = b;
            bound_name = "submodular (final selection)";
        }
    }
    r.method = "lazy greedy + swap (" + std::to_string(swaps) + " swaps), served weight by max flow";

    const bool proven = r.upper_bound - r.objective <= eps;
    if (!proven && k > 0 && (options.exact || open_entries(reach, w) <= lp_bound_max_entries / 4)) {
        const detail::CoverModel model = cover_model(reach, w, false);
        if (options.exact) {
            const detail::LpOutcome mip =
                detail::solve_capacitated(model, problem.capacity, k, true, options.exact_time_limit_s);
            detail::take_mip_answer(r, bound_name, mip, mip.solved ? flow.served(mip.chosen) : 0.0, mip.chosen, eps);
        }
        if (!r.optimal) {
            detail::take_lp_bound(r, bound_name,
                                  detail::solve_capacitated(model, problem.capacity, k, false, lp_bound_time_limit_s), eps);
        }
    }
    // Marginal served weight in the order chosen.
    r.marginal_gain.clear();
    double before = 0.0;
    for (std::size_t q = 0; q < r.chosen.size(); ++q) {
        const double v = flow.served(std::span<const std::uint32_t>(r.chosen.data(), q + 1));
        r.marginal_gain.push_back(v - before);
        before = v;
    }
    r.objective = flow.served(r.chosen, &r.served);
    finish_gap(r, eps);
    r.method += "; bound: " + (r.optimal && bound_name.rfind("ILP", 0) != 0 ? bound_name + ", met" : bound_name);
    return r;
}

} // namespace yike::engine
