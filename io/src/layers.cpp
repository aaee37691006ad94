// User layers read through GDAL/OGR: facilities, demand, population rasters and areas.
#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "detail/csv_columns.hpp"
#include "detail/gdal_handles.hpp"
#include "detail/layer_source.hpp"
#include "detail/utf8.hpp"
#include "yike/error.hpp"
#include "yike/io/crs.hpp"
#include "yike/io/inputs.hpp"
#include "yike/io/point_reader.hpp"

namespace yike::io {

namespace {

using detail::DatasetPtr;
using detail::FeaturePtr;
using detail::GeometryPtr;
using detail::last_gdal_error;
using detail::SourceLayer;

void require_file(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        throw io_error(path.string() + ": file not found");
    }
}

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

LayerCrs make_layer_crs(CrsTransform transform, bool swap_axes) {
    const bool china_only = transform.name() == "GCJ-02" || transform.name() == "BD-09";
    LayerCrs out{std::move(transform), swap_axes, china_only, 0, {}};
    return out;
}

void warn_outside_china(const LayerCrs& crs, const std::filesystem::path& path, ReadWarnings& warnings) {
    if (crs.outside_china == 0) return;
    warnings.messages.push_back(path.string() + ": " + std::to_string(crs.outside_china) + " position(s) outside China (first: " +
                                crs.first_outside_china.substr(path.string().size() + 2) + ") in " + crs.transform.name() +
                                ", which shifts positions only inside China: taken unshifted; check the layer's CRS");
}

// The layer's bounding box in its own coordinates, for the message about a missing CRS.
std::optional<std::array<double, 4>> layer_box(const SourceLayer& src) {
    std::array<double, 4> box{HUGE_VAL, HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
    OGR_L_ResetReading(src.layer);
    bool any = false;
    while (true) {
        FeaturePtr f(OGR_L_GetNextFeature(src.layer));
        if (!f) break;
        GeometryPtr holder;
        OGRGeometryH g = detail::feature_geometry(src, f.get(), holder);
        if (g == nullptr || OGR_G_IsEmpty(g) != 0) continue;
        OGREnvelope env;
        OGR_G_GetEnvelope(g, &env);
        if (!std::isfinite(env.MinX) || !std::isfinite(env.MaxX) || !std::isfinite(env.MinY) || !std::isfinite(env.MaxY)) {
            continue;
        }
        box = {std::min(box[0], env.MinX), std::min(box[1], env.MinY), std::max(box[2], env.MaxX), std::max(box[3], env.MaxY)};
        any = true;
    }
    OGR_L_ResetReading(src.layer);
    return any ? std::optional(box) : std::nullopt;
}

std::string no_crs_message(const std::filesystem::path& path, const SourceLayer* src) {
    std::string message = path.string() + ": has no CRS; pass --crs CRS (every layer without one) or " +
                          path.filename().string() + "@CRS (this layer; crs = in a scenario)";
    if (src != nullptr) {
        if (const auto box = layer_box(*src)) {
            message += "; " + crs_suggestion((*box)[0], (*box)[1], (*box)[2], (*box)[3]);
        }
    }
    return message;
}

LayerCrs crs_from_srs(OGRSpatialReferenceH srs, const std::filesystem::path& path, const LayerOptions& options,
                      const SourceLayer* src = nullptr) {
    if (options.crs) {
        return make_layer_crs(CrsTransform(*options.crs), false);
    }
    if (srs == nullptr) {
        // GDAL's CSV driver ignores a .prj beside the file; honour it as Shapefile users expect.
        std::filesystem::path prj = path;
        prj.replace_extension(".prj");
        std::error_code ec;
        if (path.extension() != ".shp" && std::filesystem::is_regular_file(prj, ec)) {
            std::ifstream in(prj, std::ios::binary);
            std::stringstream text;
            text << in.rdbuf();
            try {
                return make_layer_crs(CrsTransform(text.str()), false);
            } catch (const yike::error& e) {
                throw config_error(prj.string() + ": not a CRS definition (" + e.what() + ")");
            }
        }
        throw config_error(no_crs_message(path, src));
    }
    char* wkt = nullptr;
    const char* wkt_options[] = {"FORMAT=WKT2_2019", nullptr};
    if (OSRExportToWktEx(srs, &wkt, wkt_options) != OGRERR_NONE || wkt == nullptr) {
        CPLFree(wkt);
        throw config_error(path.string() + ": its CRS cannot be read" + last_gdal_error() + "; pass --crs");
    }
    const std::string text = wkt;
    CPLFree(wkt);
    LayerCrs out = make_layer_crs(CrsTransform(text), false);
    // CrsTransform takes x east / y north; a driver that keeps the authority's axis order
    // (latitude first for EPSG:4326) must be undone here.
    int count = 0;
    const int* mapping = OSRGetDataAxisToSRSAxisMapping(srs, &count);
    const bool authority_order = count >= 2 && mapping != nullptr && mapping[0] == 1 && mapping[1] == 2;
    if (authority_order && (OSREPSGTreatsAsLatLong(srs) != 0 || OSREPSGTreatsAsNorthingEasting(srs) != 0)) {
        out.swap_axes = true;
    }
    return out;
}

std::string feature_label(const std::filesystem::path& path, std::uint64_t number, const std::string& id) {
    std::string label = path.string() + ": feature " + std::to_string(number);
    if (!id.empty() && id != std::to_string(number)) {
        label += " (id " + id + ")";
    }
    return label;
}

std::string fmt(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

// Converts one position in the layer's CRS to WGS84, with the checks every reader shares.
routing::LonLat to_lonlat(const LayerCrs& crs, double x, double y, const std::string& label) {
    if (crs.swap_axes) {
        std::swap(x, y);
    }
    if (!std::isfinite(x) || !std::isfinite(y)) {
        throw data_error(label + ": has a coordinate that is not a finite number");
    }
    if (crs.transform.is_geographic()) {
        const bool out = x < -180.0 || x > 180.0 || y < -90.0 || y > 90.0;
        if (out) {
            const bool swapped = std::abs(x) <= 90.0 && std::abs(y) > 90.0 && std::abs(y) <= 180.0;
            throw data_error(label + ": lon/lat " + fmt(x) + "," + fmt(y) + " outside lon/lat bounds" +
                             (swapped ? " (latitude and longitude swapped?)" : " (wrong CRS?)"));
        }
    }
    if (crs.china_only && !in_china_rough({x, y})) {
        if (crs.outside_china++ == 0) crs.first_outside_china = label;
    }
    const std::optional<routing::LonLat> p = crs.transform.to_wgs84({x, y});
    if (!p || p->lon < -180.0 || p->lon > 180.0 || p->lat < -90.0 || p->lat > 90.0) {
        throw data_error(label + ": " + fmt(x) + "," + fmt(y) + " cannot be converted from " + crs.transform.name() +
                         " to WGS84 (wrong CRS?)");
    }
    return *p;
}

int field_index(OGRFeatureDefnH defn, const std::string& name) {
    return detail::known_field_index(defn, name);
}

std::string field_list(OGRFeatureDefnH defn) {
    std::string out;
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i) {
        out += (i == 0 ? "" : ", ");
        out += OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
    }
    return out.empty() ? "none" : out;
}

// A field the user named: it must exist.
int required_field(OGRFeatureDefnH defn, const std::filesystem::path& path, const std::string& name,
                   std::string_view what) {
    if (name.empty()) {
        return -1;
    }
    const int i = detail::known_field_index(defn, name);
    if (i < 0) {
        const std::string_view chinese = detail::chinese_field_names(name);
        throw config_error(path.string() + ": has no " + std::string(what) + " field '" + name + "'" +
                           (chinese.empty() ? "" : " (nor " + std::string(chinese) + ")") + " (fields: " +
                           field_list(defn) + ")");
    }
    return i;
}

std::string field_text(OGRFeatureH f, int i) {
    if (i < 0 || OGR_F_IsFieldSetAndNotNull(f, i) == 0) {
        return {};
    }
    return OGR_F_GetFieldAsString(f, i);
}

// Chinese offices often save CSV files in GBK/GB18030 (the Windows default); GDAL passes such
// bytes through unchanged, and they would end up as garbage in every report.
void require_utf8(const std::string& text, std::string_view what, const std::string& label) {
    if (!detail::is_utf8(text)) {
        throw data_error(label + ": " + std::string(what) +
                         " is not UTF-8 text (GBK/GB18030?); convert the file, e.g. iconv -f GB18030 -t UTF-8");
    }
}

std::string trimmed(std::string s) {
    const auto not_blank = [](unsigned char c) { return c != ' ' && c != '\t' && c != '\r' && c != '\n'; };
    s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_blank));
    s.erase(std::find_if(s.rbegin(), s.rend(), not_blank).base(), s.end());
    return s;
}

