#pragma once
// What every user-layer reader shares (layers.cpp, area_layers.cpp, poi_layers.cpp): the layer's
// CRS, feature labels for messages, field lookup, numbers from fields, and the walk over features.
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "gdal_handles.hpp"
#include "layer_source.hpp"
#include "yike/error.hpp"
#include "yike/io/crs.hpp"
#include "yike/io/inputs.hpp"

namespace yike::io::detail {

void require_file(const std::filesystem::path& path);

// The transform from the layer's coordinates (in GIS order: x east, y north) to WGS84.
struct LayerCrs {
    CrsTransform transform;
    bool swap_axes = false; // the file stores y first (authority order kept by the driver)
    // GCJ-02 and BD-09 shift positions only inside China: a point outside is taken as it is,
    // which is wrong if it really was shifted (or the CRS is wrong). Counted for one warning.
    bool china_only = false;
    mutable std::uint64_t outside_china = 0;
    mutable std::string first_outside_china;
};


LayerCrs make_layer_crs(CrsTransform transform, bool swap_axes);
// One warning for the positions a GCJ-02/BD-09 layer had outside China.
void warn_outside_china(const LayerCrs& crs, const std::filesystem::path& path, ReadWarnings& warnings);
// The layer's CRS: options.crs when given, else the file's (or its .prj); the error for a layer
// without one suggests a CRS from the coordinates of `src`.
LayerCrs crs_from_srs(OGRSpatialReferenceH srs, const std::filesystem::path& path, const LayerOptions& options,
                      const SourceLayer* src = nullptr);

std::string feature_label(const std::filesystem::path& path, std::uint64_t number, const std::string& id);
// The id of the `number`-th feature of the layer at `path` (its id field trimmed, UTF-8 checked;
// "<file stem>:<number>" when blank) and its label for messages, which names the id as given.
struct FeatureId {
    std::string id;
    std::string label;
};
FeatureId feature_id(OGRFeatureH f, int id_field, const std::filesystem::path& path, std::uint64_t number);
std::string fmt(double v);
// Converts one position in the layer's CRS to WGS84, with the checks every reader shares.
routing::LonLat to_lonlat(const LayerCrs& crs, double x, double y, const std::string& label);

int field_index(OGRFeatureDefnH defn, const std::string& name);
std::string field_list(OGRFeatureDefnH defn);
// A field the user named: it must exist.
int required_field(OGRFeatureDefnH defn, const std::filesystem::path& path, const std::string& name,
                   std::string_view what);
std::string field_text(OGRFeatureH f, int i);
// Chinese offices often save CSV files in GBK/GB18030 (the Windows default); GDAL passes such
// bytes through unchanged, and they would end up as garbage in every report.
void require_utf8(const std::string& text, std::string_view what, const std::string& label);
std::string trimmed(std::string s);

// Values of one layer that were not usable numbers, by field: the first of each field is named in a
// warning of its own, the rest counted in one line after the layer (a column of a million
// "n/a" gives two lines, not a million).
class BadValues {
public:
    // True for the first bad value of `what`.
    bool count(std::string_view what) { return m_counts[std::string(what)]++ == 0; }
    void report(const std::filesystem::path& path, ReadWarnings& warnings) const {
        for (const auto& [what, n] : m_counts) {
            if (n < 2) continue;
            warnings.messages.push_back(path.string() + ": " + std::to_string(n) + " " + what +
                                        " values in all are not non-negative numbers; ignored (the first is named above)");
        }
    }

private:
    std::map<std::string, std::uint64_t> m_counts; // ordered: the lines come out the same every run
};

// A non-negative number from a field: nullopt when the field is unset, null or blank; a value
// that is not a non-negative finite number is counted and reported, and also gives nullopt; a
// value above `limit` cannot be meant and is refused (data_error naming the feature).
std::optional<double> numeric_field(OGRFeatureH f, int i, std::string_view what, const std::string& label,
                                    ReadWarnings& warnings, BadValues& bad, double limit);

// The default id field "id" is used when present; a named one must exist.
int id_field_index(OGRFeatureDefnH defn, const std::filesystem::path& path, const LayerOptions& options);
int name_field_index(OGRFeatureDefnH defn, const std::filesystem::path& path, const LayerOptions& options);

// Walks the features of a layer and hands over the ones with a geometry; counts the others.
// Throws io_error when the layer holds no feature at all.
template <typename Fn>
void for_each_feature(const SourceLayer& src, const std::filesystem::path& path, int id_field, ReadWarnings& warnings,
                      Fn&& fn) {
    OGRLayerH layer = src.layer;
    OGR_L_ResetReading(layer);
    std::uint64_t number = 0;
    std::uint64_t without_geometry = 0;
    std::string first_without_geometry;
    while (true) {
        FeaturePtr f(OGR_L_GetNextFeature(layer));
        if (!f) {
            break;
        }
        ++number;
        auto [id, label] = feature_id(f.get(), id_field, path, number);
        GeometryPtr made;
        OGRGeometryH g = detail::feature_geometry(src, f.get(), made);
        if (g == nullptr || OGR_G_IsEmpty(g) != 0) {
            ++warnings.skipped_without_geometry;
            if (without_geometry++ == 0) {
                first_without_geometry = label.substr(path.string().size() + 2);
            }
            continue;
        }
        OGREnvelope env;
        OGR_G_GetEnvelope(g, &env);
        if (!std::isfinite(env.MinX) || !std::isfinite(env.MaxX) || !std::isfinite(env.MinY) ||
            !std::isfinite(env.MaxY)) {
            throw data_error(label + ": has a coordinate that is not a finite number");
        }
        fn(f.get(), g, id, label);
    }
    if (number == 0) {
        throw io_error(path.string() + ": holds no feature");
    }
    // A blank or unreadable coordinate (a CSV's "nan", an address never geocoded) leaves no geometry.
    if (without_geometry == number) {
        throw data_error(path.string() + ": none of its " + std::to_string(number) +
                         " features has a geometry (empty or unreadable coordinates; the first is " +
                         first_without_geometry + ")");
    }
    if (without_geometry > 0) {
        warnings.messages.push_back(path.string() + ": " + std::to_string(without_geometry) + " of " +
                                    std::to_string(number) +
                                    " features have no geometry (empty or unreadable coordinates) and are skipped; the first is " +
                                    first_without_geometry);
    }
}


// A point standing for the feature: the point itself, or a point inside a polygon.
std::pair<double, double> representative_xy(OGRGeometryH g, const std::string& label);

double households_from_population(double population);

} // namespace yike::io::detail
