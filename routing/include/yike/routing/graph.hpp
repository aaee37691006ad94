#pragma once
// The walking network as an immutable CSR graph stored as parallel arrays (struct of arrays).
//
// Nodes are junctions and dead ends (degree-2 chains are contracted); they are numbered in
// Hilbert-curve order of their position so that nearby nodes have nearby ids. Every undirected
// street piece is an *edge* with its full geometry; every edge gives two *arcs*, one per
// direction, in the CSR arrays sorted by tail. Walking ignores oneway, so both arcs of an edge
// exist; they cost the same unless the graph carries directional times (a DEM gave the edges a
// slope: uphill and downhill take different times). Lengths are always symmetric.
#include <cstdint>
#include <span>
#include <vector>

#include "yike/routing/geo.hpp"
#include "yike/routing/ids.hpp"

namespace yike::routing {

struct WalkGraph {
    // ---- nodes (n) -------------------------------------------------------------------------
    std::vector<ArcId> first_out;          // n + 1 entries: arcs of node u are [first_out[u], first_out[u+1])
    std::vector<std::int32_t> node_lon_e7; // WGS84, 1e-7 degrees
    std::vector<std::int32_t> node_lat_e7;
    std::vector<float> node_x_m; // in `projection`
    std::vector<float> node_y_m;
    std::vector<std::int64_t> node_osm_id; // the OSM node this junction is

    // ---- arcs (m = 2 * edge count), sorted by tail -----------------------------------------
    std::vector<NodeId> head;
    std::vector<Cost> arc_time_ms;   // walking time along the arc (tail to head of the arc)
    std::vector<Cost> arc_length_cm; // geodesic length along the arc's geometry
    std::vector<std::uint32_t> arc_edge; // (edge << 1) | 1 if the arc runs head->tail of its edge

    // ---- edges (undirected street pieces) ---------------------------------------------------
    std::vector<NodeId> edge_tail; // geometry runs from edge_tail to edge_head
    std::vector<NodeId> edge_head;
    std::vector<Cost> edge_time_ms; // walking time from edge_tail to edge_head
    std::vector<Cost> edge_length_cm;
    std::vector<std::int64_t> edge_way_id;        // the OSM way the edge comes from
    std::vector<std::uint32_t> edge_first_point;  // E + 1 entries into the point arrays

    // ---- geometry points, edge by edge, endpoints included ----------------------------------
    std::vector<std::int32_t> point_lon_e7;
    std::vector<std::int32_t> point_lat_e7;
    std::vector<float> point_x_m;
    std::vector<float> point_y_m;

    // ---- directional times: both empty unless the two directions of some edge differ ---------
    // When empty, every edge costs edge_time_ms both ways and the arrays above are all there is
    // (a graph without a DEM is exactly what it was before slopes existed).
    std::vector<Cost> arc_back_time_ms;  // per arc: walking its edge the other way (head to tail of the arc)
    std::vector<Cost> edge_back_time_ms; // per edge: walking from edge_head to edge_tail

    LocalProjection projection;
    // Walking speed of the profile, used for legs off the network (snap distances).
    std::uint32_t walk_speed_mm_per_s = 1000;

    [[nodiscard]] std::uint32_t node_count() const noexcept {
        return first_out.empty() ? 0 : static_cast<std::uint32_t>(first_out.size() - 1);
    }
    [[nodiscard]] std::uint32_t arc_count() const noexcept { return static_cast<std::uint32_t>(head.size()); }
    [[nodiscard]] std::uint32_t edge_count() const noexcept { return static_cast<std::uint32_t>(edge_tail.size()); }

    [[nodiscard]] static EdgeId edge_of_arc_value(std::uint32_t arc_edge_value) noexcept { return arc_edge_value >> 1; }
    [[nodiscard]] static bool arc_is_reversed_value(std::uint32_t arc_edge_value) noexcept { return (arc_edge_value & 1U) != 0; }

    [[nodiscard]] bool has_directional_times() const noexcept { return !edge_back_time_ms.empty(); }

    // Cost of walking a whole edge under a metric, from tail to head or (backwards) head to tail.
    [[nodiscard]] Cost edge_cost(EdgeId e, Metric metric, bool backwards = false) const noexcept {
        if (metric == Metric::length_cm) {
            return edge_length_cm[e];
        }
        return backwards && !edge_back_time_ms.empty() ? edge_back_time_ms[e] : edge_time_ms[e];
    }
    // Per-arc costs a search relaxes: for `from_sources` the arc's own cost; for `to_sources`
    // the cost of walking the arc's edge the other way (the search runs backwards, so relaxing
    // u -> v prices the walk v -> u).
    [[nodiscard]] std::span<const Cost> arc_cost(Metric metric, Direction direction = Direction::from_sources) const noexcept {
        if (metric == Metric::length_cm) {
            return arc_length_cm;
        }
        return direction == Direction::to_sources && !arc_back_time_ms.empty() ? std::span<const Cost>(arc_back_time_ms)
                                                                               : std::span<const Cost>(arc_time_ms);
    }

