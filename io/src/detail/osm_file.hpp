#pragma once
// The checks every OSM reader makes before handing a path to libosmium, so that a missing file or
// a folder gives the same one-line error whichever reader meets it first.
#include <filesystem>
#include <system_error>

#include "yike/error.hpp"

namespace yike::io::detail {

inline void require_osm_file(const std::filesystem::path& osm_file) {
    std::error_code ec;
    const auto status = std::filesystem::status(osm_file, ec);
    if (!std::filesystem::exists(status)) {
        throw io_error(osm_file.string() + ": OSM file not found");
    }
    if (!std::filesystem::is_regular_file(status)) {
        throw io_error(osm_file.string() + ": not a regular file");
    }
}

} // namespace yike::io::detail
