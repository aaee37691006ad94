#include "yike/routing/graph.hpp"

#include <algorithm>
#include <numeric>

#include "yike/assert.hpp"

namespace yike::routing {

Cost WalkGraph::offnet_time_ms(std::uint64_t length_cm) const noexcept {
    // length_cm / 100 m at speed/1000 m/s -> length_cm * 10'000 / speed ms, rounded up.
    const std::uint64_t speed = walk_speed_mm_per_s == 0 ? 1 : walk_speed_mm_per_s;
    const std::uint64_t ms = (length_cm * 10'000 + speed - 1) / speed;
    return ms >= inf_cost ? inf_cost : static_cast<Cost>(ms);
}

std::size_t WalkGraph::memory_bytes() const noexcept {
    auto bytes = [](const auto& v) { return v.capacity() * sizeof(v[0]); };
    return bytes(first_out) + bytes(node_lon_e7) + bytes(node_lat_e7) + bytes(node_x_m) + bytes(node_y_m) +
           bytes(node_osm_id) + bytes(head) + bytes(arc_time_ms) + bytes(arc_length_cm) + bytes(arc_edge) +
           bytes(edge_tail) + bytes(edge_head) + bytes(edge_time_ms) + bytes(edge_length_cm) +
           bytes(edge_way_id) + bytes(edge_first_point) + bytes(point_lon_e7) + bytes(point_lat_e7) +
           bytes(point_x_m) + bytes(point_y_m) + bytes(arc_back_time_ms) + bytes(edge_back_time_ms) + sizeof(*this);
}

void WalkGraph::check_invariants() const {
    const std::uint32_t n = node_count();
    const std::uint32_t m = arc_count();
    const std::uint32_t e = edge_count();
    YIKE_ASSERT(!first_out.empty() && first_out.front() == 0 && first_out.back() == m);
    YIKE_ASSERT(std::is_sorted(first_out.begin(), first_out.end()));
    YIKE_ASSERT(node_lon_e7.size() == n && node_lat_e7.size() == n && node_x_m.size() == n && node_y_m.size() == n &&
                node_osm_id.size() == n);
    YIKE_ASSERT(arc_time_ms.size() == m && arc_length_cm.size() == m && arc_edge.size() == m);
    YIKE_ASSERT(m == 2 * e);
    YIKE_ASSERT(edge_head.size() == e && edge_time_ms.size() == e && edge_length_cm.size() == e &&
                edge_way_id.size() == e && edge_first_point.size() == e + 1);
    YIKE_ASSERT(edge_first_point.front() == 0 && edge_first_point.back() == point_lon_e7.size());
    YIKE_ASSERT(point_lat_e7.size() == point_lon_e7.size() && point_x_m.size() == point_lon_e7.size() &&
                point_y_m.size() == point_lon_e7.size());
    const bool directional = has_directional_times();
    YIKE_ASSERT(directional ? (edge_back_time_ms.size() == e && arc_back_time_ms.size() == m) : arc_back_time_ms.empty());
    for (NodeId u = 0; u < n; ++u) {
        for (ArcId a = first_out[u]; a < first_out[u + 1]; ++a) {
            YIKE_ASSERT(head[a] < n);
            const EdgeId edge = edge_of_arc_value(arc_edge[a]);
            YIKE_ASSERT(edge < e);
            const bool rev = arc_is_reversed_value(arc_edge[a]);
            YIKE_ASSERT((rev ? edge_head[edge] : edge_tail[edge]) == u);
            YIKE_ASSERT((rev ? edge_tail[edge] : edge_head[edge]) == head[a]);
            YIKE_ASSERT(arc_time_ms[a] == edge_cost(edge, Metric::time_ms, rev) && arc_length_cm[a] == edge_length_cm[edge]);
            YIKE_ASSERT(arc_time_ms[a] >= 1 && arc_length_cm[a] >= 1);
            if (directional) {
                YIKE_ASSERT(arc_back_time_ms[a] == edge_cost(edge, Metric::time_ms, !rev));
            }
        }
    }
    for (EdgeId i = 0; i < e; ++i) {
        YIKE_ASSERT(edge_first_point[i + 1] >= edge_first_point[i] + 2);
    }
}

void WalkGraph::set_edge_times(std::vector<Cost> forward_ms, std::vector<Cost> backward_ms) {
    const std::uint32_t e = edge_count();
    YIKE_ASSERT(forward_ms.size() == e && backward_ms.size() == e);
    for (EdgeId i = 0; i < e; ++i) {
        YIKE_ASSERT(forward_ms[i] >= 1 && backward_ms[i] >= 1 && forward_ms[i] < inf_cost && backward_ms[i] < inf_cost);
    }
    const bool symmetric = forward_ms == backward_ms;
    edge_time_ms = std::move(forward_ms);
    if (symmetric) {
        edge_back_time_ms.clear();
        arc_back_time_ms.clear();
    } else {
        edge_back_time_ms = std::move(backward_ms);
        arc_back_time_ms.resize(arc_time_ms.size());
    }
    for (ArcId a = 0; a < arc_count(); ++a) {
        const EdgeId edge = edge_of_arc_value(arc_edge[a]);
        const bool rev = arc_is_reversed_value(arc_edge[a]);
        arc_time_ms[a] = edge_cost(edge, Metric::time_ms, rev);
        if (!symmetric) {
            arc_back_time_ms[a] = edge_cost(edge, Metric::time_ms, !rev);
        }
    }
}

Components connected_components(const WalkGraph& graph) {
    const std::uint32_t n = graph.node_count();
    std::vector<std::uint32_t> comp(n, invalid_id);
    std::vector<std::uint32_t> sizes;
    std::vector<NodeId> stack;
    for (NodeId s = 0; s < n; ++s) {
        if (comp[s] != invalid_id) {
            continue;
        }
        const auto id = static_cast<std::uint32_t>(sizes.size());
        std::uint32_t size = 0;
        comp[s] = id;
        stack.push_back(s);
        while (!stack.empty()) {
            const NodeId u = stack.back();
            stack.pop_back();
            ++size;
            for (ArcId a = graph.first_out[u]; a < graph.first_out[u + 1]; ++a) {
                const NodeId v = graph.head[a];
                if (comp[v] == invalid_id) {
                    comp[v] = id;
                    stack.push_back(v);
                }
            }
        }
        sizes.push_back(size);
    }
    // Renumber by descending size (ties by first node id) so component 0 is the largest.
    std::vector<std::uint32_t> order(sizes.size());
    std::iota(order.begin(), order.end(), 0U);
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return sizes[a] > sizes[b]; });
    std::vector<std::uint32_t> rank(sizes.size());
    Components out;
    out.component_size.resize(sizes.size());
    for (std::uint32_t r = 0; r < order.size(); ++r) {
        rank[order[r]] = r;
        out.component_size[r] = sizes[order[r]];
    }
    out.node_component.resize(n);
    for (NodeId u = 0; u < n; ++u) {
        out.node_component[u] = rank[comp[u]];
    }
    return out;
}

} // namespace yike::routing
