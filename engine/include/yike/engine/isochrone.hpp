#pragma once
// Walking isochrone polygons built from the exact reached network (arcs and partial arcs).
//
// The reached network is the truth: every reached street piece is widened into a corridor of
// `buffer_m` on each side, the corridors are unioned (GEOS), holes smaller than
// `fill_holes_below_m2` are filled, and larger budgets are unioned with the smaller bands so
// bands nest exactly. Coordinates are WGS84 lon/lat snapped to 1e-7 degrees; rings follow RFC 7946
// (exterior counter-clockwise, holes clockwise) and are in a canonical order, so the same input
// gives byte-identical output. See doc/isochrones.md.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "yike/engine/isochrone_barriers.hpp"
#include "yike/routing/geo.hpp"
#include "yike/routing/graph.hpp"
#include "yike/routing/ids.hpp"
#include "yike/routing/polygon.hpp"
#include "yike/routing/search.hpp"
#include "yike/routing/snap.hpp"

namespace yike::engine {

// Isochrones are yike's polygon type (yike/routing/polygon.hpp): closed rings of at least four
// points, exteriors counter-clockwise and holes clockwise, the polygons of a band disjoint.
using routing::MultiPolygon;
using routing::Polygon;
using routing::Ring;

// Areas in square metres on a local projection centred on the geometry (relative error < 1e-3
// for city-sized geometries). Ring area is unsigned.
[[nodiscard]] double area_m2(const Ring& ring);
[[nodiscard]] double area_m2(const Polygon& polygon);
[[nodiscard]] double area_m2(const MultiPolygon& polygons);

struct IsochroneOptions {
    // from_sources: where one gets walking from the origins (isochrones from a point);
    // to_sources: from where one walks to the origins within the budget (the catchment of
    // facilities). They differ only on a graph with directional times (a DEM).
    routing::Direction direction = routing::Direction::from_sources;
    // Corridor half-width around the reached network: households sit beside the street.
    double buffer_m = 30.0;
    // Holes of the corridor union smaller than this are filled (gaps inside ordinary blocks);
    // blocks larger than this that no path enters (walled compounds of 1-4 ha, parks without
    // paths, water) stay holes. 0 keeps every hole.
    double fill_holes_below_m2 = 5'000.0;
    // false: band k is the whole area reachable within budget k (bands nest: k-1 inside k).
    // true: band k is the ring reachable within budget k but not within budget k-1.
    bool disjoint_bands = false;
    // Douglas-Peucker tolerance applied to the reached polylines before buffering (metres). The
    // polygon stays within buffer_m + simplify_m (+ rounding) of the network. 0 disables.
    double simplify_m = 0.5;
    // Corridor method. > 0: exact distances to the reached network sampled on a lattice of this
    // spacing (metres), boundary traced by marching squares with linear interpolation; vertices
    // lie within buffer_m + raster_cell_m + simplify_m of the network. 0: GEOS buffer of the
    // reached lines (exact up to the round-join chords, but tens to hundreds of ms per polygon).
    double raster_cell_m = 2.0;
    // Vector method only: segments per quarter circle used to approximate the round corridor ends and joins; the
    // approximating chords lie inside the true circle, so the corridor never exceeds buffer_m.
    int quadrant_segments = 4;
    // Output grid in degrees: every vertex is a multiple of this (1e-7 deg ~ 1.1 cm), and the
    // overlays that nest and cut the bands run on this grid (GEOS fixed-precision overlay).
    double precision_deg = 1e-7;
    // Lines walking cannot cross (not owned; must outlive the call; null: none). The corridor is
    // cut along those crossing it and only the pieces holding reached network are kept, so no
    // polygon covers the far side of a river, rail line, motorway or wall that the walk did not
    // cross. See isochrone_barriers.hpp.
    const IsochroneBarriers* barriers = nullptr;
};

struct IsochroneBand {
    routing::Cost budget = 0;   // in the metric's unit (ms or cm)
    MultiPolygon polygon;
    double area_m2 = 0.0;       // of `polygon`
    double reached_length_m = 0.0; // length of the reached network within this budget
};

// Throws yike::config_error if an option is out of range (negative or non-finite widths, a
// simplification not smaller than the buffer, a non-positive precision, ...).
void validate(const IsochroneOptions& options);

// One band per budget (budgets strictly ascending), from one search per budget over `origins`.
// The search object is reused and left holding the run of the largest budget.
[[nodiscard]] std::vector<IsochroneBand> build_isochrones(routing::BoundedSearch& search,
                                                          std::span<const routing::Origin> origins,
                                                          std::span<const routing::Cost> budgets_ascending,
                                                          routing::Metric metric,
                                                          const IsochroneOptions& options = {});

// Isochrones of one origin among many (isochrones_from_points).
struct OriginIsochrones {
    std::optional<routing::SnapResult> snap; // unset: no walkable street within the snap distance
    std::string error;                       // why, when `snap` is unset
    std::vector<IsochroneBand> bands;
    std::vector<routing::ReachedSpan> spans; // of the largest budget, when asked for
};

// Each origin snapped to its nearest walkable street within `max_snap_m` and its bands built on
// `threads` workers (0: all cores), results by origin index so they never depend on the thread
// count; `step`, when given, is called once per origin from the worker threads. Used by
// `yike isochrone` and the Python module alike.
[[nodiscard]] std::vector<OriginIsochrones> isochrones_from_points(
    const routing::WalkGraph& graph, const routing::Snapper& snapper, std::span<const routing::LonLat> origins,
    std::span<const routing::Cost> budgets_ascending, routing::Metric metric, const IsochroneOptions& options,
    double max_snap_m, bool with_spans, unsigned threads, const std::function<void()>& step = {});

// The polygon (nested form) covering the given reached spans of `graph`.
[[nodiscard]] MultiPolygon polygon_from_spans(const routing::WalkGraph& graph,
                                              std::span<const routing::ReachedSpan> spans,
                                              const IsochroneOptions& options = {});

// Bands from the reached spans of each budget (ascending budgets, so each set of spans contains
// the previous one): nested polygons, or rings when options.disjoint_bands. build_isochrones is
// this applied to one search per budget.
[[nodiscard]] std::vector<MultiPolygon> bands_from_spans(const routing::WalkGraph& graph,
                                                         std::span<const std::vector<routing::ReachedSpan>> spans_per_band,
                                                         const IsochroneOptions& options = {});

// The reach of a search drawn at any size, for maps (the HTML report): the same corridor of
// `buffer_m` either side of the reached spans, traced on a lattice whose spacing grows with the
// reach's extent so that it never holds more than `max_corners` corners (2 m for a district's reach,
// about 10 m across a 40 km city), with no GEOS overlay and no output grid; holes under
// `fill_holes_below_m2` filled. Rings as in MultiPolygon (closed, exteriors counter-clockwise), in
// a fixed order for the same input. Not the exact isochrone: vertices lie within buffer_m + the
// lattice spacing + simplify_m of the network.
struct ReachOutlineOptions {
    double buffer_m = 30.0;
    double simplify_m = 0.5;
    double min_cell_m = 2.0;
    std::size_t max_corners = 8'000'000;
    double fill_holes_below_m2 = 5'000.0;
};
[[nodiscard]] MultiPolygon reach_outline(const routing::WalkGraph& graph, std::span<const routing::ReachedSpan> spans,
                                         const ReachOutlineOptions& options = {});

// The geometry of a reached span: the edge's geometry from begin_cm to end_cm (geodesic length
// from the edge's tail, as in routing), cut inside segments by linear interpolation. A span of
// zero length gives two equal points.
[[nodiscard]] std::vector<routing::LonLat> span_polyline(const routing::WalkGraph& graph,
                                                         const routing::ReachedSpan& span);
// The same in the graph's projection (metres).
[[nodiscard]] std::vector<routing::XY> span_polyline_xy(const routing::WalkGraph& graph,
                                                        const routing::ReachedSpan& span);

} // namespace yike::engine
