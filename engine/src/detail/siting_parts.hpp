#pragma once
// Pieces of siting.cpp shared with unit_siting.cpp (presence and ratio targets): number
// formatting of the plan and evaluation tables, candidate positions, the nearest existing
// facility and the entry points of the unit-by-unit planning.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "yike/engine/siting.hpp"

namespace yike::engine::detail {

std::string siting_num(double v);
std::string siting_fixed(double v, int decimals);
std::string siting_percent(double share);
std::string siting_md_cell(std::string text);
std::string siting_threshold_text(const Target& t);

// plan.md and evaluation.md in the run's language (--lang, CoverageSettings::language). `both`
// keeps exactly the text these files always had ("中文 / English" headings, English sentences),
// which tests and the README quote; `zh` takes the Chinese side of everything yike writes itself,
// `en` the English one. Ids, numbers, file names and names from the data stay as they are.
struct SitingWords {
    Language language = Language::both;
    // A sentence or label: the Chinese for zh, the English otherwise.
    std::string operator()(std::string_view zh, std::string_view en) const;
    // A heading written "中文 / English" for both.
    std::string heading(std::string_view zh, std::string_view en) const;
    std::string basis(Basis basis) const;        // basis_name() in English
    std::string threshold(const Target& t) const; // siting_threshold_text() in English
    std::string kind(TargetKind kind) const;      // to_string(kind) in English
    std::string status(Status status) const;      // to_string(status) in English
    std::string profile(const Target& t) const;   // "walk profile" in English
    std::string method(const std::string& method) const; // PlanResult::method, written in English
};

// The candidates of `subset` as search origins on the walk or senior network, `source` = position in `subset`.
std::vector<std::optional<routing::Origin>> candidate_origins(const std::vector<Candidate>& candidates,
                                                              const std::vector<std::uint32_t>& subset, bool senior);

// Network distance (m, metric length) or time (min) from each candidate of `subset` to the
// nearest existing facility of ct.category, searched up to four times ct.threshold.
std::vector<std::optional<double>> nearest_existing(const CoverageData& data, const CoverageNetworks& net,
                                                    const std::vector<Candidate>& candidates,
                                                    const std::vector<std::uint32_t>& subset, const CategoryTarget& ct);

// What a plan or evaluation is judged against: the coverage categories (as before) and the
// presence or ratio targets with the categories planned for each. Throws config_error naming the
// category or target that no target of the standard can judge.
struct SitingJobs {
    std::vector<std::string> coverage_categories;
    std::vector<std::pair<std::size_t, std::vector<std::string>>> unit_targets;
};
SitingJobs siting_jobs(const SitingSettings& s, const Standard& standard, bool plan);

// Plans one presence or ratio target; the sites are in `plan.sites`.
UnitPlan plan_unit_target(const SitingSettings& s, const SitingRun& run, const CoverageNetworks& net, std::size_t target,
                          const std::vector<std::string>& categories);

// Evaluates every candidate against one presence or ratio target for `category`.
UnitEvaluation evaluate_unit_target(const SitingSettings& s, const SitingRun& run, const CoverageNetworks& net,
                                    std::size_t target, const std::string& category);

// plan.md sections and units.csv of the unit plans; evaluation.md section and evaluation.csv of a unit evaluation.
std::string unit_plan_markdown(const SitingRun& run, const SitingSettings& s, const SitingWords& W);
std::string unit_plan_csv(const SitingRun& run);
std::string unit_evaluation_markdown(const SitingRun& run, const UnitEvaluation& ev, const SitingWords& W);
std::string unit_evaluation_csv(const SitingRun& run);

} // namespace yike::engine::detail
