#include "yike/viz/html_report.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <tuple>
#include <vector>

#include "detail/html_geometry.hpp"
#include "detail/html_words.hpp"
#include "detail/threshold_text.hpp"
#include "yike/assert.hpp"
#include "yike/engine/category_cost.hpp"
#include "yike/engine/isochrone.hpp"
#include "yike/io/feature_writer.hpp"
#include "yike/io/number_text.hpp"
#include "yike/io/json_text.hpp"
#include "yike/io/markup_text.hpp"
#include "yike/routing/search.hpp"
#include "yike/viz/assets.hpp"
#include "yike/viz/report.hpp"

namespace yike::viz {

namespace {

using detail::DeltaStream;
using detail::network_json;
using detail::polygons_json;

// Distinct on white and on the light pass/fail fills; no orange (fail) or magenta (uncovered).
// Categories with facilities take the first colours, so that the drawn ones differ.
constexpr std::array<std::string_view, 20> category_colours = {
    "#1f4e9c", "#b8860b", "#1b7837", "#6a3d9a", "#01665e", "#8c510a", "#4393c3", "#525252", "#5aae61", "#2d004b",
    "#35978f", "#9e0142", "#7f6b00", "#08306b", "#80cdc1", "#b2abd2", "#543005", "#66a61e", "#386cb0", "#a6761d"};

using io::fixed;
using io::thousands;

std::string percent(const std::optional<double>& share) { return share ? io::percent(*share) : "—"; }

// At most `max_width` wide, with "…" when cut: a character of three or more UTF-8 bytes (CJK)
// counts 2, any other 1, so that labels of either script take about the same room.
std::string truncate(const std::string& text, std::size_t max_width) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
        width += len >= 3 ? 2 : 1;
        if (width > max_width) return text.substr(0, i) + "…";
        i += len;
    }
    return text;
}

std::string html_escape(std::string_view text) { return io::markup_text(text, io::Markup::html); }

// A JSON string that may sit inside <script>: '<' is escaped so no "</script>" can end the block.
std::string json_string(std::string_view text) {
    std::string out;
    io::append_json_string(out, text, true);
    return out;
}

std::string json_optional(const std::optional<double>& v, int decimals) { return v ? fixed(*v, decimals) : "null"; }


char status_code(engine::Status s) {
    switch (s) {
    case engine::Status::pass: return 'P';
    case engine::Status::fail: return 'F';
    case engine::Status::report_only: return 'R';
    case engine::Status::not_assessable: return 'A';
    case engine::Status::no_data: return 'X';
    case engine::Status::no_demand: return 'D';
    case engine::Status::not_applicable: return 'N';
    }
    return 'N';
}

std::string achieved_text(const engine::Target& t, const engine::UnitResult& r) {
    if (t.kind == engine::TargetKind::coverage && t.basis != engine::Basis::communities) return percent(r.achieved);
    return percent(r.achieved) + " (" + std::to_string(r.units_passing) + "/" + std::to_string(r.units) + ")";
}

bool is_coverage_map_target(const engine::Target& t) {
    return t.kind == engine::TargetKind::coverage && (t.threshold_minutes || t.threshold_m);
}

// Per-target areas: communities unless the target is judged only per sub-district.
bool judged_in_subdistricts(const engine::TargetResult& tr) {
    const bool any_community = std::any_of(tr.communities.begin(), tr.communities.end(),
                                           [](const engine::UnitResult& u) { return u.status != engine::Status::not_applicable; });
    return !any_community && !tr.subdistricts.empty();
}

} // namespace

class ReachOutlineCache {
public:
    std::shared_ptr<const engine::MultiPolygon> find(const routing::WalkGraph& graph, const engine::FacilityReach& reach) {
        const std::lock_guard<std::mutex> lock(m_mutex);
        for (const auto& e : m_entries) {
            if (e.graph == &graph && e.measure == reach.measure && same_origins(e.origins, reach.origins)) return e.outline;
        }
        return nullptr;
    }
    void add(const routing::WalkGraph& graph, const engine::FacilityReach& reach, std::shared_ptr<const engine::MultiPolygon> outline) {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_entries.push_back({&graph, reach.measure, reach.origins, std::move(outline)});
    }

private:
    static bool same_origins(const std::vector<routing::Origin>& a, const std::vector<routing::Origin>& b) {
        return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const routing::Origin& x, const routing::Origin& y) {
            return x.edge == y.edge && x.offset_cm == y.offset_cm && x.offnet_cm == y.offnet_cm && x.source == y.source;
        });
    }
    struct Entry {
        const routing::WalkGraph* graph;
        engine::TargetMeasure measure;
        std::vector<routing::Origin> origins;
        std::shared_ptr<const engine::MultiPolygon> outline;
    };
    std::mutex m_mutex;
    std::vector<Entry> m_entries;
};

std::shared_ptr<ReachOutlineCache> make_reach_outline_cache() { return std::make_shared<ReachOutlineCache>(); }

namespace {

class Builder {
public:
    Builder(const HtmlReportInput& in, const HtmlReportOptions& o) : m_in(in), m_o(o) {
        YIKE_ASSERT(in.facility_walk.size() == in.data.facilities.size());
        YIKE_ASSERT(in.facility_senior.size() == in.data.facilities.size());
        YIKE_ASSERT(in.results.targets.size() == in.data.standard.targets.size());
        collect_categories();
        compute_reach();
        compute_demand_cells();
    }

