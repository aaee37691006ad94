#pragma once
// How a finished search's distances are evaluated at a prepared demand point: both ends of the
// point's edge, facilities on the same edge, then the point's off-network leg. Shared by
// nearest_facilities (coverage.cpp) and build_reach_sets (planning.cpp) so both give the same cost.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "yike/engine/coverage.hpp"
#include "yike/routing/graph.hpp"
#include "yike/routing/search.hpp"

namespace yike::engine::detail {

inline routing::Cost saturating_add(routing::Cost a, routing::Cost b) noexcept {
    const std::uint64_t sum = std::uint64_t{a} + b;
    return sum >= routing::inf_cost ? routing::inf_cost : static_cast<routing::Cost>(sum);
}

// A cost and the search label that achieves it (lowest label on ties).
struct PointReach {
    routing::Cost cost = routing::inf_cost;
    std::uint32_t source = routing::invalid_id;
};

inline void take_better(PointReach& best, routing::Cost cost, std::uint32_t source) noexcept {
    if (cost < best.cost || (cost == best.cost && source < best.source)) {
        best.cost = cost;
        best.source = source;
    }
}

// Walking along a shared edge from one origin straight to the other (both clamped to the edge, as
// the seeds are), including the first origin's off-network leg.
inline routing::Cost along_same_edge(const routing::WalkGraph& g, const routing::Origin& from, const routing::Origin& to,
                                     routing::Metric metric) noexcept {
    const std::uint32_t len = g.edge_length_cm[from.edge];
    const std::uint32_t a = std::min(from.offset_cm, len);
    const std::uint32_t b = std::min(to.offset_cm, len);
    return saturating_add(routing::offnet_cost(g, from.offnet_cm, metric),
                          routing::partial_edge_cost(g, from.edge, a > b ? a - b : b - a, metric));
}

// The best of both ends of prepared demand point i's edge after a search, without the point's
// off-network leg. The point must be snapped.
inline PointReach through_prepared_ends(const routing::BoundedSearch& search, const PreparedDemand& demand,
                                        std::size_t i) noexcept {
    PointReach best;
    if (const routing::Cost d = search.distance(demand.tail[i]); d != routing::inf_cost) {
        take_better(best, saturating_add(d, demand.from_tail[i]), search.source(demand.tail[i]));
    }
    if (const routing::Cost d = search.distance(demand.head[i]); d != routing::inf_cost) {
        take_better(best, saturating_add(d, demand.from_head[i]), search.source(demand.head[i]));
    }
    return best;
}

// The point's total cost once its off-network leg is added, or inf_cost when beyond `limit`.
inline routing::Cost within_limit(routing::Cost on_network, routing::Cost offnet, routing::Cost limit) noexcept {
    if (on_network > limit) {
        return routing::inf_cost; // the off-network leg only adds (and most points are out of reach)
    }
    const routing::Cost total = saturating_add(on_network, offnet);
    return total <= limit ? total : routing::inf_cost;
}

} // namespace yike::engine::detail
