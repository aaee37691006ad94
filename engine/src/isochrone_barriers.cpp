// Grid index of barrier segments for clipping isochrone corridors.
#include "yike/engine/isochrone_barriers.hpp"

#include <algorithm>
#include <cmath>

namespace yike::engine {

namespace {
std::int32_t cell_of(double deg, double cell) { return static_cast<std::int32_t>(std::floor(deg / cell)); }
} // namespace

IsochroneBarriers::IsochroneBarriers(std::span<const io::BarrierLine> lines) {
    for (const io::BarrierLine& line : lines) {
        for (std::size_t i = 1; i < line.points.size(); ++i) {
            const routing::LonLat a = line.points[i - 1];
            const routing::LonLat b = line.points[i];
            if (!std::isfinite(a.lon) || !std::isfinite(a.lat) || !std::isfinite(b.lon) || !std::isfinite(b.lat) ||
                a == b) {
                continue;
            }
            const auto id = static_cast<std::uint32_t>(m_segments.size());
            m_segments.push_back({a, b});
            const std::int32_t x0 = cell_of(std::min(a.lon, b.lon), cell_deg);
            const std::int32_t x1 = cell_of(std::max(a.lon, b.lon), cell_deg);
            const std::int32_t y0 = cell_of(std::min(a.lat, b.lat), cell_deg);
            const std::int32_t y1 = cell_of(std::max(a.lat, b.lat), cell_deg);
            if (x1 - x0 >= max_cells_per_side || y1 - y0 >= max_cells_per_side) {
                m_long.push_back(id);
                continue;
            }
            for (std::int32_t x = x0; x <= x1; ++x) {
                for (std::int32_t y = y0; y <= y1; ++y) {
                    m_cells.emplace_back(cell_key(x, y), id);
                }
            }
        }
    }
    std::sort(m_cells.begin(), m_cells.end());
}

void IsochroneBarriers::segments_in(routing::LonLat min, routing::LonLat max, std::vector<Segment>& out) const {
    out.clear();
    if (m_segments.empty()) {
        return;
    }
    auto meets = [&](const Segment& s) {
        return std::max(s.a.lon, s.b.lon) >= min.lon && std::min(s.a.lon, s.b.lon) <= max.lon &&
               std::max(s.a.lat, s.b.lat) >= min.lat && std::min(s.a.lat, s.b.lat) <= max.lat;
    };
    std::vector<std::uint32_t> ids;
    for (const std::uint32_t id : m_long) {
        if (meets(m_segments[id])) {
            ids.push_back(id);
        }
    }
    const std::int32_t x0 = cell_of(min.lon, cell_deg);
    const std::int32_t x1 = cell_of(max.lon, cell_deg);
    const std::int32_t y0 = cell_of(min.lat, cell_deg);
    const std::int32_t y1 = cell_of(max.lat, cell_deg);
    for (std::int32_t x = x0; x <= x1; ++x) {
        for (std::int32_t y = y0; y <= y1; ++y) {
            const std::int64_t key = cell_key(x, y);
            auto it = std::lower_bound(m_cells.begin(), m_cells.end(), std::pair<std::int64_t, std::uint32_t>{key, 0});
            for (; it != m_cells.end() && it->first == key; ++it) {
                if (meets(m_segments[it->second])) {
                    ids.push_back(it->second);
                }
            }
        }
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    out.reserve(ids.size());
    for (const std::uint32_t id : ids) {
        out.push_back(m_segments[id]);
    }
}

} // namespace yike::engine
