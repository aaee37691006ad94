#pragma once
// Random facilities, candidates and households on a random graph, for the differential tests that
// compare the engine's many-source searches with one search per source.
#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "yike/routing/graph.hpp"
#include "yike/routing/search.hpp"

namespace yike::test {

using Sites = std::vector<std::optional<routing::Origin>>;

class RandomSites {
public:
    RandomSites(const routing::WalkGraph& g, std::mt19937_64& rng)
        : m_graph(g), m_rng(rng), m_edge(0, g.edge_count() - 1) {}

    // True `percent` times in a hundred.
    bool chance(int percent) { return m_percent(m_rng) < percent; }

    // On edge e, at offsets up to a little past its end (clamped, as by the seeds); on the network
    // one time in five, else up to 40 m off it.
    routing::Origin on(routing::EdgeId e) {
        routing::Origin o;
        o.edge = e;
        o.offset_cm = std::uniform_int_distribution<std::uint32_t>(0, m_graph.edge_length_cm[e] + 30)(m_rng);
        o.offnet_cm = chance(20) ? 0 : m_offnet(m_rng);
        return o;
    }
    routing::Origin anywhere() { return on(m_edge(m_rng)); }

    // `count` households: one in twenty unsnapped; of the others `near_percent` in a hundred on the
    // edge of site i % sites.size() (when it is snapped), to exercise same-edge walks; the rest anywhere.
    Sites demand_near(const Sites& sites, int count, int near_percent) {
        Sites demand;
        for (int i = 0; i < count; ++i) {
            const auto& s = sites[static_cast<std::size_t>(i) % sites.size()];
            if (chance(5)) {
                demand.emplace_back(std::nullopt);
            } else if (s && chance(near_percent)) {
                demand.emplace_back(on(s->edge));
            } else {
                demand.emplace_back(anywhere());
            }
        }
        return demand;
    }

private:
    const routing::WalkGraph& m_graph;
    std::mt19937_64& m_rng;
    std::uniform_int_distribution<routing::EdgeId> m_edge;
    std::uniform_int_distribution<std::uint32_t> m_offnet{0, 4000};
    std::uniform_int_distribution<int> m_percent{0, 99};
};

} // namespace yike::test
