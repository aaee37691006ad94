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

// ---- reading part of an extract (a tile's halo) ---------------------------------------------

// What a reader of part of an extract needs to know of the whole network of one profile, and
// cannot learn from the part: the box of its points (the frame of the Hilbert numbering and the
// projection's origin) and the largest extent of any one segment (how far outside a box the
// ends of a segment crossing it can lie). `yike tiles` computes them from the whole graph.
struct NetworkPartFrame {
    routing::GraphFrame frame;
    std::int32_t max_segment_dlon_e7 = 0;
    std::int32_t max_segment_dlat_e7 = 0;
    friend bool operator==(const NetworkPartFrame&, const NetworkPartFrame&) = default;
};
NetworkPartFrame network_part_frame(const routing::WalkGraph& graph) noexcept;

// A box in degrees (west <= east, south <= north; empty when west > east).
struct DegreeBox {
    double west = 1.0;
    double south = 1.0;
    double east = 0.0;
    double north = 0.0;
    [[nodiscard]] bool empty() const noexcept { return !(west <= east) || !(south <= north); }
};

// Reads only the part of the extract a box needs, for each profile with its whole network's
// `frames[p]`: the graph it returns holds every edge of the whole graph (read_walk_networks) of
// which some segment's box meets `box`, with the same points, costs and OSM ids, and its nodes
// and edges in the same relative order, projected as the whole graph is; it may hold other
// edges, whose segments' boxes all miss `box` (cut_graph_to_box in the engine drops them).
// How: the ways with a node within the box widened by the longest segment (every way with a
// segment meeting the box has both ends of it there), plus every way sharing a node with them, so
// that each of their nodes is a junction exactly when it is one in the whole network. Memory
// follows those ways, not the extract. The report counts what was read (not the whole network's
// figures, which the caller takes from the whole read); a part may be empty.
std::vector<WalkNetwork> read_walk_network_parts(const std::filesystem::path& osm_file,
                                                 std::span<const WalkProfile> profiles,
                                                 std::span<const NetworkPartFrame> frames, const DegreeBox& box);

} // namespace yike::io
