#include "yike/routing/search.hpp"

#include <algorithm>
#include <bit>

#include "yike/assert.hpp"

namespace yike::routing {

namespace {

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

Cost partial_edge_cost(const WalkGraph& graph, EdgeId e, std::uint32_t from_cm, std::uint32_t to_cm, Metric metric) noexcept {
    const std::uint32_t edge_len = graph.edge_length_cm[e];
    const std::uint32_t from = std::min(from_cm, edge_len);
    const std::uint32_t to = std::min(to_cm, edge_len);
    const std::uint32_t len = to >= from ? to - from : from - to;
    if (metric == Metric::length_cm) {
        return len;
    }
    // Rounded down: walking part of an edge never costs more than walking all of it, and the
    // whole edge costs exactly its time in that direction.
    return static_cast<Cost>(std::uint64_t{graph.edge_cost(e, metric, to < from)} * len / edge_len);
}

Cost end_to_offset_cost(const WalkGraph& graph, EdgeId e, bool at_head, std::uint32_t offset_cm, Metric metric,
                        Direction direction) noexcept {
    const std::uint32_t end = at_head ? graph.edge_length_cm[e] : 0;
    return direction == Direction::from_sources ? partial_edge_cost(graph, e, end, offset_cm, metric)
                                                : partial_edge_cost(graph, e, offset_cm, end, metric);
}

void append_seeds(const WalkGraph& graph, const Origin& origin, Metric metric, std::vector<Seed>& seeds,
                  Direction direction) {
    YIKE_ASSERT(origin.edge < graph.edge_count());
    const Cost off = offnet_cost(graph, origin.offnet_cm, metric);
    // A seed at an end carries the walk between the origin and that end, which is the reverse of
    // end_to_offset_cost's direction (that one prices reaching a point from a settled end).
    const Direction back = direction == Direction::from_sources ? Direction::to_sources : Direction::from_sources;
    seeds.push_back({graph.edge_tail[origin.edge],
                     saturating_add(off, end_to_offset_cost(graph, origin.edge, false, origin.offset_cm, metric, back)),
                     origin.source});
    seeds.push_back({graph.edge_head[origin.edge],
                     saturating_add(off, end_to_offset_cost(graph, origin.edge, true, origin.offset_cm, metric, back)),
                     origin.source});
}

BoundedSearch::BoundedSearch(const WalkGraph& graph)
    : m_graph(&graph),
      m_label(graph.node_count(), Label{inf_cost, invalid_id, 0}) {}

void BoundedSearch::run(std::span<const Origin> origins, Cost budget, Metric metric, Direction direction) {
    m_seed_buffer.clear();
    for (const Origin& o : origins) {
        append_seeds(*m_graph, o, metric, m_seed_buffer, direction);
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
    run(std::span<const Seed>(m_seed_buffer), budget, metric, direction);
    m_origins.swap(held);
}

void BoundedSearch::run(std::span<const Seed> seeds, Cost budget, Metric metric, Direction direction) {
    YIKE_ASSERT(budget < inf_cost);
    const WalkGraph& g = *m_graph;
    const std::uint32_t n = g.node_count();
    YIKE_ASSERT(m_label.size() == n);
    m_budget = budget;
    m_metric = metric;
    m_direction = direction;
    m_origins.clear();
    m_settled.clear();
    if (++m_now == 0) {
        // After 2^32 runs the stamps wrap: clear them once so no stale label looks current.
        for (Label& l : m_label) {
            l.stamp = 0;
        }
        m_now = 1;
    }
    const std::uint32_t now = m_now;
    Label* const label = m_label.data();

    // The queue is keyed by distance alone and a node is pushed again whenever its distance drops
    // (no decrease-key); the entry whose key no longer matches the node's distance is skipped when
    // popped. The source label needs no key of its own: every arc costs >= 1, so when a node is
    // popped at distance d every node closer than d has been settled and relaxed, and all offers
    // at distance d (each keeping the lowest label) have been made: the label is final.
    // Popped keys never decrease, which is what a radix heap needs.
    Cost last = 0;
    std::uint64_t nonempty = 0; // bit b: bucket b may hold entries
    auto push = [&](Cost key, NodeId v) {
        const auto b = static_cast<unsigned>(std::bit_width(key ^ last));
        m_bucket[b].push_back({key, v});
        nonempty |= std::uint64_t{1} << b;
    };
    auto offer = [&](NodeId v, Cost d, std::uint32_t s) {
        Label& l = label[v];
        if (l.stamp != now) {
            l = Label{d, s, now};
            push(d, v);
        } else if (d < l.dist) {
            l.dist = d;
            l.source = s;
            push(d, v);
        } else if (d == l.dist && s < l.source) {
            l.source = s; // its entry already has key d
        }
    };

    for (auto& bucket : m_bucket) {
        bucket.clear();
    }
    for (const Seed& seed : seeds) {
        YIKE_ASSERT(seed.node < n);
        if (seed.cost <= budget) {
            offer(seed.node, seed.cost, seed.source);
        }
    }

    // The direction only picks which cost array the loop reads: nothing per relaxation.
    const std::span<const Cost> cost = g.arc_cost(metric, direction);
    const ArcId* const first_out = g.first_out.data();
    const NodeId* const head = g.head.data();
    const Cost* const arc_cost = cost.data();
    std::vector<QueueEntry>& current = m_bucket[0];
    for (;;) {
        if (current.empty()) {
            nonempty &= ~std::uint64_t{1};
            if (nonempty == 0) {
                break;
            }
            // Move the lowest non-empty bucket down around its minimum: every entry lands in a
            // lower bucket, the minimum's equals in bucket 0.
            const auto b = static_cast<unsigned>(std::countr_zero(nonempty));
            std::vector<QueueEntry>& from = m_bucket[b];
            Cost low = from.front().key;
            for (const QueueEntry& e : from) {
                low = std::min(low, e.key);
            }
            last = low;
            for (const QueueEntry& e : from) {
                const auto to = static_cast<unsigned>(std::bit_width(e.key ^ low));
                if (to <= 3) {
                    // Popped within a few units of distance: start fetching the node's label and
                    // arc range now, since on a large search each is a cache miss otherwise.
                    __builtin_prefetch(&label[e.node]);
                    __builtin_prefetch(&first_out[e.node]);
                }
                m_bucket[to].push_back(e);
                nonempty |= std::uint64_t{1} << to;
            }
            from.clear();
            nonempty &= ~(std::uint64_t{1} << b);
        }
        // Arcs cost >= 1, so relaxing bucket 0 pushes nothing back into it; indexing (not
        // iterators) keeps this safe regardless.
        for (std::size_t i = 0; i < current.size(); ++i) {
            const QueueEntry e = current[i];
            const NodeId u = e.node;
            const Label lu = label[u];
            if (lu.dist != e.key) {
                continue; // superseded by a shorter distance pushed later
            }
            m_settled.push_back(u);
            for (ArcId a = first_out[u]; a < first_out[u + 1]; ++a) {
                // du <= budget < inf_cost and arc costs < inf_cost: the sum fits in 32 bits.
                const Cost d = lu.dist + arc_cost[a];
                if (d <= budget) {
                    offer(head[a], d, lu.source);
                }
            }
        }
        current.clear();
    }
}

} // namespace yike::routing
