// summary.xlsx and summary.json of the report folder: the same tables as summary.md and the CSVs,
// for Excel/WPS and for programs.
#include "detail/report_parts.hpp"
#include "detail/siting_words.hpp"
#include "yike/io/number_text.hpp"

#include <nlohmann/json.hpp>

namespace yike::viz::detail {

namespace {

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
} // namespace

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
        const SitingWords W{lang}; // kind and threshold in Chinese for zh, as summary.md
        targets.rows.push_back({target.id, in_language(lang, target.name_zh, target.name_en, " / "), W.kind(target.kind),
                                join(names, ", "), W.threshold(target), required_text(target, lang),
                                cell(t.overall.required), cell(t.overall.achieved),
                                status_words(t.overall.status, lang), t.overall.uncovered.households,
                                t.overall.uncovered.population, t.overall.uncovered.seniors,
                                lacks_data(t) ? target_needs_text(data, t) : std::string(), target.source,
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
    std::vector<std::pair<std::uint32_t, std::uint32_t>> listed; // (target, demand point) of each row
    for (std::uint32_t k = 0; k < results.targets.size(); ++k) {
        const auto& t = results.targets[k];
        if (t.covered.empty()) continue;
        for (std::uint32_t i = 0; i < data.demand.size(); ++i) {
            if (t.covered[i]) continue;
            if (++total > room) continue;
            listed.emplace_back(k, i);
        }
    }
    std::vector<io::XlsxCell> last;
    if (total > room)
        last = {L("……另有 " + std::to_string(total - room) + " 行见 layers 图层",
                  "... " + std::to_string(total - room) + " more rows in the report's layers")};
    // Made row by row as the sheet is written (a big city's sheet has a million rows); `ctx`
    // outlives the writing.
    uncovered.row_count = listed.size() + (last.empty() ? 0 : 1);
    uncovered.row_at = [&ctx, listed = std::move(listed), last = std::move(last), no = L("否", "no"),
                        yes = L("是", "yes")](std::size_t n, std::vector<io::XlsxCell>& row) {
        if (n == listed.size()) {
            row = last;
            return;
        }
        const auto& run = ctx.data;
        const auto& areas = ctx.results.areas;
        const auto [k, i] = listed[n];
        const auto& d = run.demand[i];
        const auto c = areas.demand_community[i];
        const auto sd = areas.demand_subdistrict[i];
        row = {ctx.target(ctx.results.targets[k]).id, d.id, d.households, d.population, d.seniors,
               c == invalid ? std::string() : areas.communities[c].id, sd == invalid ? std::string() : areas.subdistricts[sd].id,
               d.location.lon, d.location.lat, run.demand_snaps[i].origin ? no : yes};
    };
    out.push_back(std::move(uncovered));
    return out;
}

// ---- summary.json --------------------------------------------------------------------------

using json = nlohmann::ordered_json;

namespace {


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
} // namespace

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
                       {"text", target_needs_text(ctx.data, t)}};
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

} // namespace yike::viz::detail