// A non-negative number from a field: nullopt when the field is unset, null or blank; a value
// that is not a non-negative finite number is counted and reported, and also gives nullopt; a
// value above `limit` cannot be meant and is refused (data_error naming the feature).
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

std::optional<double> numeric_field(OGRFeatureH f, int i, std::string_view what, const std::string& label,
                                    ReadWarnings& warnings, BadValues& bad, double limit) {
    if (i < 0 || OGR_F_IsFieldSetAndNotNull(f, i) == 0) {
        return std::nullopt;
    }
    const OGRFieldType type = OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, i));
    double value = 0;
    bool ok = true;
    std::string text;
    if (type == OFTInteger || type == OFTInteger64 || type == OFTReal) {
        value = OGR_F_GetFieldAsDouble(f, i);
        text = fmt(value);
    } else {
        text = trimmed(OGR_F_GetFieldAsString(f, i));
        if (text.empty()) {
            return std::nullopt;
        }
        char* end = nullptr;
        errno = 0;
        value = std::strtod(text.c_str(), &end);
        // ERANGE on underflow (a subnormal such as 4.9e-324) still gives the nearest value, which is
        // what was written; on overflow it gives infinity, refused below.
        ok = end != text.c_str() && *end == '\0' && (errno == 0 || (errno == ERANGE && std::fabs(value) < 1.0));
    }
    if (!ok || !std::isfinite(value) || value < 0) {
        ++warnings.skipped_bad_value;
        if (bad.count(what)) {
            warnings.messages.push_back(label + ": " + std::string(what) + " '" + text +
                                        "' is not a non-negative number; ignored");
        }
        return std::nullopt;
    }
    if (value > limit) {
        throw data_error(label + ": " + std::string(what) + " '" + text + "' is implausibly large (more than " + fmt(limit) +
                         "); check the field and its unit");
    }
    return value + 0.0; // -0 becomes 0, so that it never prints as "-0"
}

// The default id field "id" is used when present; a named one must exist.
int id_field_index(OGRFeatureDefnH defn, const std::filesystem::path& path, const LayerOptions& options) {
    if (!options.id_field.empty()) {
        return required_field(defn, path, options.id_field, "id");
    }
    return detail::known_field_index(defn, "id");
}

