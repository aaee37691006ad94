#include "arguments.hpp"

#include <cmath>
#include <stdexcept>

namespace yike::cli {

routing::LonLat parse_lonlat(const std::string& text) {
    const auto comma = text.find(',');
    if (comma == std::string::npos) {
        throw usage_error("--at " + text + ": expected LON,LAT (e.g. --at 7.4246,43.7384)");
    }
    try {
        std::size_t used1 = 0;
        std::size_t used2 = 0;
        const std::string a = text.substr(0, comma);
        const std::string b = text.substr(comma + 1);
        const double lon = std::stod(a, &used1);
        const double lat = std::stod(b, &used2);
        if (used1 != a.size() || used2 != b.size() || !std::isfinite(lon) || !std::isfinite(lat)) {
            throw std::invalid_argument("trailing text");
        }
        if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
            throw usage_error("--at " + text + ": outside lon/lat bounds (give LON,LAT in degrees, longitude first)");
        }
        return {lon, lat};
    } catch (const std::logic_error&) {
        throw usage_error("--at " + text + ": expected two numbers LON,LAT");
    }
}

} // namespace yike::cli
