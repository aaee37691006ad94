// The report folder's words and text files: numbers and statuses as the report prints them, the
// --lang choice, summary.md and the CSV tables (summary.csv, catchments.csv, communities.csv,
// subdistricts.csv, demand_issues.csv, facility_issues.csv). Every number is formatted with a fixed
// rule and every list has a fixed order, so the same input gives byte-identical files.
#include "detail/report_parts.hpp"
#include "detail/siting_words.hpp"
#include "detail/threshold_text.hpp"
#include "yike/assert.hpp"
#include "yike/io/feature_writer.hpp"
#include "yike/io/number_text.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

namespace yike::viz::detail {

using io::csv_row;
using io::fixed;

// ---- formatting ----------------------------------------------------------------------------

std::string percent(const std::optional<double>& share) { return share ? io::percent(*share) : "—"; }

std::string number(double value) { return io::format_number(value); }

std::string optional_number(const std::optional<double>& value) { return value ? number(*value) : std::string(); }

using io::csv_row;

std::string md_cell(const std::string& text) {
    std::string out;
    for (const char c : text) {
        if (c == '|') out += "\\|";
        else if (c == '\n' || c == '\r') out += ' ';
        else out += c;
    }
    return out;
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? separator : "") + parts[i];
    return out;
}

// Layer field name from a target or category id ("dc.culture_10min" -> "dc_culture_10min").
std::string field_name(const std::string& id) {
    std::string out = id;
    for (auto& c : out)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) c = '_';
    return out;
}

std::string status_text(Status status) {
    switch (status) {
    case Status::pass: return "达标 pass";
    case Status::fail: return "未达标 fail";
    case Status::report_only: return "仅报告 report only";
    case Status::not_assessable: return "无法评估 not assessable";
    case Status::no_data: return "无数据 no data";
    case Status::no_demand: return "无需求 no demand";
    case Status::not_applicable: return "—";
    }
    return "?";
}

// ---- language (--lang) ---------------------------------------------------------------------

namespace {

// Whether the UTF-8 text holds a CJK character (ideographs, CJK punctuation, full-width forms).
bool has_cjk(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0xE0 || c >= 0xF0 || i + 2 >= text.size()) continue;
        const auto cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(text[i + 1]) & 0x3Fu) << 6) |
                        (static_cast<unsigned char>(text[i + 2]) & 0x3Fu);
        if ((cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFFEF)) return true;
    }
    return false;
}

// The report's words are written "中文 / English" (labels, headings, table headers, names) and
// "中文 english" (results): one language keeps one side. Explanatory sentences are English only
// and stay so.
std::string localize_words(const std::string& text, Language language) {
    if (language == Language::both) return text;
    std::string out;
    out.reserve(text.size());
    std::size_t done = 0; // text before `done` is in `out`
    for (std::size_t p = text.find(" / "); p != std::string::npos; p = text.find(" / ", p + 3)) {
        if (p < done) continue;
        std::size_t left = p;
        while (left > done && std::string_view(" |`*\n").find(text[left - 1]) == std::string_view::npos) --left;
        const std::string_view zh(text.data() + left, p - left);
        std::size_t right = p + 3;
        while (right < text.size() && std::string_view("|:\n*[(),`;").find(text[right]) == std::string_view::npos) ++right;
        std::size_t end = right;
        while (end > p + 3 && text[end - 1] == ' ') --end;
        const std::string_view en(text.data() + p + 3, end - (p + 3));
        if (zh.empty() || !has_cjk(zh) || en.empty() || has_cjk(en) ||
            !std::isalnum(static_cast<unsigned char>(en.front())))
            continue;
        out.append(text, done, left - done);
        out += language == Language::zh ? zh : en;
        done = end;
    }
    out.append(text, done, std::string::npos);
    for (const auto status : {Status::pass, Status::fail, Status::report_only, Status::not_assessable, Status::no_data,
                              Status::no_demand}) {
        const std::string both = status_text(status);
        const auto space = both.find(' ');
        const std::string one = language == Language::zh ? both.substr(0, space) : both.substr(space + 1);
        for (auto at = out.find(both); at != std::string::npos; at = out.find(both, at + one.size())) out.replace(at, both.size(), one);
    }
    const std::string unconfirmed = "⚠ 未确认 unconfirmed";
    const std::string one = language == Language::zh ? "⚠ 未确认" : "⚠ unconfirmed";
    for (auto at = out.find(unconfirmed); at != std::string::npos; at = out.find(unconfirmed, at + one.size()))
        out.replace(at, unconfirmed.size(), one);
    return out;
}

} // namespace

