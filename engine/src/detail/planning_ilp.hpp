#pragma once
// The covering problems as linear programs for GLPK (planning_ilp.cpp): LP relaxations for the
// bounds, and the integer programs for the exact mode. Demand points covered by the same set of
// candidates are merged into one row (their weights summed) before the model is built.
#include <cstdint>
#include <vector>

namespace yike::engine::detail {

// Demand groups in CSR form: group g has weight[g] and can be covered by the candidates
// cand[first[g] .. first[g+1]) (ascending). Capacitated models also need each group's members'
// weights separately, so they are built without merging (one group per demand point).
struct CoverModel {
    std::uint32_t candidates = 0;
    std::vector<double> weight;
    std::vector<std::uint32_t> first{0};
    std::vector<std::uint32_t> cand;
    [[nodiscard]] std::size_t groups() const noexcept { return weight.size(); }
};

struct LpOutcome {
    bool solved = false;  // an optimal LP solution, or (integer) at least one feasible solution
    bool optimal = false; // integer: proven optimal
    double value = 0;     // objective of the returned solution
    std::vector<std::uint32_t> chosen; // integer: candidates with x = 1, ascending
    std::vector<double> x;             // LP: the relaxed x_j of every candidate
};

// max sum w_g y_g  s.t.  y_g <= sum_{j covers g} x_j,  sum x_j = k,  0 <= y <= 1, x in [0,1] or {0,1}.
LpOutcome solve_max_cover(const CoverModel& model, std::uint32_t k, bool integer, double time_limit_s);

// min sum x_j  s.t.  sum w_g y_g >= needed,  y_g <= sum_{j covers g} x_j,  0 <= y <= 1.
LpOutcome solve_set_cover(const CoverModel& model, double needed, bool integer, double time_limit_s);

// max sum z_gj  s.t.  sum_j z_gj <= w_g,  sum_g z_gj <= c_j x_j,  z_gj <= w_g x_j,  sum x_j = k,
// z >= 0 (one group per demand point).
LpOutcome solve_capacitated(const CoverModel& model, const std::vector<double>& capacity, std::uint32_t k, bool integer,
                            double time_limit_s);

// Whole units (planning.hpp, UnitSelection): x_u in {0,1} (or [0,1]).
// budget: max sum w_u x_u  s.t.  sum c_u x_u <= k;  count: min sum c_u x_u  s.t.  sum x_u >= needed.
LpOutcome solve_unit_budget(const std::vector<double>& weight, const std::vector<std::uint32_t>& cost, std::uint32_t k,
                            bool integer, double time_limit_s);
LpOutcome solve_unit_count(const std::vector<std::uint32_t>& cost, std::uint32_t needed, double time_limit_s);

} // namespace yike::engine::detail
