#pragma once
// The manifest of a tiled coverage run (WORK/manifest.json, written by `yike tiles`): the coverage
// options every tile runs with, the tile grid, and a checksum so a manifest edited by hand is
// refused instead of silently giving tiles that do not fit together.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "yike/engine/coverage_run.hpp"
#include "yike/engine/tiles.hpp"

namespace yike::cli {

struct TileManifest {
    std::vector<std::string> coverage_args; // the coverage options, paths made absolute
    engine::TileGrid grid;
    double tile_km = 0.0;
    std::optional<double> unsafe_halo_m; // only for tests that show a too-small halo is caught
    // What a tile's bounded reader needs of the whole networks (yike tiles reads them once).
    engine::TileNetworkFacts network;
    std::uint64_t id = 0;                // checksum of everything above

    // Identity of the settings a tile runs with (the manifest's options plus `extra`).
    [[nodiscard]] std::uint64_t settings_hash(const std::vector<std::string>& extra = {}) const;
};

// FNV-1a, 64 bits: identity, not security (a manifest is trusted input that may be damaged).
std::uint64_t fnv1a(std::string_view bytes, std::uint64_t h = 14695981039346656037ULL);

// The options given on `cmd` as command-line words (skipping `skip`), values that name existing
// files made absolute so the words work from any folder.
std::vector<std::string> given_options(const CLI::App& cmd, const std::vector<std::string>& skip);

void write_tile_manifest(const std::filesystem::path& file, TileManifest& manifest);
// Throws io_error / data_error naming the file: missing, not JSON, edited by hand (checksum).
TileManifest read_tile_manifest(const std::filesystem::path& file);

// The coverage settings of the manifest's options followed by `extra` (options given to one tile:
// they change its settings hash, so the merge refuses that tile).
engine::CoverageSettings manifest_settings(const TileManifest& manifest, const std::vector<std::string>& extra = {});

// The file holding tile `index`'s result, next to the manifest.
std::filesystem::path tile_result_path(const std::filesystem::path& work, std::uint32_t index);

} // namespace yike::cli