    std::string page() {
        const auto& std_ = m_in.data.standard;
        const auto L = [&](std::string_view zh, std::string_view en, std::string_view both) { return words(zh, en, both); };
        std::string h;
        const auto language = m_in.data.run.language;
        h += std::string("<!DOCTYPE html>\n<html lang=\"") + (language == engine::Language::en ? "en" : "zh-CN") +
             "\">\n<head>\n<meta charset=\"utf-8\">\n";
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
        h += "<title>" + html_escape(L(m_o.title_zh, m_o.title_en, m_o.title_zh + " / " + m_o.title_en) + " — " + std_.id) +
             "</title>\n";
        h += "<style>\n" + style("leaflet.css") + "\n</style>\n";
        h += "<style>\n" + std::string(asset("report.css").content) + "\n</style>\n";
        // --lang zh|en: the page holds that language only; the class names it for report.css.
        h += std::string("</head>\n<body class=\"lang-") + std::string(engine::to_string(language)) + "\">\n";
        h += "<header>\n<h1>" +
             L(html_escape(m_o.title_zh), html_escape(m_o.title_en),
               html_escape(m_o.title_zh) + " <span class=\"en\">" + html_escape(m_o.title_en) + "</span>") +
             "</h1>\n";
        h += "<p class=\"sub\">" +
             L(html_escape(std_.name_zh), html_escape(std_.name_en), html_escape(std_.name_zh) + " / " + html_escape(std_.name_en)) +
             " (<code>" + html_escape(std_.id) + "</code>)";
        if (!m_o.subtitle.empty()) h += " · <strong>" + html_escape(m_o.subtitle) + "</strong>";
        h += "</p>\n" + summary_line() + "</header>\n";
        h += "<main>\n<section class=\"mapbox\">\n<div id=\"map\" role=\"img\" aria-label=\"" + L("地图", "map", "map 地图") +
             "\"></div>\n";
        h += "<aside id=\"panel\"><noscript>" +
             L("地图需要 JavaScript。", "The map needs JavaScript.", "地图需要 JavaScript / the map needs JavaScript.") +
             "</noscript></aside>\n";
        h += "</section>\n";
        h += targets_table();
        h += chart();
        h += notes();
        h += "</main>\n<footer>" + html_escape(m_o.attribution) + " · " +
             L("路网与建筑来自 OpenStreetMap", "street network and buildings from OpenStreetMap",
               "路网与建筑来自 OpenStreetMap / street network and buildings from OpenStreetMap") +
             " · yike</footer>\n";
        h += "<script type=\"application/json\" id=\"yike-data\">" + data_json() + "</script>\n";
        h += "<script>\n" + script("leaflet.js") + "\n</script>\n";
        h += "<script>\n" + detail::one_language_script(script("report.js"), language) + "\n</script>\n";
        h += "</body>\n</html>\n";
        return h;
    }

private:
    // The page's own words: Chinese for zh, English for en, for both the bilingual text it always had.
    std::string words(std::string_view zh, std::string_view en, std::string_view both) const {
        const auto language = m_in.data.run.language;
        return std::string(language == engine::Language::zh ? zh : language == engine::Language::en ? en : both);
    }
    engine::Language lang() const { return m_in.data.run.language; }
    std::string area_name(const std::string& name) const {
        return name == engine::whole_study_area_name ? words("全部", "whole study area", name) : name;
    }

    const HtmlReportInput& m_in;
    const HtmlReportOptions& m_o;
    std::vector<std::string> m_categories;        // ids in mapping order, then unknown ids sorted
    std::map<std::string, std::size_t> m_category_index;
    // Reach of (category, by time, senior network, budget) as JSON, for every coverage target's
    // categories; the tolerance they were simplified with and their points.
    using ReachKey = std::tuple<std::string, bool, bool, routing::Cost>;
    std::map<ReachKey, std::string> m_reach;
    double m_reach_tolerance_m = 0;
    std::size_t m_reach_points = 0;
    // Above max_demand_points / max_uncovered_points the demand points are drawn as grid cells of
    // m_cell_m metres (0: every point drawn): m_cell_of maps each demand point to its cell.
    double m_cell_m = 0;
    std::vector<std::uint32_t> m_cell_of;
    std::size_t m_cell_count = 0;

    static std::string script(std::string_view name) {
        std::string s(asset(name).content);
        YIKE_ASSERT(s.find("</script") == std::string::npos);
        return s;
    }
    // Leaflet's stylesheet names images only for controls and markers this page does not use;
    // those declarations are dropped so that no file beside the page is ever asked for.
    static std::string style(std::string_view name) {
        std::string css(asset(name).content);
        for (auto at = css.find("/*"); at != std::string::npos; at = css.find("/*", at)) { // comments (they cite URLs)
            const auto end = css.find("*/", at + 2);
            css.erase(at, end == std::string::npos ? std::string::npos : end + 2 - at);
        }
        for (auto at = css.find("url("); at != std::string::npos; at = css.find("url(", at)) {
            const auto semicolon = css.rfind(';', at);
            const auto brace = css.rfind('{', at);
            std::size_t start = 0;
            if (semicolon != std::string::npos) start = semicolon + 1;
            if (brace != std::string::npos && (semicolon == std::string::npos || brace > semicolon)) start = brace + 1;
            auto stop = css.find_first_of(";}", at);
            YIKE_ASSERT(stop != std::string::npos);
            if (css[stop] == ';') ++stop;
            css.erase(start, stop - start);
            at = start;
        }
        YIKE_ASSERT(css.find("</style") == std::string::npos);
        return css;
    }

