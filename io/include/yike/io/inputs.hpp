#pragma once
// Inputs of a coverage run: facilities, demand (households), areas (communities, sub-districts)
// and the barriers snapping must respect, from OSM extracts and from user layers (GDAL).
// Everything is returned in WGS84 lon/lat; problems that still leave a trustworthy run are
// counted in ReadWarnings, everything else throws (io_error / data_error / config_error) with a
// one-line message naming the file and the feature.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "yike/io/feature_writer.hpp"
#include "yike/routing/geo.hpp"

namespace yike::io {

using Tags = std::vector<std::pair<std::string, std::string>>;

struct FacilityRecord {
    std::string id;       // OSM: "n123", "w45", "r7"; layers: the id field, else "<file stem>:<feature number>"
    std::string name;
    std::string category; // a category id of the mapping
    routing::LonLat location;               // representative point (inside polygons)
    std::vector<routing::LonLat> entrances; // tagged entrances of a polygon; snapping prefers them
    std::optional<double> capacity;         // seats, beds, ... (2SFCA supply)
    std::optional<double> floor_area_m2;
    std::optional<double> staff;
    std::string source; // the file it came from
};

struct DemandRecord {
    std::string id; // OSM building "w45", layer id field, raster "r<row>c<col>"
    routing::LonLat location;
    std::vector<routing::LonLat> entrances; // building or compound entrances/gates, preferred for snapping
    double households = 0;
    double population = 0;
    double seniors = 0;  // 60+
    double children = 0; // 0-14
    std::string source;
};

struct AreaRecord {
    std::string id;
    std::string name;
    std::string parent_id; // for a community: the sub-district it belongs to (may be empty)
    MultiPolygonGeometry geometry; // valid, lon/lat
    bool repaired = false;         // the input polygon was invalid and has been repaired
    std::optional<double> households; // a known household count (AreaLayerOptions::households_field)
};

// A line that walking cannot cross: walls, fences, city walls, water edges, coastline.
struct BarrierLine {
    std::vector<routing::LonLat> points;
    std::string kind;      // "wall", "fence", "water", "railway", "motorway", ...
    std::int64_t osm_id = 0;
    // Whether snapping refuses to cross the line. Rail lines and motorways cut reach polygons but
    // not snap lines: the underpass or level crossing a household beside one uses is often not
    // mapped, and refusing those snaps left buildings of the bundled sample with no street at all.
    bool blocks_snapping = true;
};

// Bounds on the numbers of user layers. No demand point (a building, a raster cell, a community's
// centroid) holds ten million households or people: larger values are unit or field mistakes and
// are refused, so that no total can overflow; values above large_demand_per_point (a large housing
// estate holds about 10^4 households) are counted in a warning. Facility capacities, floor areas
// and staff numbers above max_facility_value are refused alike.
inline constexpr double max_demand_per_point = 1e7;
inline constexpr double large_demand_per_point = 1e5;
inline constexpr double max_facility_value = 1e9;

struct ReadWarnings {
    std::uint64_t skipped_without_geometry = 0;
    std::uint64_t skipped_bad_value = 0;     // e.g. a negative household count, NaN coordinate
    std::uint64_t repaired_polygons = 0;
    std::uint64_t buildings_default_levels = 0; // residential buildings without building:levels
    std::vector<std::string> messages;        // one line each, for the report and stderr
};

// ---- OSM -----------------------------------------------------------------------------------

// Returns the category ids an OSM object belongs to (tags include name, name:zh, ...).
using Classifier = std::function<std::vector<std::string>(const Tags& tags)>;

// Household estimation from residential buildings: households = footprint area x levels /
// dwelling_m2 (buildings without levels get default_levels), population = households x
// persons_per_household, seniors/children = population x share. Defaults are documented in
// doc/demand.md with their sources; every value can be overridden.
struct HouseholdEstimate {
    double dwelling_m2 = 90.0;           // gross floor area per dwelling
    double default_levels = 3.0;         // for buildings without building:levels
    double persons_per_household = 2.62; // China, 2020 census
    double senior_share = 0.187;         // 60+, China, 2020 census
    double child_share = 0.18;           // 0-14, China, 2020 census
    double min_footprint_m2 = 30.0;      // smaller buildings (sheds, kiosks) hold no households
};

struct OsmExtrasOptions {
    bool facilities = true;
    bool buildings = true; // residential buildings as demand
    bool barriers = true;
};

struct OsmExtras {
    std::vector<FacilityRecord> facilities; // one record per (object, category) it matches
    std::vector<DemandRecord> buildings;    // estimated households per residential building
    std::vector<BarrierLine> barriers;
    ReadWarnings warnings;
};

OsmExtras read_osm_extras(const std::filesystem::path& osm_file, const Classifier& classify,
                          const HouseholdEstimate& estimate = {}, const OsmExtrasOptions& options = {});

// Only the barrier lines of an extract (the same lines, in the same order, as read_osm_extras).
std::vector<BarrierLine> read_osm_barriers(const std::filesystem::path& osm_file);

// ---- user layers (GDAL) --------------------------------------------------------------------

struct LayerOptions {
    std::optional<std::string> crs; // overrides the file's CRS; anything CrsTransform accepts (GCJ-02, BD-09, EPSG:...)
    std::string layer;              // layer name for multi-layer files, sheet name for workbooks; empty: the first
    std::string encoding;           // CSV text: "" or "auto" (UTF-8, else GBK/GB18030), "utf-8", "gbk", "gb18030"
    std::string id_field;           // empty: "id" if present
    std::string name_field;         // empty: "name" if present
};

struct FacilityLayerOptions : LayerOptions {
    std::string category;       // the category of every feature, or ...
    std::string category_field; // ... the field holding it, or ...
    std::string poi_format;     // ... "amap" or "baidu": a POI export whose classes map to categories (read_poi_layer)
    std::string capacity_field;
    std::string floor_area_field;
    std::string staff_field;
};

struct DemandLayerOptions : LayerOptions {
    std::string households_field = "households";
    std::string population_field = "population";
    std::string seniors_field = "seniors";
    std::string children_field = "children";
};

struct AreaLayerOptions : LayerOptions {
    std::string parent_field;     // for communities: the sub-district id
    std::string households_field; // a known household count per area (to scale estimates to)
};

// A layer without a CRS and without options.crs is an error; the message suggests the likely CRS
// from the coordinates (crs_suggestion).
std::vector<FacilityRecord> read_facility_layer(const std::filesystem::path& path, const FacilityLayerOptions& options,
                                                ReadWarnings& warnings);
std::vector<DemandRecord> read_demand_layer(const std::filesystem::path& path, const DemandLayerOptions& options,
                                            ReadWarnings& warnings);
// Every cell with a positive value becomes a demand point at the cell centre: the value is the
// population; households = population / persons_per_household, seniors and children by share.
// Cells holding NaN, infinity or a negative value (other than the nodata value) are skipped and
// counted in a warning; a cell above max_demand_per_point is refused (data_error naming it); a
// raster too large for memory is an io_error naming the file.
std::vector<DemandRecord> read_population_raster(const std::filesystem::path& path, const LayerOptions& options,
                                                 const HouseholdEstimate& estimate, ReadWarnings& warnings);
std::vector<AreaRecord> read_area_layer(const std::filesystem::path& path, const AreaLayerOptions& options,
                                        ReadWarnings& warnings);

// A layer as the command line names it: FILE[:SHEET][@CRS] (e.g. shops.xlsx:便利店@GCJ-02,
// communities.geojson@EPSG:4490). The sheet is split off only after a workbook's extension
// (.xlsx, .xls, .ods), the CRS only at the last '@' when no '/' follows it; a name that exists as
// a file is never split.
struct LayerSpec {
    std::filesystem::path path;
    std::string layer;              // sheet (or layer) name; empty: the first
    std::optional<std::string> crs; // empty: the file's own, or the default (--crs)
};
LayerSpec parse_layer_spec(const std::string& text);

// Throws config_error starting with `where` when `encoding` is not a LayerOptions::encoding value
// (auto, utf-8, gbk, gb18030, in any letter case; utf8, gb2312 and cp936 as synonyms).
void check_encoding_name(std::string_view encoding, std::string_view where);

// ---- POI exports (AMap, Baidu) ---------------------------------------------------------------

// One POI of an AMap or Baidu export, its classes as written; engine::PoiMapping maps them.
struct PoiRecord {
    std::string id;    // the id/uid column, else "<file stem>:<row>"
    std::string name;
    std::string label; // "FILE: row N (id X)", for messages
    std::uint64_t row = 0;
    // AMap: typecodes ("060200"; a cell may hold several joined by '|'). Baidu: unused.
    std::vector<std::string> codes;
    // AMap: type strings ("购物服务;便民商店/便利店;便民商店/便利店", several joined by '|');
    // Baidu: "一级;二级" from a tag/type column or from the 一级行业 and 二级行业 columns.
    std::vector<std::string> types;
    routing::LonLat location;
    std::optional<double> capacity;
    std::optional<double> floor_area_m2;
    std::optional<double> staff;
};

struct PoiLayer {
    std::vector<PoiRecord> pois;
    std::string code_column; // the typecode column (AMap), empty when absent
    std::string type_column; // the type/tag column(s)
};

// Reads a POI export (options.poi_format "amap" or "baidu") in any format the layer readers take
// (CSV in UTF-8 or GBK, XLSX, GeoJSON...). Positions come from a `location` column holding
// "lng,lat" or from lng/lat columns (or the file's geometry), in options.crs, by default GCJ-02
// for AMap and BD-09 for Baidu. Throws config_error when no class column exists, data_error
// naming the file, row and column when a location is not "lng,lat"; a POI repeated under the
// same id is read once (counted in a warning).
PoiLayer read_poi_layer(const std::filesystem::path& path, const FacilityLayerOptions& options, ReadWarnings& warnings);

// What the bounding box of coordinates in an unknown CRS suggests (lon/lat in China: WGS84,
// CGCS2000, GCJ-02 or BD-09; Gauss-Krüger with a zone number; Web Mercator...), one clause.
std::string crs_suggestion(double min_x, double min_y, double max_x, double max_y);

} // namespace yike::io
