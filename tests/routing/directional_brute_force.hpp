#pragma once
// Brute force for directional walking times (a DEM makes uphill and downhill cost differently):
// Dijkstra over the edges themselves, not the CSR arcs the searches use, and the documented rule
// for walking part of an edge. Shared by the routing and engine tests of slope.
#include <cstdint>
#include <functional>
#include <queue>
#include <utility>
#include <vector>

#include "yike/routing/graph.hpp"

namespace yike::test {

using routing::EdgeId;
using routing::NodeId;
using routing::WalkGraph;

inline constexpr std::uint64_t inf64 = ~std::uint64_t{0};

// Directed Dijkstra over the edges themselves (not the CSR arcs): tail -> head costs
// edge_time_ms, head -> tail edge_back_time_ms. Seeds are (node, cost).
inline std::vector<std::uint64_t> walk_from(const WalkGraph& g, const std::vector<std::pair<NodeId, std::uint64_t>>& seeds) {
    std::vector<std::vector<std::pair<NodeId, std::uint64_t>>> out(g.node_count());
    for (EdgeId e = 0; e < g.edge_count(); ++e) {
        const std::uint64_t back = g.edge_back_time_ms.empty() ? g.edge_time_ms[e] : g.edge_back_time_ms[e];
        out[g.edge_tail[e]].emplace_back(g.edge_head[e], g.edge_time_ms[e]);
        out[g.edge_head[e]].emplace_back(g.edge_tail[e], back);
    }
    std::vector<std::uint64_t> dist(g.node_count(), inf64);
    using Entry = std::pair<std::uint64_t, NodeId>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
    for (const auto& [u, c] : seeds) {
        if (c < dist[u]) {
            dist[u] = c;
            queue.emplace(c, u);
        }
    }
    while (!queue.empty()) {
        const auto [d, u] = queue.top();
        queue.pop();
        if (d != dist[u]) continue;
        for (const auto& [v, c] : out[u]) {
            if (d + c < dist[v]) {
                dist[v] = d + c;
                queue.emplace(d + c, v);
            }
        }
    }
    return dist;
}

// Time to walk `len_walked` cm along edge e, forwards (tail to head) or not: the direction's
// time times the share of the length, rounded down (the documented rule, written out here).
inline std::uint64_t along(const WalkGraph& g, EdgeId e, std::uint32_t len_walked, bool forwards) {
    const std::uint64_t t = forwards || g.edge_back_time_ms.empty() ? g.edge_time_ms[e] : g.edge_back_time_ms[e];
    return t * len_walked / g.edge_length_cm[e];
}

} // namespace yike::test
