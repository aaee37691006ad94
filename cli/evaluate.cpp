// `yike evaluate`: the demand each candidate site would newly bring within a target's threshold.
#include <iostream>
#include <memory>

#include "arguments.hpp"
#include "command.hpp"
#include "common.hpp"
#include "siting_options.hpp"

namespace yike::cli {
namespace {

void run_evaluate_command(const SitingCli& o, CLI::App& cmd) {
    using namespace yike;
    if (o.categories.empty()) {
        throw usage_error("give the category of the new facility with --category ID");
    }
    const auto s = siting_settings(o, cmd);
    const auto run = engine::run_site_evaluation(s, progress_printer());
    viz::write_evaluation(s.coverage.out, run, s);
    warn_siting_run(run);
    if (!g_quiet) {
        for (const auto& ev : run.evaluations) {
            const auto& t = run.before.standard.targets[ev.target.target];
            const auto& best = ev.rows.front();
            std::cerr << ev.target.category << " against " << t.id << ": " << ev.rows.size()
                      << " candidates evaluated; the best, " << run.candidates[best.candidate].id << ", newly covers "
                      << fixed(best.newly_covered, 1) << ' ' << (t.basis == engine::Basis::communities ? "households" : std::string(engine::to_string(t.basis)))
                      << " (covered before: " << fixed(100.0 * (ev.target.total_weight > 0 ? ev.target.covered_weight / ev.target.total_weight : 0), 1)
                      << " %)\n";
        }
        for (const auto& ev : run.unit_evaluations) {
            const auto& t = run.before.standard.targets[ev.target];
            std::size_t passing = 0;
            for (const auto& row : ev.rows) passing += row.makes_pass ? 1 : 0;
            std::cerr << ev.category << " against " << t.id << " (" << engine::to_string(t.kind) << "): " << ev.rows.size()
                      << " candidates evaluated, " << passing << " would make their unit pass; the best, "
                      << run.candidates[ev.rows.front().candidate].id << ", brings "
                      << fixed(ev.rows.front().gain_15min, 1) << ' ' << engine::basis_name(ev.basis)
                      << " a first one within 15 minutes\n";
        }
    }
    finish_siting_run(run, "table", s.coverage.out / "evaluation.md");
}

} // namespace

Command add_evaluate_command(CLI::App& app) {
    const auto [evaluate, o] = add_subcommand<SitingCli>(app, "evaluate", "evaluate candidate sites: the demand each would newly bring within a target's threshold");
    evaluate->add_option("--category", o->categories, "category of the new facility (see `yike standards show`)")->delimiter(',');
    add_siting_options(*evaluate, *o);
    return runs(evaluate, o, run_evaluate_command);
}

} // namespace yike::cli
