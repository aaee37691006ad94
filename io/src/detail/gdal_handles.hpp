#pragma once
// RAII handles for GDAL/OGR C objects and GDAL's last error as message text, shared by the
// readers and writers of yike::io.
#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <algorithm>
#include <memory>
#include <string>
#include <type_traits>

namespace yike::io::detail {

struct DatasetCloser {
    void operator()(void* ds) const noexcept { GDALClose(ds); }
};
struct FeatureDestroyer {
    void operator()(OGRFeatureH f) const noexcept { OGR_F_Destroy(f); }
};
struct GeometryDestroyer {
    void operator()(OGRGeometryH g) const noexcept { OGR_G_DestroyGeometry(g); }
};
struct SrsDestroyer {
    void operator()(OGRSpatialReferenceH s) const noexcept { OSRDestroySpatialReference(s); }
};
struct TransformDestroyer {
    void operator()(OGRCoordinateTransformationH t) const noexcept { OCTDestroyCoordinateTransformation(t); }
};

using DatasetPtr = std::unique_ptr<void, DatasetCloser>;
using FeaturePtr = std::unique_ptr<std::remove_pointer_t<OGRFeatureH>, FeatureDestroyer>;
using GeometryPtr = std::unique_ptr<std::remove_pointer_t<OGRGeometryH>, GeometryDestroyer>;
using SrsPtr = std::unique_ptr<std::remove_pointer_t<OGRSpatialReferenceH>, SrsDestroyer>;
using TransformPtr = std::unique_ptr<std::remove_pointer_t<OGRCoordinateTransformationH>, TransformDestroyer>;

// Registers GDAL's drivers, once, and keeps GDAL from printing its own errors to stderr: yike's
// one-line messages carry GDAL's last error instead (last_gdal_error).
inline void register_gdal() {
    static const bool registered = [] {
        GDALAllRegister();
        CPLSetErrorHandler(CPLQuietErrorHandler);
        return true;
    }();
    (void)registered;
}

// " (GDAL's last error message)" on one line, or empty when GDAL said nothing.
inline std::string last_gdal_error() {
    std::string why = CPLGetLastErrorMsg();
    std::replace(why.begin(), why.end(), '\n', ' ');
    return why.empty() ? std::string{} : " (" + why + ")";
}

} // namespace yike::io::detail
