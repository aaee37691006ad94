// Site planning: candidate reach sets, maximal covering, set covering and the capacity-aware
// variant (see yike/engine/planning.hpp and doc/planning.md).
//
// Covered weight and served weight are both monotone submodular in the set of chosen sites, so a
// stale marginal gain is an upper bound on the current one: lazy greedy re-evaluates only the top
// of the queue, and the stale gains give an upper bound on the optimum at every step
// (f(S) + the k largest gains w.r.t. S bounds any k-set).
#include "yike/engine/planning.hpp"

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

#include "detail/demand_eval.hpp"
#include "detail/parallel.hpp"
#include "detail/planning_ilp.hpp"
#include "yike/assert.hpp"
#include "yike/error.hpp"

namespace yike::engine {

namespace {

using routing::Cost;
using routing::EdgeId;
using routing::inf_cost;
using routing::invalid_id;
using routing::Origin;
using routing::WalkGraph;

// The LP relaxation is solved for the bound only when the model is at most this large (reach
// entries of uncovered demand with weight > 0); above it the
// submodular bound alone is reported. Within this size GLPK's simplex takes about a second.
constexpr std::size_t lp_bound_max_entries = 600'000;
constexpr double lp_bound_time_limit_s = 10.0;
// GLPK's simplex works to a relative tolerance of about 1e-7: LP values are widened by this much
// before they serve as bounds, and a bound within it of the answer counts as met.
constexpr double lp_relative_tolerance = 1e-7;

// ---- validation ------------------------------------------------------------------------------

void check_problem(const CoveringProblem& p, const char* what) {
    if (p.reach == nullptr) {
        throw config_error(std::string(what) + ": no candidate reach sets given");
    }
    const std::size_t n = p.weight.size();
    if (!p.covered.empty() && p.covered.size() != n) {
        throw config_error(std::string(what) + ": " + std::to_string(p.covered.size()) + " coverage flags for " +
                           std::to_string(n) + " demand points");
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (!(p.weight[i] >= 0.0) || std::isinf(p.weight[i])) {
            throw config_error(std::string(what) + ": demand point " + std::to_string(i) + " has weight " +
                               std::to_string(p.weight[i]) + " (must be a finite number >= 0)");
        }
    }
    const ReachSets& r = *p.reach;
    YIKE_ASSERT(r.first.empty() ? r.demand.empty() : r.first.back() == r.demand.size());
    for (const std::uint32_t i : r.demand) {
        if (i >= n) {
            throw config_error(std::string(what) + ": reach sets name demand point " + std::to_string(i) + " of " +
                               std::to_string(n));
        }
    }
}

void check_k(const CoveringProblem& p, std::uint32_t k, const char* what) {
    if (k > p.reach->candidate_count()) {
        throw config_error(std::string(what) + ": " + std::to_string(k) + " sites asked for among " +
                           std::to_string(p.reach->candidate_count()) + " candidates");
    }
}

// The weight each demand point can still add: 0 when an existing facility covers it.
std::vector<double> open_weight(const CoveringProblem& p) {
    std::vector<double> w = p.weight;
    for (std::size_t i = 0; i < p.covered.size(); ++i) {
        if (p.covered[i] != 0) {
            w[i] = 0.0;
        }
    }
    return w;
}

double tolerance(std::span<const double> w) {
    double total = 0.0;
    for (const double x : w) {
        total += x;
    }
    return 1e-9 * (1.0 + total);
}

// ---- the coverage state ------------------------------------------------------------------------

// How many chosen sites cover each demand point, and the gains that follow from it.
class CoverState {
public:
    CoverState(const ReachSets& reach, std::span<const double> weight)
        : m_reach(reach), m_weight(weight), m_count(weight.size(), 0) {}

