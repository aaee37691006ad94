// `yike coverage`: the coverage and gap report of households against a planning standard.
#include <cmath>
#include <cstdint>
#include <iostream>
#include <filesystem>
#include <memory>
#include <optional>

#include "command.hpp"
#include "common.hpp"
#include "coverage_options.hpp"
#include "tile_manifest.hpp"
#include "arguments.hpp"
#include "yike/engine/report.hpp"
#include "yike/io/phase_log.hpp"
#include "yike/viz/tile_result.hpp"

namespace yike::cli {
namespace {

// --tile MANIFEST --tile-index I: one tile of a tiled run (yike tiles), written next to the
// manifest for yike merge. Options given here besides those two are added to the manifest's and
// change the tile's settings hash, so the merge refuses the tile.
struct TileCli {
    std::string manifest;
    std::optional<std::uint32_t> index;
};

int run_tile(const TileCli& t, const CoverageCli& c, CLI::App& cmd) {
    if (!t.index) {
        throw usage_error("--tile needs --tile-index I");
    }
    const std::filesystem::path manifest_file = t.manifest;
    const TileManifest m = read_tile_manifest(manifest_file);
    if (*t.index >= m.grid.count()) {
        throw usage_error("--tile-index " + std::to_string(*t.index) + ": out of range (" + manifest_file.string() +
                          " has " + std::to_string(m.grid.count()) + " tiles, 0 to " +
                          std::to_string(m.grid.count() - 1) + ")");
    }
    // Options that change no figure (threads, quiet) are not part of the settings.
    const auto extra = given_options(cmd, {"--tile", "--tile-index", "--quiet", "--threads", "--force"});
    engine::CoverageSettings s = manifest_settings(m, extra);
    if (cmd.count("--threads") > 0) {
        s.threads = c.threads;
    }
    s.tile = engine::TileWindow{m.grid, *t.index, m.unsafe_halo_m, m.network};
    engine::CoverageNetworks networks;
    const auto data = engine::run_coverage(s, progress_printer(), &networks);
    const auto file = tile_result_path(manifest_file.parent_path(), *t.index);
    const auto& cut = *networks.tile_cut;
    viz::write_tile_result(file, {m.id, m.settings_hash(extra), *t.index, m.grid.count()}, data, cut);
    message("tile " + std::to_string(*t.index) + ": " + thousands(cut.core_demand_count) + " demand points, " +
            thousands(cut.core_facility_count) + " facilities; halo " + thousands(static_cast<std::uint64_t>(cut.halo_m)) +
            " m, " + thousands(cut.graph_edges) + " edges; " + file.string());
    return 0;
}

int run_coverage_command(const CoverageCli& c, CLI::App& cmd) {
    run_coverage_report(coverage_settings(c, cmd));
    return 0;
}

} // namespace

void run_coverage_report(const engine::CoverageSettings& s, const std::string& batch_stamp) {
    using namespace yike;
    // Before the run, not only when writing: a refused folder should not cost the whole computation.
    io::check_output_folder(s.out, engine::output_guard(s));
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
    // The writers draw on the graphs and the facilities' positions only: the snappers (a segment
    // index per network), the barriers and the demand points' origins go before the writers' own
    // memory comes (the peak of a run is reached while they write).
    networks.walk_snapper.reset();
    networks.senior_snapper.reset();
    std::vector<io::BarrierLine>().swap(networks.barriers);
    std::vector<std::optional<routing::Origin>>().swap(networks.demand_walk);
    std::vector<std::optional<routing::Origin>>().swap(networks.demand_senior);
    io::phase_mark("evaluate");
    const auto results = engine::evaluate(data);
    viz::ReportOptions options;
    options.layer_format = s.layer_format;
    options.full_layer_detail = s.full_layer_detail;
    options.networks = &networks;
    options.batch_stamp = batch_stamp;
    options.guard = engine::output_guard(s);
    viz::write_report(s.out, data, results, options);

    print_warnings(data.run);
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
    print_missing_data_warning(data, results);
}

Command add_coverage_command(CLI::App& app) {
    auto cov = std::make_shared<CoverageCli>();
    auto* coverage = app.add_subcommand("coverage", "coverage and gap report of households against a planning standard");
    add_coverage_options(*coverage, *cov);
    add_force_option(*coverage, cov->force);
    auto tile = std::make_shared<TileCli>();
    coverage->add_option("--tile", tile->manifest, "compute one tile of a tiled run: its manifest.json (yike tiles)");
    coverage->add_option("--tile-index", tile->index, "the tile to compute, 0 to tiles - 1 (with --tile)");
    coverage->add_flag("-q,--quiet", g_quiet, "print nothing but errors");
    return {coverage, [cov, tile, coverage] {
                if (!tile->manifest.empty()) {
                    return run_tile(*tile, *cov, *coverage);
                }
                if (tile->index) {
                    throw usage_error("--tile-index needs --tile MANIFEST");
                }
                return run_coverage_command(*cov, *coverage);
            }};
}

} // namespace yike::cli
