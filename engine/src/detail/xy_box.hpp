#pragma once
// The bounding box of projected lines (metres), for sizing lattices and finding nearby barriers.
#include <algorithm>
#include <limits>
#include <vector>

#include "yike/routing/geo.hpp"

namespace yike::engine::detail {

struct XYBox {
    double min_x = std::numeric_limits<double>::infinity();
    double min_y = std::numeric_limits<double>::infinity();
    double max_x = -std::numeric_limits<double>::infinity();
    double max_y = -std::numeric_limits<double>::infinity();

    void add(routing::XY p) noexcept {
        min_x = std::min(min_x, p.x_m);
        min_y = std::min(min_y, p.y_m);
        max_x = std::max(max_x, p.x_m);
        max_y = std::max(max_y, p.y_m);
    }
    void add(const std::vector<routing::XY>& line) noexcept {
        for (const routing::XY& p : line) add(p);
    }
    // No point added (or only non-numbers).
    [[nodiscard]] bool empty() const noexcept { return !(min_x <= max_x); }
};

inline XYBox bounds_of(const std::vector<std::vector<routing::XY>>& lines) noexcept {
    XYBox box;
    for (const auto& l : lines) box.add(l);
    return box;
}

} // namespace yike::engine::detail
