// The words of summary.md and of the run's warnings in the run's language (--lang). `both` and `en`
// keep the English the engine and the readers write (`both` is byte for byte what these outputs
// always were: the baseline snapshots and the README quote it); `zh` gives the Chinese of every
// form yike writes itself. Text whose form is not known here (a message added later) is kept as it
// is rather than guessed at.
#include <regex>
#include <utility>
#include <vector>

#include "detail/report_parts.hpp"
#include "detail/siting_words.hpp"
#include "yike/io/number_text.hpp"
#include "yike/viz/report.hpp"

namespace yike::viz {

namespace {

using Forms = std::vector<std::pair<std::regex, std::string>>;

Forms compile(const std::vector<std::pair<const char*, const char*>>& list) {
    Forms out;
    for (const auto& [pattern, zh] : list) out.emplace_back(std::regex(pattern), zh);
    return out;
}

// The first form that matches the whole text, rewritten; the text itself when none does.
std::string rewrite(const std::string& text, const Forms& forms) {
    for (const auto& [pattern, zh] : forms) {
        std::smatch m;
        if (std::regex_match(text, m, pattern)) return m.format(zh);
    }
    return text;
}

} // namespace

std::string localized_warning(const std::string& message, engine::Language language) {
    if (language != engine::Language::zh) return message;
    // The warnings a planner meets on an ordinary run (OSM buildings, snapping, POI exports, areas,
    // demand fields); `(.*): ` is the file the reader names first.
    static const Forms forms = compile({
        {R"((.*): (\d+) residential building\(s\) without building:levels counted with (\S+) levels)",
         "$1：$2 栋住宅建筑未标注 building:levels，按 $3 层计"},
        {R"((\d+) of (\d+) demand points could not be snapped to the network \(counted as uncovered; see demand_issues\.csv\))",
         "$2 个需求点中有 $1 个无法接入路网（计为未覆盖，见 demand_issues.csv）"},
        {R"((\d+) of (\d+) facilities could not be snapped to the network \(they serve nobody\))",
         "$2 处设施中有 $1 处无法接入路网（不服务任何住户）"},
        {R"((.*): (\d+) of (\d+) POIs map to no category of (\S+) \(by class: (.*), and (\d+) more classes\); listed in facility_issues\.csv)",
         "$1：$3 个 POI 中有 $2 个对应不到 $4 的任何类别（按分类：$5，另有 $6 类）；已列入 facility_issues.csv"},
        {R"((.*): (\d+) of (\d+) POIs map to no category of (\S+) \(by class: (.*)\); listed in facility_issues\.csv)",
         "$1：$3 个 POI 中有 $2 个对应不到 $4 的任何类别（按分类：$5）；已列入 facility_issues.csv"},
        {R"((.*): (\d+) POI\(s\) have classes the AMap typecode table does not know \(first: (.*)\); listed in facility_issues\.csv)",
         "$1：$2 个 POI 的类型编码不在高德分类表中（第一个：$3）；已列入 facility_issues.csv"},
        {R"((.*): (\d+) POI\(s\) have classes the Baidu industry table does not know \(first: (.*)\); listed in facility_issues\.csv)",
         "$1：$2 个 POI 的行业分类不在百度分类表中（第一个：$3）；已列入 facility_issues.csv"},
        {R"((.*): (\d+) POI\(s\) map to several categories and count in each \(first: (.*)\); listed in facility_issues\.csv)",
         "$1：$2 个 POI 对应多个类别，在每个类别中都计入（第一个：$3）；已列入 facility_issues.csv"},
        {R"((.*): (\d+) of (\d+) POIs have no position and are skipped; the first is (.*))",
         "$1：$3 个 POI 中有 $2 个没有坐标，已跳过；第一个是 $4"},
        {R"((.*): (\d+) POI\(s\) repeat an id already read and are read once \(first: (.*)\))",
         "$1：$2 个 POI 的编号重复，只读取一次（第一个：$3）"},
        {R"((.*): (\d+) position\(s\) outside China \(first: (.*)\) in (\S+), which shifts positions only inside China: taken unshifted; check the layer's CRS)",
         "$1：$2 个位置在中国境外（第一个：$3），$4 只在境内偏移：按原坐标使用；请检查该图层的坐标系"},
        {R"((.*): no demand point has (\S+) \(field '(.*)' missing or empty\), so (\d+) target\(s\) counted in (\S+) report no demand)",
         "$1：没有需求点带有 $2（字段“$3”缺失或为空），因此按 $5 计的 $4 项目标为无需求"},
        {R"((.*): (\d+) demand point\(s\) hold more than (\S+) households or people each \(first: (.*)\); check the fields and their unit)",
         "$1：$2 个需求点的户数或人数超过 $3（第一个：$4）；请检查字段及其单位"},
        {R"((.*): has no geometry; skipped)", "$1：没有几何图形，已跳过"},
        {R"((.*): polygon is empty after repair; skipped)", "$1：修复后多边形为空，已跳过"},
        {R"((.*): polygon is empty; skipped)", "$1：多边形为空，已跳过"},
        {R"((.*): invalid polygon \(e\.g\. self-intersecting\) repaired into (\d+) polygon\(s\))",
         "$1：无效多边形（如自相交）已修复为 $2 个多边形"},
        {R"((.*): polygon has no ring of 3 or more points; skipped)", "$1：多边形没有 3 个点以上的环，已跳过"},
        {R"((.*): category field '(.*)' is empty; feature skipped)", "$1：类别字段“$2”为空，已跳过"},
        {R"((.*): (\d+) polygon\(s\) of interest skipped: nodes or member ways missing from the extract)",
         "$1：$2 个相关多边形因数据中缺少节点或成员路段而跳过"},
        {R"((.*): community (\S+) has (\S+) known households but no residential building; they cannot be placed)",
         "$1：社区 $2 有已知住户 $3 户，但没有住宅建筑，无法落位"},
        {R"((.*): (\d+) communities have 0 known households \(field '(.*)'\) but residential buildings; their estimated households are set to 0 \(first: (.*) estimated\))",
         "$1：$2 个社区已知户数为 0（字段“$3”）但有住宅建筑，其估算户数设为 0（第一个：$4 为估算值）"},
    });
    const std::string out = rewrite(message, forms);
    if (out == message) return out;
    // The rows the readers name inside a message (io's feature labels).
    static const std::regex with_id(R"(\brow (\d+) \(id ([^)]*)\))");
    static const std::regex row(R"(\brow (\d+)\b)");
    static const std::regex feature_with_id(R"(\bfeature (\d+) \(id ([^)]*)\))");
    static const std::regex feature(R"(\bfeature (\d+)\b)");
    std::string text = std::regex_replace(out, feature_with_id, "第 $1 个要素（编号 $2）");
    text = std::regex_replace(text, feature, "第 $1 个要素");
    return std::regex_replace(std::regex_replace(text, with_id, "第 $1 行（编号 $2）"), row, "第 $1 行");
}

namespace detail {

std::string input_label(const std::string& label, Language language) {
    if (language != Language::zh) return label;
    static const std::vector<std::pair<std::string, std::string>> labels = {
        {"OSM extract", "OSM 数据"}, {"data licence", "数据许可"}, {"standard", "标准"},   {"walking network", "步行路网"},
        {"demand", "需求"},          {"facilities", "设施"},       {"areas", "统计单元"}, {"snapping", "吸附"},
        {"planned sites", "规划站点"}};
    for (const auto& [en, zh] : labels)
        if (en == label) return zh;
    return label;
}

std::string input_value(const std::string& value, Language language) {
    if (language != Language::zh) return value;
    static const Forms forms = compile({
        {R"((\d+) nodes, (\d+) edges \(profile (\S+), (\S+) m/s; senior (\S+) m/s\))",
         "$1 个节点，$2 条边（步行配置 $3，$4 米/秒；老年人 $5 米/秒）"},
        {R"(estimated from OSM residential buildings \((\S+) m² per dwelling, (\S+) levels where untagged, (\S+) persons per household\))",
         "由 OSM 住宅建筑估算（每套 $1 m²，未标层数的按 $2 层，每户 $3 人）"},
        {R"(households layer (.+))", "住户图层 $1"},
        {R"(population raster (.+))", "人口栅格 $1"},
        {R"(OSM via (\S+))", "OSM（按 $1 分类）"},
        {R"(none)", "无"},
        {R"(grid cells of (\S+) m)", "$1 米网格"},
        {R"(at most (\S+) m, never across walls, fences or water; entrances first)", "最远 $1 米，不穿越墙、围栏或水面；优先吸附到入口"},
        {R"(© OpenStreetMap contributors, ODbL 1.0 \((\S+)\))", "© OpenStreetMap 贡献者，ODbL 1.0（$1）"},
        {R"((\d+) new facilities added to the existing ones)", "在现有设施之外新增 $1 处设施"},
    });
    return rewrite(value, forms);
}

std::string required_text(const Target& target, Language language) {
    if (language != Language::zh) return required_text(target);
    const SitingWords W{language};
    const std::string unit = target.unit == AreaUnit::community ? "社区" : "街道";
    switch (target.kind) {
    case TargetKind::coverage:
        if (target.report_only) return "仅报告";
        if (target.basis == Basis::communities)
            return "社区的 " + percent(target.required_share) + "（每个社区户数的 " + percent(target.community_share_covered) + "）";
        return W.basis(target.basis) + "的 " + percent(target.required_share);
    case TargetKind::presence:
        return unit + "单元的 " + (target.report_only ? std::string("仅报告") : percent(target.required_share)) +
               (target.require == Require::any ? "，任一类即可" : "，每类均需");
    case TargetKind::ratio:
        switch (target.ratio) {
        case RatioKind::floor_area_per_100_households:
            return "每个" + unit + "每百户 ≥ " + number(target.min_floor_area_m2) + " m²";
        case RatioKind::floor_area_per_community: return "每个" + unit + " ≥ " + number(target.min_floor_area_m2) + " m²";
        case RatioKind::staff_per_households: {
            std::string text = "每 " + std::to_string(target.households_per_staff) + " 户 1 名工作人员";
            if (target.min_staff > 0) {
                text += "，至少 " + std::to_string(target.min_staff) + " 人";
                if (target.min_staff_below_households)
                    text += "（不足 " + std::to_string(*target.min_staff_below_households) + " 户时）";
            }
            return text;
        }
        case RatioKind::households_per_unit:
            return "每个" + unit + " ≥ " + std::to_string(target.min_households) + " 户" +
                   (target.norm_households ? "（标准 " + std::to_string(*target.norm_households) + " 户）" : "");
        }
    }
    return "";
}

std::string measure_text(const CatchmentDefinition& d, Language language) {
    if (language != Language::zh) return measure_text(d);
    return d.options.metric == routing::Metric::length_cm ? "路网距离" : "步行时间";
}

std::string network_text(const CatchmentDefinition& d, Language language) {
    if (language != Language::zh) return network_text(d);
    return d.senior_network ? "老年人" : "步行";
}

std::string basis_text(const CatchmentDefinition& d, Language language) {
    if (language != Language::zh) return basis_text(d);
    return SitingWords{language}.basis(d.basis);
}

std::string decay_text(const CatchmentDefinition& d, Language language) {
    const std::string text = decay_text(d);
    if (language != Language::zh) return text;
    if (!d.options.gaussian_decay) return "无";
    return "高斯，β" + text.substr(std::string("gaussian, beta").size());
}

} // namespace detail

} // namespace yike::viz
