// The raster corridor of reached lines. The exact corridor (all points within w of the reached lines) is sampled on a lattice of
// corners `cell` metres apart anchored at multiples of `cell` in the projection (so the same reach
// always gives the same lattice): each corner holds its exact distance to the nearest reached
// segment. Marching squares then trace the level set d = w, placing each vertex on a lattice edge
// by linear interpolation of the exact distances. Contours never touch or cross, exteriors come
// out counter-clockwise and holes clockwise.
#include "detail/raster_corridor.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <utility>

#include "detail/xy_box.hpp"
#include "yike/assert.hpp"

namespace yike::engine::detail {

using routing::XY;

namespace {

struct RasterRing {
    std::vector<XY> points; // closed
    std::uint64_t first_edge = 0; // the smallest lattice edge the ring crosses; its first point lies there
    double signed_area = 0.0;
    double min_x = 0.0, min_y = 0.0, max_x = 0.0, max_y = 0.0;
};

bool point_in_xy_ring(XY p, const std::vector<XY>& r) noexcept {
    bool inside = false;
    for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++) {
        if ((r[i].y_m > p.y_m) != (r[j].y_m > p.y_m)) {
            const double x = r[j].x_m + (p.y_m - r[j].y_m) * (r[i].x_m - r[j].x_m) / (r[i].y_m - r[j].y_m);
            if (p.x_m < x) {
                inside = !inside;
            }
        }
    }
    return inside;
}

// Closed ring in, closed ring out: a vertex goes when it is within `tol` of the segment joining
// the previous kept vertex and the next vertex (greedy, one pass, O(n)).
std::vector<XY> drop_collinear(std::vector<XY> ring, double tol) {
    if (ring.size() <= 5) {
        return ring;
    }
    std::vector<XY> out;
    out.reserve(ring.size());
    out.push_back(ring[0]);
    for (std::size_t i = 1; i + 1 < ring.size(); ++i) {
        const XY a = out.back();
        const XY b = ring[i];
        const XY c = ring[i + 1];
        const double dx = c.x_m - a.x_m;
        const double dy = c.y_m - a.y_m;
        const double len = std::hypot(dx, dy);
        const double cross = std::abs((b.x_m - a.x_m) * dy - (b.y_m - a.y_m) * dx);
        const double along = (b.x_m - a.x_m) * dx + (b.y_m - a.y_m) * dy;
        if (len > 0.0 && cross <= tol * len && along > 0.0 && along < len * len) {
            continue;
        }
        out.push_back(b);
    }
    out.push_back(ring.back());
    return out.size() >= 4 ? out : ring;
}

// Buffers of raster_corridor kept per thread (up to 4 M corners, 20 MB): a 15-minute reach spans
// a lattice of one to two million corners, and fresh pages for it cost about as much as filling
// them.
// A contour piece across one lattice cell: from the lattice edge where it enters (and the point
// there) to the edge where it leaves.
struct ContourLink {
    std::uint64_t from = 0;
    std::uint64_t to = 0;
    XY p;
};

struct RasterScratch {
    std::vector<float> d2;
    std::vector<std::uint8_t> inside;
    std::vector<ContourLink> links;
    std::vector<char> used;
    std::vector<std::uint32_t> next;       // the piece that follows each piece around its ring
    std::vector<std::uint32_t> open;       // pieces of the current rows' edges still unmatched
    std::vector<std::uint32_t> ring_links;
};

// One segment's squared distances, min-updated into its window of the lattice: columns i0..i1
// of the rows from j0 on, one row per entry of `py_of_row` (the row's y relative to the segment
// start). Single precision relative to the segment start (|offsets| < a few hundred metres, so
// about 1e-5 m resolution) in a branch-free loop the compiler vectorises. On x86-64 it is compiled
// twice, for AVX2 and for the baseline, and picked at load time: the same IEEE single-precision
// operations (AVX2 alone brings no fused multiply-add), only twice the lanes, so both give the
// same bits.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define YIKE_STAMP_CLONES [[gnu::target_clones("avx2", "default")]]
#else
#define YIKE_STAMP_CLONES
#endif
// The column terms (px, px * dx) are the same in every row and are formed once per segment in
// `columns` (room for 2 * (i1 - i0 + 1) floats).
YIKE_STAMP_CLONES void stamp_window(float* d2, std::size_t nx, std::size_t i0, std::size_t i1, std::size_t j0,
                                    const std::vector<float>& py_of_row, float* columns, float px0, float dx, float dy,
                                    float inv, float fcell) {
    const int n = static_cast<int>(i1 + 1 - i0);
    float* const col_px = columns;
    float* const col_pxdx = columns + n;
    for (int i = 0; i < n; ++i) {
        const float px = px0 + static_cast<float>(i) * fcell;
        col_px[i] = px;
        col_pxdx[i] = px * dx;
    }
    for (std::size_t r = 0; r < py_of_row.size(); ++r) {
        const float py = py_of_row[r];
        const float pydy = py * dy;
        float* row = d2 + (j0 + r) * nx + i0;
        for (int i = 0; i < n; ++i) {
            const float px = col_px[i];
            const float t = std::max(0.0F, std::min(1.0F, (col_pxdx[i] + pydy) * inv));
            const float ex = px - t * dx;
            const float ey = py - t * dy;
            row[i] = std::min(row[i], ex * ex + ey * ey);
        }
    }
}


} // namespace

