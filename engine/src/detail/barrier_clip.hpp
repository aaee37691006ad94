#pragma once
// Cutting an isochrone corridor at barrier lines (see isochrone_barriers.hpp, doc/isochrones.md).
#include <vector>

#include "geos_context.hpp"
#include "yike/engine/isochrone_barriers.hpp"
#include "yike/routing/geo.hpp"

namespace yike::engine::detail {

// `corridor` is the corridor (polygons in `projection`'s metres) of the reached `lines` (same
// frame; a line of one point is a reached point). Returns the corridor cut along the barrier
// segments crossing it, keeping only the pieces that hold part of a reached line. When no barrier
// cuts the corridor into pieces, or every piece holds part of the network, the corridor is
// returned unchanged (so outputs without barriers nearby are those of an unclipped run).
GeomPtr clip_at_barriers(GeosContext& ctx, GeomPtr corridor, const std::vector<std::vector<routing::XY>>& lines,
                         const IsochroneBarriers& barriers, const routing::LocalProjection& projection,
                         double buffer_m);

} // namespace yike::engine::detail
