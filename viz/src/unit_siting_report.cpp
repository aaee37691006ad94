// plan.md and evaluation.md sections, units.csv and evaluation.csv of presence and ratio targets,
// judged unit by unit (community, grid cell or sub-district; engine/src/unit_siting.cpp computes
// them). zh rewrites the engine's English notes and effects sentence by sentence.
#include <algorithm>
#include <cctype>
#include <regex>
#include <sstream>

#include "detail/report_parts.hpp"
#include "detail/siting_words.hpp"
#include "yike/io/feature_writer.hpp"
#include "yike/io/number_text.hpp"

namespace yike::viz::detail {

namespace {

using routing::invalid_id;

std::string fx(double v, int d) { return io::fixed(v, d); }
std::string joined(const std::vector<std::string>& v) { return join(v, ", "); }
bool staff_ratio(const Target& t) { return t.ratio == RatioKind::staff_per_households; }
std::optional<double> ratio_value(const Candidate& c, const Target& t) { return staff_ratio(t) ? c.staff : c.floor_area_m2; }
std::string ratio_unit(const Target& t) { return staff_ratio(t) ? "workers" : "m²"; }

std::string unit_label(const SitingRun& run, const Target& t, std::uint32_t u, const SitingWords& W) {
    if (u == invalid_id) return "—";
    const auto& areas = t.unit == AreaUnit::community ? run.before_results.areas.communities : run.before_results.areas.subdistricts;
    const auto& a = areas[u];
    // The one sub-district areas.cpp makes when none is given is named by yike, in both languages.
    const std::string name = a.name == engine::whole_study_area_name ? W.heading("全部", "whole study area") : a.name;
    return md_cell(name.empty() || name == a.id ? a.id : a.id + " " + name);
}

std::string level_name(const SitingRun& run, const Target& t) {
    if (t.unit == AreaUnit::subdistrict) return "sub-district";
    return run.before_results.areas.grid ? "grid cell" : "community";
}

std::string plural(const std::string& unit) { return unit == "community" ? "communities" : unit + "s"; }

std::string candidate_label(const Candidate& c) { return md_cell(c.name.empty() ? c.id : c.id + " " + c.name); }


// The unit's name in the chosen language (level_name() in English; Chinese has no plural).
std::string level_word(const SitingRun& run, const Target& t, const SitingWords& W) {
    if (W.language != Language::zh) return level_name(run, t);
    if (t.unit == AreaUnit::subdistrict) return "街道";
    return run.before_results.areas.grid ? "网格" : "社区";
}

std::string plural_word(const SitingRun& run, const Target& t, const SitingWords& W) {
    return W.language == Language::zh ? level_word(run, t, W) : plural(level_name(run, t));
}

std::string ratio_word(const Target& t, const SitingWords& W) { return staff_ratio(t) ? W("人员", "workers") : "m²"; }

// Notes, effects and reasons are composed in English where they are found (plan_unit_target,
// evaluate_unit_target, which the Python module shares); zh rewrites each known sentence, keeping
// its ids and numbers. A sentence not listed here stays English.
std::string phrases_in(const std::string& text, const SitingWords& W) {
    if (W.language != Language::zh) return text;
    static const std::vector<std::pair<std::regex, std::string>> sentences = [] {
        const std::vector<std::pair<const char*, const char*>> list = {
            {R"(no communities were given: the (\d+) grid cells? of (\S+) m holding demand stands? for the communities of (\S+) \(give --communities for the real ones\))",
             "未给出社区：以有需求的 $1 个 $2 米网格代替 $3 的社区（用 --communities 给出实际社区）"},
            {R"(no sub-districts were given: the whole study area is the one sub-district of (\S+) \(give --subdistricts for the real ones\))",
             "未给出街道：整个研究范围作为 $1 的唯一街道（用 --subdistricts 给出实际街道）"},
            {R"(no candidate carries a staff figure \(--candidate-staff-field F\): the shortfall per (.+) alone)",
             "候选点均无人员数（--candidate-staff-field F）：只列出各$1的缺口"},
            {R"(no candidate carries a floor area \(--candidate-floor-area-field F\): the shortfall per (.+) alone)",
             "候选点均无建筑面积（--candidate-floor-area-field F）：只列出各$1的缺口"},
            {R"((\d+) (.+)\(s\) cannot be judged \(a facility there lacks the figure, or none states it\) and are left out)",
             "$1 个$2无法评判（其中设施缺少该数值，或没有设施注明），未纳入"},
            {R"((\d+) of (\d+) candidates lie outside every (.+) and can help no (.+) of (\S+))",
             "$2 个候选点中 $1 个不在任何$3内，对 $5 的任何$4都无帮助"},
            {R"((\d+) of (\d+) candidates lie outside every (.+) and can make no (.+) of (\S+) pass)",
             "$2 个候选点中 $1 个不在任何$3内，不能使 $5 的任何$4达标"},
            {R"((\S+) is reported only, never failed: nothing to plan)", "$1 只报告、不判未达标：无需规划"},
            {R"(every (.+) of (\S+) passes or cannot be judged already: nothing to plan)", "$2 的每个$1都已达标或无法评判：无需规划"},
            {R"(no failing (.+) can pass with (\d+) site\(s\): the one needing fewest lacks (\d+) categories; give --k (\d+) or more)",
             "没有未达标的$1能用 $2 个站点达标：所需最少的也缺 $3 类设施；请给 --k $4 或更大的数"},
            {R"(outside every (.+))", "不在任何$1内"},
            {R"(already passes)", "已达标"},
            {R"(passes)", "达标"},
            {R"(still lacks (.+))", "仍缺少 $1"},
            {R"(a size norm: no site changes it)", "规模指标：新站点不改变它"},
            {R"(a size norm: no site changes the households of a (.+))", "规模指标：新站点不改变$1的户数"},
            {R"(no staff figure: short by (\S+) workers)", "无人员数：缺 $1 人"},
            {R"(no floor area: short by (\S+) m²)", "无建筑面积：缺 $1 m²"},
            {R"(still short by (\S+) workers)", "仍缺 $1 人"},
            {R"(still short by (\S+) m²)", "仍缺 $1 m²"},
            {R"(give the category of the new sites with --category)", "请用 --category 给出新站点的设施类别"},
            {R"(no candidate with a figure inside)", "内部没有带数值的候选点"},
            {R"(also lacks (.+) \(not planned\))", "还缺少 $1（未规划）"},
            {R"(no candidate inside)", "内部没有候选点"},
            {R"(left out by the site budget or share)", "因站点数或目标比例限制未纳入"},
            {R"(report_only)", "仅报告"},
            {R"(not_assessable)", "无法评估"},
            {R"(no_data)", "无数据"},
            {R"(no_demand)", "无需求"},
        };
        std::vector<std::pair<std::regex, std::string>> out;
        for (const auto& [pattern, zh] : list) out.emplace_back(std::regex(pattern), zh);
        return out;
    }();
    for (const auto& [pattern, zh] : sentences) {
        std::smatch m;
        if (!std::regex_match(text, m, pattern)) continue;
        // $N is the N-th part of the match; a part that is a unit's name is given in Chinese, the
        // others (ids, numbers, categories) as they are.
        std::string out;
        for (std::size_t i = 0; i < zh.size(); ++i) {
            if (zh[i] != '$' || i + 1 >= zh.size() || !std::isdigit(static_cast<unsigned char>(zh[i + 1]))) {
                out += zh[i];
                continue;
            }
            const std::string part = m[static_cast<std::size_t>(zh[++i] - '0')].str();
            out += part == "grid cell" ? "网格" : part == "community" ? "社区" : part == "sub-district" ? "街道" : part;
        }
        return out;
    }
    return text;
}

} // namespace

std::string unit_plan_markdown(const SitingRun& run, const SitingSettings& s, const SitingWords& W) {
    std::ostringstream md;
    const auto& standard = run.before.standard;
    const bool zh = W.language == Language::zh;
    for (const auto& p : run.unit_plans) {
        const Target& t = standard.targets[p.target];
        const std::string unit = level_word(run, t, W);
        const std::string units = plural_word(run, t, W);
        const std::string basis = W.basis(p.basis);
        const auto& after = t.unit == AreaUnit::community ? run.after_results.targets[p.target].communities
                                                           : run.after_results.targets[p.target].subdistricts;
        std::uint32_t passing_after = 0;
        for (const auto& r : after) passing_after += r.status == Status::pass ? 1 : 0;
        md << "\n## " << t.id << " — " << W.kind(t.kind) << W("，按", " per ") << unit << W("（", " (") << basis << W("）", ")")
           << "\n\n";
        if (t.kind == TargetKind::presence && zh) {
            md << "- 目标："
               << (s.mode == PlanMode::set_cover
                       ? "以最少的新站点使 " + io::percent(s.target_share) + " 的" + units + "达标"
                       : "用 " + std::to_string(s.k) + " 个新站点使未达标" + units + "中尽可能多的" + basis + "达标")
               << "；未达标的" << unit << "内为其缺少的每类设施各设一个站点即可达标（"
               << (t.require == Require::any ? "任一：" : "每类：") << joined(t.categories) << "）；规划：" << joined(p.categories)
               << '\n';
            md << "- " << unit << "内的站点：选其内部 15 分钟内（" << W.profile(t) << "）可达" << basis
               << "最多的候选点，其次总步行时间最少，再次排在最前的；站点是否在" << unit << "内，与设施用同一规则判断\n";
        } else if (t.kind == TargetKind::presence) {
            md << "- objective: "
               << (s.mode == PlanMode::set_cover
                       ? "the fewest new sites making " + io::percent(s.target_share) + " of the " + units + " pass"
                       : "the most " + basis + " in failing " + units + " made to pass with " + std::to_string(s.k) +
                             " new site(s)")
               << "; a failing " << unit << " passes with one site inside it for every category it lacks ("
               << (t.require == Require::any ? "any one of " : "each of ") << joined(t.categories) << "); planned: "
               << joined(p.categories) << '\n';
            md << "- the site within a " << unit << ": the candidate inside it reaching most of its " << basis
               << " within 15 minutes (" << W.profile(t) << "), then the least total walking time of those, then the "
               << "first candidate; a site lies inside its " << unit << " by the same rule as facilities\n";
        } else if (zh) {
            md << "- 目标：每个未达标" << unit << "计算其缺口（" << ratio_word(t, W)
               << "），并选其内部能补足缺口的最少候选点（先大后小，再逐个换成仍能补足的最小者）；凡能补足的" << unit
               << "全部补足（--k 与 --target-share 不适用）\n";
        } else {
            md << "- objective: per failing " << unit << " the shortfall in " << ratio_unit(t)
               << " and the fewest candidates inside it closing it (largest first, then each replaced by the smallest that still closes it); every closable " << unit
               << " is closed (--k and --target-share do not apply)\n";
        }
        if (zh) {
            md << "- " << units << "：" << p.units << " 个，已评估 " << p.assessed << " 个，规划前达标 " << p.passing_before
               << " 个，规划后 " << passing_after << " 个；未达标 " << p.needs.size() << " 个\n";
        } else {
            md << "- " << units << ": " << p.units << ", passing before " << p.passing_before << " of " << p.assessed
               << " assessed, after " << passing_after << "; " << p.needs.size() << " failing\n";
        }
        const auto& r = p.result;
        const std::string method = zh && t.kind == TargetKind::ratio
                                       ? "每个未达标" + unit + "：选其内部补足缺口的最少候选点，其中" + ratio_word(t, W) + "最少者"
                                       : W.method(r.method);
        md << W("- 站点：", "- sites: ") << p.sites.size() << W("；方法：", "; method: ") << method << W("；目标值 ", "; objective ")
           << fx(r.objective, 1) << ' ' << basis << W("，上界 ", ", upper bound ") << fx(r.upper_bound, 1) << W("，差距 ", ", gap ")
           << io::percent(r.gap) << (r.optimal ? W("（已证明最优）", " (proven optimal)") : "") << '\n';
        if (!r.target_reachable) {
            md << (zh ? "- **目标比例 " + io::percent(s.target_share) + " 无法达到**：所有可补足的" + unit + "都已在规划中\n"
                      : "- **the target share " + io::percent(s.target_share) + " cannot be reached**: every fixable " + unit +
                            " is in the plan\n");
        }
        for (const auto& note : p.notes) md << W("- 注：", "- note: ") << phrases_in(note, W) << '\n';
        if (t.kind == TargetKind::presence) {
            md << W("\n| 顺序 | " + unit + " | " + basis + " | 新增类别 | 候选点 | 经度 | 纬度 | 15 分钟内" + basis + " | 总步行（分钟 × " + basis +
                        "） |",
                    "\n| order | " + unit + " | " + basis + " | categories added | candidate | lon | lat | " + basis +
                        " within 15 min | total walk (min × " + basis + ") |")
               << "\n|---:|---|---:|---|---|---:|---:|---:|---:|\n";
            for (std::size_t k = 0; k < r.chosen.size(); ++k) {
                const auto& n = p.needs[r.chosen[k]];
                const auto& c = run.candidates[n.site];
                md << "| " << k + 1 << " | " << unit_label(run, t, n.unit, W) << " | " << fx(n.weight, 1) << " | "
                   << joined(n.need) << " | " << candidate_label(c) << " | " << fx(c.location.lon, 6) << " | "
                   << fx(c.location.lat, 6) << " | " << fx(n.site_reached, 1) << " | " << fx(n.site_total_time_min, 1)
                   << " |\n";
            }
            md << W("\n未纳入规划的未达标" + units + "：\n\n| " + unit + " | " + basis + " | 缺少 | 原因 |",
                    "\nFailing " + units + " not in the plan:\n\n| " + unit + " | " + basis + " | lacks | why |")
               << "\n|---|---:|---|---|\n";
            for (const auto& n : p.needs) {
                if (n.chosen) continue;
                md << "| " << unit_label(run, t, n.unit, W) << " | " << fx(n.weight, 1) << " | " << joined(n.missing) << " | "
                   << phrases_in(n.unfixable.empty() ? "left out by the site budget or share" : n.unfixable, W) << " |\n";
            }
        } else {
            md << W("\n| " + unit + " | 户数 | 要求 | 现有 | 缺口（" + ratio_word(t, W) + "） | 补足缺口的站点 | 规划后 |",
                    "\n| " + unit + " | households | required | found | shortfall (" + ratio_unit(t) +
                        ") | sites closing it | after |")
               << "\n|---|---:|---:|---:|---:|---|---|\n";
            for (const auto& n : p.needs) {
                const auto& b = (t.unit == AreaUnit::community ? run.before_results.targets[p.target].communities
                                                               : run.before_results.targets[p.target].subdistricts)[n.unit];
                std::string sites;
                for (const auto j : n.ratio_sites) {
                    const auto v = ratio_value(run.candidates[j], t);
                    sites += (sites.empty() ? "" : ", ") + candidate_label(run.candidates[j]) + " (" + fx(v.value_or(0), 1) + ")";
                }
                if (sites.empty()) sites = n.unfixable.empty() ? "—" : phrases_in(n.unfixable, W);
                md << "| " << unit_label(run, t, n.unit, W) << " | " << fx(b.households, 1) << " | "
                   << (b.required ? fx(*b.required, 1) : "") << " | " << (b.value ? fx(*b.value, 1) : "") << " | "
                   << fx(n.shortfall, 1) << " | " << sites << " | " << W.status(after[n.unit].status) << " |\n";
            }
        }
    }
    return md.str();
}

std::string unit_plan_csv(const SitingRun& run) {
    const auto& standard = run.before.standard;
    std::string csv = io::csv_row({"target", "kind", "unit", "unit_name", "basis", "weight", "status", "missing", "categories_added",
                                   "shortfall", "candidate", "lon", "lat", "reached_15min", "total_walk_min", "why"});
    for (const auto& p : run.unit_plans) {
        const Target& t = standard.targets[p.target];
        const auto& areas = t.unit == AreaUnit::community ? run.before_results.areas.communities
                                                           : run.before_results.areas.subdistricts;
        for (const auto& n : p.needs) {
            std::vector<std::uint32_t> sites = n.ratio_sites;
            if (n.site != invalid_id && n.chosen) sites = {n.site};
            std::string ids, lons, lats;
            for (const auto j : sites) {
                const auto& c = run.candidates[j];
                ids += (ids.empty() ? "" : ";") + c.id;
                lons += (lons.empty() ? "" : ";") + fx(c.location.lon, 7);
                lats += (lats.empty() ? "" : ";") + fx(c.location.lat, 7);
            }
            csv += io::csv_row({t.id, std::string(to_string(t.kind)), areas[n.unit].id, areas[n.unit].name, basis_name(p.basis),
                                fx(n.weight, 3), n.chosen ? "planned" : (n.unfixable.empty() ? "not chosen" : "unfixable"),
                                joined(n.missing), n.chosen ? joined(n.need) : "", fx(n.shortfall, 3), ids, lons, lats,
                                n.chosen && n.site != invalid_id ? fx(n.site_reached, 3) : "",
                                n.chosen && n.site != invalid_id ? fx(n.site_total_time_min, 3) : "", n.unfixable});
        }
    }
    return csv;
}

std::string unit_evaluation_markdown(const SitingRun& run, const UnitEvaluation& ev, const SitingWords& W) {
    std::ostringstream md;
    const Target& t = run.before.standard.targets[ev.target];
    const std::string unit = level_word(run, t, W);
    const std::string basis = W.basis(ev.basis);
    md << "\n## " << ev.category << " — " << t.id << W("（", " (") << W.kind(t.kind) << W("，按", " per ") << unit << W("，", ", ")
       << basis << W("）", ")") << "\n\n";
    if (W.language == Language::zh) {
        md << ev.rows.size() << " 个候选点：各自所在的" << unit << "，以及在那里设 " << ev.category << " 能否使其达标；5、10、15 分钟内（"
           << W.profile(t) << "）可达的" << basis << "，其中 15 分钟内目前没有 " << ev.category << " 的部分（增益）；到最近现有 "
           << ev.category << " 的路网距离。排序：先看能否使所在" << unit << "达标（" << basis << "多的" << unit
           << "在前），再看增益，再看服务量。\n\n";
    } else {
        md << ev.rows.size() << " candidates: the " << unit << " each lies in and whether a " << ev.category
           << " there makes it pass; the " << basis << " within 5, 10 and 15 minutes (" << W.profile(t)
           << "), and of those within 15 minutes the ones who have no " << ev.category
           << " within 15 minutes today (gain); the network distance to the nearest existing " << ev.category
           << ". Ranked: makes its " << unit << " pass (the heavier " << unit << " first), then gain, then served.\n\n";
    }
    if (!t.confirmed)
        md << W("该目标的数值尚未与标准原文核对确认。", "The target's numbers are not confirmed against the standard's text.") << "\n\n";
    for (const auto& note : ev.notes) md << W("- 注：", "- note: ") << phrases_in(note, W) << '\n';
    if (!ev.notes.empty()) md << '\n';
    md << W("| 排名 | 候选点 | 经度 | 纬度 | " + unit + " | 其中" + basis + " | 效果 | " + basis +
                " ≤5 分钟 | ≤10 分钟 | ≤15 分钟 | 增益 ≤15 分钟 | 最近现有设施（米） |\n",
            "| rank | candidate | lon | lat | " + unit + " | " + basis + " in it | effect | " + basis +
                " ≤5 min | ≤10 min | ≤15 min | gain ≤15 min | nearest existing (m) |\n")
       << "|---:|---|---:|---:|---|---:|---|---:|---:|---:|---:|---:|\n";
    const std::size_t shown = std::min<std::size_t>(ev.rows.size(), 50);
    for (std::size_t k = 0; k < shown; ++k) {
        const auto& row = ev.rows[k];
        const auto& c = run.candidates[row.candidate];
        md << "| " << k + 1 << " | " << candidate_label(c) << " | " << fx(c.location.lon, 6) << " | " << fx(c.location.lat, 6)
           << " | " << unit_label(run, t, row.unit, W) << " | " << fx(row.unit_weight, 1) << " | "
           << md_cell(phrases_in(row.effect, W)) << " | " << fx(row.served[0], 1) << " | " << fx(row.served[1], 1)
           << " | " << fx(row.served[2], 1) << " | " << fx(row.gain_15min, 1) << " | "
           << (row.nearest_existing_m ? fx(*row.nearest_existing_m, 1)
                                      : W(io::format_number(4.0 * unit_nearest_search_cm / 100.0) + " 米内没有",
                                          "none within " + io::format_number(4.0 * unit_nearest_search_cm / 100.0)))
           << " |\n";
    }
    if (shown < ev.rows.size())
        md << "\n" << W("另有 ", "") << ev.rows.size() - shown << W(" 个见 evaluation.csv。", " more in evaluation.csv.") << '\n';
    return md.str();
}

} // namespace yike::viz::detail
