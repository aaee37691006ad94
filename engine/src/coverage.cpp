#include "yike/engine/coverage.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "detail/demand_eval.hpp"
#include "yike/assert.hpp"
#include "yike/error.hpp"

namespace yike::engine {

namespace {

using routing::Cost;
using routing::EdgeId;
using routing::inf_cost;
using routing::invalid_id;
using routing::Metric;
using routing::Origin;
using routing::WalkGraph;

using detail::along_same_edge;

// Every search from facilities to demand runs towards the facilities: a household walks there.
constexpr routing::Direction towards = routing::Direction::to_sources;
using detail::saturating_add;
using detail::take_better;

// A search budget must stay below inf_cost; a larger limit means "everything reachable".
Cost search_budget(Cost limit) noexcept { return std::min<Cost>(limit, inf_cost - 1); }

// The cost from the search's sources to `o` through either end of o's edge, without o's own
// off-network leg (the caller adds it), and the label that achieves it (lowest on ties).
using Reach = detail::PointReach;

Reach through_ends(const routing::BoundedSearch& search, const Origin& o, Metric metric) noexcept {
    const WalkGraph& g = search.graph();
    Reach best;
    const routing::NodeId tail = g.edge_tail[o.edge];
    const routing::NodeId head = g.edge_head[o.edge];
    const routing::Direction dir = search.direction();
    if (const Cost d = search.distance(tail); d != inf_cost) {
        take_better(best, saturating_add(d, routing::end_to_offset_cost(g, o.edge, false, o.offset_cm, metric, dir)),
                    search.source(tail));
    }
    if (const Cost d = search.distance(head); d != inf_cost) {
        take_better(best, saturating_add(d, routing::end_to_offset_cost(g, o.edge, true, o.offset_cm, metric, dir)),
                    search.source(head));
    }
    return best;
}

// Distance decay: 1 everywhere within d0 without decay, else the normalised Gaussian, which is 1
// at 0 and exactly 0 at d0.
class Decay {
public:
    explicit Decay(const CatchmentOptions& options) : m_gaussian(options.gaussian_decay), m_d0(options.threshold) {
        if (m_gaussian && m_d0 > 0) {
            const double d0 = static_cast<double>(m_d0);
            const double beta = options.gaussian_beta > 0.0 ? options.gaussian_beta : half_weight_beta(d0);
            m_beta = beta;
            m_floor = std::exp(-d0 * d0 / beta);
        }
    }

