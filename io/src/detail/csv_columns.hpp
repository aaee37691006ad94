#pragma once
// The columns GDAL's CSV driver takes as longitude and latitude, shared by the point and layer
// readers. GDAL 3.6 (Debian 12) crashes on two longitude columns ahead of the latitude column
// when told to drop the coordinate columns (KEEP_GEOM_COLUMNS=NO; found by the csv_points fuzz
// target), and otherwise silently takes the last of them. So the columns are kept as fields and
// a file naming a coordinate twice is refused.
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <strings.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "yike/error.hpp"

namespace yike::io::detail {

inline constexpr const char* csv_x_names = "lon,lng,long,longitude,x,经度,经度 lon"; // the last: yike template
inline constexpr const char* csv_y_names = "lat,latitude,y,纬度,纬度 lat";

// The open options for a CSV file (a null-terminated list for GDALOpenEx; free with CSLDestroy).
inline char** csv_open_options() {
    char** options = nullptr;
    options = CSLSetNameValue(options, "X_POSSIBLE_NAMES", csv_x_names);
    options = CSLSetNameValue(options, "Y_POSSIBLE_NAMES", csv_y_names);
    return options;
}

inline bool is_csv(void* dataset) {
    GDALDriverH driver = GDALGetDatasetDriver(dataset);
    return driver != nullptr && std::strcmp(GDALGetDriverShortName(driver), "CSV") == 0;
}

// Throws data_error naming the columns when more than one column is a longitude (or a latitude).
inline void check_coordinate_columns(OGRLayerH layer, const std::filesystem::path& path) {
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    const std::pair<std::string_view, const char*> coordinates[] = {{csv_x_names, "longitude"},
                                                                    {csv_y_names, "latitude"}};
    for (const auto& [names, what] : coordinates) {
        std::string found;
        int count = 0;
        for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i) {
            const std::string field = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
            std::size_t begin = 0;
            while (begin <= names.size()) {
                const std::size_t end = std::min(names.find(',', begin), names.size());
                const std::string name(names.substr(begin, end - begin));
                if (strcasecmp(field.c_str(), name.c_str()) == 0) {
                    found += (count++ == 0 ? "" : ", ") + field;
                    break;
                }
                begin = end + 1;
            }
        }
        if (count > 1) {
            throw data_error(path.string() + ": has more than one " + what + " column (" + found +
                             "); keep one of them");
        }
    }
}

} // namespace yike::io::detail
