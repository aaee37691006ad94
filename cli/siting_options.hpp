#pragma once
// The options of `yike evaluate` and `yike plan`: the coverage inputs plus the candidate sites.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "coverage_options.hpp"
#include "yike/engine/siting.hpp"
#include "yike/viz/siting_report.hpp"

namespace yike::cli {

struct SitingCli {
    CoverageCli coverage;
    std::vector<std::string> categories;
    std::string target;
    std::string candidates;
    std::optional<double> spacing_m;
    bool only_uncovered = false;
    std::string mask;
    std::string capacity_field;
    std::string floor_area_field;
    std::string staff_field;
    std::optional<double> capacity;
    std::optional<std::uint32_t> k;
    std::optional<double> target_share;
    bool exact = false;
};

void add_siting_options(CLI::App& cmd, SitingCli& o);

engine::SitingSettings siting_settings(const SitingCli& o, CLI::App& cmd);

// Candidates off the network serve nobody: say how many and why, once.
void warn_unsnapped_candidates(const engine::SitingRun& run);

// The notes of presence and ratio targets (grid cells standing for communities, candidates
// outside every unit) as warnings, each once.
void warn_unit_notes(const engine::SitingRun& run);

} // namespace yike::cli