int name_field_index(OGRFeatureDefnH defn, const std::filesystem::path& path, const LayerOptions& options) {
    if (!options.name_field.empty()) {
        return required_field(defn, path, options.name_field, "name");
    }
    return detail::known_field_index(defn, "name");
}

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
    const std::string stem = path.stem().string();
    while (true) {
        FeaturePtr f(OGR_L_GetNextFeature(layer));
        if (!f) {
            break;
        }
        ++number;
        std::string id = trimmed(field_text(f.get(), id_field));
        require_utf8(id, "id", feature_label(path, number, {}));
        const std::string label = feature_label(path, number, id);
        if (id.empty()) {
            id = stem + ":" + std::to_string(number);
        }
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
std::pair<double, double> representative_xy(OGRGeometryH g, const std::string& label) {
    const OGRwkbGeometryType type = wkbFlatten(OGR_G_GetGeometryType(g));
    if (type == wkbPoint) {
        return {OGR_G_GetX(g, 0), OGR_G_GetY(g, 0)};
    }
    if (type == wkbMultiPoint && OGR_G_GetGeometryCount(g) == 1) {
        OGRGeometryH p = OGR_G_GetGeometryRef(g, 0);
        return {OGR_G_GetX(p, 0), OGR_G_GetY(p, 0)};
    }
    const bool surface = type == wkbPolygon || type == wkbMultiPolygon || type == wkbCurvePolygon ||
                         type == wkbMultiSurface || type == wkbTriangle || type == wkbPolyhedralSurface ||
                         type == wkbTIN;
    if (!surface) {
        throw data_error(label + ": is a " + std::string(OGRGeometryTypeToName(type)) +
                         "; expected a point or a polygon");
    }
    GeometryPtr linear(OGR_G_GetLinearGeometry(g, 0.0, nullptr));
    GeometryPtr inside(OGR_G_PointOnSurface(linear ? linear.get() : g));
    if (!inside || OGR_G_IsEmpty(inside.get()) != 0) {
        // GEOS refuses some invalid polygons; a repaired copy has a point inside.
        GeometryPtr valid(OGR_G_MakeValid(linear ? linear.get() : g));
        if (valid) {
            inside.reset(OGR_G_PointOnSurface(valid.get()));
        }
    }
    if (!inside || OGR_G_IsEmpty(inside.get()) != 0) {
        throw data_error(label + ": has a polygon with no point inside it (degenerate or not a finite number)");
    }
    return {OGR_G_GetX(inside.get(), 0), OGR_G_GetY(inside.get(), 0)};
}

double households_from_population(double population) {
    return population / HouseholdEstimate{}.persons_per_household;
}

} // namespace

std::string crs_suggestion(double min_x, double min_y, double max_x, double max_y) {
    const auto within = [&](double x0, double y0, double x1, double y1) {
        return min_x >= x0 && max_x <= x1 && min_y >= y0 && max_y <= y1;
    };
    const std::string range = "coordinates " + fmt(min_x) + ".." + fmt(max_x) + ", " + fmt(min_y) + ".." + fmt(max_y);
    // China's extent, roughly: lon 73.4..135.1, lat 3.8..53.6.
    if (within(73.0, 3.0, 136.0, 54.0)) {
        return range + " are lon/lat in China: EPSG:4326 (WGS84: GPS, OSM) or EPSG:4490 (CGCS2000), "
                       "GCJ-02 for AMap/Tencent exports, BD-09 for Baidu exports";
    }
    if (within(-180.0, -90.0, 180.0, 90.0)) {
        return range + " look like lon/lat: probably EPSG:4326";
    }
    // Gauss-Krüger with the zone number before the easting (CGCS2000: 3-degree zones 25-45 are
    // EPSG:4513-4533, 6-degree zones 13-23 EPSG:4491-4501).
    const double zone = std::floor(min_x / 1e6);
    if (zone == std::floor(max_x / 1e6) && min_y >= 0 && max_y <= 6.5e6) {
        if (zone >= 25 && zone <= 45) {
            return range + " look like Gauss-Krüger 3-degree zone " + fmt(zone) + " with its zone number: EPSG:" +
                   fmt(4513 + zone - 25) + " (CGCS2000) if so";
        }
        if (zone >= 13 && zone <= 23) {
            return range + " look like Gauss-Krüger 6-degree zone " + fmt(zone) + " with its zone number: EPSG:" +
                   fmt(4491 + zone - 13) + " (CGCS2000), or EPSG:3857 (Web Mercator)";
        }
    }
    if (within(8.0e6, 0.4e6, 1.52e7, 7.2e6)) {
        return range + " look like Web Mercator over China: EPSG:3857";
    }
    if (within(0.0, 0.0, 1.0e6, 6.5e6)) {
        return range + " look like a Gauss-Krüger or UTM zone without its zone number: give that zone's EPSG code "
                       "(CGCS2000 3-degree zones by central meridian: EPSG:4534-4554)";
    }
    return range + " match no CRS yike can guess";
}

