#pragma once
// The folders of `yike evaluate` and `yike plan` (and the Python module's write()): the tables,
// Markdown and layers of a site evaluation or plan, and a plan's before/ and after/ report folders.
// The engine computes the run (yike/engine/siting.hpp); this is its presentation.
#include <filesystem>
#include <string>

#include "yike/engine/siting.hpp"

namespace yike::viz {

// DIR/evaluation.csv, evaluation.md, candidates.gpkg|geojson. Atomic like write_report
// (yike/viz/report.hpp): a temporary folder replaces DIR in one step.
void write_evaluation(const std::filesystem::path& dir, const engine::SitingRun& run, const engine::SitingSettings& settings);

// DIR/plan.md, plan.csv, communities.csv (before/after per community), units.csv (presence and
// ratio targets), sites + newly_covered layers, and the before/ and after/ report folders, each
// with its report.html ("规划前 Before planning", "规划后 After planning (N 处新增设施 new sites)").
// Atomic like write_report. Asserts that the plan's totals add up.
void write_plan(const std::filesystem::path& dir, const engine::SitingRun& run, const engine::SitingSettings& settings);

// The text of evaluation.md / plan.md.
std::string evaluation_markdown(const engine::SitingRun& run, const engine::SitingSettings& settings);
std::string plan_markdown(const engine::SitingRun& run, const engine::SitingSettings& settings);

} // namespace yike::viz
