#pragma once
// Areas of isochrone polygons on a local projection, and the filling of small holes.
#include "yike/engine/isochrone.hpp"
#include "yike/routing/geo.hpp"

namespace yike::engine::detail {

double ring_area_m2(const Ring& ring, const routing::LocalProjection& proj);
double polygon_area_m2(const Polygon& p, const routing::LocalProjection& proj);
routing::LocalProjection projection_for(const Ring& ring);

// Removes holes under the threshold; parts that sat inside a removed hole are dropped so the
// parts stay disjoint.
void fill_small_holes(MultiPolygon& mp, double threshold_m2, const routing::LocalProjection& proj);

} // namespace yike::engine::detail
