#pragma once
// Tile results: the file a tile run writes (the core rows of its CoverageData, snaps with edges named
// by engine::EdgeKey, costs, catchment figures) and the merge that reads all tiles of a manifest back into the
// CoverageData a monolithic run gives. The format lives here, beside the other run outputs, so the
// engine computes tiles (yike/engine/tiles.hpp) without reading or writing files.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "yike/engine/tiles.hpp"

namespace yike::engine {
struct CoverageData;
}

namespace yike::viz {

// Identity of a tile result: which manifest, which settings, which tile.
struct TileStamp {
    std::uint64_t manifest_id = 0;
    std::uint64_t settings_hash = 0;
    std::uint32_t index = 0;
    std::uint32_t count = 0;
};

// Writes the core rows of a tile run (demand, facilities, their snaps (edges by EdgeKey),
// costs, catchment figures) and the run header to `file` (atomically: temporary file, rename).
void write_tile_result(const std::filesystem::path& file, const TileStamp& stamp, const engine::CoverageData& data,
                       const engine::TileCutInfo& cut);

// Reads the tile results of one manifest (files[i] must hold tile i) into the CoverageData a
// monolithic run gives, except the standard and category mapping, which the caller loads from the
// settings. Snaps name edges by engine::EdgeKey; `walk` and `senior` are the whole run's graphs,
// whose edge ids the merged snaps take. Also returns the walking positions of the senior
// profile's facility snaps (for the HTML report). Throws data_error naming the file when a tile
// is missing, comes from another manifest, was computed with other settings, does not fit the
// others or names an edge the graphs lack.
void merge_tile_results(const std::vector<std::filesystem::path>& files, const TileStamp& expected,
                        engine::CoverageData& data, std::vector<std::optional<routing::Origin>>& facility_senior,
                        const routing::WalkGraph& walk, const routing::WalkGraph& senior);

} // namespace yike::viz