    [[nodiscard]] double gain(std::uint32_t j) const noexcept {
        double g = 0.0;
        for (std::uint32_t p = m_reach.first[j]; p < m_reach.first[j + 1]; ++p) {
            const std::uint32_t i = m_reach.demand[p];
            if (m_count[i] == 0) {
                g += m_weight[i];
            }
        }
        return g;
    }
    // Weight only j covers among the chosen.
    [[nodiscard]] double loss(std::uint32_t j) const noexcept {
        double g = 0.0;
        for (std::uint32_t p = m_reach.first[j]; p < m_reach.first[j + 1]; ++p) {
            const std::uint32_t i = m_reach.demand[p];
            if (m_count[i] == 1) {
                g += m_weight[i];
            }
        }
        return g;
    }
    void add(std::uint32_t j) noexcept {
        for (std::uint32_t p = m_reach.first[j]; p < m_reach.first[j + 1]; ++p) {
            ++m_count[m_reach.demand[p]];
        }
    }
    void remove(std::uint32_t j) noexcept {
        for (std::uint32_t p = m_reach.first[j]; p < m_reach.first[j + 1]; ++p) {
            --m_count[m_reach.demand[p]];
        }
    }
    [[nodiscard]] std::uint32_t count(std::uint32_t i) const noexcept { return m_count[i]; }

private:
    const ReachSets& m_reach;
    std::span<const double> m_weight;
    std::vector<std::uint32_t> m_count;
}; // class CoverState

// Newly covered weight of a selection (sum over demand in index order, so it does not depend on
// the order of the sites).
double covered_weight(const ReachSets& reach, std::span<const double> weight, std::span<const std::uint32_t> sites) {
    std::vector<std::uint8_t> hit(weight.size(), 0);
    for (const std::uint32_t j : sites) {
        for (std::uint32_t p = reach.first[j]; p < reach.first[j + 1]; ++p) {
            hit[reach.demand[p]] = 1;
        }
    }
    double total = 0.0;
    for (std::size_t i = 0; i < weight.size(); ++i) {
        if (hit[i] != 0) {
            total += weight[i];
        }
    }
    return total;
}

// ---- lazy greedy -------------------------------------------------------------------------------

struct Entry {
    double gain;
    std::uint32_t site;
    std::uint32_t fresh_at; // number of picks when the gain was computed
};
// Max-heap order: larger gain first, then the lower index.
bool heap_less(const Entry& a, const Entry& b) noexcept {
    return a.gain < b.gain || (a.gain == b.gain && a.site > b.site);
}

struct GreedyTrace {
    std::vector<std::uint32_t> chosen;
    std::vector<double> gain;
    double value = 0;
    double bound = std::numeric_limits<double>::infinity(); // min over steps of f(S_i) + top-k stale gains
    std::vector<double> singleton; // gain of every candidate alone
};

// Picks sites by largest marginal gain until `stop(value, picks)` or no site adds more than `eps`.
// `gain(j)` evaluates the current marginal gain; `add(j)` commits a pick. `bound_k` > 0 tracks the
// submodular bound for selections of that size. `singleton`, when not empty, holds every
// candidate's gain alone (computed by the caller, possibly in parallel).
GreedyTrace lazy_greedy(std::uint32_t candidates, const std::function<double(std::uint32_t)>& gain,
                        const std::function<void(std::uint32_t)>& add,
                        const std::function<bool(double, std::size_t)>& stop, double eps, std::uint32_t bound_k,
                        std::vector<double> singleton = {}) {
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

// ---- swap improvement (uncapacitated) ------------------------------------------------------------

// Swap improvement: a round is one cyclic pass over the unchosen sites t; for each, every exchange
// with a chosen s is evaluated at once from t's reach set (weight only s covers counts back for t:
// delta(s, t) = gain(t | S) + w(R(t) covered by s alone) - loss(s)) and the best exchange is
// applied when it improves by more than eps (first improvement over t, best over s). The search
// ends after m consecutive sites without an improvement, so that the last m evaluations were all
// made against the final selection: their gains give the bound f(S) + the k largest gains.
struct SwapOutcome {
    double bound = std::numeric_limits<double>::infinity();
    std::uint32_t swaps = 0;
};

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
// merged when the same candidates reach them. `merge` false keeps one group per point.
detail::CoverModel cover_model(const ReachSets& reach, std::span<const double> w, bool merge) {
    const std::uint32_t m = reach.candidate_count();
    std::vector<std::vector<std::uint32_t>> by_demand(w.size());
    for (std::uint32_t j = 0; j < m; ++j) {
        for (std::uint32_t p = reach.first[j]; p < reach.first[j + 1]; ++p) {
            if (w[reach.demand[p]] > 0.0) {
                by_demand[reach.demand[p]].push_back(j);
            }
        }
    }
    detail::CoverModel model;
    model.candidates = m;
    std::map<std::vector<std::uint32_t>, std::size_t> group_of;
    for (std::size_t i = 0; i < w.size(); ++i) {
        auto& list = by_demand[i];
        if (list.empty()) {
            continue;
        }
        if (merge) {
            const auto [it, inserted] = group_of.emplace(std::move(list), model.groups());
            if (!inserted) {
                model.weight[it->second] += w[i];
                continue;
            }
            model.weight.push_back(w[i]);
            model.cand.insert(model.cand.end(), it->first.begin(), it->first.end());
        } else {
            model.weight.push_back(w[i]);
            model.cand.insert(model.cand.end(), list.begin(), list.end());
        }
        model.first.push_back(static_cast<std::uint32_t>(model.cand.size()));
    }
    return model;
}

std::size_t open_entries(const ReachSets& reach, std::span<const double> w) {
    std::size_t entries = 0;
    for (const std::uint32_t i : reach.demand) {
        entries += w[i] > 0.0 ? 1 : 0;
    }
    return entries;
}

void finish_gap(PlanResult& r, double eps) {
    r.upper_bound = std::max(r.upper_bound, r.objective);
    if (r.upper_bound - r.objective <= lp_relative_tolerance * r.upper_bound + 2.0 * eps) {
        r.optimal = true;
    }
    r.gap = r.optimal || r.upper_bound <= 0.0 ? 0.0 : (r.upper_bound - r.objective) / r.upper_bound;
    if (r.optimal) {
        r.upper_bound = r.objective;
    }
}

// ---- capacitated: served weight of a fixed selection (max flow) --------------------------------

// Dinic's max flow on source -> demand (its open weight) -> site within reach (unbounded) -> sink
// (the site's capacity). Reused across evaluations: the network is rebuilt for every selection.
class ServedFlow {
public:
    ServedFlow(const ReachSets& reach, std::span<const double> weight, std::span<const double> capacity)
        : m_reach(reach), m_weight(weight), m_capacity(capacity), m_local(weight.size(), invalid_id) {}

    // Served weight of `sites`; per_site (when given) receives each site's assigned weight.
    double served(std::span<const std::uint32_t> sites, std::vector<double>* per_site = nullptr) {
        build(sites);
        double total = 0.0;
        while (levels()) {
            std::copy(m_first.begin(), m_first.end() - 1, m_next.begin());
            while (true) {
                const double f = push(source, std::numeric_limits<double>::infinity());
                if (f <= 0.0) {
                    break;
                }
                total += f;
            }
        }
        if (per_site != nullptr) {
            per_site->assign(sites.size(), 0.0);
            for (std::size_t s = 0; s < sites.size(); ++s) {
                // The arc site -> sink carries the site's flow; its residual is capacity - flow.
                const std::uint32_t node = static_cast<std::uint32_t>(first_site + s);
                for (std::uint32_t a = m_first[node]; a < m_first[node + 1]; ++a) {
                    if (m_to[a] == sink) {
                        (*per_site)[s] = m_capacity[sites[s]] - m_cap[a];
                    }
                }
            }
        }
        for (const std::uint32_t i : m_demand_nodes) {
            m_local[i] = invalid_id;
        }
        return total;
    }

private:
    static constexpr std::uint32_t source = 0;
    static constexpr std::uint32_t sink = 1;
    static constexpr std::uint32_t first_site = 2;
    static constexpr double flow_eps = 1e-12;

    void build(std::span<const std::uint32_t> sites) {
        m_demand_nodes.clear();
        const auto site_nodes = static_cast<std::uint32_t>(sites.size());
        for (const std::uint32_t j : sites) {
            for (std::uint32_t p = m_reach.first[j]; p < m_reach.first[j + 1]; ++p) {
                const std::uint32_t i = m_reach.demand[p];
                if (m_weight[i] > 0.0 && m_local[i] == invalid_id) {
                    m_local[i] = first_site + site_nodes + static_cast<std::uint32_t>(m_demand_nodes.size());
                    m_demand_nodes.push_back(i);
                }
            }
        }
        const std::uint32_t nodes = first_site + site_nodes + static_cast<std::uint32_t>(m_demand_nodes.size());
        // Arcs as (from, to, capacity) with their reverses, then sorted into CSR by `from`.
        m_arcs.clear();
        auto arc = [&](std::uint32_t from, std::uint32_t to, double cap) {
            m_arcs.push_back({from, to, cap});
            m_arcs.push_back({to, from, 0.0});
        };
        for (std::uint32_t s = 0; s < site_nodes; ++s) {
            arc(first_site + s, sink, m_capacity[sites[s]]);
        }
        for (std::size_t d = 0; d < m_demand_nodes.size(); ++d) {
            arc(source, first_site + site_nodes + static_cast<std::uint32_t>(d), m_weight[m_demand_nodes[d]]);
        }
        for (std::uint32_t s = 0; s < site_nodes; ++s) {
            const std::uint32_t j = sites[s];
            for (std::uint32_t p = m_reach.first[j]; p < m_reach.first[j + 1]; ++p) {
                const std::uint32_t i = m_reach.demand[p];
                if (m_weight[i] > 0.0) {
                    arc(m_local[i], first_site + s, std::numeric_limits<double>::infinity());
                }
            }
        }
        m_first.assign(nodes + 1, 0);
        for (const RawArc& a : m_arcs) {
            ++m_first[a.from + 1];
        }
        for (std::uint32_t u = 0; u < nodes; ++u) {
            m_first[u + 1] += m_first[u];
        }
        m_to.resize(m_arcs.size());
        m_cap.resize(m_arcs.size());
        m_rev.resize(m_arcs.size());
        std::vector<std::uint32_t> fill(m_first.begin(), m_first.end() - 1);
        std::vector<std::uint32_t> pos(m_arcs.size());
        for (std::size_t a = 0; a < m_arcs.size(); ++a) {
            pos[a] = fill[m_arcs[a].from]++;
            m_to[pos[a]] = m_arcs[a].to;
            m_cap[pos[a]] = m_arcs[a].cap;
        }
        for (std::size_t a = 0; a < m_arcs.size(); ++a) {
            m_rev[pos[a]] = pos[a ^ 1U];
        }
        m_level.assign(nodes, -1);
        m_next.assign(nodes, 0);
    }

    bool levels() {
        std::fill(m_level.begin(), m_level.end(), -1);
        m_queue.clear();
        m_queue.push_back(source);
        m_level[source] = 0;
        for (std::size_t q = 0; q < m_queue.size(); ++q) {
            const std::uint32_t u = m_queue[q];
            for (std::uint32_t a = m_first[u]; a < m_first[u + 1]; ++a) {
                if (m_cap[a] > flow_eps && m_level[m_to[a]] < 0) {
                    m_level[m_to[a]] = m_level[u] + 1;
                    m_queue.push_back(m_to[a]);
                }
            }
        }
        return m_level[sink] >= 0;
    }

    double push(std::uint32_t u, double limit) {
        if (u == sink) {
            return limit;
        }
        for (std::uint32_t& a = m_next[u]; a < m_first[u + 1]; ++a) {
            const std::uint32_t v = m_to[a];
            if (m_cap[a] > flow_eps && m_level[v] == m_level[u] + 1) {
                const double f = push(v, std::min(limit, m_cap[a]));
                if (f > 0.0) {
                    m_cap[a] -= f;
                    m_cap[m_rev[a]] += f;
                    return f;
                }
            }
        }
        return 0.0;
    }

    struct RawArc {
        std::uint32_t from;
        std::uint32_t to;
        double cap;
    };
    const ReachSets& m_reach;
    std::span<const double> m_weight;
    std::span<const double> m_capacity;
    std::vector<std::uint32_t> m_local;
    std::vector<std::uint32_t> m_demand_nodes;
    std::vector<RawArc> m_arcs;
    std::vector<std::uint32_t> m_first;
    std::vector<std::uint32_t> m_to;
    std::vector<double> m_cap;
    std::vector<std::uint32_t> m_rev;
    std::vector<int> m_level;
    std::vector<std::uint32_t> m_next;
    std::vector<std::uint32_t> m_queue;
}; // class ServedFlow

} // namespace

// ---- reach sets ------------------------------------------------------------------------------------

ReachSets build_reach_sets(const WalkGraph& graph, const PreparedDemand& demand,
                           std::span<const std::optional<Origin>> candidates, Cost threshold, unsigned threads) {
    const std::size_t n = demand.size();
    const EdgeId edges = graph.edge_count();
    const Cost budget = std::min<Cost>(threshold, inf_cost - 1);

    // Demand points of every edge (CSR by edge, indices ascending within an edge).
    std::vector<std::uint32_t> first(std::size_t{edges} + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
        if (demand.edge[i] != invalid_id) {
            YIKE_ASSERT(demand.edge[i] < edges);
            ++first[demand.edge[i] + 1];
        }
    }
    for (std::size_t e = 0; e < edges; ++e) {
        first[e + 1] += first[e];
    }
    std::vector<std::uint32_t> by_edge(first.back());
    {
        std::vector<std::uint32_t> fill(first.begin(), first.end() - 1);
        for (std::size_t i = 0; i < n; ++i) {
            if (demand.edge[i] != invalid_id) {
                by_edge[fill[demand.edge[i]]++] = static_cast<std::uint32_t>(i);
            }
        }
    }

    struct Hit {
        std::uint32_t demand;
        Cost cost;
    };
    std::vector<std::vector<Hit>> hits(candidates.size());
    struct Worker {
        explicit Worker(const WalkGraph& g) : search(g), edge_seen(g.edge_count(), invalid_id) {}
        routing::BoundedSearch search;
        std::vector<std::uint32_t> edge_seen;
        std::vector<EdgeId> edges;
    };
    const unsigned workers = detail::worker_count(threads, candidates.size());
    std::vector<std::unique_ptr<Worker>> pool;
    for (unsigned w = 0; w < workers; ++w) {
        pool.push_back(std::make_unique<Worker>(graph));
    }
    detail::parallel_for(candidates.size(), workers, [&](std::size_t j, unsigned w) {
        if (!candidates[j]) {
            return;
        }
        Worker& k = *pool[w];
        Origin f = *candidates[j];
        YIKE_ASSERT(f.edge < edges);
        f.source = 0;
        // Towards the candidate, as nearest_facilities: households walk to it.
        k.search.run(std::span<const Origin>(&f, 1), budget, demand.metric, routing::Direction::to_sources);
        const auto mark = static_cast<std::uint32_t>(j);
        k.edges.clear();
        auto visit = [&](EdgeId e) {
            if (k.edge_seen[e] != mark) {
                k.edge_seen[e] = mark;
                k.edges.push_back(e);
            }
        };
        visit(f.edge);
        for (const routing::NodeId u : k.search.settled()) {
            for (routing::ArcId a = graph.first_out[u]; a < graph.first_out[u + 1]; ++a) {
                visit(WalkGraph::edge_of_arc_value(graph.arc_edge[a]));
            }
        }
        std::vector<Hit>& out = hits[j];
        for (const EdgeId e : k.edges) {
            for (std::uint32_t q = first[e]; q < first[e + 1]; ++q) {
                const std::uint32_t i = by_edge[q];
                Cost c = detail::through_prepared_ends(k.search, demand, i).cost;
                if (e == f.edge) {
                    Origin here;
                    here.edge = e;
                    here.offset_cm = demand.offset_cm[i];
                    c = std::min(c, detail::along_same_edge(graph, f, here, demand.metric, routing::Direction::to_sources));
                }
                if (const Cost total = detail::within_limit(c, demand.offnet[i], threshold); total != inf_cost) {
                    out.push_back({i, total});
                }
            }
        }
        std::sort(out.begin(), out.end(), [](const Hit& a, const Hit& b) { return a.demand < b.demand; });
        out.shrink_to_fit();
    });

    ReachSets r;
    r.first.assign(candidates.size() + 1, 0);
    std::size_t total = 0;
    for (std::size_t j = 0; j < candidates.size(); ++j) {
        total += hits[j].size();
        YIKE_ASSERT(total < invalid_id);
        r.first[j + 1] = static_cast<std::uint32_t>(total);
    }
    r.demand.reserve(total);
    r.cost.reserve(total);
    for (auto& h : hits) {
        for (const Hit& x : h) {
            r.demand.push_back(x.demand);
            r.cost.push_back(x.cost);
        }
        std::vector<Hit>().swap(h);
    }
    return r;
}

// ---- maximal covering ------------------------------------------------------------------------------

PlanResult maximal_covering(const CoveringProblem& problem, std::uint32_t k, const PlanOptions& options) {
    check_problem(problem, "maximal covering");
    check_k(problem, k, "maximal covering");
    const ReachSets& reach = *problem.reach;
    const std::vector<double> w = open_weight(problem);
    const double eps = tolerance(w);
    const std::uint32_t m = reach.candidate_count();

    CoverState state(reach, w);
    GreedyTrace greedy = lazy_greedy(
        m, [&](std::uint32_t j) { return state.gain(j); }, [&](std::uint32_t j) { state.add(j); },
        [&](double, std::size_t picks) { return picks >= k; }, eps, k, singleton_gains(state, m, options.threads));

    PlanResult r;
    r.chosen = greedy.chosen;
    r.upper_bound = greedy.bound;
    std::string bound_name = "submodular (greedy)";
    const SwapOutcome swaps = swap_improve(reach, w, r.chosen, greedy.singleton, options.swap_rounds, k, eps,
                                                   options.threads);
    if (swaps.bound < r.upper_bound) {
        r.upper_bound = swaps.bound;
        bound_name = "submodular (final selection)";
    }
    r.objective = covered_weight(reach, w, r.chosen);
    r.method = "lazy greedy + swap (" + std::to_string(swaps.swaps) + " swaps)";

    const bool proven = r.upper_bound - r.objective <= eps;
    if (!proven && k > 0 && (options.exact || open_entries(reach, w) <= lp_bound_max_entries)) {
        const detail::CoverModel model = cover_model(reach, w, true);
        if (options.exact) {
            const detail::LpOutcome mip = detail::solve_max_cover(model, k, true, options.exact_time_limit_s);
            if (mip.solved) {
                const double value = covered_weight(reach, w, mip.chosen);
                if (value > r.objective + eps) {
                    // Keep the greedy order for sites both share, then the solver's others.
                    std::vector<std::uint32_t> order;
                    for (const std::uint32_t j : r.chosen) {
                        if (std::binary_search(mip.chosen.begin(), mip.chosen.end(), j)) {
                            order.push_back(j);
                        }
                    }
                    for (const std::uint32_t j : mip.chosen) {
                        if (std::find(order.begin(), order.end(), j) == order.end()) {
                            order.push_back(j);
                        }
                    }
                    r.chosen = std::move(order);
                    r.objective = value;
                }
                if (mip.optimal) {
                    r.optimal = true;
                    r.upper_bound = r.objective;
                    bound_name = "ILP optimum (GLPK)";
                }
            }
            r.method += "; exact: GLPK MIP" + std::string(mip.optimal ? " (proven optimal)" : " (time limit)");
        }
        if (!r.optimal) {
            const detail::LpOutcome lp = detail::solve_max_cover(model, k, false, lp_bound_time_limit_s);
            const double lp_bound = lp.value * (1.0 + lp_relative_tolerance) + eps;
            if (lp.solved && lp_bound < r.upper_bound) {
                r.upper_bound = lp_bound;
                bound_name = "LP relaxation (GLPK)";
            }
            if (lp.solved && r.upper_bound - r.objective > eps) {
                // LP rounding: the k sites with the largest x_j (the LP optimum itself when it is
                // integral, as it often is for spatial instances), improved by swaps, replace
                // the greedy answer when better.
                std::vector<std::uint32_t> order(m);
                std::iota(order.begin(), order.end(), 0U);
                std::stable_sort(order.begin(), order.end(),
                                 [&](std::uint32_t a, std::uint32_t b) { return lp.x[a] > lp.x[b]; });
                std::vector<std::uint32_t> rounded(order.begin(), order.begin() + k);
                const SwapOutcome more = swap_improve(reach, w, rounded, greedy.singleton, options.swap_rounds, k, eps,
                                                       options.threads);
                const double value = covered_weight(reach, w, rounded);
                if (value > r.objective + eps) {
                    r.chosen = std::move(rounded);
                    r.objective = value;
                    r.method += "; LP rounding + swap (" + std::to_string(more.swaps) + " swaps) better";
                }
            }
        }
    }
    r.marginal_gain = marginal_gains(reach, w, r.chosen);
    finish_gap(r, eps);
    r.method += "; bound: " + (r.optimal && bound_name.rfind("ILP", 0) != 0 ? bound_name + ", met" : bound_name);
    return r;
}

// ---- set covering ----------------------------------------------------------------------------------

PlanResult set_covering(const CoveringProblem& problem, double target_share, const PlanOptions& options) {
    check_problem(problem, "set covering");
    if (!(target_share >= 0.0 && target_share <= 1.0)) {
        throw config_error("set covering: target share " + std::to_string(target_share) + " is not within [0, 1]");
    }
    const ReachSets& reach = *problem.reach;
    const std::vector<double> w = open_weight(problem);
    const double eps = tolerance(w);
    const std::uint32_t m = reach.candidate_count();
    double total = 0.0;
    double open = 0.0;
    for (std::size_t i = 0; i < w.size(); ++i) {
        total += problem.weight[i];
        open += w[i];
    }
    const double needed = target_share * total - (total - open);

    PlanResult r;
    // What all candidates together could add: the most any selection can.
    std::vector<std::uint32_t> all(m);
    std::iota(all.begin(), all.end(), 0U);
    const double achievable = covered_weight(reach, w, all);
    r.upper_bound = achievable;
    const double goal = std::min(needed, achievable);
    if (needed > achievable + eps) {
        r.target_reachable = false;
        std::vector<std::uint8_t> reachable(w.size(), 0);
        for (const std::uint32_t i : reach.demand) {
            reachable[i] = 1;
        }
        for (std::size_t i = 0; i < w.size(); ++i) {
            if (w[i] > 0.0 && reachable[i] == 0) {
                r.unreachable_demand.push_back(static_cast<std::uint32_t>(i));
            }
        }
    }
    if (goal <= eps) {
        r.optimal = true;
        r.method = "nothing to add";
        return r;
    }

    CoverState state(reach, w);
    GreedyTrace greedy = lazy_greedy(
        m, [&](std::uint32_t j) { return state.gain(j); }, [&](std::uint32_t j) { state.add(j); },
        [&](double value, std::size_t) { return value >= goal - eps; }, eps, 0, singleton_gains(state, m, options.threads));
    r.chosen = greedy.chosen;
    // Drop sites the others make redundant, latest first.
    std::uint32_t dropped = 0;
    for (std::size_t q = r.chosen.size(); q-- > 0;) {
        const std::uint32_t j = r.chosen[q];
        if (greedy.value - state.loss(j) >= goal - eps) {
            greedy.value -= state.loss(j);
            state.remove(j);
            r.chosen.erase(r.chosen.begin() + static_cast<std::ptrdiff_t>(q));
            ++dropped;
        }
    }
    r.objective = covered_weight(reach, w, r.chosen);
    r.method = "lazy greedy + redundant-site removal (" + std::to_string(dropped) + " dropped)";

    // Lower bound on the number of sites: the fewest whose gains alone could add up to the goal.
    std::vector<double> singles = greedy.singleton;
    std::sort(singles.begin(), singles.end(), std::greater<>());
    std::size_t lower = 0;
    for (double sum = 0.0; lower < singles.size() && sum < goal - eps; ++lower) {
        sum += singles[lower];
    }
    std::string bound_name = "largest single gains";
    if (lower < r.chosen.size() && (options.exact || open_entries(reach, w) <= lp_bound_max_entries)) {
        const detail::CoverModel model = cover_model(reach, w, true);
        if (options.exact) {
            // The set-covering ILP with a single "covered weight >= needed" row branches badly in
            // GLPK; maximal covering ILPs of growing size prove the fewest sites much faster: the
            // first size whose optimum reaches the goal is the answer.
            // One time limit for the whole sequence.
            const auto deadline = std::chrono::steady_clock::now() +
                                  std::chrono::duration<double>(std::max(0.0, options.exact_time_limit_s));
            bool proven = true;
            for (auto size = static_cast<std::uint32_t>(lower); size < r.chosen.size(); ++size) {
                const double left =
                    std::chrono::duration<double>(deadline - std::chrono::steady_clock::now()).count();
                if (left <= 0.0) {
                    proven = false;
                    break;
                }
                const detail::LpOutcome mip = detail::solve_max_cover(model, size, true, left);
                if (mip.solved && covered_weight(reach, w, mip.chosen) >= goal - eps) {
                    r.chosen = mip.chosen;
                    r.objective = covered_weight(reach, w, r.chosen);
                    lower = size;
                    break;
                }
                if (!mip.optimal) {
                    proven = false;
                    break;
                }
                lower = size + 1; // no selection of this size reaches the goal
                bound_name = "ILP optima (GLPK)";
            }
            if (proven && lower >= r.chosen.size()) {
                bound_name = "ILP optimum (GLPK)";
            }
            r.method += "; exact: GLPK MIP" + std::string(proven ? " (proven optimal)" : " (time limit)");
        }
        if (lower < r.chosen.size()) {
            const detail::LpOutcome lp = detail::solve_set_cover(model, goal - eps, false, lp_bound_time_limit_s);
            if (lp.solved) {
                const auto lp_lower = static_cast<std::size_t>(std::ceil(lp.value - 1e-6));
                if (lp_lower > lower) {
                    lower = std::min(lp_lower, r.chosen.size());
                    bound_name = "LP relaxation (GLPK)";
                }
            }
        }
    }
    r.marginal_gain = marginal_gains(reach, w, r.chosen);
    r.optimal = lower >= r.chosen.size();
    r.gap = static_cast<double>(r.chosen.size() - std::min(lower, r.chosen.size()));
    r.method += "; at least " + std::to_string(lower) + " sites needed (" + bound_name + ")";
    return r;
}

// ---- capacitated covering --------------------------------------------------------------------------

PlanResult capacitated_covering(const CoveringProblem& problem, std::uint32_t k, const PlanOptions& options) {
    check_problem(problem, "capacitated covering");
    check_k(problem, k, "capacitated covering");
    const ReachSets& reach = *problem.reach;
    const std::uint32_t m = reach.candidate_count();
    if (problem.capacity.size() != m) {
        throw config_error("capacitated covering: " + std::to_string(problem.capacity.size()) + " capacities for " +
                           std::to_string(m) + " candidates");
    }
    for (std::uint32_t j = 0; j < m; ++j) {
        const double c = problem.capacity[j];
        if (!(c >= 0.0) || std::isinf(c)) {
            throw config_error("capacitated covering: candidate " + std::to_string(j) + " has capacity " +
                               std::to_string(c) + " (must be a finite number >= 0)");
        }
    }
    const std::vector<double> w = open_weight(problem);
    const double eps = tolerance(w);
    ServedFlow flow(reach, w, problem.capacity);

    std::vector<std::uint32_t> current;
    double current_value = 0.0;
    std::vector<std::uint32_t> trial;
    std::uint64_t evaluations = 0;
    auto gain = [&](std::uint32_t j) {
        ++evaluations;
        trial = current;
        trial.push_back(j);
        return flow.served(trial) - current_value;
    };
    auto add = [&](std::uint32_t j) {
        current.push_back(j);
        current_value = flow.served(current);
    };
    GreedyTrace greedy = lazy_greedy(m, gain, add, [&](double, std::size_t picks) { return picks >= k; }, eps, k);

    PlanResult r;
    r.chosen = greedy.chosen;
    r.objective = current_value;
    r.upper_bound = greedy.bound;
    std::string bound_name = "submodular (greedy)";

    // First-improvement swaps, each checked by an exact flow. Submodularity prunes most pairs:
    // replacing s by t gains at most t's served weight alone minus what removing s loses. The
    // flows are capped at as many as the greedy evaluated, so that the phase costs at most about
    // what the greedy did; the bound below stays valid either way.
    std::uint32_t swaps = 0;
    std::vector<std::uint8_t> is_chosen(m, 0);
    for (const std::uint32_t j : r.chosen) {
        is_chosen[j] = 1;
    }
    std::uint64_t budget = evaluations;
    std::vector<double> loss(r.chosen.size());
    // Nothing to improve or to bound when the greedy bound is already met.
    const bool greedy_proven = r.upper_bound - r.objective <= eps;
    for (std::uint32_t round = 0; round < options.swap_rounds && budget > 0 && !greedy_proven; ++round) {
        for (std::size_t s = 0; s < r.chosen.size(); ++s) {
            trial = r.chosen;
            trial.erase(trial.begin() + static_cast<std::ptrdiff_t>(s));
            loss[s] = r.objective - flow.served(trial);
        }
        bool improved = false;
        for (std::size_t s = 0; s < r.chosen.size() && !improved && budget > 0; ++s) {
            for (std::uint32_t t = 0; t < m && !improved && budget > 0; ++t) {
                if (is_chosen[t] != 0 || greedy.singleton[t] - loss[s] <= eps) {
                    continue;
                }
                trial = r.chosen;
                trial[s] = t;
                --budget;
                const double v = flow.served(trial);
                if (v > r.objective + eps) {
                    is_chosen[r.chosen[s]] = 0;
                    is_chosen[t] = 1;
                    r.chosen = trial;
                    r.objective = v;
                    improved = true;
                    ++swaps;
                }
            }
        }
        if (!improved) {
            break;
        }
    }
    // The bound from the exact gains w.r.t. the final selection.
    if (!greedy_proven) {
        current = r.chosen;
        current_value = r.objective;
        std::vector<double> gains;
        for (std::uint32_t t = 0; t < m; ++t) {
            if (is_chosen[t] == 0) {
                gains.push_back(greedy.singleton[t] <= 0.0 ? 0.0 : std::max(0.0, gain(t)));
            }
        }
        const std::size_t take = std::min<std::size_t>(k, gains.size());
        std::nth_element(gains.begin(), gains.begin() + static_cast<std::ptrdiff_t>(take), gains.end(),
                         std::greater<>());
        double b = r.objective;
        for (std::size_t q = 0; q < take; ++q) {
            b += gains[q];
        }
        if (b < r.upper_bound) {
            r.upper_bound = b;
            bound_name = "submodular (final selection)";
        }
    }
    r.method = "lazy greedy + swap (" + std::to_string(swaps) + " swaps), served weight by max flow";

    const bool proven = r.upper_bound - r.objective <= eps;
    if (!proven && k > 0 && (options.exact || open_entries(reach, w) <= lp_bound_max_entries / 4)) {
        const detail::CoverModel model = cover_model(reach, w, false);
        if (options.exact) {
            const detail::LpOutcome mip =
                detail::solve_capacitated(model, problem.capacity, k, true, options.exact_time_limit_s);
            if (mip.solved) {
                const double value = flow.served(mip.chosen);
                if (value > r.objective + eps) {
                    r.chosen = mip.chosen;
                    r.objective = value;
                }
                if (mip.optimal) {
                    r.optimal = true;
                    r.upper_bound = r.objective;
                    bound_name = "ILP optimum (GLPK)";
                }
            }
            r.method += "; exact: GLPK MIP" + std::string(mip.optimal ? " (proven optimal)" : " (time limit)");
        }
        if (!r.optimal) {
            const detail::LpOutcome lp =
                detail::solve_capacitated(model, problem.capacity, k, false, lp_bound_time_limit_s);
            const double lp_bound = lp.value * (1.0 + lp_relative_tolerance) + eps;
            if (lp.solved && lp_bound < r.upper_bound) {
                r.upper_bound = lp_bound;
                bound_name = "LP relaxation (GLPK)";
            }
        }
    }
    // Marginal served weight in the order chosen.
    r.marginal_gain.clear();
    double before = 0.0;
    for (std::size_t q = 0; q < r.chosen.size(); ++q) {
        const double v = flow.served(std::span<const std::uint32_t>(r.chosen.data(), q + 1));
        r.marginal_gain.push_back(v - before);
        before = v;
    }
    r.objective = flow.served(r.chosen, &r.served);
    finish_gap(r, eps);
    r.method += "; bound: " + (r.optimal && bound_name.rfind("ILP", 0) != 0 ? bound_name + ", met" : bound_name);
    return r;
}

// ---- whole units (presence targets) ---------------------------------------------------------

namespace {

void check_units(const UnitSelection& u) {
    YIKE_ASSERT(u.weight.size() == u.cost.size());
    for (std::size_t i = 0; i < u.weight.size(); ++i) {
        YIKE_ASSERT(std::isfinite(u.weight[i]) && u.weight[i] >= 0.0);
        YIKE_ASSERT(u.cost[i] >= 1);
    }
}

double weight_of(const UnitSelection& u, const std::vector<std::uint32_t>& chosen) {
    double sum = 0.0;
    for (const auto i : chosen) sum += u.weight[i];
    return sum;
}

std::uint32_t sites_of(const UnitSelection& u, const std::vector<std::uint32_t>& chosen) {
    std::uint32_t sum = 0;
    for (const auto i : chosen) sum += u.cost[i];
    return sum;
}

// Decreasing weight per site, then weight, then index: the order units are listed in.
void sort_by_density(const UnitSelection& u, std::vector<std::uint32_t>& order) {
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        const double da = u.weight[a] * u.cost[b];
        const double db = u.weight[b] * u.cost[a];
        if (da != db) return da > db;
        if (u.weight[a] != u.weight[b]) return u.weight[a] > u.weight[b];
        return a < b;
    });
}

void unit_gains(const UnitSelection& u, PlanResult& r) {
    sort_by_density(u, r.chosen);
    r.marginal_gain.clear();
    for (const auto i : r.chosen) r.marginal_gain.push_back(u.weight[i]);
    r.objective = weight_of(u, r.chosen);
}

} // namespace

