#pragma once
// The facility layer most input tests read: every feature a pharmacy, coordinates in WGS 84.
#include <filesystem>
#include <string>

#include "support/temp_dir.hpp"
#include "yike/error.hpp"
#include "yike/io/inputs.hpp"

namespace yike::test {

inline io::FacilityLayerOptions pharmacy_layer() {
    io::FacilityLayerOptions options;
    options.category = "pharmacy";
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
