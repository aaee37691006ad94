#include "yike/io/phase_log.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <string>

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

} // namespace

void phase_mark(std::string_view name) {
    PhaseLog& log = phase_log();
    if (!log.enabled) return;
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - log.start).count();
    timespec cpu{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
    const std::lock_guard<std::mutex> lock(log.mutex);
    std::fprintf(stderr, "yike-phase %.3f %.3f %.*s\n", wall, static_cast<double>(cpu.tv_sec) + static_cast<double>(cpu.tv_nsec) * 1e-9,
                 static_cast<int>(name.size()), name.data());
    std::fflush(stderr);
}

} // namespace yike::io
