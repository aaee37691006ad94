#pragma once
// Timing and reporting helpers shared by the probe programs (ladder_probe, poly_probe): wall and
// CPU clocks, a nearest-rank percentile, and the "key value" lines run_ladder.sh parses.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <vector>

namespace yike::bench {

using Clock = std::chrono::steady_clock;

inline double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// CPU time in ms: on a shared machine wall time includes waiting for a core, CPU time does not.
inline double cpu_ms(clockid_t clock) {
    timespec t{};
    clock_gettime(clock, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}
inline double process_cpu_ms() { return cpu_ms(CLOCK_PROCESS_CPUTIME_ID); } // all threads
inline double thread_cpu_ms() { return cpu_ms(CLOCK_THREAD_CPUTIME_ID); }

inline double percentile(std::vector<double> v, double q) {
    if (v.empty()) {
        return 0.0;
    }
    std::sort(v.begin(), v.end());
    const auto k = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(k, v.size() - 1)];
}

inline void put(const char* key, double value) { std::printf("%s %.3f\n", key, value); }

} // namespace yike::bench
