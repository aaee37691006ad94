// The words of report.html in the run's language (--lang). `both` is the page as it always was
// (Chinese with English beside it; baseline snapshots and tests hold its bytes); `zh` and `en`
// leave the other language out of the page altogether, the script included.
#include "detail/html_words.hpp"

#include <utility>
#include <vector>

#include "detail/threshold_text.hpp"
#include "yike/assert.hpp"
#include "yike/io/number_text.hpp"

namespace yike::viz::detail {

using engine::Language;

namespace {

std::string pick(Language language, std::string_view zh, std::string_view en, std::string_view both) {
    return std::string(language == Language::zh ? zh : language == Language::en ? en : both);
}

std::string percent(const std::optional<double>& share) { return share ? io::percent(*share) : "—"; }

} // namespace

std::string status_html(engine::Status s, Language language) {
    std::string_view cls = s == engine::Status::pass ? "st-pass" : s == engine::Status::fail ? "st-fail" : "st-other";
    std::string_view zh;
    std::string_view en;
    switch (s) {
    case engine::Status::pass: zh = "达标"; en = "pass"; break;
    case engine::Status::fail: zh = "未达标"; en = "fail"; break;
    case engine::Status::report_only: zh = "仅报告"; en = "report only"; break;
    case engine::Status::not_assessable: zh = "无法评估"; en = "not assessable"; break;
    case engine::Status::no_data: zh = "无数据"; en = "no data"; break;
    case engine::Status::no_demand: zh = "无需求"; en = "no demand"; break;
    case engine::Status::not_applicable: zh = "不适用"; en = "not applicable"; break;
    }
    const std::string open = "<span class=\"st " + std::string(cls) + "\">";
    if (language == Language::both)
        return open + "<span class=\"zh\">" + std::string(zh) + "</span> <span class=\"en\">" + std::string(en) + "</span></span>";
    return open + std::string(language == Language::zh ? zh : en) + "</span>";
}

std::string page_threshold(const engine::Target& t, Language language) {
    return threshold_text(t, language == Language::zh   ? ThresholdForm::report_zh
                             : language == Language::en ? ThresholdForm::report
                                                        : ThresholdForm::page);
}

std::string page_required(const engine::Target& t, Language language) {
    using engine::TargetKind;
    const auto L = [&](std::string_view zh, std::string_view en, std::string_view both) { return pick(language, zh, en, both); };
    if (t.report_only) return L("仅报告", "report only", "仅报告 report only");
    const std::string unit_zh = t.unit == engine::AreaUnit::community ? "社区" : "街道";
    const std::string unit_en(engine::to_string(t.unit));
    switch (t.kind) {
    case TargetKind::coverage:
        if (t.basis == engine::Basis::communities) {
            return percent(t.required_share) + L(" 社区", " of communities", " 社区 of communities") + " (≥ " +
                   percent(t.community_share_covered) + ")";
        }
        {
            std::string_view zh;
            switch (t.basis) {
            case engine::Basis::households: zh = "户"; break;
            case engine::Basis::population: zh = "人口"; break;
            case engine::Basis::seniors: zh = "老年人"; break;
            case engine::Basis::children: zh = "儿童"; break;
            case engine::Basis::communities: zh = "社区"; break;
            }
            const std::string en(engine::to_string(t.basis));
            return percent(t.required_share) + " " + L(zh, en, std::string(zh) + " " + en);
        }
    case TargetKind::presence:
        return percent(t.required_share) + " " + L(unit_zh, unit_en + "s", unit_zh + " " + unit_en + "s");
    case TargetKind::ratio:
        switch (t.ratio) {
        case engine::RatioKind::floor_area_per_100_households:
            return "≥ " + io::format_number(t.min_floor_area_m2) + " m²/100 " + L("户", "hh", "户 hh");
        case engine::RatioKind::floor_area_per_community:
            return "≥ " + io::format_number(t.min_floor_area_m2) + " m²/" + L(unit_zh, unit_en, unit_en);
        case engine::RatioKind::staff_per_households:
            return "1 " + L("人", "staff", "人 staff") + " / " + std::to_string(t.households_per_staff) + " " +
                   L("户", "hh", "户 hh");
        case engine::RatioKind::households_per_unit:
            return "≥ " + std::to_string(t.min_households) + " " + L("户", "hh", "户 hh") + "/" +
                   L(unit_zh, unit_en, unit_en);
        }
    }
    return "—";
}

// report.js as the page embeds it: unchanged for both; for zh and en each of its bilingual strings
// keeps one side. Every string listed must be in the script (asserted), so that a change to
// report.js that this table does not follow fails the first report written, not silently.
std::string one_language_script(std::string script, Language language) {
    if (language == Language::both) return script;
    struct Words {
        const char* both;
        const char* zh;
        const char* en;
    };
    static const std::vector<Words> table = {
        {"zh: '达标', en: 'pass'", "zh: '达标', en: ''", "zh: '', en: 'pass'"},
        {"zh: '未达标', en: 'fail'", "zh: '未达标', en: ''", "zh: '', en: 'fail'"},
        {"zh: '仅报告', en: 'report only'", "zh: '仅报告', en: ''", "zh: '', en: 'report only'"},
        {"zh: '无法评估', en: 'not assessable'", "zh: '无法评估', en: ''", "zh: '', en: 'not assessable'"},
        {"zh: '无数据', en: 'no data'", "zh: '无数据', en: ''", "zh: '', en: 'no data'"},
        {"zh: '无需求', en: 'no demand'", "zh: '无需求', en: ''", "zh: '', en: 'no demand'"},
        {"zh: '不适用', en: 'not applicable'", "zh: '不适用', en: ''", "zh: '', en: 'not applicable'"},
        {"['社区达标情况', data.grid ? 'Grid cells: pass / fail' : 'Communities: pass / fail']",
         "[data.grid ? '网格达标情况' : '社区达标情况', '']", "['', data.grid ? 'Grid cells: pass / fail' : 'Communities: pass / fail']"},
        {"['未覆盖住户密度', 'Uncovered households per 100 m cell']", "['未覆盖住户密度（100 米格）', '']",
         "['', 'Uncovered households per 100 m cell']"},
        {"['可达范围', 'Reach within the threshold']", "['阈值内可达范围', '']", "['', 'Reach within the threshold']"},
        {"['步行路网', 'Walking network']", "['步行路网', '']", "['', 'Walking network']"},
        {"['未覆盖住户', 'Uncovered households']", "['未覆盖住户', '']", "['', 'Uncovered households']"},
        {"['设施', 'Facilities']", "['设施', '']", "['', 'Facilities']"},
        {"` ${LABELS[name][0]} <i>${LABELS[name][1]}</i>`", "` ${LABELS[name][0]}`", "` ${LABELS[name][1]}`"},
        {"`<br>达到 achieved ${(100 * share).toFixed(1)} %`", "`<br>达到 ${(100 * share).toFixed(1)} %`",
         "`<br>achieved ${(100 * share).toFixed(1)} %`"},
        {"`<br>${fmt(a.hh)} 户 households`", "`<br>${fmt(a.hh)} 户`", "`<br>${fmt(a.hh)} households`"},
        {"`<br>${data.demand.cell_m} 米格 m cell, ${fmt(data.demand.n[i])} 个点 points`",
         "`<br>${data.demand.cell_m} 米格，${fmt(data.demand.n[i])} 个点`",
         "`<br>${data.demand.cell_m} m cell, ${fmt(data.demand.n[i])} points`"},
        {"`未覆盖 uncovered: ${hh} 户 households${where}`", "`未覆盖：${hh} 户${where}`", "`uncovered: ${hh} households${where}`"},
        {"`${fmt(v)} 户未覆盖 uncovered households`", "`${fmt(v)} 户未覆盖`", "`${fmt(v)} uncovered households`"},
        {"'<br>新增设施 planned site'", "'<br>新增设施'", "'<br>planned site'"},
        {"'<span>目标 <i>Target</i></span>'", "'<span>目标</span>'", "'<span>Target</span>'"},
        {"'<legend>图层 <i>Layers</i></legend>'", "'<legend>图层</legend>'", "'<legend>Layers</legend>'"},
        {"设施类别 <i>Facility categories</i>", "设施类别", "Facility categories"},
        {"新增设施 <i>planned site</i>", "新增设施", "planned site"},
        {"图例 <i>Legend</i>", "图例", "Legend"},
        {"未达标 <i>fail</i>", "未达标", "fail"},
        {"达标 <i>pass</i>", "达标", "pass"},
        {"其他 <i>other</i>", "其他", "other"},
        {"未覆盖住户（按户数） <i>uncovered households, sized by households</i>", "未覆盖住户（按户数）",
         "uncovered households, sized by households"},
        {"按 ${data.demand.cell_m} 米网格汇总（逐点见 layers 的 demand 图层） <i>aggregated into ${data.demand.cell_m} m cells "
         "(every point: demand layer of layers.gpkg)</i>",
         "按 ${data.demand.cell_m} 米网格汇总（逐点见 layers 的 demand 图层）",
         "aggregated into ${data.demand.cell_m} m cells (every point: demand layer of layers.gpkg)"},
        {"未覆盖密度 <i>density</i>", "未覆盖密度", "density"},
        {"可达范围 <i>reach of the target\\'s facilities</i>", "所选目标设施的可达范围", "reach of the target\\'s facilities"},
        {"步行路网 <i>walking network</i>", "步行路网", "walking network"},
        {"阈值 <i>threshold</i>", "阈值", "threshold"},
        {"要求 <i>required</i>", "要求", "required"},
        {"words('达到', 'achieved')", "words('达到', '')", "words('', 'achieved')"},
        {"words('结果', 'result')", "words('结果', '')", "words('', 'result')"},
        {"未覆盖 <i>uncovered</i>", "未覆盖", "uncovered"},
        {"户 hh</dd>", "户</dd>", "hh</dd>"},
    };
    for (const auto& w : table) {
        const std::string_view from = w.both;
        const std::string_view to = language == Language::zh ? w.zh : w.en;
        const auto at = script.find(from);
        YIKE_ASSERT(at != std::string::npos);
        script.replace(at, from.size(), to);
        YIKE_ASSERT(script.find(from, at + to.size()) == std::string::npos);
    }
    return script;
}

} // namespace yike::viz::detail