    [[nodiscard]] double operator()(Cost d) const noexcept {
        if (d > m_d0) {
            return 0.0;
        }
        if (!m_gaussian) {
            return 1.0;
        }
        if (m_d0 == 0 || d == m_d0) {
            // d0 = 0 leaves only d = 0, where the limit of the formula is 1; d = d0 is 0 exactly.
            return d == 0 ? 1.0 : 0.0;
        }
        const double x = static_cast<double>(d);
        return (std::exp(-x * x / m_beta) - m_floor) / (1.0 - m_floor);
    }

private:
    bool m_gaussian;
    Cost m_d0;
    double m_beta = 1.0;
    double m_floor = 0.0;
}; // class Decay

} // namespace

// The Gaussian β for which w(d0/2) = 1/2. With x = exp(-d0²/(4β)), w(d0/2) = (x - x⁴)/(1 - x⁴),
// and w = 1/2 gives x⁴ - 2x + 1 = (x - 1)(x³ + x² + x - 1) = 0; the root in (0, 1) of the cubic
// (≈ 0.5437) fixes β = -d0² / (4 ln x).
double half_weight_beta(double d0) {
    double x = 0.5;
    for (int i = 0; i < 60; ++i) {
        const double f = ((x + 1.0) * x + 1.0) * x - 1.0;
        const double df = (3.0 * x + 2.0) * x + 1.0;
        x -= f / df;
    }
    return -d0 * d0 / (4.0 * std::log(x));
}

PreparedDemand prepare_demand(const WalkGraph& g, std::span<const std::optional<routing::Origin>> demand,
                              Metric metric) {
    PreparedDemand p;
    p.metric = metric;
    const std::size_t n = demand.size();
    p.edge.assign(n, invalid_id);
    p.offset_cm.assign(n, 0);
    p.tail.assign(n, invalid_id);
    p.head.assign(n, invalid_id);
    p.from_tail.assign(n, inf_cost);
    p.from_head.assign(n, inf_cost);
    p.offnet.assign(n, inf_cost);
    for (std::size_t i = 0; i < n; ++i) {
        if (!demand[i]) {
            continue;
        }
        const Origin& d = *demand[i];
        YIKE_ASSERT(d.edge < g.edge_count());
        p.edge[i] = d.edge;
        p.offset_cm[i] = d.offset_cm;
        p.tail[i] = g.edge_tail[d.edge];
        p.head[i] = g.edge_head[d.edge];
        p.from_tail[i] = routing::end_to_offset_cost(g, d.edge, false, d.offset_cm, metric, towards);
        p.from_head[i] = routing::end_to_offset_cost(g, d.edge, true, d.offset_cm, metric, towards);
        p.offnet[i] = routing::offnet_cost(g, d.offnet_cm, metric);
    }
    return p;
}

NearestResult nearest_facilities(routing::BoundedSearch& search, const PreparedDemand& demand,
                                 std::span<const std::optional<routing::Origin>> facilities, routing::Cost limit) {
    const WalkGraph& g = search.graph();
    const Metric metric = demand.metric;
    const Cost budget = search_budget(limit);

    // Seeds labelled with the facility index, and the facilities of every edge for the
    // same-edge case (sorted by edge, then index, so the lowest index is met first). Edges holding
    // a facility are marked so that most points skip the lookup.
    std::vector<routing::Seed> seeds;
    seeds.reserve(2 * facilities.size());
    std::vector<std::pair<EdgeId, std::uint32_t>> on_edge;
    std::vector<bool> edge_has_facility(g.edge_count(), false);
    for (std::size_t j = 0; j < facilities.size(); ++j) {
        if (!facilities[j]) {
            continue;
        }
        YIKE_ASSERT(facilities[j]->edge < g.edge_count());
        Origin o = *facilities[j];
        o.source = static_cast<std::uint32_t>(j);
        routing::append_seeds(g, o, metric, seeds, towards);
        on_edge.emplace_back(o.edge, static_cast<std::uint32_t>(j));
        edge_has_facility[o.edge] = true;
    }
    std::sort(on_edge.begin(), on_edge.end());
    search.run(std::span<const routing::Seed>(seeds), budget, metric, towards);

    NearestResult result;
    result.cost.assign(demand.size(), inf_cost);
    result.facility.assign(demand.size(), invalid_id);
    for (std::size_t i = 0; i < demand.size(); ++i) {
        const EdgeId e = demand.edge[i];
        if (e == invalid_id) {
            continue;
        }
        Reach best = detail::through_prepared_ends(search, demand, i);
        if (edge_has_facility[e]) {
            Origin here;
            here.edge = e;
            here.offset_cm = demand.offset_cm[i];
            const auto range = std::equal_range(on_edge.begin(), on_edge.end(), std::pair<EdgeId, std::uint32_t>{e, 0},
                                                [](const auto& a, const auto& b) { return a.first < b.first; });
            for (auto it = range.first; it != range.second; ++it) {
                take_better(best, along_same_edge(g, *facilities[it->second], here, metric, towards), it->second);
            }
        }
        if (const Cost total = detail::within_limit(best.cost, demand.offnet[i], limit); total != inf_cost) {
            result.cost[i] = total;
            result.facility[i] = best.source;
        }
    }
    return result;
}

NearestResult nearest_facilities(routing::BoundedSearch& search, std::span<const std::optional<routing::Origin>> demand,
                                 std::span<const std::optional<routing::Origin>> facilities, routing::Metric metric,
                                 routing::Cost limit) {
    return nearest_facilities(search, prepare_demand(search.graph(), demand, metric), facilities, limit);
}

CatchmentResult floating_catchment(routing::BoundedSearch& search, std::span<const std::optional<routing::Origin>> demand,
                                   std::span<const double> demand_weight,
                                   std::span<const std::optional<routing::Origin>> facilities,
                                   std::span<const double> capacity, const CatchmentOptions& options) {
    YIKE_ASSERT(demand_weight.size() == demand.size());
    YIKE_ASSERT(capacity.size() == facilities.size());
    YIKE_ASSERT(options.threshold < inf_cost);
    for (std::size_t j = 0; j < capacity.size(); ++j) {
        if (!(capacity[j] >= 0.0) || std::isinf(capacity[j])) {
            throw config_error("floating catchment: facility " + std::to_string(j) + " has capacity " +
                               std::to_string(capacity[j]) + " (must be a finite number >= 0)");
        }
    }
    for (std::size_t i = 0; i < demand_weight.size(); ++i) {
        if (!(demand_weight[i] >= 0.0) || std::isinf(demand_weight[i])) {
            throw config_error("floating catchment: demand point " + std::to_string(i) + " has weight " +
                               std::to_string(demand_weight[i]) + " (must be a finite number >= 0)");
        }
    }
    const WalkGraph& g = search.graph();
    const Metric metric = options.metric;
    const Cost d0 = options.threshold;
    const Decay weight(options);

    // Demand points of every edge (CSR by edge, indices ascending within an edge).
    std::vector<std::uint32_t> first(std::size_t{g.edge_count()} + 1, 0);
    for (const auto& d : demand) {
        if (d) {
            YIKE_ASSERT(d->edge < g.edge_count());
            ++first[d->edge + 1];
        }
    }
    for (std::size_t e = 0; e < g.edge_count(); ++e) {
        first[e + 1] += first[e];
    }
    std::vector<std::uint32_t> by_edge(first.back());
    {
        std::vector<std::uint32_t> fill(first.begin(), first.end() - 1);
        for (std::size_t i = 0; i < demand.size(); ++i) {
            if (demand[i]) {
                by_edge[fill[demand[i]->edge]++] = static_cast<std::uint32_t>(i);
            }
        }
    }

    CatchmentResult result;
    result.facility_ratio.assign(facilities.size(), 0.0);
    result.facility_demand.assign(facilities.size(), 0.0);
    result.demand_access.assign(demand.size(), 0.0);

    // Step 1 keeps every (demand, weight) pair of a facility so step 2 needs no second search.
    struct Pair {
        std::uint32_t demand;
        double weight;
    };
    std::vector<std::vector<Pair>> within(facilities.size());
    std::vector<std::uint32_t> edge_seen(g.edge_count(), invalid_id);
    std::vector<EdgeId> edges;
    for (std::size_t j = 0; j < facilities.size(); ++j) {
        if (!facilities[j]) {
            continue;
        }
        const Origin f = *facilities[j];
        YIKE_ASSERT(f.edge < g.edge_count());
        search.run(std::span<const Origin>(&f, 1), d0, metric, towards);
        const auto mark = static_cast<std::uint32_t>(j);
        edges.clear();
        auto visit = [&](EdgeId e) {
            if (edge_seen[e] != mark) {
                edge_seen[e] = mark;
                edges.push_back(e);
            }
        };
        visit(f.edge);
        for (const routing::NodeId u : search.settled()) {
            for (routing::ArcId a = g.first_out[u]; a < g.first_out[u + 1]; ++a) {
                visit(WalkGraph::edge_of_arc_value(g.arc_edge[a]));
            }
        }
        std::vector<Pair>& pairs = within[j];
        for (const EdgeId e : edges) {
            for (std::uint32_t k = first[e]; k < first[e + 1]; ++k) {
                const std::uint32_t i = by_edge[k];
                const Origin& d = *demand[i];
                Cost c = through_ends(search, d, metric).cost;
                if (e == f.edge) {
                    c = std::min(c, along_same_edge(g, f, d, metric, towards));
                }
                c = saturating_add(c, routing::offnet_cost(g, d.offnet_cm, metric));
                if (c <= d0) {
                    pairs.push_back({i, weight(c)});
                }
            }
        }
        // Sums in demand order, so the figures do not depend on the order of the search.
        std::sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) { return a.demand < b.demand; });
        double p = 0.0;
        for (const Pair& pr : pairs) {
            p += pr.weight * demand_weight[pr.demand];
        }
        result.facility_demand[j] = p;
        result.facility_ratio[j] = p > 0.0 ? capacity[j] / p : 0.0;
    }
    // Step 2, facilities in index order.
    for (std::size_t j = 0; j < facilities.size(); ++j) {
        const double r = result.facility_ratio[j];
        for (const Pair& pr : within[j]) {
            result.demand_access[pr.demand] += pr.weight * r;
        }
    }
    return result;
}

} // namespace yike::engine
