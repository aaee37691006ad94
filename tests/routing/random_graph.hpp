#pragma once
// Random street networks for the routing module's differential and property tests.
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "yike/routing/graph.hpp"

namespace yike::test {

// The base seed of randomised tests: fixed, overridable with YIKE_TEST_SEED so a failure seen
// elsewhere can be replayed.
inline std::uint64_t test_seed() {
    if (const char* env = std::getenv("YIKE_TEST_SEED"); env != nullptr && *env != '\0') {
        return std::stoull(env);
    }
    return 20261122;
}

struct RandomGraphOptions {
    std::uint32_t junctions = 60;      // candidate junction OSM nodes
    std::uint32_t pieces = 120;
    double extent_m = 1500.0;          // side of the square the nodes fall in
    bool self_loops = true;
    bool varied_speeds = true;
};

// Pieces between random junctions with random shape points; some pieces reuse a junction as an
// interior point (so they are split there), some are loops, some share both ends.
inline std::vector<routing::EdgeInput> random_pieces(std::mt19937_64& rng, const RandomGraphOptions& opt = {}) {
    std::uniform_real_distribution<double> coord(0.0, opt.extent_m);
    const double lon0 = 7.40;
    const double lat0 = 43.72;
    const double deg_per_m_lat = 1.0 / 111'120.0;
    const double deg_per_m_lon = 1.0 / 80'500.0;
    auto to_lonlat = [&](double x, double y) { return routing::LonLat{lon0 + x * deg_per_m_lon, lat0 + y * deg_per_m_lat}; };

    std::vector<routing::LonLat> junction(opt.junctions);
    for (auto& j : junction) {
        j = to_lonlat(coord(rng), coord(rng));
    }
    std::uniform_int_distribution<std::uint32_t> pick(0, opt.junctions - 1);
    std::uniform_int_distribution<int> shape_count(0, 3);
    std::uniform_int_distribution<int> percent(0, 99);
    std::uniform_real_distribution<double> jitter(-60.0, 60.0);
    std::int64_t next_shape_id = 1'000'000;
    std::vector<routing::EdgeInput> pieces;
    for (std::uint32_t i = 0; i < opt.pieces; ++i) {
        routing::EdgeInput piece;
        const std::uint32_t a = pick(rng);
        std::uint32_t b = pick(rng);
        if (!opt.self_loops && b == a) {
            b = (a + 1) % opt.junctions;
        }
        piece.points.push_back(junction[a]);
        piece.point_osm_id.push_back(a + 1);
        const int shapes = shape_count(rng) + (a == b ? 2 : 0);
        for (int s = 0; s < shapes; ++s) {
            if (percent(rng) < 15) {
                // Pass through another junction: the builder must split the piece there.
                const std::uint32_t c = pick(rng);
                if (c != a && c != b && piece.point_osm_id.back() != c + 1) {
                    piece.points.push_back(junction[c]);
                    piece.point_osm_id.push_back(c + 1);
                    continue;
                }
            }
            const routing::LonLat& p = piece.points.back();
            const routing::LonLat& q = junction[b];
            const double f = (s + 1.0) / (shapes + 1.0);
            piece.points.push_back({p.lon + (q.lon - p.lon) * f + jitter(rng) * deg_per_m_lon,
                                    p.lat + (q.lat - p.lat) * f + jitter(rng) * deg_per_m_lat});
            piece.point_osm_id.push_back(next_shape_id++);
        }
        piece.points.push_back(junction[b]);
        piece.point_osm_id.push_back(b + 1);
        piece.way_id = 500 + i;
        piece.speed_mm_per_s = opt.varied_speeds ? 600 + 100 * static_cast<std::uint32_t>(percent(rng) % 10) : 1000;
        pieces.push_back(std::move(piece));
    }
    return pieces;
}

} // namespace yike::test
