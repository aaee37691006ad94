#pragma once
// Batch files (`yike batch FILE.toml`): a list of coverage runs, each a `[[run]]` table with a
// `name`, an `out` folder and the keys of a scenario file (or `scenario = "FILE.toml"` and keys
// overriding it), paths relative to the batch file. Reading one checks its structure only; the
// runs' inputs are checked and the runs executed by the command line (cli/batch.cpp) as
// engine::CoverageSettings.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "yike/io/scenario.hpp"

namespace yike::io {

struct BatchItem {
    std::string name;               // unique in the file; letters, digits, '.', '_', '-'
    std::uint32_t line = 0;         // of the item's [[run]] header in the batch file
    std::filesystem::path scenario; // the scenario file the item starts from, if any
    ScenarioSettings settings;      // the scenario's settings with the item's keys over them; out set
    std::string definition;         // the item's keys but name and out, as canonical TOML text
}; // struct BatchItem

struct BatchFile {
    std::filesystem::path file;
    std::vector<BatchItem> items; // in the file's order
}; // struct BatchFile

// Reads a batch file. Throws config_error / io_error with one line naming the file, the line and
// the item ("batch.toml:12: run 'haidian': unknown key 'osmm'"): a missing or unknown key, a bad
// value, a name used twice, two items writing the same folder or one inside the other's.
BatchFile load_batch(const std::filesystem::path& file);

} // namespace yike::io
