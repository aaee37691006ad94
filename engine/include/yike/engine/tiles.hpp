#pragma once
// Tiled coverage runs: the study area is cut into a grid of tiles; each tile computes the demand
// points and facilities of its core on the part of the network within its halo, and the tiles'
// results are merged into the CoverageData a monolithic run gives, exactly (doc/batch.md argues
// the halo; tests compare merged and monolithic reports byte for byte).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "yike/routing/geo.hpp"
#include "yike/routing/graph.hpp"
#include "yike/routing/search.hpp"

namespace yike::engine {

struct CoverageData;
struct CoverageNetworks;

// A regular lon/lat grid. Every point belongs to exactly one tile: points outside the grid go to
// the nearest border tile, so a demand point or facility outside the extract's bounds is still
// someone's core. The same doubles give the same tile in every process.
struct TileGrid {
    double lon0 = 0.0; // south-west corner
    double lat0 = 0.0;
    double dlon = 1.0; // tile size in degrees
    double dlat = 1.0;
    std::uint32_t cols = 1;
    std::uint32_t rows = 1;

    [[nodiscard]] std::uint32_t count() const noexcept { return cols * rows; }
    // Row-major from the south-west corner.
    [[nodiscard]] std::uint32_t tile_of(routing::LonLat p) const noexcept;
};

// Tiles of about `tile_km` on a side over the box [lo, hi]; throws config_error for a size that is
// not in [0.1, 1000] km or for more than 100,000 tiles.
TileGrid make_tile_grid(routing::LonLat lo, routing::LonLat hi, double tile_km);
// Over the box of the graph's nodes: the walking network, not every node of the extract (extracts
// hold whole boundary relations reaching far beyond the streets). Sites outside go to border tiles.
TileGrid make_tile_grid(const routing::WalkGraph& graph, double tile_km);

// Which tile a coverage run computes. halo_m replaces the derived halo: for tests that show a
// halo below the bound breaks exactness, never for real runs.
struct TileWindow {
    TileGrid grid;
    std::uint32_t index = 0;
    std::optional<double> halo_m;
};

// What a tile run recorded about its cut, for the tile result (yike/viz/tile_result.hpp) and for messages.
struct TileCutInfo {
    std::vector<std::uint8_t> core_demand;   // per demand record of the whole run: 1 when in the core
    // A tile run keeps only the demand records it may snap (its core and what lies well inside its
    // halo), in their order: record k of its CoverageData is record demand_index[k] of the whole
    // run, which has demand_total records.
    std::vector<std::uint32_t> demand_index;
    std::uint32_t demand_total = 0;
    std::vector<std::uint8_t> core_facility; // per facility record
    std::vector<std::uint32_t> walk_edge;    // tile walk graph edge -> edge of the whole graph
    std::vector<std::uint32_t> senior_edge;
    double halo_m = 0.0;  // the halo used (derived unless TileWindow::halo_m)
    double reach_m = 0.0; // its parts: the longest path the searches can walk,
    double snap_m = 0.0;  //   the snap distance,
    double entrance_m = 0.0; // the largest distance from a site to one of its entrances
    std::uint32_t core_demand_count = 0;
    std::uint32_t core_facility_count = 0;
    std::uint32_t graph_edges = 0; // edges of the tile's walk graph
};

} // namespace yike::engine
