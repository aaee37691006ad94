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
constexpr Cost nearest_search_cm = 150'000;     // nearest existing facility searched up to 4 × 1,500 m

std::string fx(double v, int d) { return siting_fixed(v, d); }

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
                           siting_num(run.before.grid.cell_m) + " m holding demand stand" + (cells == 1 ? "s" : "") + " for the communities of " +
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
                                                : "the candidates inside add only " + fx(added, 1) + " " + ratio_unit(t);
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
    distance.threshold = nearest_search_cm;
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
                                 fx(shortfall, 1) + " " + ratio_unit(t);
                } else if (*v >= shortfall - 1e-9) {
                    row.makes_pass = true;
                    row.effect = "passes";
                } else {
                    row.effect = "still short by " + fx(shortfall - *v, 1) + " " + ratio_unit(t);
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

// ---- output ----------------------------------------------------------------------------------

namespace {

std::string unit_id(const SitingRun& run, const Target& t, std::uint32_t u) {
    if (u == invalid_id) return "";
    const auto& areas = t.unit == AreaUnit::community ? run.before_results.areas.communities : run.before_results.areas.subdistricts;
    return areas[u].id;
}

std::string unit_label(const SitingRun& run, const Target& t, std::uint32_t u, const SitingWords& W) {
    if (u == invalid_id) return "—";
    const auto& areas = t.unit == AreaUnit::community ? run.before_results.areas.communities : run.before_results.areas.subdistricts;
    const auto& a = areas[u];
    // The one sub-district areas.cpp makes when none is given is named by yike, in both languages.
    const std::string name = a.name == "全部 / whole study area" ? W.heading("全部", "whole study area") : a.name;
    return siting_md_cell(name.empty() || name == a.id ? a.id : a.id + " " + name);
}

std::string level_name(const SitingRun& run, const Target& t) {
    if (t.unit == AreaUnit::subdistrict) return "sub-district";
    return run.before_results.areas.grid ? "grid cell" : "community";
}

std::string plural(const std::string& unit) { return unit == "community" ? "communities" : unit + "s"; }

std::string candidate_label(const Candidate& c) { return siting_md_cell(c.name.empty() ? c.id : c.id + " " + c.name); }


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
                       ? "以最少的新站点使 " + siting_percent(s.target_share) + " 的" + units + "达标"
                       : "用 " + std::to_string(s.k) + " 个新站点使未达标" + units + "中尽可能多的" + basis + "达标")
               << "；未达标的" << unit << "内为其缺少的每类设施各设一个站点即可达标（"
               << (t.require == Require::any ? "任一：" : "每类：") << joined(t.categories) << "）；规划：" << joined(p.categories)
               << '\n';
            md << "- " << unit << "内的站点：选其内部 15 分钟内（" << W.profile(t) << "）可达" << basis
               << "最多的候选点，其次总步行时间最少，再次排在最前的；站点是否在" << unit << "内，与设施用同一规则判断\n";
        } else if (t.kind == TargetKind::presence) {
            md << "- objective: "
               << (s.mode == PlanMode::set_cover
                       ? "the fewest new sites making " + siting_percent(s.target_share) + " of the " + units + " pass"
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
           << siting_percent(r.gap) << (r.optimal ? W("（已证明最优）", " (proven optimal)") : "") << '\n';
        if (!r.target_reachable) {
            md << (zh ? "- **目标比例 " + siting_percent(s.target_share) + " 无法达到**：所有可补足的" + unit + "都已在规划中\n"
                      : "- **the target share " + siting_percent(s.target_share) + " cannot be reached**: every fixable " + unit +
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
           << siting_md_cell(phrases_in(row.effect, W)) << " | " << fx(row.served[0], 1) << " | " << fx(row.served[1], 1)
           << " | " << fx(row.served[2], 1) << " | " << fx(row.gain_15min, 1) << " | "
           << (row.nearest_existing_m ? fx(*row.nearest_existing_m, 1)
                                      : W(siting_num(4.0 * nearest_search_cm / 100.0) + " 米内没有",
                                          "none within " + siting_num(4.0 * nearest_search_cm / 100.0)))
           << " |\n";
    }
    if (shown < ev.rows.size())
        md << "\n" << W("另有 ", "") << ev.rows.size() - shown << W(" 个见 evaluation.csv。", " more in evaluation.csv.") << '\n';
    return md.str();
}

std::string unit_evaluation_csv(const SitingRun& run) {
    std::string csv = io::csv_row({"category", "target", "kind", "basis", "rank", "candidate", "name", "lon", "lat", "unit",
                                   "unit_name", "unit_basis", "makes_unit_pass", "effect", "served_5min", "served_10min",
                                   "served_15min", "gain_15min", "nearest_existing_m", "snap_distance_m"});
    for (const auto& ev : run.unit_evaluations) {
        const Target& t = run.before.standard.targets[ev.target];
        const auto& areas = t.unit == AreaUnit::community ? run.before_results.areas.communities
                                                           : run.before_results.areas.subdistricts;
        for (std::size_t k = 0; k < ev.rows.size(); ++k) {
            const auto& row = ev.rows[k];
            const auto& c = run.candidates[row.candidate];
            csv += io::csv_row({ev.category, t.id, std::string(to_string(t.kind)), basis_name(ev.basis), std::to_string(k + 1),
                                c.id, c.name, fx(c.location.lon, 7), fx(c.location.lat, 7), unit_id(run, t, row.unit),
                                row.unit == invalid_id ? "" : areas[row.unit].name, fx(row.unit_weight, 3),
                                row.makes_pass ? "true" : "false", row.effect, fx(row.served[0], 3), fx(row.served[1], 3),
                                fx(row.served[2], 3), fx(row.gain_15min, 3),
                                row.nearest_existing_m ? fx(*row.nearest_existing_m, 2) : "", fx(c.walk.distance_m, 2)});
        }
    }
    return csv;
}

} // namespace detail

} // namespace yike::engine
