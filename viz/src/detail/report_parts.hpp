#pragma once
// The pieces of the report folder's writer (yike/viz/report.hpp) shared by its files:
// report_text.cpp (words, summary.md, CSV tables), report_tables.cpp (summary.xlsx, summary.json)
// and report_layers.cpp (map layers, the folder itself).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "yike/engine/catchment.hpp"
#include "yike/engine/category_cost.hpp"
#include "yike/engine/report.hpp"
#include "yike/io/feature_stream.hpp"
#include "yike/io/xlsx_writer.hpp"
#include "yike/viz/report.hpp"

namespace yike::viz::detail {

// The writer speaks the engine's report model (targets, statuses, areas) on every line.
using namespace yike::engine;

inline constexpr auto invalid = routing::invalid_id;

// ---- words and numbers (report_text.cpp) ------------------------------------------------------

std::string percent(const std::optional<double>& share); // "12.3 %", "—" when unset
std::string number(double value);                        // shortest round-trip form, no "-0"
std::string optional_number(const std::optional<double>& value);
std::string md_cell(const std::string& text);
std::string join(const std::vector<std::string>& parts, const std::string& separator);
// Layer field name from a target or category id ("dc.culture_10min" -> "dc_culture_10min").
std::string field_name(const std::string& id);
std::string status_text(Status status); // "达标 pass"
std::string threshold_text(const Target& target);
std::string required_text(const Target& target);
// Targets whose result is held back by missing data: no_data, or a field no facility had.
bool lacks_data(const TargetResult& t);
std::string measure_text(const CatchmentDefinition& d);
std::string network_text(const CatchmentDefinition& d);
std::string basis_text(const CatchmentDefinition& d);
std::string decay_text(const CatchmentDefinition& d);

// The same in the run's language: zh gives Chinese, en and both the English above (report_words.cpp).
std::string required_text(const Target& target, Language language);
std::string measure_text(const CatchmentDefinition& d, Language language);
std::string network_text(const CatchmentDefinition& d, Language language);
std::string basis_text(const CatchmentDefinition& d, Language language);
std::string decay_text(const CatchmentDefinition& d, Language language);
// A RunInfo::inputs label and value (coverage_run.cpp's forms) in Chinese for zh.
std::string input_label(const std::string& label, Language language);
std::string input_value(const std::string& value, Language language);

// Asserts that every unit's covered and uncovered weights add up to its total.
void check_totals(const ReportResults& results);

// The report's text in the run's language (--lang): "中文 / English" words keep one side.
std::string localize(const std::string& text, Language language);

struct Context {
    Context(const CoverageData& d, const ReportResults& r)
        : data(d), results(r), catchments(summarize_catchments(d, r.areas)) {}

    const CoverageData& data;
    const ReportResults& results;
    const std::vector<CatchmentSummary> catchments; // categories with capacities (catchment.hpp)

    const Target& target(const TargetResult& t) const { return data.standard.targets.at(t.target); }

    std::string category_name(const std::string& id) const {
        const auto* c = data.categories.find(id);
        return c ? in_language(data.run.language, c->name_zh, c->name_en) : id;
    }
    std::string community_word() const { return results.areas.grid ? "网格 / grid cell" : "社区 / community"; }
}; // struct Context

std::string needs_text(const Context& ctx, const TargetResult& t);

// ---- the files ------------------------------------------------------------------------------

std::string markdown(const Context& ctx); // summary.md before localize()
std::string summary_csv(const Context& ctx);
std::string catchments_csv(const Context& ctx);
std::string area_csv(const Context& ctx, bool communities);
std::string demand_issues_csv(const Context& ctx);
std::string facility_issues_csv(const CoverageData& data);
// The sheets refer to `ctx` (the uncovered households are made while they are written).
std::vector<io::XlsxSheet> summary_sheets(const Context& ctx);
std::string summary_json(const Context& ctx);

// What the map layers are made from, computed once; the layers themselves are made feature by
// feature while they are written (a big city's demand layer has millions of values).
struct LayerData {
    struct CostFields {
        const CategoryCosts* costs = nullptr;
        std::string m, min, senior_min, nearest, access;
    };
    struct Served {
        const Target* target = nullptr;
        const NearestResult* measure = nullptr;
        std::uint32_t budget = 0;
    };

    std::vector<CostFields> cost_fields;             // by category id
    std::vector<std::string> covered_fields;         // by target; empty for targets without covered flags
    std::vector<std::pair<std::uint32_t, std::uint32_t>> uncovered; // (target, demand point), in layer order
    std::vector<std::string> status_fields, achieved_fields; // by target
    std::vector<Served> served_by;                   // by facility
    std::vector<Weights> served;
    std::vector<std::optional<double>> ratio, catchment_demand;
    bool senior_snaps = false; // the layers carry the senior-network snaps (uses_senior_network)
    // ReportOptions::full_layer_detail: every per-point column and the uncovered layer; otherwise
    // the demand layer carries what a planner reads (weights, areas, minutes to each category,
    // covered per target) and summary.json / communities.csv the rest.
    bool full = true;
};

LayerData layer_data(const Context& ctx, bool full);
// The report's map layers over `ld`, which must outlive them.
std::vector<io::LayerSource> layers(const Context& ctx, const LayerData& ld);

} // namespace yike::viz::detail
