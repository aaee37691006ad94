// Swap improvement: a round is one cyclic pass over the unchosen sites t; for each, every exchange
// with a chosen s is evaluated at once from t's reach set (weight only s covers counts back for t:
// delta(s, t) = gain(t | S) + w(R(t) covered by s alone) - loss(s)) and the best exchange is
// applied when it improves by more than eps (first improvement over t, best over s). The search
// ends after m consecutive sites without an improvement, so that the last m evaluations were all
// made against the final selection: their gains give the bound f(S) + the k largest gains.
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

using routing::invalid_id;

// One evaluation of an unchosen t against the current selection.
struct SwapEval {
    double g0 = 0.0;     // gain of t alone w.r.t. the selection
    double d_best = 0.0; // best exchange's improvement
    std::uint32_t s_best = 0;
    bool may_swap = false;
};

// Evaluations of a block of upcoming candidates by `workers` threads (the caller is worker 0)
// against a selection that stays read-only while the block runs. The helper threads live as
// long as the object and sleep on an atomic between blocks, so a block costs one wake-up, not a
// thread start.
class BlockRunner {
public:
    using Job = std::function<void(std::size_t, std::size_t, unsigned)>; // [begin, end), worker

    explicit BlockRunner(unsigned workers) {
        try {
            for (unsigned w = 1; w < workers; ++w) {
                m_threads.emplace_back([this, w] { serve(w); });
            }
        } catch (...) {
            stop();
            throw;
        }
    }
    BlockRunner(const BlockRunner&) = delete;
    BlockRunner& operator=(const BlockRunner&) = delete;
    ~BlockRunner() { stop(); }

    // job(begin, end, worker) over [0, count) in chunks; returns when all are done. `job` must
    // not throw.
    void run(std::size_t count, const Job& job) {
        m_job = &job;
        m_count = count;
        m_next.store(0, std::memory_order_relaxed);
        m_done.store(0, std::memory_order_relaxed);
        m_generation.fetch_add(1, std::memory_order_release);
        m_generation.notify_all();
        work(0);
        const auto helpers = static_cast<std::uint32_t>(m_threads.size());
        const auto give_up = std::chrono::steady_clock::now() + spin_time;
        for (std::uint32_t spins = 1;; ++spins) {
            const std::uint32_t done = m_done.load(std::memory_order_acquire);
            if (done == helpers) {
                break;
            }
            if (spins % 64 == 0 && std::chrono::steady_clock::now() > give_up) {
                m_done.wait(done, std::memory_order_acquire);
            }
        }
    }

private:
    static constexpr std::size_t chunk = 16;
    static constexpr std::chrono::microseconds spin_time{500};

    void stop() {
        m_stop.store(true, std::memory_order_relaxed);
        m_generation.fetch_add(1, std::memory_order_release);
        m_generation.notify_all();
        for (std::thread& t : m_threads) {
            t.join();
        }
    }

    void work(unsigned worker) {
        for (std::size_t b = m_next.fetch_add(chunk, std::memory_order_relaxed); b < m_count;
             b = m_next.fetch_add(chunk, std::memory_order_relaxed)) {
            (*m_job)(b, std::min(m_count, b + chunk), worker);
        }
    }
    void serve(unsigned worker) {
        std::uint32_t seen = 0;
        while (true) {
            // Spin first: the next block follows within microseconds (or the time of one swap),
            // and waking a sleeping thread costs more than that on a virtual machine.
            std::uint32_t now = m_generation.load(std::memory_order_acquire);
            const auto give_up = std::chrono::steady_clock::now() + spin_time;
            for (std::uint32_t spins = 1; now == seen; ++spins) {
                if (spins % 64 == 0 && std::chrono::steady_clock::now() > give_up) {
                    break;
                }
                now = m_generation.load(std::memory_order_acquire);
            }
            if (now == seen) {
                m_generation.wait(seen, std::memory_order_acquire);
                now = m_generation.load(std::memory_order_acquire);
            }
            seen = now;
            if (m_stop.load(std::memory_order_relaxed)) {
                return;
            }
            work(worker);
            m_done.fetch_add(1, std::memory_order_release);
            m_done.notify_one();
        }
    }

    std::vector<std::thread> m_threads;
    const Job* m_job = nullptr;
    std::size_t m_count = 0;
    std::atomic<std::size_t> m_next{0};
    std::atomic<std::uint32_t> m_done{0};
    std::atomic<std::uint32_t> m_generation{0};
    std::atomic<bool> m_stop{false};
}; // class BlockRunner


} // namespace

