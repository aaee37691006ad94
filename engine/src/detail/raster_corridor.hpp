#pragma once
// The corridor of reached lines (all points within `w` metres) traced on a lattice of `cell`
// metres; see raster_corridor.cpp.
#include <vector>

#include "yike/routing/geo.hpp"

namespace yike::engine::detail {

// Polygons (exterior, holes) in projected metres.
std::vector<std::vector<std::vector<routing::XY>>> raster_corridor(const std::vector<std::vector<routing::XY>>& lines,
                                                                   double w, double cell);

} // namespace yike::engine::detail
