#pragma once
// One coverage run from settings to report data: reads the network (walk and senior profiles),
// facilities, demand and areas, snaps everything, runs one multi-source search per category and
// measure, and fills CoverageData for evaluate()/write_report(). The same settings can come from
// the command line or a scenario file (TOML), so a run can be repeated or batched.
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

namespace yike::engine {

enum class DemandSource { estimate_from_buildings, households_layer, population_raster };

struct FacilityLayerSource {
    std::filesystem::path path;
    io::FacilityLayerOptions options;
};

struct CoverageSettings {
    std::filesystem::path osm;
    bool osm_facilities = true; // facilities from OSM through the category mapping
    std::vector<FacilityLayerSource> facility_layers;
    std::filesystem::path category_mapping; // empty: the shipped data/categories/osm.toml

    DemandSource demand_source = DemandSource::estimate_from_buildings;
    std::filesystem::path demand_path; // households layer or population raster
    io::DemandLayerOptions demand_options;
    io::HouseholdEstimate estimate;

    std::filesystem::path communities;  // empty: grid cells
    io::AreaLayerOptions community_options;
    std::filesystem::path subdistricts; // empty: the whole study area
    io::AreaLayerOptions subdistrict_options;
    double grid_cell_m = 500.0;

    std::string standard = "beijing-15min"; // id or TOML file
    std::string walk_profile = "walk";
    std::string senior_profile = "senior";
    // A DEM (any GDAL raster): slopes change walking times per the profiles' [slope] rules, uphill
    // and downhill differently. Empty: flat, exactly as before DEMs were read.
    std::filesystem::path dem;
    double max_snap_m = 300.0;
    bool gaussian_decay = false; // E2SFCA instead of 2SFCA where capacities exist
    unsigned threads = 0;        // 0: all cores

    // Set: compute one tile of a tiled run (engine/tiles.hpp); the result holds valid rows only for
    // the tile's core, for write_tile_result.
    std::optional<TileWindow> tile;

    // Set (both or neither): the walking networks of `osm` for these two profiles, built once and
    // saved by save_coverage_networks (yike batch, for runs sharing an extract). The run loads them
    // instead of reading the extract's ways; it still reads the extract for facilities, buildings
    // and barriers. The report is the same byte for byte: the files hold the graphs and read
    // statistics exactly as read_walk_networks builds them.
    std::filesystem::path walk_network_file;
    std::filesystem::path senior_network_file;

    // Output (used by the command line; a scenario may set them).
    std::filesystem::path out;
    io::VectorFormat layer_format = io::VectorFormat::gpkg;
    bool full_layer_detail = false;     // --detail full (ReportOptions::full_layer_detail)
    Language language = Language::both; // of summary.md, report.html and summary.xlsx (--lang)
    bool force_out = false;          // --force: replace an --out folder yike did not write (never one holding an input)
    std::filesystem::path scenario;  // the scenario file the settings came from, if any (an input too)
}; // struct CoverageSettings

// Every file the run reads (extract, layers, standard, profiles, category mapping, scenario), for
// the output guard: no --out folder holding one of them is ever replaced.
std::vector<std::filesystem::path> input_files(const CoverageSettings& settings);

// Where the settings look for facilities (CoverageData::facility_sources; no_data in doc/report.md).
FacilitySources facility_sources(const CoverageSettings& settings);

// What --out may replace: io::write_output_folder's guard for these settings.
io::OutputGuard output_guard(const CoverageSettings& settings);

// Reads a scenario file: the same settings as the command line, paths relative to the file.
// Throws config_error naming file:line on unknown keys or bad values.
CoverageSettings load_scenario(const std::filesystem::path& file);

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