// Origins of `yike isochrone --points` and the Python module: any layer the other readers take
// (xlsx sheets, GBK CSV, Chinese column names, FILE@CRS), but a layer with no CRS at all (a CSV
// without a .prj, a sheet) is taken as WGS84 lon/lat, as origins usually are, and checked by bounds.
std::vector<InputPoint> read_points(const std::filesystem::path& path, const LayerOptions& options,
                                    PointReadReport* report) {
    require_file(path);
    const SourceLayer src = detail::open_source_layer(path, options);
    OGRLayerH layer = src.layer;
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int id_field = id_field_index(defn, path, options);
    if (id_field < 0) {
        id_field = name_field_index(defn, path, options);
    }
    std::filesystem::path prj = path;
    prj.replace_extension(".prj");
    std::error_code ec;
    const bool crs_known = OGR_L_GetSpatialRef(layer) != nullptr || options.crs.has_value() ||
                           (path.extension() != ".shp" && std::filesystem::is_regular_file(prj, ec));
    const LayerCrs crs = crs_known ? crs_from_srs(OGR_L_GetSpatialRef(layer), path, options, &src)
                                   : make_layer_crs(CrsTransform("EPSG:4326"), false);
    PointReadReport local;
    PointReadReport& rep = report != nullptr ? *report : local;
    std::vector<InputPoint> points;
    OGR_L_ResetReading(layer);
    std::uint64_t position = 0;
    while (true) {
        FeaturePtr f(OGR_L_GetNextFeature(layer));
        if (!f) {
            break;
        }
        ++position;
        ++rep.features;
        // A blank id (an empty CSV cell) would leave the point unnamed in every output.
        std::string id = trimmed(field_text(f.get(), id_field));
        require_utf8(id, "id", feature_label(path, position, {}));
        if (id.empty()) {
            id = std::to_string(position);
        }
        const std::string label = feature_label(path, position, id);
        GeometryPtr made;
        OGRGeometryH g = detail::feature_geometry(src, f.get(), made);
        if (g == nullptr || OGR_G_IsEmpty(g) != 0) {
            ++rep.skipped_without_geometry;
            continue;
        }
        double x = 0;
        double y = 0;
        const OGRwkbGeometryType type = wkbFlatten(OGR_G_GetGeometryType(g));
        if (type == wkbPoint) {
            x = OGR_G_GetX(g, 0);
            y = OGR_G_GetY(g, 0);
        } else {
            ++rep.non_point_as_centroid;
            if (type == wkbLineString || type == wkbMultiLineString || type == wkbMultiPoint) {
                GeometryPtr c(OGR_G_CreateGeometry(wkbPoint));
                OGR_G_Centroid(g, c.get());
                x = OGR_G_GetX(c.get(), 0);
                y = OGR_G_GetY(c.get(), 0);
            } else {
                std::tie(x, y) = representative_xy(g, label);
            }
        }
        points.push_back({id, to_lonlat(crs, x, y, label)});
    }
    if (points.empty()) {
        throw io_error(path.string() + ": holds no point with a geometry");
    }
    return points;
}

std::vector<InputPoint> read_points(const std::filesystem::path& path, PointReadReport* report) {
    return read_points(path, LayerOptions{}, report);
}

std::vector<FacilityRecord> read_facility_layer(const std::filesystem::path& path, const FacilityLayerOptions& options,
                                                ReadWarnings& warnings) {
    const SourceLayer src = detail::open_source_layer(path, options);
    OGRLayerH layer = src.layer;
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    if (options.category.empty() && options.category_field.empty()) {
        throw config_error(path.string() + ": give a category for the whole file or a category field");
    }
    const int category_field = options.category.empty() ? required_field(defn, path, options.category_field, "category") : -1;
    const int capacity_field = required_field(defn, path, options.capacity_field, "capacity");
    const int floor_area_field = required_field(defn, path, options.floor_area_field, "floor-area");
    const int staff_field = required_field(defn, path, options.staff_field, "staff");
    const int id_field = id_field_index(defn, path, options);
    const int name_field = name_field_index(defn, path, options);
    const LayerCrs crs = crs_from_srs(OGR_L_GetSpatialRef(layer), path, options, &src);
    const std::string source = path.string();

    std::vector<FacilityRecord> out;
    // Reports name facilities by id: two facilities sharing one would be confused in every table.
    std::unordered_map<std::string, std::string> first_with_id;
    BadValues bad;
    for_each_feature(src, path, id_field, warnings, [&](OGRFeatureH f, OGRGeometryH g, const std::string& id,
                                                           const std::string& label) {
        const auto [first, inserted] = first_with_id.emplace(id, label);
        if (!inserted) {
            throw data_error(label + ": duplicate facility id '" + id + "', already used by " +
                             first->second.substr(path.string().size() + 2) + "; every facility needs its own id");
        }
        FacilityRecord r;
        r.id = id;
        r.name = trimmed(field_text(f, name_field));
        r.category = options.category.empty() ? trimmed(field_text(f, category_field)) : options.category;
        require_utf8(r.name, "name", label);
        require_utf8(r.category, "category", label);
        if (r.category.empty()) {
            ++warnings.skipped_bad_value;
            warnings.messages.push_back(label + ": category field '" + options.category_field +
                                        "' is empty; feature skipped");
            return;
        }
        const auto [x, y] = representative_xy(g, label);
        r.location = to_lonlat(crs, x, y, label);
        r.capacity = numeric_field(f, capacity_field, "capacity", label, warnings, bad, max_facility_value);
        r.floor_area_m2 = numeric_field(f, floor_area_field, "floor area", label, warnings, bad, max_facility_value);
        r.staff = numeric_field(f, staff_field, "staff", label, warnings, bad, max_facility_value);
        r.source = source;
        out.push_back(std::move(r));
    });
    bad.report(path, warnings);
    warn_outside_china(crs, path, warnings);
    return out;
}