    void collect_categories() {
        std::vector<std::string> used;
        for (const auto& f : m_in.data.facilities) used.push_back(f.category);
        for (const auto& t : m_in.data.standard.targets) used.insert(used.end(), t.categories.begin(), t.categories.end());
        std::sort(used.begin(), used.end());
        used.erase(std::unique(used.begin(), used.end()), used.end());
        std::vector<std::string> with_facilities;
        for (const auto& f : m_in.data.facilities) with_facilities.push_back(f.category);
        std::sort(with_facilities.begin(), with_facilities.end());
        for (const bool drawn : {true, false}) { // mapping order, then ids the mapping lacks
            auto wanted = [&](const std::string& id) {
                return std::binary_search(with_facilities.begin(), with_facilities.end(), id) == drawn;
            };
            for (const auto& c : m_in.data.categories.categories()) {
                if (std::binary_search(used.begin(), used.end(), c.id) && wanted(c.id)) m_categories.push_back(c.id);
            }
            for (const auto& id : used) {
                if (!m_in.data.categories.contains(id) && wanted(id)) m_categories.push_back(id);
            }
        }
        for (std::size_t i = 0; i < m_categories.size(); ++i) m_category_index[m_categories[i]] = i;
    }

    std::string name_zh(const std::string& id) const {
        const auto* c = m_in.data.categories.find(id);
        return c != nullptr && !c->name_zh.empty() ? c->name_zh : id;
    }
    std::string name_en(const std::string& id) const {
        const auto* c = m_in.data.categories.find(id);
        return c != nullptr && !c->name_en.empty() ? c->name_en : id;
    }
    std::string colour(std::size_t category) const {
        return std::string(category_colours[category % category_colours.size()]);
    }

    std::string summary_line() const {
        const auto& r = m_in.results;
        std::size_t pass = 0;
        std::size_t fail = 0;
        for (const auto& t : r.targets) {
            pass += t.overall.status == engine::Status::pass ? 1 : 0;
            fail += t.overall.status == engine::Status::fail ? 1 : 0;
        }
        const auto L = [&](std::string_view zh, std::string_view en, std::string_view both) { return words(zh, en, both); };
        return "<p class=\"sub\">" + std::to_string(pass) + L(" 项达标", " met", " 项达标 met") + " · " + std::to_string(fail) +
               L(" 项未达标", " not met", " 项未达标 not met") + " · " + std::to_string(r.targets.size() - pass - fail) +
               L(" 项仅报告等", " other", " 项仅报告等 other") + " · " + thousands(r.demand.households) +
               L(" 户，", " households in ", " 户 households in ") + thousands(static_cast<double>(r.demand.points)) +
               L(" 个需求点", " demand points", " 个需求点 demand points") + " · " + std::to_string(m_in.data.facilities.size()) +
               L(" 处设施", " facilities", " 处设施 facilities") + " · " + std::to_string(r.areas.communities.size()) +
               (r.areas.grid ? L(" 个网格", " grid cells", " 个网格 grid cells") : L(" 个社区", " communities", " 个社区 communities")) +
               "</p>\n";
    }

    std::string categories_html(const engine::Target& t) const {
        std::string s;
        for (std::size_t i = 0; i < t.categories.size(); ++i) {
            const auto& id = t.categories[i];
            if (i > 0)
                s += t.require == engine::Require::any ? words(" <i>或</i> ", " <i>or</i> ", " <i>或 or</i> ")
                                                       : words(" <i>和</i> ", " <i>and</i> ", " <i>和 and</i> ");
            s += "<span class=\"cat\"><b style=\"background:" + colour(m_category_index.at(id)) + "\"></b>" +
                 words(html_escape(name_zh(id)), html_escape(name_en(id)),
                       html_escape(name_zh(id)) + " <span class=\"en\">" + html_escape(name_en(id)) + "</span>") +
                 "</span>";
        }
        return s.empty() ? "—" : s;
    }

    // What would make a target held back by missing data assessable (viz::target_needs_text).
    std::string needs_html(const engine::TargetResult& tr) const {
        if (tr.needs_field.empty() && (tr.needs_categories.empty() || tr.overall.status == engine::Status::pass)) return {};
        return "<div class=\"needs\">" + words("需要：", "needs: ", "需要 needs: ") + html_escape(target_needs_text(m_in.data, tr)) +
               "</div>";
    }

    std::string targets_table() const {
        std::string h = "<section class=\"targets\">\n<h2>" + words("目标", "Targets", "目标 <span class=\"en\">Targets</span>") +
                        "</h2>\n";
        h += "<div class=\"tablewrap\"><table id=\"targets\">\n<thead><tr>" +
             words("<th>目标</th><th>设施</th><th>阈值</th><th>要求</th><th>达到</th><th>结果</th><th class=\"num\">未覆盖户数</th>",
                   "<th>Target</th><th>Facilities</th><th>Threshold</th><th>Required</th><th>Achieved</th><th>Result</th>"
                   "<th class=\"num\">Uncovered households</th>",
                   "<th>目标 Target</th><th>设施 Facilities</th><th>阈值 Threshold</th>"
                   "<th>要求 Required</th><th>达到 Achieved</th><th>结果 Result</th><th class=\"num\">未覆盖户数 Uncovered "
                   "households</th>") +
             "</tr></thead>\n<tbody>\n";
        for (const auto& tr : m_in.results.targets) {
            const auto& t = m_in.data.standard.targets[tr.target];
            const bool coverage = t.kind == engine::TargetKind::coverage;
            h += "<tr data-target=\"" + html_escape(t.id) + "\" class=\"row-" + std::string(engine::to_string(tr.overall.status)) +
                 "\"><td>" +
                 words(html_escape(t.name_zh), html_escape(t.name_en),
                       "<span class=\"zh\">" + html_escape(t.name_zh) + "</span> <span class=\"en\">" + html_escape(t.name_en) +
                           "</span>") +
                 " <code>" + html_escape(t.id) + "</code>" +
                 (t.confirmed ? "" : " <span class=\"warn\" title=\"" + words("未确认", "unconfirmed", "未确认 unconfirmed") + "\">⚠</span>") +
                 "</td><td>" + categories_html(t) + "</td><td>" + html_escape(detail::page_threshold(t, lang())) + "</td><td>" +
                 html_escape(detail::page_required(t, lang())) + "</td><td>" + html_escape(achieved_text(t, tr.overall)) + "</td><td>" +
                 detail::status_html(tr.overall.status, lang()) + needs_html(tr) + "</td><td class=\"num\">" +
                 (coverage ? thousands(tr.overall.uncovered.households) : std::string("—")) + "</td></tr>\n";
        }
        h += "</tbody>\n</table></div>\n<p class=\"note\">" +
             words("达到：覆盖目标为基数的覆盖比例，其他为达标单元比例（达标/评估）。⚠ 标准数值未确认。",
                   "Achieved: share of the basis within the threshold (coverage), else share of units passing (passing/assessed). "
                   "⚠ the standard's figure is unconfirmed.",
                   "达到：覆盖目标为基数的覆盖比例，其他为达标单元比例（达标/评估）。"
                   "Achieved: share of the basis within the threshold (coverage), else share of units passing (passing/assessed). "
                   "⚠ 标准数值未确认 / the standard's figure is unconfirmed.") +
             "</p>\n</section>\n";
        return h;
    }

