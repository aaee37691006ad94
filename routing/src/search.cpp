#include "yike/routing/search.hpp"

#include <algorithm>

#include "yike/assert.hpp"

namespace yike::routing {

namespace {

// Marks a node whose label is final; heap positions are only meaningful for the current stamp.
constexpr std::uint32_t settled_pos = invalid_id;

Cost saturating_add(Cost a, Cost b) noexcept {
    const std::uint64_t sum = std::uint64_t{a} + b;
    return sum >= inf_cost ? inf_cost : static_cast<Cost>(sum);
}

} // namespace

Origin origin_from_snap(const SnapResult& snap, std::uint32_t source) {
    Origin o;
    o.edge = snap.edge;
    o.offset_cm = snap.offset_cm;
    const double offnet_cm = std::max(0.0, snap.distance_m * 100.0);
    // Rounded so that a point on the edge itself costs nothing extra.
    o.offnet_cm = offnet_cm >= static_cast<double>(inf_cost) ? inf_cost
                                                             : static_cast<std::uint32_t>(offnet_cm + 0.5);
    o.source = source;
    return o;
}

Cost offnet_cost(const WalkGraph& graph, std::uint32_t offnet_cm, Metric metric) noexcept {
    if (metric == Metric::time_ms) {
        return graph.offnet_time_ms(offnet_cm);
    }
    return std::min<Cost>(offnet_cm, inf_cost);
}

Cost partial_edge_cost(const WalkGraph& graph, EdgeId e, std::uint32_t length_cm, Metric metric) noexcept {
    const std::uint32_t edge_len = graph.edge_length_cm[e];
    const std::uint32_t len = std::min(length_cm, edge_len);
    if (metric == Metric::length_cm) {
        return len;
    }
    // Rounded down: walking part of an edge never costs more than walking all of it, and the
    // whole edge costs exactly edge_time_ms.
    return static_cast<Cost>(std::uint64_t{graph.edge_time_ms[e]} * len / edge_len);
}

void append_seeds(const WalkGraph& graph, const Origin& origin, Metric metric, std::vector<Seed>& seeds) {
    YIKE_ASSERT(origin.edge < graph.edge_count());
    const std::uint32_t len = graph.edge_length_cm[origin.edge];
    const std::uint32_t offset = std::min(origin.offset_cm, len);
    const Cost off = offnet_cost(graph, origin.offnet_cm, metric);
    seeds.push_back({graph.edge_tail[origin.edge],
                     saturating_add(off, partial_edge_cost(graph, origin.edge, offset, metric)), origin.source});
    seeds.push_back({graph.edge_head[origin.edge],
                     saturating_add(off, partial_edge_cost(graph, origin.edge, len - offset, metric)), origin.source});
}

BoundedSearch::BoundedSearch(const WalkGraph& graph)
    : m_graph(&graph),
      m_dist(graph.node_count(), inf_cost),
      m_source(graph.node_count(), invalid_id),
      m_stamp(graph.node_count(), 0),
      m_heap_pos(graph.node_count(), settled_pos) {
    m_heap.reserve(64);
    m_heap_key.reserve(64);
}

void BoundedSearch::run(std::span<const Origin> origins, Cost budget, Metric metric) {
    m_seed_buffer.clear();
    for (const Origin& o : origins) {
        append_seeds(*m_graph, o, metric, m_seed_buffer);
    }
    // `origins` may view m_origins itself (a rerun with search.origins()), which the seed run
    // clears: park the origins in a vector of our own first, reusing its capacity.
    const Origin* const own_begin = m_origins.data();
    const Origin* const own_end = own_begin + m_origins.size();
    const bool aliases = !origins.empty() && origins.data() < own_end && own_begin < origins.data() + origins.size();
    std::vector<Origin> held;
    if (aliases) {
        held.assign(origins.begin(), origins.end());
    } else {
        held.swap(m_origins);
        held.assign(origins.begin(), origins.end());
    }
    run(std::span<const Seed>(m_seed_buffer), budget, metric);
    m_origins.swap(held);
}

void BoundedSearch::run(std::span<const Seed> seeds, Cost budget, Metric metric) {
    YIKE_ASSERT(budget < inf_cost);
    const WalkGraph& g = *m_graph;
    const std::uint32_t n = g.node_count();
    YIKE_ASSERT(m_stamp.size() == n);
    m_budget = budget;
    m_metric = metric;
    m_origins.clear();
    m_settled.clear();
    m_heap.clear();
    m_heap_key.clear();
    if (++m_now == 0) {
        // After 2^32 runs the stamps wrap: clear them once so no stale label looks current.
        std::fill(m_stamp.begin(), m_stamp.end(), 0U);
        m_now = 1;
    }
    const std::uint32_t now = m_now;

    Cost* const dist = m_dist.data();
    std::uint32_t* const src = m_source.data();
    std::uint32_t* const stamp = m_stamp.data();
    std::uint32_t* const pos = m_heap_pos.data();

    // Keys compare (distance, source) lexicographically as one integer: the lowest label wins
    // ties. They are kept next to the heap so that sifting touches no per-node array but pos.
    auto key_of = [](Cost d, std::uint32_t s) { return (std::uint64_t{d} << 32) | s; };
    auto sift_up = [&](std::uint32_t i, NodeId x, std::uint64_t k) {
        while (i > 0) {
            const std::uint32_t parent = (i - 1) >> 2;
            if (k >= m_heap_key[parent]) {
                break;
            }
            m_heap[i] = m_heap[parent];
            m_heap_key[i] = m_heap_key[parent];
            pos[m_heap[i]] = i;
            i = parent;
        }
        m_heap[i] = x;
        m_heap_key[i] = k;
        pos[x] = i;
    };
    auto sift_down = [&](std::uint32_t i, NodeId x, std::uint64_t k) {
        const auto size = static_cast<std::uint32_t>(m_heap.size());
        for (;;) {
            const std::uint32_t first = 4 * i + 1;
            if (first >= size) {
                break;
            }
            const std::uint32_t last = std::min(first + 4, size);
            std::uint32_t best = first;
            for (std::uint32_t c = first + 1; c < last; ++c) {
                if (m_heap_key[c] < m_heap_key[best]) {
                    best = c;
                }
            }
            if (m_heap_key[best] >= k) {
                break;
            }
            m_heap[i] = m_heap[best];
            m_heap_key[i] = m_heap_key[best];
            pos[m_heap[i]] = i;
            i = best;
        }
        m_heap[i] = x;
        m_heap_key[i] = k;
        pos[x] = i;
    };
    // Offers (d, s) to v; d <= budget. Settled nodes are never improved (arc costs are >= 1).
    auto offer = [&](NodeId v, Cost d, std::uint32_t s) {
        const std::uint64_t k = key_of(d, s);
        if (stamp[v] != now) {
            stamp[v] = now;
            dist[v] = d;
            src[v] = s;
            m_heap.push_back(v);
            m_heap_key.push_back(k);
            sift_up(static_cast<std::uint32_t>(m_heap.size() - 1), v, k);
            return;
        }
        if (pos[v] == settled_pos) {
            return;
        }
        if (k < m_heap_key[pos[v]]) {
            dist[v] = d;
            src[v] = s;
            sift_up(pos[v], v, k);
        }
    };

    for (const Seed& seed : seeds) {
        YIKE_ASSERT(seed.node < n);
        if (seed.cost <= budget) {
            offer(seed.node, seed.cost, seed.source);
        }
    }

    const std::span<const Cost> cost = g.arc_cost(metric);
    const ArcId* const first_out = g.first_out.data();
    const NodeId* const head = g.head.data();
    const Cost* const arc_cost = cost.data();
    while (!m_heap.empty()) {
        const NodeId u = m_heap.front();
        const NodeId last = m_heap.back();
        const std::uint64_t last_key = m_heap_key.back();
        m_heap.pop_back();
        m_heap_key.pop_back();
        if (!m_heap.empty()) {
            sift_down(0, last, last_key);
        }
        pos[u] = settled_pos;
        m_settled.push_back(u);
        const Cost du = dist[u];
        const std::uint32_t su = src[u];
        for (ArcId a = first_out[u]; a < first_out[u + 1]; ++a) {
            // du <= budget < inf_cost and arc costs < inf_cost: the sum fits in 32 bits.
            const Cost d = du + arc_cost[a];
            if (d <= budget) {
                offer(head[a], d, su);
            }
        }
    }
}

} // namespace yike::routing