PlanResult best_units(const UnitSelection& u, std::uint32_t k, const PlanOptions& options) {
    check_units(u);
    const auto n = static_cast<std::uint32_t>(u.weight.size());
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0U);
    sort_by_density(u, order);
    PlanResult r;
    // Greedy by weight per site, skipping units that no longer fit; the LP bound takes the same
    // order whole and the first unit that does not fit in part (Dantzig's bound).
    std::uint32_t left = k;
    double bound = 0.0;
    bool bound_done = false;
    for (const auto i : order) {
        if (u.cost[i] <= left) {
            r.chosen.push_back(i);
            left -= u.cost[i];
            if (!bound_done) bound += u.weight[i];
        } else if (!bound_done) {
            bound += u.weight[i] * static_cast<double>(left) / static_cast<double>(u.cost[i]);
            bound_done = true;
        }
    }
    // The single heaviest unit that fits can beat the greedy fill (a unit needing many sites).
    std::uint32_t heaviest = invalid_id;
    for (std::uint32_t i = 0; i < n; ++i) {
        if (u.cost[i] <= k && (heaviest == invalid_id || u.weight[i] > u.weight[heaviest])) heaviest = i;
    }
    if (heaviest != invalid_id && u.weight[heaviest] > weight_of(u, r.chosen)) r.chosen = {heaviest};
    r.method = "greedy by weight per site";
    std::string bound_name = "LP relaxation";
    r.upper_bound = bound;
    const double eps = 1e-9 * std::max(1.0, bound);
    if (options.exact && weight_of(u, r.chosen) < bound - eps) {
        const detail::LpOutcome mip = detail::solve_unit_budget(u.weight, u.cost, k, true, options.exact_time_limit_s);
        if (mip.solved && weight_of(u, mip.chosen) > weight_of(u, r.chosen) + eps) r.chosen = mip.chosen;
        if (mip.solved && mip.optimal) {
            r.optimal = true;
            bound_name = "ILP optimum (GLPK)";
        }
        r.method += "; exact: GLPK MIP" + std::string(mip.optimal ? " (proven optimal)" : " (time limit)");
    } else if (options.exact) {
        r.method += "; exact: not needed (bound met)";
    }
    YIKE_ASSERT(sites_of(u, r.chosen) <= k);
    unit_gains(u, r);
    if (r.optimal) r.upper_bound = r.objective;
    finish_gap(r, eps);
    r.method += "; bound: " + (r.optimal && bound_name.rfind("ILP", 0) != 0 ? bound_name + ", met" : bound_name);
    return r;
}