std::vector<DemandRecord> read_demand_layer(const std::filesystem::path& path, const DemandLayerOptions& options,
                                            ReadWarnings& warnings) {
    const SourceLayer src = detail::open_source_layer(path, options);
    OGRLayerH layer = src.layer;
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    const DemandLayerOptions defaults;
    // A field left at its default name may be absent (its values count as 0); a renamed one must exist.
    auto optional_field = [&](const std::string& name, const std::string& default_name, std::string_view what) {
        return name == default_name ? field_index(defn, name) : required_field(defn, path, name, what);
    };
    const int households_field = optional_field(options.households_field, defaults.households_field, "households");
    const int population_field = optional_field(options.population_field, defaults.population_field, "population");
    const int seniors_field = optional_field(options.seniors_field, defaults.seniors_field, "seniors");
    const int children_field = optional_field(options.children_field, defaults.children_field, "children");
    if (households_field < 0 && population_field < 0) {
        throw config_error(path.string() + ": has neither a households field ('" + options.households_field +
                           "') nor a population field ('" + options.population_field + "') (fields: " +
                           field_list(defn) + ")");
    }
    const int id_field = id_field_index(defn, path, options);
    const LayerCrs crs = crs_from_srs(OGR_L_GetSpatialRef(layer), path, options, &src);
    const std::string source = path.string();

    std::vector<DemandRecord> out;
    std::uint64_t large = 0;
    std::string first_large;
    BadValues bad;
    for_each_feature(src, path, id_field, warnings, [&](OGRFeatureH f, OGRGeometryH g, const std::string& id,
                                                           const std::string& label) {
        DemandRecord r;
        r.id = id;
        const auto [x, y] = representative_xy(g, label);
        r.location = to_lonlat(crs, x, y, label);
        const std::optional<double> households =
            numeric_field(f, households_field, "households", label, warnings, bad, max_demand_per_point);
        const std::optional<double> population =
            numeric_field(f, population_field, "population", label, warnings, bad, max_demand_per_point);
        r.population = population.value_or(0.0);
        r.households = households ? *households : households_from_population(r.population);
        r.seniors = numeric_field(f, seniors_field, "seniors", label, warnings, bad, max_demand_per_point).value_or(0.0);
        r.children = numeric_field(f, children_field, "children", label, warnings, bad, max_demand_per_point).value_or(0.0);
        r.source = source;
        if (r.households > large_demand_per_point || r.population > large_demand_per_point) {
            if (large == 0) first_large = label;
            ++large;
        }
        out.push_back(std::move(r));
    });
    bad.report(path, warnings);
    if (large > 0) {
        warnings.messages.push_back(source + ": " + std::to_string(large) + " demand point(s) hold more than " +
                                    fmt(large_demand_per_point) + " households or people each (first: " +
                                    first_large.substr(source.size() + 2) + "); check the fields and their unit");
    }
    warn_outside_china(crs, path, warnings);
    return out;
}

