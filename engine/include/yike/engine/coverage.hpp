#pragma once
// Coverage core: snapping of facilities and households that respects walls and water and prefers
// entrances, nearest-facility costs for every demand point from one multi-source search per
// category, and capacity-aware floating-catchment measures (2SFCA, E2SFCA).
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "yike/io/inputs.hpp"
#include "yike/routing/graph.hpp"
#include "yike/routing/search.hpp"
#include "yike/routing/snap.hpp"

namespace yike::engine {

// Where a site (facility or demand point) joins the network, or why it does not.
struct SiteSnap {
    std::optional<routing::Origin> origin; // unset: not snapped (see reason)
    double distance_m = 0.0;               // straight walk from the site (or its entrance) to the network
    bool via_entrance = false;             // snapped from one of the site's entrances
    routing::LonLat snapped;               // the point on the network
    std::string reason;                    // why not snapped, e.g. "no walkable street within 300 m without crossing a wall"
};

// Snaps sites to the nearest walkable edge whose straight connection crosses no barrier line
// (walls, fences, water edges). Entrances, when given, are tried first: the site joins the
// network through the entrance nearest to the network. Build once; snap() is const and
// thread-safe.
class SiteSnapper {
public:
    SiteSnapper(const routing::WalkGraph& graph, std::span<const io::BarrierLine> barriers);
    ~SiteSnapper();
    SiteSnapper(SiteSnapper&&) noexcept;
    SiteSnapper& operator=(SiteSnapper&&) noexcept;

    [[nodiscard]] SiteSnap snap(routing::LonLat location, std::span<const routing::LonLat> entrances,
                                double max_snap_m, std::uint32_t source = 0) const;
    // True when the straight segment between a and b crosses a barrier line.
    [[nodiscard]] bool crosses_barrier(routing::LonLat a, routing::LonLat b) const;

    [[nodiscard]] const routing::WalkGraph& graph() const noexcept { return *m_graph; }

private:
    struct Impl;
    const routing::WalkGraph* m_graph;
    std::unique_ptr<Impl> m_impl;
}; // class SiteSnapper

// The cost from every demand point to its nearest facility, and which facility that is.
struct NearestResult {
    std::vector<routing::Cost> cost;       // per demand point; routing::inf_cost when no facility within the limit or not snapped
    std::vector<std::uint32_t> facility;   // index into the facilities given; routing::invalid_id when none
};

// Demand origins prepared once per graph and metric: the ends of each point's edge, the costs of
// walking between the point and them, and its off-network leg. Costs are those of walking *from
// the point* (households walk to facilities), for searches run towards the facilities
// (routing::Direction::to_sources); on a graph without directional times both ways agree. Evaluating many categories then costs a
// few loads per point instead of divisions and searches through the graph's arrays.
struct PreparedDemand {
    routing::Metric metric = routing::Metric::time_ms;
    std::vector<routing::EdgeId> edge;       // invalid_id: not snapped
    std::vector<std::uint32_t> offset_cm;
    std::vector<routing::NodeId> tail;
    std::vector<routing::NodeId> head;
    std::vector<routing::Cost> from_tail;    // walking between the point and the tail (from the point to it)
    std::vector<routing::Cost> from_head;
    std::vector<routing::Cost> offnet;       // the point's own off-network leg
    [[nodiscard]] std::size_t size() const noexcept { return edge.size(); }
};
PreparedDemand prepare_demand(const routing::WalkGraph& graph, std::span<const std::optional<routing::Origin>> demand,
                              routing::Metric metric);

// The same as nearest_facilities below, on demand prepared for the search's graph and metric.
NearestResult nearest_facilities(routing::BoundedSearch& search, const PreparedDemand& demand,
                                 std::span<const std::optional<routing::Origin>> facilities, routing::Cost limit);

// One multi-source search from all facilities (bounded by `limit`, run towards them: the cost is
// that of walking from the demand point to the facility), evaluated at every demand origin: min over both ends of the demand's edge and over facilities on the same edge, plus both
// off-network legs. Exactly the minimum over single-source searches (tested). Ties go to the
// lowest facility index. `search` must be built on the same graph.
NearestResult nearest_facilities(routing::BoundedSearch& search, std::span<const std::optional<routing::Origin>> demand,
                                 std::span<const std::optional<routing::Origin>> facilities, routing::Metric metric,
                                 routing::Cost limit);

// Distance decay for floating catchments: none (2SFCA) or Gaussian (enhanced 2SFCA):
// w(d) = (exp(-d²/β) - exp(-d0²/β)) / (1 - exp(-d0²/β)) for d <= d0 with β chosen so that
// w(d0/2) = 0.5 unless given.
struct CatchmentOptions {
    routing::Metric metric = routing::Metric::time_ms;
    routing::Cost threshold = 0; // d0
    bool gaussian_decay = false;
    double gaussian_beta = 0.0; // β in (metric unit)²; <= 0: chosen so that w(d0/2) = 0.5
};

// The Gaussian β (in the metric's unit squared) for which w(d0/2) = 1/2.
double half_weight_beta(double d0);

struct CatchmentResult {
    std::vector<double> facility_ratio; // R_j = S_j / sum of weighted demand within d0 (0 when no demand)
    std::vector<double> demand_access;  // A_i = sum of weighted R_j within d0
    std::vector<double> facility_demand; // weighted demand within d0 of each facility
};

// Two-step floating catchment: step 1 from each facility (one bounded search each, towards the
// facility as in nearest_facilities), step 2 sums
// at the demand points. `demand_weight` is the population counted (households, seniors, ...),
// `capacity` the supply of each facility (must be >= 0).
CatchmentResult floating_catchment(routing::BoundedSearch& search, std::span<const std::optional<routing::Origin>> demand,
                                   std::span<const double> demand_weight,
                                   std::span<const std::optional<routing::Origin>> facilities,
                                   std::span<const double> capacity, const CatchmentOptions& options);

} // namespace yike::engine
