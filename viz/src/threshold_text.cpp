#include "detail/threshold_text.hpp"

#include "yike/engine/category_cost.hpp"
#include "yike/io/feature_writer.hpp"

namespace yike::viz::detail {

std::string threshold_text(const engine::Target& t, ThresholdForm form) {
    const bool metres = t.threshold_m.has_value();
    if (!metres && !t.threshold_minutes) return form == ThresholdForm::page ? "—" : "";
    const std::string value = io::format_number(metres ? *t.threshold_m : *t.threshold_minutes);
    const bool senior = engine::walking_network(t) == engine::Network::senior;
    const std::string profile(engine::walking_profile_name(t));
    const std::string profile_zh = senior ? "老年人步行" : "步行";
    switch (form) {
    case ThresholdForm::report: return value + (metres ? " m" : " min (" + profile + ")");
    case ThresholdForm::report_zh: return value + (metres ? " 米" : " 分钟（" + profile_zh + "）");
    case ThresholdForm::page:
        return value + (metres ? " 米 m" : std::string(" 分钟 min") + (senior ? " (老年人 senior)" : ""));
    case ThresholdForm::map: return value + (metres ? " 米步行 m walk" : " 分钟步行 min walk");
    case ThresholdForm::api: return value + (metres ? " m" : " min");
    }
    return value;
}

} // namespace yike::viz::detail
