#include <algorithm>
#include <cmath>
#include <compare>
#include <limits>
#include <numeric>
#include <tuple>
#include <utility>

#include "yike/assert.hpp"
#include "yike/error.hpp"
#include "yike/routing/graph.hpp"
#include "yike/routing/radix_sort.hpp"

namespace yike::routing {

namespace {

std::int32_t to_e7(double degrees) noexcept {
    return static_cast<std::int32_t>(std::llround(degrees * coordinate_precision));
}

// Position of (x, y) on a Hilbert curve over a 2^16 x 2^16 grid.
std::uint32_t hilbert_index(std::uint32_t x, std::uint32_t y) noexcept {
    std::uint32_t d = 0;
    for (std::uint32_t s = 1U << 15; s > 0; s >>= 1) {
        const std::uint32_t rx = (x & s) != 0 ? 1 : 0;
        const std::uint32_t ry = (y & s) != 0 ? 1 : 0;
        d += s * s * ((3 * rx) ^ ry);
        if (ry == 0) {
            if (rx == 1) {
                x = s - 1 - x;
                y = s - 1 - y;
            }
            std::swap(x, y);
        }
    }
    return d;
}

struct ProtoNode {
    std::int64_t osm_id;
    std::int32_t lon_e7;
    std::int32_t lat_e7;
};

struct ProtoEdge {
    std::uint32_t tail;
    std::uint32_t head;
    std::int64_t way_id;
    std::uint32_t speed_mm_per_s;
    std::uint32_t first_point; // into the proto point arrays
    std::uint32_t point_count;
    Cost delay_ms = 0; // waiting time at the piece's ends that this edge carries
};

struct DetachedTie {
    std::int64_t way_id;
    std::int64_t neighbour_osm_id;
    std::int32_t neighbour_lon_e7;
    std::int32_t neighbour_lat_e7;
    bool front;
    friend auto operator<=>(const DetachedTie&, const DetachedTie&) = default;
};

Cost clamp_cost(double value) {
    if (!(value < static_cast<double>(inf_cost))) {
        throw data_error("a street piece is too long to be represented (over 21,474 km)");
    }
    return std::max<Cost>(1, static_cast<Cost>(std::llround(value)));
}

} // namespace

namespace {

WalkGraph build(std::span<const EdgeInput> pieces, std::uint32_t walk_speed_mm_per_s, const GraphFrame* frame);

} // namespace

WalkGraph build_walk_graph(std::span<const EdgeInput> pieces, std::uint32_t walk_speed_mm_per_s) {
    return build(pieces, walk_speed_mm_per_s, nullptr);
}

WalkGraph build_walk_graph(std::span<const EdgeInput> pieces, std::uint32_t walk_speed_mm_per_s, const GraphFrame& frame) {
    return build(pieces, walk_speed_mm_per_s, &frame);
}

GraphFrame graph_frame(const WalkGraph& graph) noexcept {
    if (graph.point_lon_e7.empty()) {
        return {};
    }
    const auto [lon_lo, lon_hi] = std::minmax_element(graph.point_lon_e7.begin(), graph.point_lon_e7.end());
    const auto [lat_lo, lat_hi] = std::minmax_element(graph.point_lat_e7.begin(), graph.point_lat_e7.end());
    return {*lon_lo, *lat_lo, *lon_hi, *lat_hi};
}

namespace {

WalkGraph build(std::span<const EdgeInput> pieces, std::uint32_t walk_speed_mm_per_s, const GraphFrame* frame) {
    YIKE_ASSERT(walk_speed_mm_per_s > 0);

    // 1. Junctions: OSM nodes that end a piece or occur more than once over all pieces. Every
    // occurrence carries its point's position in the pieces laid end to end, so that after one
    // radix sort each point knows its junction without a search.
    std::vector<std::int64_t> occurrences;
    std::vector<std::uint32_t> occurrence_point;
    std::vector<std::size_t> piece_first_point(pieces.size() + 1, 0);
    {
        std::size_t total = 0;
        for (std::size_t p = 0; p < pieces.size(); ++p) {
            piece_first_point[p] = total;
            total += pieces[p].points.size();
        }
        piece_first_point[pieces.size()] = total;
        YIKE_ASSERT(total < invalid_id);
        occurrences.reserve(total + 2 * pieces.size());
        occurrence_point.reserve(total + 2 * pieces.size());
    }
    for (std::size_t p = 0; p < pieces.size(); ++p) {
        const auto& piece = pieces[p];
        YIKE_ASSERT(piece.points.size() >= 2 && piece.point_osm_id.size() == piece.points.size());
        YIKE_ASSERT(piece.speed_mm_per_s > 0);
        YIKE_ASSERT(piece.segment_time_factor.size() == piece.segment_back_time_factor.size() &&
                    (piece.segment_time_factor.empty() || piece.segment_time_factor.size() + 1 == piece.points.size()));
        const std::size_t last = piece.points.size() - 1;
        // A run of repeated ids is one point (as in step 2): counting each repeat would make a
        // spurious junction in the middle of a chain. The back is the first point of the last run.
        std::size_t back_at = last;
        while (back_at > 0 && piece.point_osm_id[back_at - 1] == piece.point_osm_id[last]) {
            --back_at;
        }
        for (std::size_t i = 0; i <= last; ++i) {
            if (i > 0 && piece.point_osm_id[i] == piece.point_osm_id[i - 1]) {
                continue;
            }
            const bool front = i == 0;
            const bool back = i == back_at;
            if ((front && piece.detach_front) || (back && piece.detach_back)) {
                continue;
            }
            const auto at = static_cast<std::uint32_t>(piece_first_point[p] + i);
            occurrences.push_back(piece.point_osm_id[i]);
            occurrence_point.push_back(at);
            if (front || back) {
                occurrences.push_back(piece.point_osm_id[i]);
                occurrence_point.push_back(at);
            }
        }
    }
    radix_sort(occurrences, &occurrence_point);
    std::vector<std::int64_t> junction_ids;
    std::vector<std::uint32_t> point_junction(piece_first_point.back(), invalid_id);
    for (std::size_t i = 0; i < occurrences.size();) {
        std::size_t run_end = i + 1;
        while (run_end < occurrences.size() && occurrences[run_end] == occurrences[i]) {
            ++run_end;
        }
        if (run_end - i >= 2) {
            const auto j = static_cast<std::uint32_t>(junction_ids.size());
            junction_ids.push_back(occurrences[i]);
            for (std::size_t k = i; k < run_end; ++k) {
                point_junction[occurrence_point[k]] = j;
            }
        }
        i = run_end;
    }
    occurrences = {};
    occurrence_point = {};
    // Repeats of a point stand for it (step 2 may look up the last repeat of a piece's back).
    for (std::size_t p = 0; p < pieces.size(); ++p) {
        const auto& ids = pieces[p].point_osm_id;
        for (std::size_t i = 1; i < ids.size(); ++i) {
            if (ids[i] == ids[i - 1]) {
                point_junction[piece_first_point[p] + i] = point_junction[piece_first_point[p] + i - 1];
            }
        }
    }
    // Points that step 1 skipped (detached ends) are never asked for as junctions; the search is
    // the exact fallback should one be.
    auto junction_index = [&](std::size_t piece, std::size_t i) -> std::uint32_t {
        const std::uint32_t j = point_junction[piece_first_point[piece] + i];
        if (j != invalid_id) {
            return j;
        }
        const std::int64_t osm_id = pieces[piece].point_osm_id[i];
        const auto it = std::lower_bound(junction_ids.begin(), junction_ids.end(), osm_id);
        return (it != junction_ids.end() && *it == osm_id) ? static_cast<std::uint32_t>(it - junction_ids.begin())
                                                            : invalid_id;
    };

    // 2. Proto nodes (junctions first, detached ends after) and proto edges cut at junctions.
    std::vector<ProtoNode> nodes(junction_ids.size(), ProtoNode{0, 0, 0});
    std::vector<bool> node_seen(junction_ids.size(), false);
    std::vector<ProtoEdge> edges;
    std::vector<LonLat> points;
    std::vector<std::int32_t> pt_lon;
    std::vector<std::int32_t> pt_lat;
    // Slope time factors of the segment that ends at each proto point (its first point's are
    // unused), filled only when some piece has them.
    const bool sloped = std::any_of(pieces.begin(), pieces.end(), [](const EdgeInput& p) { return !p.segment_time_factor.empty(); });
    std::vector<double> pt_factor;
    std::vector<double> pt_back_factor;
    // Detached copies of one OSM node are told apart by their piece (way id, then the point next
    // to the end) rather than by input order, so that the graph does not depend on piece order.
    std::vector<DetachedTie> detached_tie;
    auto node_for = [&](std::size_t piece_index, std::size_t i, bool detached) -> std::uint32_t {
        const EdgeInput& piece = pieces[piece_index];
        const LonLat p = piece.points[i];
        if (detached) {
            nodes.push_back({piece.point_osm_id[i], to_e7(p.lon), to_e7(p.lat)});
            node_seen.push_back(true);
            std::size_t k = i;
            if (i == 0) {
                while (k + 1 < piece.points.size() && piece.point_osm_id[k] == piece.point_osm_id[i]) {
                    ++k;
                }
            } else {
                while (k > 0 && piece.point_osm_id[k] == piece.point_osm_id[i]) {
                    --k;
                }
            }
            detached_tie.push_back({piece.way_id, piece.point_osm_id[k], to_e7(piece.points[k].lon),
                                    to_e7(piece.points[k].lat), i == 0});
            return static_cast<std::uint32_t>(nodes.size() - 1);
        }
        const std::uint32_t j = junction_index(piece_index, i);
        YIKE_ASSERT(j != invalid_id);
        if (!node_seen[j]) {
            nodes[j] = {piece.point_osm_id[i], to_e7(p.lon), to_e7(p.lat)};
            node_seen[j] = true;
        }
        return j;
    };
    std::vector<std::size_t> kept; // point indices of a piece without consecutive repeats
    for (std::size_t piece_index = 0; piece_index < pieces.size(); ++piece_index) {
        const EdgeInput& piece = pieces[piece_index];
        kept.clear();
        for (std::size_t i = 0; i < piece.points.size(); ++i) {
            if (kept.empty() || piece.point_osm_id[i] != piece.point_osm_id[kept.back()]) {
                kept.push_back(i);
            }
        }
        if (kept.size() < 2) {
            continue;
        }
        const std::size_t last = piece.points.size() - 1;
        std::uint32_t tail = node_for(piece_index, 0, piece.detach_front);
        auto start_edge = [&](std::size_t i) {
            edges.push_back({tail, invalid_id, piece.way_id, piece.speed_mm_per_s,
                             static_cast<std::uint32_t>(pt_lon.size()), 1, i == 0 ? piece.front_delay_ms : 0});
            pt_lon.push_back(to_e7(piece.points[i].lon));
            pt_lat.push_back(to_e7(piece.points[i].lat));
            if (sloped) {
                pt_factor.push_back(1.0);
                pt_back_factor.push_back(1.0);
            }
        };
        start_edge(0);
        for (std::size_t k = 1; k < kept.size(); ++k) {
            const std::size_t i = kept[k];
            pt_lon.push_back(to_e7(piece.points[i].lon));
            pt_lat.push_back(to_e7(piece.points[i].lat));
            if (sloped) {
                // Repeats of a point are one place, so the segment ending at point i stands for
                // the whole step from the previous kept point.
                const bool has = !piece.segment_time_factor.empty();
                pt_factor.push_back(has ? piece.segment_time_factor[i - 1] : 1.0);
                pt_back_factor.push_back(has ? piece.segment_back_time_factor[i - 1] : 1.0);
            }
            ++edges.back().point_count;
            // The last kept point stands for the piece's last point (a repeat of it was dropped).
            const bool is_last = k + 1 == kept.size();
            const std::size_t at = is_last ? last : i;
            if (is_last || junction_index(piece_index, i) != invalid_id) {
                const std::uint32_t head = node_for(piece_index, at, is_last && piece.detach_back);
                edges.back().head = head;
                if (is_last) {
                    edges.back().delay_ms += piece.back_delay_ms;
                }
                if (!is_last) {
                    tail = head;
                    start_edge(i);
                }
            }
        }
    }

    // 3. Geodesic lengths; drop loops shorter than 1 cm.
    std::vector<double> edge_len_m(edges.size(), 0.0);
    // With slopes: the edge's mean time factor each way, weighted by segment length.
    std::vector<double> edge_factor(sloped ? edges.size() : 0, 1.0);
    std::vector<double> edge_back_factor(sloped ? edges.size() : 0, 1.0);
    std::vector<bool> keep(edges.size(), true);
    for (std::size_t e = 0; e < edges.size(); ++e) {
        const auto& pe = edges[e];
        double len = 0.0;
        double weighted = 0.0;
        double back_weighted = 0.0;
        for (std::uint32_t k = pe.first_point + 1; k < pe.first_point + pe.point_count; ++k) {
            const double l = segment_length_m({pt_lon[k - 1] / coordinate_precision, pt_lat[k - 1] / coordinate_precision},
                                              {pt_lon[k] / coordinate_precision, pt_lat[k] / coordinate_precision});
            len += l;
            if (sloped) {
                weighted += l * pt_factor[k];
                back_weighted += l * pt_back_factor[k];
            }
        }
        edge_len_m[e] = len;
        if (sloped && len > 0.0) {
            edge_factor[e] = weighted / len;
            edge_back_factor[e] = back_weighted / len;
        }
        keep[e] = !(pe.tail == pe.head && len < 0.01);
    }

    // 4. Nodes that carry an edge, renumbered in Hilbert order of their position.
    std::vector<bool> used(nodes.size(), false);
    std::int32_t min_lon = std::numeric_limits<std::int32_t>::max();
    std::int32_t min_lat = std::numeric_limits<std::int32_t>::max();
    std::int32_t max_lon = std::numeric_limits<std::int32_t>::min();
    std::int32_t max_lat = std::numeric_limits<std::int32_t>::min();
    for (std::size_t e = 0; e < edges.size(); ++e) {
        if (!keep[e]) {
            continue;
        }
        used[edges[e].tail] = true;
        used[edges[e].head] = true;
        for (std::uint32_t k = edges[e].first_point; k < edges[e].first_point + edges[e].point_count; ++k) {
            min_lon = std::min(min_lon, pt_lon[k]);
            max_lon = std::max(max_lon, pt_lon[k]);
            min_lat = std::min(min_lat, pt_lat[k]);
            max_lat = std::max(max_lat, pt_lat[k]);
        }
    }
    if (frame != nullptr) {
        // A part of a network takes the whole network's frame. Its points may lie outside it only on
        // edges the whole graph cut otherwise (a part misses some junctions), whose nodes are clamped
        // to the frame's edge below; nodes inside keep the whole graph's keys.
        min_lon = frame->min_lon_e7;
        min_lat = frame->min_lat_e7;
        max_lon = frame->max_lon_e7;
        max_lat = frame->max_lat_e7;
    }
    std::vector<std::uint32_t> old_ids;
    for (std::uint32_t u = 0; u < nodes.size(); ++u) {
        if (used[u]) {
            old_ids.push_back(u);
        }
    }
    std::vector<std::uint32_t> key(nodes.size(), 0);
    const double span_lon = std::max(1.0, static_cast<double>(max_lon) - min_lon);
    const double span_lat = std::max(1.0, static_cast<double>(max_lat) - min_lat);
    for (const std::uint32_t u : old_ids) {
        const auto gx = static_cast<std::uint32_t>(
            std::clamp((nodes[u].lon_e7 - static_cast<double>(min_lon)) / span_lon * 65535.0, 0.0, 65535.0));
        const auto gy = static_cast<std::uint32_t>(
            std::clamp((nodes[u].lat_e7 - static_cast<double>(min_lat)) / span_lat * 65535.0, 0.0, 65535.0));
        key[u] = hilbert_index(gx, gy);
    }
    std::sort(old_ids.begin(), old_ids.end(), [&](std::uint32_t a, std::uint32_t b) {
        if (key[a] != key[b]) {
            return key[a] < key[b];
        }
        if (nodes[a].osm_id != nodes[b].osm_id) {
            return nodes[a].osm_id < nodes[b].osm_id;
        }
        // Junctions (the first proto nodes) before detached copies, those by their piece.
        const std::size_t junctions = junction_ids.size();
        if (a >= junctions && b >= junctions && detached_tie[a - junctions] != detached_tie[b - junctions]) {
            return detached_tie[a - junctions] < detached_tie[b - junctions];
        }
        return a < b;
    });
    std::vector<std::uint32_t> new_id(nodes.size(), invalid_id);
    for (std::uint32_t i = 0; i < old_ids.size(); ++i) {
        new_id[old_ids[i]] = i;
    }

    WalkGraph g;
    g.walk_speed_mm_per_s = walk_speed_mm_per_s;
    const auto n = static_cast<std::uint32_t>(old_ids.size());
    if (n == 0) {
        g.first_out.assign(1, 0);
        g.edge_first_point.assign(1, 0);
        if (frame != nullptr) {
            // An empty part of a network is still projected as the whole one.
            g.projection = LocalProjection({(static_cast<double>(min_lon) + max_lon) / 2.0 / coordinate_precision,
                                            (static_cast<double>(min_lat) + max_lat) / 2.0 / coordinate_precision});
        }
        return g;
    }
    g.projection = LocalProjection({(static_cast<double>(min_lon) + max_lon) / 2.0 / coordinate_precision,
                                    (static_cast<double>(min_lat) + max_lat) / 2.0 / coordinate_precision});
    g.node_lon_e7.resize(n);
    g.node_lat_e7.resize(n);
    g.node_x_m.resize(n);
    g.node_y_m.resize(n);
    g.node_osm_id.resize(n);
    for (std::uint32_t i = 0; i < n; ++i) {
        const ProtoNode& pn = nodes[old_ids[i]];
        g.node_lon_e7[i] = pn.lon_e7;
        g.node_lat_e7[i] = pn.lat_e7;
        g.node_osm_id[i] = pn.osm_id;
        const XY xy = g.projection.forward({pn.lon_e7 / coordinate_precision, pn.lat_e7 / coordinate_precision});
        g.node_x_m[i] = static_cast<float>(xy.x_m);
        g.node_y_m[i] = static_cast<float>(xy.y_m);
    }

    // 5. Edges sorted by (tail, head, way, geometry start) for locality and determinism.
    std::vector<std::uint32_t> edge_order;
    for (std::uint32_t e = 0; e < edges.size(); ++e) {
        if (keep[e]) {
            edge_order.push_back(e);
        }
    }
    std::sort(edge_order.begin(), edge_order.end(), [&](std::uint32_t a, std::uint32_t b) {
        const auto ka = std::make_tuple(new_id[edges[a].tail], new_id[edges[a].head], edges[a].way_id);
        const auto kb = std::make_tuple(new_id[edges[b].tail], new_id[edges[b].head], edges[b].way_id);
        if (ka != kb) {
            return ka < kb;
        }
        // Pieces of one way between the same nodes: by geometry, not by input order.
        const auto pa = edges[a].first_point;
        const auto pb = edges[b].first_point;
        for (std::uint32_t k = 0; k < std::min(edges[a].point_count, edges[b].point_count); ++k) {
            const auto la = std::make_pair(pt_lon[pa + k], pt_lat[pa + k]);
            const auto lb = std::make_pair(pt_lon[pb + k], pt_lat[pb + k]);
            if (la != lb) {
                return la < lb;
            }
        }
        return edges[a].point_count != edges[b].point_count ? edges[a].point_count < edges[b].point_count : a < b;
    });
    const auto edge_total = static_cast<std::uint32_t>(edge_order.size());
    g.edge_tail.resize(edge_total);
    g.edge_head.resize(edge_total);
    g.edge_time_ms.resize(edge_total);
    std::vector<Cost> back_time(sloped ? edge_total : 0);
    g.edge_length_cm.resize(edge_total);
    g.edge_way_id.resize(edge_total);
    g.edge_first_point.resize(edge_total + 1);
    std::size_t point_total = 0;
    for (const std::uint32_t e : edge_order) {
        point_total += edges[e].point_count;
    }
    g.point_lon_e7.reserve(point_total);
    g.point_lat_e7.reserve(point_total);
    g.point_x_m.reserve(point_total);
    g.point_y_m.reserve(point_total);
    for (std::uint32_t i = 0; i < edge_total; ++i) {
        const ProtoEdge& pe = edges[edge_order[i]];
        g.edge_tail[i] = new_id[pe.tail];
        g.edge_head[i] = new_id[pe.head];
        g.edge_way_id[i] = pe.way_id;
        const double length_cm = edge_len_m[edge_order[i]] * 100.0;
        g.edge_length_cm[i] = clamp_cost(length_cm);
        // length_cm / 100 m at speed / 1000 m/s = length_cm * 10'000 / speed ms.
        g.edge_time_ms[i] = clamp_cost(static_cast<double>(g.edge_length_cm[i]) * 10'000.0 / pe.speed_mm_per_s);
        if (sloped) {
            // The flat time scaled by the mean factor each way, rounded to the nearest ms as the
            // flat time is (an all-flat edge gets exactly its flat time: the mean of ones is 1).
            const double flat = static_cast<double>(g.edge_length_cm[i]) * 10'000.0 / pe.speed_mm_per_s;
            g.edge_time_ms[i] = clamp_cost(flat * edge_factor[edge_order[i]]);
            back_time[i] = clamp_cost(flat * edge_back_factor[edge_order[i]]);
            YIKE_ASSERT(pe.delay_ms <= inf_cost - 1 - back_time[i]);
            back_time[i] += pe.delay_ms; // waiting at a crossing does not depend on the slope
        }
        YIKE_ASSERT(pe.delay_ms <= inf_cost - 1 - g.edge_time_ms[i]);
        g.edge_time_ms[i] += pe.delay_ms;
        g.edge_first_point[i] = static_cast<std::uint32_t>(g.point_lon_e7.size());
        for (std::uint32_t k = pe.first_point; k < pe.first_point + pe.point_count; ++k) {
            g.point_lon_e7.push_back(pt_lon[k]);
            g.point_lat_e7.push_back(pt_lat[k]);
            const XY xy = g.projection.forward({pt_lon[k] / coordinate_precision, pt_lat[k] / coordinate_precision});
            g.point_x_m.push_back(static_cast<float>(xy.x_m));
            g.point_y_m.push_back(static_cast<float>(xy.y_m));
        }
    }
    g.edge_first_point[edge_total] = static_cast<std::uint32_t>(g.point_lon_e7.size());

    // 6. CSR arcs by counting sort on the tail; within a node, arcs follow edge order.
    g.first_out.assign(n + 1, 0);
    for (std::uint32_t e = 0; e < edge_total; ++e) {
        ++g.first_out[g.edge_tail[e] + 1];
        ++g.first_out[g.edge_head[e] + 1];
    }
    std::partial_sum(g.first_out.begin(), g.first_out.end(), g.first_out.begin());
    const std::uint32_t m = 2 * edge_total;
    g.head.resize(m);
    g.arc_time_ms.resize(m);
    g.arc_length_cm.resize(m);
    g.arc_edge.resize(m);
    std::vector<ArcId> fill(g.first_out.begin(), g.first_out.end() - 1);
    for (std::uint32_t e = 0; e < edge_total; ++e) {
        const std::uint32_t ends[2] = {g.edge_tail[e], g.edge_head[e]};
        for (std::uint32_t dir = 0; dir < 2; ++dir) {
            const ArcId a = fill[ends[dir]]++;
            g.head[a] = ends[1 - dir];
            g.arc_time_ms[a] = g.edge_time_ms[e];
            g.arc_length_cm[a] = g.edge_length_cm[e];
            g.arc_edge[a] = (e << 1) | dir;
        }
    }
    if (sloped) {
        std::vector<Cost> forward = g.edge_time_ms;
        g.set_edge_times(std::move(forward), std::move(back_time));
    }
    return g;
}

} // namespace

} // namespace yike::routing
