#pragma once
// Reached spans as lines (span_polyline, span_polyline_xy in yike/engine/isochrone.hpp) and their
// simplification, shared by the isochrone corridor and the reach outline.
#include <cstddef>
#include <utility>
#include <vector>

#include "yike/routing/geo.hpp"

namespace yike::engine::detail {

// Douglas-Peucker in place: every dropped point lies within `tolerance` of the kept line. `stack`
// and `keep` are scratch reused between calls.
void simplify(std::vector<routing::XY>& line, double tolerance, std::vector<std::pair<std::size_t, std::size_t>>& stack,
              std::vector<char>& keep);

} // namespace yike::engine::detail