    // Horizontal bars, one per coverage target: achieved share with a tick at the required share.
    std::string chart() const {
        std::vector<const engine::TargetResult*> rows;
        for (const auto& tr : m_in.results.targets) {
            if (m_in.data.standard.targets[tr.target].kind == engine::TargetKind::coverage) rows.push_back(&tr);
        }
        std::string h = "<section class=\"chart\">\n<h2>" +
                        words("各类设施覆盖率与目标", "Coverage per category against its target",
                              "各类设施覆盖率与目标 <span class=\"en\">Coverage per category against its target</span>") +
                        "</h2>\n";
        if (rows.empty()) {
            return h + "<p>" +
                   words("此标准无覆盖目标。", "The standard has no coverage targets.",
                         "此标准无覆盖目标 / the standard has no coverage targets.") +
                   "</p>\n</section>\n";
        }
        const double label_w = 330;
        const double bar_w = 360;
        const double row_h = 34;
        const double top = 26;
        const double width = label_w + bar_w + 70;
        const double height = top + row_h * static_cast<double>(rows.size()) + 10;
        h += "<svg id=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + fixed(width, 0) + " " + fixed(height, 0) +
             "\" width=\"" + fixed(width, 0) + "\" role=\"img\" aria-label=\"" + words("覆盖率图", "coverage chart", "coverage chart 覆盖率图") +
             "\">\n";
        for (int k = 0; k <= 4; ++k) {
            const double x = label_w + bar_w * k / 4.0;
            h += "<line x1=\"" + fixed(x, 1) + "\" y1=\"" + fixed(top - 6, 1) + "\" x2=\"" + fixed(x, 1) + "\" y2=\"" +
                 fixed(height - 8, 1) + "\" class=\"grid\"/><text x=\"" + fixed(x, 1) + "\" y=\"" + fixed(top - 10, 1) +
                 "\" class=\"axis\">" + std::to_string(k * 25) + " %</text>\n";
        }
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const auto& tr = *rows[i];
            const auto& t = m_in.data.standard.targets[tr.target];
            const double y = top + row_h * static_cast<double>(i);
            const double share = std::clamp(tr.overall.achieved.value_or(0.0), 0.0, 1.0);
            // Up to two category names, then how many more; cut to fit the label column.
            std::string zh;
            std::string en;
            const std::size_t named = t.categories.size() > 2 ? 1 : t.categories.size();
            for (std::size_t c = 0; c < named; ++c) {
                zh += (c > 0 ? "/" : "") + name_zh(t.categories[c]);
                en += (c > 0 ? " / " : "") + name_en(t.categories[c]);
            }
            if (named < t.categories.size()) {
                const auto more = std::to_string(t.categories.size() - named);
                zh = truncate(zh, 18) + " 等 " + std::to_string(t.categories.size()) + " 类";
                en = truncate(en, 28) + " + " + more + " more";
            }
            zh = truncate(zh, 34);
            en = truncate(en, 50);
            const std::string th = t.threshold_minutes ? io::format_number(*t.threshold_minutes) + " min"
                                   : t.threshold_m    ? io::format_number(*t.threshold_m) + " m"
                                                      : std::string();
            h += "<g class=\"bar " + std::string(engine::to_string(tr.overall.status)) + "\" data-target=\"" + html_escape(t.id) + "\">";
            // One language: its line alone, with the threshold, where the Chinese line stands.
            if (lang() != engine::Language::en)
                h += "<text x=\"" + fixed(label_w - 8, 1) + "\" y=\"" + fixed(y + 13, 1) + "\" class=\"lzh\">" + html_escape(zh) +
                     (th.empty() ? "" : " · " + html_escape(th)) + "</text>";
            if (lang() == engine::Language::en)
                h += "<text x=\"" + fixed(label_w - 8, 1) + "\" y=\"" + fixed(y + 13, 1) + "\" class=\"len\">" + html_escape(en) +
                     (th.empty() ? "" : " · " + html_escape(th)) + "</text>";
            if (lang() == engine::Language::both)
                h += "<text x=\"" + fixed(label_w - 8, 1) + "\" y=\"" + fixed(y + 26, 1) + "\" class=\"len\">" + html_escape(en) + "</text>";
            h += "<rect x=\"" + fixed(label_w, 1) + "\" y=\"" + fixed(y + 6, 1) + "\" width=\"" + fixed(bar_w, 1) +
                 "\" height=\"20\" class=\"track\"/>";
            h += "<rect x=\"" + fixed(label_w, 1) + "\" y=\"" + fixed(y + 6, 1) + "\" width=\"" + fixed(bar_w * share, 1) +
                 "\" height=\"20\" class=\"fill\"/>";
            if (t.required_share && !t.report_only && t.basis != engine::Basis::communities) {
                const double x = label_w + bar_w * std::clamp(*t.required_share, 0.0, 1.0);
                h += "<line x1=\"" + fixed(x, 1) + "\" y1=\"" + fixed(y + 2, 1) + "\" x2=\"" + fixed(x, 1) + "\" y2=\"" +
                     fixed(y + 30, 1) + "\" class=\"req\"><title>" + words("要求 ", "required ", "要求 required ") + percent(t.required_share) +
                     "</title></line>";
            }
            h += "<text x=\"" + fixed(label_w + bar_w + 6, 1) + "\" y=\"" + fixed(y + 21, 1) + "\" class=\"val\">" +
                 percent(tr.overall.achieved) + "</text></g>\n";
        }
        h += "</svg>\n<p class=\"legend-line\"><span class=\"sw pass\"></span>" + words("达标", "pass", "达标 pass") +
             " <span class=\"sw fail\"></span>" + words("未达标", "fail", "未达标 fail") + " <span class=\"sw other\"></span>" +
             words("仅报告", "report only", "仅报告 report only") + " <span class=\"tick\"></span>" +
             words("要求比例", "required share", "要求 required share") + "</p>\n</section>\n";
        return h;
    }