// localize_words outside the spans markdown() put between \x02 and \x03 (names from the data, already
// in the chosen language), which are copied as they are; the marks are dropped.
std::string localize(const std::string& text, Language language) {
    std::string out;
    std::size_t at = 0;
    while (at < text.size()) {
        const auto open = text.find('\x02', at);
        out += localize_words(text.substr(at, open == std::string::npos ? std::string::npos : open - at), language);
        if (open == std::string::npos) break;
        const auto close = text.find('\x03', open + 1);
        YIKE_ASSERT(close != std::string::npos);
        out.append(text, open + 1, close - open - 1);
        at = close + 1;
    }
    return out;
}

// ---- totals check --------------------------------------------------------------------------

namespace {

bool close(double a, double b) noexcept { return std::fabs(a - b) <= 1e-9 * std::max(1.0, std::fabs(b)); }

void check_totals(const UnitResult& r) {
    YIKE_ASSERT(r.covered.points + r.uncovered.points == r.total.points);
    YIKE_ASSERT(close(r.covered.households + r.uncovered.households, r.total.households));
    YIKE_ASSERT(close(r.covered.population + r.uncovered.population, r.total.population));
    YIKE_ASSERT(close(r.covered.seniors + r.uncovered.seniors, r.total.seniors));
    YIKE_ASSERT(close(r.covered.children + r.uncovered.children, r.total.children));
    YIKE_ASSERT(r.unsnapped.points <= r.uncovered.points);
}

} // namespace

void check_totals(const ReportResults& results) {
    for (const auto& t : results.targets) {
        check_totals(t.overall);
        YIKE_ASSERT(close(t.overall.total.households, results.demand.households));
        YIKE_ASSERT(t.overall.total.points == results.demand.points);
        for (const auto& r : t.communities) check_totals(r);
        for (const auto& r : t.subdistricts) check_totals(r);
    }
}

// ---- target descriptions -------------------------------------------------------------------

std::string threshold_text(const Target& target) { return threshold_text(target, ThresholdForm::report); }

std::string needs_text(const Context& ctx, const TargetResult& t) {
    return target_needs_text(ctx.data, t, ctx.data.run.language == Language::zh);
}

// Targets whose result is held back by missing data: no_data, or a field no facility had.
bool lacks_data(const TargetResult& t) {
    return (!t.needs_categories.empty() && t.overall.status != Status::pass) || !t.needs_field.empty();
}

// ---- floating catchments ------------------------------------------------------------------

namespace {
std::string method_name(const CatchmentDefinition& d) { return d.options.gaussian_decay ? "E2SFCA" : "2SFCA"; }
} // namespace

std::string measure_text(const CatchmentDefinition& d) {
    return d.options.metric == routing::Metric::length_cm ? "network length" : "walking time";
}
std::string network_text(const CatchmentDefinition& d) { return d.senior_network ? "senior" : "walk"; }
std::string basis_text(const CatchmentDefinition& d) { return std::string(to_string(d.basis)); }
// The decay and its parameter in the threshold's unit: β in m² (lengths) or min² (times).
std::string decay_text(const CatchmentDefinition& d) {
    if (!d.options.gaussian_decay) return "none";
    const double beta = gaussian_beta(d.options);
    const bool length = d.options.metric == routing::Metric::length_cm;
    return "gaussian, beta " + fixed(length ? beta / 1e4 : beta / 3.6e9, 4) + (length ? " m²" : " min²");
}

std::string required_text(const Target& target) {
    switch (target.kind) {
    case TargetKind::coverage:
        if (target.report_only) return "仅报告 report only";
        if (target.basis == Basis::communities)
            return percent(target.required_share) + " of communities (each ≥ " + percent(target.community_share_covered) +
                   " of households)";
        return percent(target.required_share) + " of " + std::string(to_string(target.basis));
    case TargetKind::presence:
        return (target.report_only ? std::string("仅报告 report only") : percent(target.required_share)) + " of " +
               std::string(to_string(target.unit)) + " units, " + std::string(to_string(target.require)) + " category";
    case TargetKind::ratio:
        switch (target.ratio) {
        case RatioKind::floor_area_per_100_households:
            return "≥ " + number(target.min_floor_area_m2) + " m² / 100 households per " + std::string(to_string(target.unit));
        case RatioKind::floor_area_per_community:
            return "≥ " + number(target.min_floor_area_m2) + " m² per " + std::string(to_string(target.unit));
        case RatioKind::staff_per_households: {
            std::string text = "1 staff / " + std::to_string(target.households_per_staff) + " households";
            if (target.min_staff > 0) {
                text += ", ≥ " + std::to_string(target.min_staff);
                if (target.min_staff_below_households)
                    text += " below " + std::to_string(*target.min_staff_below_households) + " households";
            }
            return text;
        }
        case RatioKind::households_per_unit:
            return "≥ " + std::to_string(target.min_households) + " households per " + std::string(to_string(target.unit)) +
                   (target.norm_households ? " (norm " + std::to_string(*target.norm_households) + ")" : "");
        }
    }
    return "";
}

