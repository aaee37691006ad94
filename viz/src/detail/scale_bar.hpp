#pragma once
// The length a map's scale bar shows, shared by the SVG and cairo maps.
#include <cmath>

namespace yike::viz::detail {

// 1, 2 or 5 times a power of ten, not above target_m (target_m > 0).
inline double nice_length_m(double target_m) {
    const double p = std::pow(10.0, std::floor(std::log10(target_m)));
    for (const double f : {5.0, 2.0, 1.0}) {
        if (f * p <= target_m) {
            return f * p;
        }
    }
    return p;
}

} // namespace yike::viz::detail
