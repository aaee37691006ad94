// The folders of `yike evaluate` and `yike plan`: evaluation.md/csv and the candidates layer;
// plan.md/csv, communities.csv, units.csv, the sites layers and the before/ and after/ reports.
// The words follow --lang (SitingWords); numbers use io/number_text.hpp.
#include "yike/viz/siting_report.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "detail/report_parts.hpp"
#include "detail/siting_words.hpp"
#include "detail/threshold_text.hpp"
#include "yike/assert.hpp"
#include "yike/engine/category_cost.hpp"
#include "yike/io/feature_writer.hpp"
#include "yike/io/number_text.hpp"
#include "yike/io/output_folder.hpp"
#include "yike/io/phase_log.hpp"
#include "yike/viz/report.hpp"
#include "yike/viz/siting_tables.hpp"

namespace yike::viz {

using namespace yike::engine;
using detail::md_cell;
using detail::threshold_text;
using detail::ThresholdForm;
using io::csv_row;
using io::fixed;
using io::percent;

namespace {
std::string num(double v) { return io::format_number(v); }
} // namespace

namespace detail {

std::string SitingWords::operator()(std::string_view zh, std::string_view en) const {
    return std::string(language == Language::zh ? zh : en);
}

std::string SitingWords::heading(std::string_view zh, std::string_view en) const { return in_language(language, zh, en, " / "); }

std::string SitingWords::basis(Basis b) const {
    if (language != Language::zh) return basis_name(b);
    switch (b) {
    case Basis::households: return "户数";
    case Basis::population: return "人口";
    case Basis::seniors: return "老年人口";
    case Basis::children: return "儿童人口";
    case Basis::communities: return "户数"; // basis_name: communities are judged by their households
    }
    return basis_name(b);
}

std::string SitingWords::profile(const Target& t) const {
    if (language != Language::zh) return std::string(walking_profile_name(t)) + " profile";
    return walking_network(t) == Network::senior ? "老年人步行速度" : "步行速度";
}

std::string SitingWords::threshold(const Target& t) const {
    return threshold_text(t, language == Language::zh ? ThresholdForm::report_zh : ThresholdForm::report);
}

std::string SitingWords::kind(TargetKind k) const {
    if (language != Language::zh) return std::string(to_string(k));
    switch (k) {
    case TargetKind::coverage: return "覆盖率";
    case TargetKind::presence: return "设施配置";
    case TargetKind::ratio: return "配建指标";
    }
    return std::string(to_string(k));
}

std::string SitingWords::status(Status st) const {
    if (language != Language::zh) return std::string(to_string(st));
    switch (st) {
    case Status::pass: return "达标";
    case Status::fail: return "未达标";
    case Status::report_only: return "仅报告";
    case Status::not_assessable: return "无法评估";
    case Status::no_data: return "无数据";
    case Status::no_demand: return "无需求";
    case Status::not_applicable: return "—";
    }
    return std::string(to_string(st));
}

std::string SitingWords::method(const std::string& method) const {
    if (language != Language::zh) return method;
    // The solvers (planning.cpp) describe what they did in English phrases; longer phrases first so
    // that a shorter one inside them does not split them.
    static const std::vector<std::pair<std::string, std::string>> phrases = {
        {"units needing the fewest sites first (optimal for a count of units)", "先选所需站点最少的单元（按单元数计时最优）"},
        {"lazy greedy + redundant-site removal", "惰性贪心 + 删除多余站点"},
        {"served weight by max flow", "服务量按最大流计算"},
        {"greedy by weight per site", "按每站权重贪心"},
        {"lazy greedy + swap", "惰性贪心 + 交换"},
        {"LP rounding + swap", "线性规划取整 + 交换"},
        {"submodular (final selection)", "次模上界（最终选址）"},
        {"submodular (greedy)", "次模上界（贪心）"},
        {"largest single gains", "单站最大增益之和"},
        {"ILP optimum (GLPK)", "整数规划最优值（GLPK）"},
        {"ILP optima (GLPK)", "整数规划最优值（GLPK）"},
        {"LP relaxation (GLPK)", "线性规划松弛（GLPK）"},
        {"LP relaxation", "线性规划松弛"},
        {"exact: not needed (bound met)", "精确求解：不需要（已达上界）"},
        {"exact: GLPK MIP", "精确求解：GLPK 混合整数规划"},
        {"(proven optimal)", "（已证明最优）"},
        {"(time limit)", "（达到时限）"},
        {"(no answer)", "（无解）"},
        {"nothing to add", "无需新增"},
        {" swaps)", " 次交换）"},
        {" dropped)", " 个被删去）"},
        {" sites needed (", " 个站点（"},
        {"at least ", "至少需要 "},
        {" better", " 更优"},
        {"bound: ", "上界："},
        {", met", "，已达到"},
        {" sites", " 个站点"},
        {" (", "（"},
        {"; ", "；"},
        {")", "）"},
    };
    std::string out = method;
    for (const auto& [en, zh] : phrases) {
        for (auto at = out.find(en); at != std::string::npos; at = out.find(en, at + zh.size())) out.replace(at, en.size(), zh);
    }
    return out;
}

} // namespace detail

namespace {

std::string layer_file(const SitingSettings& s, const std::string& stem) {
    return stem + (s.coverage.layer_format == io::VectorFormat::geojson ? ".geojson" : ".gpkg");
}

std::string nearest_unit(const CategoryTarget& ct) { return ct.metric == routing::Metric::length_cm ? "m" : "min"; }

std::string target_label(const Standard& standard, std::size_t target, const detail::SitingWords& W) {
    const auto& t = standard.targets[target];
    return t.id + W("（", " (") + W.threshold(t) + W("，", ", ") + W.basis(t.basis) + W("）", ")");
}

std::string nearest_unit(const CategoryTarget& ct, const detail::SitingWords& W) {
    return ct.metric == routing::Metric::length_cm ? W("米", "m") : W("分钟", "min");
}

std::string status_text(const UnitResult& r, const detail::SitingWords& W) {
    return W.status(r.status) + (r.achieved ? W("（", " (") + percent(*r.achieved) + W("）", ")") : "");
}

std::string optional_text(const std::optional<double>& v, int decimals) { return v ? fixed(*v, decimals) : ""; }

// ---- output --------------------------------------------------------------------------------

// The run's inputs (as summary.md lists them) and where the candidates came from. The values are the
// coverage run's own text (file names, counts, options); zh and en translate the labels it knows.
std::string inputs_markdown(const SitingRun& run, const SitingSettings& s, const detail::SitingWords& W) {
    std::ostringstream md;
    for (const auto& [label, value] : run.before.run.inputs) {
        md << "- " << detail::input_label(label, W.language) << W("：", ": ") << detail::input_value(value, W.language) << '\n';
    }
    md << W("- 候选点：", "- candidates: ") << run.candidates.size() << W(" 个，来自", " from ")
       << (s.candidates.layer.empty() ? W("路网上间距 " + num(s.candidates.spacing_m) + " 米的点",
                                          "the network on a " + num(s.candidates.spacing_m) + " m spacing")
                                      : s.candidates.layer.filename().string())
       << (s.candidates.mask.empty() ? "" : W("，排除 ", ", outside ") + s.candidates.mask.filename().string()) << '\n';
    return md.str();
}

} // namespace

std::string evaluation_markdown(const SitingRun& run, const SitingSettings& s) {
    std::ostringstream md;
    const auto& standard = run.before.standard;
    const detail::SitingWords W{s.coverage.language};
    md << "# " << W.heading("选址评估", "Site evaluation") << "\n\n";
    md << inputs_markdown(run, s, W);
    for (const auto& ev : run.evaluations) {
        const auto& ct = ev.target;
        const auto& t = standard.targets[ct.target];
        md << "\n## " << ct.category << " — " << target_label(standard, ct.target, W) << "\n\n";
        const std::string share = percent(ct.total_weight > 0 ? ct.covered_weight / ct.total_weight : 0);
        if (W.language == Language::zh) {
            md << "现状覆盖：" << num(std::round(ct.total_weight)) << " " << W.basis(t.basis) << "中覆盖 "
               << num(std::round(ct.covered_weight)) << "（" << share << "）。共 " << ev.rows.size() << " 个候选点"
               << (s.candidates.only_uncovered ? "（仅保留能到达未覆盖需求的）" : "") << "，按各点新增覆盖（"
               << W.threshold(t) << "内）的" << W.basis(t.basis) << "排序。\n\n";
        } else {
            md << "Covered before: " << num(std::round(ct.covered_weight)) << " of " << num(std::round(ct.total_weight)) << ' '
               << basis_name(t.basis) << " (" << share << "). " << ev.rows.size() << " candidates"
               << (s.candidates.only_uncovered ? " that reach uncovered demand" : "") << ", ranked by the "
               << basis_name(t.basis) << " each would newly bring within " << threshold_text(t) << ".\n\n";
        }
        if (!t.confirmed)
            md << W("该目标的数值尚未与标准原文核对确认。", "The target's numbers are not confirmed against the standard's text.")
               << "\n\n";
        const std::string method = s.coverage.gaussian_decay ? "E2SFCA" : "2SFCA";
        const std::string per = ev.catchment ? W.basis(ev.catchment->basis) : std::string("—");
        md << W("| 排名 | 候选点 | 经度 | 纬度 | 新增覆盖 | 服务 | 重叠 | 最近现有设施（" + nearest_unit(ct, W) + "） | 容量 | " + method +
                    " 供需比（每" + per + "） |",
                "| rank | candidate | lon | lat | newly covered | served | overlap | nearest existing (" + nearest_unit(ct) +
                    ") | capacity | " + method + " ratio (per " + per + ") |")
           << "\n|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
        const std::size_t shown = std::min<std::size_t>(ev.rows.size(), 50);
        for (std::size_t r = 0; r < shown; ++r) {
            const auto& row = ev.rows[r];
            const auto& c = run.candidates[row.candidate];
            md << "| " << r + 1 << " | " << md_cell(c.name.empty() ? c.id : c.id + " " + c.name) << " | "
               << fixed(c.location.lon, 6) << " | " << fixed(c.location.lat, 6) << " | " << fixed(row.newly_covered, 1)
               << " | " << fixed(row.served, 1) << " | " << fixed(row.overlap, 1) << " | "
               << (row.nearest_existing ? fixed(*row.nearest_existing, 1)
                                     : W("", "none within ") +
                                           fixed(ct.metric == routing::Metric::length_cm ? ct.threshold * 4 / 100.0
                                                                                         : ct.threshold * 4 / 60000.0,
                                                 0) +
                                           " " + nearest_unit(ct, W) + W(" 内没有", ""))
               << " | " << optional_text(c.capacity, 1) << " | " << optional_text(row.catchment_ratio, 4) << " |\n";
        }
        if (shown < ev.rows.size())
            md << "\n" << W("另有 ", "") << ev.rows.size() - shown << W(" 个见 evaluation.csv。", " more in evaluation.csv.") << '\n';
    }
    for (const auto& ev : run.unit_evaluations) md << detail::unit_evaluation_markdown(run, ev, W);
    return md.str();
}

void write_evaluation(const std::filesystem::path& dir, const SitingRun& run, const SitingSettings& s) {
    const auto& standard = run.before.standard;
    // The method names the column (ratio_2sfca or ratio_e2sfca); ratio_per its unit (catchment.hpp).
    CatchmentOptions method;
    method.gaussian_decay = s.coverage.gaussian_decay;
    const std::string ratio_column = "ratio_" + std::string(catchment_method(method));
    io::phase_mark("write_evaluation");
    const std::string csv = csv_text(run.evaluations.empty() ? unit_evaluation_table(run)
                                                             : evaluation_table(run, s.coverage.gaussian_decay));
    io::Layer layer{"candidates", {}};
    for (const auto& ev : run.evaluations) {
        const auto& t = standard.targets[ev.target.target];
        for (std::size_t r = 0; r < ev.rows.size(); ++r) {
            const auto& row = ev.rows[r];
            const auto& c = run.candidates[row.candidate];
            io::Feature f{io::PointGeometry{c.location},
                          {{"category", ev.target.category},
                           {"target", t.id},
                           {"rank", static_cast<std::int64_t>(r + 1)},
                           {"candidate", c.id},
                           {"name", c.name},
                           {"newly_covered", row.newly_covered},
                           {"served", row.served},
                           {"overlap", row.overlap}}};
            f.properties.emplace_back("nearest_existing", row.nearest_existing ? io::PropertyValue{*row.nearest_existing}
                                                                               : io::PropertyValue{});
            f.properties.emplace_back("capacity", c.capacity ? io::PropertyValue{*c.capacity} : io::PropertyValue{});
            f.properties.emplace_back(ratio_column, row.catchment_ratio ? io::PropertyValue{*row.catchment_ratio}
                                                                        : io::PropertyValue{});
            layer.features.push_back(std::move(f));
        }
    }
    for (const auto& ev : run.unit_evaluations) {
        const auto& t = standard.targets[ev.target];
        for (std::size_t r = 0; r < ev.rows.size(); ++r) {
            const auto& row = ev.rows[r];
            const auto& c = run.candidates[row.candidate];
            io::Feature f{io::PointGeometry{c.location},
                          {{"category", ev.category},
                           {"target", t.id},
                           {"rank", static_cast<std::int64_t>(r + 1)},
                           {"candidate", c.id},
                           {"name", c.name},
                           {"makes_unit_pass", static_cast<std::int64_t>(row.makes_pass ? 1 : 0)},
                           {"effect", row.effect},
                           {"served_15min", row.served[2]},
                           {"gain_15min", row.gain_15min}}};
            f.properties.emplace_back("nearest_existing_m", row.nearest_existing_m ? io::PropertyValue{*row.nearest_existing_m}
                                                                                   : io::PropertyValue{});
            layer.features.push_back(std::move(f));
        }
    }
    const std::string md = evaluation_markdown(run, s);
    io::write_output_folder(dir, "yike evaluation", output_guard(s), [&](const std::filesystem::path& temp) {
        io::write_csv_file(temp / "evaluation.csv", csv);
        io::write_text_file(temp / "evaluation.md", md);
        io::write_layers(temp / layer_file(s, "candidates"), {layer});
    });
}

std::string plan_markdown(const SitingRun& run, const SitingSettings& s) {
    std::ostringstream md;
    const auto& standard = run.before.standard;
    const detail::SitingWords W{s.coverage.language};
    md << "# " << W.heading("选址规划", "Site plan") << "\n\n";
    md << inputs_markdown(run, s, W);
    if (run.plans.empty() && !run.unit_plans.empty()) {
        md << W("- 问题：设施配置与配建指标目标，逐个单元规划（见下）；现有设施保留\n",
                "- problem: presence and ratio targets, unit by unit (below); existing facilities stay\n");
    } else {
        const std::string k = std::to_string(s.k);
        md << W("- 问题：", "- problem: ")
           << (s.mode == PlanMode::maximal ? W("最大覆盖，每类设施 " + k + " 个站点", "maximal covering, " + k + " sites per category")
               : s.mode == PlanMode::set_cover
                   ? W("集合覆盖，以最少站点达到 " + percent(s.target_share), "set covering, fewest sites reaching " + percent(s.target_share))
                   : W("考虑容量的最大覆盖，每类设施 " + k + " 个站点",
                       "capacity-aware maximal covering, " + k + " sites per category"))
           << W("；现有设施保留\n", "; existing facilities stay\n");
    }
    for (const auto& plan : run.plans) {
        const auto& ct = plan.target;
        const auto& t = standard.targets[ct.target];
        const auto& r = plan.result;
        const double before = ct.total_weight > 0 ? ct.covered_weight / ct.total_weight : 0;
        const double after = ct.total_weight > 0 ? plan.covered_after / ct.total_weight : 0;
        md << "\n## " << ct.category << " — " << target_label(standard, ct.target, W) << "\n\n";
        if (W.language == Language::zh) {
            md << "- 规划前覆盖：" << fixed(ct.total_weight, 1) << " " << W.basis(t.basis) << "中覆盖 " << fixed(ct.covered_weight, 1)
               << "（" << percent(before) << "）\n";
            md << "- 规划后覆盖：" << fixed(plan.covered_after, 1) << "（" << percent(after) << "），新增覆盖 "
               << plan.newly_covered.size() << " 个需求点\n";
        } else {
            md << "- covered before: " << fixed(ct.covered_weight, 1) << " of " << fixed(ct.total_weight, 1) << ' '
               << basis_name(t.basis) << " (" << percent(before) << ")\n";
            md << "- covered after: " << fixed(plan.covered_after, 1) << " (" << percent(after) << "), "
               << plan.newly_covered.size() << " demand points newly covered\n";
        }
        std::string sharing;
        for (const auto& other : run.plans) {
            if (&other != &plan && !other.sites.empty() &&
                std::find(t.categories.begin(), t.categories.end(), other.target.category) != t.categories.end()) {
                sharing += (sharing.empty() ? "" : ", ") + other.target.category;
            }
        }
        if (t.require == Require::any && !sharing.empty()) {
            md << W("- 该目标由其任一类设施满足，" + sharing + " 也在规划中：规划后覆盖只计本类设施的站点；规划后报告计入全部规划站点\n",
                    "- the target is met by any of its categories and " + sharing +
                        " is planned too: covered after counts this category's sites only; the after report counts "
                        "all planned sites\n");
        }
        md << W("- 站点：", "- sites: ") << plan.sites.size() << W(" 个（候选 ", " of ") << plan.candidates.size()
           << W(" 个）；方法：", " candidates; method: ") << W.method(r.method) << '\n';
        if (!r.served.empty()) {
            md << W("- 考虑容量：每个站点至多服务其容量（服务一列）；规划后报告不论容量，把阈值内的所有人都算作覆盖\n",
                    "- capacity-aware: a site serves at most its capacity (column served); the after-state report counts "
                    "everyone within the threshold as covered, whatever the capacities\n");
        }
        md << W("- 目标值 ", "- objective ") << fixed(r.objective, 1) << W("，上界 ", ", upper bound ") << fixed(r.upper_bound, 1)
           << W("，差距 ", ", gap ") << percent(r.gap) << (r.optimal ? W("（已证明最优）", " (proven optimal)") : "") << '\n';
        if (!r.target_reachable) {
            double unreachable = 0;
            for (const auto i : r.unreachable_demand) unreachable += ct.weight[i];
            const std::string most = percent(ct.total_weight > 0 ? (ct.total_weight - unreachable) / ct.total_weight : 0);
            if (W.language == Language::zh) {
                md << "- **目标比例 " << percent(s.target_share) << " 无法达到**：" << r.unreachable_demand.size()
                   << " 个需求点（" << fixed(unreachable, 1) << ' ' << W.basis(t.basis)
                   << "）不在任何候选点或现有设施的可达范围内；最多可达 " << most << "\n";
            } else {
                md << "- **the target share " << percent(s.target_share) << " cannot be reached**: "
                   << r.unreachable_demand.size() << " demand points (" << fixed(unreachable, 1) << ' ' << basis_name(t.basis)
                   << ") are within reach of no candidate and of no existing facility; at most " << most << " is reachable\n";
            }
        }
        md << W("\n| 顺序 | 候选点 | 经度 | 纬度 | 边际增益 | 累计 | 规划后比例 |",
                "\n| order | candidate | lon | lat | marginal gain | cumulative | share after |")
           << (r.served.empty() ? "" : W(" 服务 | 容量 |", " served | capacity |")) << "\n|---:|---|---:|---:|---:|---:|---:|"
           << (r.served.empty() ? "" : "---:|---:|") << '\n';
        for (const auto& row : plan_site_rows(plan)) {
            const auto& c = run.candidates[row.candidate];
            md << "| " << row.order << " | " << md_cell(c.name.empty() ? c.id : c.id + " " + c.name) << " | "
               << fixed(c.location.lon, 6) << " | " << fixed(c.location.lat, 6) << " | " << fixed(row.marginal_gain, 1) << " | "
               << fixed(row.cumulative, 1) << " | " << percent(row.cumulative_share) << " |";
            if (!r.served.empty()) {
                md << ' ' << fixed(row.served.value_or(0), 1) << " | " << optional_text(c.capacity, 1) << " |";
            }
            md << '\n';
        }
    }
    md << detail::unit_plan_markdown(run, s, W);
    md << "\n## " << W.heading("规划前后", "Targets before and after") << "\n\n"
       << W("| 目标 | 类型 | 设施类别 | 阈值 | 要求 | 规划前 | 规划后 |", "| target | kind | categories | threshold | required | before | after |")
       << "\n|---|---|---|---|---:|---|---|\n";
    for (std::size_t i = 0; i < standard.targets.size(); ++i) {
        const auto& t = standard.targets[i];
        std::string cats;
        for (const auto& c : t.categories) {
            // zh: the category's Chinese name where the mapping has one (the ids are in plan.csv).
            const auto* category = W.language == Language::zh ? run.before.categories.find(c) : nullptr;
            cats += (cats.empty() ? "" : W("、", ", ")) + (category && !category->name_zh.empty() ? category->name_zh : c);
        }
        const auto& b = run.before_results.targets[i].overall;
        const auto& a = run.after_results.targets[i].overall;
        md << "| " << t.id << " | " << W.kind(t.kind) << " | " << md_cell(cats) << " | "
           << (t.kind == TargetKind::coverage ? W.threshold(t) : "") << " | "
           << (b.required ? percent(*b.required) : "") << " | "
           << status_text(b, W) << " | " << status_text(a, W) << " |\n";
    }
    std::set<std::size_t> planned;
    for (const auto& plan : run.plans) planned.insert(plan.target.target);
    const auto& areas = run.before_results.areas;
    for (const auto ti : planned) {
        const auto& t = standard.targets[ti];
        md << "\n### " << t.id << W(" 各", " per ") << (areas.grid ? W("网格", "grid cell") : W("社区", "community")) << "\n\n"
           << W("| 社区 | 名称 | ", "| community | name | ") << W.basis(t.basis) << W(" | 规划前 | 规划后 |", " | before | after |")
           << "\n|---|---|---:|---|---|\n";
        for (std::size_t c = 0; c < areas.communities.size(); ++c) {
            const auto& b = run.before_results.targets[ti].communities[c];
            const auto& a = run.after_results.targets[ti].communities[c];
            if (b.status == Status::no_demand) continue;
            md << "| " << md_cell(areas.communities[c].id) << " | " << md_cell(areas.communities[c].name) << " | "
               << fixed(b.total.get(t.basis), 1) << " | " << status_text(b, W) << " | " << status_text(a, W) << " |\n";
        }
    }
    md << W("\n完整报告：before/summary.md 与 after/summary.md。\n", "\nFull reports: before/summary.md and after/summary.md.\n");
    return md.str();
}

void write_plan(const std::filesystem::path& dir, const SitingRun& run, const SitingSettings& s) {
    const auto& standard = run.before.standard;
    // The plan's totals add up before anything is written: covered after = covered before plus the
    // sites' gains (uncapacitated; with capacities the gains are served demand), never beyond all.
    for (const auto& plan : run.plans) {
        const auto& ct = plan.target;
        const double slack = 1e-6 + 1e-9 * ct.total_weight;
        YIKE_ASSERT(ct.covered_weight <= plan.covered_after + slack);
        YIKE_ASSERT(plan.covered_after <= ct.total_weight + slack);
        if (s.mode != PlanMode::capacitated) {
            double gained = 0;
            for (const double g : plan.result.marginal_gain) gained += g;
            YIKE_ASSERT(std::abs(ct.covered_weight + gained - plan.covered_after) <= slack);
        }
    }
    const std::string csv = csv_text(plan_site_table(run));
    io::Layer sites{"sites", {}};
    io::Layer newly{"newly_covered", {}};
    for (const auto& plan : run.plans) {
        const auto& ct = plan.target;
        const auto& t = standard.targets[ct.target];
        for (const auto& row : plan_site_rows(plan)) {
            const auto& c = run.candidates[row.candidate];
            io::Feature f{io::PointGeometry{c.location},
                          {{"category", ct.category},
                           {"target", t.id},
                           {"order", static_cast<std::int64_t>(row.order)},
                           {"candidate", c.id},
                           {"name", c.name},
                           {"marginal_gain", row.marginal_gain},
                           {"cumulative_share", row.cumulative_share}}};
            sites.features.push_back(std::move(f));
        }
        for (const auto i : plan.newly_covered) {
            const auto& d = run.before.demand[i];
            newly.features.push_back(io::Feature{io::PointGeometry{d.location},
                                                 {{"category", ct.category},
                                                  {"target", t.id},
                                                  {"demand", d.id},
                                                  {"weight", ct.weight[i]},
                                                  {"households", d.households},
                                                  {"population", d.population},
                                                  {"seniors", d.seniors}}});
        }
    }
    // Per community: before and after of every planned target.
    std::string communities = csv_row({"target", "community", "name", "basis", "total", "covered_before", "covered_after",
                                       "share_before", "share_after", "status_before", "status_after"});
    std::set<std::size_t> planned;
    for (const auto& plan : run.plans) planned.insert(plan.target.target);
    const auto& areas = run.before_results.areas;
    for (const auto ti : planned) {
        const auto& t = standard.targets[ti];
        for (std::size_t c = 0; c < areas.communities.size(); ++c) {
            const auto& b = run.before_results.targets[ti].communities[c];
            const auto& a = run.after_results.targets[ti].communities[c];
            communities += csv_row({t.id, areas.communities[c].id, areas.communities[c].name, basis_name(t.basis),
                                    fixed(b.total.get(t.basis), 3), fixed(b.covered.get(t.basis), 3),
                                    fixed(a.covered.get(t.basis), 3), optional_text(b.achieved, 6),
                                    optional_text(a.achieved, 6), std::string(to_string(b.status)),
                                    std::string(to_string(a.status))});
        }
    }
    for (const auto& plan : run.unit_plans) {
        const auto& t = standard.targets[plan.target];
        std::map<std::string, std::int64_t> order;
        for (const auto& [category, candidate] : plan.sites) {
            const auto& c = run.candidates[candidate];
            sites.features.push_back(io::Feature{io::PointGeometry{c.location},
                                                 {{"category", category},
                                                  {"target", t.id},
                                                  {"order", ++order[category]},
                                                  {"candidate", c.id},
                                                  {"name", c.name}}});
        }
    }
    const std::string units = run.unit_plans.empty() ? std::string() : detail::unit_plan_csv(run);
    const std::string md = plan_markdown(run, s);
    ReportOptions before;
    before.layer_format = s.coverage.layer_format;
    before.full_layer_detail = s.coverage.full_layer_detail;
    before.networks = run.networks.get();
    const auto language = s.coverage.language;
    before.subtitle = in_language(language, "规划前", "Before planning", " ");
    before.reach_cache = make_reach_outline_cache(); // the after page redraws only what changed
    ReportOptions after = before;
    after.facility_senior = &run.after_facility_senior;
    const std::string added = std::to_string(run.after.facilities.size() - run.before.facilities.size());
    after.subtitle = language == Language::zh   ? "规划后（新增设施 " + added + " 处）"
                     : language == Language::en ? "After planning (" + added + " new sites)"
                                                : "规划后 After planning (" + added + " 处新增设施 new sites)";
    io::phase_mark("write_plan");
    io::write_output_folder(dir, "yike plan", output_guard(s), [&](const std::filesystem::path& temp) {
        io::write_text_file(temp / "plan.md", md);
        io::write_csv_file(temp / "plan.csv", csv);
        io::write_csv_file(temp / "communities.csv", communities);
        if (!units.empty()) io::write_csv_file(temp / "units.csv", units);
        io::write_layers(temp / layer_file(s, "sites"), {sites, newly});
        write_report(temp / "before", run.before, run.before_results, before);
        write_report(temp / "after", run.after, run.after_results, after);
    });
}

} // namespace yike::viz
