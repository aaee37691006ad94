#pragma once
// The one polygon type of yike, in lon/lat: isochrones, community and area layers, OSM areas and
// buildings all use it, with area and point-in-polygon written once here.
#include <vector>

#include "yike/routing/geo.hpp"

namespace yike::routing {

// A closed ring: points.front() == points.back().
struct Ring {
    std::vector<LonLat> points;
};

struct Polygon {
    Ring exterior;           // counter-clockwise where yike builds it (isochrones); as read elsewhere
    std::vector<Ring> holes;
};

// One or more polygons (a valid OGC/RFC 7946 MultiPolygon where yike builds it).
using MultiPolygon = std::vector<Polygon>;

// The exterior, then the holes: the order of rings in GeoJSON, WKB and OGR.
[[nodiscard]] std::vector<const Ring*> rings_of(const Polygon& polygon);

// Unsigned area in square metres of the ring on `proj` (a projection near the ring: relative
// error < 1e-3 within a city). Coordinates are taken relative to the ring's first point, so that
// rings far from the projection's origin keep their precision.
[[nodiscard]] double ring_area_m2(const Ring& ring, const LocalProjection& proj) noexcept;
// The exterior's area less the holes'.
[[nodiscard]] double polygon_area_m2(const Polygon& polygon, const LocalProjection& proj) noexcept;

// Even-odd crossing test against the ring alone; a point on the boundary may fall either way.
[[nodiscard]] bool ring_contains(const Ring& ring, LonLat p) noexcept;
// Inside the exterior and outside every hole; a point on any ring's boundary counts as inside
// (a household on a community's edge belongs to it).
[[nodiscard]] bool polygon_contains(const Polygon& polygon, LonLat p) noexcept;
[[nodiscard]] bool multipolygon_contains(const MultiPolygon& polygons, LonLat p) noexcept;

} // namespace yike::routing
