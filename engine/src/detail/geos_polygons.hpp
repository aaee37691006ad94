#pragma once
// Isochrone polygons to and from GEOS.
#include "geos_context.hpp"
#include "yike/engine/isochrone.hpp"

namespace yike::engine::detail {

// Appends the polygons of `g` (a polygon, multipolygon or collection) snapped to `grid` degrees,
// exteriors counter-clockwise and holes clockwise, each ring starting at its smallest point.
void collect_polygons(GeosContext& ctx, const GEOSGeometry* g, double grid, MultiPolygon& out);

// Polygons in a canonical order, so that equal geometry gives equal bytes.
void sort_canonically(MultiPolygon& mp);

GeomPtr to_geos(GeosContext& ctx, const MultiPolygon& mp);

} // namespace yike::engine::detail
