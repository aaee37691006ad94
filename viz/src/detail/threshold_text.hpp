#pragma once
// A target's walking threshold in words, for every page and table of viz. One implementation; the
// forms below are each what its outputs print today, kept byte for byte (outputs are compared with
// `diff -r` before and after every change): the number is io::format_number's, the words come from
// one table, only the layout differs.
#include <string>

#include "yike/engine/standards.hpp"

namespace yike::viz::detail {

enum class ThresholdForm {
    report,    // "400 m", "15 min (walk)": summary.md/csv/json/xlsx, catchments, plan.md and evaluation.md (en, both)
    report_zh, // "400 米", "15 分钟（步行）": plan.md and evaluation.md with --lang zh
    page,      // "400 米 m", "15 分钟 min (老年人 senior)": report.html
    map,       // "400 米步行 m walk", "15 分钟步行 min walk": the legends of `yike render`
    api,       // "400 m", "15 min": the web planner's answers
};

// "" for a target without a threshold ("—" in the page form).
std::string threshold_text(const engine::Target& t, ThresholdForm form);

} // namespace yike::viz::detail
