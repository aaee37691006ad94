#include "coverage_options.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "arguments.hpp"
#include "yike/io/feature_writer.hpp"
#include "yike/viz/html_report.hpp"

namespace yike::cli {

namespace {

// The CATEGORY of FILE=CATEGORY is a category id (snake_case); anything else after a '=' belongs to
// the file's name or its CRS (a PROJ string has '=' too).
bool is_category_id(const std::string& text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
    });
}

} // namespace

void add_coverage_options(CLI::App& cmd, CoverageCli& cov) {
    cmd.add_option("--scenario", cov.scenario, "read the settings from a scenario file (TOML); options given here override it");
    cmd.add_option("--osm", cov.osm, "OpenStreetMap extract: walking network, and facilities/buildings/barriers");
    cmd.add_option("--facilities", cov.facilities, "facility layer FILE[:SHEET][@CRS] (category from a field, or POI classes with --poi-format) or FILE[:SHEET][@CRS]=CATEGORY (repeatable)")->take_all();
    cmd.add_option("--poi-format", cov.poi_format, "the --facilities files are POI exports: amap (typecode/type, GCJ-02) or baidu (一级/二级行业, BD-09), mapped by data/categories/amap.toml or baidu.toml");
    cmd.add_option("--category-field", cov.category_field, "field holding the category id (default: category)");
    cmd.add_option("--capacity-field", cov.capacity_field, "field with seats/beds/... (enables 2SFCA)");
    cmd.add_option("--floor-area-field", cov.floor_area_field, "field with floor area in m² (for floor-area ratio targets)");
    cmd.add_option("--staff-field", cov.staff_field, "field with staff numbers (for staffing ratio targets)");
    cmd.add_flag("--no-osm-facilities", cov.no_osm_facilities, "use only the --facilities layers");
    cmd.add_option("--households", cov.households, "demand layer FILE[:SHEET][@CRS] with households/population/seniors/children (户数/人口/老年人口/儿童人口) fields");
    cmd.add_flag("--estimate-households", cov.estimate_households, "estimate households from OSM residential buildings (the default)");
    cmd.add_option("--population-raster", cov.population_raster, "population raster (GeoTIFF...): each cell is a demand point");
    cmd.add_option("--communities", cov.communities, "community (社区) polygons FILE[:SHEET][@CRS]; default: grid cells");
    cmd.add_option("--subdistricts", cov.subdistricts, "sub-district (街道) polygons FILE[:SHEET][@CRS]");
    cmd.add_option("--parent-field", cov.parent_field, "community field naming its sub-district id");
    cmd.add_option("--community-households", cov.community_households_field,
                         "community field with known household counts: estimated households are scaled to match");
    cmd.add_option("--grid", cov.grid_m, "grid cell size in metres when no communities are given (default 500)");
    cmd.add_option("--crs", cov.crs, "CRS of the input layers not given one by FILE@CRS or the scenario (EPSG:4326, EPSG:4490, GCJ-02, BD-09, ...), overriding the files'");
    cmd.add_option("--encoding", cov.encoding, "text encoding of CSV layers: auto (default: UTF-8, else GBK/GB18030), utf-8, gbk or gb18030");
    cmd.add_option("--standard", cov.standard, "standard id (see `yike standards list`) or TOML file, or several joined by commas (default beijing-15min)");
    cmd.add_option("--profile", cov.profile, "walking profile for general targets (default walk)");
    cmd.add_option("--senior-profile", cov.senior_profile, "walking profile for senior targets and targets with profile = \"senior\" (default senior; e.g. wheelchair)");
    cmd.add_option("--dem", cov.dem, "elevation model (GeoTIFF, ASC, HGT, any GDAL raster): uphill and downhill walking times per the profiles' [slope] rules");
    cmd.add_option("--max-snap", cov.max_snap_m, "largest distance (m) from a household or facility to the network (default 300)");
    cmd.add_option("--decay", cov.decay, "floating catchment: none (2SFCA, default) or gaussian (E2SFCA)");
    cmd.add_option("--layers", cov.layers, "layer format in the report: gpkg (default) or geojson");
    cmd.add_option("--detail", cov.detail,
                   "per-demand-point detail in the report's layers: summary (default: weights, areas, minutes, covered per "
                   "target) or full (also the graph starts, metres, nearest ids and the 'uncovered' layer)");
    cmd.add_option("--lang", cov.lang, "language of summary.md, report.html, summary.xlsx (and plan.md, evaluation.md): zh, en or both (default)");
    cmd.add_option("--threads", cov.threads, "worker threads (default: all cores)");
    cmd.add_option("--out", cov.out, "report folder (replaced atomically when the run succeeds)");
}

