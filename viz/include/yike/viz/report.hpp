#pragma once
// The gap report folder of a coverage run (`yike coverage`, `yike merge`, a plan's before/ and
// after/, the Python module's write()): summary.md, summary.csv, summary.json, summary.xlsx,
// communities.csv, subdistricts.csv, demand_issues.csv, facility_issues.csv and catchments.csv when
// there is something to list, the map layers and report.html, written by one writer that knows every
// file. The engine computes the report (engine::evaluate, yike/engine/report.hpp); this is its
// presentation. Rules and output columns are described in doc/report.md.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "yike/engine/coverage_run.hpp"
#include "yike/engine/report.hpp"
#include "yike/io/feature_stream.hpp"
#include "yike/io/feature_writer.hpp"
#include "yike/io/output_folder.hpp"
#include "yike/viz/html_report.hpp"

namespace yike::viz {

struct ReportOptions {
    io::VectorFormat layer_format = io::VectorFormat::gpkg; // gpkg or geojson (layers.gpkg / layers.geojson)
    bool layers = true;
    // false (default): the demand layer holds id, weights, community, sub-district, snapped, snap_m,
    // `<cat>_min` (and `<cat>_senior_min` when a target uses the senior network), `<cat>_access_*`
    // and `covered_<target>`; true (`--detail full`): also the exact start on the graph export
    // (`snapped_edge`, `snapped_offset_cm`, `offnet_cm`, the senior snaps), `<cat>_m`,
    // `<cat>_senior_min`, `<cat>_nearest`, and the `uncovered` layer (one point per coverage target
    // and uncovered demand point). The other layers are the same either way.
    bool full_layer_detail = false;
    std::string writer = "yike coverage report"; // named in the folder's marker (io/output_folder.hpp)
    io::OutputGuard guard;                // what may be replaced: --force, the run's inputs

    // report.html is drawn on the run's networks; without them (unit tests of the tables) the folder
    // has no page. The facilities' walking positions are the report's own snaps; their senior ones
    // come from `networks`, or from `facility_senior` for a state other than the run's own (a plan's
    // after-state, whose new sites the run never snapped).
    const engine::CoverageNetworks* networks = nullptr;
    const std::vector<std::optional<routing::Origin>>* facility_senior = nullptr;
    std::string subtitle; // report.html's subtitle, e.g. "规划后 After planning"; empty: none
    std::shared_ptr<ReachOutlineCache> reach_cache; // report.html's outlines shared with other pages
    // `yike batch`: the item's stamp, written as batch_item.txt so that a rerun can tell a finished
    // item (cli/batch.cpp); empty: no such file.
    std::string batch_stamp;
}; // struct ReportOptions

// The name of the stamp file of ReportOptions::batch_stamp.
inline constexpr const char* batch_stamp_file = "batch_item.txt";

// Writes the report folder `dir`. Everything is written into a temporary sibling folder which then
// replaces `dir` (io::write_output_folder: only an empty folder, one yike wrote or, with
// guard.force, any folder holding no input); on failure `dir` is left as it was and the temporary
// folder is removed. Throws io_error naming the path, config_error for layers asked as CSV.
// Byte-identical for the same input.
void write_report(const std::filesystem::path& dir, const engine::CoverageData& data, const engine::ReportResults& results,
                  const ReportOptions& options = {});

// The text of summary.md (also for printing).
std::string report_markdown(const engine::CoverageData& data, const engine::ReportResults& results);

// The texts of summary.csv and of communities.csv (communities true) or subdistricts.csv, as
// write_report writes them (for the Python module's tables).
std::string report_summary_csv(const engine::CoverageData& data, const engine::ReportResults& results);
std::string report_area_csv(const engine::CoverageData& data, const engine::ReportResults& results, bool communities);

// Hands the report's map layers (demand, uncovered, communities, subdistricts, facilities: the
// features layers.gpkg holds with ReportOptions::full_layer_detail) to `use`; they are made feature
// by feature and valid only during the call.
void with_report_layers(const engine::CoverageData& data, const engine::ReportResults& results,
                        const std::function<void(const std::vector<io::LayerSource>&)>& use, bool full_detail = true);

// What would make the target assessable, in words (in the run's language); "" when nothing is missing.
// `code_ids`: category ids written as Markdown code (summary.md in Chinese, where they are the only
// English left).
std::string target_needs_text(const engine::CoverageData& data, const engine::TargetResult& t, bool code_ids = false);

// A warning of the run (RunInfo::warnings, as the readers and the engine write them) in the run's
// language: zh rewrites the forms it knows into Chinese; en and both keep it as written.
std::string localized_warning(const std::string& message, engine::Language language);

// One line naming every target that is no_data or lacks a facility field, and what would make it
// assessable ("" when there is none); printed at the end of a run.
std::string missing_data_warning(const engine::CoverageData& data, const engine::ReportResults& results);

} // namespace yike::viz