SwapOutcome swap_improve(const ReachSets& reach, std::span<const double> w, std::vector<std::uint32_t>& chosen,
                         std::span<const double> singleton, std::uint32_t rounds, std::uint32_t k, double eps,
                         unsigned threads) {
    SwapOutcome out;
    const std::uint32_t m = reach.candidate_count();
    const std::size_t n = w.size();
    std::vector<std::uint32_t> count(n, 0);
    // Per demand point, what an evaluation needs in one read: `open` (no chosen site covers it),
    // `shared` (two or more do) or the position in `chosen` of its sole coverer.
    constexpr std::uint32_t open = invalid_id;
    constexpr std::uint32_t shared = invalid_id - 1;
    std::vector<std::uint32_t> owner(n, open);
    std::vector<std::uint8_t> is_chosen(m, 0);
    std::vector<double> loss(chosen.size(), 0.0);
    std::vector<double> gain_now(m, 0.0); // gain of t w.r.t. the selection when t was last evaluated
    for (const std::uint32_t j : chosen) {
        is_chosen[j] = 1;
        for (std::uint32_t p = reach.first[j]; p < reach.first[j + 1]; ++p) {
            ++count[reach.demand[p]];
        }
    }
    double min_loss = 0.0;
    std::uint32_t min_loss_at = 0;
    auto refresh_losses = [&] {
        min_loss = std::numeric_limits<double>::infinity();
        for (std::uint32_t s = 0; s < chosen.size(); ++s) {
            double l = 0.0;
            for (std::uint32_t p = reach.first[chosen[s]]; p < reach.first[chosen[s] + 1]; ++p) {
                const std::uint32_t i = reach.demand[p];
                if (count[i] == 1) {
                    owner[i] = s;
                    l += w[i];
                } else {
                    owner[i] = shared;
                }
            }
            loss[s] = l;
            if (l < min_loss) {
                min_loss = l;
                min_loss_at = s;
            }
        }
    };
    refresh_losses();
    const std::uint64_t max_steps = std::uint64_t{rounds} * m;

    // Per-worker scratch: `bonus` is all zero between evaluations; `touched` has room for one push
    // per reach entry (a point of weight 0 can push its owner twice), so evaluations do not
    // allocate and cannot throw. One cache line each, apart from the other workers'.
    struct alignas(64) Scratch {
        std::vector<double> bonus;
        std::vector<std::uint32_t> touched;
    };
    std::uint32_t longest = 0;
    for (std::uint32_t j = 0; j < m; ++j) {
        longest = std::max(longest, reach.first[j + 1] - reach.first[j]);
    }
    // Never more than the cores: a spinning helper that has to share one would stall each block.
    const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
    const unsigned workers = detail::worker_count(threads == 0 ? cores : std::min(threads, cores), m);
    std::vector<Scratch> scratch(workers);
    for (Scratch& sc : scratch) {
        sc.bonus.assign(chosen.size(), 0.0);
        sc.touched.resize(longest);
    }
    // Reads only the selection (owner, loss, min_loss), so evaluations of one block can run
    // side by side. Raw pointers in locals: through the vectors, every store to `touched` could
    // alias the reach sets and forced reloads in the inner loop.
    auto evaluate = [&](std::uint32_t t, std::uint64_t step, Scratch& sc) noexcept {
        SwapEval e;
        e.may_swap = step < max_steps && !chosen.empty() && singleton[t] - min_loss > eps;
        const std::uint32_t* const demand = reach.demand.data();
        const std::uint32_t* const own = owner.data();
        const double* const wt = w.data();
        double* const bonus = sc.bonus.data();
        std::uint32_t* const touched = sc.touched.data();
        std::size_t touches = 0;
        const std::uint32_t begin = reach.first[t];
        const std::uint32_t end = reach.first[t + 1];
        double g0 = 0.0;
        if (e.may_swap) {
            for (std::uint32_t p = begin; p < end; ++p) {
                const std::uint32_t i = demand[p];
                const std::uint32_t s = own[i];
                if (s == open) {
                    g0 += wt[i];
                } else if (s != shared) {
                    if (bonus[s] == 0.0) {
                        touched[touches++] = s;
                    }
                    bonus[s] += wt[i];
                }
            }
        } else {
            for (std::uint32_t p = begin; p < end; ++p) {
                const std::uint32_t i = demand[p];
                if (own[i] == open) {
                    g0 += wt[i];
                }
            }
        }
        e.g0 = g0;
        e.s_best = min_loss_at;
        e.d_best = g0 - min_loss;
        for (std::size_t q = 0; q < touches; ++q) {
            const std::uint32_t s = touched[q];
            const double d = g0 + bonus[s] - loss[s];
            if (d > e.d_best || (d == e.d_best && s < e.s_best)) {
                e.d_best = d;
                e.s_best = s;
            }
            bonus[s] = 0.0;
        }
        return e;
    };

    // Sequential first improvement, evaluated ahead in blocks: the block's candidates are all
    // evaluated against the current selection, then walked in order; the first improving one is
    // applied and the rest of the block (now stale) is evaluated again from the next t on. The
    // walk sees exactly the evaluations a one-by-one pass would, so the result does not depend on
    // the number of threads. Blocks start small after a swap and grow while none is found, which
    // keeps the discarded evaluations few when swaps come close together.
    constexpr std::uint32_t block_min = 16;
    constexpr std::uint32_t block_max = 512;
    std::unique_ptr<BlockRunner> runner;
    std::vector<SwapEval> ahead;
    if (workers > 1) {
        runner = std::make_unique<BlockRunner>(workers);
        ahead.resize(std::min(block_max, m));
    }
    std::uint32_t block = block_min;
    std::uint32_t quiet = 0; // consecutive evaluations without an improvement
    std::uint64_t step = 0;
    std::uint32_t t = 0;
    auto advance = [&] {
        t = t + 1 < m ? t + 1 : 0;
        ++step;
    };
    auto apply = [&](std::uint32_t s_best) {
        const std::uint32_t old = chosen[s_best];
        for (std::uint32_t p = reach.first[old]; p < reach.first[old + 1]; ++p) {
            const std::uint32_t i = reach.demand[p];
            if (--count[i] == 0) {
                owner[i] = open;
            }
        }
        for (std::uint32_t p = reach.first[t]; p < reach.first[t + 1]; ++p) {
            ++count[reach.demand[p]];
        }
        is_chosen[old] = 0;
        is_chosen[t] = 1;
        chosen[s_best] = t;
        refresh_losses();
        ++out.swaps;
        quiet = 0;
    };
    while (quiet < m) {
        if (!runner) {
            if (is_chosen[t] == 0) {
                const SwapEval e = evaluate(t, step, scratch[0]);
                gain_now[t] = e.g0;
                if (e.may_swap && e.d_best > eps) {
                    apply(e.s_best);
                    advance();
                    continue;
                }
            }
            ++quiet;
            advance();
            continue;
        }
        const std::uint32_t len = std::min({block, m, m - quiet});
        const std::uint32_t t0 = t;
        const std::uint64_t step0 = step;
        runner->run(len, [&](std::size_t begin, std::size_t end, unsigned worker) {
            for (std::size_t q = begin; q < end; ++q) {
                const std::uint64_t at = t0 + q;
                const auto tq = static_cast<std::uint32_t>(at < m ? at : at - m);
                if (is_chosen[tq] == 0) {
                    ahead[q] = evaluate(tq, step0 + q, scratch[worker]);
                }
            }
        });
        bool swapped = false;
        for (std::uint32_t q = 0; q < len && quiet < m; ++q) {
            if (is_chosen[t] == 0) {
                const SwapEval& e = ahead[q];
                gain_now[t] = e.g0;
                if (e.may_swap && e.d_best > eps) {
                    apply(e.s_best);
                    advance();
                    swapped = true;
                    break;
                }
            }
            ++quiet;
            advance();
        }
        block = swapped ? block_min : std::min(block * 2, block_max);
    }
    double value = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        value += count[i] != 0 ? w[i] : 0.0;
    }
    std::vector<double> gains;
    for (std::uint32_t j = 0; j < m; ++j) {
        if (is_chosen[j] == 0) {
            gains.push_back(gain_now[j]);
        }
    }
    const std::size_t take = std::min<std::size_t>(k, gains.size());
    std::nth_element(gains.begin(), gains.begin() + static_cast<std::ptrdiff_t>(take), gains.end(), std::greater<>());
    out.bound = value;
    for (std::size_t q = 0; q < take; ++q) {
        out.bound += gains[q];
    }
    return out;
}

// Demand groups for the LP: uncovered points with weight > 0 within reach of some candidate,
} // namespace yike::engine::detail
