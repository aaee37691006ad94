#pragma once
// One coverage run from settings to report data: reads the network (walk and senior profiles),
// facilities, demand and areas, snaps everything, runs one multi-source search per category and
// measure, and fills CoverageData for evaluate()/write_report(). The same settings can come from
// the command line or a scenario file (io::load_scenario), so a run can be repeated or batched.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <memory>

#include "yike/engine/coverage.hpp"
#include "yike/engine/report.hpp"
#include "yike/engine/tiles.hpp"
#include "yike/io/inputs.hpp"
#include "yike/io/osm_network.hpp"
#include "yike/io/output_folder.hpp"
#include "yike/io/profile.hpp"
#include "yike/io/scenario.hpp"

namespace yike::engine {

using io::DemandSource;
using io::FacilityLayerSource;

// What a scenario file (io::ScenarioSettings) or the command line says, and what only a run sets.
struct CoverageSettings : io::ScenarioSettings {
    CoverageSettings() = default;
    // A scenario's (or batch item's) settings as a run: the fields below at their defaults.
    CoverageSettings(io::ScenarioSettings from) : io::ScenarioSettings(std::move(from)) {}

    // Set: compute one tile of a tiled run (engine/tiles.hpp); the result holds valid rows only for
    // the tile's core, for write_tile_result, and only the demand records within the tile's halo
    // (CoverageNetworks::tile_cut->demand_index maps them to the whole run's).
    std::optional<TileWindow> tile;

    // Set (both or neither): the walking networks of `osm` for these two profiles, built once and
    // saved by save_coverage_networks (yike batch, for runs sharing an extract). The run loads them
    // instead of reading the extract's ways; it still reads the extract for facilities, buildings
    // and barriers. The report is the same byte for byte: the files hold the graphs and read
    // statistics exactly as read_walk_networks builds them.
    std::filesystem::path walk_network_file;
    std::filesystem::path senior_network_file;

    bool full_layer_detail = false; // --detail full (ReportOptions::full_layer_detail)
    bool force_out = false;         // --force: replace an --out folder yike did not write (never one holding an input)
}; // struct CoverageSettings

// Every file the run reads (extract, layers, standard, profiles, category mapping, scenario), for
// the output guard: no --out folder holding one of them is ever replaced.
std::vector<std::filesystem::path> input_files(const CoverageSettings& settings);

// Where the settings look for facilities (CoverageData::facility_sources; no_data in doc/report.md).
FacilitySources facility_sources(const CoverageSettings& settings);

// What --out may replace: io::write_output_folder's guard for these settings.
io::OutputGuard output_guard(const CoverageSettings& settings);

// Reads a scenario file (io/src/scenario.cpp); its settings convert to CoverageSettings.
using io::load_scenario;

// Progress messages ("snapping 12,000 households", ...) for the command line.
using ProgressFn = std::function<void(const std::string&)>;

// The graphs, barriers and snapped positions a coverage run used, for later steps (site planning)
// that need the same networks and positions. Not movable once filled: the snappers point into the
// graphs.
struct CoverageNetworks {
    io::WalkProfile walk;
    io::WalkProfile senior;
    io::WalkNetwork walk_net;
    io::WalkNetwork senior_net;
    std::vector<io::BarrierLine> barriers;
    std::unique_ptr<SiteSnapper> walk_snapper;
    std::unique_ptr<SiteSnapper> senior_snapper;
    std::vector<std::optional<routing::Origin>> demand_walk;    // per demand record
    std::vector<std::optional<routing::Origin>> demand_senior;
    std::vector<std::optional<routing::Origin>> facility_walk;  // per facility record
    std::vector<std::optional<routing::Origin>> facility_senior;

    // Tile runs: the cut (core, halo, edge ids of the whole graph); the graphs above are the halo's.
    std::optional<TileCutInfo> tile_cut;

    CoverageNetworks() = default;
    CoverageNetworks(const CoverageNetworks&) = delete;
    CoverageNetworks& operator=(const CoverageNetworks&) = delete;

    [[nodiscard]] const routing::WalkGraph& graph(bool senior_graph) const {
        return senior_graph ? senior_net.graph : walk_net.graph;
    }
};

// Appends the report's warnings about demand points and facilities that could not be snapped.
void add_unsnapped_warnings(CoverageData& data);

// Runs everything up to evaluation; `networks`, when given, receives the graphs and positions the
// run used. Throws yike::error subclasses for bad input.
CoverageData run_coverage(const CoverageSettings& settings, const ProgressFn& progress = {},
                          CoverageNetworks* networks = nullptr);

// Reads the walking networks of `settings.osm` for its walk and senior profiles (one reading of the
// extract, as run_coverage does) and saves them to the two files, for runs whose settings name
// them in walk_network_file / senior_network_file. Throws yike::error subclasses for bad input.
void save_coverage_networks(const CoverageSettings& settings, const std::filesystem::path& walk_file,
                            const std::filesystem::path& senior_file);

} // namespace yike::engine
