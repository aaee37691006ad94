#pragma once
// report.html's own words in the run's language (html_words.cpp): `both` gives the page's
// bilingual text as it always was, `zh` and `en` one language only.
#include <string>

#include "yike/engine/report.hpp"

namespace yike::viz::detail {

std::string status_html(engine::Status status, engine::Language language);  // the coloured status label
std::string page_threshold(const engine::Target& t, engine::Language language); // "15 分钟 min", "15 分钟（步行）", "15 min (walk)"
std::string page_required(const engine::Target& t, engine::Language language);  // "100.0 % 户 households"
// report.js with each of its bilingual strings reduced to the chosen language (unchanged for both).
std::string one_language_script(std::string script, engine::Language language);

} // namespace yike::viz::detail
