// User layers read through GDAL/OGR: points, facilities, demand and population rasters. Areas are
// read in area_layers.cpp, AMap/Baidu POI exports in poi_layers.cpp.
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

} // namespace yike::io