namespace {

std::string achieved_text(const Target& target, const UnitResult& r) {
    if (target.kind == TargetKind::coverage && target.basis != Basis::communities) return percent(r.achieved);
    return percent(r.achieved) + " (" + std::to_string(r.units_passing) + "/" + std::to_string(r.units) + ")";
}

// One cell of the per-area tables; names from the data between \x02 and \x03 (localize()).
std::string cell_text(const Context& ctx, const Target& target, const UnitResult& r, bool aggregated) {
    if (r.status == Status::not_applicable) return "—";
    const SitingWords W{ctx.data.run.language};
    std::string value;
    if (aggregated || (target.kind == TargetKind::coverage && target.basis == Basis::communities && r.units > 0)) {
        value = std::to_string(r.units_passing) + "/" + std::to_string(r.units);
    } else if (target.kind == TargetKind::coverage) {
        value = percent(r.achieved);
    } else if (target.kind == TargetKind::presence) {
        if (W.language != Language::zh) {
            value = r.missing.empty() ? "present" : "missing " + join(r.missing, ", ");
        } else {
            std::vector<std::string> names;
            for (const auto& c : r.missing) {
                const auto* cat = ctx.data.categories.find(c);
                names.push_back(cat ? cat->name_zh : c);
            }
            value = r.missing.empty() ? "齐全" : "\x02缺少 " + join(names, "、") + "\x03";
        }
    } else if (target.ratio == RatioKind::staff_per_households) {
        value = (r.value ? number(*r.value) : "?") + "/" + optional_number(r.required) + W(" 人", " staff");
    } else if (target.ratio == RatioKind::households_per_unit) {
        value = fixed(r.value.value_or(0), 0) + W(" 户", " households");
    } else if (target.ratio == RatioKind::floor_area_per_100_households) {
        value = r.achieved ? fixed(*r.achieved, 1) + W(" m²/百户", " m²/100 hh") : number(r.value.value_or(0)) + " m²";
    } else {
        value = fixed(r.value.value_or(0), 1) + " m²";
    }
    if (r.lacking_data > 0) value += W("，", ", ") + std::to_string(r.lacking_data) + W(" 个缺少数据", " lacking data");
    return status_text(r.status) + " " + value;
}

} // namespace

// ---- summary.md ----------------------------------------------------------------------------

