#pragma once
// Synthetic inputs shared by the benchmarks: a district-sized street grid and random points on it.
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "yike/routing/graph.hpp"
#include "yike/routing/search.hpp"

namespace yike::bench {

// A random point on a random edge, up to `max_offnet_cm` off it.
inline routing::Origin random_origin(const routing::WalkGraph& g, std::mt19937_64& rng, std::uint32_t max_offnet_cm) {
    const routing::EdgeId e = std::uniform_int_distribution<routing::EdgeId>(0, g.edge_count() - 1)(rng);
    routing::Origin o;
    o.edge = e;
    o.offset_cm = std::uniform_int_distribution<std::uint32_t>(0, g.edge_length_cm[e])(rng);
    o.offnet_cm = std::uniform_int_distribution<std::uint32_t>(0, max_offnet_cm)(rng);
    return o;
}

// A district-sized synthetic network (about Dongcheng, Beijing: ~42 km², dense hutong lanes): a
// 160 x 160 grid of streets 40 m apart (6.4 km x 6.4 km, 25,600 junctions), positions jittered
// with `seed` so that no two streets are alike.
inline routing::WalkGraph district_grid(std::uint64_t seed) {
    constexpr std::uint32_t side = 160;
    constexpr double spacing_m = 40.0;
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> jitter(-0.2 * spacing_m, 0.2 * spacing_m);
    const routing::LocalProjection projection({116.40, 39.90});
    std::vector<routing::LonLat> junction(side * side);
    for (std::uint32_t r = 0; r < side; ++r) {
        for (std::uint32_t c = 0; c < side; ++c) {
            junction[r * side + c] = projection.inverse({c * spacing_m + jitter(rng), r * spacing_m + jitter(rng)});
        }
    }
    std::vector<routing::EdgeInput> pieces;
    auto street = [&](std::uint32_t a, std::uint32_t b) {
        routing::EdgeInput piece;
        piece.points = {junction[a], junction[b]};
        piece.point_osm_id = {a + 1, b + 1};
        piece.way_id = static_cast<std::int64_t>(pieces.size()) + 1;
        pieces.push_back(std::move(piece));
    };
    for (std::uint32_t r = 0; r < side; ++r) {
        for (std::uint32_t c = 0; c < side; ++c) {
            if (c + 1 < side) {
                street(r * side + c, r * side + c + 1);
            }
            if (r + 1 < side) {
                street(r * side + c, (r + 1) * side + c);
            }
        }
    }
    return routing::build_walk_graph(pieces, 1000);
}

} // namespace yike::bench
