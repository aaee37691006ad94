#pragma once
// Reads an OpenStreetMap extract (.osm.pbf, .osm, .osm.gz, .osm.bz2) into a walking graph.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "yike/io/dem.hpp"
#include "yike/io/profile.hpp"
#include "yike/routing/graph.hpp"

namespace yike::io {

// What the reader saw and decided, for statistics and warnings.
struct NetworkReport {
    std::uint64_t ways_read = 0;           // all ways in the file
    std::uint64_t walkable_ways = 0;       // ways the profile admits
    std::uint64_t walkable_way_nodes = 0;  // node references of walkable ways (the graph-size measure)
    std::uint64_t missing_nodes = 0;       // references to nodes absent from the extract (skipped)
    std::uint64_t blocking_barriers = 0;   // barrier nodes that cut a walkable way
    std::uint32_t component_count = 0;
    std::uint32_t largest_component_nodes = 0;
    SlopeReport slope; // what a DEM gave (all zero without one); not kept in graph files
}; // struct NetworkReport

struct WalkNetwork {
    routing::WalkGraph graph;
    NetworkReport report;
    std::string profile_name; // the walking profile the graph was built for
}; // struct WalkNetwork

// Throws yike::io_error naming the file when it is missing, unreadable, not OSM or truncated,
// and yike::data_error when it holds no walkable way.
// With `dem`, the profile's slope rules apply (apply_slope): uphill and downhill then cost
// differently; without it (nullptr) the graph is exactly what it was before DEMs were read.
WalkNetwork read_walk_network(const std::filesystem::path& osm_file, const WalkProfile& profile,
                              const ElevationModel* dem = nullptr);

// The warning for an extract whose walkable ways reference nodes it does not hold (a cut or
// corrupt extract): how many, and that the ways stop at the gaps.
std::string missing_nodes_text(const std::filesystem::path& osm_file, const NetworkReport& report);

// The networks of several profiles from one reading of the extract (each equal to what
// read_walk_network gives for its profile), in the order of `profiles`.
std::vector<WalkNetwork> read_walk_networks(const std::filesystem::path& osm_file, std::span<const WalkProfile> profiles,
                                            const ElevationModel* dem = nullptr);

} // namespace yike::io