std::string markdown(const Context& ctx) {
    const auto& data = ctx.data;
    const auto& results = ctx.results;
    const auto& standard = data.standard;
    std::ostringstream md;
    const auto lang = data.run.language;
    // Names are the data's own text: chosen here, not by localize() (they may hold commas or brackets).
    auto named = [&](const std::string& zh, const std::string& en) { return "\x02" + in_language(lang, zh, en, " / ") + "\x03"; };
    // A sentence: Chinese for zh; for en and both the text these reports always had (localize()
    // then keeps the English side of its "中文 / English" labels for en).
    const SitingWords W{lang};
    const bool zh = lang == Language::zh;
    md << "# 差距报告 / Gap report: " << named(standard.name_zh, standard.name_en) << "\n\n";
    const bool combined = standard.parts.size() > 1;
    if (combined) {
        md << W("标准（共 ", "标准 / Standards (") << standard.parts.size()
           << W(" 项，在一次运行中合并；目标保留各自的编号）：\n\n", ", combined in one run; targets keep their ids):\n\n");
        for (const auto& part : standard.parts) {
            md << "- `" << part.id << "` " << named(part.name_zh, part.name_en) << " — " << part.source << "\n";
        }
        md << "\n";
        for (const auto& part : standard.parts) {
            if (!part.note.empty()) md << "`" << part.id << "`: " << part.note << "\n\n";
        }
    } else {
        md << "标准 / Standard: `" << standard.id << "` — " << standard.source << "\n\n";
        if (!standard.note.empty()) md << standard.note << "\n\n";
    }

    // Footnote labels of unconfirmed targets, in target order.
    std::vector<std::string> mark(standard.targets.size());
    std::size_t unconfirmed = 0;
    for (std::size_t k = 0; k < standard.targets.size(); ++k)
        if (!standard.targets[k].confirmed) mark[k] = "[^u" + std::to_string(++unconfirmed) + "]";
    if (unconfirmed > 0)
        md << "**"
           << in_language(data.run.language, std::to_string(unconfirmed) + " 项目标未经确认",
                          std::to_string(unconfirmed) + " target(s) unconfirmed", " / ")
           << W("**（⚠）：其数值或我们对原文的理解尚未与官方文本核对，见文末注释。\n\n",
                "** (⚠): their numbers or our reading of them are not confirmed against the "
                "official text; see the notes at the end.\n\n");

    md << "## 运行信息 / Run\n\n";
    // Labels and values are the run's own (file names among them): no "中文 / English" of theirs is split.
    for (const auto& [label, value] : data.run.inputs)
        md << "- \x02" << md_cell(input_label(label, lang)) << W("：", ": ") << md_cell(input_value(value, lang)) << "\x03\n";
    md << W("- 步行速度：步行 ", "- 步行速度 / walking speed: walk ") << fixed(data.run.walk_speed_mm_per_s / 1000.0, 2)
       << W(" 米/秒，老年人 ", " m/s, senior ") << fixed(data.run.senior_speed_mm_per_s / 1000.0, 2) << W(" 米/秒\n", " m/s\n");
    const auto& d = results.demand;
    md << W("- 需求点：", "- 需求点 / demand points: ") << d.points << W("（户数 ", " (households ") << fixed(d.households, 1)
       << W("，人口 ", ", population ") << fixed(d.population, 1) << W("，老年人 ", ", seniors ") << fixed(d.seniors, 1)
       << W("，儿童 ", ", children ") << fixed(d.children, 1) << W("）\n", ")\n");
    const auto& u = results.unsnapped_demand;
    md << W("- 未接入路网的需求点：", "- 未接入路网的需求点 / unsnapped demand points: ") << u.points
       << W("（户数 ", " (households ") << fixed(u.households, 1) << W("），计为未覆盖\n", "), counted as uncovered\n");
    md << W("- 设施：", "- 设施 / facilities: ") << data.facilities.size() << W("（未接入路网 ", " (unsnapped ")
       << results.unsnapped_facilities << W("）\n", ")\n");
    if (results.areas.grid)
        md << W("- 网格：", "- 网格 / grid cells of ") << number(data.grid.cell_m)
           << W(" 米网格（未给出社区）：", " m (no communities given): ") << results.areas.communities.size() << "\n";
    else
        md << "- 社区 / communities: " << results.areas.communities.size() << "\n";
    if (results.areas.whole_study_area)
        md << W("- 街道：未给出，整个研究范围作为一个单元（`all`）\n",
                "- 街道 / sub-districts: none given, the whole study area is one unit (`all`)\n");
    else
        md << "- 街道 / sub-districts: " << results.areas.subdistricts.size() << "\n";
    Weights outside;
    for (const auto i : results.outside_communities) outside.add(data.demand[i]);
    md << W("- 不在任何社区内：", "- 不在任何社区内 / outside every community: ") << outside.points
       << W(" 个需求点，户数 ", " demand points, households ") << fixed(outside.households, 1)
       << W("（计入总数）\n\n", " (kept in the overall totals)\n\n");

    if (!data.run.warnings.empty()) {
        md << "## 警告 / Warnings\n\n";
        for (const auto& w : data.run.warnings) md << "- \x02" << md_cell(localized_warning(w, lang)) << "\x03\n";
        md << "\n";
    }

    md << "## 目标 / Targets\n\n";
    auto table_head = [&] {
    md << "| 目标 / target | 类型 / kind | 设施 / categories | 阈值 / threshold | 要求 / required | 达到 / achieved | "
          "结果 / result | 未覆盖户数 / uncovered households | 未覆盖人口 / uncovered population | 未覆盖老人 / uncovered "
          "seniors | 来源 / source | 可信度 / confidence | 未确认 / unconfirmed |\n";
    md << "|---|---|---|---|---|---|---|---:|---:|---:|---|---|---|\n";
    };
    // One table per standard when several are combined, in the order given.
    std::string group = "\x01";
    for (const auto& t : results.targets) {
        const auto& target = ctx.target(t);
        if (target.standard != group) {
            if (combined) {
                const auto part = std::find_if(standard.parts.begin(), standard.parts.end(),
                                               [&](const StandardPart& p) { return p.id == target.standard; });
                YIKE_ASSERT(part != standard.parts.end());
                md << (group == "\x01" ? "" : "\n") << "### `" << part->id << "` "
                   << named(part->name_zh, part->name_en) << "\n\n";
            }
            if (group == "\x01" || combined) table_head();
            group = target.standard;
        }
        std::vector<std::string> names;
        for (const auto& c : target.categories) names.push_back(ctx.category_name(c));
        std::string categories = join(names, W("，", ", "));
        if (target.categories.size() > 1)
            categories = (zh ? std::string(target.require == Require::any ? "任一" : "每类") + "："
                             : std::string(to_string(target.require)) + ": ") +
                         categories;
        md << "| `" << target.id << "` " << named(md_cell(target.name_zh), md_cell(target.name_en)) << mark[t.target]
           << " | " << W.kind(target.kind) << " | " << (zh ? "\x02" + md_cell(categories) + "\x03" : md_cell(categories)) << " | "
           << W.threshold(target) << " | " << md_cell(required_text(target, lang)) << " | "
           << achieved_text(target, t.overall) << " | "
           << status_text(t.overall.status) << " | " << fixed(t.overall.uncovered.households, 1) << " | "
           << fixed(t.overall.uncovered.population, 1) << " | " << fixed(t.overall.uncovered.seniors, 1) << " | "
           << md_cell(target.source) << " | " << confidence_tag(target.confidence) << " | "
           << (target.confirmed ? "" : "⚠ 未确认 unconfirmed") << " |\n";
    }
    md << W("\n达到：覆盖率目标为按基数（户数、人口等）计的覆盖比例；设施配置、配建指标及按社区计的目标为达标单元占已评估单元"
            "的比例。未覆盖：在阈值之外、未接入路网，或位于未达标单元内的住户。未接入路网的需求点计为未覆盖。\n\n",
            "\n达到 / achieved: share of the basis (coverage), of units (presence, ratio, community basis; passing/assessed). "
            "未覆盖 / uncovered: outside the threshold, unsnapped, or in units failing the target. Unsnapped demand is "
            "uncovered.\n\n");
    if (std::any_of(results.targets.begin(), results.targets.end(), lacks_data)) {
        md << "## 缺少的数据 / Missing data\n\n"
           << in_language(data.run.language, "以下目标因缺少数据无法评判；补充这些数据后即可评估：",
                          "These targets cannot be judged on the data given; this would make them assessable:")
           << "\n\n";
        for (const auto& t : results.targets) {
            if (!lacks_data(t)) continue;
            md << "- `" << ctx.target(t).id << "`" << W("（", " (") << status_text(t.overall.status) << W("）：", "): ")
               << md_cell(needs_text(ctx, t)) << "\n";
        }
        md << "\n";
    }


    auto area_table = [&](bool communities) {
        const auto& areas = communities ? results.areas.communities : results.areas.subdistricts;
        md << (communities ? "## 按" + ctx.community_word().substr(0, ctx.community_word().find(" /")) + " / By " +
                                 ctx.community_word().substr(ctx.community_word().find("/ ") + 2) + "\n\n"
                           : std::string("## 按街道 / By sub-district\n\n"));
        md << "| " << (communities ? ctx.community_word() : std::string("街道 / sub-district"));
        if (communities) md << " | 街道 / sub-district";
        md << " | 户数 / households";
        for (const auto& t : results.targets) md << " | `" << ctx.target(t).id << "`" << mark[t.target];
        md << " |\n|---";
        if (communities) md << "|---";
        md << "|---:";
        for (std::size_t k = 0; k < results.targets.size(); ++k) md << "|---";
        md << "|\n";
        for (std::size_t a = 0; a < areas.size(); ++a) {
            const auto& area = areas[a];
            md << "| " << md_cell(area.id);
            if (!area.name.empty() && area.name != area.id) md << " " << md_cell(area.name);
            if (communities)
                md << " | " << (area.parent == invalid ? std::string("—") : md_cell(results.areas.subdistricts[area.parent].id));
            md << " | " << fixed(area.demand.households, 1);
            for (const auto& t : results.targets) {
                const auto& target = ctx.target(t);
                const auto& r = communities ? t.communities[a] : t.subdistricts[a];
                const bool aggregated = !communities && target.kind != TargetKind::coverage && target.unit == AreaUnit::community;
                md << " | " << md_cell(cell_text(ctx, target, r, aggregated));
            }
            md << " |\n";
        }
        md << "\n";
    };
    area_table(false);
    area_table(true);

    auto id_list = [&](const std::vector<std::uint32_t>& indices) {
        constexpr std::size_t shown = 100;
        std::vector<std::string> ids;
        for (std::size_t k = 0; k < indices.size() && k < shown; ++k) ids.push_back("`" + data.demand[indices[k]].id + "`");
        std::string text = join(ids, ", ");
        if (indices.size() > shown) text += W("，…（另有 ", ", … (") + std::to_string(indices.size() - shown) + W(" 个）", " more)");
        return text;
    };
    if (!results.outside_communities.empty()) {
        md << "## 不在任何社区内的住户 / Households outside every community\n\n";
        md << outside.points << W(" 个需求点，户数 ", " demand points, households ") << fixed(outside.households, 1)
           << W("（全部列入 demand_issues.csv）：", " (all in demand_issues.csv): ") << id_list(results.outside_communities)
           << "\n\n";
    }
    if (!results.areas.whole_study_area && !results.outside_subdistricts.empty()) {
        Weights w;
        for (const auto i : results.outside_subdistricts) w.add(data.demand[i]);
        md << "## 不在任何街道内的住户 / Households outside every sub-district\n\n";
        md << w.points << W(" 个需求点，户数 ", " demand points, households ") << fixed(w.households, 1)
           << W("（全部列入 demand_issues.csv）：", " (all in demand_issues.csv): ") << id_list(results.outside_subdistricts)
           << "\n\n";
    }
    std::vector<std::uint32_t> unsnapped;
    for (std::size_t i = 0; i < data.demand.size(); ++i)
        if (!data.demand_snaps[i].origin) unsnapped.push_back(static_cast<std::uint32_t>(i));
    if (!unsnapped.empty()) {
        md << "## 未接入路网的住户 / Unsnapped demand\n\n";
        md << unsnapped.size() << W(" 个需求点，户数 ", " demand points, households ") << fixed(u.households, 1)
           << W("，在每项覆盖率目标中都计为未覆盖（原因见 demand_issues.csv）：",
                ", counted as uncovered in every coverage target (reasons in demand_issues.csv): ")
           << id_list(unsnapped) << "\n\n";
    }

    if (!ctx.catchments.empty()) {
        const auto& standard_targets = data.standard.targets;
        md << "## 可达性指数 / Floating catchments\n\n"
           << W("设施带有容量的类别。每类的服务范围由第一个列出该类的覆盖率目标确定（阈值、度量、路网），需求按该目标的"
                "基数加权；每千人供给与可达性均为该基数每单位的容量（doc/catchment.md）。\n\n",
                "Categories whose facilities have capacities. Each category's catchment is set by the first coverage "
                "target naming it (threshold, measure, network) and weights demand by that target's basis; supply per "
                "1,000 and access are in capacity per unit of that basis (doc/catchment.md).\n\n");
        // Two of the headings hold a "/" of their own: written whole for zh rather than left to localize().
        md << W("| \x02设施 | 方法 | 目标 | 阈值 | 度量 | 路网 | 衰减 | 单位 | 设施（有容量） | 总容量 | 需求 | 可达需求 | "
                "每千人供给 | 可达性 最小/中位/最大 | 零可达\x03 |\n",
                "| 设施 / category | 方法 / method | 目标 / target | 阈值 / threshold | 度量 / measure | 路网 / network | "
                "衰减 / decay | 单位 / per | 设施 / facilities (with capacity) | 总容量 / total capacity | 需求 / demand | "
                "可达需求 / demand within reach | 每千人供给 / supply per 1,000 | 可达性 / access min / median / max | "
                "零可达 / zero access |\n");
        md << "|---|---|---|---|---|---|---|---|---:|---:|---:|---:|---:|---|---:|\n";
        auto opt = [](const std::optional<double>& v, int decimals) { return v ? fixed(*v, decimals) : std::string("—"); };
        for (const auto& c : ctx.catchments) {
            const auto& def = c.definition;
            const auto& t = standard_targets.at(def.target);
            md << "| " << md_cell(ctx.category_name(c.category)) << " | " << method_name(def) << " | `" << t.id << "` | "
               << W.threshold(t) << " | " << measure_text(def, lang) << " | " << network_text(def, lang) << " | "
               << decay_text(def, lang) << " | " << basis_text(def, lang) << " | " << c.facilities << W("（", " (")
               << c.facilities_with_capacity << W("） | ", ") | ")
               << fixed(c.total_capacity, 1) << " | " << fixed(c.all.demand, 1) << " | " << fixed(c.all.within_reach, 1)
               << " | " << opt(c.supply_per_1000, 2) << " | " << opt(c.access_min, 6) << " / " << opt(c.access_median, 6)
               << " / " << opt(c.access_max, 6) << " | " << percent(c.all.zero_access_share) << " |\n";
        }
        const std::string area_zh = ctx.community_word().substr(0, ctx.community_word().find(" /"));
        if (zh)
            md << "\n### 按" << area_zh << "的平均可达性（按各类的基数加权；括号内为零可达比例）\n\n| " << area_zh << " |";
        else
            md << "\n### 按" << area_zh << "的平均可达性 / Mean access by "
               << ctx.community_word().substr(ctx.community_word().find("/ ") + 2)
               << " (weighted by each category's basis; zero-access share in brackets)\n\n| " << ctx.community_word() << " |";
        for (const auto& c : ctx.catchments) md << " " << md_cell(c.category) << " |";
        md << "\n|---|";
        for (std::size_t k = 0; k < ctx.catchments.size(); ++k) md << "---:|";
        md << "\n";
        for (std::size_t a = 0; a < results.areas.communities.size(); ++a) {
            md << "| " << md_cell(results.areas.communities[a].id) << " |";
            for (const auto& c : ctx.catchments) {
                const auto& f = c.communities[a];
                md << " " << (f.demand > 0 ? fixed(f.mean_access, 6) + " (" + percent(f.zero_access_share) + ")" : "—") << " |";
            }
            md << "\n";
        }
        md << "\n";
    }

    md << "## 注 / Notes\n\n";
    md << W("- 可信度：S 见于原始文件，W 见于二手网络来源，R 凭记忆（未核对），D 推算得出。\n",
            "- 可信度 / confidence: S stated in a source document, W seen in a secondary web source, R recalled "
            "(not checked), D derived.\n");
    md << W("- 无法评估：设施缺少目标所需的建筑面积或人员数据；不计为达标。\n",
            "- 无法评估 / not assessable: facilities lack the floor area or staff figure the target needs; never counted "
            "as a pass.\n");
    md << W("- 无数据：该目标本应判为未达标，但其所需的某类设施没有任何来源提供，且 OSM 很少收录该类（或未检索 OSM）："
            "缺的是数据图层，而不是服务本身。\n",
            "- 无数据 / no data: the target would fail, but a category it needs has no facility from any source and OSM "
            "rarely maps it (or OSM was not searched): a missing layer, not a missing service.\n");
    for (std::size_t k = 0; k < standard.targets.size(); ++k) {
        const auto& target = standard.targets[k];
        if (!target.confirmed) continue;
        if (!target.note.empty()) md << "- `" << target.id << "`: " << md_cell(target.note) << "\n";
    }
    if (unconfirmed > 0) {
        md << "\n";
        for (std::size_t k = 0; k < standard.targets.size(); ++k) {
            const auto& target = standard.targets[k];
            if (target.confirmed) continue;
            md << mark[k] << ": ⚠ 未确认 / unconfirmed `" << target.id << "`" << W("（", " (")
               << confidence_tag(target.confidence) << W("）：", "): ")
               << (target.note.empty() ? W("未与官方文本核对", "not checked against the official text") : md_cell(target.note))
               << "\n";
        }
    }
    return md.str();
}