PlanResult fewest_units(const UnitSelection& u, std::uint32_t needed, const PlanOptions& options) {
    check_units(u);
    const auto n = static_cast<std::uint32_t>(u.weight.size());
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0U);
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        if (u.cost[a] != u.cost[b]) return u.cost[a] < u.cost[b];
        if (u.weight[a] != u.weight[b]) return u.weight[a] > u.weight[b];
        return a < b;
    });
    PlanResult r;
    r.target_reachable = needed <= n;
    order.resize(std::min(needed, n));
    r.chosen = order;
    r.method = "units needing the fewest sites first (optimal for a count of units)";
    if (options.exact && r.target_reachable && needed > 0) {
        const detail::LpOutcome mip = detail::solve_unit_count(u.cost, needed, options.exact_time_limit_s);
        // The cheapest units are optimal: the solver can only tie them, which the test checks.
        YIKE_ASSERT(!mip.solved || sites_of(u, mip.chosen) >= sites_of(u, r.chosen));
        r.method += "; exact: GLPK MIP" + std::string(mip.solved ? ", " + std::to_string(sites_of(u, mip.chosen)) + " sites" : " (no answer)");
    }
    unit_gains(u, r);
    r.upper_bound = r.objective;
    r.optimal = true;
    r.gap = 0.0;
    return r;
}

} // namespace yike::engine
