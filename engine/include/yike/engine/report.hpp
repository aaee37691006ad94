#pragma once
// Gap report against a planning standard: evaluates every target of a Standard on the costs the
// coverage core computed (nearest facility per category and measure), overall, per community
// (社区) and per sub-district (街道). The report folder that presents it is written by viz
// (yike/viz/report.hpp). Rules and output columns are described in doc/report.md.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "yike/engine/categories.hpp"
#include "yike/engine/coverage.hpp"
#include "yike/engine/poi_mapping.hpp"
#include "yike/engine/standards.hpp"
#include "yike/io/inputs.hpp"
#include "yike/io/language.hpp"

namespace yike::engine {

// ---- input ---------------------------------------------------------------------------------

// Costs from every demand point to the nearest facility of one category. Each NearestResult has
// exactly one entry per demand point (routing::inf_cost / routing::invalid_id when none within
// the search limit, and for unsnapped demand); its `facility` indexes `facilities` below (the
// subset passed to nearest_facilities), not CoverageData::facilities. A category without any
// facility still needs the three results (all inf_cost).
struct CategoryCosts {
    std::string category;                 // category id
    std::vector<std::uint32_t> facilities; // indices into CoverageData::facilities of this category
    NearestResult length;                  // routing::Metric::length_cm
    NearestResult walk_time;               // time_ms on the "walk" profile
    NearestResult senior_time;             // time_ms on the "senior" profile
    // 2SFCA / E2SFCA of this category when capacities exist; facility_ratio / facility_demand
    // indexed like `facilities`, demand_access per demand point.
    std::optional<CatchmentResult> catchment;
}; // struct CategoryCosts

// Used when no communities are given: square cells of a local metric projection covering the
// demand; only cells holding at least one demand point become areas.
struct GridOptions {
    double cell_m = 500.0;
}; // struct GridOptions

// The language of summary.md, report.html and summary.xlsx (--lang; yike/io/language.hpp).
using io::Language;
using io::parse_language;
using io::to_string;

// The words in the chosen language: "zh en" for both (zh and en may be empty).
std::string in_language(Language language, std::string_view zh, std::string_view en, std::string_view both_separator = " ");

// Header of the report; nothing here may depend on the date or the machine, so that the same
// inputs give byte-identical reports.
struct RunInfo {
    // Printed in order as "label: value" lines (input files, network, options, ...).
    std::vector<std::pair<std::string, std::string>> inputs;
    // Profile speeds, used to print thresholds and to compare metre and minute thresholds when
    // choosing a category's largest threshold for the facility layer.
    std::uint32_t walk_speed_mm_per_s = 1000;
    std::uint32_t senior_speed_mm_per_s = 900;
    // Floating catchments: E2SFCA (Gaussian decay) instead of 2SFCA (catchment.hpp).
    bool gaussian_decay = false;
    // Warnings printed in the report (io::ReadWarnings::messages, unsnapped counts, ...), as given.
    std::vector<std::string> warnings;
    Language language = Language::both;
}; // struct RunInfo

// Where the run looked for facilities, so that a category no source gave is told apart from one
// the city lacks (Status::no_data; doc/report.md).
struct FacilitySources {
    bool osm = true;                           // OSM was searched for the mapping's categories
    std::vector<std::string> layer_categories; // categories a facility layer was given for as a whole (FILE=CATEGORY)
}; // struct FacilitySources

struct CoverageData {
    Standard standard;
    CategoryMapping categories; // for category names; may be empty (ids are printed then)

    std::vector<io::DemandRecord> demand;
    std::vector<SiteSnap> demand_snaps;   // one per demand record; unsnapped demand is never covered
    std::vector<io::FacilityRecord> facilities;
    std::vector<SiteSnap> facility_snaps; // one per facility record (reported; costs already reflect it)
    FacilitySources facility_sources;
    // The same on the senior network, which minute targets serving seniors are searched on; the
    // report's layers carry them when such a target exists, so its figures can be recomputed.
    std::vector<SiteSnap> demand_senior_snaps;
    std::vector<SiteSnap> facility_senior_snaps;

    // Areas in lon/lat. Empty communities: grid cells (GridOptions) act as communities.
    std::vector<io::AreaRecord> communities;
    std::vector<io::AreaRecord> subdistricts; // empty: one sub-district "all" = the whole study area
    GridOptions grid;

    // One entry per category id used by any target of the standard (order free; ids unique).
    std::vector<CategoryCosts> costs;

    // POIs of AMap/Baidu exports that map to no category or to several (facility_issues.csv,
    // written only when there are some).
    std::vector<FacilityIssue> facility_issues;

    RunInfo run;
}; // struct CoverageData

// ---- area assignment -----------------------------------------------------------------------

struct Weights {
    double households = 0;
    double population = 0;
    double seniors = 0;
    double children = 0;
    std::uint64_t points = 0; // demand points

