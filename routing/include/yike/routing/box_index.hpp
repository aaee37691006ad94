#pragma once
// A static spatial index of items by their bounding boxes in the projected plane: an R*-tree
// bulk-loaded (packed) once, asked which items' boxes meet a window. Street segments for snapping
// (snap.cpp) and barrier segments for the snap lines they block (engine site_snapper.cpp) use it.
#include <algorithm>
#include <cstddef>
#include <iterator>
#include <utility>
#include <vector>

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>

#include "yike/routing/geo.hpp"

namespace yike::routing {

using BoxPoint = boost::geometry::model::point<double, 2, boost::geometry::cs::cartesian>;
using Box = boost::geometry::model::box<BoxPoint>;

// The bounding box of the segment a-b.
inline Box segment_box(XY a, XY b) noexcept {
    return {BoxPoint(std::min(a.x_m, b.x_m), std::min(a.y_m, b.y_m)), BoxPoint(std::max(a.x_m, b.x_m), std::max(a.y_m, b.y_m))};
}

template <class Payload>
class BoxIndex {
public:
    using Item = std::pair<Box, Payload>;

    BoxIndex() = default;
    // The range constructor bulk-loads the tree: faster to build and to query than inserting one by one.
    explicit BoxIndex(const std::vector<Item>& items) : m_tree(items.begin(), items.end()) {}

    [[nodiscard]] bool empty() const noexcept { return m_tree.empty(); }
    [[nodiscard]] std::size_t size() const noexcept { return m_tree.size(); }

    // Replaces `hits` by the items whose box meets `window` (in the tree's order, not by distance).
    void query(const Box& window, std::vector<Item>& hits) const {
        hits.clear();
        m_tree.query(boost::geometry::index::intersects(window), std::back_inserter(hits));
    }

private:
    boost::geometry::index::rtree<Item, boost::geometry::index::rstar<16>> m_tree;
};

} // namespace yike::routing
