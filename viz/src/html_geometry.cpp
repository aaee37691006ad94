// The geometry of report.html (see detail/html_geometry.hpp).
#include "detail/html_geometry.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace yike::viz::detail {

namespace {

// Douglas-Peucker on projected points; keeps the ends.
void simplify(const std::vector<routing::XY>& pts, double tolerance_m, std::vector<std::uint8_t>& keep) {
    keep.assign(pts.size(), 0);
    if (pts.empty()) return;
    keep.front() = 1;
    keep.back() = 1;
    if (tolerance_m <= 0) {
        std::fill(keep.begin(), keep.end(), 1);
        return;
    }
    std::vector<std::pair<std::size_t, std::size_t>> stack{{0, pts.size() - 1}};
    while (!stack.empty()) {
        const auto [a, b] = stack.back();
        stack.pop_back();
        if (b <= a + 1) continue;
        const double dx = pts[b].x_m - pts[a].x_m;
        const double dy = pts[b].y_m - pts[a].y_m;
        const double len2 = dx * dx + dy * dy;
        double worst = -1;
        std::size_t at = a;
        for (std::size_t i = a + 1; i < b; ++i) {
            double px = pts[i].x_m - pts[a].x_m;
            double py = pts[i].y_m - pts[a].y_m;
            double d2 = 0;
            if (len2 > 0) {
                const double t = std::clamp((px * dx + py * dy) / len2, 0.0, 1.0);
                px -= t * dx;
                py -= t * dy;
            }
            d2 = px * px + py * py;
            if (d2 > worst) {
                worst = d2;
                at = i;
            }
        }
        if (worst > tolerance_m * tolerance_m) {
            keep[at] = 1;
            stack.emplace_back(a, at);
            stack.emplace_back(at, b);
        }
    }
}

} // namespace

// The walking network: every edge as "n, deltas..." (n points) in one flat array; the deltas
// run on from one edge to the next. With `chain`, edges are first joined into longer lines (from
// each edge not yet drawn, in id order, on through the junction into the straightest edge not yet
// drawn, ties to the lowest arc), so that a straight street of many blocks simplifies to its two
// ends: a big city's grid, whose edges keep two points each even at 64 m, then fits its budget.
std::string network_json(const routing::WalkGraph& g, double simplify_m, std::size_t& points_out, bool chain) {
    std::string out = "[";
    std::int64_t lon = 0;
    std::int64_t lat = 0;
    std::vector<routing::XY> pts;
    std::vector<std::uint32_t> at; // the graph's point index of each entry of pts
    std::vector<std::uint8_t> keep;
    std::vector<std::pair<std::int64_t, std::int64_t>> q;
    std::vector<std::uint8_t> drawn(chain ? g.edge_count() : 0, 0);
    points_out = 0;
    // Appends edge e's points, from its tail (or head when `reverse`), leaving out the first when
    // it continues a line; returns the junction it ends at.
    auto append = [&](routing::EdgeId e, bool reverse) {
        const auto begin = g.edge_first_point[e];
        const auto end = g.edge_first_point[e + 1];
        for (auto k = begin; k < end; ++k) {
            const auto i = reverse ? end - 1 - (k - begin) : k;
            if (k == begin && !pts.empty()) continue;
            pts.push_back({g.point_x_m[i], g.point_y_m[i]});
            at.push_back(i);
        }
        return reverse ? g.edge_tail[e] : g.edge_head[e];
    };
    for (routing::EdgeId e = 0; e < g.edge_count(); ++e) {
        pts.clear();
        at.clear();
        routing::NodeId line_start = g.edge_tail[e];
        routing::NodeId line_end = g.edge_head[e];
        if (chain) {
            if (drawn[e] != 0) continue;
            drawn[e] = 1;
            auto node = append(e, false);
            while (pts.size() >= 2) {
                const double dx = pts.back().x_m - pts[pts.size() - 2].x_m;
                const double dy = pts.back().y_m - pts[pts.size() - 2].y_m;
                const double len = std::hypot(dx, dy);
                double best = -2;
                std::uint32_t next = 0;
                for (auto a = g.first_out[node]; a < g.first_out[node + 1]; ++a) {
                    const auto n = g.arc_edge[a] >> 1U;
                    if (drawn[n] != 0) continue;
                    const bool rev = (g.arc_edge[a] & 1U) != 0;
                    const auto first = g.edge_first_point[n];
                    const auto last = g.edge_first_point[n + 1] - 1;
                    const auto p0 = rev ? last : first;
                    const auto p1 = rev ? last - 1 : first + 1;
                    const double ex = g.point_x_m[p1] - g.point_x_m[p0];
                    const double ey = g.point_y_m[p1] - g.point_y_m[p0];
                    const double elen = std::hypot(ex, ey);
                    const double cosine = len > 0 && elen > 0 ? (dx * ex + dy * ey) / (len * elen) : -1;
                    if (cosine > best) {
                        best = cosine;
                        next = a;
                    }
                }
                if (best < -1.5) break;
                const auto n = g.arc_edge[next] >> 1U;
                drawn[n] = 1;
                node = append(n, (g.arc_edge[next] & 1U) != 0);
            }
            line_end = node;
        } else {
            append(e, false);
        }
        if (chain) {
            // A joined line that stays within the tolerance of its start and touches another edge (a
            // short stub off a street, at this scale a dot on it) is left out: otherwise a city's
            // many stubs keep two points each and no tolerance fits the budget. A short edge on its
            // own (a component of its own) stays.
            double reach2 = 0;
            for (const auto& p : pts) {
                reach2 = std::max(reach2, (p.x_m - pts.front().x_m) * (p.x_m - pts.front().x_m) +
                                              (p.y_m - pts.front().y_m) * (p.y_m - pts.front().y_m));
            }
            const auto degree = [&](routing::NodeId n) { return g.first_out[n + 1] - g.first_out[n]; };
            if (reach2 < simplify_m * simplify_m && std::max(degree(line_start), degree(line_end)) > 1) continue;
        }
        simplify(pts, simplify_m, keep);
        q.clear();
        for (std::size_t k = 0; k < pts.size(); ++k) {
            if (keep[k] == 0) continue;
            // 1e-6 degrees from the graph's 1e-7 integers.
            const std::pair<std::int64_t, std::int64_t> p{std::llround(g.point_lon_e7[at[k]] / 10.0),
                                                          std::llround(g.point_lat_e7[at[k]] / 10.0)};
            if (q.empty() || q.back() != p) q.push_back(p);
        }
        if (q.size() < 2) continue;
        out += out.size() > 1 ? "," : "";
        out += std::to_string(q.size());
        for (const auto& [x, y] : q) {
            out += ',' + std::to_string(x - lon) + ',' + std::to_string(y - lat);
            lon = x;
            lat = y;
        }
        points_out += q.size();
    }
    return out + "]";
}

