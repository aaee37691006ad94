#pragma once
// A built walking graph saved as one binary file and loaded back through a memory map, so that
// repeated runs skip the OSM parse.
//
// Layout (native little-endian, every array padded to 8 bytes):
//   header  magic "YIKEGRPH", format version, endianness tag, file size, checksum of the body
//   body    counts, projection origin, walking speed, the WalkGraph arrays in a fixed order, and an
//           opaque "extra" block that the caller owns (io keeps its read statistics there).
// A file written by another format version, on a machine of the other byte order, cut short, or
// with any changed byte is rejected with a yike::io_error naming the file.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "yike/routing/graph.hpp"

namespace yike::routing {

inline constexpr std::uint32_t graph_file_version = 1;

// The 64-bit checksum used by the file (exposed for tests): a four-lane multiply-rotate hash
// over 8-byte little-endian words; `bytes.size()` must be a multiple of 8.
std::uint64_t graph_file_hash(std::span<const std::byte> bytes) noexcept;

// Writes `graph` and `extra` to `path` (through a temporary file renamed into place).
// Throws yike::io_error naming the file when it cannot be written.
void save_walk_graph(const std::filesystem::path& path, const WalkGraph& graph, std::span<const std::byte> extra = {});

struct LoadedGraph {
    WalkGraph graph;
    std::vector<std::byte> extra;
}; // struct LoadedGraph

// Maps `path`, checks header, size and checksum, and copies the arrays out. Throws
// yike::io_error naming the file when it is missing, not a graph file, of another version or
// byte order, truncated, corrupt, or structurally inconsistent.
LoadedGraph load_walk_graph(const std::filesystem::path& path);

} // namespace yike::routing
