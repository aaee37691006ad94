// Site evaluation and planning: candidates, their reach within a target's threshold, the covering
// problems, and the after-state evaluated by the same report engine as the coverage run.
#include "yike/engine/siting.hpp"
#include "yike/engine/catchment.hpp"
#include "yike/engine/category_cost.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <regex>
#include <memory>
#include <set>
#include <sstream>
#include <unordered_map>

#include "detail/parallel.hpp"
#include "detail/siting_parts.hpp"
#include "yike/assert.hpp"
#include "yike/error.hpp"
#include "yike/io/osm_network.hpp"
#include "yike/io/phase_log.hpp"
#include "yike/io/profile.hpp"
#include "yike/routing/search.hpp"

namespace yike::engine {

namespace {

using routing::Cost;

std::string num(double v) { return io::format_number(v == 0.0 ? 0.0 : v); }

std::string fixed(double v, int decimals) {
    std::ostringstream os;
    os.setf(std::ios::fixed);
    os.precision(decimals);
    os << (v == 0.0 ? 0.0 : v);
    return os.str();
}

std::string percent(double share) { return fixed(100.0 * share, 1) + " %"; }

using io::csv_row;

std::string md_cell(std::string text) {
    std::string out;
    for (const char c : text) {
        if (c == '|') out += "\\|";
        else if (c == '\n') out += ' ';
        else out += c;
    }
    return out;
}

std::string threshold_text(const Target& t) {
    if (t.threshold_m) return num(*t.threshold_m) + " m";
    return num(*t.threshold_minutes) + " min (" + std::string(walking_profile_name(t)) + ")";
}

} // namespace

io::OutputGuard output_guard(const SitingSettings& s) {
    auto guard = output_guard(s.coverage);
    for (const auto& f : {s.candidates.layer, s.candidates.mask}) {
        if (!f.empty()) guard.inputs.push_back(f);
    }
    return guard;
}

std::string basis_name(Basis basis) {
    return basis == Basis::communities ? "households" : std::string(to_string(basis));
}

std::optional<std::string> unsnapped_candidates_warning(const SitingRun& run) {
    std::size_t unsnapped = 0;
    const Candidate* first = nullptr;
    for (const auto& c : run.candidates) {
        if (!c.walk.origin) {
            ++unsnapped;
            first = first != nullptr ? first : &c;
        }
    }
    if (unsnapped == 0) return std::nullopt;
    return std::to_string(unsnapped) + " of " + std::to_string(run.candidates.size()) +
           " candidates could not be snapped to the network and are left out (" + first->id + ": " +
           first->walk.reason + ")";
}

std::vector<std::uint8_t> covered_for(const CoverageData& data, const Target& target, const std::string& category,
                                      const CoverageData* category_state) {
    const auto n = data.demand.size();
    const Cost budget = target_budget(target);
    const CoverageData& own = category_state != nullptr ? *category_state : data;
    std::vector<const NearestResult*> measures;
    if (target.require == Require::any) {
        for (const auto& c : target.categories) {
            measures.push_back(&measure_of(costs_of(c == category ? own : data, c), target));
        }
    } else {
        measures.push_back(&measure_of(costs_of(own, category), target));
    }
    std::vector<std::uint8_t> covered(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        if (!data.demand_snaps[i].origin) continue;
        for (const auto* m : measures) {
            if (m->cost[i] <= budget) {
                covered[i] = 1;
                break;
            }
        }
    }
    return covered;
}

namespace detail {

std::string siting_num(double v) { return num(v); }
std::string siting_fixed(double v, int decimals) { return fixed(v, decimals); }
std::string siting_percent(double share) { return percent(share); }
std::string siting_md_cell(std::string text) { return md_cell(std::move(text)); }
std::string siting_threshold_text(const Target& t) { return threshold_text(t); }

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
    if (language != Language::zh) return threshold_text(t);
    if (t.threshold_m) return num(*t.threshold_m) + " 米";
    return num(*t.threshold_minutes) + " 分钟（" + (walking_network(t) == Network::senior ? "老年人步行" : "步行") + "）";
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

std::vector<std::optional<routing::Origin>> candidate_origins(const std::vector<Candidate>& candidates,
                                                               const std::vector<std::uint32_t>& subset, bool senior) {
    std::vector<std::optional<routing::Origin>> out;
    out.reserve(subset.size());
    for (std::size_t k = 0; k < subset.size(); ++k) {
        const auto& c = candidates[subset[k]];
        auto o = senior ? c.senior.origin : c.walk.origin;
        if (o) o->source = static_cast<std::uint32_t>(k);
        out.push_back(o);
    }
    return out;
}

// Network distance or time from each candidate to the nearest existing facility of the category.
std::vector<std::optional<double>> nearest_existing(const CoverageData& data, const CoverageNetworks& net,
                                                    const std::vector<Candidate>& candidates,
                                                    const std::vector<std::uint32_t>& subset, const CategoryTarget& ct) {
    const auto& costs = costs_of(data, ct.category);
    std::vector<std::optional<routing::Origin>> facilities;
    for (const auto f : costs.facilities) {
        facilities.push_back(ct.senior ? net.facility_senior[f] : data.facility_snaps[f].origin);
    }
    const auto origins = candidate_origins(candidates, subset, ct.senior);
    const auto& graph = net.graph(ct.senior);
    const PreparedDemand prepared = prepare_demand(graph, origins, ct.metric);
    routing::BoundedSearch search(graph);
    const Cost limit = std::min<Cost>(routing::inf_cost - 1, ct.threshold * 4);
    const NearestResult nearest = nearest_facilities(search, prepared, facilities, limit);
    std::vector<std::optional<double>> out(subset.size());
    for (std::size_t k = 0; k < subset.size(); ++k) {
        if (nearest.cost[k] == routing::inf_cost) continue;
        out[k] = ct.metric == routing::Metric::length_cm ? nearest.cost[k] / 100.0 : nearest.cost[k] / 60000.0;
    }
    return out;
}

} // namespace detail

namespace {

// The graphs, barriers and positions of the coverage run (see coverage_run.hpp).
using Networks = CoverageNetworks;
using detail::candidate_origins;
using detail::nearest_existing;

// ---- candidates ----------------------------------------------------------------------------

// The study area: the communities when given, else the demand's bounding box.
struct StudyArea {
    const std::vector<io::AreaRecord>* communities = nullptr;
    routing::LonLat min{};
    routing::LonLat max{};
};

StudyArea study_area(const CoverageData& data) {
    StudyArea area;
    area.min = {1e9, 1e9};
    area.max = {-1e9, -1e9};
    auto extend = [&](routing::LonLat p) {
        area.min.lon = std::min(area.min.lon, p.lon);
        area.min.lat = std::min(area.min.lat, p.lat);
        area.max.lon = std::max(area.max.lon, p.lon);
        area.max.lat = std::max(area.max.lat, p.lat);
    };
    if (!data.communities.empty()) {
        area.communities = &data.communities;
        for (const auto& c : data.communities)
            for (const auto& poly : c.geometry.polygons)
                for (const auto& ring : poly.rings)
                    for (const auto& p : ring) extend(p);
    } else {
        for (const auto& d : data.demand) extend(d.location);
    }
    return area;
}

bool in_study_area(const StudyArea& area, routing::LonLat p) {
    if (p.lon < area.min.lon || p.lon > area.max.lon || p.lat < area.min.lat || p.lat > area.max.lat) return false;
    if (area.communities == nullptr) return true;
    return std::any_of(area.communities->begin(), area.communities->end(),
                       [&](const io::AreaRecord& c) { return contains(c.geometry, p); });
}

// Grid points on `spacing` metres over the study area, each moved to the nearest walkable street
// (within half the spacing); network points closer than half the spacing to an earlier one are dropped.
std::vector<Candidate> generate_candidates(const CoverageData& data, const Networks& net, double spacing_m) {
    const StudyArea area = study_area(data);
    const auto& projection = net.walk_net.graph.projection;
    const routing::XY lo = projection.forward(area.min);
    const routing::XY hi = projection.forward(area.max);
    const double width = hi.x_m - lo.x_m;
    const double height = hi.y_m - lo.y_m;
    const auto cols = static_cast<std::int64_t>(std::floor(width / spacing_m)) + 1;
    const auto rows = static_cast<std::int64_t>(std::floor(height / spacing_m)) + 1;
    if (cols * rows > 2'000'000) {
        throw config_error("--generate-candidates " + num(spacing_m) + ": " + std::to_string(cols * rows) +
                           " grid points over the study area; give a larger spacing");
    }
    const double half = spacing_m / 2.0;
    std::vector<Candidate> out;
    std::unordered_map<std::int64_t, std::vector<std::uint32_t>> buckets; // cells of `half` metres
    auto key = [&](routing::XY p) {
        const auto cx = static_cast<std::int64_t>(std::floor(p.x_m / half));
        const auto cy = static_cast<std::int64_t>(std::floor(p.y_m / half));
        return cx * 2'000'003 + cy;
    };
    std::vector<routing::XY> positions;
    for (std::int64_t r = 0; r < rows; ++r) {
        for (std::int64_t c = 0; c < cols; ++c) {
            const routing::XY grid{lo.x_m + (static_cast<double>(c) + 0.5) * spacing_m -
                                       (static_cast<double>(cols) * spacing_m - width) / 2.0,
                                   lo.y_m + (static_cast<double>(r) + 0.5) * spacing_m -
                                       (static_cast<double>(rows) * spacing_m - height) / 2.0};
            const routing::LonLat at = projection.inverse(grid);
            if (!in_study_area(area, at)) continue;
            const SiteSnap snap = net.walk_snapper->snap(at, {}, half, 0);
            if (!snap.origin) continue;
            const routing::XY snapped = projection.forward(snap.snapped);
            const auto cx = static_cast<std::int64_t>(std::floor(snapped.x_m / half));
            const auto cy = static_cast<std::int64_t>(std::floor(snapped.y_m / half));
            bool near = false;
            for (std::int64_t dx = -1; dx <= 1 && !near; ++dx) {
                for (std::int64_t dy = -1; dy <= 1 && !near; ++dy) {
                    const auto it = buckets.find((cx + dx) * 2'000'003 + cy + dy);
                    if (it == buckets.end()) continue;
                    for (const auto j : it->second) {
                        if (std::hypot(positions[j].x_m - snapped.x_m, positions[j].y_m - snapped.y_m) < half) {
                            near = true;
                            break;
                        }
                    }
                }
            }
            if (near) continue;
            buckets[key(snapped)].push_back(static_cast<std::uint32_t>(positions.size()));
            positions.push_back(snapped);
            Candidate cand;
            cand.id = "g_r" + std::to_string(r) + "_c" + std::to_string(c);
            cand.location = snap.snapped;
            out.push_back(std::move(cand));
        }
    }
    return out;
}

std::vector<Candidate> read_candidates(const CandidateSettings& s, io::ReadWarnings& warnings) {
    io::FacilityLayerOptions options;
    options.crs = s.crs;
    options.layer = s.sheet;
    options.encoding = s.encoding;
    options.category = "candidate";
    options.capacity_field = s.capacity_field;
    options.floor_area_field = s.floor_area_field;
    options.staff_field = s.staff_field;
    std::vector<Candidate> out;
    const std::size_t known = warnings.messages.size();
    auto records = io::read_facility_layer(s.layer, options, warnings);
    // A capacity the reader ignores (negative, not a number) would silently drop the candidate
    // from capacity-aware planning: for candidates it is an error.
    for (std::size_t m = known; m < warnings.messages.size(); ++m) {
        const auto& text = warnings.messages[m];
        if (const auto at = text.find(": capacity '"); at != std::string::npos) {
            const auto end = text.rfind("; ignored");
            throw config_error(text.substr(0, end == std::string::npos ? text.size() : end) +
                               " (a candidate's capacity must be zero or more)");
        }
    }
    for (auto& f : records) {
        Candidate c;
        c.id = std::move(f.id);
        c.name = std::move(f.name);
        c.location = f.location;
        c.capacity = f.capacity;
        c.floor_area_m2 = f.floor_area_m2;
        c.staff = f.staff;
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<Candidate> build_candidates(const SitingSettings& s, const CoverageData& data, const Networks& net) {
    const auto& cs = s.candidates;
    io::ReadWarnings warnings;
    std::vector<Candidate> candidates;
    std::string source;
    if (!cs.layer.empty()) {
        candidates = read_candidates(cs, warnings);
        source = cs.layer.string();
    } else {
        YIKE_ASSERT(cs.spacing_m > 0);
        candidates = generate_candidates(data, net, cs.spacing_m);
        source = "the network on a " + num(cs.spacing_m) + " m spacing";
    }
    if (!cs.mask.empty()) {
        io::AreaLayerOptions mask_options;
        mask_options.crs = cs.mask_crs ? cs.mask_crs : cs.crs;
        mask_options.layer = cs.mask_sheet;
        mask_options.encoding = cs.encoding;
        const auto mask = io::read_area_layer(cs.mask, mask_options, warnings);
        std::erase_if(candidates, [&](const Candidate& c) {
            return std::any_of(mask.begin(), mask.end(),
                               [&](const io::AreaRecord& a) { return contains(a.geometry, c.location); });
        });
    }
    for (auto& c : candidates) {
        if (s.capacity) c.capacity = *s.capacity;
    }
    if (candidates.empty()) {
        throw data_error("no candidate site from " + source + (cs.mask.empty() ? "" : " outside the mask " + cs.mask.string()));
    }
    const unsigned workers = detail::worker_count(s.coverage.threads, candidates.size() / 64 + 1);
    detail::parallel_for(candidates.size(), workers, [&](std::size_t i, unsigned) {
        auto& c = candidates[i];
        c.walk = net.walk_snapper->snap(c.location, {}, s.coverage.max_snap_m, static_cast<std::uint32_t>(i));
        c.senior = net.senior_snapper->snap(c.location, {}, s.coverage.max_snap_m, static_cast<std::uint32_t>(i));
    });
    return candidates;
}

// ---- per category --------------------------------------------------------------------------

CategoryTarget category_target(const CoverageData& data, const std::string& category, const std::string& target_id) {
    CategoryTarget ct;
    ct.category = category;
    ct.target = target_for_category(data.standard, category, target_id);
    const Target& t = data.standard.targets[ct.target];
    const TargetMeasure measure = target_measure(t);
    ct.metric = measure.metric;
    ct.senior = measure.network == Network::senior;
    ct.threshold = measure.budget;
    ct.weight.resize(data.demand.size());
    ct.covered = covered_for(data, t, category);
    for (std::size_t i = 0; i < data.demand.size(); ++i) {
        ct.weight[i] = std::max(0.0, basis_weight(data.demand[i], t.basis));
        ct.total_weight += ct.weight[i];
        if (ct.covered[i]) ct.covered_weight += ct.weight[i];
    }
    return ct;
}

// Reach sets restricted to a subset of their candidates (same order as `keep`).
ReachSets restrict(const ReachSets& all, const std::vector<std::uint32_t>& keep) {
    ReachSets r;
    r.first.push_back(0);
    for (const auto k : keep) {
        for (auto e = all.first[k]; e < all.first[k + 1]; ++e) {
            r.demand.push_back(all.demand[e]);
            r.cost.push_back(all.cost[e]);
        }
        r.first.push_back(static_cast<std::uint32_t>(r.demand.size()));
    }
    return r;
}

struct Reach {
    std::vector<std::uint32_t> candidates; // indices into the run's candidates
    ReachSets sets;                        // indexed like `candidates`
};

// Reach sets of every snapped candidate; with only_uncovered, only those newly covering some weight.
Reach category_reach(const SitingSettings& s, const std::vector<Candidate>& candidates, const Networks& net,
                     const CategoryTarget& ct) {
    std::vector<std::uint32_t> all(candidates.size());
    for (std::uint32_t i = 0; i < all.size(); ++i) all[i] = i;
    const auto origins = candidate_origins(candidates, all, ct.senior);
    const auto& demand_origins = ct.senior ? net.demand_senior : net.demand_walk;
    const PreparedDemand prepared = prepare_demand(net.graph(ct.senior), demand_origins, ct.metric);
    ReachSets sets = build_reach_sets(net.graph(ct.senior), prepared, origins, ct.threshold, s.coverage.threads);
    YIKE_ASSERT(sets.candidate_count() == candidates.size());
    Reach reach;
    for (std::uint32_t j = 0; j < all.size(); ++j) {
        if (!origins[j]) continue; // unsnapped candidates serve nobody
        if (s.candidates.only_uncovered) {
            bool gains = false;
            for (auto e = sets.first[j]; e < sets.first[j + 1] && !gains; ++e) {
                gains = !ct.covered[sets.demand[e]] && ct.weight[sets.demand[e]] > 0;
            }
            if (!gains) continue;
        }
        reach.candidates.push_back(j);
    }
    reach.sets = restrict(sets, reach.candidates);
    return reach;
}

void check_capacities(const std::vector<Candidate>& candidates, const std::vector<std::uint32_t>& subset,
                      const std::string& category) {
    for (const auto j : subset) {
        const auto& c = candidates[j];
        if (!c.capacity) {
            throw config_error("candidate " + c.id + ": no capacity (capacity-aware planning of " + category +
                               " needs --candidate-capacity-field or --capacity)");
        }
        if (!std::isfinite(*c.capacity) || *c.capacity < 0) {
            throw config_error("candidate " + c.id + ": capacity " + num(*c.capacity) + " is negative");
        }
    }
}

// The chosen sites in greedy order of their marginal gain within the chosen set, so that the
// table reads "first the site that adds most"; for coverage the gains are then non-increasing.
void order_by_gain(const CoveringProblem& problem, PlanResult& r) {
    const ReachSets& reach = *problem.reach;
    std::vector<std::uint8_t> covered = problem.covered;
    std::vector<std::uint32_t> left = r.chosen;
    std::vector<std::uint32_t> order;
    std::vector<double> gains;
    while (!left.empty()) {
        std::size_t best = 0;
        double best_gain = -1;
        for (std::size_t k = 0; k < left.size(); ++k) {
            double g = 0;
            for (auto e = reach.first[left[k]]; e < reach.first[left[k] + 1]; ++e) {
                if (!covered[reach.demand[e]]) g += problem.weight[reach.demand[e]];
            }
            if (g > best_gain) {
                best_gain = g;
                best = k;
            }
        }
        const auto j = left[best];
        for (auto e = reach.first[j]; e < reach.first[j + 1]; ++e) covered[reach.demand[e]] = 1;
        order.push_back(j);
        gains.push_back(best_gain);
        left.erase(left.begin() + static_cast<std::ptrdiff_t>(best));
    }
    r.chosen = std::move(order);
    r.marginal_gain = std::move(gains);
}

SitingRun start(const SitingSettings& s, const ProgressFn& progress, std::unique_ptr<Networks>& net, bool plan,
                detail::SitingJobs& jobs) {
    auto say = [&](const std::string& m) {
        if (progress) progress(m);
    };
    if (s.candidates.layer.empty() == (s.candidates.spacing_m <= 0)) {
        throw config_error("give the candidates as a layer or a spacing to generate them, one of the two");
    }
    if (s.candidates.spacing_m > 0 && (!std::isfinite(s.candidates.spacing_m) || s.candidates.spacing_m < 10)) {
        throw config_error("--generate-candidates: the spacing must be at least 10 m");
    }
    if (s.capacity && (!std::isfinite(*s.capacity) || *s.capacity < 0)) {
        throw config_error("--capacity " + num(*s.capacity) + ": a capacity must not be negative");
    }
    SitingRun run;
    net = std::make_unique<Networks>();
    run.before = run_coverage(s.coverage, progress, net.get());
    // Check the categories before the remaining work.
    jobs = detail::siting_jobs(s, run.before.standard, plan);
    for (const auto& c : jobs.coverage_categories) (void)target_for_category(run.before.standard, c, s.target);
    io::phase_mark("evaluate");
    run.before_results = evaluate(run.before);
    io::phase_mark("candidates");
    run.candidates = build_candidates(s, run.before, *net);
    say(std::to_string(run.candidates.size()) + " candidate sites");
    return run;
}

std::vector<std::string> categories_to_plan(const SitingSettings& s, const Standard& standard) {
    if (!s.categories.empty()) return s.categories;
    std::vector<std::string> out;
    for (const auto& t : standard.targets) {
        if (t.kind != TargetKind::coverage) continue;
        if (!s.target.empty() && t.id != s.target) continue;
        for (const auto& c : t.categories) {
            if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
        }
    }
    if (out.empty()) {
        throw config_error("standard " + standard.id + " has no coverage target" +
                           (s.target.empty() ? std::string() : " named " + s.target) + " to plan for");
    }
    return out;
}

// The after-state costs of one category: every facility of the category, existing and new.
void recompute_costs(CoverageData& after, const Networks& net, const std::vector<std::optional<routing::Origin>>& senior_snaps,
                     const std::string& category, bool gaussian) {
    std::vector<std::optional<routing::Origin>> walk_snaps;
    walk_snaps.reserve(after.facility_snaps.size());
    for (const auto& snap : after.facility_snaps) walk_snaps.push_back(snap.origin);
    const auto facilities = category_facilities(after.facilities, category, walk_snaps, senior_snaps);
    const CategoryCostSearch search(after.standard, gaussian, net.walk_net.graph, net.senior_net.graph, after.demand,
                                    net.demand_walk, net.demand_senior);
    routing::BoundedSearch walk_search(net.walk_net.graph);
    routing::BoundedSearch senior_search(net.senior_net.graph);
    // As a coverage run with the new sites would: their capacities count in the catchment.
    costs_of(after, category) = search.costs(category, facilities, walk_search, senior_search);
}

// Writes `fill(temp)` into a temporary sibling folder that then replaces `dir` (only an empty
// folder, one yike wrote, or with --force any folder holding no input of the run).
template <class Fill>
void write_folder(const std::filesystem::path& dir, const SitingSettings& s, const char* writer, Fill&& fill) {
    io::write_output_folder(dir, writer, output_guard(s), fill);
}

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

} // namespace

std::size_t target_for_category(const Standard& standard, const std::string& category, const std::string& target_id) {
    auto names = [&](const Target& t) {
        return std::find(t.categories.begin(), t.categories.end(), category) != t.categories.end();
    };
    if (!target_id.empty()) {
        for (std::size_t i = 0; i < standard.targets.size(); ++i) {
            const auto& t = standard.targets[i];
            if (t.id != target_id) continue;
            if (t.kind != TargetKind::coverage) {
                throw config_error("target " + target_id + " of standard " + standard.id +
                                   " is not a coverage target (it has no walking threshold)");
            }
            if (!names(t)) {
                throw config_error("category " + category + " is not in target " + target_id + " of standard " +
                                   standard.id);
            }
            return i;
        }
        throw config_error("standard " + standard.id + " has no target " + target_id);
    }
    for (std::size_t i = 0; i < standard.targets.size(); ++i) {
        const auto& t = standard.targets[i];
        if (t.kind == TargetKind::coverage && names(t) && (t.threshold_m || t.threshold_minutes)) return i;
    }
    std::string others;
    for (const auto& t : standard.targets) {
        if (t.kind != TargetKind::coverage && names(t)) others += (others.empty() ? "" : ", ") + t.id;
    }
    if (!others.empty()) {
        // Presence and ratio targets are planned and evaluated unit by unit (siting_jobs); only
        // callers that need a walking threshold get here.
        throw config_error("category " + category + " has no coverage target (walking threshold) in standard " +
                           standard.id + "; it is judged by presence or ratio target(s) " + others);
    }
    throw config_error("category " + category + " is not in standard " + standard.id +
                       " (no target names it; `yike standards show " + standard.id + "` lists them)");
}

namespace detail {

SitingJobs siting_jobs(const SitingSettings& s, const Standard& standard, bool plan) {
    SitingJobs jobs;
    auto names = [](const Target& t, const std::string& category) {
        return std::find(t.categories.begin(), t.categories.end(), category) != t.categories.end();
    };
    auto add_unit = [&](std::size_t target, const std::string& category) {
        for (auto& [t, categories] : jobs.unit_targets) {
            if (t == target) {
                if (!category.empty()) categories.push_back(category);
                return;
            }
        }
        jobs.unit_targets.push_back({target, category.empty() ? std::vector<std::string>{} : std::vector{category}});
    };
    if (!s.target.empty()) {
        const auto it = std::find_if(standard.targets.begin(), standard.targets.end(),
                                     [&](const Target& t) { return t.id == s.target; });
        if (it == standard.targets.end()) throw config_error("standard " + standard.id + " has no target " + s.target);
        const auto index = static_cast<std::size_t>(it - standard.targets.begin());
        if (it->kind == TargetKind::coverage) {
            jobs.coverage_categories = categories_to_plan(s, standard);
            return jobs;
        }
        if (s.categories.empty() && it->categories.empty()) {
            if (!plan) throw config_error("target " + s.target + " names no category: give the category with --category");
            jobs.unit_targets.push_back({index, {}});
            return jobs;
        }
        for (const auto& c : s.categories.empty() ? it->categories : s.categories) {
            // A staff ratio without categories counts every facility's staff: any category adds to it.
            if (!it->categories.empty() && !names(*it, c)) {
                throw config_error("category " + c + " is not in target " + s.target + " of standard " + standard.id);
            }
            // The run computes the costs of the categories its targets name only.
            if (std::none_of(standard.targets.begin(), standard.targets.end(), [&](const Target& t) { return names(t, c); })) {
                throw config_error("category " + c + " is named by no target of standard " + standard.id +
                                   "; give a category the standard uses (`yike standards show " + standard.id + "`)");
            }
            add_unit(index, c);
        }
        return jobs;
    }
    if (s.categories.empty()) {
        bool coverage = false;
        for (const auto& t : standard.targets) coverage = coverage || t.kind == TargetKind::coverage;
        if (coverage) {
            jobs.coverage_categories = categories_to_plan(s, standard);
            return jobs;
        }
        for (std::size_t i = 0; i < standard.targets.size(); ++i) {
            if (standard.targets[i].report_only) continue;
            for (const auto& c : standard.targets[i].categories) add_unit(i, c);
        }
        if (jobs.unit_targets.empty()) throw config_error("standard " + standard.id + " has no target to plan for");
        return jobs;
    }
    for (const auto& c : s.categories) {
        // A coverage target judges the category as before; otherwise its first presence target,
        // else its first ratio target, unit by unit.
        std::optional<std::size_t> presence, ratio;
        bool coverage = false;
        for (std::size_t i = 0; i < standard.targets.size(); ++i) {
            const auto& t = standard.targets[i];
            if (!names(t, c)) continue;
            if (t.kind == TargetKind::coverage && (t.threshold_m || t.threshold_minutes)) coverage = true;
            else if (t.kind == TargetKind::presence && !presence) presence = i;
            else if (t.kind == TargetKind::ratio && !ratio) ratio = i;
        }
        if (coverage) jobs.coverage_categories.push_back(c);
        else if (presence) add_unit(*presence, c);
        else if (ratio) add_unit(*ratio, c);
        else (void)target_for_category(standard, c, ""); // throws: no target names it
    }
    return jobs;
}

} // namespace detail

SitingRun run_site_evaluation(const SitingSettings& s, const ProgressFn& progress) {
    if (s.categories.empty()) throw config_error("give the category to evaluate the candidates for");
    std::unique_ptr<Networks> net;
    detail::SitingJobs jobs;
    SitingRun run = start(s, progress, net, false, jobs);
    io::phase_mark("evaluate_candidates");
    for (const auto& [target, categories] : jobs.unit_targets) {
        run.unit_evaluations.push_back(detail::evaluate_unit_target(s, run, *net, target, categories.front()));
    }
    for (const auto& category : jobs.coverage_categories) {
        CategoryEvaluation ev;
        ev.target = category_target(run.before, category, s.target);
        const Reach reach = category_reach(s, run.candidates, *net, ev.target);
        ev.candidates = reach.candidates;
        const auto nearest = nearest_existing(run.before, *net, run.candidates, reach.candidates, ev.target);
        // Each candidate's floating-catchment ratio as the coverage run defines it (catchment.hpp):
        // the same site with the same capacity gets the same ratio from coverage and evaluate.
        // Step 1 of a catchment is per facility, so one run over all candidates gives each its own.
        std::vector<std::optional<double>> ratios(reach.candidates.size());
        ev.catchment = catchment_definition(run.before.standard, category, s.coverage.gaussian_decay);
        if (ev.catchment) {
            std::vector<std::optional<routing::Origin>> fw, fs;
            std::vector<double> capacity;
            std::vector<std::uint32_t> which;
            for (std::uint32_t k = 0; k < reach.candidates.size(); ++k) {
                const auto& c = run.candidates[reach.candidates[k]];
                if (!c.capacity) continue;
                fw.push_back(c.walk.origin);
                fs.push_back(c.senior.origin);
                capacity.push_back(*c.capacity);
                which.push_back(k);
            }
            if (!which.empty()) {
                routing::BoundedSearch walk(net->walk_net.graph);
                routing::BoundedSearch senior(net->senior_net.graph);
                const auto r = category_catchment(*ev.catchment, walk, senior, run.before.demand, net->demand_walk,
                                                  net->demand_senior, fw, fs, capacity);
                for (std::size_t n = 0; n < which.size(); ++n) {
                    if (r.facility_demand[n] > 0) ratios[which[n]] = r.facility_ratio[n];
                }
            }
        }
        for (std::uint32_t k = 0; k < reach.candidates.size(); ++k) {
            EvaluationRow row;
            row.candidate = reach.candidates[k];
            for (auto e = reach.sets.first[k]; e < reach.sets.first[k + 1]; ++e) {
                const auto i = reach.sets.demand[e];
                const double w = ev.target.weight[i];
                row.served += w;
                if (ev.target.covered[i]) {
                    row.overlap += w;
                } else {
                    row.newly_covered += w;
                    const auto& d = run.before.demand[i];
                    row.newly_covered_households += d.households;
                    row.newly_covered_population += d.population;
                    row.newly_covered_seniors += d.seniors;
                    row.newly_covered_children += d.children;
                }
            }
            row.nearest_existing = nearest[k];
            row.catchment_ratio = ratios[k];
            if (const auto cap = run.candidates[row.candidate].capacity) {
                if (*cap > 0) row.load = row.served / *cap;
            }
            ev.rows.push_back(row);
        }
        std::stable_sort(ev.rows.begin(), ev.rows.end(), [](const EvaluationRow& a, const EvaluationRow& b) {
            if (a.newly_covered != b.newly_covered) return a.newly_covered > b.newly_covered;
            if (a.served != b.served) return a.served > b.served;
            return a.candidate < b.candidate;
        });
        if (ev.rows.empty()) {
            throw data_error("no candidate site for " + category +
                             (s.candidates.only_uncovered ? " reaches uncovered demand within the threshold"
                                                          : " could be snapped to the walking network"));
        }
        run.evaluations.push_back(std::move(ev));
    }
    run.networks = std::move(net);
    return run;
}

SitingRun run_site_plan(const SitingSettings& s, const ProgressFn& progress) {
    if (s.mode == PlanMode::set_cover && (!(s.target_share > 0) || s.target_share > 1)) {
        throw config_error("--target-share " + num(s.target_share) + ": must be in (0, 1]");
    }
    if (s.mode != PlanMode::set_cover && s.k == 0) throw config_error("--k: plan at least one site");
    std::unique_ptr<Networks> net;
    detail::SitingJobs jobs;
    SitingRun run = start(s, progress, net, true, jobs);
    io::phase_mark("plan_select");
    for (const auto& category : jobs.coverage_categories) {
        CategoryPlan plan;
        plan.target = category_target(run.before, category, s.target);
        const Reach reach = category_reach(s, run.candidates, *net, plan.target);
        plan.candidates = reach.candidates;
        if (reach.candidates.empty()) {
            throw data_error("no candidate site for " + category +
                             (s.candidates.only_uncovered ? " reaches uncovered demand within the threshold"
                                                          : " could be snapped to the walking network"));
        }
        if (s.mode != PlanMode::set_cover && s.k > reach.candidates.size()) {
            throw config_error("--k " + std::to_string(s.k) + " is larger than the " +
                               std::to_string(reach.candidates.size()) + " candidate sites for " + category);
        }
        CoveringProblem problem;
        problem.reach = &reach.sets;
        problem.weight = plan.target.weight;
        problem.covered = plan.target.covered;
        if (s.mode == PlanMode::capacitated) {
            check_capacities(run.candidates, reach.candidates, category);
            for (const auto j : reach.candidates) problem.capacity.push_back(*run.candidates[j].capacity);
        }
        if (progress) progress("planning " + category);
        switch (s.mode) {
        case PlanMode::maximal: plan.result = maximal_covering(problem, s.k, s.plan); break;
        case PlanMode::set_cover: plan.result = set_covering(problem, s.target_share, s.plan); break;
        case PlanMode::capacitated: plan.result = capacitated_covering(problem, s.k, s.plan); break;
        }
        if (s.mode != PlanMode::capacitated) order_by_gain(problem, plan.result);
        for (const auto c : plan.result.chosen) plan.sites.push_back(reach.candidates[c]);
        run.plans.push_back(std::move(plan));
    }

    for (const auto& [target, categories] : jobs.unit_targets) {
        if (progress) progress("planning " + run.before.standard.targets[target].id);
        run.unit_plans.push_back(detail::plan_unit_target(s, run, *net, target, categories));
    }

    // After: the existing facilities plus every chosen site, evaluated like the coverage run.
    io::phase_mark("plan_after");
    run.after = run.before;
    std::vector<std::optional<routing::Origin>> senior_snaps = net->facility_senior;
    std::set<std::string> changed;
    auto add_site = [&](const std::string& category, std::size_t order, const Candidate& c) {
        io::FacilityRecord f;
        f.id = "new:" + category + ":" + std::to_string(order) + ":" + c.id;
        f.name = c.name;
        f.category = category;
        f.location = c.location;
        f.capacity = c.capacity;
        f.floor_area_m2 = c.floor_area_m2;
        f.staff = c.staff;
        f.source = "plan";
        const auto index = static_cast<std::uint32_t>(run.after.facilities.size());
        run.after.facilities.push_back(std::move(f));
        const auto snap_source = static_cast<std::uint32_t>(run.after.facility_snaps.size());
        SiteSnap snap = c.walk;
        if (snap.origin) snap.origin->source = snap_source;
        run.after.facility_snaps.push_back(std::move(snap));
        SiteSnap senior_snap = c.senior;
        if (senior_snap.origin) senior_snap.origin->source = snap_source;
        run.after.facility_senior_snaps.push_back(std::move(senior_snap));
        senior_snaps.push_back(c.senior.origin);
        changed.insert(category);
        return index;
    };
    for (auto& plan : run.plans) {
        for (std::size_t r = 0; r < plan.sites.size(); ++r) {
            plan.new_facilities.push_back(add_site(plan.target.category, r + 1, run.candidates[plan.sites[r]]));
        }
    }
    for (const auto& plan : run.unit_plans) {
        std::map<std::string, std::size_t> order;
        for (const auto& [category, candidate] : plan.sites) {
            (void)add_site(category, ++order[category], run.candidates[candidate]);
        }
    }
    run.after_facility_senior = senior_snaps;
    for (const auto& category : changed) {
        recompute_costs(run.after, *net, senior_snaps, category, s.coverage.gaussian_decay);
    }
    run.after.run.inputs.emplace_back("planned sites", std::to_string(run.after.facilities.size() -
                                                                      run.before.facilities.size()) +
                                                           " new facilities added to the existing ones");
    run.after_results = evaluate(run.after);
    for (auto& plan : run.plans) {
        const Target& t = run.after.standard.targets[plan.target.target];
        // Judged with this category's new sites alone (the other categories of an "any" target as
        // before), so that the plan's marginal gains add up to it; the after report counts every
        // planned site of every category.
        const auto after_covered = covered_for(run.before, t, plan.target.category, &run.after);
        for (std::size_t i = 0; i < after_covered.size(); ++i) {
            if (after_covered[i]) plan.covered_after += plan.target.weight[i];
            if (after_covered[i] && !plan.target.covered[i]) plan.newly_covered.push_back(static_cast<std::uint32_t>(i));
        }
    }
    run.networks = std::move(net);
    return run;
}

// ---- output --------------------------------------------------------------------------------

// An input's value as coverage_run.cpp writes it, in Chinese for zh where its form is known (the
// rest: file names, ids, anything added later) kept as it is.
std::string input_value(const std::string& value, const detail::SitingWords& W) {
    if (W.language != Language::zh) return value;
    static const std::vector<std::pair<std::regex, std::string>> forms = [] {
        const std::vector<std::pair<const char*, const char*>> list = {
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
        };
        std::vector<std::pair<std::regex, std::string>> out;
        for (const auto& [pattern, zh] : list) out.emplace_back(std::regex(pattern), zh);
        return out;
    }();
    for (const auto& [pattern, zh] : forms) {
        std::smatch m;
        if (std::regex_match(value, m, pattern)) return m.format(zh);
    }
    return value;
}

// The run's inputs (as summary.md lists them) and where the candidates came from. The values are the
// coverage run's own text (file names, counts, options); zh and en translate the labels it knows.
std::string inputs_markdown(const SitingRun& run, const SitingSettings& s, const detail::SitingWords& W) {
    static const std::map<std::string, std::string> labels = {
        {"OSM extract", "OSM 数据"}, {"data licence", "数据许可"}, {"standard", "标准"}, {"walking network", "步行路网"},
        {"demand", "需求"},          {"facilities", "设施"},       {"areas", "统计单元"}, {"snapping", "吸附"}};
    std::ostringstream md;
    for (const auto& [label, value] : run.before.run.inputs) {
        const auto zh = labels.find(label);
        md << "- " << (zh == labels.end() ? label : W(zh->second, label)) << W("：", ": ") << input_value(value, W) << '\n';
    }
    md << W("- 候选点：", "- candidates: ") << run.candidates.size() << W(" 个，来自", " from ")
       << (s.candidates.layer.empty() ? W("路网上间距 " + num(s.candidates.spacing_m) + " 米的点",
                                          "the network on a " + num(s.candidates.spacing_m) + " m spacing")
                                      : s.candidates.layer.filename().string())
       << (s.candidates.mask.empty() ? "" : W("，排除 ", ", outside ") + s.candidates.mask.filename().string()) << '\n';
    return md.str();
}

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
    std::string csv = csv_row({"category", "target", "basis", "rank", "candidate", "name", "lon", "lat", "newly_covered",
                               "newly_covered_households", "newly_covered_population",
                               "newly_covered_seniors", "newly_covered_children", "served", "overlap", "nearest_existing",
                               "nearest_existing_unit", "capacity", ratio_column, "ratio_per", "load", "snap_distance_m"});
    io::Layer layer{"candidates", {}};
    for (const auto& ev : run.evaluations) {
        const auto& t = standard.targets[ev.target.target];
        for (std::size_t r = 0; r < ev.rows.size(); ++r) {
            const auto& row = ev.rows[r];
            const auto& c = run.candidates[row.candidate];
            const auto& snap = ev.target.senior ? c.senior : c.walk;
            csv += csv_row({ev.target.category, t.id, basis_name(t.basis), std::to_string(r + 1), c.id, c.name,
                            fixed(c.location.lon, 7), fixed(c.location.lat, 7), fixed(row.newly_covered, 3),
                            fixed(row.newly_covered_households, 3), fixed(row.newly_covered_population, 3),
                            fixed(row.newly_covered_seniors, 3), fixed(row.newly_covered_children, 3), fixed(row.served, 3), fixed(row.overlap, 3),
                            optional_text(row.nearest_existing, 2), nearest_unit(ev.target), optional_text(c.capacity, 3),
                            optional_text(row.catchment_ratio, 6),
                            ev.catchment && row.catchment_ratio ? basis_name(ev.catchment->basis) : std::string(),
                            optional_text(row.load, 6), fixed(snap.distance_m, 2)});
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
    if (run.evaluations.empty()) csv = detail::unit_evaluation_csv(run);
    const std::string md = evaluation_markdown(run, s);
    write_folder(dir, s, "yike evaluation", [&](const std::filesystem::path& temp) {
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
        double cumulative = 0;
        for (std::size_t k = 0; k < plan.sites.size(); ++k) {
            const auto& c = run.candidates[plan.sites[k]];
            const double gain = k < r.marginal_gain.size() ? r.marginal_gain[k] : 0;
            cumulative += gain;
            md << "| " << k + 1 << " | " << md_cell(c.name.empty() ? c.id : c.id + " " + c.name) << " | "
               << fixed(c.location.lon, 6) << " | " << fixed(c.location.lat, 6) << " | " << fixed(gain, 1) << " | "
               << fixed(cumulative, 1) << " | "
               << percent(ct.total_weight > 0 ? (ct.covered_weight + cumulative) / ct.total_weight : 0) << " |";
            if (!r.served.empty()) {
                md << ' ' << fixed(k < r.served.size() ? r.served[k] : 0, 1) << " | " << optional_text(c.capacity, 1) << " |";
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

void write_plan(const std::filesystem::path& dir, const SitingRun& run, const SitingSettings& s,
                const ReportFilesFn& extra_files) {
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
    std::string csv = csv_row({"category", "target", "basis", "order", "candidate", "name", "lon", "lat", "marginal_gain",
                               "cumulative", "cumulative_share", "served", "capacity", "objective", "upper_bound", "gap",
                               "optimal"});
    io::Layer sites{"sites", {}};
    io::Layer newly{"newly_covered", {}};
    for (const auto& plan : run.plans) {
        const auto& ct = plan.target;
        const auto& t = standard.targets[ct.target];
        const auto& r = plan.result;
        double cumulative = 0;
        for (std::size_t k = 0; k < plan.sites.size(); ++k) {
            const auto& c = run.candidates[plan.sites[k]];
            const double gain = k < r.marginal_gain.size() ? r.marginal_gain[k] : 0;
            cumulative += gain;
            const double share = ct.total_weight > 0 ? (ct.covered_weight + cumulative) / ct.total_weight : 0;
            const std::string served = k < r.served.size() ? fixed(r.served[k], 3) : std::string();
            csv += csv_row({ct.category, t.id, basis_name(t.basis), std::to_string(k + 1), c.id, c.name,
                            fixed(c.location.lon, 7), fixed(c.location.lat, 7), fixed(gain, 3), fixed(cumulative, 3),
                            fixed(share, 6), served, optional_text(c.capacity, 3), fixed(r.objective, 3),
                            fixed(r.upper_bound, 3), fixed(r.gap, 6), r.optimal ? "true" : "false"});
            io::Feature f{io::PointGeometry{c.location},
                          {{"category", ct.category},
                           {"target", t.id},
                           {"order", static_cast<std::int64_t>(k + 1)},
                           {"candidate", c.id},
                           {"name", c.name},
                           {"marginal_gain", gain},
                           {"cumulative_share", share}}};
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
    ReportOptions options;
    options.layer_format = s.coverage.layer_format;
    options.full_layer_detail = s.coverage.full_layer_detail;
    options.extra_files = extra_files;
    io::phase_mark("write_plan");
    write_folder(dir, s, "yike plan", [&](const std::filesystem::path& temp) {
        io::write_text_file(temp / "plan.md", md);
        io::write_csv_file(temp / "plan.csv", csv);
        io::write_csv_file(temp / "communities.csv", communities);
        if (!units.empty()) io::write_csv_file(temp / "units.csv", units);
        io::write_layers(temp / layer_file(s, "sites"), {sites, newly});
        write_report(temp / "before", run.before, run.before_results, options);
        write_report(temp / "after", run.after, run.after_results, options);
    });
}

} // namespace yike::engine
