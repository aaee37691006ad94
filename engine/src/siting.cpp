// Site evaluation and planning: candidates, their reach within a target's threshold, the covering
// problems, and the after-state evaluated by the same report engine as the coverage run.
#include "yike/engine/siting.hpp"
#include "yike/engine/catchment.hpp"
#include "yike/engine/category_cost.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
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
                for (const routing::Ring* ring : routing::rings_of(poly))
                    for (const auto& p : ring->points) extend(p);
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
                const auto r = category_catchment(*ev.catchment, walk, senior, run.before.demand,
                                                  {net->demand_walk, net->demand_senior, fw, fs, capacity});
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

std::vector<PlanSiteRow> plan_site_rows(const CategoryPlan& plan) {
    const auto& ct = plan.target;
    const auto& r = plan.result;
    std::vector<PlanSiteRow> out;
    double cumulative = 0;
    for (std::size_t k = 0; k < plan.sites.size(); ++k) {
        PlanSiteRow row;
        row.order = static_cast<std::uint32_t>(k + 1);
        row.candidate = plan.sites[k];
        row.marginal_gain = k < r.marginal_gain.size() ? r.marginal_gain[k] : 0;
        cumulative += row.marginal_gain;
        row.cumulative = cumulative;
        row.cumulative_share = ct.total_weight > 0 ? (ct.covered_weight + cumulative) / ct.total_weight : 0;
        if (k < r.served.size()) row.served = r.served[k];
        out.push_back(row);
    }
    return out;
}

} // namespace yike::engine