    std::string notes() const {
        // Each paragraph is its Chinese then its English (both), or one of them.
        auto both = [&](const std::string& zh, const std::string& en) { return words(zh, en, zh + en); };
        std::string h = "<section class=\"notes\"><h2>" +
                        words("说明", "About this map", "说明 <span class=\"en\">About this map</span>") + "</h2><p>";
        h += both("底图为数据中的步行路网（无瓦片）；"
                  "需求点为由住宅建筑估算的住户（或给定的住户/人口图层），未绘制建筑轮廓。可达范围：所选目标各类设施（全部设施，多起点）"
                  "在阈值内沿路网可达的范围（两侧 30 米）。",
                  "The base map is the walking network from the data (no tiles); demand points are the households estimated "
                  "from residential buildings (or the given households/population layer); building outlines are not drawn. "
                  "Reach: the area within the target's threshold along the network from all facilities of each category "
                  "(one multi-source search, 30 m either side of the reached streets). Density: uncovered households per "
                  "100 m cell. Areas: communities (or grid cells) coloured by the selected target's result.");
        if (m_reach_tolerance_m > m_o.reach_simplify_m) {
            const std::string m = fixed(m_reach_tolerance_m, 0);
            h += "</p><p>" + both("可达范围轮廓已简化至 " + m + " 米以控制文件大小（精确范围见 yike isochrone）。",
                                  "The reach outlines are simplified by " + m + " m to keep this file small (exact polygons: yike isochrone).");
        }
        if (m_cell_m > 0) {
            const std::string points = thousands(static_cast<double>(m_in.data.demand.size()));
            const std::string cells = thousands(static_cast<double>(m_cell_count));
            const std::string m = fixed(m_cell_m, 0);
            h += "</p><p>" +
                 both("为控制文件大小，" + points + " 个需求点已按 " + m + " 米网格汇总为 " + cells +
                          " 个格点（位于格内各点的平均位置，住户数及各目标的未覆盖住户数为格内合计）；每个需求点及其各目标覆盖情况见 "
                          "layers.gpkg（或 layers.geojson）的 demand 图层（covered_&lt;目标&gt; 字段），未覆盖住户逐点列于 "
                          "summary.xlsx。",
                      "To keep this file small, the " + points + " demand points are aggregated into " + cells + " cells of " + m +
                          " m (drawn at the mean position of their points, with their summed households and, per "
                          "target, summed uncovered households); every point with its per-target status is in the "
                          "demand layer of layers.gpkg (or layers.geojson; fields covered_&lt;target&gt;), and the "
                          "uncovered households point by point in summary.xlsx.");
        }
        return h + "</p></section>\n";
    }

