#pragma once
// The rows of plan.csv and evaluation.csv as typed values, one list of columns for the two that
// show them: the CSV files print them (viz), the Python module's tables hold them unrounded.
#include <string>
#include <vector>

#include "yike/engine/siting.hpp"
#include "yike/io/feature_writer.hpp"

namespace yike::viz {

struct SitingColumn {
    std::string name;
    int decimals = 0; // how the CSV file prints this column's numbers
};

// A point feature per row, at the candidate's location, whose properties are the columns in order.
struct SitingTable {
    std::vector<SitingColumn> columns;
    std::vector<io::Feature> rows;
};

// plan.csv: the sites chosen for coverage targets, in each plan's order.
SitingTable plan_site_table(const engine::SitingRun& run);
// evaluation.csv of coverage targets: every candidate by rank. The ratio column is named after the
// floating-catchment method (ratio_2sfca, ratio_e2sfca with `gaussian_decay`).
SitingTable evaluation_table(const engine::SitingRun& run, bool gaussian_decay);
// evaluation.csv of presence and ratio targets: every candidate by rank, with the unit it lies in.
SitingTable unit_evaluation_table(const engine::SitingRun& run);

// The table as CSV: a header, then a line per row (null: empty, true/false, numbers with the
// column's decimals).
std::string csv_text(const SitingTable& table);

} // namespace yike::viz
