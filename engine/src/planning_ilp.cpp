// GLPK models of the covering problems (see detail/planning_ilp.hpp). GLPK is kept out of every
// public header; all output of the solver is switched off.
#include "detail/planning_ilp.hpp"

#include <glpk.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace yike::engine::detail {

namespace {

// Owns a GLPK problem and the coefficient triplets (1-based, as glp_load_matrix wants them).
class Model {
public:
    Model() : m_lp(glp_create_prob()) {
        glp_term_out(GLP_OFF);
        m_row.push_back(0);
        m_col.push_back(0);
        m_val.push_back(0.0);
    }
    ~Model() { glp_delete_prob(m_lp); }
    Model(const Model&) = delete;
    Model& operator=(const Model&) = delete;

    glp_prob* lp() noexcept { return m_lp; }

    int add_cols(std::size_t n) { return glp_add_cols(m_lp, static_cast<int>(n)); }
    int add_rows(std::size_t n) { return glp_add_rows(m_lp, static_cast<int>(n)); }
    void coef(int row, int col, double value) {
        m_row.push_back(row);
        m_col.push_back(col);
        m_val.push_back(value);
    }
    void load() {
        glp_load_matrix(m_lp, static_cast<int>(m_row.size() - 1), m_row.data(), m_col.data(), m_val.data());
    }

    // Solves the LP relaxation, or the integer program when `integer` (columns of kind GLP_BV
    // must have been set), within the time limit.
    LpOutcome solve(bool integer, double time_limit_s) {
        LpOutcome out;
        const int limit_ms = static_cast<int>(std::clamp(time_limit_s * 1000.0, 1.0, 2.0e9));
        if (!integer) {
            glp_smcp parm;
            glp_init_smcp(&parm);
            parm.msg_lev = GLP_MSG_OFF;
            parm.presolve = GLP_ON;
            parm.tm_lim = limit_ms;
            if (glp_simplex(m_lp, &parm) == 0 && glp_get_status(m_lp) == GLP_OPT) {
                out.solved = true;
                out.optimal = true;
                out.value = glp_get_obj_val(m_lp);
            }
            return out;
        }
        glp_iocp parm;
        glp_init_iocp(&parm);
        parm.msg_lev = GLP_MSG_OFF;
        parm.presolve = GLP_ON;
        parm.tm_lim = limit_ms;
        parm.mip_gap = 0.0;
        const int ret = glp_intopt(m_lp, &parm);
        const int status = glp_mip_status(m_lp);
        if ((ret == 0 || ret == GLP_ETMLIM || ret == GLP_EMIPGAP) && (status == GLP_OPT || status == GLP_FEAS)) {
            out.solved = true;
            out.optimal = ret == 0 && status == GLP_OPT;
            out.value = glp_mip_obj_val(m_lp);
        }
        return out;
    }

    // The LP values of columns 1..m.
    std::vector<double> relaxed(std::uint32_t m) const {
        std::vector<double> x(m);
        for (std::uint32_t j = 0; j < m; ++j) {
            x[j] = glp_get_col_prim(m_lp, static_cast<int>(j + 1));
        }
        return x;
    }