    // Gives every edge its two walking times (tail to head, head to tail; each >= 1 ms) and
    // fills the arc times to match. When both vectors are equal the graph stays symmetric (the
    // directional arrays are cleared).
    void set_edge_times(std::vector<Cost> forward_ms, std::vector<Cost> backward_ms);

    // Time in ms to walk `length_cm` off the network at the profile's speed (rounded up).
    [[nodiscard]] Cost offnet_time_ms(std::uint64_t length_cm) const noexcept;

    // Bytes held by all arrays (for memory figures).
    [[nodiscard]] std::size_t memory_bytes() const noexcept;

    // Throws yike::assert_error/aborts if the arrays are inconsistent; for tests and loaders.
    void check_invariants() const;
}; // struct WalkGraph

// One undirected street piece given to the builder, geometry from the first to the last point.
struct EdgeInput {
    std::vector<LonLat> points;            // at least two points
    std::vector<std::int64_t> point_osm_id; // OSM id of every point (same size as points)
    std::int64_t way_id = 0;
    std::uint32_t speed_mm_per_s = 1000;    // walking speed on this piece (steps are slower)
    // A detached end gets a node of its own instead of joining other pieces at that OSM node
    // (e.g. the piece stops at a gate that walkers may not pass).
    bool detach_front = false;
    bool detach_back = false;
    // Waiting time added to the edge at the piece's first / last point (half of the delay of a
    // signalised crossing there, so that walking through the point costs the whole delay).
    Cost front_delay_ms = 0;
    Cost back_delay_ms = 0;
    // Slope: the time of segment i (points[i] to points[i + 1]) is its flat time times
    // segment_time_factor[i] walked forwards and segment_back_time_factor[i] walked from
    // points[i + 1] to points[i]. Both empty (every factor 1) or both points.size() - 1 long,
    // every factor > 0. A graph built from pieces that all leave them empty is exactly the graph
    // of before slopes existed.
    std::vector<double> segment_time_factor;
    std::vector<double> segment_back_time_factor;
};

// Builds the CSR graph from street pieces whose shared points are identified by OSM node id.
// Pieces are split at every point shared with another piece (or listed in `extra_junctions`),
// degree-2 chains are contracted into single edges whose geometry keeps every point, nodes are
// renumbered in Hilbert order, and lengths are geodesic. Edges whose two ends coincide and are
// shorter than 1 cm are dropped; every other arc costs at least 1 (ms or cm).
WalkGraph build_walk_graph(std::span<const EdgeInput> pieces, std::uint32_t walk_speed_mm_per_s);

// The box of a graph's geometry points (1e-7 degrees): it sets the frame of the Hilbert numbering
// and the projection's origin (its middle). A graph built from part of a network's pieces with
// the whole network's frame numbers and projects its nodes as the whole graph does, so a part
// read on its own (a tile's halo) keeps the whole graph's relative order of nodes and edges.
struct GraphFrame {
    std::int32_t min_lon_e7 = 0;
    std::int32_t min_lat_e7 = 0;
    std::int32_t max_lon_e7 = 0;
    std::int32_t max_lat_e7 = 0;
    friend bool operator==(const GraphFrame&, const GraphFrame&) = default;
};
// The frame build_walk_graph used for `graph` (the box of all its points); zeros when empty.
GraphFrame graph_frame(const WalkGraph& graph) noexcept;
// As above, with `frame` instead of the pieces' own box (which it must contain).
WalkGraph build_walk_graph(std::span<const EdgeInput> pieces, std::uint32_t walk_speed_mm_per_s, const GraphFrame& frame);

// Connected components. Every edge gives an arc in each direction (directional times change
// costs, never which arcs exist), so weakly connected = strongly connected.
struct Components {
    std::vector<std::uint32_t> node_component; // component id per node, 0 = the largest
    std::vector<std::uint32_t> component_size; // in nodes, sorted descending
    [[nodiscard]] std::uint32_t count() const noexcept { return static_cast<std::uint32_t>(component_size.size()); }
};
Components connected_components(const WalkGraph& graph);

} // namespace yike::routing