    std::string data_json() const {
        const auto& d = m_in.data;
        const auto& r = m_in.results;
        std::string j = "{";
        j += "\"attribution\":" + json_string(m_o.attribution);
        j += ",\"lang\":" + json_string(std::string(engine::to_string(m_in.data.run.language)));
        j += ",\"grid\":" + std::string(r.areas.grid ? "true" : "false");

        // Categories.
        j += ",\"categories\":[";
        for (std::size_t i = 0; i < m_categories.size(); ++i) {
            std::size_t count = 0;
            for (const auto& f : d.facilities) count += f.category == m_categories[i] ? 1 : 0;
            j += (i > 0 ? "," : "") + std::string("{\"id\":") + json_string(m_categories[i]) + ",\"zh\":" +
                 json_string(words(name_zh(m_categories[i]), name_en(m_categories[i]), name_zh(m_categories[i]))) + ",\"en\":" +
                 json_string(words(name_zh(m_categories[i]), name_en(m_categories[i]), name_en(m_categories[i]))) +
                 ",\"colour\":" + json_string(colour(i)) + ",\"count\":" + std::to_string(count) + "}";
        }
        j += "]";

        // A big city's network is simplified harder until it fits the point budget.
        std::size_t network_points = 0;
        double tolerance_m = m_o.simplify_m;
        std::string network = network_json(m_in.walk_graph, tolerance_m, network_points);
        while (network_points > m_o.max_network_points && tolerance_m < 64.0) {
            tolerance_m = std::max(2.0 * tolerance_m, 1.0);
            network = network_json(m_in.walk_graph, tolerance_m, network_points);
        }
        // Still over at 64 m (every edge keeps its two ends): edges joined into lines, simplified
        // from the finest tolerance again.
        const bool chained = network_points > m_o.max_network_points;
        if (chained) {
            tolerance_m = m_o.simplify_m;
            network = network_json(m_in.walk_graph, tolerance_m, network_points, true);
            while (network_points > m_o.max_network_points && tolerance_m < m_o.max_network_simplify_m) {
                tolerance_m = std::max(2.0 * tolerance_m, 1.0);
                network = network_json(m_in.walk_graph, tolerance_m, network_points, true);
            }
        }
        j += ",\"network\":" + network;

        // Facilities: positions, category index, name, planned (added by `yike plan`).
        {
            DeltaStream s;
            std::string cats;
            std::string names;
            std::string planned;
            for (std::size_t i = 0; i < d.facilities.size(); ++i) {
                const auto& f = d.facilities[i];
                s.add(f.location);
                cats += (i > 0 ? "," : "") + std::to_string(m_category_index.at(f.category));
                names += (i > 0 ? "," : "") + json_string(f.name);
                if (f.source == "plan") planned += (planned.empty() ? "" : ",") + std::to_string(i);
            }
            j += ",\"facilities\":{\"xy\":[" + s.out + "],\"cat\":[" + cats + "],\"name\":[" + names + "],\"planned\":[" +
                 planned + "]}";
        }
        // Demand points with households (or, above the budgets, their cells with summed households
        // and the number of points in each).
        if (m_cell_m == 0) {
            DeltaStream s;
            std::string hh;
            for (std::size_t i = 0; i < d.demand.size(); ++i) {
                s.add(d.demand[i].location);
                hh += (i > 0 ? "," : "") + fixed(d.demand[i].households, 1);
            }
            j += ",\"demand\":{\"xy\":[" + s.out + "],\"hh\":[" + hh + "]}";
        } else {
            std::vector<std::int64_t> sum_x(m_cell_count, 0);
            std::vector<std::int64_t> sum_y(m_cell_count, 0);
            std::vector<std::int64_t> count(m_cell_count, 0);
            std::vector<double> households(m_cell_count, 0.0);
            for (std::size_t i = 0; i < d.demand.size(); ++i) {
                const auto c = m_cell_of[i];
                sum_x[c] += DeltaStream::micro(d.demand[i].location.lon);
                sum_y[c] += DeltaStream::micro(d.demand[i].location.lat);
                ++count[c];
                households[c] += d.demand[i].households;
            }
            DeltaStream s;
            std::string hh;
            std::string n;
            for (std::size_t c = 0; c < m_cell_count; ++c) {
                // Integer means of integer micro-degrees: exact and the same on every machine.
                const auto mean = [&](std::int64_t sum) {
                    return static_cast<std::int64_t>(std::floor(static_cast<double>(sum) / static_cast<double>(count[c]) + 0.5));
                };
                s.add(mean(sum_x[c]), mean(sum_y[c]), true);
                hh += (c > 0 ? "," : "") + fixed(households[c], 1);
                n += (c > 0 ? "," : "") + std::to_string(count[c]);
            }
            j += ",\"demand\":{\"xy\":[" + s.out + "],\"hh\":[" + hh + "],\"n\":[" + n +
                 "],\"points\":" + std::to_string(d.demand.size()) + ",\"cell_m\":" + fixed(m_cell_m, 0) + "}";
        }
        // Areas.
        auto areas_json = [&](const std::vector<engine::AreaInfo>& areas) {
            std::string a = "[";
            for (std::size_t i = 0; i < areas.size(); ++i) {
                a += (i > 0 ? "," : "") + std::string("{\"id\":") + json_string(areas[i].id) + ",\"name\":" +
                     json_string(area_name(areas[i].name)) + ",\"hh\":" + fixed(areas[i].demand.households, 1) +
                     ",\"poly\":" + polygons_json(areas[i].geometry.polygons) + "}";
            }
            return a + "]";
        };
        j += ",\"communities\":" + areas_json(r.areas.communities);
        j += ",\"subdistricts\":" + areas_json(r.areas.subdistricts);

        // Targets with per-area results, uncovered points and the reach of their facilities.
        j += ",\"targets\":[";
        std::size_t default_target = r.targets.size();
        for (std::size_t k = 0; k < r.targets.size(); ++k) {
            const auto& tr = r.targets[k];
            const auto& t = d.standard.targets[tr.target];
            if (default_target == r.targets.size() && is_coverage_map_target(t) && tr.overall.status == engine::Status::fail) {
                default_target = k;
            }
            const bool sub = judged_in_subdistricts(tr);
            const auto& units = sub ? tr.subdistricts : tr.communities;
            std::string codes;
            std::string shares;
            for (std::size_t a = 0; a < units.size(); ++a) {
                codes.push_back(status_code(units[a].status));
                shares += (a > 0 ? "," : "") + json_optional(units[a].achieved, 4);
            }
            std::string uncovered;
            std::string uncovered_cell_hh; // aggregated: the uncovered households of each listed cell
            if (m_cell_m == 0 || !draws_points(tr)) {
                std::uint32_t last = 0;
                bool first = true;
                for (std::uint32_t i = 0; i < tr.covered.size(); ++i) {
                    if (tr.covered[i] != 0) continue;
                    uncovered += (first ? "" : ",") + std::to_string(first ? i : i - last);
                    last = i;
                    first = false;
                }
            } else {
                std::vector<double> cell_hh(m_cell_count, 0.0);
                std::vector<std::uint8_t> listed(m_cell_count, 0);
                for (std::size_t i = 0; i < tr.covered.size(); ++i) {
                    if (tr.covered[i] != 0) continue;
                    cell_hh[m_cell_of[i]] += d.demand[i].households;
                    listed[m_cell_of[i]] = 1;
                }
                std::uint32_t last = 0;
                bool first = true;
                for (std::uint32_t c = 0; c < m_cell_count; ++c) {
                    if (listed[c] == 0) continue;
                    uncovered += (first ? "" : ",") + std::to_string(first ? c : c - last);
                    uncovered_cell_hh += (first ? "" : ",") + fixed(cell_hh[c], 1);
                    last = c;
                    first = false;
                }
                uncovered_cell_hh = ",\"uncovered_cell_hh\":[" + uncovered_cell_hh + "]";
            }
            std::string cats;
            for (std::size_t c = 0; c < t.categories.size(); ++c) {
                cats += (c > 0 ? "," : "") + std::to_string(m_category_index.at(t.categories[c]));
            }
            std::string reach = "[";
            if (is_coverage_map_target(t)) {
                for (std::size_t c = 0; c < t.categories.size(); ++c) {
                    reach += (c > 0 ? "," : "") + std::string("{\"cat\":") + std::to_string(m_category_index.at(t.categories[c])) +
                             ",\"poly\":" + m_reach.at(reach_key(t, t.categories[c])) + "}";
                }
            }
            reach += "]";
            j += (k > 0 ? "," : "") + std::string("{\"id\":") + json_string(t.id) + ",\"zh\":" + json_string(words(t.name_zh, t.name_en, t.name_zh)) +
                 ",\"en\":" + json_string(words(t.name_zh, t.name_en, t.name_en)) + ",\"kind\":" + json_string(engine::to_string(t.kind)) +
                 ",\"threshold\":" + json_string(detail::page_threshold(t, lang())) +
                 ",\"required\":" + json_string(detail::page_required(t, lang())) +
                 ",\"achieved\":" + json_string(achieved_text(t, tr.overall)) +
                 ",\"status\":" + json_string(engine::to_string(tr.overall.status)) +
                 ",\"uncovered_hh\":" + fixed(tr.overall.uncovered.households, 1) + ",\"cats\":[" + cats + "]" +
                 ",\"areas\":" + json_string(sub ? "subdistricts" : "communities") + ",\"area_status\":" + json_string(codes) +
                 ",\"area_share\":[" + shares + "]" + ",\"has_points\":" + (draws_points(tr) ? "true" : "false") +
                 ",\"uncovered\":[" + uncovered + "]" + uncovered_cell_hh + ",\"reach\":" + reach + "}";
        }
        j += "]";
        if (default_target == r.targets.size()) {
            for (std::size_t k = 0; k < r.targets.size(); ++k) {
                if (is_coverage_map_target(d.standard.targets[r.targets[k].target])) {
                    default_target = k;
                    break;
                }
            }
        }
        j += ",\"default_target\":" + std::to_string(default_target < r.targets.size() ? default_target : 0);
        j += ",\"stats\":{\"network_points\":" + std::to_string(network_points) + ",\"network_simplify_m\":" +
             fixed(tolerance_m, 1) + (chained ? ",\"network_chained\":true" : "") + ",\"reach_points\":" + std::to_string(m_reach_points) +
             ",\"reach_simplify_m\":" + fixed(m_reach_tolerance_m, 1) +
             (m_cell_m > 0 ? ",\"demand_cells\":" + std::to_string(m_cell_count) + ",\"demand_cell_m\":" + fixed(m_cell_m, 0)
                           : std::string()) +
             "}";
        j += "}";
        return j;
    }

