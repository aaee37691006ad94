#pragma once
// Lines walking cannot cross (walls, fences, water edges, railways, motorways), indexed so that an
// isochrone corridor can be clipped at them (IsochroneOptions::barriers, doc/isochrones.md).
//
// The corridor around the reached network is `buffer_m` wide on each side, so without clipping it
// bridges a river, a rail line or a motorway narrower than twice that where a street runs along one
// bank. With barriers, the corridor is cut along every barrier line that crosses it and only the
// pieces holding part of the reached network are kept: the far bank is covered only where the
// walk led there (over a bridge, through a gate).
#include <cstdint>
#include <span>
#include <vector>

#include "yike/io/inputs.hpp"
#include "yike/routing/geo.hpp"

namespace yike::engine {

class IsochroneBarriers {
public:
    IsochroneBarriers() = default;
    explicit IsochroneBarriers(std::span<const io::BarrierLine> lines);

    struct Segment {
        routing::LonLat a;
        routing::LonLat b;
    };

    // The segments whose bounding box meets the box [min, max] (lon/lat), each once, in index order
    // (so callers see them in the same order on every run).
    void segments_in(routing::LonLat min, routing::LonLat max, std::vector<Segment>& out) const;

    [[nodiscard]] std::size_t segment_count() const noexcept { return m_segments.size(); }
    [[nodiscard]] bool empty() const noexcept { return m_segments.empty(); }

private:
    // A uniform grid over lon/lat: (cell, segment) pairs sorted by cell. Cells are about 250 m,
    // small against a 15-minute reach and large against a barrier segment.
    static constexpr double cell_deg = 0.0025;
    [[nodiscard]] static std::int64_t cell_key(std::int32_t cx, std::int32_t cy) noexcept {
        return (static_cast<std::int64_t>(cx) << 32) ^ static_cast<std::int64_t>(static_cast<std::uint32_t>(cy));
    }
    std::vector<Segment> m_segments;
    std::vector<std::pair<std::int64_t, std::uint32_t>> m_cells;
    // Segments spanning more than max_cells_per_side cells (a long coastline or water-edge
    // segment) are checked on every query instead of filling thousands of cells.
    static constexpr std::int32_t max_cells_per_side = 64;
    std::vector<std::uint32_t> m_long;
};

} // namespace yike::engine
