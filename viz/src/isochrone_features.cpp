#include "yike/viz/isochrone_features.hpp"

#include <cmath>
#include <cstdint>
#include <utility>

#include "yike/assert.hpp"
#include "yike/routing/snap.hpp"

namespace yike::viz {

io::Feature skipped_origin_feature(const std::string& id, routing::LonLat lonlat, const std::string& error) {
    return io::Feature{std::monostate{},
                       {{"origin", id}, {"origin_lon", lonlat.lon}, {"origin_lat", lonlat.lat}, {"error", error}}};
}

void add_isochrone_features(const routing::WalkGraph& graph, const std::string& id, routing::LonLat lonlat,
                            const engine::OriginIsochrones& result, const IsochroneFeatureOptions& options,
                            std::vector<io::Feature>& polygons, std::vector<io::Feature>& lines) {
    YIKE_ASSERT(result.snap.has_value());
    const routing::SnapResult& snap = *result.snap;
    const routing::LonLat snapped = graph.projection.inverse(snap.snapped);
    // The exact start on the `yike graph` export, so others can recompute the reach.
    const routing::Origin start = routing::origin_from_snap(snap, 0);
    for (std::size_t b = 0; b < result.bands.size(); ++b) {
        const auto& band = result.bands[b];
        io::Feature f{io::MultiPolygonGeometry{band.polygon}, {}};
        f.properties.emplace_back("origin", id);
        f.properties.emplace_back("origin_lon", lonlat.lon);
        f.properties.emplace_back("origin_lat", lonlat.lat);
        f.properties.emplace_back(options.by_time ? "minutes" : "meters", options.budgets[b]);
        f.properties.emplace_back("band", options.disjoint_bands ? std::string("ring") : std::string("nested"));
        f.properties.emplace_back("area_m2", std::round(band.area_m2 * 10.0) / 10.0);
        f.properties.emplace_back("reached_length_m", std::round(band.reached_length_m * 100.0) / 100.0);
        f.properties.emplace_back("snapped_lon", std::round(snapped.lon * 1e7) / 1e7);
        f.properties.emplace_back("snapped_lat", std::round(snapped.lat * 1e7) / 1e7);
        f.properties.emplace_back("snap_distance_m", std::round(snap.distance_m * 100.0) / 100.0);
        f.properties.emplace_back("snapped_edge", std::int64_t{start.edge});
        f.properties.emplace_back("snapped_offset_cm", std::int64_t{start.offset_cm});
        f.properties.emplace_back("offnet_cm", std::int64_t{start.offnet_cm});
        f.properties.emplace_back("profile", options.profile);
        polygons.push_back(std::move(f));
    }
    for (const auto& span : result.spans) {
        io::Feature f{io::LineGeometry{engine::span_polyline(graph, span)}, {}};
        f.properties.emplace_back("origin", id);
        f.properties.emplace_back("edge", std::int64_t{span.edge});
        f.properties.emplace_back("way_id", graph.edge_way_id[span.edge]);
        f.properties.emplace_back("from_m", span.begin_cm / 100.0);
        f.properties.emplace_back("to_m", span.end_cm / 100.0);
        if (options.by_time) {
            f.properties.emplace_back("reached_at_s", span.first_cost / 1000.0);
        } else {
            f.properties.emplace_back("reached_at_m", span.first_cost / 100.0);
        }
        lines.push_back(std::move(f));
    }
}

} // namespace yike::viz