void add_force_option(CLI::App& cmd, bool& force) {
    cmd.add_flag("--force", force,
                 "replace an --out folder that yike did not write (never one holding an input of the run)");
}

engine::CoverageSettings coverage_settings(const CoverageCli& c, CLI::App& cmd, bool needs_out) {
    using namespace yike;
    auto given = [&](const char* name) { return cmd.get_option_no_throw(name) != nullptr && cmd.count(name) > 0; };
    engine::CoverageSettings s;
    if (!c.scenario.empty()) {
        s = engine::load_scenario(c.scenario);
    } else if (c.osm.empty()) {
        throw usage_error("give --osm FILE (or --scenario FILE)");
    }
    if (given("--osm")) {
        s.osm = c.osm;
    }
    std::optional<std::string> crs;
    if (given("--crs")) {
        crs = c.crs;
    }
    if (given("--facilities")) {
        s.facility_layers.clear();
        for (const auto& text : c.facilities) {
            // FILE[:SHEET][@CRS] or ...=CATEGORY (every feature of the file is of that category).
            engine::FacilityLayerSource f;
            std::string spec = text;
            const auto eq = spec.rfind('=');
            if (eq != std::string::npos && eq > 0 && is_category_id(spec.substr(eq + 1))) {
                f.options.category = spec.substr(eq + 1);
                spec.erase(eq);
            } else if (c.poi_format.empty()) {
                f.options.category_field = c.category_field.empty() ? "category" : c.category_field;
            }
            const io::LayerSpec layer = io::parse_layer_spec(spec);
            f.path = layer.path;
            f.options.layer = layer.layer;
            f.options.crs = layer.crs;
            if (f.options.category.empty()) {
                f.options.poi_format = c.poi_format;
            }
            f.options.capacity_field = c.capacity_field;
            f.options.floor_area_field = c.floor_area_field;
            f.options.staff_field = c.staff_field;
            s.facility_layers.push_back(std::move(f));
        }
    }
    if (given("--poi-format")) {
        if (c.poi_format != "amap" && c.poi_format != "baidu") {
            throw usage_error("--poi-format: amap or baidu");
        }
        if (!given("--facilities")) {
            throw usage_error("--poi-format: give the POI files with --facilities FILE");
        }
    }
    if (given("--encoding")) {
        const std::string e = c.encoding;
        if (e != "auto" && e != "utf-8" && e != "UTF-8" && e != "utf8" && e != "gbk" && e != "GBK" && e != "gb18030" &&
            e != "GB18030") {
            throw usage_error("--encoding: auto, utf-8, gbk or gb18030");
        }
    }
    if (c.no_osm_facilities) {
        s.osm_facilities = false;
    }
    const int demand_choices = (given("--households") ? 1 : 0) + (c.estimate_households ? 1 : 0) +
                               (given("--population-raster") ? 1 : 0);
    if (demand_choices > 1) {
        throw usage_error("give one of --households, --estimate-households and --population-raster");
    }
    if (given("--households") || given("--population-raster")) {
        const io::LayerSpec layer = io::parse_layer_spec(given("--households") ? c.households : c.population_raster);
        s.demand_source = given("--households") ? engine::DemandSource::households_layer
                                                : engine::DemandSource::population_raster;
        s.demand_path = layer.path;
        s.demand_options.layer = layer.layer;
        if (layer.crs) s.demand_options.crs = layer.crs;
    } else if (c.estimate_households) {
        s.demand_source = engine::DemandSource::estimate_from_buildings;
    }
    if (given("--communities")) {
        const io::LayerSpec layer = io::parse_layer_spec(c.communities);
        s.communities = layer.path;
        s.community_options.layer = layer.layer;
        if (layer.crs) s.community_options.crs = layer.crs;
    }
    if (given("--subdistricts")) {
        const io::LayerSpec layer = io::parse_layer_spec(c.subdistricts);
        s.subdistricts = layer.path;
        s.subdistrict_options.layer = layer.layer;
        if (layer.crs) s.subdistrict_options.crs = layer.crs;
    }
    // --crs is the default of every layer not given its own (FILE@CRS, crs = in the scenario).
    if (crs) {
        for (auto& f : s.facility_layers) {
            // A POI export's format says its CRS (GCJ-02 for AMap, BD-09 for Baidu); only FILE@CRS changes it.
            if (!f.options.crs && f.options.poi_format.empty()) f.options.crs = crs;
        }
        for (io::LayerOptions* o : {static_cast<io::LayerOptions*>(&s.demand_options),
                                    static_cast<io::LayerOptions*>(&s.community_options),
                                    static_cast<io::LayerOptions*>(&s.subdistrict_options)}) {
            if (!o->crs) o->crs = crs;
        }
    }
    if (given("--encoding")) {
        for (auto& f : s.facility_layers) f.options.encoding = c.encoding;
        s.demand_options.encoding = c.encoding;
        s.community_options.encoding = c.encoding;
        s.subdistrict_options.encoding = c.encoding;
    }
    if (given("--parent-field")) {
        s.community_options.parent_field = c.parent_field;
    }
    if (given("--community-households")) {
        s.community_options.households_field = c.community_households_field;
    }
    if (c.grid_m) {
        if (!std::isfinite(*c.grid_m) || *c.grid_m < 50 || *c.grid_m > 10'000) {
            throw usage_error("--grid: cell size must be between 50 and 10,000 m");
        }
        s.grid_cell_m = *c.grid_m;
    }
    if (given("--standard")) {
        s.standard = c.standard;
    }
    if (given("--profile")) {
        s.walk_profile = c.profile;
    }
    if (given("--senior-profile")) {
        s.senior_profile = c.senior_profile;
    }
    if (given("--dem")) {
        s.dem = c.dem;
    }
    if (c.max_snap_m) {
        if (!std::isfinite(*c.max_snap_m) || *c.max_snap_m < 0) {
            throw usage_error("--max-snap: must be a non-negative number of metres");
        }
        s.max_snap_m = *c.max_snap_m;
    }
    if (given("--decay")) {
        if (c.decay != "none" && c.decay != "gaussian") {
            throw usage_error("--decay: none or gaussian");
        }
        s.gaussian_decay = c.decay == "gaussian";
    }
    if (given("--lang")) {
        const auto language = engine::parse_language(c.lang);
        if (!language) {
            throw usage_error("--lang: zh, en or both, not '" + c.lang + "'");
        }
        s.language = *language;
    }
    if (given("--layers")) {
        if (c.layers != "gpkg" && c.layers != "geojson") {
            throw usage_error("--layers: gpkg or geojson");
        }
        s.layer_format = c.layers == "gpkg" ? io::VectorFormat::gpkg : io::VectorFormat::geojson;
    }
    if (given("--detail")) {
        if (c.detail != "summary" && c.detail != "full") {
            throw usage_error("--detail: summary or full");
        }
        s.full_layer_detail = c.detail == "full";
    }
    if (given("--threads")) {
        s.threads = c.threads;
    }
    if (given("--out")) {
        s.out = c.out;
    }
    s.force_out = c.force;
    if (!needs_out) {
        return s;
    }
    if (s.out.empty()) {
        throw usage_error("give the report folder with --out DIR");
    }
    const auto parent = s.out.has_parent_path() ? s.out.parent_path() : std::filesystem::path(".");
    if (!std::filesystem::is_directory(parent)) {
        throw usage_error("--out " + s.out.string() + ": folder '" + parent.string() + "' does not exist");
    }
    return s;
}

} // namespace yike::cli
