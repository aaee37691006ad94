#include <algorithm>
#include <tuple>

#include "yike/assert.hpp"
#include "yike/routing/search.hpp"

namespace yike::routing {

namespace {

// The longest length L <= max_len (cm) of edge e such that walking L along it (backwards: from
// head towards tail) costs <= remaining. partial_edge_cost is floor(c * L / len) (c = the edge's
// cost in that direction, len = edge length; for the length metric c == len), and
// floor(c * L / len) <= r  <=>  c * L < (r + 1) * len  <=>  L <= ((r + 1) * len - 1) / c.
std::uint32_t reachable_length(const WalkGraph& g, EdgeId e, Cost remaining, std::uint32_t max_len, Metric metric,
                               bool backwards) {
    const std::uint64_t len = g.edge_length_cm[e];
    if (metric == Metric::length_cm) {
        return static_cast<std::uint32_t>(std::min<std::uint64_t>(remaining, max_len));
    }
    const std::uint64_t c = g.edge_cost(e, metric, backwards);
    if (c == 0) {
        return max_len;
    }
    const std::uint64_t l = ((std::uint64_t{remaining} + 1) * len - 1) / c;
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(l, max_len));
}

} // namespace

std::vector<ReachedSpan> reached_spans(const BoundedSearch& search) {
    const WalkGraph& g = search.graph();
    const Cost budget = search.budget();
    const Metric metric = search.metric();
    // A to_sources search prices the walk towards the settled node, against the arc's direction.
    const bool towards = search.direction() == Direction::to_sources;
    std::vector<ReachedSpan> spans;

    // From every reached node along each of its arcs (a self-loop has one arc from each end).
    for (const NodeId u : search.settled()) {
        const Cost du = search.distance(u);
        for (ArcId a = g.first_out[u]; a < g.first_out[u + 1]; ++a) {
            const EdgeId e = WalkGraph::edge_of_arc_value(g.arc_edge[a]);
            const std::uint32_t len = g.edge_length_cm[e];
            const bool rev = WalkGraph::arc_is_reversed_value(g.arc_edge[a]);
            const std::uint32_t l = reachable_length(g, e, budget - du, len, metric, rev != towards);
            if (rev) {
                spans.push_back({e, len - l, len, du}); // u is the head
            } else {
                spans.push_back({e, 0, l, du});
            }
        }
    }

    // Around every origin on its own edge, after the walk onto the network.
    for (const Origin& o : search.origins()) {
        const Cost off = offnet_cost(g, o.offnet_cm, metric);
        if (off > budget) {
            continue;
        }
        const std::uint32_t len = g.edge_length_cm[o.edge];
        const std::uint32_t offset = std::min(o.offset_cm, len);
        // The part towards the tail is walked backwards away from the origin, forwards towards it.
        const std::uint32_t back = reachable_length(g, o.edge, budget - off, offset, metric, !towards);
        const std::uint32_t ahead = reachable_length(g, o.edge, budget - off, len - offset, metric, towards);
        spans.push_back({o.edge, offset - back, offset + ahead, off});
    }

    std::sort(spans.begin(), spans.end(), [](const ReachedSpan& a, const ReachedSpan& b) {
        return std::tie(a.edge, a.begin_cm, a.end_cm, a.first_cost) < std::tie(b.edge, b.begin_cm, b.end_cm, b.first_cost);
    });
    // Merge overlapping or touching spans of one edge.
    std::size_t out = 0;
    for (std::size_t i = 0; i < spans.size(); ++i) {
        if (out > 0 && spans[out - 1].edge == spans[i].edge && spans[i].begin_cm <= spans[out - 1].end_cm) {
            ReachedSpan& cur = spans[out - 1];
            cur.end_cm = std::max(cur.end_cm, spans[i].end_cm);
            cur.first_cost = std::min(cur.first_cost, spans[i].first_cost);
        } else {
            spans[out++] = spans[i];
        }
    }
    spans.resize(out);
    return spans;
}

} // namespace yike::routing
