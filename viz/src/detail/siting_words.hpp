#pragma once
// The pieces of the plan and evaluation writers (yike/viz/siting_report.hpp) shared by
// siting_report.cpp (coverage targets, the folders) and unit_siting_report.cpp (presence and ratio
// targets, unit by unit).
#include <string>
#include <string_view>

#include "yike/engine/siting.hpp"

namespace yike::viz::detail {

// A Markdown table cell: no "|" or line break of the data's own text splits the table.
std::string md_cell(const std::string& text);

// plan.md and evaluation.md in the run's language (--lang, CoverageSettings::language). `both`
// keeps exactly the text these files always had ("中文 / English" headings, English sentences),
// which tests and the README quote; `zh` takes the Chinese side of everything yike writes itself,
// `en` the English one. Ids, numbers, file names and names from the data stay as they are.
struct SitingWords {
    engine::Language language = engine::Language::both;
    // A sentence or label: the Chinese for zh, the English otherwise.
    std::string operator()(std::string_view zh, std::string_view en) const;
    // A heading written "中文 / English" for both.
    std::string heading(std::string_view zh, std::string_view en) const;
    std::string basis(engine::Basis basis) const;        // engine::basis_name() in English
    std::string threshold(const engine::Target& t) const; // threshold_text() in English
    std::string kind(engine::TargetKind kind) const;      // to_string(kind) in English
    std::string status(engine::Status status) const;      // to_string(status) in English
    std::string profile(const engine::Target& t) const;   // "walk profile" in English
    std::string method(const std::string& method) const;  // PlanResult::method, written in English
};

// plan.md sections and units.csv of the unit plans; evaluation.md section of a unit evaluation (its
// evaluation.csv is yike/viz/siting_tables.hpp's).
std::string unit_plan_markdown(const engine::SitingRun& run, const engine::SitingSettings& s, const SitingWords& W);
std::string unit_plan_csv(const engine::SitingRun& run);
std::string unit_evaluation_markdown(const engine::SitingRun& run, const engine::UnitEvaluation& ev, const SitingWords& W);

} // namespace yike::viz::detail
