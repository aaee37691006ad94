#pragma once
// A walking network saved as a binary graph file (routing/graph_file.hpp) together with what the
// OSM reader reported and the profile it was built for, so `--graph FILE` can stand in for
// `--osm FILE` on repeated runs.
#include <filesystem>

#include "yike/io/osm_network.hpp"

namespace yike::io {

// Throws yike::io_error naming the file when it cannot be written.
void save_walk_network(const std::filesystem::path& path, const WalkNetwork& network);

// Throws yike::io_error naming the file when it is missing, of another format version or byte
// order, truncated or corrupt.
WalkNetwork load_walk_network(const std::filesystem::path& path);

} // namespace yike::io
