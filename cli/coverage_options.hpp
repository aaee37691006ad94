#pragma once
// The inputs of a coverage run as options, shared by coverage, evaluate, plan, render and serve.
#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "yike/engine/coverage_run.hpp"
#include "yike/engine/report.hpp"
#include "yike/viz/report.hpp"

namespace yike::cli {

struct CoverageCli {
    std::string scenario;
    std::string osm;
    std::vector<std::string> facilities;
    std::string category_field;
    std::string capacity_field;
    std::string floor_area_field;
    std::string staff_field;
    bool no_osm_facilities = false;
    std::string households;
    bool estimate_households = false;
    std::string population_raster;
    std::string communities;
    std::string subdistricts;
    std::string parent_field;
    std::string community_households_field;
    std::optional<double> grid_m;
    std::string crs;
    std::string encoding;
    std::string poi_format;
    std::string standard;
    std::string profile;
    std::string senior_profile;
    std::string dem;
    std::optional<double> max_snap_m;
    std::string decay;
    std::string layers;
    std::string detail;
    std::string lang;
    unsigned threads = 0;
    std::string out;
    bool force = false;
};

void add_coverage_options(CLI::App& cmd, CoverageCli& cov);

// --force, for the commands that write an output folder.
void add_force_option(CLI::App& cmd, bool& force);

// The settings of a coverage run from the options shared by coverage, evaluate, plan and serve
// (which writes no report: needs_out false).
engine::CoverageSettings coverage_settings(const CoverageCli& c, CLI::App& cmd, bool needs_out = true);

// A coverage run and its report folder (viz::write_report, with report.html and, for an item of
// `yike batch`, its stamp `batch_stamp`), the warnings and a summary line on stderr: `yike coverage`,
// and each item of `yike batch` (coverage.cpp).
void run_coverage_report(const engine::CoverageSettings& s, const std::string& batch_stamp = {});

} // namespace yike::cli
