#pragma once
// Planning standards: the types and their reader live in io (yike/io/standards.hpp,
// data/standards/ID.toml); the engine keeps its names for them and computes on them here.
#include "yike/engine/categories.hpp"
#include "yike/io/standards.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace yike::engine {

using io::AreaUnit;
using io::Basis;
using io::Confidence;
using io::confidence_tag;
using io::list_standards;
using io::load_standard;
using io::Network;
using io::RatioKind;
using io::Require;
using io::Serves;
using io::Standard;
using io::StandardInfo;
using io::StandardPart;
using io::Target;
using io::TargetKind;
using io::to_string;

// Markdown: a heading, the source, and one table row per target (for `yike standards show`).
std::string describe_standard(const Standard& standard, const CategoryMapping& categories);

// Markdown table of the shipped standards (for `yike standards list`).
std::string describe_standard_list(const std::vector<StandardInfo>& standards);

// A target's network, budget and measure: category_cost.hpp.

} // namespace yike::engine