// Polygons (exterior, holes) in projected metres.
std::vector<std::vector<std::vector<XY>>> raster_corridor(const std::vector<std::vector<XY>>& lines, double w, double cell) {
    const detail::XYBox box = detail::bounds_of(lines);
    if (box.empty()) {
        return {};
    }
    const double min_x = box.min_x;
    const double min_y = box.min_y;
    const double max_x = box.max_x;
    const double max_y = box.max_y;
    // Spare cells beyond the corridor keep the lattice border outside.
    const double x0 = (std::floor((min_x - w) / cell) - 3.0) * cell;
    const double y0 = (std::floor((min_y - w) / cell) - 3.0) * cell;
    const auto nx = static_cast<std::size_t>(std::ceil((max_x + w - x0) / cell)) + 4;
    const auto ny = static_cast<std::size_t>(std::ceil((max_y + w - y0) / cell)) + 4;
    const double far = 4.0 * w * w;
    thread_local RasterScratch scratch;
    std::vector<float>& d2 = scratch.d2;
    d2.assign(nx * ny, static_cast<float>(far));
    std::vector<float> row_py;
    std::vector<float> columns;
    const double w2 = w * w;
    auto corner_x = [&](std::size_t i) { return x0 + static_cast<double>(i) * cell; };
    auto corner_y = [&](std::size_t j) { return y0 + static_cast<double>(j) * cell; };
    auto stamp = [&](XY a, XY b) {
        // Corners up to w + cell away need exact distances too: they are the outer ends of the
        // lattice edges that the boundary crosses.
        const double reach = w + cell;
        const double lo_x = std::min(a.x_m, b.x_m) - reach;
        const double hi_x = std::max(a.x_m, b.x_m) + reach;
        const double lo_y = std::min(a.y_m, b.y_m) - reach;
        const double hi_y = std::max(a.y_m, b.y_m) + reach;
        const auto i0 = static_cast<std::size_t>(std::ceil((lo_x - x0) / cell));
        const auto i1 = static_cast<std::size_t>(std::floor((hi_x - x0) / cell));
        const auto j0 = static_cast<std::size_t>(std::ceil((lo_y - y0) / cell));
        const auto j1 = static_cast<std::size_t>(std::floor((hi_y - y0) / cell));
        const float dx = static_cast<float>(b.x_m - a.x_m);
        const float dy = static_cast<float>(b.y_m - a.y_m);
        const float len2 = dx * dx + dy * dy;
        const float inv = len2 > 0.0F ? 1.0F / len2 : 0.0F;
        row_py.resize(j1 - j0 + 1);
        for (std::size_t j = j0; j <= j1; ++j) {
            row_py[j - j0] = static_cast<float>(corner_y(j) - a.y_m);
        }
        columns.resize(2 * (i1 - i0 + 1));
        stamp_window(d2.data(), nx, i0, i1, j0, row_py, columns.data(), static_cast<float>(corner_x(i0) - a.x_m), dx, dy, inv,
                     static_cast<float>(cell));
    };
    for (const auto& l : lines) {
        if (l.size() == 1) {
            stamp(l[0], l[0]);
        }
        for (std::size_t k = 0; k + 1 < l.size(); ++k) {
            stamp(l[k], l[k + 1]);
        }
    }
    std::vector<std::uint8_t>& in = scratch.inside;
    in.resize(nx * ny);
    {
        const auto w2f = static_cast<float>(w2);
        const float* src = d2.data();
        std::uint8_t* dst = in.data();
        const std::size_t n = nx * ny;
        for (std::size_t k = 0; k < n; ++k) {
            dst[k] = src[k] <= w2f ? 1 : 0;
        }
    }
    auto dist = [&](std::size_t i, std::size_t j) { return std::sqrt(static_cast<double>(d2[j * nx + i])); };
    // Lattice edges: horizontal (i,j)-(i+1,j) is 2*(j*nx+i), vertical (i,j)-(i,j+1) is 2*(j*nx+i)+1.
    auto h_edge = [&](std::size_t i, std::size_t j) { return static_cast<std::uint64_t>(2 * (j * nx + i)); };
    auto v_edge = [&](std::size_t i, std::size_t j) { return static_cast<std::uint64_t>(2 * (j * nx + i) + 1); };
    struct Edge {
        std::uint64_t id;
        std::size_t i, j;
        bool vertical;
    };
    auto crossing = [&](const Edge& e) {
        const std::size_t i = e.i;
        const std::size_t j = e.j;
        const bool vertical = e.vertical;
        const std::size_t i2 = vertical ? i : i + 1;
        const std::size_t j2 = vertical ? j + 1 : j;
        const double da = dist(i, j);
        const double db = dist(i2, j2);
        // Kept off the corners so that contours of neighbouring cells never share a point.
        const double t = std::clamp((w - da) / (db - da), 1e-3, 1.0 - 1e-3);
        return vertical ? XY{corner_x(i), corner_y(j) + t * cell} : XY{corner_x(i) + t * cell, corner_y(j)};
    };
    // Contour pieces oriented with the inside on their left: from the edge where the boundary
    // leaves an inside corner (counter-clockwise around the cell) to the edge where it enters one.
    std::vector<ContourLink>& links = scratch.links;
    links.clear();
    // Each crossed lattice edge starts one piece and ends another, and both lie in the two cells
    // beside it, which the scan meets in the same row of cells or in two consecutive ones: the
    // piece that follows each piece (next) is found there, in tables of the current rows' edges
    // (horizontal edges of rows j and j + 1, vertical ones between them), instead of looking every
    // piece's end up in a table of the whole lattice (a cache miss per piece).
    constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
    std::vector<std::uint32_t>& next = scratch.next;
    next.clear();
    std::vector<std::uint32_t>& open = scratch.open; // per edge: [starting piece, ending piece] x 3 rows of edges
    open.assign(6 * nx, none);
    std::size_t row_j = 0;
    auto ends_of = [&](const Edge& e) {
        const std::size_t table = e.vertical ? 2 : (e.j == row_j ? 0 : 1);
        YIKE_ASSERT(e.vertical ? e.j == row_j : (e.j == row_j || e.j == row_j + 1));
        return open.data() + 2 * (table * nx + e.i);
    };
    auto link = [&](const Edge& from, const Edge& to) {
        const auto k = static_cast<std::uint32_t>(links.size());
        links.push_back({from.id, to.id, crossing(from)});
        next.push_back(none);
        std::uint32_t* at_to = ends_of(to);
        if (at_to[0] != none) {
            next[k] = at_to[0];
        } else {
            at_to[1] = k;
        }
        std::uint32_t* at_from = ends_of(from);
        if (at_from[1] != none) {
            next[at_from[1]] = k;
        } else {
            at_from[0] = k;
        }
    };
    for (std::size_t j = 0; j + 1 < ny; ++j) {
        if (j > 0) {
            // Row j's horizontal edges were row j - 1's upper ones; the others start empty.
            std::copy(open.begin() + static_cast<std::ptrdiff_t>(2 * nx), open.begin() + static_cast<std::ptrdiff_t>(4 * nx),
                      open.begin());
            std::fill(open.begin() + static_cast<std::ptrdiff_t>(2 * nx), open.end(), none);
        }
        row_j = j;
        const std::uint8_t* lo_row = in.data() + j * nx;
        const std::uint8_t* hi_row = lo_row + nx;
        for (std::size_t i = 0; i + 1 < nx; ++i) {
            // Most cells lie wholly inside or outside: skip eight at a time when the nine corner
            // columns agree in both rows.
            if (i + 9 <= nx) {
                std::uint64_t a = 0;
                std::uint64_t a1 = 0;
                std::uint64_t b = 0;
                std::uint64_t b1 = 0;
                std::memcpy(&a, lo_row + i, 8);
                std::memcpy(&a1, lo_row + i + 1, 8);
                std::memcpy(&b, hi_row + i, 8);
                std::memcpy(&b1, hi_row + i + 1, 8);
                if (a == a1 && a == b && a1 == b1) {
                    i += 7;
                    continue;
                }
            }
            const unsigned c = static_cast<unsigned>(lo_row[i]) | static_cast<unsigned>(lo_row[i + 1]) << 1U |
                               static_cast<unsigned>(hi_row[i + 1]) << 2U | static_cast<unsigned>(hi_row[i]) << 3U;
            if (c == 0 || c == 15) {
                continue;
            }
            const Edge B{h_edge(i, j), i, j, false};
            const Edge R{v_edge(i + 1, j), i + 1, j, true};
            const Edge T{h_edge(i, j + 1), i, j + 1, false};
            const Edge L{v_edge(i, j), i, j, true};
            // Only saddles need the centre.
            auto centre = [&] { return 0.25 * (dist(i, j) + dist(i + 1, j) + dist(i + 1, j + 1) + dist(i, j + 1)); };
            switch (c) {
            case 1: link(B, L); break;
            case 2: link(R, B); break;
            case 3: link(R, L); break;
            case 4: link(T, R); break;
            case 5:
                if (centre() <= w) {
                    link(B, R);
                    link(T, L);
                } else {
                    link(B, L);
                    link(T, R);
                }
                break;
            case 6: link(T, B); break;
            case 7: link(T, L); break;
            case 8: link(L, T); break;
            case 9: link(B, T); break;
            case 10:
                if (centre() <= w) {
                    link(R, T);
                    link(L, B);
                } else {
                    link(R, B);
                    link(L, T);
                }
                break;
            case 11: link(R, T); break;
            case 12: link(L, R); break;
            case 13: link(B, R); break;
            case 14: link(L, B); break;
            default: break;
            }
        }
    }
    std::vector<char>& used = scratch.used;
    used.assign(links.size(), 0);
    std::vector<std::uint32_t>& ring_links = scratch.ring_links;
    std::vector<RasterRing> rings;
    for (std::size_t s = 0; s < links.size(); ++s) {
        if (used[s] != 0) {
            continue;
        }
        ring_links.clear();
        std::size_t k = s;
        std::size_t start = 0;
        while (used[k] == 0) {
            used[k] = 1;
            if (links[k].from < links[ring_links.empty() ? k : ring_links[start]].from) {
                start = ring_links.size();
            }
            ring_links.push_back(static_cast<std::uint32_t>(k));
            k = next[k];
            YIKE_ASSERT(k != none);
        }
        // Each ring starts at its smallest lattice edge, and rings come in that order, so the
        // output does not depend on the order the cells were visited in.
        RasterRing r;
        r.first_edge = links[ring_links[start]].from;
        r.points.reserve(ring_links.size() + 1);
        for (std::size_t q = 0; q < ring_links.size(); ++q) {
            r.points.push_back(links[ring_links[(start + q) % ring_links.size()]].p);
        }
        r.points.push_back(r.points.front());
        // Along straight corridor sides the crossings are collinear: drop those that lie within
        // 1 mm of the line through their neighbours (the ring keeps its shape to 1 mm, far below
        // the output grid, and contours are further apart than that).
        r.points = drop_collinear(std::move(r.points), 1e-3);
        r.min_x = r.max_x = r.points[0].x_m;
        r.min_y = r.max_y = r.points[0].y_m;
        double a = 0.0;
        const XY o = r.points[0];
        for (std::size_t q = 1; q < r.points.size(); ++q) {
            const XY p = r.points[q];
            r.min_x = std::min(r.min_x, p.x_m);
            r.max_x = std::max(r.max_x, p.x_m);
            r.min_y = std::min(r.min_y, p.y_m);
            r.max_y = std::max(r.max_y, p.y_m);
            if (q + 1 < r.points.size()) {
                a += (p.x_m - o.x_m) * (r.points[q + 1].y_m - o.y_m) - (r.points[q + 1].x_m - o.x_m) * (p.y_m - o.y_m);
            }
        }
        r.signed_area = 0.5 * a;
        rings.push_back(std::move(r));
    }
    std::sort(rings.begin(), rings.end(), [](const RasterRing& a, const RasterRing& b) { return a.first_edge < b.first_edge; });
    std::vector<std::size_t> exteriors;
    for (std::size_t k = 0; k < rings.size(); ++k) {
        if (rings[k].signed_area > 0.0) {
            exteriors.push_back(k);
        }
    }
    std::vector<std::vector<std::vector<XY>>> polys(exteriors.size());
    for (std::size_t e = 0; e < exteriors.size(); ++e) {
        polys[e].push_back(rings[exteriors[e]].points);
    }
    std::vector<std::size_t> candidates;
    for (std::size_t k = 0; k < rings.size(); ++k) {
        const RasterRing& hole = rings[k];
        if (hole.signed_area >= 0.0) {
            continue;
        }
        // The owner is the smallest exterior around the hole (islands inside holes are exteriors too).
        // Its owner's box holds it, so when only one box does, that is the owner (no ring test).
        candidates.clear();
        for (std::size_t e = 0; e < exteriors.size(); ++e) {
            const RasterRing& ex = rings[exteriors[e]];
            if (ex.min_x <= hole.min_x && ex.min_y <= hole.min_y && ex.max_x >= hole.max_x && ex.max_y >= hole.max_y) {
                candidates.push_back(e);
            }
        }
        // Tried from the smallest (ties in exterior order), the first that holds the hole is its
        // owner; the last one left needs no test, since some exterior holds every hole. The
        // largest is often a whole city's corridor of millions of points, which every hole of
        // an island's box would otherwise test.
        std::stable_sort(candidates.begin(), candidates.end(), [&](std::size_t a, std::size_t b) {
            return rings[exteriors[a]].signed_area < rings[exteriors[b]].signed_area;
        });
        std::size_t best = exteriors.size();
        for (std::size_t q = 0; q < candidates.size(); ++q) {
            const RasterRing& ex = rings[exteriors[candidates[q]]];
            if (q + 1 == candidates.size() || point_in_xy_ring(hole.points[0], ex.points)) {
                best = candidates[q];
                break;
            }
        }
        YIKE_ASSERT(best != exteriors.size());
        polys[best].push_back(hole.points);
    }
    if (d2.capacity() > (std::size_t{1} << 22)) {
        // A reach wider than ~4 km x 4 km (4 M corners, 20 MB): do not hold its lattice for the
        // thread's life. A 15-minute walk needs under 2 M corners.
        scratch = RasterScratch{};
    }
    return polys;
}


} // namespace yike::engine::detail
