// Snapping that respects barriers.
//
// Crossing rule: the snap line a-b (site or entrance to the point on the street) is blocked by a
// barrier segment p-q when
//   * a and b lie strictly on opposite sides of the line through p and q, and
//   * p and q do not lie strictly on the same side of the line through a and b, and not both on it.
// So an end of the snap line lying on a barrier does not count (a site drawn exactly on a wall,
// an entrance or gate on its compound wall, a street ending at a wall are not stuck); a barrier
// running along the snap line (collinear) does not count; a snap line passing exactly through a
// barrier vertex counts (it cannot slip through the joint between two wall segments), also when
// the barrier only touches it there (conservative: a wall grazed at a vertex is a wall). "On a
// line" means within 1 mm of it.
//
// Candidates come from routing::Snapper::nearest_accepted, which offers the nearest point of
// every street segment in order of distance: a segment whose nearest point lies behind a wall is
// skipped as a whole, even if another part of it could be reached around the wall's end (its
// farther ends are usually reached through a neighbouring segment or edge anyway).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "yike/engine/coverage.hpp"
#include "yike/routing/box_index.hpp"

namespace yike::engine {

namespace {


struct Segment {
    routing::XY a;
    routing::XY b;
    std::uint32_t barrier; // index into the barrier kinds
};

// Points this close to a line count as on it, so that a site drawn on a wall is not put on one
// side of it by rounding (projection and float coordinates are good to well below a millimetre).
constexpr double on_line_m = 1e-3;

// Side of c relative to the line through a and b: +1 left, -1 right, 0 on it (within on_line_m;
// always 0 for a degenerate line).
int side(routing::XY a, routing::XY b, routing::XY c) noexcept {
    const double dx = b.x_m - a.x_m;
    const double dy = b.y_m - a.y_m;
    const double cross = dx * (c.y_m - a.y_m) - dy * (c.x_m - a.x_m);
    const double tolerance = on_line_m * std::hypot(dx, dy);
    return (cross > tolerance) - (cross < -tolerance);
}

bool blocks(const Segment& s, routing::XY a, routing::XY b) noexcept {
    const int oa = side(s.a, s.b, a);
    const int ob = side(s.a, s.b, b);
    if (oa * ob >= 0) {
        return false; // the snap line does not pass from one side of the barrier to the other
    }
    const int op = side(a, b, s.a);
    const int oq = side(a, b, s.b);
    return op * oq <= 0 && !(op == 0 && oq == 0);
}

bool finite(routing::LonLat p) noexcept { return std::isfinite(p.lon) && std::isfinite(p.lat); }

// "a wall", "a fence", but "water" (water areas and coastline are not countable).
std::string barrier_phrase(const std::string& kind) {
    if (kind == "water" || kind == "coastline" || kind == "riverbank") {
        return "water";
    }
    return "a " + kind;
}

std::string metres(double m) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", m);
    return buffer;
}

} // namespace

struct SiteSnapper::Impl {
    explicit Impl(const routing::WalkGraph& graph) : snapper(graph) {}

    routing::Snapper snapper;
    std::vector<Segment> segments;
    std::vector<std::string> kinds;
    routing::BoxIndex tree; // the barrier segments, by their index in `segments`

    // The first barrier (lowest segment index) the snap line a-b crosses, or invalid_id.
    [[nodiscard]] std::uint32_t crossing(routing::XY a, routing::XY b) const {
        if (tree.empty()) {
            return routing::invalid_id;
        }
        std::vector<std::uint64_t> hits;
        tree.query(routing::segment_box(a, b), hits);
        std::uint32_t found = routing::invalid_id;
        for (const std::uint64_t v : hits) {
            const auto index = static_cast<std::uint32_t>(v);
            if (index < found && blocks(segments[index], a, b)) {
                found = index;
            }
        }
        return found == routing::invalid_id ? found : segments[found].barrier;
    }

