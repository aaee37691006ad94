#pragma once
// Reads point features (origins, facilities, households…) from any vector file GDAL reads:
// GeoJSON, GeoPackage, Shapefile, KML, CSV with lon/lat columns (UTF-8 with or without a BOM, or
// GBK/GB18030), or an Excel sheet — the files and column names the layer readers of inputs.hpp take.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "yike/io/inputs.hpp"
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
// Coordinates are transformed to WGS84 from options.crs, else the layer's CRS (or a .prj beside a
// CSV); a layer without any is taken as WGS84 lon/lat, which is checked by bounds. options.layer
// names the sheet of a workbook, options.encoding a CSV's text encoding (default: detected).
std::vector<InputPoint> read_points(const std::filesystem::path& path, const LayerOptions& options,
                                    PointReadReport* report = nullptr);
std::vector<InputPoint> read_points(const std::filesystem::path& path, PointReadReport* report = nullptr);

} // namespace yike::io