    // Columns 1..m whose integer value is 1, as 0-based indices.
    std::vector<std::uint32_t> chosen(std::uint32_t m) const {
        std::vector<std::uint32_t> c;
        for (std::uint32_t j = 0; j < m; ++j) {
            if (glp_mip_col_val(m_lp, static_cast<int>(j + 1)) > 0.5) {
                c.push_back(j);
            }
        }
        return c;
    }

private:
    glp_prob* m_lp;
    std::vector<int> m_row;
    std::vector<int> m_col;
    std::vector<double> m_val;
}; // class Model

// Columns x_1..x_m (binary when integer) then y_1..y_G in [0,1]; rows y_g - sum x_j <= 0.
// Returns the index of the first y column.
int covering_core(Model& model, const CoverModel& cover, bool integer) {
    glp_prob* lp = model.lp();
    const std::uint32_t m = cover.candidates;
    const std::size_t groups = cover.groups();
    if (m > 0) {
        model.add_cols(m);
    }
    for (std::uint32_t j = 0; j < m; ++j) {
        const int col = static_cast<int>(j + 1);
        glp_set_col_bnds(lp, col, GLP_DB, 0.0, 1.0);
        if (integer) {
            glp_set_col_kind(lp, col, GLP_BV);
        }
    }
    const int first_y = static_cast<int>(m) + 1;
    if (groups > 0) {
        model.add_cols(groups);
        model.add_rows(groups);
    }
    for (std::size_t g = 0; g < groups; ++g) {
        const int col = first_y + static_cast<int>(g);
        const int row = static_cast<int>(g + 1);
        glp_set_col_bnds(lp, col, GLP_DB, 0.0, 1.0);
        glp_set_row_bnds(lp, row, GLP_UP, 0.0, 0.0);
        model.coef(row, col, 1.0);
        for (std::uint32_t p = cover.first[g]; p < cover.first[g + 1]; ++p) {
            model.coef(row, static_cast<int>(cover.cand[p] + 1), -1.0);
        }
    }
    return first_y;
}

} // namespace

LpOutcome solve_max_cover(const CoverModel& cover, std::uint32_t k, bool integer, double time_limit_s) {
    Model model;
    glp_prob* lp = model.lp();
    glp_set_obj_dir(lp, GLP_MAX);
    const int first_y = covering_core(model, cover, integer);
    for (std::size_t g = 0; g < cover.groups(); ++g) {
        glp_set_obj_coef(lp, first_y + static_cast<int>(g), cover.weight[g]);
    }
    const int count_row = model.add_rows(1);
    glp_set_row_bnds(lp, count_row, GLP_FX, static_cast<double>(k), static_cast<double>(k));
    for (std::uint32_t j = 0; j < cover.candidates; ++j) {
        model.coef(count_row, static_cast<int>(j + 1), 1.0);
    }
    model.load();
    LpOutcome out = model.solve(integer, time_limit_s);
    if (integer && out.solved) {
        out.chosen = model.chosen(cover.candidates);
    } else if (out.solved) {
        out.x = model.relaxed(cover.candidates);
    }
    return out;
}

LpOutcome solve_set_cover(const CoverModel& cover, double needed, bool integer, double time_limit_s) {
    Model model;
    glp_prob* lp = model.lp();
    glp_set_obj_dir(lp, GLP_MIN);
    const int first_y = covering_core(model, cover, integer);
    for (std::uint32_t j = 0; j < cover.candidates; ++j) {
        glp_set_obj_coef(lp, static_cast<int>(j + 1), 1.0);
    }
    const int need_row = model.add_rows(1);
    glp_set_row_bnds(lp, need_row, GLP_LO, needed, 0.0);
    for (std::size_t g = 0; g < cover.groups(); ++g) {
        model.coef(need_row, first_y + static_cast<int>(g), cover.weight[g]);
    }
    model.load();
    LpOutcome out = model.solve(integer, time_limit_s);
    if (integer && out.solved) {
        out.chosen = model.chosen(cover.candidates);
    }
    return out;
}

