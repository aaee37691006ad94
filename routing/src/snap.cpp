#include "yike/routing/snap.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <tuple>
#include <utility>
#include <vector>

#include "yike/assert.hpp"
#include "yike/routing/box_index.hpp"

namespace yike::routing {

namespace {

// A geometry segment in the index: the one starting at global point index `point` of edge `edge`,
// packed into the index's 64-bit value.
std::uint64_t segment_value(EdgeId edge, std::uint32_t point) noexcept {
    return (static_cast<std::uint64_t>(edge) << 32U) | point;
}
EdgeId segment_edge(std::uint64_t value) noexcept { return static_cast<EdgeId>(value >> 32U); }
std::uint32_t segment_point(std::uint64_t value) noexcept { return static_cast<std::uint32_t>(value); }

// Candidate produced by the exact point-segment computation shared by the index and the scan,
// so both agree bit for bit.
struct Candidate {
    double distance_m;
    EdgeId edge;
    std::uint32_t segment;
    double t;   // fraction along the segment
    XY snapped;
};

bool candidate_less(const Candidate& a, const Candidate& b) noexcept {
    return std::tie(a.distance_m, a.edge, a.segment) < std::tie(b.distance_m, b.edge, b.segment);
}

Candidate project(const WalkGraph& g, EdgeId e, std::uint32_t point, XY p) noexcept {
    const double ax = g.point_x_m[point];
    const double ay = g.point_y_m[point];
    const double dx = static_cast<double>(g.point_x_m[point + 1]) - ax;
    const double dy = static_cast<double>(g.point_y_m[point + 1]) - ay;
    const double len2 = dx * dx + dy * dy;
    double t = 0.0;
    if (len2 > 0.0) {
        t = std::clamp(((p.x_m - ax) * dx + (p.y_m - ay) * dy) / len2, 0.0, 1.0);
    }
    const XY q{ax + t * dx, ay + t * dy};
    return {std::hypot(p.x_m - q.x_m, p.y_m - q.y_m), e, point - g.edge_first_point[e], t, q};
}

LonLat point_lonlat(const WalkGraph& g, std::uint32_t k) noexcept {
    return {g.point_lon_e7[k] / coordinate_precision, g.point_lat_e7[k] / coordinate_precision};
}

SnapResult to_result(const WalkGraph& g, const Candidate& c) {
    const std::uint32_t first = g.edge_first_point[c.edge];
    double along_m = 0.0;
    for (std::uint32_t k = first; k < first + c.segment; ++k) {
        along_m += segment_length_m(point_lonlat(g, k), point_lonlat(g, k + 1));
    }
    const std::uint32_t k = first + c.segment;
    along_m += c.t * segment_length_m(point_lonlat(g, k), point_lonlat(g, k + 1));
    const double cm = std::round(along_m * 100.0);
    SnapResult r;
    r.edge = c.edge;
    r.segment = c.segment;
    r.offset_cm = static_cast<std::uint32_t>(std::clamp(cm, 0.0, static_cast<double>(g.edge_length_cm[c.edge])));
    r.distance_m = c.distance_m;
    r.snapped = c.snapped;
    return r;
}

// Widens query windows so that rounding (far below 1 µm here) cannot drop a segment whose exact
// distance is at the window's edge.
constexpr double slack_m = 1e-6;

// First search window (half side): most points lie this close to a street.
constexpr double initial_window_m = 40.0;

} // namespace

struct Snapper::Index {
    BoxIndex tree;
};

Snapper::Snapper(const WalkGraph& graph) : m_graph(&graph), m_index(std::make_unique<Index>()) {
    std::vector<BoxIndex::Item> values;
    values.reserve(graph.point_x_m.size());
    for (EdgeId e = 0; e < graph.edge_count(); ++e) {
        for (std::uint32_t k = graph.edge_first_point[e]; k + 1 < graph.edge_first_point[e + 1]; ++k) {
            values.push_back({segment_box({graph.point_x_m[k], graph.point_y_m[k]}, {graph.point_x_m[k + 1], graph.point_y_m[k + 1]}),
                              segment_value(e, k)});
        }
    }
    m_index->tree = BoxIndex(values);
}

Snapper::~Snapper() = default;
Snapper::Snapper(Snapper&&) noexcept = default;
Snapper& Snapper::operator=(Snapper&&) noexcept = default;

std::optional<SnapResult> Snapper::nearest(XY p, double max_distance_m) const {
    return nearest_accepted(p, max_distance_m, nullptr);
}

std::optional<SnapResult> Snapper::nearest_accepted(
    XY p, double max_distance_m, const std::function<bool(XY, const SnapResult&)>& accept) const {
    const WalkGraph& g = *m_graph;
    const auto& tree = m_index->tree;
    if (tree.empty() || !(max_distance_m >= 0.0)) {
        return std::nullopt;
    }
    // Growing windows: every segment within distance r of p has a bounding box meeting the square
    // of half-side r around p, so the window's hits hold all candidates up to r. Candidates are
    // offered in exact (distance, edge, segment) order; a wider window offers only those after the
    // last one offered. (Boost 1.74's incremental nearest iterator, asked for all values, keeps
    // and re-sorts every value it meets: ~0.6 s per query on a 100k-segment tree.)
    std::vector<std::uint64_t> hits;
    std::vector<Candidate> candidates;
    std::optional<Candidate> last_offered;
    double r = std::min(initial_window_m, max_distance_m);
    for (;;) {
        tree.query({{p.x_m - r - slack_m, p.y_m - r - slack_m}, {p.x_m + r + slack_m, p.y_m + r + slack_m}}, hits);
        // A window holding every segment answers for all distances up to the maximum at once.
        const bool everything = hits.size() == tree.size();
        const double limit = everything ? max_distance_m : r;
        candidates.clear();
        for (const std::uint64_t v : hits) {
            const Candidate c = project(g, segment_edge(v), segment_point(v), p);
            if (c.distance_m <= limit && (!last_offered || candidate_less(*last_offered, c))) {
                candidates.push_back(c);
            }
        }
        std::sort(candidates.begin(), candidates.end(), candidate_less);
        for (const Candidate& c : candidates) {
            SnapResult result = to_result(g, c);
            if (!accept || accept(p, result)) {
                return result;
            }
            last_offered = c;
        }
        if (everything || r >= max_distance_m) {
            return std::nullopt;
        }
        r = std::min(r * 4.0, max_distance_m);
    }
}

std::optional<SnapResult> snap_linear_scan(const WalkGraph& graph, XY p, double max_distance_m) {
    std::optional<Candidate> best;
    for (EdgeId e = 0; e < graph.edge_count(); ++e) {
        for (std::uint32_t k = graph.edge_first_point[e]; k + 1 < graph.edge_first_point[e + 1]; ++k) {
            const Candidate c = project(graph, e, k, p);
            if (!best || candidate_less(c, *best)) {
                best = c;
            }
        }
    }
    if (!best || best->distance_m > max_distance_m) {
        return std::nullopt;
    }
    return to_result(graph, *best);
}

} // namespace yike::routing
