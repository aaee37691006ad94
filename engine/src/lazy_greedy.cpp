// Lazy greedy: a stale marginal gain is an upper bound on the current one (submodularity), so only
// the top of the queue is re-evaluated, and the stale gains bound the optimum at every step.
#include "detail/covering_parts.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "detail/parallel.hpp"
#include "yike/assert.hpp"

namespace yike::engine::detail {

namespace {

struct Entry {
    double gain;
    std::uint32_t site;
    std::uint32_t fresh_at; // number of picks when the gain was computed
};
// Max-heap order: larger gain first, then the lower index.
bool heap_less(const Entry& a, const Entry& b) noexcept {
    return a.gain < b.gain || (a.gain == b.gain && a.site > b.site);
}


} // namespace

GreedyTrace lazy_greedy(std::uint32_t candidates, const std::function<double(std::uint32_t)>& gain,
                        const std::function<void(std::uint32_t)>& add,
                        const std::function<bool(double, std::size_t)>& stop, double eps, std::uint32_t bound_k,
                        std::vector<double> singleton) {
    GreedyTrace t;
    std::vector<Entry> heap;
    heap.reserve(candidates);
    t.singleton = std::move(singleton);
    if (t.singleton.empty()) {
        t.singleton.resize(candidates);
        for (std::uint32_t j = 0; j < candidates; ++j) {
            t.singleton[j] = gain(j);
        }
    }
    YIKE_ASSERT(t.singleton.size() == candidates);
    for (std::uint32_t j = 0; j < candidates; ++j) {
        heap.push_back({t.singleton[j], j, 0});
    }
    std::make_heap(heap.begin(), heap.end(), heap_less);
    std::vector<double> top;
    auto note_bound = [&] {
        if (bound_k == 0) {
            return;
        }
        top.clear();
        for (const Entry& e : heap) {
            top.push_back(e.gain);
        }
        const std::size_t take = std::min<std::size_t>(bound_k, top.size());
        std::nth_element(top.begin(), top.begin() + static_cast<std::ptrdiff_t>(take), top.end(), std::greater<>());
        double b = t.value;
        for (std::size_t q = 0; q < take; ++q) {
            b += std::max(0.0, top[q]);
        }
        t.bound = std::min(t.bound, b);
    };
    note_bound();
    while (!heap.empty() && !stop(t.value, t.chosen.size())) {
        std::pop_heap(heap.begin(), heap.end(), heap_less);
        Entry e = heap.back();
        heap.pop_back();
        const auto picks = static_cast<std::uint32_t>(t.chosen.size());
        if (e.fresh_at != picks) {
            e.gain = gain(e.site);
            e.fresh_at = picks;
            if (!heap.empty() && heap_less(e, heap.front())) {
                heap.push_back(e);
                std::push_heap(heap.begin(), heap.end(), heap_less);
                continue;
            }
        }
        if (e.gain <= eps) {
            heap.push_back(e); // nothing adds anything any more
            break;
        }
        add(e.site);
        t.chosen.push_back(e.site);
        t.gain.push_back(e.gain);
        t.value += e.gain;
        note_bound();
    }
    if (bound_k != 0 && (heap.empty() || std::all_of(heap.begin(), heap.end(), [&](const Entry& e) {
                             return e.gain <= eps;
                         }))) {
        t.bound = std::min(t.bound, t.value); // no site adds anything: the greedy value is optimal
    }
    return t;
}

// Every candidate's weight alone (nothing chosen yet), in parallel: written by index, so the
// figures do not depend on the number of threads.
std::vector<double> singleton_gains(const CoverState& empty, std::uint32_t candidates, unsigned threads) {
    std::vector<double> g(candidates);
    constexpr std::size_t chunk = 256;
    const std::size_t chunks = (std::size_t{candidates} + chunk - 1) / chunk;
    detail::parallel_for(chunks, detail::worker_count(threads, chunks), [&](std::size_t c, unsigned) {
        const std::size_t end = std::min<std::size_t>(candidates, (c + 1) * chunk);
        for (std::size_t j = c * chunk; j < end; ++j) {
            g[j] = empty.gain(static_cast<std::uint32_t>(j));
        }
    });
    return g;
}

// Marginal gains in the order of `chosen`, recomputed from scratch (after swaps).
std::vector<double> marginal_gains(const ReachSets& reach, std::span<const double> w,
                                   std::span<const std::uint32_t> chosen) {
    CoverState s(reach, w);
    std::vector<double> g;
    for (const std::uint32_t j : chosen) {
        g.push_back(s.gain(j));
        s.add(j);
    }
    return g;
}


} // namespace yike::engine::detail