    // The nearest accepted snap of p, or nullopt; `blocked_by` gets the barrier that stopped the
    // nearest rejected candidate (invalid_id if none was rejected).
    [[nodiscard]] std::optional<routing::SnapResult> snap(routing::XY p, double max_snap_m, std::uint32_t& blocked_by) const {
        blocked_by = routing::invalid_id;
        return snapper.nearest_accepted(p, max_snap_m, [&](routing::XY from, const routing::SnapResult& r) {
            const std::uint32_t b = crossing(from, r.snapped);
            if (b == routing::invalid_id) {
                return true;
            }
            if (blocked_by == routing::invalid_id) {
                blocked_by = b;
            }
            return false;
        });
    }
};

SiteSnapper::SiteSnapper(const routing::WalkGraph& graph, std::span<const io::BarrierLine> barriers)
    : m_graph(&graph), m_impl(std::make_unique<Impl>(graph)) {
    std::vector<routing::BoxIndex::Item> values;
    for (const io::BarrierLine& line : barriers) {
        if (!line.blocks_snapping) {
            continue; // a rail line or motorway: it cuts reach polygons only (io::BarrierLine)
        }
        const auto barrier = static_cast<std::uint32_t>(m_impl->kinds.size());
        m_impl->kinds.push_back(line.kind.empty() ? std::string("barrier") : line.kind);
        for (std::size_t k = 0; k + 1 < line.points.size(); ++k) {
            if (!finite(line.points[k]) || !finite(line.points[k + 1])) {
                continue;
            }
            const routing::XY a = graph.projection.forward(line.points[k]);
            const routing::XY b = graph.projection.forward(line.points[k + 1]);
            const auto index = static_cast<std::uint32_t>(m_impl->segments.size());
            m_impl->segments.push_back({a, b, barrier});
            values.push_back({routing::segment_box(a, b), index});
        }
    }
    m_impl->tree = routing::BoxIndex(values);
}

SiteSnapper::~SiteSnapper() = default;
SiteSnapper::SiteSnapper(SiteSnapper&&) noexcept = default;
SiteSnapper& SiteSnapper::operator=(SiteSnapper&&) noexcept = default;

bool SiteSnapper::crosses_barrier(routing::LonLat a, routing::LonLat b) const {
    return m_impl->crossing(m_graph->projection.forward(a), m_graph->projection.forward(b)) != routing::invalid_id;
}

SiteSnap SiteSnapper::snap(routing::LonLat location, std::span<const routing::LonLat> entrances, double max_snap_m,
                           std::uint32_t source) const {
    const routing::WalkGraph& g = *m_graph;
    SiteSnap out;
    std::optional<routing::SnapResult> best;
    std::uint32_t blocked_by = routing::invalid_id;
    bool any_point = false;
    // Entrances first: the household leaves the building there, so the walk from the site to its
    // entrance is not counted, and the entrance nearest to the network (strictly; the first one
    // listed on ties) is used.
    for (const routing::LonLat& entrance : entrances) {
        if (!finite(entrance)) {
            continue;
        }
        any_point = true;
        std::uint32_t blocked = routing::invalid_id;
        auto r = m_impl->snap(g.projection.forward(entrance), max_snap_m, blocked);
        if (blocked_by == routing::invalid_id) {
            blocked_by = blocked;
        }
        if (r && (!best || r->distance_m < best->distance_m)) {
            best = r;
            out.via_entrance = true;
        }
    }
    // Without a usable entrance the site itself joins the network.
    if (!best && finite(location)) {
        any_point = true;
        std::uint32_t blocked = routing::invalid_id;
        best = m_impl->snap(g.projection.forward(location), max_snap_m, blocked);
        if (blocked != routing::invalid_id) {
            blocked_by = blocked;
        }
    }
    if (best) {
        out.origin = routing::origin_from_snap(*best, source);
        out.distance_m = best->distance_m;
        out.snapped = g.projection.inverse(best->snapped);
        return out;
    }
    if (!any_point) {
        out.reason = "no valid coordinates";
    } else if (blocked_by != routing::invalid_id) {
        out.reason = "no walkable street within " + metres(max_snap_m) + " m without crossing " + barrier_phrase(m_impl->kinds[blocked_by]);
    } else {
        out.reason = "no walkable street within " + metres(max_snap_m) + " m";
    }
    return out;
}

} // namespace yike::engine
