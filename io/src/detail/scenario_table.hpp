#pragma once
// The scenario-file reader (scenario.cpp) applied to a table that is not a whole file: a `[[run]]`
// of a batch file (batch.cpp) sets the same keys, over a scenario it names.
#include <toml++/toml.h>

#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>

#include "yike/io/scenario.hpp"

namespace yike::io::detail {

// Sets the scenario keys `table` names over `s` (keys it does not name keep their values; a
// [[facilities]] list replaces the previous list). Paths are relative to `dir`; messages read
// "FILE:LINE: CONTEXT: ...". `also` are further keys the caller reads itself (allowed, ignored).
void apply_scenario_table(const toml::table& table, const std::filesystem::path& file, const std::filesystem::path& dir,
                          const std::string& context, std::initializer_list<std::string_view> also,
                          ScenarioSettings& s);

} // namespace yike::io::detail
