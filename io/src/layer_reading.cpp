// What every user-layer reader shares (see detail/layer_reading.hpp).
#include "detail/layer_reading.hpp"

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

namespace yike::io::detail {

namespace {

// The layer's bounding box in its own coordinates, for the message about a missing CRS.
std::optional<std::array<double, 4>> layer_box(const SourceLayer& src) {
    std::array<double, 4> box{HUGE_VAL, HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
    OGR_L_ResetReading(src.layer);
    bool any = false;
    while (true) {
        FeaturePtr f(OGR_L_GetNextFeature(src.layer));
        if (!f) break;
        GeometryPtr holder;
        OGRGeometryH g = feature_geometry(src, f.get(), holder);
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

} // namespace

void require_file(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        throw io_error(path.string() + ": file not found");
    }
}

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


LayerCrs crs_from_srs(OGRSpatialReferenceH srs, const std::filesystem::path& path, const LayerOptions& options,
                      const SourceLayer* src) {
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

FeatureId feature_id(OGRFeatureH f, int id_field, const std::filesystem::path& path, std::uint64_t number) {
    FeatureId out;
    out.id = trimmed(field_text(f, id_field));
    require_utf8(out.id, "id", feature_label(path, number, {}));
    out.label = feature_label(path, number, out.id);
    if (out.id.empty()) {
        out.id = path.stem().string() + ":" + std::to_string(number);
    }
    return out;
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
    return known_field_index(defn, name);
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
    const int i = known_field_index(defn, name);
    if (i < 0) {
        const std::string_view chinese = chinese_field_names(name);
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
    if (!is_utf8(text)) {
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
    return known_field_index(defn, "id");
}

int name_field_index(OGRFeatureDefnH defn, const std::filesystem::path& path, const LayerOptions& options) {
    if (!options.name_field.empty()) {
        return required_field(defn, path, options.name_field, "name");
    }
    return known_field_index(defn, "name");
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

} // namespace yike::io::detail
