// Area layers (communities, sub-districts, masks) read through GDAL/OGR: polygons repaired and
// converted to WGS84.
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
    while (true) {
        FeaturePtr f(OGR_L_GetNextFeature(layer));
        if (!f) {
            break;
        }
        ++number;
        AreaRecord a;
        auto [id, label] = feature_id(f.get(), id_field, path, number);
        a.id = std::move(id);
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
                // A hole counts only inside a usable exterior.
                if (k == 0) {
                    pg.exterior.points = std::move(pts);
                } else if (!pg.exterior.points.empty()) {
                    pg.holes.push_back(routing::Ring{std::move(pts)});
                }
            }
            if (!pg.exterior.points.empty()) {
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

} // namespace yike::io