// Polygons as [[ring, hole, ...], ...], each ring "[n, deltas...]" (closing point left out).
// Rings are simplified by `tolerance_m` (Douglas-Peucker on a local equirectangular plane, the
// ring's first point kept); a ring that would drop below three points keeps all of them.
std::string polygons_json(const routing::MultiPolygon& polygons, double tolerance_m, std::size_t* points_out) {
    std::string out = "[";
    DeltaStream s;
    std::vector<routing::XY> plane;
    std::vector<std::uint8_t> keep;
    for (std::size_t p = 0; p < polygons.size(); ++p) {
        out += p == 0 ? "[" : ",[";
        const std::vector<const routing::Ring*> rings = routing::rings_of(polygons[p]);
        for (std::size_t r = 0; r < rings.size(); ++r) {
            const auto& ring = rings[r]->points;
            plane.clear();
            if (!ring.empty()) {
                constexpr double m_per_deg = 111'319.49;
                const double kx = m_per_deg * std::cos(ring.front().lat * M_PI / 180.0);
                for (const auto& pt : ring) {
                    plane.push_back({(pt.lon - ring.front().lon) * kx, (pt.lat - ring.front().lat) * m_per_deg});
                }
            }
            simplify(plane, tolerance_m, keep);
            if (std::count(keep.begin(), keep.end(), 1) < 4) std::fill(keep.begin(), keep.end(), 1);
            std::vector<std::pair<std::int64_t, std::int64_t>> q;
            for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
                if (keep[i] == 0) continue;
                const std::pair<std::int64_t, std::int64_t> pt{DeltaStream::micro(ring[i].lon), DeltaStream::micro(ring[i].lat)};
                if (q.empty() || q.back() != pt) q.push_back(pt);
            }
            out += r == 0 ? "[" : ",[";
            out += std::to_string(q.size());
            if (points_out != nullptr) *points_out += q.size();
            for (const auto& [x, y] : q) {
                out += ',' + std::to_string(x - s.lon) + ',' + std::to_string(y - s.lat);
                s.lon = x;
                s.lat = y;
            }
            out += "]";
        }
        out += "]";
    }
    out += "]";
    return out;
}

} // namespace yike::viz::detail
