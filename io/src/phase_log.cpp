#include "yike/io/phase_log.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <string>
#include <utility>

namespace yike::io {

namespace {

struct PhaseLog {
    bool enabled = std::getenv("YIKE_PHASES") != nullptr;
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    std::mutex mutex;
};

PhaseLog& phase_log() {
    static PhaseLog log;
    return log;
}

// Resident and peak resident memory (MiB) from /proc/self/status; 0 where it cannot be read.
std::pair<double, double> resident_mib() {
    std::pair<double, double> out{0.0, 0.0};
    std::FILE* f = std::fopen("/proc/self/status", "r");
    if (f == nullptr) return out;
    char line[256];
    while (std::fgets(line, sizeof line, f) != nullptr) {
        long kib = 0;
        if (std::sscanf(line, "VmRSS: %ld kB", &kib) == 1) out.first = static_cast<double>(kib) / 1024.0;
        if (std::sscanf(line, "VmHWM: %ld kB", &kib) == 1) out.second = static_cast<double>(kib) / 1024.0;
    }
    std::fclose(f);
    return out;
}

} // namespace

void phase_mark(std::string_view name) {
    PhaseLog& log = phase_log();
    if (!log.enabled) return;
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - log.start).count();
    timespec cpu{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
    const auto [rss, peak] = resident_mib();
    const std::lock_guard<std::mutex> lock(log.mutex);
    std::fprintf(stderr, "yike-phase %.3f %.3f %.*s\n", wall, static_cast<double>(cpu.tv_sec) + static_cast<double>(cpu.tv_nsec) * 1e-9,
                 static_cast<int>(name.size()), name.data());
    std::fprintf(stderr, "yike-memory %.0f %.0f %.*s\n", rss, peak, static_cast<int>(name.size()), name.data());
    std::fflush(stderr);
}

} // namespace yike::io