// ---- CSV tables ----------------------------------------------------------------------------

std::string summary_csv(const Context& ctx) {
    // A combined run (several standards) starts each row with the target's standard.
    const bool combined = ctx.data.standard.parts.size() > 1;
    std::vector<std::string> head{"target_id", "name_zh", "name_en", "kind", "level", "categories", "require", "serves", "threshold_minutes",
         "threshold_m", "profile", "basis", "community_share_covered", "unit", "ratio", "report_only", "required",
         "achieved", "status", "total_households", "covered_households", "uncovered_households", "total_population",
         "covered_population", "uncovered_population", "total_seniors", "covered_seniors", "uncovered_seniors",
         "total_children", "covered_children", "uncovered_children", "unsnapped_points", "unsnapped_households",
         "units", "units_passing", "units_failing", "units_not_assessable", "units_no_demand", "units_no_data",
         "needs_categories", "needs_field", "source", "confidence",
         "confirmed", "note"};
    if (combined) head.insert(head.begin(), "standard");
    std::string out = csv_row(head);
    for (const auto& t : ctx.results.targets) {
        const auto& target = ctx.target(t);
        const auto& r = t.overall;
        const bool coverage = target.kind == TargetKind::coverage;
        const bool ratio = target.kind == TargetKind::ratio;
        std::vector<std::string> row{target.id, target.name_zh, target.name_en, std::string(to_string(target.kind)), target.level,
                        join(target.categories, ";"), std::string(to_string(target.require)),
                        std::string(to_string(target.serves)), optional_number(target.threshold_minutes),
                        optional_number(target.threshold_m),
                        coverage && target.threshold_minutes ? std::string(walking_profile_name(target)) : "",
                        coverage ? std::string(to_string(target.basis)) : "",
                        optional_number(target.community_share_covered),
                        coverage ? "" : std::string(to_string(target.unit)),
                        ratio ? std::string(to_string(target.ratio)) : "", target.report_only ? "true" : "false",
                        optional_number(r.required), optional_number(r.achieved), std::string(to_string(r.status)),
                        number(r.total.households), number(r.covered.households), number(r.uncovered.households),
                        number(r.total.population), number(r.covered.population), number(r.uncovered.population),
                        number(r.total.seniors), number(r.covered.seniors), number(r.uncovered.seniors),
                        number(r.total.children), number(r.covered.children), number(r.uncovered.children),
                        std::to_string(r.unsnapped.points), number(r.unsnapped.households), std::to_string(r.units),
                        std::to_string(r.units_passing), std::to_string(t.units_failing),
                        std::to_string(t.units_not_assessable), std::to_string(t.units_no_demand),
                        std::to_string(t.units_no_data), join(t.needs_categories, ";"), t.needs_field, target.source,
                        std::string(confidence_tag(target.confidence)), target.confirmed ? "true" : "false",
                        target.note};
        if (combined) row.insert(row.begin(), target.standard);
        out += csv_row(row);
    }
    return out;
}

