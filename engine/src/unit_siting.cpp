// Presence and ratio targets in `yike plan` and `yike evaluate`: they are judged unit by unit
// (community, grid cell or sub-district), so a new site helps the unit it lies in and only that
// one. Planning chooses whole failing units to make pass (planning.hpp, UnitSelection) and, in each,
// the site serving the unit's basis best; ratio targets get the shortfall per unit and the fewest
// candidates closing it. The after-state is evaluated by the report engine (siting.cpp).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <regex>
#include <sstream>

#include "detail/siting_parts.hpp"
#include "yike/engine/category_cost.hpp"
#include "yike/assert.hpp"
#include "yike/error.hpp"
#include "yike/io/feature_writer.hpp"
#include "yike/io/number_text.hpp"

namespace yike::engine {

Basis unit_basis(const Target& t) {
    if (t.kind == TargetKind::coverage) return t.basis;
    switch (t.serves) {
    case Serves::seniors: return Basis::seniors;
    case Serves::children: return Basis::children;
    case Serves::households: return Basis::households;
    case Serves::all: break;
    }
    // Ratio targets are set per households; presence targets for everyone count residents.
    return t.kind == TargetKind::ratio ? Basis::households : Basis::population;
}

namespace {

// A unit without data (no facility of a category OSM rarely maps, no layer) is planned as a
// failing one: new sites of the category are what it lacks either way.
bool failing(Status status) { return status == Status::fail || status == Status::no_data; }
} // namespace

namespace detail {

namespace {


using routing::Cost;
using routing::invalid_id;

constexpr Cost minute_ms = 60'000;
constexpr Cost reach_budget_ms = 15 * minute_ms; // the largest of unit_reach_minutes

using io::fixed; // effects and notes carry figures as the tables print them

// The unit level of a target: the report's areas and results, and the unit of every candidate.
struct Level {
    const Target* target = nullptr;
    const std::vector<AreaInfo>* areas = nullptr;
    const std::vector<UnitResult>* results = nullptr;
    const std::vector<std::uint32_t>* demand_unit = nullptr;
    std::vector<std::uint32_t> candidate_unit; // per candidate; invalid_id outside every unit
    std::string unit_name;                     // "community", "grid cell", "sub-district"
    std::vector<std::string> notes;
};

Level level_of(const SitingRun& run, std::size_t target) {
    Level lv;
    const Target& t = run.before.standard.targets[target];
    const auto& areas = run.before_results.areas;
    const auto& result = run.before_results.targets[target];
    const bool community = t.unit == AreaUnit::community;
    lv.target = &t;
    lv.areas = community ? &areas.communities : &areas.subdistricts;
    lv.results = community ? &result.communities : &result.subdistricts;
    lv.demand_unit = community ? &areas.demand_community : &areas.demand_subdistrict;
    lv.unit_name = community ? (areas.grid ? "grid cell" : "community") : "sub-district";
    if (community && areas.grid) {
        const auto cells = areas.communities.size();
        lv.notes.push_back("no communities were given: the " + std::to_string(cells) + (cells == 1 ? " grid cell of " : " grid cells of ") +
                           io::format_number(run.before.grid.cell_m) + " m holding demand stand" + (cells == 1 ? "s" : "") + " for the communities of " +
                           t.id + " (give --communities for the real ones)");
    }
    if (!community && areas.whole_study_area) {
        lv.notes.push_back("no sub-districts were given: the whole study area is the one sub-district of " + t.id +
                           " (give --subdistricts for the real ones)");
    }
    // The candidates' units exactly as the report engine would assign them as facilities.
    CoverageData probe;
    probe.demand = run.before.demand;
    probe.communities = run.before.communities;
    probe.subdistricts = run.before.subdistricts;
    probe.grid = run.before.grid;
    probe.facilities = run.before.facilities;
    const std::size_t existing = probe.facilities.size();
    for (const auto& c : run.candidates) {
        io::FacilityRecord f;
        f.id = c.id;
        f.location = c.location;
        probe.facilities.push_back(std::move(f));
    }
    const AreaAssignment assigned = assign_areas(probe);
    const auto& where = community ? assigned.facility_community : assigned.facility_subdistrict;
    lv.candidate_unit.assign(where.begin() + static_cast<std::ptrdiff_t>(existing), where.end());
    return lv;
}

bool senior_profile(const Target& t) { return walking_network(t) == Network::senior; }

const SiteSnap& snap_of(const Candidate& c, bool senior) { return senior ? c.senior : c.walk; }

std::vector<double> basis_weights(const CoverageData& data, Basis basis) {
    std::vector<double> w(data.demand.size());
    for (std::size_t i = 0; i < w.size(); ++i) w[i] = std::max(0.0, basis_weight(data.demand[i], basis));
    return w;
}

// Every candidate's reach within 15 minutes on the target's walking profile, with walking times.
ReachSets unit_reach(const SitingSettings& s, const SitingRun& run, const CoverageNetworks& net, bool senior) {
    std::vector<std::uint32_t> all(run.candidates.size());
    for (std::uint32_t j = 0; j < all.size(); ++j) all[j] = j;
    const auto origins = candidate_origins(run.candidates, all, senior);
    const auto& graph = net.graph(senior);
    const PreparedDemand prepared =
        prepare_demand(graph, senior ? net.demand_senior : net.demand_walk, routing::Metric::time_ms);
    return build_reach_sets(graph, prepared, origins, reach_budget_ms, s.coverage.threads);
}

// Per candidate: the basis of its own unit within 15 minutes, and their total walking time
// (minutes × basis): the rule choosing a unit's site.
struct UnitService {
    std::vector<double> reached;
    std::vector<double> total_time_min;
};

UnitService unit_service(const ReachSets& reach, const Level& lv, const std::vector<double>& w) {
    UnitService out;
    const auto m = reach.candidate_count();
    out.reached.assign(m, 0.0);
    out.total_time_min.assign(m, 0.0);
    for (std::uint32_t j = 0; j < m; ++j) {
        const auto u = lv.candidate_unit[j];
        if (u == invalid_id) continue;
        for (auto e = reach.first[j]; e < reach.first[j + 1]; ++e) {
            const auto i = reach.demand[e];
            if ((*lv.demand_unit)[i] != u) continue;
            out.reached[j] += w[i];
            out.total_time_min[j] += w[i] * static_cast<double>(reach.cost[e]) / static_cast<double>(minute_ms);
        }
    }
    return out;
}

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
    return out;
}

// ---- ratio targets ---------------------------------------------------------------------------

bool staff_ratio(const Target& t) { return t.ratio == RatioKind::staff_per_households; }

std::optional<double> ratio_value(const Candidate& c, const Target& t) {
    return staff_ratio(t) ? c.staff : c.floor_area_m2;
}

std::string ratio_unit(const Target& t) { return staff_ratio(t) ? "workers" : "m²"; }

// What the unit lacks in the target's own unit (m² or workers); 0 when it passes.
double shortfall_of(const Target& t, const UnitResult& r) {
    if (!r.achieved || !r.required) return 0.0;
    const double missing = std::max(0.0, *r.required - *r.achieved);
    if (t.ratio == RatioKind::floor_area_per_100_households) return missing * r.households / 100.0;
    return missing;
}

void plan_ratio(const SitingRun& run, const Level& lv, UnitPlan& p) {
    const Target& t = *lv.target;
    const auto& results = *lv.results;
    bool any_value = false;
    for (const auto& c : run.candidates) any_value = any_value || ratio_value(c, t).has_value();
    if (!any_value) {
        p.notes.push_back(std::string("no candidate carries ") + (staff_ratio(t) ? "a staff figure (--candidate-staff-field F)"
                                                                                 : "a floor area (--candidate-floor-area-field F)") +
                          ": the shortfall per " + lv.unit_name + " alone");
    }
    std::uint32_t not_assessable = 0;
    for (std::uint32_t u = 0; u < results.size(); ++u) {
        const auto& r = results[u];
        if (r.status == Status::not_assessable) ++not_assessable;
        if (!failing(r.status)) continue;
        UnitNeed need;
        need.unit = u;
        need.weight = (*lv.areas)[u].demand.get(p.basis);
        need.shortfall = shortfall_of(t, r);
        if (t.ratio == RatioKind::households_per_unit) {
            need.unfixable = "a size norm: no site changes the households of a " + lv.unit_name;
        } else if (p.categories.empty()) {
            need.unfixable = "give the category of the new sites with --category";
        } else if (any_value) {
            // Fewest candidates closing the shortfall: the largest first (no fewer can add as much).
            std::vector<std::uint32_t> inside;
            for (std::uint32_t j = 0; j < run.candidates.size(); ++j) {
                const auto v = ratio_value(run.candidates[j], t);
                if (lv.candidate_unit[j] == u && run.candidates[j].walk.origin && v && *v > 0) inside.push_back(j);
            }
            std::stable_sort(inside.begin(), inside.end(), [&](std::uint32_t a, std::uint32_t b) {
                return *ratio_value(run.candidates[a], t) > *ratio_value(run.candidates[b], t);
            });
            double added = 0;
            for (const auto j : inside) {
                if (added >= need.shortfall - 1e-9) break;
                need.ratio_sites.push_back(j);
                added += *ratio_value(run.candidates[j], t);
            }
            // Then less floor area (or staff) among as few sites: each chosen site, largest first,
            // gives way to the smallest unchosen one that still closes the shortfall.
            if (added >= need.shortfall - 1e-9) {
                for (auto& chosen : need.ratio_sites) {
                    const double without = added - *ratio_value(run.candidates[chosen], t);
                    for (auto it = inside.rbegin(); it != inside.rend(); ++it) {
                        const double v = *ratio_value(run.candidates[*it], t);
                        if (std::find(need.ratio_sites.begin(), need.ratio_sites.end(), *it) != need.ratio_sites.end()) continue;
                        if (without + v >= need.shortfall - 1e-9 && v < *ratio_value(run.candidates[chosen], t)) {
                            added = without + v;
                            chosen = *it;
                            break;
                        }
                    }
                }
            }
            if (added < need.shortfall - 1e-9) {
                need.unfixable = inside.empty() ? "no candidate with a figure inside"
                                                : "the candidates inside add only " + fixed(added, 1) + " " + ratio_unit(t);
                need.ratio_sites.clear();
            }
        }
        need.chosen = need.unfixable.empty() && !need.ratio_sites.empty();
        if (need.chosen) {
            p.result.chosen.push_back(static_cast<std::uint32_t>(p.needs.size()));
            p.result.marginal_gain.push_back(need.weight);
            p.result.objective += need.weight;
            for (const auto j : need.ratio_sites) p.sites.emplace_back(p.categories.front(), j);
        }
        p.needs.push_back(std::move(need));
    }
    if (not_assessable > 0) {
        p.notes.push_back(std::to_string(not_assessable) + " " + lv.unit_name +
                          "(s) cannot be judged (a facility there lacks the figure, or none states it) and are left out");
    }
    p.result.upper_bound = p.result.objective;
    p.result.optimal = true;
    p.result.method = "per failing " + lv.unit_name + ": the fewest candidates inside closing its shortfall, then the least " +
                      ratio_unit(t) + " among them";
}

} // namespace

// ---- presence targets ------------------------------------------------------------------------

UnitPlan plan_unit_target(const SitingSettings& s, const SitingRun& run, const CoverageNetworks& net, std::size_t target,
                          const std::vector<std::string>& categories) {
    const Target& t = run.before.standard.targets[target];
    UnitPlan p;
    p.target = target;
    p.basis = unit_basis(t);
    // Planned categories in the target's order (a staff ratio without categories keeps the given ones).
    for (const auto& c : t.categories) {
        if (std::find(categories.begin(), categories.end(), c) != categories.end()) p.categories.push_back(c);
    }
    if (t.categories.empty()) p.categories = categories;
    Level lv = level_of(run, target);
    p.notes = lv.notes;
    const auto& results = *lv.results;
    p.units = static_cast<std::uint32_t>(results.size());
    for (const auto& r : results) {
        if (r.status == Status::pass) ++p.passing_before;
        if (r.status == Status::pass || failing(r.status)) ++p.assessed;
    }
    std::uint32_t outside = 0, snapped = 0;
    for (std::uint32_t j = 0; j < run.candidates.size(); ++j) {
        if (!run.candidates[j].walk.origin) continue;
        ++snapped;
        if (lv.candidate_unit[j] == invalid_id) ++outside;
        else ++p.candidates_inside;
    }
    if (p.candidates_inside == 0) {
        throw data_error("none of the " + std::to_string(snapped) + " candidate sites lies inside a " + lv.unit_name +
                         " of target " + t.id + ": a " + std::string(to_string(t.kind)) + " target counts facilities inside their " +
                         lv.unit_name);
    }
    if (outside > 0) {
        p.notes.push_back(std::to_string(outside) + " of " + std::to_string(snapped) + " candidates lie outside every " +
                          lv.unit_name + " and can help no " + lv.unit_name + " of " + t.id);
    }
    if (t.kind == TargetKind::ratio) {
        plan_ratio(run, lv, p);
        return p;
    }
    YIKE_ASSERT(t.kind == TargetKind::presence);
    const bool senior = senior_profile(t);
    const std::vector<double> w = basis_weights(run.before, p.basis);
    const ReachSets reach = unit_reach(s, run, net, senior);
    const UnitService service = unit_service(reach, lv, w);
    // The best site of every unit: most of its basis within 15 minutes, then the least total
    // walking time of those, then the first candidate.
    std::vector<std::uint32_t> best(results.size(), invalid_id);
    for (std::uint32_t j = 0; j < run.candidates.size(); ++j) {
        const auto u = lv.candidate_unit[j];
        if (u == invalid_id || !snap_of(run.candidates[j], senior).origin || !run.candidates[j].walk.origin) continue;
        const auto b = best[u];
        if (b == invalid_id || service.reached[j] > service.reached[b] ||
            (service.reached[j] == service.reached[b] && service.total_time_min[j] < service.total_time_min[b])) {
            best[u] = j;
        }
    }
    UnitSelection selection;
    std::vector<std::uint32_t> fixable; // index into p.needs of each selection item
    std::uint32_t sites_for_all = 0;
    for (std::uint32_t u = 0; u < results.size(); ++u) {
        const auto& r = results[u];
        if (!failing(r.status)) continue;
        UnitNeed need;
        need.unit = u;
        need.weight = (*lv.areas)[u].demand.get(p.basis);
        need.missing = r.missing;
        std::vector<std::string> unplanned;
        if (t.require == Require::any) {
            need.need = {p.categories.front()};
        } else {
            for (const auto& c : r.missing) {
                if (std::find(p.categories.begin(), p.categories.end(), c) != p.categories.end()) need.need.push_back(c);
                else unplanned.push_back(c);
            }
        }
        if (!unplanned.empty()) {
            need.unfixable = "also lacks " + joined(unplanned) + " (not planned)";
        } else if (best[u] == invalid_id) {
            need.unfixable = "no candidate inside";
        } else {
            need.site = best[u];
            need.site_reached = service.reached[best[u]];
            need.site_total_time_min = service.total_time_min[best[u]];
            fixable.push_back(static_cast<std::uint32_t>(p.needs.size()));
            selection.weight.push_back(need.weight);
            selection.cost.push_back(static_cast<std::uint32_t>(need.need.size()));
            sites_for_all += static_cast<std::uint32_t>(need.need.size());
        }
        p.needs.push_back(std::move(need));
    }
    if (p.needs.empty()) {
        p.notes.push_back(t.report_only ? t.id + " is reported only, never failed: nothing to plan"
                                        : "every " + lv.unit_name + " of " + t.id +
                                              " passes or cannot be judged already: nothing to plan");
    }
    if (s.mode != PlanMode::set_cover) {
        if (s.k > sites_for_all && !p.needs.empty()) {
            const std::size_t failing = p.needs.size();
            throw config_error(
                "--k " + std::to_string(s.k) + " is more than the " + std::to_string(sites_for_all) +
                " site(s) that make every fixable failing " + lv.unit_name + " of " + t.id + " pass (" +
                std::to_string(failing) + " failing, " + std::to_string(failing - fixable.size()) +
                " that no candidate of the planned categories can fix); give --k " +
                (sites_for_all > 0 ? std::to_string(sites_for_all) + " or fewer" : "… once a candidate lies inside a failing " + lv.unit_name));
        }
        p.result = best_units(selection, s.k, s.plan);
        if (p.result.chosen.empty() && !selection.cost.empty()) {
            const auto fewest = *std::min_element(selection.cost.begin(), selection.cost.end());
            p.notes.push_back("no failing " + lv.unit_name + " can pass with " + std::to_string(s.k) +
                              " site(s): the one needing fewest lacks " + std::to_string(fewest) + " categories; give --k " +
                              std::to_string(fewest) + " or more");
        }
    } else {
        const auto required = static_cast<std::uint32_t>(std::ceil(s.target_share * p.assessed - 1e-9));
        const std::uint32_t needed = required > p.passing_before ? required - p.passing_before : 0;
        p.result = fewest_units(selection, needed, s.plan);
    }
    // `chosen` indexes the selection: back to p.needs.
    for (auto& c : p.result.chosen) c = fixable[c];
    for (const auto c : p.result.chosen) {
        auto& need = p.needs[c];
        need.chosen = true;
        for (const auto& category : need.need) p.sites.emplace_back(category, need.site);
    }
    return p;
}

UnitEvaluation evaluate_unit_target(const SitingSettings& s, const SitingRun& run, const CoverageNetworks& net,
                                    std::size_t target, const std::string& category) {
    const Target& t = run.before.standard.targets[target];
    UnitEvaluation ev;
    ev.target = target;
    ev.category = category;
    ev.basis = unit_basis(t);
    Level lv = level_of(run, target);
    ev.notes = lv.notes;
    const bool senior = senior_profile(t);
    const std::vector<double> w = basis_weights(run.before, ev.basis);
    const ReachSets reach = unit_reach(s, run, net, senior);
    // Demand already within 15 minutes of a facility of the category, on the same profile.
    const auto& costs = costs_of(run.before, category);
    const auto& existing = senior ? costs.senior_time : costs.walk_time;
    std::vector<std::uint32_t> snapped;
    for (std::uint32_t j = 0; j < run.candidates.size(); ++j) {
        if (run.candidates[j].walk.origin && snap_of(run.candidates[j], senior).origin) snapped.push_back(j);
    }
    if (snapped.empty()) throw data_error("no candidate site for " + category + " could be snapped to the walking network");
    CategoryTarget distance;
    distance.category = category;
    distance.metric = routing::Metric::length_cm;
    distance.threshold = unit_nearest_search_cm;
    const auto nearest = nearest_existing(run.before, net, run.candidates, snapped, distance);
    std::uint32_t outside = 0;
    for (std::size_t k = 0; k < snapped.size(); ++k) {
        const auto j = snapped[k];
        const Candidate& c = run.candidates[j];
        UnitEvaluationRow row;
        row.candidate = j;
        row.unit = lv.candidate_unit[j];
        row.nearest_existing_m = nearest[k];
        for (auto e = reach.first[j]; e < reach.first[j + 1]; ++e) {
            const auto i = reach.demand[e];
            for (std::size_t b = 0; b < 3; ++b) {
                if (reach.cost[e] <= unit_reach_minutes[b] * minute_ms) row.served[b] += w[i];
            }
            if (existing.cost[i] > reach_budget_ms) row.gain_15min += w[i];
        }
        if (row.unit == invalid_id) {
            ++outside;
            row.effect = "outside every " + lv.unit_name;
        } else {
            const UnitResult& r = (*lv.results)[row.unit];
            row.unit_weight = (*lv.areas)[row.unit].demand.get(ev.basis);
            if (r.status == Status::pass) {
                row.effect = "already passes";
            } else if (!failing(r.status)) {
                row.effect = std::string(to_string(r.status));
            } else if (t.kind == TargetKind::presence) {
                std::vector<std::string> others;
                for (const auto& m : r.missing) {
                    if (m != category) others.push_back(m);
                }
                if (t.require == Require::any || others.empty()) {
                    row.makes_pass = true;
                    row.effect = "passes";
                } else {
                    row.effect = "still lacks " + joined(others);
                }
            } else {
                const auto v = ratio_value(c, t);
                const double shortfall = shortfall_of(t, r);
                if (t.ratio == RatioKind::households_per_unit) {
                    row.effect = "a size norm: no site changes it";
                } else if (!v) {
                    row.effect = "no " + std::string(staff_ratio(t) ? "staff figure" : "floor area") + ": short by " +
                                 fixed(shortfall, 1) + " " + ratio_unit(t);
                } else if (*v >= shortfall - 1e-9) {
                    row.makes_pass = true;
                    row.effect = "passes";
                } else {
                    row.effect = "still short by " + fixed(shortfall - *v, 1) + " " + ratio_unit(t);
                }
            }
        }
        ev.rows.push_back(std::move(row));
    }
    if (outside > 0) {
        ev.notes.push_back(std::to_string(outside) + " of " + std::to_string(snapped.size()) + " candidates lie outside every " +
                           lv.unit_name + " and can make no " + lv.unit_name + " of " + t.id + " pass");
    }
    std::stable_sort(ev.rows.begin(), ev.rows.end(), [](const UnitEvaluationRow& a, const UnitEvaluationRow& b) {
        if (a.makes_pass != b.makes_pass) return a.makes_pass;
        if (a.makes_pass && a.unit_weight != b.unit_weight) return a.unit_weight > b.unit_weight;
        if (a.gain_15min != b.gain_15min) return a.gain_15min > b.gain_15min;
        if (a.served[2] != b.served[2]) return a.served[2] > b.served[2];
        return a.candidate < b.candidate;
    });
    return ev;
}

} // namespace detail

} // namespace yike::engine
