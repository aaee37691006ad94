#include "yike/io/point_reader.hpp"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <cmath>
#include <memory>

#include "detail/csv_columns.hpp"
#include "detail/gdal_handles.hpp"
#include "detail/utf8.hpp"
#include "yike/error.hpp"

namespace yike::io {

using detail::DatasetPtr;
using detail::FeaturePtr;
using detail::SrsPtr;
using detail::TransformPtr;

std::vector<InputPoint> read_points(const std::filesystem::path& path, PointReadReport* report) {
    detail::register_gdal();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        throw io_error(path.string() + ": file not found");
    }
    char** open_options = detail::csv_open_options();
    CPLErrorReset();
    DatasetPtr ds(
        GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, open_options, nullptr));
    CSLDestroy(open_options);
    if (!ds) {
        const std::string why = CPLGetLastErrorMsg();
        throw io_error(path.string() + ": not a readable vector file" + (why.empty() ? "" : " (" + why + ")"));
    }
    if (GDALDatasetGetLayerCount(ds.get()) < 1) {
        throw io_error(path.string() + ": holds no layer");
    }
    OGRLayerH layer = GDALDatasetGetLayer(ds.get(), 0);
    if (detail::is_csv(ds.get())) {
        detail::check_coordinate_columns(layer, path);
    }
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int id_field = OGR_FD_GetFieldIndex(defn, "id");
    if (id_field < 0) {
        id_field = OGR_FD_GetFieldIndex(defn, "name");
    }

    TransformPtr transform;
    SrsPtr wgs84(OSRNewSpatialReference(nullptr));
    OSRImportFromEPSG(wgs84.get(), 4326);
    OSRSetAxisMappingStrategy(wgs84.get(), OAMS_TRADITIONAL_GIS_ORDER);
    if (OGRSpatialReferenceH src = OGR_L_GetSpatialRef(layer)) {
        if (!OSRIsSame(src, wgs84.get())) {
            SrsPtr src_copy(OSRClone(src));
            OSRSetAxisMappingStrategy(src_copy.get(), OAMS_TRADITIONAL_GIS_ORDER);
            transform.reset(OCTNewCoordinateTransformation(src_copy.get(), wgs84.get()));
            if (!transform) {
                throw io_error(path.string() + ": cannot transform its CRS to WGS84: " + CPLGetLastErrorMsg());
            }
        }
    }

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
        std::string id = std::to_string(position);
        if (id_field >= 0 && OGR_F_IsFieldSetAndNotNull(f.get(), id_field)) {
            // A blank id (an empty CSV cell) would leave the point unnamed in every output.
            std::string field = OGR_F_GetFieldAsString(f.get(), id_field);
            if (!detail::is_utf8(field)) {
                throw data_error(path.string() + ": feature " + std::to_string(position) +
                                 ": id is not UTF-8 text (GBK/GB18030?); convert the file, e.g. iconv -f GB18030 -t UTF-8");
            }
            const auto first = field.find_first_not_of(" \t\r\n");
            if (first != std::string::npos) {
                id = field.substr(first, field.find_last_not_of(" \t\r\n") - first + 1);
            }
        }
        OGRGeometryH g = OGR_F_GetGeometryRef(f.get());
        if (g == nullptr || OGR_G_IsEmpty(g)) {
            ++rep.skipped_without_geometry;
            continue;
        }
        double x = 0;
        double y = 0;
        if (wkbFlatten(OGR_G_GetGeometryType(g)) == wkbPoint) {
            x = OGR_G_GetX(g, 0);
            y = OGR_G_GetY(g, 0);
        } else {
            // A point on the surface stays inside concave polygons, unlike the centroid.
            OGRGeometryH c = OGR_G_PointOnSurface(g);
            if (c == nullptr) {
                c = OGR_G_CreateGeometry(wkbPoint);
                OGR_G_Centroid(g, c);
            }
            x = OGR_G_GetX(c, 0);
            y = OGR_G_GetY(c, 0);
            OGR_G_DestroyGeometry(c);
            ++rep.non_point_as_centroid;
        }
        if (!std::isfinite(x) || !std::isfinite(y)) {
            throw data_error(path.string() + ": feature " + id + " has a coordinate that is not a finite number");
        }
        if (transform) {
            if (OCTTransform(transform.get(), 1, &x, &y, nullptr) == 0) {
                throw data_error(path.string() + ": feature " + id + " cannot be transformed to WGS84");
            }
        }
        if (x < -180.0 || x > 180.0 || y < -90.0 || y > 90.0) {
            throw data_error(path.string() + ": feature " + id + " has lon/lat " + std::to_string(x) + "," +
                             std::to_string(y) + " outside WGS84 bounds (wrong CRS, or lat,lon swapped?)");
        }
        points.push_back({id, {x, y}});
    }
    if (points.empty()) {
        throw io_error(path.string() + ": holds no point with a geometry");
    }
    return points;
}

} // namespace yike::io
