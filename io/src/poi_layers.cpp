// POI exports from AMap and Baidu (CSV or Excel): names, class strings or typecodes and a location
// column or lng/lat columns, as records for the category mapping.
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
#include "detail/layer_reading.hpp"
#include "detail/layer_source.hpp"
#include "detail/utf8.hpp"
#include "yike/error.hpp"
#include "yike/io/crs.hpp"
#include "yike/io/inputs.hpp"
#include "yike/io/point_reader.hpp"

namespace yike::io {

using namespace detail; // the readers' shared parts (detail/layer_reading.hpp)

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
