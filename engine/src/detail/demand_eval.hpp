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

// Walking along a shared edge between a source and a point (both clamped to the edge, as the
// seeds are) the way a search of `direction` adds it up (from the source to the point, or from
// the point to the source), including the source's off-network leg.
inline routing::Cost along_same_edge(const routing::WalkGraph& g, const routing::Origin& source, const routing::Origin& point,
                                     routing::Metric metric, routing::Direction direction) noexcept {
    const routing::Cost along = direction == routing::Direction::from_sources
                                    ? routing::partial_edge_cost(g, source.edge, source.offset_cm, point.offset_cm, metric)
                                    : routing::partial_edge_cost(g, source.edge, point.offset_cm, source.offset_cm, metric);
    return saturating_add(routing::offnet_cost(g, source.offnet_cm, metric), along);
}

// The best of both ends of prepared demand point i's edge after a search, without the point's
// off-network leg. The point must be snapped.
// Branch-free: take_better is the lexicographic minimum of (cost, label), so both ends become one
// 64-bit key each; an end not reached gives (inf_cost, invalid_id), which never wins over a reached
// one, and whose cost saturates to inf_cost like a reached end's that overflows. Points in random
// order otherwise mispredict these branches about half the time.
inline PointReach through_prepared_ends(const routing::BoundedSearch& search, const PreparedDemand& demand,
                                        std::size_t i) noexcept {
    const auto key = [&](routing::NodeId u, routing::Cost along) {
        return (std::uint64_t{saturating_add(search.distance(u), along)} << 32) | search.source(u);
    };
    const std::uint64_t k = std::min(key(demand.tail[i], demand.from_tail[i]), key(demand.head[i], demand.from_head[i]));
    return PointReach{static_cast<routing::Cost>(k >> 32), static_cast<std::uint32_t>(k)};
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
