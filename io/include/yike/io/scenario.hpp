#pragma once
// Scenario files: the settings of a coverage run written down (TOML; the keys of the command line,
// paths relative to the file), so that a run can be repeated or batched. The engine runs them as
// engine::CoverageSettings (yike/engine/coverage_run.hpp), which adds what only a run sets.
#include <filesystem>
#include <string>
#include <vector>

#include "yike/io/feature_writer.hpp"
#include "yike/io/inputs.hpp"
#include "yike/io/language.hpp"

namespace yike::io {

enum class DemandSource { estimate_from_buildings, households_layer, population_raster };

struct FacilityLayerSource {
    std::filesystem::path path;
    FacilityLayerOptions options;
};

struct ScenarioSettings {
    std::filesystem::path osm;
    bool osm_facilities = true; // facilities from OSM through the category mapping
    std::vector<FacilityLayerSource> facility_layers;
    std::filesystem::path category_mapping; // empty: the shipped data/categories/osm.toml

    DemandSource demand_source = DemandSource::estimate_from_buildings;
    std::filesystem::path demand_path; // households layer or population raster
    DemandLayerOptions demand_options;
    HouseholdEstimate estimate;

    std::filesystem::path communities;  // empty: grid cells
    AreaLayerOptions community_options;
    std::filesystem::path subdistricts; // empty: the whole study area
    AreaLayerOptions subdistrict_options;
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

    // Output (used by the command line; a scenario may set them).
    std::filesystem::path out;
    VectorFormat layer_format = VectorFormat::gpkg;
    Language language = Language::both; // of summary.md, report.html and summary.xlsx (--lang)
    std::filesystem::path scenario;     // the scenario file the settings came from, if any (an input too)
}; // struct ScenarioSettings

// Reads a scenario file: the same settings as the command line, paths relative to the file.
// Throws config_error naming file:line on unknown keys or bad values, io_error when it is missing.
ScenarioSettings load_scenario(const std::filesystem::path& file);

} // namespace yike::io
