#pragma once
// Values of the `yike` command's options that the command parses itself (CLI11 parses the rest).
// Kept out of main.cpp so the fuzz target and tests call the same functions.
#include <string>

#include "yike/error.hpp"
#include "yike/routing/geo.hpp"

namespace yike::cli {

// Bad option values found after parsing (exit code 2, like CLI11's own parse errors).
class usage_error : public yike::error {
public:
    using yike::error::error;
};

// "LON,LAT" in degrees (--at); throws usage_error for anything else or outside lon/lat bounds.
routing::LonLat parse_lonlat(const std::string& text);

} // namespace yike::cli