    void add(const io::DemandRecord& demand) noexcept;
    void add(const Weights& other) noexcept;
    double get(Basis basis) const noexcept; // communities: households
}; // struct Weights

struct AreaInfo {
    std::string id;
    std::string name;
    std::uint32_t parent = routing::invalid_id; // community: its sub-district index
    io::MultiPolygonGeometry geometry;          // empty for the whole-study-area sub-district
    Weights demand;                             // demand points assigned to the area
    std::uint32_t facilities = 0;               // facilities assigned to the area
}; // struct AreaInfo

// The name of the one sub-district "all" when no sub-districts are given; it is yike's words, not
// the data's, so the writers show it in the report's language.
inline constexpr std::string_view whole_study_area_name = "全部 / whole study area";

struct AreaAssignment {
    bool grid = false;             // communities are grid cells
    bool whole_study_area = false; // no sub-districts given: one sub-district "all" holds everything
    std::vector<AreaInfo> communities;
    std::vector<AreaInfo> subdistricts;
    // Per demand point / facility: index into communities / subdistricts, invalid_id when outside.
    std::vector<std::uint32_t> demand_community;
    std::vector<std::uint32_t> demand_subdistrict;
    std::vector<std::uint32_t> facility_community;
    std::vector<std::uint32_t> facility_subdistrict;
}; // struct AreaAssignment

// Point in a multipolygon (lon/lat treated as planar; rings closed). Points on any ring, holes
// included, are inside; points strictly inside a hole are outside.
bool contains(const io::MultiPolygonGeometry& area, routing::LonLat point) noexcept;

// Points go to the lowest-index area containing them (bounding-box prefilter). A community's
// sub-district is the one named by parent_id, else the one holding most of the community's
// points (ties: lowest index), else the one containing its bounding-box centre. Points inside a
// community take its sub-district; points outside every community are tested against the
// sub-districts directly. Deterministic for the same input.
AreaAssignment assign_areas(const CoverageData& data);

// Grid cell id for a row and column, "g_r<row>_c<col>" (rows count northwards from the
// south-west corner of the demand's bounding box).
std::string grid_cell_id(std::uint32_t row, std::uint32_t col);

// ---- evaluation ----------------------------------------------------------------------------

enum class Status {
    pass,
    fail,
    report_only,    // reported without pass/fail
    not_assessable, // data missing (facility without floor area or staff figure, ...)
    no_data,        // would fail, but a category of the target has no facility from any source and is one
                    // OSM rarely maps (osm_quality poor or none) or OSM was not searched: a missing layer,
                    // not a missing service
    no_demand,      // the unit holds none of the basis (no households, ...)
    not_applicable, // the target is not checked at this level (a sub-district presence target per community)
};
std::string_view to_string(Status status);

struct UnitResult {
    Status status = Status::not_applicable;
    std::optional<double> achieved; // share (coverage, presence, units passing) or value (ratio)
    std::optional<double> required; // required share or required value (ratio)
    // coverage: covered + uncovered == total; unsnapped is part of uncovered.
    Weights total;
    Weights covered;
    Weights uncovered;
    Weights unsnapped;
    // presence: categories without a facility in the unit (require each), or all (require any)
    std::vector<std::string> missing;
    // ratio: households, floor area (m²) or staff found, facilities lacking the attribute
    double households = 0;
    std::optional<double> value;
    std::uint32_t lacking_data = 0;
    // when the unit's result comes from its communities (a community target per sub-district)
    std::uint32_t units = 0;
    std::uint32_t units_passing = 0;
}; // struct UnitResult

struct TargetResult {
    std::size_t target = 0; // index into Standard::targets
    // Overall: coverage over all demand (or communities); presence / ratio over the target's units.
    UnitResult overall;
    // Units failing / not assessable / without demand at the target's level: communities, or
    // sub-districts for sub-district presence and ratio targets.
    std::uint32_t units_failing = 0;
    std::uint32_t units_not_assessable = 0;
    std::uint32_t units_no_demand = 0;
    std::uint32_t units_no_data = 0;
    // What would make the target assessable: the categories no source gave a facility of (in the
    // target's order; they turn a fail into no_data), and the facility field ("floor_area_field",
    // "staff_field") a ratio target needs when none of its facilities has the figure.
    std::vector<std::string> needs_categories;
    std::string needs_field;
    std::vector<UnitResult> communities;  // indexed like AreaAssignment::communities
    std::vector<UnitResult> subdistricts; // indexed like AreaAssignment::subdistricts
    std::vector<std::uint8_t> covered;    // coverage: per demand point, 1 when covered
    std::uint32_t threshold = 0;          // coverage: budget in cm or ms
    bool threshold_is_length = false;
}; // struct TargetResult

struct ReportResults {
    AreaAssignment areas;
    std::vector<TargetResult> targets; // in the standard's order
    Weights demand;                    // all demand
    Weights unsnapped_demand;
    std::uint32_t unsnapped_facilities = 0;
    std::vector<std::uint32_t> outside_communities;  // demand indices outside every community
    std::vector<std::uint32_t> outside_subdistricts; // demand indices outside every sub-district
}; // struct ReportResults

// The costs of a category (asserts it is present); the measure a target judges them by is
// measure_of (category_cost.hpp).
const CategoryCosts& costs_of(const CoverageData& data, const std::string& category);
CategoryCosts& costs_of(CoverageData& data, const std::string& category);

// Evaluates every target. Checks that the input is consistent (sizes, categories present) with
// YIKE_ASSERT: the orchestration builds it.
ReportResults evaluate(const CoverageData& data);

// Whether OSM rarely holds facilities of the category (osm_quality "poor" or "none" in the mapping).
bool rarely_in_osm(const CategoryMapping& categories, const std::string& category);

} // namespace yike::engine
