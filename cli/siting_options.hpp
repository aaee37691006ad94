#pragma once
// The options of `yike evaluate` and `yike plan`: the coverage inputs plus the candidate sites.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <filesystem>
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

// What `yike plan` and `yike evaluate` say before their summaries: the run's warnings, the
// candidates off the network (they serve nobody) and the notes of presence and ratio targets (grid
// cells standing for communities, candidates outside every unit), each once.
void warn_siting_run(const engine::SitingRun& run);

// Their last lines: "LABEL: FILE" for the table written (unless -q) and the missing-data warning.
void finish_siting_run(const engine::SitingRun& run, const std::string& label, const std::filesystem::path& table);

} // namespace yike::cli