// catchments.csv: one row for the whole run and one per community and sub-district, per category
// with capacities.
std::string catchments_csv(const Context& ctx) {
    std::string out = csv_row({"category", "method", "target", "threshold", "measure", "network", "decay", "basis",
                               "scope", "area_id", "facilities", "facilities_with_capacity", "total_capacity", "demand",
                               "demand_within_reach", "supply_per_1000", "access_min", "access_median", "access_max",
                               "mean_access", "zero_access_share"});
    const auto& areas = ctx.results.areas;
    for (const auto& c : ctx.catchments) {
        const auto& d = c.definition;
        const std::vector<std::string> head{c.category, std::string(catchment_method(d.options)),
                                            ctx.data.standard.targets.at(d.target).id,
                                            threshold_text(ctx.data.standard.targets.at(d.target)), measure_text(d),
                                            network_text(d), decay_text(d), basis_text(d)};
        auto row = [&](const std::string& scope, const std::string& id, const AccessFigures& f, bool whole) {
            auto fields = head;
            for (const auto& v : std::vector<std::string>{
                     scope, id, whole ? std::to_string(c.facilities) : "", whole ? std::to_string(c.facilities_with_capacity) : "",
                     whole ? number(c.total_capacity) : "", number(f.demand), number(f.within_reach),
                     whole ? optional_number(c.supply_per_1000) : "", whole ? optional_number(c.access_min) : "",
                     whole ? optional_number(c.access_median) : "", whole ? optional_number(c.access_max) : "",
                     number(f.mean_access), number(f.zero_access_share)})
                fields.push_back(v);
            out += csv_row(fields);
        };
        row("all", "", c.all, true);
        for (std::size_t a = 0; a < areas.communities.size(); ++a) row("community", areas.communities[a].id, c.communities[a], false);
        for (std::size_t a = 0; a < areas.subdistricts.size(); ++a)
            row("subdistrict", areas.subdistricts[a].id, c.subdistricts[a], false);
    }
    return out;
}

