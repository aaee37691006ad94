#pragma once
// Facility categories and how OSM objects map onto them: the types and their reader live in io
// (yike/io/categories.hpp, data/categories/osm.toml); the engine keeps its names for them.
#include "yike/io/categories.hpp"

namespace yike::engine {

using io::Category;
using io::CategoryMapping;
using io::load_category_mapping;
using io::parse_tag_condition;
using io::tag_condition_holds;
using io::TagCondition;
using io::TagConjunction;
using io::Tags;

} // namespace yike::engine
