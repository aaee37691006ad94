#pragma once
// JSON string literals, shared by the GeoJSON writer and the HTML report's embedded data.
#include <string>
#include <string_view>

namespace yike::io {

// Appends `text` as a quoted JSON string. script_safe also escapes '<', '>' and '&', so the
// literal can sit inside an HTML <script> block without ending it.
void append_json_string(std::string& out, std::string_view text, bool script_safe = false);

} // namespace yike::io