std::string area_csv(const Context& ctx, bool communities) {
    const auto& areas = communities ? ctx.results.areas.communities : ctx.results.areas.subdistricts;
    std::vector<std::string> header{communities ? "community_id" : "subdistrict_id", "name"};
    if (communities) header.push_back("subdistrict_id");
    for (const char* column :
         {"target_id", "unconfirmed", "status", "achieved", "required", "total_households", "covered_households",
          "uncovered_households", "total_population", "uncovered_population", "total_seniors", "uncovered_seniors",
          "unsnapped_households", "missing", "value", "lacking_data", "units", "units_passing"})
        header.emplace_back(column);
    std::string out = csv_row(header);
    for (std::size_t a = 0; a < areas.size(); ++a) {
        for (const auto& t : ctx.results.targets) {
            const auto& target = ctx.target(t);
            const auto& r = communities ? t.communities[a] : t.subdistricts[a];
            std::vector<std::string> row{areas[a].id, areas[a].name};
            if (communities)
                row.push_back(areas[a].parent == invalid ? "" : ctx.results.areas.subdistricts[areas[a].parent].id);
            for (auto& field :
                 {target.id, std::string(target.confirmed ? "false" : "true"), std::string(to_string(r.status)),
                  optional_number(r.achieved), optional_number(r.required), number(r.total.households),
                  number(r.covered.households), number(r.uncovered.households), number(r.total.population),
                  number(r.uncovered.population), number(r.total.seniors), number(r.uncovered.seniors),
                  number(r.unsnapped.households), join(r.missing, ";"), optional_number(r.value),
                  std::to_string(r.lacking_data), std::to_string(r.units), std::to_string(r.units_passing)})
                row.push_back(field);
            out += csv_row(row);
        }
    }
    return out;
}

