#pragma once
// The features of `yike isochrone` (and of the Python module's isochrones): one polygon feature per
// band of an origin, one line feature per reached network span, and a geometry-less feature for an
// origin that could not be snapped. Kept in one place so the command and the module write the same
// columns in the same order.
#include <span>
#include <string>
#include <vector>

#include "yike/engine/isochrone.hpp"
#include "yike/io/feature_writer.hpp"
#include "yike/routing/graph.hpp"

namespace yike::viz {

struct IsochroneFeatureOptions {
    std::span<const double> budgets; // as given (minutes or metres), ascending, one per band
    bool by_time = true;             // budgets in minutes (else metres)
    bool disjoint_bands = false;     // bands are rings (else nested)
    std::string profile;             // the walking profile's name
};

// The feature of an origin that could not be snapped: no geometry, the reason in `error`.
[[nodiscard]] io::Feature skipped_origin_feature(const std::string& id, routing::LonLat lonlat,
                                                 const std::string& error);

// Appends the band polygons of one snapped origin (`result.snap` set) to `polygons` and its reached
// spans to `lines`.
void add_isochrone_features(const routing::WalkGraph& graph, const std::string& id, routing::LonLat lonlat,
                            const engine::OriginIsochrones& result, const IsochroneFeatureOptions& options,
                            std::vector<io::Feature>& polygons, std::vector<io::Feature>& lines);

} // namespace yike::viz
