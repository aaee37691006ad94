// Writes the gap report folder: summary.md, summary.csv, summary.json, communities.csv,
// subdistricts.csv, demand_issues.csv and the map layers. Every number is formatted with a fixed
// rule and every list has a fixed order, so the same input gives byte-identical files.
#include "yike/assert.hpp"
#include "yike/engine/report.hpp"
#include "yike/engine/catchment.hpp"
#include "yike/engine/category_cost.hpp"
#include "yike/error.hpp"
#include "yike/io/phase_log.hpp"
#include "yike/io/feature_stream.hpp"
#include "yike/io/xlsx_writer.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <exception>
#include <cstdio>
#include <set>
#include <sstream>
#include <system_error>
#include <thread>

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

namespace yike::engine {

namespace {

constexpr auto invalid = routing::invalid_id;

// ---- formatting ----------------------------------------------------------------------------

std::string fixed(double value, int decimals) {
    if (value == 0.0) value = 0.0; // no "-0.0"
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

std::string percent(const std::optional<double>& share) { return share ? fixed(*share * 100.0, 1) + " %" : "—"; }

std::string number(double value) { return io::format_number(value == 0.0 ? 0.0 : value); }

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

bool close(double a, double b) noexcept { return std::fabs(a - b) <= 1e-9 * std::max(1.0, std::fabs(b)); }

void check_totals(const UnitResult& r) {
    YIKE_ASSERT(r.covered.points + r.uncovered.points == r.total.points);
    YIKE_ASSERT(close(r.covered.households + r.uncovered.households, r.total.households));
    YIKE_ASSERT(close(r.covered.population + r.uncovered.population, r.total.population));
    YIKE_ASSERT(close(r.covered.seniors + r.uncovered.seniors, r.total.seniors));
    YIKE_ASSERT(close(r.covered.children + r.uncovered.children, r.total.children));
    YIKE_ASSERT(r.unsnapped.points <= r.uncovered.points);
}

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

struct Context {
    Context(const CoverageData& d, const ReportResults& r)
        : data(d), results(r), catchments(summarize_catchments(d, r.areas)) {}

    const CoverageData& data;
    const ReportResults& results;
    const std::vector<CatchmentSummary> catchments; // categories with capacities (catchment.hpp)

    const Target& target(const TargetResult& t) const { return data.standard.targets.at(t.target); }

    std::string category_name(const std::string& id) const {
        const auto* c = data.categories.find(id);
        return c ? in_language(data.run.language, c->name_zh, c->name_en) : id;
    }
    std::string community_word() const { return results.areas.grid ? "网格 / grid cell" : "社区 / community"; }
}; // struct Context

std::string threshold_text(const Target& target) {
    if (target.threshold_m) return number(*target.threshold_m) + " m";
    if (target.threshold_minutes)
        return number(*target.threshold_minutes) + " min (" + std::string(walking_profile_name(target)) + ")";
    return "";
}

std::string needs_text(const Context& ctx, const TargetResult& t) { return target_needs_text(ctx.data, t); }

// Targets whose result is held back by missing data: no_data, or a field no facility had.
bool lacks_data(const TargetResult& t) {
    return (!t.needs_categories.empty() && t.overall.status != Status::pass) || !t.needs_field.empty();
}

// ---- floating catchments ------------------------------------------------------------------

std::string method_name(const CatchmentDefinition& d) { return d.options.gaussian_decay ? "E2SFCA" : "2SFCA"; }
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

std::string achieved_text(const Target& target, const UnitResult& r) {
    if (target.kind == TargetKind::coverage && target.basis != Basis::communities) return percent(r.achieved);
    return percent(r.achieved) + " (" + std::to_string(r.units_passing) + "/" + std::to_string(r.units) + ")";
}

// One cell of the per-area tables.
std::string cell_text(const Target& target, const UnitResult& r, bool aggregated) {
    if (r.status == Status::not_applicable) return "—";
    std::string value;
    if (aggregated || (target.kind == TargetKind::coverage && target.basis == Basis::communities && r.units > 0)) {
        value = std::to_string(r.units_passing) + "/" + std::to_string(r.units);
    } else if (target.kind == TargetKind::coverage) {
        value = percent(r.achieved);
    } else if (target.kind == TargetKind::presence) {
        value = r.missing.empty() ? "present" : "missing " + join(r.missing, ", ");
    } else if (target.ratio == RatioKind::staff_per_households) {
        value = (r.value ? number(*r.value) : "?") + "/" + optional_number(r.required) + " staff";
    } else if (target.ratio == RatioKind::households_per_unit) {
        value = fixed(r.value.value_or(0), 0) + " households";
    } else if (target.ratio == RatioKind::floor_area_per_100_households) {
        value = r.achieved ? fixed(*r.achieved, 1) + " m²/100 hh" : number(r.value.value_or(0)) + " m²";
    } else {
        value = fixed(r.value.value_or(0), 1) + " m²";
    }
    if (r.lacking_data > 0) value += ", " + std::to_string(r.lacking_data) + " lacking data";
    return status_text(r.status) + " " + value;
}

// ---- summary.md ----------------------------------------------------------------------------

std::string markdown(const Context& ctx) {
    const auto& data = ctx.data;
    const auto& results = ctx.results;
    const auto& standard = data.standard;
    std::ostringstream md;
    const auto lang = data.run.language;
    // Names are the data's own text: chosen here, not by localize() (they may hold commas or brackets).
    auto named = [&](const std::string& zh, const std::string& en) { return "\x02" + in_language(lang, zh, en, " / ") + "\x03"; };
    md << "# 差距报告 / Gap report: " << named(standard.name_zh, standard.name_en) << "\n\n";
    const bool combined = standard.parts.size() > 1;
    if (combined) {
        md << "标准 / Standards (" << standard.parts.size() << ", combined in one run; targets keep their ids):\n\n";
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
           << "** (⚠): their numbers or our reading of them are not confirmed against the "
              "official text; see the notes at the end.\n\n";

    md << "## 运行信息 / Run\n\n";
    for (const auto& [label, value] : data.run.inputs) md << "- " << md_cell(label) << ": " << md_cell(value) << "\n";
    md << "- 步行速度 / walking speed: walk " << fixed(data.run.walk_speed_mm_per_s / 1000.0, 2) << " m/s, senior "
       << fixed(data.run.senior_speed_mm_per_s / 1000.0, 2) << " m/s\n";
    const auto& d = results.demand;
    md << "- 需求点 / demand points: " << d.points << " (households " << fixed(d.households, 1) << ", population "
       << fixed(d.population, 1) << ", seniors " << fixed(d.seniors, 1) << ", children " << fixed(d.children, 1) << ")\n";
    const auto& u = results.unsnapped_demand;
    md << "- 未接入路网的需求点 / unsnapped demand points: " << u.points << " (households " << fixed(u.households, 1)
       << "), counted as uncovered\n";
    md << "- 设施 / facilities: " << data.facilities.size() << " (unsnapped " << results.unsnapped_facilities << ")\n";
    if (results.areas.grid)
        md << "- 网格 / grid cells of " << number(data.grid.cell_m) << " m (no communities given): "
           << results.areas.communities.size() << "\n";
    else
        md << "- 社区 / communities: " << results.areas.communities.size() << "\n";
    if (results.areas.whole_study_area)
        md << "- 街道 / sub-districts: none given, the whole study area is one unit (`all`)\n";
    else
        md << "- 街道 / sub-districts: " << results.areas.subdistricts.size() << "\n";
    Weights outside;
    for (const auto i : results.outside_communities) outside.add(data.demand[i]);
    md << "- 不在任何社区内 / outside every community: " << outside.points << " demand points, households "
       << fixed(outside.households, 1) << " (kept in the overall totals)\n\n";

    if (!data.run.warnings.empty()) {
        md << "## 警告 / Warnings\n\n";
        for (const auto& w : data.run.warnings) md << "- " << md_cell(w) << "\n";
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
        std::string categories = join(names, ", ");
        if (target.categories.size() > 1) categories = std::string(to_string(target.require)) + ": " + categories;
        md << "| `" << target.id << "` " << named(md_cell(target.name_zh), md_cell(target.name_en)) << mark[t.target]
           << " | " << to_string(target.kind) << " | " << md_cell(categories) << " | " << threshold_text(target) << " | "
           << md_cell(required_text(target)) << " | " << achieved_text(target, t.overall) << " | "
           << status_text(t.overall.status) << " | " << fixed(t.overall.uncovered.households, 1) << " | "
           << fixed(t.overall.uncovered.population, 1) << " | " << fixed(t.overall.uncovered.seniors, 1) << " | "
           << md_cell(target.source) << " | " << confidence_tag(target.confidence) << " | "
           << (target.confirmed ? "" : "⚠ 未确认 unconfirmed") << " |\n";
    }
    md << "\n达到 / achieved: share of the basis (coverage), of units (presence, ratio, community basis; passing/assessed). "
          "未覆盖 / uncovered: outside the threshold, unsnapped, or in units failing the target. Unsnapped demand is "
          "uncovered.\n\n";
    if (std::any_of(results.targets.begin(), results.targets.end(), lacks_data)) {
        md << "## 缺少的数据 / Missing data\n\n"
           << in_language(data.run.language, "以下目标因缺少数据无法评判；补充这些数据后即可评估：",
                          "These targets cannot be judged on the data given; this would make them assessable:")
           << "\n\n";
        for (const auto& t : results.targets) {
            if (!lacks_data(t)) continue;
            md << "- `" << ctx.target(t).id << "` (" << status_text(t.overall.status) << "): " << md_cell(needs_text(ctx, t))
               << "\n";
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
                md << " | " << md_cell(cell_text(target, r, aggregated));
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
        if (indices.size() > shown) text += ", … (" + std::to_string(indices.size() - shown) + " more)";
        return text;
    };
    if (!results.outside_communities.empty()) {
        md << "## 不在任何社区内的住户 / Households outside every community\n\n";
        md << outside.points << " demand points, households " << fixed(outside.households, 1)
           << " (all in demand_issues.csv): " << id_list(results.outside_communities) << "\n\n";
    }
    if (!results.areas.whole_study_area && !results.outside_subdistricts.empty()) {
        Weights w;
        for (const auto i : results.outside_subdistricts) w.add(data.demand[i]);
        md << "## 不在任何街道内的住户 / Households outside every sub-district\n\n";
        md << w.points << " demand points, households " << fixed(w.households, 1)
           << " (all in demand_issues.csv): " << id_list(results.outside_subdistricts) << "\n\n";
    }
    std::vector<std::uint32_t> unsnapped;
    for (std::size_t i = 0; i < data.demand.size(); ++i)
        if (!data.demand_snaps[i].origin) unsnapped.push_back(static_cast<std::uint32_t>(i));
    if (!unsnapped.empty()) {
        md << "## 未接入路网的住户 / Unsnapped demand\n\n";
        md << unsnapped.size() << " demand points, households " << fixed(u.households, 1)
           << ", counted as uncovered in every coverage target (reasons in demand_issues.csv): " << id_list(unsnapped)
           << "\n\n";
    }

    if (!ctx.catchments.empty()) {
        const auto& standard_targets = data.standard.targets;
        md << "## 可达性指数 / Floating catchments\n\n"
           << "Categories whose facilities have capacities. Each category's catchment is set by the first coverage "
              "target naming it (threshold, measure, network) and weights demand by that target's basis; supply per "
              "1,000 and access are in capacity per unit of that basis (doc/catchment.md).\n\n";
        md << "| 设施 / category | 方法 / method | 目标 / target | 阈值 / threshold | 度量 / measure | 路网 / network | "
              "衰减 / decay | 单位 / per | 设施 / facilities (with capacity) | 总容量 / total capacity | 需求 / demand | "
              "可达需求 / demand within reach | 每千人供给 / supply per 1,000 | 可达性 / access min / median / max | "
              "零可达 / zero access |\n";
        md << "|---|---|---|---|---|---|---|---|---:|---:|---:|---:|---:|---|---:|\n";
        auto opt = [](const std::optional<double>& v, int decimals) { return v ? fixed(*v, decimals) : std::string("—"); };
        for (const auto& c : ctx.catchments) {
            const auto& def = c.definition;
            const auto& t = standard_targets.at(def.target);
            md << "| " << md_cell(ctx.category_name(c.category)) << " | " << method_name(def) << " | `" << t.id << "` | "
               << threshold_text(t) << " | " << measure_text(def) << " | " << network_text(def) << " | " << decay_text(def)
               << " | " << basis_text(def) << " | " << c.facilities << " (" << c.facilities_with_capacity << ") | "
               << fixed(c.total_capacity, 1) << " | " << fixed(c.all.demand, 1) << " | " << fixed(c.all.within_reach, 1)
               << " | " << opt(c.supply_per_1000, 2) << " | " << opt(c.access_min, 6) << " / " << opt(c.access_median, 6)
               << " / " << opt(c.access_max, 6) << " | " << percent(c.all.zero_access_share) << " |\n";
        }
        md << "\n### 按" << ctx.community_word().substr(0, ctx.community_word().find(" /")) << "的平均可达性 / Mean access by "
           << ctx.community_word().substr(ctx.community_word().find("/ ") + 2)
           << " (weighted by each category's basis; zero-access share in brackets)\n\n| "
           << ctx.community_word() << " |";
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
    md << "- 可信度 / confidence: S stated in a source document, W seen in a secondary web source, R recalled "
          "(not checked), D derived.\n";
    md << "- 无法评估 / not assessable: facilities lack the floor area or staff figure the target needs; never counted "
          "as a pass.\n";
    md << "- 无数据 / no data: the target would fail, but a category it needs has no facility from any source and OSM "
          "rarely maps it (or OSM was not searched): a missing layer, not a missing service.\n";
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
            md << mark[k] << ": ⚠ 未确认 / unconfirmed `" << target.id << "` ("
               << confidence_tag(target.confidence) << "): "
               << (target.note.empty() ? std::string("not checked against the official text") : md_cell(target.note))
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

// ---- summary.xlsx --------------------------------------------------------------------------

// "达标 pass" -> the chosen language's part.
std::string status_words(Status status, Language language) {
    const std::string text = status_text(status);
    const auto space = text.find(' ');
    if (space == std::string::npos) return text;
    return in_language(language, text.substr(0, space), text.substr(space + 1));
}

io::XlsxCell cell(const std::optional<double>& value) {
    return value ? io::XlsxCell{*value} : io::XlsxCell{};
}

// The report's tables for Excel/WPS: targets, by sub-district, by community, uncovered households.
std::vector<io::XlsxSheet> summary_sheets(const Context& ctx) {
    const auto& data = ctx.data;
    const auto& results = ctx.results;
    const auto lang = data.run.language;
    auto L = [&](std::string_view zh, std::string_view en) { return in_language(lang, zh, en); };
    std::vector<io::XlsxSheet> out;

    io::XlsxSheet targets{L("目标", "targets"), {}, {}, {24, 36, 10, 30, 14, 30, 12, 12, 16, 14, 14, 14, 40, 30, 8, 8}};
    targets.header = {L("目标", "target"), L("名称", "name"), L("类型", "kind"), L("设施", "categories"),
                      L("阈值", "threshold"), L("要求", "required"), L("要求值", "required value"), L("达到", "achieved"),
                      L("结果", "result"), L("未覆盖户数", "uncovered households"), L("未覆盖人口", "uncovered population"),
                      L("未覆盖老人", "uncovered seniors"), L("需要的数据", "data needed"), L("来源", "source"),
                      L("可信度", "confidence"), L("已确认", "confirmed")};
    for (const auto& t : results.targets) {
        const auto& target = ctx.target(t);
        std::vector<std::string> names;
        for (const auto& c : target.categories) {
            const auto* cat = data.categories.find(c);
            names.push_back(cat ? in_language(lang, cat->name_zh, cat->name_en) : c);
        }
        targets.rows.push_back({target.id, in_language(lang, target.name_zh, target.name_en, " / "),
                                std::string(to_string(target.kind)), join(names, ", "), threshold_text(target),
                                required_text(target), cell(t.overall.required), cell(t.overall.achieved),
                                status_words(t.overall.status, lang), t.overall.uncovered.households,
                                t.overall.uncovered.population, t.overall.uncovered.seniors,
                                lacks_data(t) ? needs_text(ctx, t) : std::string(), target.source,
                                std::string(confidence_tag(target.confidence)),
                                target.confirmed ? L("是", "yes") : L("否", "no")});
    }
    out.push_back(std::move(targets));

    auto area_sheet = [&](bool communities) {
        const auto& areas = communities ? results.areas.communities : results.areas.subdistricts;
        const std::string unit_zh = communities ? (results.areas.grid ? "网格" : "社区") : "街道";
        const std::string unit_en = communities ? (results.areas.grid ? "grid cell" : "community") : "sub-district";
        io::XlsxSheet sheet{communities ? L("按" + unit_zh, "by " + unit_en) : L("按街道", "by sub-district"), {}, {}, {}};
        sheet.header = {L(unit_zh, unit_en), L("名称", "name")};
        if (communities) sheet.header.push_back(L("街道", "sub-district"));
        for (const auto& h : {L("户数", "households"), L("目标", "target"), L("结果", "result"), L("达到", "achieved"),
                              L("要求值", "required value"), L("未覆盖户数", "uncovered households"),
                              L("缺少的设施", "missing categories"), L("数值", "value")})
            sheet.header.push_back(h);
        sheet.column_widths = {16, 20};
        if (communities) sheet.column_widths.push_back(14);
        for (const double w : {12.0, 24.0, 14.0, 12.0, 14.0, 16.0, 30.0, 12.0}) sheet.column_widths.push_back(w);
        for (std::size_t a = 0; a < areas.size(); ++a) {
            for (const auto& t : results.targets) {
                const auto& r = communities ? t.communities[a] : t.subdistricts[a];
                if (r.status == Status::not_applicable) continue;
                std::vector<io::XlsxCell> row{areas[a].id, areas[a].name};
                if (communities)
                    row.emplace_back(areas[a].parent == invalid ? std::string() : results.areas.subdistricts[areas[a].parent].id);
                for (auto& c : std::vector<io::XlsxCell>{areas[a].demand.households, ctx.target(t).id,
                                                         status_words(r.status, lang), cell(r.achieved), cell(r.required),
                                                         r.uncovered.households, join(r.missing, ", "), cell(r.value)})
                    row.push_back(std::move(c));
                sheet.rows.push_back(std::move(row));
            }
        }
        return sheet;
    };
    out.push_back(area_sheet(false));
    out.push_back(area_sheet(true));

    io::XlsxSheet uncovered{L("未覆盖住户", "uncovered households"), {}, {}, {24, 16, 12, 12, 12, 16, 16, 12, 12, 10}};
    uncovered.header = {L("目标", "target"), L("需求点", "demand point"), L("户数", "households"), L("人口", "population"),
                        L("老年人", "seniors"), L(results.areas.grid ? "网格" : "社区", results.areas.grid ? "grid cell" : "community"),
                        L("街道", "sub-district"), L("经度", "lon"), L("纬度", "lat"), L("未接入路网", "unsnapped")};
    // Excel holds 1,048,576 rows: a larger list is cut, and its last row says so (layers.gpkg has them all).
    const std::size_t room = io::xlsx_max_rows - 2;
    std::size_t total = 0;
    for (const auto& t : results.targets) {
        if (t.covered.empty()) continue;
        for (std::size_t i = 0; i < data.demand.size(); ++i) {
            if (t.covered[i]) continue;
            if (++total > room) continue;
            const auto& d = data.demand[i];
            const auto c = results.areas.demand_community[i];
            const auto sd = results.areas.demand_subdistrict[i];
            uncovered.rows.push_back({ctx.target(t).id, d.id, d.households, d.population, d.seniors,
                                      c == invalid ? std::string() : results.areas.communities[c].id,
                                      sd == invalid ? std::string() : results.areas.subdistricts[sd].id, d.location.lon,
                                      d.location.lat,
                                      data.demand_snaps[i].origin ? L("否", "no") : L("是", "yes")});
        }
    }
    if (total > room)
        uncovered.rows.push_back({L("……另有 " + std::to_string(total - room) + " 行见 layers 图层",
                                    "... " + std::to_string(total - room) + " more rows in the report's layers")});
    out.push_back(std::move(uncovered));
    return out;
}

// ---- summary.json --------------------------------------------------------------------------

using json = nlohmann::ordered_json;

json optional_json(const std::optional<double>& value) { return value ? json(*value) : json(nullptr); }

json weights_json(const Weights& w) {
    return json{{"points", w.points}, {"households", w.households}, {"population", w.population},
                {"seniors", w.seniors}, {"children", w.children}};
}

json unit_json(const UnitResult& r) {
    json j{{"status", to_string(r.status)}, {"achieved", optional_json(r.achieved)}, {"required", optional_json(r.required)},
           {"total", weights_json(r.total)}, {"covered", weights_json(r.covered)}, {"uncovered", weights_json(r.uncovered)},
           {"unsnapped", weights_json(r.unsnapped)}};
    if (!r.missing.empty()) j["missing"] = r.missing;
    if (r.value) j["value"] = *r.value;
    if (r.lacking_data > 0) j["lacking_data"] = r.lacking_data;
    if (r.units > 0) {
        j["units"] = r.units;
        j["units_passing"] = r.units_passing;
    }
    return j;
}

std::string summary_json(const Context& ctx) {
    const auto& data = ctx.data;
    const auto& results = ctx.results;
    json root;
    root["standard"] = json{{"id", data.standard.id}, {"name_zh", data.standard.name_zh},
                            {"name_en", data.standard.name_en}, {"source", data.standard.source}};
    json inputs = json::array();
    for (const auto& [label, value] : data.run.inputs) inputs.push_back(json{{"label", label}, {"value", value}});
    root["run"] = json{{"inputs", inputs},
                       {"walk_speed_mm_per_s", data.run.walk_speed_mm_per_s},
                       {"senior_speed_mm_per_s", data.run.senior_speed_mm_per_s},
                       {"warnings", data.run.warnings}};
    root["demand"] = weights_json(results.demand);
    root["unsnapped_demand"] = weights_json(results.unsnapped_demand);
    root["facilities"] = data.facilities.size();
    root["unsnapped_facilities"] = results.unsnapped_facilities;
    root["areas"] = json{{"grid", results.areas.grid},
                         {"grid_cell_m", results.areas.grid ? json(data.grid.cell_m) : json(nullptr)},
                         {"whole_study_area", results.areas.whole_study_area},
                         {"communities", results.areas.communities.size()},
                         {"subdistricts", results.areas.subdistricts.size()}};
    const bool combined = data.standard.parts.size() > 1;
    if (combined) {
        json parts = json::array();
        for (const auto& p : data.standard.parts) {
            parts.push_back(json{{"id", p.id}, {"name_zh", p.name_zh}, {"name_en", p.name_en}, {"source", p.source}});
        }
        root["standards"] = std::move(parts);
    }
    json targets = json::array();
    for (const auto& t : results.targets) {
        const auto& target = ctx.target(t);
        json j{{"id", target.id},
               {"name_zh", target.name_zh},
               {"name_en", target.name_en},
               {"kind", to_string(target.kind)},
               {"categories", target.categories},
               {"require", to_string(target.require)},
               {"serves", to_string(target.serves)},
               {"threshold", threshold_text(target)},
               {"requirement", required_text(target)},
               {"source", target.source},
               {"confidence", confidence_tag(target.confidence)},
               {"confirmed", target.confirmed},
               {"note", target.note},
               {"overall", unit_json(t.overall)},
               {"units_failing", t.units_failing},
               {"units_not_assessable", t.units_not_assessable},
               {"units_no_demand", t.units_no_demand},
               {"units_no_data", t.units_no_data}};
        if (!t.needs_categories.empty() || !t.needs_field.empty()) {
            json needs{{"categories", t.needs_categories}, {"field", t.needs_field.empty() ? json(nullptr) : json(t.needs_field)},
                       {"text", needs_text(ctx, t)}};
            j["needs"] = std::move(needs);
        }
        if (combined) j["standard"] = target.standard;
        targets.push_back(std::move(j));
    }
    root["targets"] = std::move(targets);
    if (!ctx.catchments.empty()) {
        auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
        auto figures = [](const AccessFigures& f) {
            return json{{"demand", f.demand}, {"demand_within_reach", f.within_reach}, {"mean_access", f.mean_access},
                        {"zero_access_share", f.zero_access_share}};
        };
        json list = json::array();
        for (const auto& c : ctx.catchments) {
            const auto& d = c.definition;
            json by_community = json::object();
            for (std::size_t a = 0; a < results.areas.communities.size(); ++a)
                by_community[results.areas.communities[a].id] = figures(c.communities[a]);
            json by_subdistrict = json::object();
            for (std::size_t a = 0; a < results.areas.subdistricts.size(); ++a)
                by_subdistrict[results.areas.subdistricts[a].id] = figures(c.subdistricts[a]);
            list.push_back(json{
                {"category", c.category},
                {"method", catchment_method(d.options)},
                {"target", data.standard.targets.at(d.target).id},
                {"threshold", d.options.threshold},
                {"threshold_unit", d.options.metric == routing::Metric::length_cm ? "cm" : "ms"},
                {"network", network_text(d)},
                {"decay", d.options.gaussian_decay ? "gaussian" : "none"},
                {"gaussian_beta", d.options.gaussian_decay ? json(gaussian_beta(d.options)) : json(nullptr)},
                {"basis", basis_text(d)},
                {"facilities", c.facilities},
                {"facilities_with_capacity", c.facilities_with_capacity},
                {"total_capacity", c.total_capacity},
                {"all", figures(c.all)},
                {"supply_per_1000", opt(c.supply_per_1000)},
                {"access_min", opt(c.access_min)},
                {"access_median", opt(c.access_median)},
                {"access_max", opt(c.access_max)},
                {"communities", std::move(by_community)},
                {"subdistricts", std::move(by_subdistrict)}});
        }
        root["catchments"] = std::move(list);
    }
    auto areas_json = [&](bool communities) {
        const auto& areas = communities ? results.areas.communities : results.areas.subdistricts;
        json list = json::array();
        for (std::size_t a = 0; a < areas.size(); ++a) {
            json j{{"id", areas[a].id}, {"name", areas[a].name}};
            if (communities)
                j["subdistrict"] = areas[a].parent == invalid ? json(nullptr) : json(results.areas.subdistricts[areas[a].parent].id);
            j["demand"] = weights_json(areas[a].demand);
            j["facilities"] = areas[a].facilities;
            json per_target = json::object();
            for (const auto& t : results.targets)
                per_target[ctx.target(t).id] = unit_json(communities ? t.communities[a] : t.subdistricts[a]);
            j["targets"] = std::move(per_target);
            list.push_back(std::move(j));
        }
        return list;
    };
    root["subdistricts"] = areas_json(false);
    root["communities"] = areas_json(true);
    auto ids = [&](const std::vector<std::uint32_t>& indices) {
        json list = json::array();
        for (const auto i : indices) list.push_back(data.demand[i].id);
        return list;
    };
    root["outside_communities"] = ids(results.outside_communities);
    root["outside_subdistricts"] = results.areas.whole_study_area ? json::array() : ids(results.outside_subdistricts);
    std::vector<std::uint32_t> unsnapped;
    for (std::size_t i = 0; i < data.demand.size(); ++i)
        if (!data.demand_snaps[i].origin) unsnapped.push_back(static_cast<std::uint32_t>(i));
    root["unsnapped"] = ids(unsnapped);
    return root.dump(2) + "\n";
}

// ---- layers --------------------------------------------------------------------------------

io::PropertyValue cost_value(routing::Cost cost, double divisor) {
    if (cost == routing::inf_cost) return std::monostate{};
    return static_cast<double>(cost) / divisor;
}

std::vector<const CategoryCosts*> sorted_costs(const CoverageData& data) {
    std::vector<const CategoryCosts*> out;
    for (const auto& c : data.costs) out.push_back(&c);
    std::sort(out.begin(), out.end(), [](const auto* a, const auto* b) { return a->category < b->category; });
    return out;
}

io::PropertyValue area_id(const std::vector<AreaInfo>& areas, std::uint32_t index) {
    if (index == invalid) return std::monostate{};
    return areas[index].id;
}

// Whether and how far a point snapped, and its exact start on the walking network (edge ids of
// `yike graph --out`), so that others can recompute the distances from the exported graph.
void add_snap_columns(std::vector<std::pair<std::string, io::PropertyValue>>& p, const SiteSnap& snap,
                      const std::string& prefix = "", bool exact_start = true) {
    p.emplace_back(prefix + "snapped", snap.origin.has_value());
    p.emplace_back(prefix + "snap_m", snap.origin ? io::PropertyValue{snap.distance_m} : io::PropertyValue{});
    if (!exact_start) return;
    auto value = [&](std::uint32_t v) { return snap.origin ? io::PropertyValue{std::int64_t{v}} : io::PropertyValue{}; };
    p.emplace_back(prefix + "snapped_edge", value(snap.origin ? snap.origin->edge : 0));
    p.emplace_back(prefix + "snapped_offset_cm", value(snap.origin ? snap.origin->offset_cm : 0));
    p.emplace_back(prefix + "offnet_cm", value(snap.origin ? snap.origin->offnet_cm : 0));
}

// Whether a target is searched on the senior network (minutes for a group of seniors): then the
// layers carry the senior snaps too, so that its costs and catchment can be recomputed.
bool uses_senior_network(const CoverageData& data) {
    if (data.demand_senior_snaps.size() != data.demand.size() ||
        data.facility_senior_snaps.size() != data.facilities.size())
        return false; // built without them (unit tests): nothing to carry
    return std::any_of(data.standard.targets.begin(), data.standard.targets.end(), [](const Target& t) {
        return t.kind == TargetKind::coverage && (t.threshold_m || t.threshold_minutes) &&
               target_measure(t).network == Network::senior;
    });
}

// What the map layers are made from, computed once; the layers themselves are made feature by
// feature while they are written (a big city's demand layer has millions of values).
struct LayerData {
    struct CostFields {
        const CategoryCosts* costs = nullptr;
        std::string m, min, senior_min, nearest, access;
    };
    struct Served {
        const Target* target = nullptr;
        const NearestResult* measure = nullptr;
        std::uint32_t budget = 0;
    };

    std::vector<CostFields> cost_fields;             // by category id
    std::vector<std::string> covered_fields;         // by target; empty for targets without covered flags
    std::vector<std::pair<std::uint32_t, std::uint32_t>> uncovered; // (target, demand point), in layer order
    std::vector<std::string> status_fields, achieved_fields; // by target
    std::vector<Served> served_by;                   // by facility
    std::vector<Weights> served;
    std::vector<std::optional<double>> ratio, catchment_demand;
    bool senior_snaps = false; // the layers carry the senior-network snaps (uses_senior_network)
    // ReportOptions::full_layer_detail: every per-point column and the uncovered layer; otherwise
    // the demand layer carries what a planner reads (weights, areas, minutes to each category,
    // covered per target) and summary.json / communities.csv the rest.
    bool full = true;
};

LayerData layer_data(const Context& ctx, bool full) {
    const auto& data = ctx.data;
    const auto& results = ctx.results;
    LayerData out;
    out.full = full;
    out.senior_snaps = uses_senior_network(data);
    const auto costs = sorted_costs(data);
    for (const auto* c : costs) {
        const auto name = field_name(c->category);
        out.cost_fields.push_back({c, name + "_m", name + "_min", name + "_senior_min", name + "_nearest",
                                   name + "_access_" + std::string(data.run.gaussian_decay ? "e2sfca" : "2sfca")});
    }
    for (std::uint32_t k = 0; k < results.targets.size(); ++k) {
        const auto& t = results.targets[k];
        const auto name = field_name(ctx.target(t).id);
        out.covered_fields.push_back(t.covered.empty() ? std::string() : "covered_" + name);
        out.status_fields.push_back(name + "_status");
        out.achieved_fields.push_back(name + "_achieved");
        if (t.covered.empty() || !full) continue;
        for (std::uint32_t i = 0; i < data.demand.size(); ++i)
            if (!t.covered[i]) out.uncovered.emplace_back(k, i);
    }


    // Demand each facility serves: points within the category's largest coverage threshold whose
    // nearest facility (under that target's measure) it is.
    out.served_by.resize(data.facilities.size());
    out.served.resize(data.facilities.size());
    out.ratio.resize(data.facilities.size());
    out.catchment_demand.resize(data.facilities.size());
    for (const auto* c : costs) {
        LayerData::Served best;
        double best_cm = -1;
        for (const auto& t : results.targets) {
            const auto& target = ctx.target(t);
            if (target.kind != TargetKind::coverage ||
                std::find(target.categories.begin(), target.categories.end(), c->category) == target.categories.end())
                continue;
            // The largest threshold as a walking distance, minutes at the speed of their network.
            const auto speed = target_measure(target).network == Network::senior ? data.run.senior_speed_mm_per_s
                                                                                 : data.run.walk_speed_mm_per_s;
            const double cm = threshold_cm(target, speed);
            if (cm > best_cm) {
                best_cm = cm;
                best.target = &target;
                best.budget = t.threshold;
                best.measure = &measure_of(*c, target);
            }
        }
        for (std::size_t k = 0; k < c->facilities.size(); ++k) {
            const auto j = c->facilities[k];
            out.served_by[j] = best;
            if (c->catchment) {
                out.ratio[j] = c->catchment->facility_ratio.at(k);
                out.catchment_demand[j] = c->catchment->facility_demand.at(k);
            }
        }
        if (!best.measure) continue;
        for (std::size_t i = 0; i < data.demand.size(); ++i) {
            const auto k = best.measure->facility[i];
            if (k == invalid || !data.demand_snaps[i].origin || best.measure->cost[i] > best.budget) continue;
            out.served[c->facilities.at(k)].add(data.demand[i]);
        }
    }
    return out;
}

// The report's map layers over `ld`, which must outlive them.
std::vector<io::LayerSource> layers(const Context& ctx, const LayerData& ld) {
    const std::size_t demand_count = ctx.data.demand.size();
    const std::size_t facility_count = ctx.data.facilities.size();
    std::vector<io::LayerSource> out;

    out.push_back({"demand", demand_count, [&ctx, &ld](std::size_t i, io::Feature& f) {
                       const auto& data = ctx.data;
                       const auto& results = ctx.results;
                       const auto& areas = results.areas;
                       const auto& d = data.demand[i];
                       const auto& snap = data.demand_snaps[i];
                       f.geometry = io::PointGeometry{d.location};
                       auto& p = f.properties;
                       p.emplace_back("id", d.id);
                       p.emplace_back("households", d.households);
                       p.emplace_back("population", d.population);
                       p.emplace_back("seniors", d.seniors);
                       p.emplace_back("children", d.children);
                       p.emplace_back("community", area_id(areas.communities, areas.demand_community[i]));
                       p.emplace_back("subdistrict", area_id(areas.subdistricts, areas.demand_subdistrict[i]));
                       add_snap_columns(p, snap, "", ld.full);
                       if (ld.senior_snaps && ld.full) add_snap_columns(p, data.demand_senior_snaps[i], "senior_");
                       for (const auto& cf : ld.cost_fields) {
                           const auto* c = cf.costs;
                           if (ld.full) p.emplace_back(cf.m, cost_value(c->length.cost[i], 100.0));
                           p.emplace_back(cf.min, cost_value(c->walk_time.cost[i], 60000.0));
                           if (ld.full || ld.senior_snaps) p.emplace_back(cf.senior_min, cost_value(c->senior_time.cost[i], 60000.0));
                           if (ld.full) {
                               const auto nearest = c->length.facility[i];
                               p.emplace_back(cf.nearest, nearest == invalid ? io::PropertyValue{}
                                                                             : io::PropertyValue{data.facilities[c->facilities.at(nearest)].id});
                           }
                           if (c->catchment) p.emplace_back(cf.access, c->catchment->demand_access.at(i));
                       }
                       for (std::size_t k = 0; k < results.targets.size(); ++k) {
                           const auto& t = results.targets[k];
                           if (!t.covered.empty()) p.emplace_back(ld.covered_fields[k], t.covered[i] != 0);
                       }
                   }});

    if (ld.full) out.push_back({"uncovered", ld.uncovered.size(), [&ctx, &ld](std::size_t n, io::Feature& f) {
                       const auto& data = ctx.data;
                       const auto& areas = ctx.results.areas;
                       const auto [k, i] = ld.uncovered[n];
                       const auto& d = data.demand[i];
                       f.geometry = io::PointGeometry{d.location};
                       auto& p = f.properties;
                       p.emplace_back("target", ctx.target(ctx.results.targets[k]).id);
                       p.emplace_back("demand_id", d.id);
                       p.emplace_back("households", d.households);
                       p.emplace_back("population", d.population);
                       p.emplace_back("seniors", d.seniors);
                       p.emplace_back("unsnapped", !data.demand_snaps[i].origin.has_value());
                       p.emplace_back("community", area_id(areas.communities, areas.demand_community[i]));
                       p.emplace_back("subdistrict", area_id(areas.subdistricts, areas.demand_subdistrict[i]));
                   }});

    auto area_layer = [&](bool communities) {
        const auto& units = communities ? ctx.results.areas.communities : ctx.results.areas.subdistricts;
        return io::LayerSource{
            communities ? "communities" : "subdistricts", units.size(), [&ctx, &ld, communities](std::size_t a, io::Feature& f) {
                const auto& results = ctx.results;
                const auto& areas = results.areas;
                const auto& list = communities ? areas.communities : areas.subdistricts;
                const auto& area = list[a];
                if (!area.geometry.polygons.empty()) f.geometry = area.geometry;
                auto& p = f.properties;
                p.emplace_back("id", area.id);
                p.emplace_back("name", area.name);
                if (communities) p.emplace_back("subdistrict", area_id(areas.subdistricts, area.parent));
                p.emplace_back("households", area.demand.households);
                p.emplace_back("population", area.demand.population);
                p.emplace_back("seniors", area.demand.seniors);
                p.emplace_back("facilities", static_cast<std::int64_t>(area.facilities));
                // The catchment's weighted mean access (weights: its basis; catchment.hpp).
                for (const auto& c : ctx.catchments) {
                    const auto& in_area = communities ? c.communities[a] : c.subdistricts[a];
                    p.emplace_back(field_name(c.category) + "_access_" + std::string(catchment_method(c.definition.options)),
                                   in_area.demand > 0 ? io::PropertyValue{in_area.mean_access} : io::PropertyValue{});
                }
                for (std::size_t k = 0; k < results.targets.size(); ++k) {
                    const auto& r = communities ? results.targets[k].communities[a] : results.targets[k].subdistricts[a];
                    p.emplace_back(ld.status_fields[k], std::string(to_string(r.status)));
                    p.emplace_back(ld.achieved_fields[k], r.achieved ? io::PropertyValue{*r.achieved} : io::PropertyValue{});
                }
            }};
    };
    out.push_back(area_layer(true));
    out.push_back(area_layer(false));

    out.push_back({"facilities", facility_count, [&ctx, &ld](std::size_t j, io::Feature& f) {
                       const auto& data = ctx.data;
                       const auto& areas = ctx.results.areas;
                       const auto& r = data.facilities[j];
                       const auto& snap = data.facility_snaps[j];
                       f.geometry = io::PointGeometry{r.location};
                       auto& p = f.properties;
                       auto opt = [](const std::optional<double>& v) { return v ? io::PropertyValue{*v} : io::PropertyValue{}; };
                       p.emplace_back("id", r.id);
                       p.emplace_back("name", r.name);
                       p.emplace_back("category", r.category);
                       p.emplace_back("community", area_id(areas.communities, areas.facility_community[j]));
                       p.emplace_back("subdistrict", area_id(areas.subdistricts, areas.facility_subdistrict[j]));
                       add_snap_columns(p, snap);
                       if (ld.senior_snaps) add_snap_columns(p, data.facility_senior_snaps[j], "senior_");
                       p.emplace_back("capacity", opt(r.capacity));
                       p.emplace_back("floor_area_m2", opt(r.floor_area_m2));
                       p.emplace_back("staff", opt(r.staff));
                       const auto& by = ld.served_by[j];
                       const auto& served = ld.served[j];
                       p.emplace_back("served_target", by.target ? io::PropertyValue{by.target->id} : io::PropertyValue{});
                       p.emplace_back("served_points",
                                      by.target ? io::PropertyValue{static_cast<std::int64_t>(served.points)} : io::PropertyValue{});
                       p.emplace_back("served_households", by.target ? io::PropertyValue{served.households} : io::PropertyValue{});
                       p.emplace_back("served_population", by.target ? io::PropertyValue{served.population} : io::PropertyValue{});
                       p.emplace_back("served_seniors", by.target ? io::PropertyValue{served.seniors} : io::PropertyValue{});
                       const std::string method = ctx.data.run.gaussian_decay ? "e2sfca" : "2sfca";
                       p.emplace_back("ratio_" + method, opt(ld.ratio[j]));
                       p.emplace_back("demand_" + method, opt(ld.catchment_demand[j]));
                   }});
    return out;
}

} // namespace

std::string report_markdown(const CoverageData& data, const ReportResults& results) {
    check_totals(results);
    return localize(markdown(Context{data, results}), data.run.language);
}

std::string report_summary_csv(const CoverageData& data, const ReportResults& results) {
    check_totals(results);
    return summary_csv(Context{data, results});
}

std::string report_area_csv(const CoverageData& data, const ReportResults& results, bool communities) {
    check_totals(results);
    return area_csv(Context{data, results}, communities);
}

std::string target_needs_text(const CoverageData& data, const TargetResult& t) {
    const auto lang = data.run.language;
    std::vector<std::string> parts;
    if (!t.needs_categories.empty()) {
        std::vector<std::string> names;
        for (const auto& c : t.needs_categories) {
            const auto* cat = data.categories.find(c);
            names.push_back(c + (cat ? " " + (lang == Language::en ? cat->name_en : cat->name_zh) : std::string()));
        }
        const std::string why_en = data.facility_sources.osm ? " and OSM rarely maps it)" : " and OSM was not searched)";
        const std::string why_zh = data.facility_sources.osm ? "，且 OSM 很少收录）" : "，且未检索 OSM）";
        if (lang == Language::zh)
            parts.push_back("设施图层：" + join(names, "、") + "（--facilities FILE=CATEGORY 或类别列；没有来源提供" + why_zh);
        else
            parts.push_back(in_language(lang, "设施图层", "a facilities layer of", " / ") + " " + join(names, ", ") +
                            " (--facilities FILE=CATEGORY, or a category column; no source gave one" + why_en);
    }
    if (t.needs_field == "floor_area_field")
        parts.push_back(lang == Language::zh ? "建筑面积字段（--floor-area-field FIELD，如“建筑面积”列）"
                                             : in_language(lang, "建筑面积字段", "the facilities' floor area", " / ") +
                                                   " (--floor-area-field FIELD, e.g. a 建筑面积 column)");
    else if (t.needs_field == "staff_field")
        parts.push_back(lang == Language::zh ? "人员字段（--staff-field FIELD）"
                                             : in_language(lang, "人员字段", "the facilities' staff numbers", " / ") +
                                                   " (--staff-field FIELD)");
    return join(parts, "; ");
}

std::string missing_data_warning(const CoverageData& data, const ReportResults& results) {
    const Context ctx{data, results};
    std::vector<std::string> items;
    for (const auto& t : results.targets) {
        if (!lacks_data(t)) continue;
        std::vector<std::string> what;
        if (!t.needs_categories.empty()) what.push_back("a facilities layer of " + join(t.needs_categories, ", "));
        if (!t.needs_field.empty()) {
            std::string option = "--" + t.needs_field; // floor_area_field -> --floor-area-field
            std::replace(option.begin(), option.end(), '_', '-');
            what.push_back(option);
        }
        items.push_back(ctx.target(t).id + " " + std::string(to_string(t.overall.status)) + " (needs " + join(what, " and ") + ")");
    }
    if (items.empty()) return {};
    return std::to_string(items.size()) + " target(s) cannot be judged on the data given: " + join(items, "; ") +
           " (summary.md, Missing data)";
}

void with_report_layers(const CoverageData& data, const ReportResults& results,
                        const std::function<void(const std::vector<io::LayerSource>&)>& use, bool full_detail) {
    YIKE_ASSERT(results.targets.size() == data.standard.targets.size());
    YIKE_ASSERT(results.areas.demand_community.size() == data.demand.size());
    const Context ctx{data, results};
    const auto ld = layer_data(ctx, full_detail);
    use(layers(ctx, ld));
}

void write_report(const std::filesystem::path& dir, const CoverageData& data, const ReportResults& results,
                  const ReportOptions& options) {
    if (options.layers && options.layer_format == io::VectorFormat::csv)
        throw config_error(dir.string() + ": report layers are written as GeoPackage or GeoJSON, not CSV");
    YIKE_ASSERT(results.targets.size() == data.standard.targets.size());
    YIKE_ASSERT(results.areas.demand_community.size() == data.demand.size());
    check_totals(results);
    const Context ctx{data, results}; // summarises the catchments once for every file
    io::write_output_folder(dir, options.writer, options.guard, [&](const std::filesystem::path& temp) {
        io::phase_mark("write_tables");
        io::write_text_file(temp / "summary.md", localize(markdown(ctx), data.run.language));
        io::write_csv_file(temp / "summary.csv", summary_csv(ctx));
        io::write_csv_file(temp / "subdistricts.csv", area_csv(ctx, false));
        io::write_csv_file(temp / "communities.csv", area_csv(ctx, true));
        io::write_csv_file(temp / "demand_issues.csv", demand_issues_csv(ctx));
        if (!data.facility_issues.empty()) io::write_csv_file(temp / "facility_issues.csv", facility_issues_csv(data));
        io::write_text_file(temp / "summary.json", summary_json(ctx));
        if (!ctx.catchments.empty()) io::write_csv_file(temp / "catchments.csv", catchments_csv(ctx));
        // summary.xlsx (its uncovered-households sheet is the largest table) is built and deflated on
        // a second core while the layers and report.html are written: they share only const data.
        std::exception_ptr xlsx_failure;
        std::thread xlsx([&] {
            try {
                io::write_xlsx_file(temp / "summary.xlsx", summary_sheets(ctx));
            } catch (...) {
                xlsx_failure = std::current_exception();
            }
        });
        try {
            if (options.layers) {
                io::phase_mark("write_layers");
                const auto ld = layer_data(ctx, options.full_layer_detail);
                io::write_layers(temp / (options.layer_format == io::VectorFormat::geojson ? "layers.geojson" : "layers.gpkg"),
                                 layers(ctx, ld));
            }
            io::phase_mark("write_html");
            if (options.extra_files) options.extra_files(temp, data, results);
        } catch (...) {
            xlsx.join();
            throw;
        }
        io::phase_mark("write_xlsx_wait");
        xlsx.join();
        if (xlsx_failure) std::rethrow_exception(xlsx_failure);
        io::phase_mark("write_swap");
    });
}

} // namespace yike::engine
