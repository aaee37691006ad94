// `yike plan`: new sites that close the gaps, the best k or the fewest reaching a share.
#include <cmath>
#include <iostream>
#include <memory>
#include <string>

#include "arguments.hpp"
#include "command.hpp"
#include "common.hpp"
#include "siting_options.hpp"

namespace yike::cli {
namespace {

void run_plan_command(const SitingCli& o, CLI::App& cmd) {
    using namespace yike;
    if (o.k.has_value() == o.target_share.has_value()) {
        throw usage_error("give the number of sites with --k N or the share to reach with --target-share S, one of them");
    }
    if (o.k && *o.k == 0) {
        throw usage_error("--k: plan at least one site");
    }
    if (o.target_share && (!std::isfinite(*o.target_share) || *o.target_share <= 0 || *o.target_share > 1)) {
        throw usage_error("--target-share: a share in (0, 1], e.g. 0.9");
    }
    const bool capacitated = o.capacity.has_value() || !o.capacity_field.empty();
    if (capacitated && o.target_share) {
        throw usage_error("capacity-aware planning chooses --k sites; --target-share is for uncapacitated set covering");
    }
    auto s = siting_settings(o, cmd);
    s.mode = o.target_share ? engine::PlanMode::set_cover
                            : (capacitated ? engine::PlanMode::capacitated : engine::PlanMode::maximal);
    s.k = o.k.value_or(0);
    s.target_share = o.target_share.value_or(0.0);
    s.plan.exact = o.exact;
    const auto run = engine::run_site_plan(s, progress_printer());
    viz::write_plan(s.coverage.out, run, s);
    warn_siting_run(run);
    if (!g_quiet) {
        for (const auto& plan : run.plans) {
            const auto& ct = plan.target;
            const double total = ct.total_weight > 0 ? ct.total_weight : 1.0;
            std::cerr << ct.category << " against " << run.before.standard.targets[ct.target].id << ": "
                      << plan.sites.size() << " site(s), covered " << fixed(100.0 * ct.covered_weight / total, 1)
                      << " % -> " << fixed(100.0 * plan.covered_after / total, 1) << " %, gap to optimum at most "
                      << fixed(100.0 * plan.result.gap, 1) << " %" << (plan.result.optimal ? " (optimal)" : "") << '\n';
            if (!plan.result.target_reachable && s.coverage.language == engine::Language::zh) {
                std::cerr << "warning: " << ct.category << "：目标比例 " << fixed(100.0 * s.target_share, 1) << " % 无法达到："
                          << plan.result.unreachable_demand.size() << " 个需求点不在任何候选点或现有设施的可达范围内\n";
            } else if (!plan.result.target_reachable) {
                std::cerr << "warning: " << ct.category << ": the target share " << fixed(100.0 * s.target_share, 1)
                          << " % cannot be reached: " << plan.result.unreachable_demand.size()
                          << " demand points are within reach of no candidate and no existing facility\n";
            }
        }
        for (const auto& plan : run.unit_plans) {
            const auto& t = run.before.standard.targets[plan.target];
            std::uint32_t closed = 0;
            for (const auto& n : plan.needs) closed += n.chosen ? 1 : 0;
            std::cerr << t.id << " (" << engine::to_string(t.kind) << "): " << plan.needs.size() << " failing unit(s), "
                      << closed << " made to pass with " << plan.sites.size() << " site(s), "
                      << (plan.needs.size() - closed) << " left; gap to optimum at most " << fixed(100.0 * plan.result.gap, 1)
                      << " %" << (plan.result.optimal ? " (optimal)" : "") << '\n';
        }
    }
    finish_siting_run(run, "plan", s.coverage.out / "plan.md");
}

} // namespace

Command add_plan_command(CLI::App& app) {
    const auto [plan, o] = add_subcommand<SitingCli>(app, "plan", "choose new sites that close the gaps: best k sites, or fewest reaching a share");
    plan->add_option("--categories,--category", o->categories, "categories to plan, each separately against its coverage target, else together against their presence or ratio target (default: every category of the standard's coverage targets)")->delimiter(',');
    plan->add_option("--k", o->k, "number of new sites per category (maximal covering), or per presence target");
    plan->add_option("--target-share", o->target_share, "fewest sites so that this share of the target's basis is covered (set covering)");
    plan->add_flag("--exact", o->exact, "solve exactly (integer program; small instances)");
    add_siting_options(*plan, *o);
    return runs(plan, o, run_plan_command);
}

} // namespace yike::cli