std::vector<DemandRecord> read_population_raster(const std::filesystem::path& path, const LayerOptions& options,
                                                 const HouseholdEstimate& estimate, ReadWarnings& warnings) {
    detail::register_gdal();
    require_file(path);
    CPLErrorReset();
    DatasetPtr ds(GDALOpenEx(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
    if (!ds) {
        throw io_error(path.string() + ": not a readable raster file" + last_gdal_error());
    }
    if (GDALGetRasterCount(ds.get()) < 1) {
        throw io_error(path.string() + ": holds no raster band");
    }
    double gt[6] = {0, 1, 0, 0, 0, 1};
    if (GDALGetGeoTransform(ds.get(), gt) != CE_None) {
        throw io_error(path.string() + ": has no georeferencing (geotransform)");
    }
    if (!(estimate.persons_per_household > 0)) {
        throw config_error(path.string() + ": persons per household must be positive");
    }
    const LayerCrs crs = crs_from_srs(GDALGetSpatialRef(ds.get()), path, options);
    GDALRasterBandH band = GDALGetRasterBand(ds.get(), 1);
    int has_nodata = 0;
    const double nodata = GDALGetRasterNoDataValue(band, &has_nodata);
    const int width = GDALGetRasterXSize(ds.get());
    const int height = GDALGetRasterYSize(ds.get());
    const std::string source = path.string();
    std::vector<double> row(static_cast<std::size_t>(width));
    std::vector<DemandRecord> out;
    std::uint64_t unusable = 0; // NaN, infinite or negative cells (not the nodata value)
    std::string first_unusable;
    std::uint64_t large = 0;
    std::string first_large;
    const auto cell = [](int r, int c) { return "row " + std::to_string(r) + " column " + std::to_string(c); };
    try {
    for (int r = 0; r < height; ++r) {
        if (GDALRasterIO(band, GF_Read, 0, r, width, 1, row.data(), width, 1, GDT_Float64, 0, 0) != CE_None) {
            throw io_error(path.string() + ": cannot read row " + std::to_string(r) + last_gdal_error());
        }
        for (int c = 0; c < width; ++c) {
            const double v = row[static_cast<std::size_t>(c)];
            if ((has_nodata != 0 && (v == nodata || (std::isnan(v) && std::isnan(nodata)))) || v == 0) {
                continue;
            }
            if (!std::isfinite(v) || v < 0) {
                if (unusable == 0) first_unusable = cell(r, c);
                ++unusable;
                continue;
            }
            if (v > max_demand_per_point) {
                throw data_error(path.string() + ": cell " + cell(r, c) + " holds " + fmt(v) +
                                 " people, implausibly many (more than " + fmt(max_demand_per_point) +
                                 "); check the raster's unit and nodata value");
            }
            if (v > large_demand_per_point) {
                if (large == 0) first_large = cell(r, c);
                ++large;
            }
            const double px = c + 0.5;
            const double py = r + 0.5;
            const double x = gt[0] + px * gt[1] + py * gt[2];
            const double y = gt[3] + px * gt[4] + py * gt[5];
            DemandRecord d;
            d.id.assign(1, 'r');
            d.id.append(std::to_string(r)).append(1, 'c').append(std::to_string(c));
            d.location = to_lonlat(crs, x, y, path.string() + ": cell row " + std::to_string(r) + " column " +
                                                  std::to_string(c));
            d.population = v;
            d.households = v / estimate.persons_per_household;
            d.seniors = v * estimate.senior_share;
            d.children = v * estimate.child_share;
            d.source = source;
            out.push_back(std::move(d));
        }
    }
    } catch (const std::bad_alloc&) {
        throw io_error(path.string() + ": too many populated cells to hold in memory (" + std::to_string(width) + " x " +
                       std::to_string(height) + " cells, " + std::to_string(out.size()) +
                       " read); resample it to coarser cells (e.g. gdalwarp -tr) or clip it to the study area");
    }
    if (unusable > 0) {
        warnings.skipped_bad_value += unusable;
        warnings.messages.push_back(source + ": " + std::to_string(unusable) +
                                    " cell(s) with a NaN, infinite or negative value skipped (first: " + first_unusable +
                                    "); set the raster's nodata value if they mean no data");
    }
    if (large > 0) {
        warnings.messages.push_back(source + ": " + std::to_string(large) + " cell(s) hold more than " +
                                    fmt(large_demand_per_point) + " people each (first: " + first_large +
                                    "); check the raster's unit");
    }
    if (out.empty()) {
        throw io_error(path.string() + ": holds no cell with a positive population");
    }
    return out;
}

namespace {

// Appends the polygons of a linear geometry (polygon, multipolygon, or a collection holding
// them next to lines and points left over by a repair).
void collect_polygons(OGRGeometryH g, std::vector<OGRGeometryH>& polygons) {
    const OGRwkbGeometryType type = wkbFlatten(OGR_G_GetGeometryType(g));
    if (type == wkbPolygon) {
        if (OGR_G_IsEmpty(g) == 0) {
            polygons.push_back(g);
        }
        return;
    }
    if (type == wkbMultiPolygon || type == wkbGeometryCollection) {
        for (int i = 0; i < OGR_G_GetGeometryCount(g); ++i) {
            collect_polygons(OGR_G_GetGeometryRef(g, i), polygons);
        }
    }
}

} // namespace

std::vector<AreaRecord> read_area_layer(const std::filesystem::path& path, const AreaLayerOptions& options,
                                        ReadWarnings& warnings) {
    const SourceLayer src = detail::open_source_layer(path, options);
    OGRLayerH layer = src.layer;
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    const int id_field = id_field_index(defn, path, options);
    const int name_field = name_field_index(defn, path, options);
    const int parent_field = required_field(defn, path, options.parent_field, "parent");
    const int households_field = required_field(defn, path, options.households_field, "households");
    const LayerCrs crs = crs_from_srs(OGR_L_GetSpatialRef(layer), path, options, &src);

    std::vector<AreaRecord> out;
    std::unordered_map<std::string, std::string> first_with_id;
    BadValues bad;
    OGR_L_ResetReading(layer);
    std::uint64_t number = 0;
    const std::string stem = path.stem().string();
    while (true) {
        FeaturePtr f(OGR_L_GetNextFeature(layer));
        if (!f) {
            break;
        }
        ++number;
        AreaRecord a;
        a.id = trimmed(field_text(f.get(), id_field));
        require_utf8(a.id, "id", feature_label(path, number, {}));
        const std::string label = feature_label(path, number, a.id);
        if (a.id.empty()) {
            a.id = stem + ":" + std::to_string(number);
        }
        // Reports, parents and known totals are matched by id: two areas sharing one would be merged.
        if (const auto [first, inserted] = first_with_id.emplace(a.id, label); !inserted) {
            throw data_error(label + ": duplicate area id '" + a.id + "', already used by " +
                             first->second.substr(path.string().size() + 2) + "; every area needs its own id");
        }
        a.name = trimmed(field_text(f.get(), name_field));
        a.parent_id = trimmed(field_text(f.get(), parent_field));
        require_utf8(a.name, "name", label);
        require_utf8(a.parent_id, "parent", label);
        a.households = numeric_field(f.get(), households_field, "households", label, warnings, bad, max_demand_per_point);
        GeometryPtr made;
        OGRGeometryH g = detail::feature_geometry(src, f.get(), made);
        if (g == nullptr || OGR_G_IsEmpty(g) != 0) {
            ++warnings.skipped_without_geometry;
            warnings.messages.push_back(label + ": has no geometry; skipped");
            continue;
        }
        const OGRwkbGeometryType type = wkbFlatten(OGR_G_GetGeometryType(g));
        if (type != wkbPolygon && type != wkbMultiPolygon && type != wkbCurvePolygon && type != wkbMultiSurface) {
            throw data_error(label + ": is a " + std::string(OGRGeometryTypeToName(type)) + "; an area must be a polygon");
        }
        GeometryPtr geom(OGR_G_GetLinearGeometry(g, 0.0, nullptr));
        if (!geom) {
            throw data_error(label + ": its polygon cannot be read" + last_gdal_error());
        }
        if (OGR_G_IsValid(geom.get()) == 0) {
            CPLErrorReset();
            GeometryPtr valid(OGR_G_MakeValid(geom.get()));
            if (!valid) {
                throw data_error(label + ": invalid polygon that cannot be repaired" + last_gdal_error());
            }
            geom = std::move(valid);
            a.repaired = true;
        }
        std::vector<OGRGeometryH> polygons;
        collect_polygons(geom.get(), polygons);
        if (polygons.empty()) {
            ++warnings.skipped_bad_value;
            warnings.messages.push_back(label + ": polygon is empty" +
                                        std::string(a.repaired ? " after repair" : "") + "; skipped");
            continue;
        }
        if (a.repaired) {
            ++warnings.repaired_polygons;
            warnings.messages.push_back(label + ": invalid polygon (e.g. self-intersecting) repaired into " +
                                        std::to_string(polygons.size()) + " polygon(s)");
        }
        for (OGRGeometryH poly : polygons) {
            PolygonGeometry pg;
            for (int k = 0; k < OGR_G_GetGeometryCount(poly); ++k) {
                OGRGeometryH ring = OGR_G_GetGeometryRef(poly, k);
                const int n = OGR_G_GetPointCount(ring);
                if (n < 4) {
                    continue;
                }
                std::vector<routing::LonLat> pts;
                pts.reserve(static_cast<std::size_t>(n) + 1);
                for (int i = 0; i < n; ++i) {
                    pts.push_back(to_lonlat(crs, OGR_G_GetX(ring, i), OGR_G_GetY(ring, i), label));
                }
                if (pts.front().lon != pts.back().lon || pts.front().lat != pts.back().lat) {
                    pts.push_back(pts.front());
                }
                if (k == 0 || !pg.rings.empty()) {
                    pg.rings.push_back(std::move(pts));
                }
            }
            if (!pg.rings.empty()) {
                a.geometry.polygons.push_back(std::move(pg));
            }
        }
        if (a.geometry.polygons.empty()) {
            ++warnings.skipped_bad_value;
            warnings.messages.push_back(label + ": polygon has no ring of 3 or more points; skipped");
            continue;
        }
        out.push_back(std::move(a));
    }
    if (number == 0) {
        throw io_error(path.string() + ": holds no feature");
    }
    bad.report(path, warnings);
    warn_outside_china(crs, path, warnings);
    return out;
}

namespace {

// Splits "a|b" (several classes in one cell) into trimmed non-empty parts.
std::vector<std::string> split_classes(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find('|', start), text.size());
        std::string part = trimmed(text.substr(start, end - start));
        if (!part.empty()) out.push_back(std::move(part));
        start = end + 1;
    }
    return out;
}

// "lng,lat" (AMap's location, also with blanks or a full-width comma); nullopt when not so.
std::optional<std::pair<double, double>> parse_location(const std::string& cell) {
    constexpr std::string_view wide_comma = "，";
    std::string text;
    for (std::size_t i = 0; i < cell.size();) {
        if (std::string_view(cell).substr(i, wide_comma.size()) == wide_comma) {
            text += ',';
            i += wide_comma.size();
        } else {
            text += cell[i++];
        }
    }
    const auto comma = text.find(',');
    if (comma == std::string::npos || text.find(',', comma + 1) != std::string::npos) return std::nullopt;
    double v[2] = {0, 0};
    const std::string parts[2] = {trimmed(text.substr(0, comma)), trimmed(text.substr(comma + 1))};
    for (int k = 0; k < 2; ++k) {
        char* end = nullptr;
        v[k] = std::strtod(parts[k].c_str(), &end);
        if (parts[k].empty() || end != parts[k].c_str() + parts[k].size() || !std::isfinite(v[k])) return std::nullopt;
    }
    return std::pair{v[0], v[1]};
}

int first_field(OGRFeatureDefnH defn, std::initializer_list<const char*> names) {
    for (const char* n : names) {
        if (const int i = OGR_FD_GetFieldIndex(defn, n); i >= 0) return i;
    }
    return -1;
}

std::string field_name(OGRFeatureDefnH defn, int i) { return OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)); }

} // namespace

