#pragma once
// Writes vector layers in WGS84 lon/lat as GeoJSON (RFC 7946, written by hand so that output is
// byte-identical for the same input), GeoPackage or CSV (through GDAL). Files appear atomically:
// everything is written under a temporary name in the same folder and renamed when complete.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "yike/routing/geo.hpp"
#include "yike/routing/polygon.hpp"

namespace yike::io {

struct PointGeometry {
    routing::LonLat point;
};
struct LineGeometry {
    std::vector<routing::LonLat> points;
};
// yike's polygon type (yike/routing/polygon.hpp): closed rings, an exterior and its holes.
using PolygonGeometry = routing::Polygon;
struct MultiPolygonGeometry {
    routing::MultiPolygon polygons;
};
using Geometry = std::variant<std::monostate, PointGeometry, LineGeometry, MultiPolygonGeometry>;

using PropertyValue = std::variant<std::monostate, bool, std::int64_t, double, std::string>;

struct Feature {
    Geometry geometry; // std::monostate: a feature without geometry (e.g. a skipped origin)
    std::vector<std::pair<std::string, PropertyValue>> properties;
};

struct Layer {
    std::string name;
    std::vector<Feature> features;
};

enum class VectorFormat { geojson, gpkg, csv };

// The format an output path asks for, from its extension (.geojson/.json, .gpkg, .csv); throws
// yike::config_error naming the path for anything else.
VectorFormat format_for_path(const std::filesystem::path& path);

// Writes the layers to `path`. GeoJSON puts every layer's features in one FeatureCollection;
// GeoPackage writes one table per layer; CSV writes the first layer to `path` and every further
// layer to `<stem>.<layer>.csv` beside it, geometry as WKT in a `wkt` column. Throws
// yike::io_error naming the path when the folder is missing or a write fails; a failed write
// leaves no file behind and never replaces an existing file.
void write_layers(const std::filesystem::path& path, const std::vector<Layer>& layers);

// The GeoJSON text write_layers would write (for output on stdout).
std::string to_geojson(const std::vector<Layer>& layers);

// Text outputs (Markdown, JSON) written atomically in the same way.
void write_text_file(const std::filesystem::path& path, const std::string& content);

// Every CSV yike writes starts with the UTF-8 byte-order mark: Excel and WPS on Chinese Windows
// otherwise read a CSV in the local code page (GBK) and show its Chinese text as mojibake.
inline constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

// write_text_file of utf8_bom followed by `content` (a CSV table made with csv_row).
void write_csv_file(const std::filesystem::path& path, const std::string& content);

// `text` without a leading UTF-8 byte-order mark (readers of yike's own CSVs accept both).
std::string_view strip_utf8_bom(std::string_view text);

// Formats a double the shortest way that reads back exactly (deterministic across runs).
std::string format_number(double value);

// One CSV line (RFC 4180 quoting, "\n" at the end) of the given fields.
std::string csv_row(const std::vector<std::string>& fields);

} // namespace yike::io
