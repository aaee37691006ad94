#pragma once
// The facility layers most input tests read: every feature of one category (a pharmacy, with
// coordinates in WGS 84, unless a test says otherwise).
#include <filesystem>
#include <string>

#include "support/temp_dir.hpp"
#include "yike/error.hpp"
#include "yike/io/inputs.hpp"

namespace yike::test {

// A layer whose every feature is of `category` (no category field), in the CRS the file itself says.
inline io::FacilityLayerOptions category_layer(const std::string& category) {
    io::FacilityLayerOptions options;
    options.category = category;
    return options;
}

inline io::FacilityLayerOptions pharmacy_layer() {
    io::FacilityLayerOptions options = category_layer("pharmacy");
    options.crs = "EPSG:4326";
    return options;
}

// The message of the data_error that reading `path` throws; no exception, or another one, fails
// the test.
inline std::string facility_data_error(const std::filesystem::path& path,
                                       const io::FacilityLayerOptions& options = pharmacy_layer()) {
    io::ReadWarnings warnings;
    return message_of<data_error>([&] { (void)io::read_facility_layer(path, options, warnings); });
}

} // namespace yike::test