    static ReachKey reach_key(const engine::Target& t, const std::string& category) {
        const engine::TargetMeasure m = engine::target_measure(t);
        return {category, m.metric == routing::Metric::time_ms, m.network == engine::Network::senior, m.budget};
    }

    bool draws_points(const engine::TargetResult& tr) const {
        return tr.covered.size() == m_in.data.demand.size() && !m_in.data.demand.empty();
    }

    // A big city's demand points (and the per-target lists of uncovered ones, each an index into
    // them) would make the page too big to open: above their budgets the points are gathered into
    // square cells (an equirectangular plane at the points' mid latitude; 50 m, doubling until both
    // budgets hold), each drawn at the mean position of its points with their summed households.
    // One pass in demand order, so the page does not depend on anything but the data.
    void compute_demand_cells() {
        const auto& d = m_in.data;
        std::size_t uncovered = 0;
        for (const auto& tr : m_in.results.targets) {
            if (!draws_points(tr)) continue;
            for (const auto c : tr.covered) uncovered += c == 0 ? 1 : 0;
        }
        if (d.demand.size() <= m_o.max_demand_points && uncovered <= m_o.max_uncovered_points) return;
        double lat_min = d.demand.front().location.lat;
        double lat_max = lat_min;
        for (const auto& p : d.demand) {
            lat_min = std::min(lat_min, p.location.lat);
            lat_max = std::max(lat_max, p.location.lat);
        }
        constexpr double m_per_deg = 111'319.49;
        const double kx = m_per_deg * std::cos((lat_min + lat_max) / 2.0 * M_PI / 180.0);
        std::map<std::pair<std::int64_t, std::int64_t>, std::uint32_t> cells;
        std::vector<std::uint8_t> seen;
        for (double cell_m = 50.0;; cell_m *= 2.0) {
            cells.clear();
            m_cell_of.assign(d.demand.size(), 0);
            for (std::size_t i = 0; i < d.demand.size(); ++i) {
                const auto& p = d.demand[i].location;
                const std::pair<std::int64_t, std::int64_t> key{
                    static_cast<std::int64_t>(std::floor(p.lat * m_per_deg / cell_m)),
                    static_cast<std::int64_t>(std::floor(p.lon * kx / cell_m))};
                m_cell_of[i] = cells.emplace(key, static_cast<std::uint32_t>(cells.size())).first->second;
            }
            // Cells numbered in (row, column) order, so that neighbours' deltas stay short.
            std::vector<std::uint32_t> renumber(cells.size());
            std::uint32_t n = 0;
            for (const auto& [key, first_seen] : cells) renumber[first_seen] = n++;
            for (auto& c : m_cell_of) c = renumber[c];
            std::size_t uncovered_cells = 0;
            for (const auto& tr : m_in.results.targets) {
                if (!draws_points(tr)) continue;
                seen.assign(cells.size(), 0);
                for (std::size_t i = 0; i < tr.covered.size(); ++i) {
                    if (tr.covered[i] != 0 || seen[m_cell_of[i]] != 0) continue;
                    seen[m_cell_of[i]] = 1;
                    ++uncovered_cells;
                }
            }
            m_cell_m = cell_m;
            m_cell_count = cells.size();
            if ((cells.size() <= m_o.max_demand_points && uncovered_cells <= m_o.max_uncovered_points) ||
                cells.size() <= 1) {
                break;
            }
        }
    }