LpOutcome solve_capacitated(const CoverModel& cover, const std::vector<double>& capacity, std::uint32_t k, bool integer,
                            double time_limit_s) {
    Model model;
    glp_prob* lp = model.lp();
    glp_set_obj_dir(lp, GLP_MAX);
    const std::uint32_t m = cover.candidates;
    const std::size_t groups = cover.groups();
    if (m > 0) {
        model.add_cols(m);
    }
    for (std::uint32_t j = 0; j < m; ++j) {
        glp_set_col_bnds(lp, static_cast<int>(j + 1), GLP_DB, 0.0, 1.0);
        if (integer) {
            glp_set_col_kind(lp, static_cast<int>(j + 1), GLP_BV);
        }
    }
    // Rows: one supply row per group, one capacity row per candidate, one link row per pair.
    const int first_supply = groups > 0 ? model.add_rows(groups) : 0;
    const int first_capacity = m > 0 ? model.add_rows(m) : 0;
    for (std::size_t g = 0; g < groups; ++g) {
        glp_set_row_bnds(lp, first_supply + static_cast<int>(g), GLP_UP, 0.0, cover.weight[g]);
    }
    for (std::uint32_t j = 0; j < m; ++j) {
        const int row = first_capacity + static_cast<int>(j);
        glp_set_row_bnds(lp, row, GLP_UP, 0.0, 0.0);
        model.coef(row, static_cast<int>(j + 1), -capacity[j]);
    }
    const std::size_t pairs = cover.cand.size();
    if (pairs > 0) {
        const int first_z = model.add_cols(pairs);
        const int first_link = model.add_rows(pairs);
        for (std::size_t g = 0; g < groups; ++g) {
            for (std::uint32_t p = cover.first[g]; p < cover.first[g + 1]; ++p) {
                const int col = first_z + static_cast<int>(p);
                const int link = first_link + static_cast<int>(p);
                const std::uint32_t j = cover.cand[p];
                glp_set_col_bnds(lp, col, GLP_LO, 0.0, 0.0);
                glp_set_obj_coef(lp, col, 1.0);
                model.coef(first_supply + static_cast<int>(g), col, 1.0);
                model.coef(first_capacity + static_cast<int>(j), col, 1.0);
                glp_set_row_bnds(lp, link, GLP_UP, 0.0, 0.0);
                model.coef(link, col, 1.0);
                model.coef(link, static_cast<int>(j + 1), -cover.weight[g]);
            }
        }
    }
    const int count_row = model.add_rows(1);
    glp_set_row_bnds(lp, count_row, GLP_FX, static_cast<double>(k), static_cast<double>(k));
    for (std::uint32_t j = 0; j < m; ++j) {
        model.coef(count_row, static_cast<int>(j + 1), 1.0);
    }
    model.load();
    LpOutcome out = model.solve(integer, time_limit_s);
    if (integer && out.solved) {
        out.chosen = model.chosen(m);
    }
    return out;
}

namespace {

// One column per unit, binary when integer, and one row over all of them.
LpOutcome solve_units(int direction, const std::vector<double>& objective, const std::vector<double>& row,
                      int row_kind, double row_bound, bool integer, double time_limit_s) {
    Model model;
    glp_prob* lp = model.lp();
    glp_set_obj_dir(lp, direction);
    const auto n = static_cast<std::uint32_t>(objective.size());
    if (n > 0) model.add_cols(n);
    const int r = model.add_rows(1);
    glp_set_row_bnds(lp, r, row_kind, row_kind == GLP_LO ? row_bound : 0.0, row_kind == GLP_UP ? row_bound : 0.0);
    for (std::uint32_t u = 0; u < n; ++u) {
        const int col = static_cast<int>(u + 1);
        glp_set_col_bnds(lp, col, GLP_DB, 0.0, 1.0);
        if (integer) glp_set_col_kind(lp, col, GLP_BV);
        glp_set_obj_coef(lp, col, objective[u]);
        model.coef(r, col, row[u]);
    }
    model.load();
    LpOutcome out = model.solve(integer, time_limit_s);
    if (integer && out.solved) out.chosen = model.chosen(n);
    return out;
}

} // namespace

LpOutcome solve_unit_budget(const std::vector<double>& weight, const std::vector<std::uint32_t>& cost, std::uint32_t k,
                            bool integer, double time_limit_s) {
    const std::vector<double> c(cost.begin(), cost.end());
    return solve_units(GLP_MAX, weight, c, GLP_UP, static_cast<double>(k), integer, time_limit_s);
}

LpOutcome solve_unit_count(const std::vector<std::uint32_t>& cost, std::uint32_t needed, double time_limit_s) {
    const std::vector<double> c(cost.begin(), cost.end());
    return solve_units(GLP_MIN, c, std::vector<double>(cost.size(), 1.0), GLP_LO, static_cast<double>(needed), true,
                       time_limit_s);
}

} // namespace yike::engine::detail