PoiLayer read_poi_layer(const std::filesystem::path& path, const FacilityLayerOptions& options, ReadWarnings& warnings) {
    const bool amap = options.poi_format == "amap";
    if (!amap && options.poi_format != "baidu") {
        throw config_error(path.string() + ": unknown POI format '" + options.poi_format + "' (amap or baidu)");
    }
    const SourceLayer src = detail::open_source_layer(path, options);
    OGRLayerH layer = src.layer;
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    PoiLayer out;
    int code_field = -1;
    int type_field = -1;
    int level2_field = -1;
    if (amap) {
        code_field = first_field(defn, {"typecode", "type_code", "类型编码", "分类编码", "类别编码"});
        type_field = first_field(defn, {"type", "类型", "分类", "类别"});
        if (code_field < 0 && type_field < 0) {
            throw config_error(path.string() + ": has no typecode column (nor type) for an AMap POI export (fields: " +
                               field_list(defn) + ")");
        }
    } else {
        type_field = first_field(defn, {"一级行业", "一级分类", "industry1", "level1"});
        if (type_field >= 0) {
            level2_field = first_field(defn, {"二级行业", "二级分类", "industry2", "level2"});
        } else {
            type_field = first_field(defn, {"tag", "标签", "type", "类型", "行业", "分类", "类别"});
        }
        if (type_field < 0) {
            throw config_error(path.string() + ": has no industry column (一级行业/二级行业, or tag \"美食;中餐厅\") "
                                               "for a Baidu POI export (fields: " + field_list(defn) + ")");
        }
    }
    if (code_field >= 0) out.code_column = field_name(defn, code_field);
    if (type_field >= 0) out.type_column = field_name(defn, type_field) + (level2_field >= 0 ? "/" + field_name(defn, level2_field) : "");
    const int id_field = options.id_field.empty() ? first_field(defn, {"id", "uid", "poi_id", "编号", "ID"})
                                                  : required_field(defn, path, options.id_field, "id");
    const int name_field = options.name_field.empty() ? detail::known_field_index(defn, "name")
                                                      : required_field(defn, path, options.name_field, "name");
    const int location_field = first_field(defn, {"location", "坐标", "经纬度", "lnglat"});
    const bool has_geometry = OGR_FD_GetGeomFieldCount(defn) > 0 || src.x_field >= 0;
    if (location_field < 0 && !has_geometry) {
        throw config_error(path.string() + ": has no location column (\"lng,lat\") nor lng/lat columns (fields: " +
                           field_list(defn) + ")");
    }
    const int capacity_field = required_field(defn, path, options.capacity_field, "capacity");
    const int floor_area_field = required_field(defn, path, options.floor_area_field, "floor-area");
    const int staff_field = required_field(defn, path, options.staff_field, "staff");
    FacilityLayerOptions crs_options = options;
    if (!crs_options.crs) crs_options.crs = amap ? "GCJ-02" : "BD-09";
    const LayerCrs crs = crs_from_srs(nullptr, path, crs_options, &src);
    const std::string location_name = location_field >= 0 ? field_name(defn, location_field) : "";

    std::unordered_map<std::string, std::uint64_t> seen;
    std::uint64_t repeated = 0;
    std::string first_repeated;
    std::uint64_t without_position = 0;
    std::string first_without_position;
    BadValues bad;
    std::uint64_t row = 0;
    const std::string stem = path.stem().string();
    OGR_L_ResetReading(layer);
    while (true) {
        FeaturePtr f(OGR_L_GetNextFeature(layer));
        if (!f) break;
        ++row;
        PoiRecord p;
        p.row = row;
        p.id = trimmed(field_text(f.get(), id_field));
        const std::string row_label = path.string() + ": row " + std::to_string(row);
        require_utf8(p.id, "id", row_label);
        p.label = row_label + (p.id.empty() ? "" : " (id " + p.id + ")");
        if (p.id.empty()) p.id = stem + ":" + std::to_string(row);
        if (const auto [it, inserted] = seen.emplace(p.id, row); !inserted) {
            if (repeated++ == 0) first_repeated = "row " + std::to_string(row) + " repeats row " + std::to_string(it->second);
            continue;
        }
        p.name = trimmed(field_text(f.get(), name_field));
        require_utf8(p.name, "name", p.label);
        if (code_field >= 0) {
            const std::string text = field_text(f.get(), code_field);
            require_utf8(text, "typecode", p.label);
            p.codes = split_classes(text);
        }
        if (type_field >= 0) {
            std::string text = field_text(f.get(), type_field);
            if (level2_field >= 0) {
                const std::string level2 = trimmed(field_text(f.get(), level2_field));
                if (!level2.empty()) text = trimmed(text) + ";" + level2;
            }
            require_utf8(text, "type", p.label);
            p.types = split_classes(text);
        }
        std::optional<std::pair<double, double>> xy;
        const std::string location = location_field >= 0 ? trimmed(field_text(f.get(), location_field)) : "";
        if (!location.empty()) {
            require_utf8(location, "location", p.label);
            xy = parse_location(location);
            if (!xy) {
                throw data_error(p.label + ", column '" + location_name + "': '" + location +
                                 "' is not \"lng,lat\" (longitude, a comma, latitude, e.g. 116.397428,39.90923)");
            }
        } else {
            GeometryPtr made;
            OGRGeometryH g = detail::feature_geometry(src, f.get(), made);
            if (g != nullptr && OGR_G_IsEmpty(g) == 0) xy = representative_xy(g, p.label);
        }
        if (!xy) {
            ++warnings.skipped_without_geometry;
            if (without_position++ == 0) first_without_position = "row " + std::to_string(row);
            continue;
        }
        p.location = to_lonlat(crs, xy->first, xy->second, p.label);
        p.capacity = numeric_field(f.get(), capacity_field, "capacity", p.label, warnings, bad, max_facility_value);
        p.floor_area_m2 = numeric_field(f.get(), floor_area_field, "floor area", p.label, warnings, bad, max_facility_value);
        p.staff = numeric_field(f.get(), staff_field, "staff", p.label, warnings, bad, max_facility_value);
        out.pois.push_back(std::move(p));
    }
    if (row == 0) {
        throw io_error(path.string() + ": holds no feature");
    }
    bad.report(path, warnings);
    if (out.pois.empty()) {
        throw data_error(path.string() + ": none of its " + std::to_string(row) + " POIs has a position (empty " +
                         (location_name.empty() ? "coordinates" : "'" + location_name + "'") + "; the first is " +
                         first_without_position + ")");
    }
    if (without_position > 0) {
        warnings.messages.push_back(path.string() + ": " + std::to_string(without_position) + " of " + std::to_string(row) +
                                    " POIs have no position and are skipped; the first is " + first_without_position);
    }
    if (repeated > 0) {
        warnings.messages.push_back(path.string() + ": " + std::to_string(repeated) +
                                    " POI(s) repeat an id already read and are read once (first: " + first_repeated + ")");
    }
    warn_outside_china(crs, path, warnings);
    return out;
}

} // namespace yike::io
