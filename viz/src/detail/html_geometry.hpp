#pragma once
// The geometry of report.html in the compact form its script reads: coordinates as integers of
// 1e-6 degrees, each point the difference to the previous one (the page adds them up again).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "yike/routing/geo.hpp"
#include "yike/routing/graph.hpp"
#include "yike/routing/polygon.hpp"

namespace yike::viz::detail {

struct DeltaStream {
    std::int64_t lon = 0;
    std::int64_t lat = 0;
    std::string out;

    static std::int64_t micro(double deg) { return std::llround(deg * 1e6); }

    // Returns false (and writes nothing) when the point rounds onto the previous one.
    bool add(std::int64_t x, std::int64_t y, bool allow_repeat = false) {
        if (!allow_repeat && x == lon && y == lat && !out.empty()) return false;
        if (!out.empty()) out.push_back(',');
        out += std::to_string(x - lon);
        out.push_back(',');
        out += std::to_string(y - lat);
        lon = x;
        lat = y;
        return true;
    }
    void add(routing::LonLat p) { add(micro(p.lon), micro(p.lat), true); }
};

// The walking network as one delta stream of polylines, simplified by `simplify_m`; `points_out`
// counts the points written. With `chain`, edges are joined into longer lines first (see the .cpp).
std::string network_json(const routing::WalkGraph& g, double simplify_m, std::size_t& points_out, bool chain = false);

// Polygons as [[ring, hole, ...], ...], each ring "[n, deltas...]" (closing point left out), rings
// simplified by `tolerance_m`; `points_out`, when given, counts the points written.
std::string polygons_json(const routing::MultiPolygon& polygons, double tolerance_m = 0,
                          std::size_t* points_out = nullptr);

} // namespace yike::viz::detail
