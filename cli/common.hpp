#pragma once
// What every subcommand of `yike` shares: the quiet flag, messages on stderr, progress.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "yike/engine/report.hpp"
#include "yike/io/number_text.hpp"
#include "yike/viz/report.hpp"

namespace yike::cli {

// -q/--quiet, given before or after the subcommand.
extern bool g_quiet;

// One line on stderr unless quiet.
void message(const std::string& text);

using io::fixed;     // yike/io/number_text.hpp: the one rule for every figure yike prints
using io::thousands;

// Shown on stderr when it is a terminal, for work that takes more than a moment.
class Progress {
public:
    Progress(std::string what, std::size_t total);
    void step();

private:
    std::string m_what;
    std::size_t m_total;
    bool m_enabled;
    std::atomic<std::size_t> m_done{0};
    std::mutex m_mutex;
};

// The engine's stage messages ("reading households..."), on stderr when it is a terminal.
std::function<void(const std::string&)> progress_printer();

// The input warnings of a coverage run (skipped features, repaired polygons, gaps in the extract),
// one line each; the reports list them too. With --lang zh those whose form yike knows are in
// Chinese (viz::localized_warning); the "warning: " prefix stays for scripts that look for it.
void print_warnings(const engine::RunInfo& run);
// The one line naming the targets missing data made unassessable (viz::missing_data_warning), if any.
void print_missing_data_warning(const engine::CoverageData& data, const engine::ReportResults& results);

} // namespace yike::cli
