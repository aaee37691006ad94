#pragma once
// The cut a tile run makes once the whole run's inputs are read: which demand points and
// facilities are its core, its halo box, and which sites can be snapped exactly within it (doc/batch.md, "The halo").
#include <cstdint>
#include <vector>

#include "yike/engine/tiles.hpp"
#include "yike/routing/graph.hpp"

namespace yike::engine {
struct CoverageData;
}

namespace yike::engine::detail {

struct TileCut {
    TileCutInfo info;
    io::DegreeBox halo; // the halo box: the graphs keep what cut_graph_to_box keeps of it
    // Per demand record / facility: 1 when every point it may snap from lies at least the snap
    // distance inside the halo, so its snap on the tile's graphs equals the whole run's.
    std::vector<std::uint8_t> snap_demand;
    std::vector<std::uint8_t> snap_facility;
};

// Throws config_error when the window's index is not one of its grid's tiles.
void check_tile_index(const TileWindow& window);

// The core, the halo and what can be snapped in it, from the run's sites. fastest_cm_per_ms: the
// fastest edge of either walking network (fastest_cm_per_ms); limit_length_cm / limit_time_ms:
// the bounds of the run's nearest-facility searches (at least twice every catchment threshold).
TileCut plan_tile(const TileWindow& window, const CoverageData& data, double fastest_cm_per_ms, double max_snap_m,
                  std::int64_t limit_length_cm, std::int64_t limit_time_ms);

} // namespace yike::engine::detail
