#pragma once
// The projection isochrone areas are measured on, and the filling of small holes (areas and
// point-in-polygon: yike/routing/polygon.hpp).
#include "yike/engine/isochrone.hpp"
#include "yike/routing/geo.hpp"

namespace yike::engine::detail {

routing::LocalProjection projection_for(const Ring& ring);

// Removes holes under the threshold; parts that sat inside a removed hole are dropped so the
// parts stay disjoint.
void fill_small_holes(MultiPolygon& mp, double threshold_m2, const routing::LocalProjection& proj);

} // namespace yike::engine::detail