    // The reach of every facility of a category within a target's threshold, on the target's
    // network and measure: one multi-source search and one outline (engine::reach_outline, a
    // lattice that coarsens with the reach's extent, so no size of city costs much more than a
    // smaller one), shared by targets asking the same, computed on all cores (each key on its own,
    // so the page does not depend on the thread count). All outlines together are kept within
    // max_reach_points by doubling their simplification, as the network's.
    void compute_reach() {
        const auto& d = m_in.data;
        std::vector<ReachKey> keys;
        std::vector<const engine::Target*> asking; // the first target asking for each key
        for (const auto& tr : m_in.results.targets) {
            const auto& t = d.standard.targets[tr.target];
            if (!is_coverage_map_target(t)) continue;
            for (const auto& c : t.categories) {
                const ReachKey key = reach_key(t, c);
                if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
                    keys.push_back(key);
                    asking.push_back(&t);
                }
            }
        }
        std::vector<std::shared_ptr<const engine::MultiPolygon>> outlines(keys.size());
        std::atomic<std::size_t> next{0};
        std::mutex failure_mutex;
        std::exception_ptr failure;
        auto work = [&] {
            try {
                build_outlines(keys, asking, outlines, next);
            } catch (...) {
                const std::lock_guard<std::mutex> lock(failure_mutex);
                if (!failure) failure = std::current_exception();
                next = keys.size();
            }
        };
        const unsigned workers = std::max(1U, std::min<unsigned>(std::thread::hardware_concurrency(),
                                                                 static_cast<unsigned>(keys.size())));
        {
            std::vector<std::jthread> threads;
            for (unsigned w = 1; w < workers; ++w) threads.emplace_back(work);
            work();
        }
        if (failure) std::rethrow_exception(failure);
        double tolerance = m_o.reach_simplify_m;
        while (true) {
            m_reach.clear();
            m_reach_points = 0;
            for (std::size_t k = 0; k < keys.size(); ++k) {
                m_reach.emplace(keys[k], polygons_json(outlines[k] ? *outlines[k] : engine::MultiPolygon{}, tolerance,
                                                       &m_reach_points));
            }
            if (m_reach_points <= m_o.max_reach_points || tolerance >= 64.0) break;
            tolerance = std::max(2.0 * tolerance, 1.0);
        }
        m_reach_tolerance_m = tolerance;
    }

    void build_outlines(const std::vector<ReachKey>& keys, const std::vector<const engine::Target*>& asking,
                        std::vector<std::shared_ptr<const engine::MultiPolygon>>& outlines,
                        std::atomic<std::size_t>& next) const {
        const auto& d = m_in.data;
        {
            std::optional<routing::BoundedSearch> walk_search;
            std::optional<routing::BoundedSearch> senior_search;
            for (std::size_t k = next++; k < keys.size(); k = next++) {
                const std::string& category = std::get<0>(keys[k]);
                const auto reach = engine::facility_reach(d, *asking[k], {&category, 1}, m_in.facility_walk,
                                                          m_in.facility_senior);
                if (reach.origins.empty()) continue;
                const bool senior = reach.measure.network == engine::Network::senior;
                const auto& graph = senior ? m_in.senior_graph : m_in.walk_graph;
                if (m_o.reach_cache && (outlines[k] = m_o.reach_cache->find(graph, reach))) continue;
                auto& search = senior ? senior_search : walk_search;
                if (!search) search.emplace(graph);
                // The households that walk to a facility in time.
                engine::search_reach(*search, reach);
                const auto spans = routing::reached_spans(*search);
                outlines[k] = std::make_shared<const engine::MultiPolygon>(engine::reach_outline(graph, spans));
                if (m_o.reach_cache) m_o.reach_cache->add(graph, reach, outlines[k]);
            }
        }
    }
};

} // namespace

std::string render_html_report(const HtmlReportInput& input, const HtmlReportOptions& options) {
    return Builder(input, options).page();
}

void write_html_report(const std::filesystem::path& path, const HtmlReportInput& input, const HtmlReportOptions& options) {
    io::write_text_file(path, render_html_report(input, options));
}

} // namespace yike::viz
