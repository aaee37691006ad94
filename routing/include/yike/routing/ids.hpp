#pragma once
// Dense 32-bit ids and integer costs used throughout the routing core.
#include <cstdint>
#include <limits>

namespace yike::routing {

using NodeId = std::uint32_t;
using ArcId = std::uint32_t;
using EdgeId = std::uint32_t;

// "No such node/arc/edge": expected misses are reported with this, never with an exception.
inline constexpr std::uint32_t invalid_id = std::numeric_limits<std::uint32_t>::max();

// Costs are integers (milliseconds for time, centimetres for length) so results are exactly
// reproducible on every machine.
using Cost = std::uint32_t;
inline constexpr Cost inf_cost = (Cost{1} << 31) - 1;
static_assert(std::uint64_t{inf_cost} + inf_cost < std::numeric_limits<Cost>::max(),
              "inf_cost + inf_cost must not overflow");

// The cost a search adds up: walking time (ms) or walked length (cm).
enum class Metric : std::uint8_t { time_ms, length_cm };

// Which way a search adds up costs once arcs may cost differently in their two directions
// (slope): `from_sources` gives the cost of walking from the nearest source to each node
// (isochrones from a point), `to_sources` the cost of walking from each node to its nearest
// source (households walking to facilities). On a graph without directional costs both agree.
enum class Direction : std::uint8_t { from_sources, to_sources };

} // namespace yike::routing
