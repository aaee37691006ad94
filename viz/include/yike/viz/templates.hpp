#pragma once
// Empty input sheets a street office can fill in (`yike template`): the columns yike reads for
// facilities, households or communities, headed in Chinese and English with names the layer
// readers accept, a sheet explaining each column, and for facilities the category ids with their
// names (data/categories/osm.toml).
#include <string>
#include <string_view>
#include <vector>

#include "yike/engine/categories.hpp"
#include "yike/engine/report.hpp"
#include "yike/io/xlsx_writer.hpp"

namespace yike::viz {

enum class TemplateKind { facilities, households, communities };

// "facilities", "households", "communities"; nullopt otherwise.
std::optional<TemplateKind> parse_template_kind(std::string_view text);

struct InputTemplate {
    io::XlsxSheet input;              // the header to fill in, no rows
    io::XlsxSheet fields;             // one row per column: meaning in Chinese and English, how yike reads it
    std::optional<io::XlsxSheet> categories; // facilities: one row per category of the mapping
}; // struct InputTemplate

InputTemplate input_template(TemplateKind kind, const engine::CategoryMapping& categories, engine::Language language);

} // namespace yike::viz
