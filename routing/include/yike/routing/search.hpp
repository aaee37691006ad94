#pragma once
// Bounded Dijkstra searches over a WalkGraph: single- and multi-source, with sources that may
// start part-way along an edge (snapped points). A search object is reusable: reset is O(1)
// (timestamped labels), so one object per thread serves many queries.
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "yike/routing/graph.hpp"
#include "yike/routing/snap.hpp"

namespace yike::routing {

// A search start: a node with an initial cost, labelled with the source it belongs to.
struct Seed {
    NodeId node = invalid_id;
    Cost cost = 0;
    std::uint32_t source = 0;
};

// A point on the network where a search starts: an edge position plus an off-network leg whose
// cost (the walk from the point to the network, at the profile's speed) is added to everything.
struct Origin {
    EdgeId edge = invalid_id;
    std::uint32_t offset_cm = 0;  // along the edge from its tail
    std::uint32_t offnet_cm = 0;  // straight walk from the point to the network
    std::uint32_t source = 0;     // label reported by BoundedSearch::source()
};
Origin origin_from_snap(const SnapResult& snap, std::uint32_t source);

// Cost of the off-network leg (flat: the DEM is not sampled off the network), under a metric.
Cost offnet_cost(const WalkGraph& graph, std::uint32_t offnet_cm, Metric metric) noexcept;

// Cost of walking along edge `e` from position `from_cm` to position `to_cm` (both from the
// tail, clamped to the edge): the edge's whole cost in that direction times the share of its
// length walked, rounded down. So a piece never costs more than the whole edge, the whole edge
// costs exactly edge_cost, and a slope is taken as spread evenly along the edge.
Cost partial_edge_cost(const WalkGraph& graph, EdgeId e, std::uint32_t from_cm, std::uint32_t to_cm, Metric metric) noexcept;

// The cost between an end of edge `e` (its head if `at_head`, else its tail) and position
// `offset_cm` on it, the way a search of `direction` adds it up: walking from the end to the
// position for from_sources, from the position to the end for to_sources.
Cost end_to_offset_cost(const WalkGraph& graph, EdgeId e, bool at_head, std::uint32_t offset_cm, Metric metric,
                        Direction direction) noexcept;

// The two seeds (tail and head of the origin's edge) that start a search from an origin: the
// walk from the origin to each end (from_sources) or from each end to the origin (to_sources).
void append_seeds(const WalkGraph& graph, const Origin& origin, Metric metric, std::vector<Seed>& seeds,
                  Direction direction = Direction::from_sources);

class BoundedSearch {
public:
    explicit BoundedSearch(const WalkGraph& graph);

    // Settles every node whose distance is <= budget (inclusive: a node exactly at the budget is
    // reached). Seeds with cost > budget are ignored. On equal distance, the lowest source label
    // wins, so labels are deterministic. Relies on the graph's invariant that every arc costs >= 1.
    // `direction` to_sources runs the search backwards (each node's distance is the walk from it
    // to the nearest source: households walking to facilities); it only differs from
    // from_sources on a graph with directional times, and costs the same per settled node.
    void run(std::span<const Seed> seeds, Cost budget, Metric metric, Direction direction = Direction::from_sources);
    void run(std::span<const Origin> origins, Cost budget, Metric metric, Direction direction = Direction::from_sources);

    // Results of the last run.
    // Inline: evaluating many points after a search calls these in a tight loop.
    [[nodiscard]] Cost distance(NodeId u) const noexcept { // inf_cost when not reached
        return (u < m_label.size() && m_label[u].stamp == m_now) ? m_label[u].dist : inf_cost;
    }
    [[nodiscard]] std::uint32_t source(NodeId u) const noexcept { // invalid_id when not reached
        return (u < m_label.size() && m_label[u].stamp == m_now) ? m_label[u].source : invalid_id;
    }
    [[nodiscard]] bool reached(NodeId u) const noexcept { return distance(u) != inf_cost; }
    // Every reached node once, in settle order: nondecreasing distance. Among nodes at equal
    // distance the order is unspecified (not by source label), though the same graph, seeds and
    // budget always give the same order.
    [[nodiscard]] std::span<const NodeId> settled() const noexcept { return m_settled; }
    [[nodiscard]] Cost budget() const noexcept { return m_budget; }
    [[nodiscard]] Metric metric() const noexcept { return m_metric; }
    [[nodiscard]] Direction direction() const noexcept { return m_direction; }
    [[nodiscard]] std::span<const Origin> origins() const noexcept { return m_origins; }
    [[nodiscard]] const WalkGraph& graph() const noexcept { return *m_graph; }

private:
    // Per-node label in one place (not three arrays), so a relaxation costs one cache miss at most
    // rather than three; valid when stamp == m_now.
    struct Label {
        Cost dist;
        std::uint32_t source;
        std::uint32_t stamp;
    };
    struct QueueEntry {
        Cost key;
        NodeId node;
    };
    const WalkGraph* m_graph;
    std::vector<Label> m_label;
    std::uint32_t m_now = 0;
    std::vector<NodeId> m_settled;
    std::vector<Origin> m_origins;
    std::vector<Seed> m_seed_buffer;
    // Radix heap over distances: bucket b > 0 holds keys whose highest bit differing from the last
    // popped key is bit b - 1; bucket 0 holds keys equal to it. Kept between runs for capacity.
    std::array<std::vector<QueueEntry>, 33> m_bucket;
    Cost m_budget = 0;
    Metric m_metric = Metric::time_ms;
    Direction m_direction = Direction::from_sources;
}; // class BoundedSearch

// The part of an edge a search reached: [begin_cm, end_cm] measured from the edge's tail, and the
// cost at which the span's first point is reached. For a to_sources search, "reached" means the
// points from which a source is reached within the budget. An edge can have two spans (reached from both
// ends without meeting) or, for an origin's own edge, a span around the origin.
struct ReachedSpan {
    EdgeId edge = invalid_id;
    std::uint32_t begin_cm = 0;
    std::uint32_t end_cm = 0;
    Cost first_cost = 0;
};

// All reached edge parts after `search.run(...)`, fully reached edges included, sorted by edge
// then begin. Overlapping spans of one edge are merged.
std::vector<ReachedSpan> reached_spans(const BoundedSearch& search);

} // namespace yike::routing
