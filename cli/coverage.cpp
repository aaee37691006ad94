// `yike coverage`: the coverage and gap report of households against a planning standard.
#include <cmath>
#include <cstdint>
#include <iostream>
#include <memory>

#include "command.hpp"
#include "common.hpp"
#include "coverage_options.hpp"
#include "yike/engine/report.hpp"

namespace yike::cli {
namespace {

int run_coverage_command(const CoverageCli& c, CLI::App& cmd) {
    using namespace yike;
    const engine::CoverageSettings s = coverage_settings(c, cmd);
    const bool show_progress = !g_quiet && ::isatty(2) != 0;
    engine::CoverageNetworks networks;
    const auto data = engine::run_coverage(
        s,
        [&](const std::string& m) {
            if (show_progress) {
                std::cerr << m << "...\n";
            }
        },
        &networks);
    const auto results = engine::evaluate(data);
    engine::ReportOptions options;
    options.layer_format = s.layer_format;
    options.extra_files = html_report_files(networks);
    engine::write_report(s.out, data, results, options);

    print_warnings(data.run.warnings);
    if (!g_quiet) {
        std::size_t pass = 0;
        std::size_t fail = 0;
        for (const auto& t : results.targets) {
            pass += t.overall.status == engine::Status::pass ? 1 : 0;
            fail += t.overall.status == engine::Status::fail ? 1 : 0;
        }
        std::cerr << "coverage against " << data.standard.id << ": " << pass << " target(s) met, " << fail
                  << " not met, " << results.targets.size() - pass - fail << " reported without pass/fail; "
                  << thousands(static_cast<std::uint64_t>(std::llround(results.demand.households))) << " households in "
                  << thousands(results.demand.points) << " demand points\n"
                  << "report: " << (s.out / "summary.md").string() << ", " << (s.out / "report.html").string() << '\n';
    }
    return 0;
}

} // namespace

Command add_coverage_command(CLI::App& app) {
    auto cov = std::make_shared<CoverageCli>();
    auto* coverage = app.add_subcommand("coverage", "coverage and gap report of households against a planning standard");
    add_coverage_options(*coverage, *cov);
    coverage->add_flag("-q,--quiet", g_quiet, "print nothing but errors");
    return {coverage, [cov, coverage] { return run_coverage_command(*cov, *coverage); }};
}

} // namespace yike::cli
