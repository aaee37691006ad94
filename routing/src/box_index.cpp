#include "yike/routing/box_index.hpp"

#include <utility>

#include <boost/function_output_iterator.hpp>
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>

namespace yike::routing {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace {

using BPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using BBox = bg::model::box<BPoint>;
using Value = std::pair<BBox, std::uint64_t>;

BBox to_boost(const Box& b) { return {BPoint(b.lo.x_m, b.lo.y_m), BPoint(b.hi.x_m, b.hi.y_m)}; }

} // namespace

struct BoxIndex::Tree {
    bgi::rtree<Value, bgi::rstar<16>> rtree;
};

BoxIndex::BoxIndex() : m_tree(std::make_unique<Tree>()) {}

BoxIndex::BoxIndex(const std::vector<Item>& items) : m_tree(std::make_unique<Tree>()) {
    std::vector<Value> values;
    values.reserve(items.size());
    for (const Item& it : items) values.emplace_back(to_boost(it.box), it.value);
    // The range constructor packs the tree.
    m_tree->rtree = bgi::rtree<Value, bgi::rstar<16>>(values.begin(), values.end());
}

BoxIndex::~BoxIndex() = default;
BoxIndex::BoxIndex(BoxIndex&&) noexcept = default;
BoxIndex& BoxIndex::operator=(BoxIndex&&) noexcept = default;

bool BoxIndex::empty() const noexcept { return m_tree->rtree.empty(); }
std::size_t BoxIndex::size() const noexcept { return m_tree->rtree.size(); }

void BoxIndex::query(const Box& window, std::vector<std::uint64_t>& hits) const {
    hits.clear();
    m_tree->rtree.query(bgi::intersects(to_boost(window)),
                        boost::make_function_output_iterator([&hits](const Value& v) { hits.push_back(v.second); }));
}

} // namespace yike::routing
