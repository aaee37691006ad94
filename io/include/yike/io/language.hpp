#pragma once
// The language of the words and headers of summary.md, report.html and summary.xlsx (--lang, a
// scenario's `lang`): Chinese and English side by side (the default), or one of them. Ids, CSV and
// JSON keys never change. The engine uses it under its own name (yike/engine/report.hpp).
#include <optional>
#include <string_view>

namespace yike::io {

enum class Language { both, zh, en };
std::string_view to_string(Language language);
// "zh", "en" or "both"; nullopt for anything else.
std::optional<Language> parse_language(std::string_view text);

} // namespace yike::io
