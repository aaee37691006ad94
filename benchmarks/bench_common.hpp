#pragma once
// Helpers shared by the benchmark programs (ladder_probe, poly_probe, peers_compare,
// coverage_compare): wall and CPU clocks, a nearest-rank percentile, the "key value" lines
// run_ladder.sh parses, and whole-number option values.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdint>
#include <ctime>
#include <exception>
#include <string>
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

// The value of option `what` as a whole number in [low, high]; anything else goes to `usage`
// (the program's [[noreturn]] usage message).
template <class Usage>
std::uint64_t parse_whole(const std::string& text, const std::string& what, std::uint64_t low, std::uint64_t high,
                          Usage usage) {
    std::size_t used = 0;
    unsigned long long value = 0;
    try {
        value = std::stoull(text, &used);
    } catch (const std::exception&) {
        usage(what + ": not a number: " + text);
    }
    if (used != text.size() || value < low || value > high) {
        usage(what + ": expected a whole number from " + std::to_string(low) + " to " + std::to_string(high) +
              ", got " + text);
    }
    return value;
}

} // namespace yike::bench
