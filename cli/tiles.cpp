// `yike tiles` cuts a coverage run into tiles (manifest, one command per tile, a Slurm script) and
// `yike merge` turns the tiles' results into the report the monolithic run writes. The tiles
// themselves run `yike coverage --tile MANIFEST --tile-index I` (coverage.cpp).
#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>
#include <unistd.h>

#include "arguments.hpp"
#include "command.hpp"
#include "common.hpp"
#include "coverage_options.hpp"
#include "tile_manifest.hpp"
#include "yike/engine/categories.hpp"
#include "yike/engine/standards.hpp"
#include "yike/error.hpp"
#include "yike/io/osm_network.hpp"
#include "yike/io/profile.hpp"
#include "yike/viz/tile_result.hpp"

namespace yike::cli {
namespace {

namespace fs = std::filesystem;

struct TilesCli {
    CoverageCli coverage;
    double tile_km = 0.0;
    std::optional<double> unsafe_halo_m;
    unsigned task_mem_mb = 0;
    unsigned merge_mem_mb = 0;
    std::string report;
};

std::string quoted(const std::string& s) {
    std::string out = "'";
    for (const char c : s) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

void write_text(const fs::path& file, const std::string& text, bool executable = false) {
    std::ofstream out(file, std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
        throw io_error(file.string() + ": cannot write");
    }
    if (executable) {
        fs::permissions(file, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                        fs::perm_options::add);
    }
}

// Memory a Slurm job asks for (--mem) when not given, from the extract's walkable way-nodes: a tile
// task still reads the whole extract's ways, buildings and facilities before it cuts them to its
// halo, and the merge writes the whole report, so both grow with the region. The lines go through
// the largest peaks measured (benchmarks/run_tiles.sh, synthetic cities, 5 km tiles; doc/batch.md,
// "Memory and limits"): a tile task 506 MiB at 0.97 million way-nodes and 1,594 MiB at 4.9 million
// (236 + 278 per million); the merge 1,081 MiB at 0.97 million and, taking the monolithic run's
// 3,918 MiB at 4.9 million for it (the merge was not run there), 377 + 724 per million. Each gets
// half again as much room, rounded up to 256 MB.
unsigned default_mem_mb(std::uint64_t way_nodes, double base_mb, double per_million_mb) {
    const double mb = 1.5 * (base_mb + per_million_mb * static_cast<double>(way_nodes) / 1e6);
    return static_cast<unsigned>(std::ceil(std::min(mb, 4e6) / 256.0) * 256.0);
}

fs::path self_path() {
    std::error_code ec;
    const auto p = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path("yike") : p;
}

int run_tiles(const TilesCli& t, CLI::App& cmd) {
    const engine::CoverageSettings s = coverage_settings(t.coverage, cmd, false);
    if (!s.dem.empty()) {
        throw usage_error("--dem " + s.dem.string() + ": tiled runs do not read a DEM yet; run yike coverage without tiles");
    }
    if (t.coverage.out.empty()) {
        throw usage_error("give the work folder with --out WORK");
    }
    if (t.unsafe_halo_m && !(*t.unsafe_halo_m >= 0.0 && std::isfinite(*t.unsafe_halo_m))) {
        throw usage_error("--unsafe-halo-m: a number of metres >= 0");
    }
    const fs::path work = fs::absolute(t.coverage.out).lexically_normal();
    std::error_code ec;
    if (!fs::is_directory(work.parent_path(), ec)) {
        throw usage_error("--out " + work.string() + ": folder '" + work.parent_path().string() + "' does not exist");
    }
    const io::OutputGuard guard = engine::output_guard(s);
    io::check_output_folder(work, guard);
    message("reading the walking networks of " + s.osm.string());
    TileManifest m;
    std::uint64_t way_nodes = 0;
    {
        // Both profiles, as a tile run reads them: its bounded reader needs each whole network's
        // frame and longest segment, the halo the fastest edge of either (the manifest keeps them).
        const io::WalkProfile both[] = {io::load_profile(s.walk_profile), io::load_profile(s.senior_profile)};
        const std::vector<io::WalkNetwork> networks = io::read_walk_networks(s.osm, both);
        m.grid = engine::make_tile_grid(networks[0].graph, t.tile_km);
        m.network = engine::tile_network_facts(networks[0], networks[1]);
        way_nodes = networks[0].report.walkable_way_nodes;
    }
    m.tile_km = t.tile_km;
    m.unsafe_halo_m = t.unsafe_halo_m;
    m.coverage_args = given_options(
        cmd, {"--out", "--tile-km", "--unsafe-halo-m", "--task-mem-mb", "--merge-mem-mb", "--report", "--quiet", "--force"});

    // Everything goes into a temporary sibling first, so a failure leaves no half-written folder.
    io::write_output_folder(work, "yike tiles work folder", guard, [&](const fs::path& temp) {
        fs::create_directories(temp / "logs");
        write_tile_manifest(temp / "manifest.json", m);
        const std::string yike = quoted(self_path().string());
        const std::string manifest = quoted((work / "manifest.json").string());
        std::string tasks;
        for (std::uint32_t i = 0; i < m.grid.count(); ++i) {
            tasks += yike + " -q coverage --tile " + manifest + " --tile-index " + std::to_string(i) + "\n";
        }
        write_text(temp / "tasks.txt", tasks);
        const fs::path report = t.report.empty() ? work / "report" : fs::absolute(t.report).lexically_normal();
        const unsigned mem = t.task_mem_mb != 0 ? t.task_mem_mb : default_mem_mb(way_nodes, 236.0, 278.0);
        const unsigned merge_mem = t.merge_mem_mb != 0 ? t.merge_mem_mb : default_mem_mb(way_nodes, 377.0, 724.0);
        write_text(temp / "tile_job.sh",
                   "#!/bin/sh\n"
                   "# One tile of the tiled run: line SLURM_ARRAY_TASK_ID + 1 of tasks.txt (also for any other runner\n"
                   "# that sets the index, e.g. a Kubernetes Indexed Job: TASK_INDEX=$JOB_COMPLETION_INDEX).\n"
                   "set -eu\n"
                   "i=${SLURM_ARRAY_TASK_ID:-${TASK_INDEX:?set SLURM_ARRAY_TASK_ID or TASK_INDEX}}\n"
                   "line=$(sed -n \"$((i + 1))p\" " + quoted((work / "tasks.txt").string()) + ")\n"
                   "[ -n \"$line\" ] || { echo \"tile_job.sh: no task $i\" >&2; exit 2; }\n"
                   "exec sh -c \"$line\"\n",
                   true);
        write_text(temp / "merge_job.sh",
                   "#!/bin/sh\n# Merges the tiles into the report (runs only after every tile succeeded).\nexec " + yike +
                       " merge " + quoted(work.string()) + " --out " + quoted(report.string()) + "\n",
                   true);
        const std::string last = std::to_string(m.grid.count() - 1);
        write_text(temp / "slurm.sh",
                   "#!/bin/sh\n"
                   "# Submits the " + std::to_string(m.grid.count()) + " tiles as one Slurm array job and the merge as a job that\n"
                   "# starts only when every tile succeeded (afterok); if a tile fails, Slurm cancels the merge\n"
                   "# (--kill-on-invalid-dep) and logs/tile_<index>.log says why. Memory per task: " + std::to_string(mem) + " MB\n"
                   "# (yike tiles --task-mem-mb), for the merge " + std::to_string(merge_mem) + " MB (--merge-mem-mb).\n"
                   "# More sbatch options: YIKE_SBATCH_OPTIONS=\"--partition=... --account=...\".\n"
                   "set -eu\n"
                   "cd " + quoted(work.string()) + "\n"
                   "tiles=$(sbatch --parsable --job-name=yike-tiles --array=0-" + last + " --ntasks=1 --cpus-per-task=1 --mem=" +
                       std::to_string(mem) + "M ${YIKE_SBATCH_OPTIONS:-} --output=logs/tile_%a.log tile_job.sh)\n"
                   "tiles=${tiles%%;*}\n"
                   "merge=$(sbatch --parsable --job-name=yike-merge --dependency=afterok:$tiles --kill-on-invalid-dep=yes "
                   "--ntasks=1 --mem=" + std::to_string(merge_mem) + "M ${YIKE_SBATCH_OPTIONS:-} --output=logs/merge.log merge_job.sh)\n"
                   "merge=${merge%%;*}\n"
                   "echo \"$tiles $merge\"\n",
                   true);
    });
    message("tiles: " + std::to_string(m.grid.cols) + " x " + std::to_string(m.grid.rows) + " = " +
            std::to_string(m.grid.count()) + " tiles of " + fixed(t.tile_km, 1) + " km; " +
            (work / "tasks.txt").string() + " (one command per tile), " + (work / "slurm.sh").string());
    return 0;
}

struct MergeCli {
    std::string work;
    std::string out;
    std::string layers;
    bool force = false;
};

int run_merge(const MergeCli& o) {
    const fs::path work = o.work;
    const TileManifest m = read_tile_manifest(work / "manifest.json");
    engine::CoverageSettings s = manifest_settings(m);
    if (!o.layers.empty()) {
        if (o.layers != "gpkg" && o.layers != "geojson") {
            throw usage_error("--layers: gpkg or geojson");
        }
        s.layer_format = o.layers == "gpkg" ? io::VectorFormat::gpkg : io::VectorFormat::geojson;
    }
    const fs::path out = o.out;
    const auto parent = out.has_parent_path() ? out.parent_path() : fs::path(".");
    if (!fs::is_directory(parent)) {
        throw usage_error("--out " + out.string() + ": folder '" + parent.string() + "' does not exist");
    }
    std::vector<fs::path> files;
    for (std::uint32_t i = 0; i < m.grid.count(); ++i) {
        files.push_back(tile_result_path(work, i));
    }
    s.force_out = o.force;
    io::OutputGuard guard = engine::output_guard(s);
    guard.inputs.push_back(work / "manifest.json");
    guard.inputs.insert(guard.inputs.end(), files.begin(), files.end());
    io::check_output_folder(out, guard);
    engine::CoverageData data;
    engine::CoverageNetworks networks;
    // The whole walking networks: the tiles name snapped edges by key, the merged snaps take these
    // graphs' edge ids, and the HTML report draws isochrones on them, as the monolithic run's does.
    message("reading the walking network of " + s.osm.string());
    networks.walk = io::load_profile(s.walk_profile);
    networks.senior = io::load_profile(s.senior_profile);
    {
        const io::WalkProfile both[] = {networks.walk, networks.senior};
        auto read = io::read_walk_networks(s.osm, both);
        networks.walk_net = std::move(read[0]);
        networks.senior_net = std::move(read[1]);
    }
    viz::merge_tile_results(files, {m.id, m.settings_hash(), 0, m.grid.count()}, data, networks.facility_senior,
                            networks.walk_net.graph, networks.senior_net.graph);
    data.categories = engine::load_category_mapping(s.category_mapping);
    data.standard = engine::load_standard(s.standard, data.categories);
    data.facility_sources = engine::facility_sources(s);
    data.run.language = s.language;
    engine::add_unsnapped_warnings(data);
    const auto results = engine::evaluate(data);
    viz::ReportOptions options;
    options.layer_format = s.layer_format;
    options.networks = &networks;
    options.writer = "yike coverage report"; // the monolithic run's report, byte for byte
    options.guard = guard;
    viz::write_report(out, data, results, options);
    print_warnings(data.run);
    message("merged " + std::to_string(m.grid.count()) + " tiles: " + thousands(results.demand.points) +
            " demand points; report: " + (out / "summary.md").string());
    print_missing_data_warning(data, results);
    return 0;
}

} // namespace

Command add_tiles_command(CLI::App& app) {
    auto t = std::make_shared<TilesCli>();
    auto* cmd = app.add_subcommand("tiles", "cut a coverage run into tiles with an exact halo: manifest, tasks.txt, slurm.sh");
    add_coverage_options(*cmd, t->coverage);
    add_force_option(*cmd, t->coverage.force);
    cmd->get_option("--out")->description("work folder: manifest.json, tasks.txt, slurm.sh, the tiles' results");
    cmd->add_option("--tile-km", t->tile_km, "tile side in km (the halo around each tile is derived, see doc/batch.md)")->required();
    cmd->add_option("--report", t->report, "report folder the merge job writes (default WORK/report)");
    cmd->add_option("--task-mem-mb", t->task_mem_mb,
                    "memory per Slurm tile task in MB (default: from the extract's size, doc/batch.md)");
    cmd->add_option("--merge-mem-mb", t->merge_mem_mb, "memory of the Slurm merge job in MB (default: from the extract's size)");
    cmd->add_option("--unsafe-halo-m", t->unsafe_halo_m, "replace the derived halo (tests only: results are then not exact)")
        ->group("");
    cmd->add_flag("-q,--quiet", g_quiet, "print nothing but errors");
    return {cmd, [t, cmd] { return run_tiles(*t, *cmd); }};
}

Command add_merge_command(CLI::App& app) {
    auto o = std::make_shared<MergeCli>();
    auto* cmd = app.add_subcommand("merge", "merge the tiles of a tiled run (yike tiles) into the coverage report");
    cmd->add_option("work", o->work, "the work folder yike tiles wrote")->required();
    cmd->add_option("--out", o->out, "report folder (replaced atomically)")->required();
    cmd->add_option("--layers", o->layers, "layer format: gpkg or geojson (default: the run's)");
    add_force_option(*cmd, o->force);
    cmd->add_flag("-q,--quiet", g_quiet, "print nothing but errors");
    return {cmd, [o] { return run_merge(*o); }};
}

} // namespace yike::cli
