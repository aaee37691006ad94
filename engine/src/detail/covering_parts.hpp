#pragma once
// The parts the covering solvers share (planning.cpp, capacitated_covering.cpp): input checks, the
// coverage state, lazy greedy, swap improvement, the LP model and the optimality gap.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "planning_ilp.hpp"
#include "yike/engine/planning.hpp"

namespace yike::engine::detail {

// The LP relaxation is solved for the bound only when the model is at most this large (reach
// entries of uncovered demand with weight > 0); above it the
// submodular bound alone is reported. Within this size GLPK's simplex takes about a second.
inline constexpr std::size_t lp_bound_max_entries = 600'000;
inline constexpr double lp_bound_time_limit_s = 10.0;
// GLPK's simplex works to a relative tolerance of about 1e-7: LP values are widened by this much
// before they serve as bounds, and a bound within it of the answer counts as met.
inline constexpr double lp_relative_tolerance = 1e-7;

// ---- validation ------------------------------------------------------------------------------

void check_problem(const CoveringProblem& p, const char* what);
void check_k(const CoveringProblem& p, std::uint32_t k, const char* what);
// The weight of every demand point not yet covered by the existing facilities.
std::vector<double> open_weight(const CoveringProblem& p);
// Gains below this count as zero.
double tolerance(std::span<const double> w);

// ---- the coverage state ------------------------------------------------------------------------

// How many chosen sites cover each demand point, and the gains that follow from it.
class CoverState {
public:
    CoverState(const ReachSets& reach, std::span<const double> weight)
        : m_reach(reach), m_weight(weight), m_count(weight.size(), 0) {}

    [[nodiscard]] double gain(std::uint32_t j) const noexcept {
        double g = 0.0;
        for (std::uint32_t p = m_reach.first[j]; p < m_reach.first[j + 1]; ++p) {
            const std::uint32_t i = m_reach.demand[p];
            if (m_count[i] == 0) {
                g += m_weight[i];
            }
        }
        return g;
    }
    // Weight only j covers among the chosen.
    [[nodiscard]] double loss(std::uint32_t j) const noexcept {
        double g = 0.0;
        for (std::uint32_t p = m_reach.first[j]; p < m_reach.first[j + 1]; ++p) {
            const std::uint32_t i = m_reach.demand[p];
            if (m_count[i] == 1) {
                g += m_weight[i];
            }
        }
        return g;
    }
    void add(std::uint32_t j) noexcept {
        for (std::uint32_t p = m_reach.first[j]; p < m_reach.first[j + 1]; ++p) {
            ++m_count[m_reach.demand[p]];
        }
    }
    void remove(std::uint32_t j) noexcept {
        for (std::uint32_t p = m_reach.first[j]; p < m_reach.first[j + 1]; ++p) {
            --m_count[m_reach.demand[p]];
        }
    }
    [[nodiscard]] std::uint32_t count(std::uint32_t i) const noexcept { return m_count[i]; }

private:
    const ReachSets& m_reach;
    std::span<const double> m_weight;
    std::vector<std::uint32_t> m_count;
}; // class CoverState

// Newly covered weight of a selection (sum over demand in index order, so it does not depend on
// the order of the sites).
double covered_weight(const ReachSets& reach, std::span<const double> weight, std::span<const std::uint32_t> sites);

// ---- lazy greedy (lazy_greedy.cpp) ------------------------------------------------------------

struct GreedyTrace {
    std::vector<std::uint32_t> chosen;
    std::vector<double> gain;
    double value = 0;
    double bound = std::numeric_limits<double>::infinity(); // min over steps of f(S_i) + top-k stale gains
    std::vector<double> singleton; // gain of every candidate alone
};

// Picks sites by largest marginal gain until `stop(value, picks)` or no site adds more than `eps`.
// `gain(j)` evaluates the current marginal gain; `add(j)` commits a pick. `bound_k` > 0 tracks the
// submodular bound for selections of that size. `singleton`, when not empty, holds every
// candidate's gain alone (computed by the caller, possibly in parallel).
GreedyTrace lazy_greedy(std::uint32_t candidates, const std::function<double(std::uint32_t)>& gain,
                        const std::function<void(std::uint32_t)>& add,
                        const std::function<bool(double, std::size_t)>& stop, double eps, std::uint32_t bound_k,
                        std::vector<double> singleton = {});

std::vector<double> singleton_gains(const CoverState& empty, std::uint32_t candidates, unsigned threads);
// The gain of each chosen site in the order chosen.
std::vector<double> marginal_gains(const ReachSets& reach, std::span<const double> w,
                                   std::span<const std::uint32_t> chosen);

// ---- swap improvement (swap_improve.cpp) ------------------------------------------------------

struct SwapOutcome {
    double bound = std::numeric_limits<double>::infinity();
    std::uint32_t swaps = 0;
};

SwapOutcome swap_improve(const ReachSets& reach, std::span<const double> w, std::vector<std::uint32_t>& chosen,
                         std::span<const double> singleton, std::uint32_t rounds, std::uint32_t k, double eps,
                         unsigned threads);

// ---- the LP model and the gap ------------------------------------------------------------------

// Demand groups for the LP: uncovered points with weight > 0 within reach of some candidate,
// merged when the same candidates reach them. `merge` false keeps one group per point.
CoverModel cover_model(const ReachSets& reach, std::span<const double> w, bool merge);
// Reach entries of demand with open weight (the LP's size).
std::size_t open_entries(const ReachSets& reach, std::span<const double> w);
// The relative gap from the bound; a bound within the LP's tolerance counts as met.
void finish_gap(PlanResult& r, double eps);

// ---- the GLPK steps both solvers take ------------------------------------------------------------
// A MIP answer worth `value` replaces r's when it is better (its sites as `ordered`, in the order the
// plan lists them); a proven optimum closes the bound. Appends the MIP's part of r.method.
void take_mip_answer(PlanResult& r, std::string& bound_name, const LpOutcome& mip, double value,
                     std::vector<std::uint32_t> ordered, double eps);
// The LP relaxation's value, widened by the solver's tolerance, becomes the bound when it is lower.
void take_lp_bound(PlanResult& r, std::string& bound_name, const LpOutcome& lp, double eps);

} // namespace yike::engine::detail
