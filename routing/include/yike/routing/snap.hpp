#pragma once
// Snapping points to the nearest walkable edge with a spatial index over edge segments.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "yike/routing/graph.hpp"

namespace yike::routing {

inline constexpr double default_max_snap_m = 300.0;

// Where a point joins the network: a position on an edge.
struct SnapResult {
    EdgeId edge = invalid_id;
    std::uint32_t segment = 0;     // index of the geometry segment (0-based within the edge)
    std::uint32_t offset_cm = 0;   // geodesic length along the edge from its tail to the snapped point
    double distance_m = 0.0;       // straight distance from the point to the snapped point
    XY snapped;                    // the projected point on the edge
};

// The index is built once (not thread-safe to build); queries are const and thread-safe.
class Snapper {
public:
    explicit Snapper(const WalkGraph& graph);
    ~Snapper();
    Snapper(Snapper&&) noexcept;
    Snapper& operator=(Snapper&&) noexcept;
    Snapper(const Snapper&) = delete;
    Snapper& operator=(const Snapper&) = delete;

    // The nearest edge within max_distance_m of p, or nullopt. Ties go to the lowest edge id,
    // then the lowest segment, so results are deterministic.
    [[nodiscard]] std::optional<SnapResult> nearest(XY p, double max_distance_m = default_max_snap_m) const;

    // Like nearest(), but candidates are visited in order of distance and the first one that
    // `accept(p, candidate)` approves is returned (e.g. one whose snap line crosses no wall).
    [[nodiscard]] std::optional<SnapResult> nearest_accepted(
        XY p, double max_distance_m, const std::function<bool(XY, const SnapResult&)>& accept) const;

    [[nodiscard]] const WalkGraph& graph() const noexcept { return *m_graph; }

private:
    struct Index;
    const WalkGraph* m_graph;
    std::unique_ptr<Index> m_index;
}; // class Snapper

// Brute-force reference: the same answer as Snapper::nearest by a linear scan of all segments.
std::optional<SnapResult> snap_linear_scan(const WalkGraph& graph, XY p, double max_distance_m);

} // namespace yike::routing
