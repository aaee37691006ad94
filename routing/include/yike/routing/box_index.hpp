#pragma once
// A static spatial index of items by their bounding boxes in the projected plane: an R*-tree
// bulk-loaded (packed) once, asked which items' boxes meet a window. Street segments for snapping
// (snap.cpp) and barrier segments for the snap lines they block (engine site_snapper.cpp) use it.
// The tree (Boost.Geometry) stays inside routing/src/box_index.cpp.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "yike/routing/geo.hpp"

namespace yike::routing {

// An axis-aligned box in metres of the local projection.
struct Box {
    XY lo;
    XY hi;
};

// The bounding box of the segment a-b.
inline Box segment_box(XY a, XY b) noexcept {
    return {{std::min(a.x_m, b.x_m), std::min(a.y_m, b.y_m)}, {std::max(a.x_m, b.x_m), std::max(a.y_m, b.y_m)}};
}

class BoxIndex {
public:
    // An item: its box and a number the caller gives it (an index, or an id packed into 64 bits).
    struct Item {
        Box box;
        std::uint64_t value = 0;
    };

    BoxIndex();
    // Bulk-loads the tree from every item at once: faster to build and to query than inserting
    // them one by one.
    explicit BoxIndex(const std::vector<Item>& items);
    ~BoxIndex();
    BoxIndex(BoxIndex&&) noexcept;
    BoxIndex& operator=(BoxIndex&&) noexcept;

    [[nodiscard]] bool empty() const noexcept;
    [[nodiscard]] std::size_t size() const noexcept;

    // Replaces `hits` by the values of the items whose box meets `window` (in the tree's order,
    // not by distance).
    void query(const Box& window, std::vector<std::uint64_t>& hits) const;

private:
    struct Tree;
    std::unique_ptr<Tree> m_tree;
};

} // namespace yike::routing
