#pragma once
// Reads point features (origins, facilities, households…) from any vector file GDAL reads:
// GeoJSON, GeoPackage, Shapefile, KML, or CSV with lon/lat columns.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "yike/routing/geo.hpp"

namespace yike::io {

struct InputPoint {
    std::string id;        // from an `id` or `name` field, else the feature's position (1-based)
    routing::LonLat lonlat; // WGS84
};

struct PointReadReport {
    std::uint64_t features = 0;
    std::uint64_t skipped_without_geometry = 0;
    std::uint64_t non_point_as_centroid = 0; // lines/polygons read as their representative point
};

// Throws yike::io_error naming the file if it cannot be opened, has no layer, or holds no point;
// yike::data_error if a coordinate is not finite or outside lon/lat bounds (naming the feature).
// Coordinates are transformed to WGS84 from the layer's CRS; a layer without a CRS is taken as
// WGS84 lon/lat, which is checked by bounds.
std::vector<InputPoint> read_points(const std::filesystem::path& path, PointReadReport* report = nullptr);

} // namespace yike::io