std::string demand_issues_csv(const Context& ctx) {
    const auto& data = ctx.data;
    std::string out = csv_row({"demand_id", "issue", "households", "population", "seniors", "detail"});
    auto add = [&](std::uint32_t i, const char* issue, const std::string& detail) {
        const auto& d = data.demand[i];
        out += csv_row({d.id, issue, number(d.households), number(d.population), number(d.seniors), detail});
    };
    for (std::size_t i = 0; i < data.demand.size(); ++i)
        if (!data.demand_snaps[i].origin) add(static_cast<std::uint32_t>(i), "unsnapped", data.demand_snaps[i].reason);
    for (const auto i : ctx.results.outside_communities) add(i, "outside_communities", "");
    if (!ctx.results.areas.whole_study_area)
        for (const auto i : ctx.results.outside_subdistricts) add(i, "outside_subdistricts", "");
    return out;
}

// POIs of AMap/Baidu exports that map to no category or to several.
std::string facility_issues_csv(const CoverageData& data) {
    std::string out = csv_row({"source", "row", "id", "name", "issue", "classes", "categories"});
    for (const auto& f : data.facility_issues) {
        out += csv_row({f.source, std::to_string(f.row), f.id, f.name, f.issue, f.classes, f.categories});
    }
    return out;
}

} // namespace yike::viz::detail
