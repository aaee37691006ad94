#pragma once
// A minimal parallel loop: items are handed out one by one to `threads` workers; the first
// exception stops the loop and is rethrown in the caller. Results must be written by index so
// that output never depends on the number of threads.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace yike::engine::detail {

inline unsigned worker_count(unsigned requested, std::size_t items) {
    unsigned n = requested != 0 ? requested : std::max(1U, std::thread::hardware_concurrency());
    return static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(n, items)));
}

// fn(item, worker) for every item in [0, count); `worker` in [0, workers) lets callers keep one
// search object per thread.
template <class Fn>
void parallel_for(std::size_t count, unsigned workers, Fn&& fn) {
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    auto run = [&](unsigned worker) {
        try {
            for (std::size_t i = next++; i < count; i = next++) {
                fn(i, worker);
            }
        } catch (...) {
            std::lock_guard<std::mutex> lock(failure_mutex);
            if (!failure) {
                failure = std::current_exception();
            }
            next = count;
        }
    };
    std::vector<std::thread> pool;
    for (unsigned w = 1; w < workers; ++w) {
        pool.emplace_back(run, w);
    }
    run(0);
    for (auto& t : pool) {
        t.join();
    }
    if (failure) {
        std::rethrow_exception(failure);
    }
}

} // namespace yike::engine::detail
