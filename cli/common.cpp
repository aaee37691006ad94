#include "common.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <sstream>

namespace yike::cli {

bool g_quiet = false;

void message(const std::string& text) {
    if (!g_quiet) {
        std::cerr << text << '\n';
    }
}

Progress::Progress(std::string what, std::size_t total)
    : m_what(std::move(what)), m_total(total), m_enabled(!g_quiet && total > 1 && ::isatty(2) != 0) {}

void Progress::step() {
    const std::size_t done = ++m_done;
    if (m_enabled) {
        std::lock_guard<std::mutex> lock(m_mutex);
        std::fprintf(stderr, "\r%s %zu/%zu", m_what.c_str(), done, m_total);
        if (done == m_total) {
            std::fputc('\n', stderr);
        }
    }
}

std::function<void(const std::string&)> progress_printer() {
    const bool show = !g_quiet && ::isatty(2) != 0;
    return [show](const std::string& m) {
        if (show) {
            std::cerr << m << "...\n";
        }
    };
}

void print_missing_data_warning(const engine::CoverageData& data, const engine::ReportResults& results) {
    if (const auto line = viz::missing_data_warning(data, results); !line.empty()) {
        message("warning: " + line);
    }
}

void print_warnings(const engine::RunInfo& run) {
    for (const auto& w : run.warnings) {
        message("warning: " + viz::localized_warning(w, run.language));
    }
}

} // namespace yike::cli
