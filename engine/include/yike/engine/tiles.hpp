#pragma once
// Tiled coverage runs: the study area is cut into a grid of tiles; each tile computes the demand
// points and facilities of its core on the part of the network within its halo, and the tiles'
// results are merged into the CoverageData a monolithic run gives, exactly (doc/batch.md argues
// the halo; tests compare merged and monolithic reports byte for byte).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "yike/io/osm_network.hpp"
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

// What a tile run needs to know of the whole walking networks and cannot learn from the part of
// the extract it reads (its halo): each network's frame and longest segment (for the part's
// reader, io::read_walk_network_parts), the fastest edge of either (for the halo), and the walk
// network's figures the report names. `yike tiles` reads the whole networks once to fill it.
struct TileNetworkFacts {
    io::NetworkPartFrame walk;
    io::NetworkPartFrame senior;
    double fastest_cm_per_ms = 0.0;
    std::uint32_t walk_nodes = 0;
    std::uint32_t walk_edges = 0;
    std::uint64_t walk_way_nodes = 0;     // NetworkReport::walkable_way_nodes of the walk network
    std::uint64_t walk_missing_nodes = 0; // NetworkReport::missing_nodes
    friend bool operator==(const TileNetworkFacts&, const TileNetworkFacts&) = default;
};
TileNetworkFacts tile_network_facts(const io::WalkNetwork& walk, const io::WalkNetwork& senior);

// The largest speed (cm per ms) on any arc of the graph, or off it at the profile's speed: a path
// of time t is at most t times it long.
double fastest_cm_per_ms(const routing::WalkGraph& graph);

// Which tile a coverage run computes. halo_m replaces the derived halo: for tests that show a
// halo below the bound breaks exactness, never for real runs. With `network`, the run reads only
// its halo's part of the extract's ways (io::read_walk_network_parts); without, the whole
// networks, cut to the halo once built.
struct TileWindow {
    TileGrid grid;
    std::uint32_t index = 0;
    std::optional<double> halo_m;
    std::optional<TileNetworkFacts> network;
};

// The edges of which some segment's box meets `box`, in their order, with their nodes in theirs,
// projected as in `graph`: the whole graph's relative orders of nodes, edges and arcs are kept,
// so snapping ties (lowest edge id) and the searches' tie rules decide the same way on the part.
// `edge_map`, when given, receives the edge of `graph` each edge of the part is.
routing::WalkGraph cut_graph_to_box(const routing::WalkGraph& graph, const io::DegreeBox& box,
                                    std::vector<std::uint32_t>* edge_map = nullptr);

// Names an edge without the graph's numbering, so that a tile (which builds only its halo's part)
// and the merge (which reads the whole graph) name it alike: its way, its end nodes' OSM ids, a
// hash of its points, and its rank among the edges of the graph with the same four. Edges equal in
// the four have the same points, so a box keeps all or none of them, in their order: the rank is
// the same in the whole graph and in any part cut_graph_to_box keeps.
struct EdgeKey {
    std::int64_t way_id = 0;
    std::int64_t tail_osm_id = 0;
    std::int64_t head_osm_id = 0;
    std::uint64_t geometry = 0;
    std::uint32_t rank = 0;
    friend auto operator<=>(const EdgeKey&, const EdgeKey&) = default;
};
std::vector<EdgeKey> edge_keys(const routing::WalkGraph& graph);

// The edge of a graph each key names.
class EdgeKeyIndex {
public:
    explicit EdgeKeyIndex(const routing::WalkGraph& graph);
    // routing::invalid_id when no edge has the key.
    [[nodiscard]] std::uint32_t find(const EdgeKey& key) const;

private:
    std::vector<std::pair<EdgeKey, std::uint32_t>> m_sorted;
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
    std::vector<EdgeKey> walk_edge;          // the key of each edge of the tile's walk graph
    std::vector<EdgeKey> senior_edge;
    double halo_m = 0.0;  // the halo used (derived unless TileWindow::halo_m)
    double reach_m = 0.0; // its parts: the longest path the searches can walk,
    double snap_m = 0.0;  //   the snap distance,
    double entrance_m = 0.0; // the largest distance from a site to one of its entrances
    std::uint32_t core_demand_count = 0;
    std::uint32_t core_facility_count = 0;
    std::uint32_t graph_edges = 0; // edges of the tile's walk graph
};

} // namespace yike::engine
