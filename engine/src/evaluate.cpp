// Evaluates a standard's coverage, presence and ratio targets overall, per community and per
// sub-district. Rules: doc/report.md.
#include "yike/assert.hpp"
#include "yike/engine/report.hpp"
#include "yike/engine/category_cost.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace yike::engine {

std::string_view to_string(Status status) {
    switch (status) {
    case Status::pass: return "pass";
    case Status::fail: return "fail";
    case Status::report_only: return "report_only";
    case Status::not_assessable: return "not_assessable";
    case Status::no_data: return "no_data";
    case Status::no_demand: return "no_demand";
    case Status::not_applicable: return "not_applicable";
    }
    return "?";
}

std::string in_language(Language language, std::string_view zh, std::string_view en, std::string_view both_separator) {
    if (language == Language::zh || en.empty()) return std::string(zh.empty() ? en : zh);
    if (language == Language::en || zh.empty()) return std::string(en);
    return std::string(zh) + std::string(both_separator) + std::string(en);
}

namespace {

constexpr auto invalid = routing::invalid_id;

// Shares are ratios of sums of doubles: a share that equals the requirement up to rounding passes.
bool meets(double achieved, double required) noexcept { return achieved >= required - 1e-12; }


// Status of a unit (or of the whole) from counts of its parts.
void judge_units(UnitResult& r, std::uint32_t passing, std::uint32_t failing, std::uint32_t not_assessable,
                 const Target& target) {
    r.units = passing + failing + not_assessable;
    r.units_passing = passing;
    r.required = target.required_share.value_or(1.0);
    const auto assessed = passing + failing;
    if (assessed > 0) r.achieved = static_cast<double>(passing) / static_cast<double>(assessed);
    if (target.report_only) r.status = Status::report_only;
    else if (assessed == 0) r.status = not_assessable > 0 ? Status::not_assessable : Status::no_demand;
    else if (!meets(*r.achieved, *r.required)) r.status = Status::fail;
    else if (not_assessable > 0) r.status = Status::not_assessable; // never a silent pass
    else r.status = Status::pass;
}

// covered/uncovered from the unit's demand once its status is known (presence and ratio).
void split_by_status(UnitResult& r, const Weights& demand) {
    r.total = demand;
    if (r.status == Status::pass) r.covered = demand;
    else r.uncovered = demand;
}

struct Evaluator {
    const CoverageData& data;
    ReportResults& out;

    const AreaAssignment& areas() const { return out.areas; }

    std::vector<UnitResult>& level(TargetResult& t, AreaUnit unit) {
        return unit == AreaUnit::community ? t.communities : t.subdistricts;
    }
    const std::vector<std::uint32_t>& facility_level(AreaUnit unit) const {
        return unit == AreaUnit::community ? areas().facility_community : areas().facility_subdistrict;
    }
    const std::vector<AreaInfo>& area_level(AreaUnit unit) const {
        return unit == AreaUnit::community ? areas().communities : areas().subdistricts;
    }

    void coverage(const Target& target, TargetResult& t) {
        const auto n = data.demand.size();
        t.threshold = target_budget(target);
        t.threshold_is_length = target.threshold_m.has_value();
        std::vector<const NearestResult*> measures;
        for (const auto& category : target.categories) {
            const auto& m = measure_of(costs_of(data, category), target);
            YIKE_ASSERT(m.cost.size() == n);
            measures.push_back(&m);
        }
        YIKE_ASSERT(!measures.empty());
        t.covered.assign(n, 0);
        for (std::size_t i = 0; i < n; ++i) {
            if (!data.demand_snaps[i].origin) continue;
            auto within = [&](const NearestResult* m) { return m->cost[i] <= t.threshold; };
            const bool ok = target.require == Require::any ? std::any_of(measures.begin(), measures.end(), within)
                                                           : std::all_of(measures.begin(), measures.end(), within);
            t.covered[i] = ok ? 1 : 0;
        }
        auto tally = [&](UnitResult& r, std::size_t i) {
            const auto& d = data.demand[i];
            r.total.add(d);
            if (t.covered[i]) r.covered.add(d);
            else r.uncovered.add(d);
            if (!data.demand_snaps[i].origin) r.unsnapped.add(d);
        };
        for (std::size_t i = 0; i < n; ++i) {
            tally(t.overall, i);
            if (const auto c = areas().demand_community[i]; c != invalid) tally(t.communities[c], i);
            if (const auto s = areas().demand_subdistrict[i]; s != invalid) tally(t.subdistricts[s], i);
        }
        auto share = [&](UnitResult& r, double required) {
            const double total = r.total.get(target.basis);
            if (!target.report_only) r.required = required; // reported without a requirement
            if (total > 0) r.achieved = r.covered.get(target.basis) / total;
            if (!r.achieved) r.status = Status::no_demand;
            else if (target.report_only) r.status = Status::report_only;
            else r.status = meets(*r.achieved, required) ? Status::pass : Status::fail;
        };
        if (target.basis != Basis::communities) {
            const double required = target.required_share.value_or(0.0);
            share(t.overall, required);
            for (auto& r : t.communities) share(r, required);
            for (auto& r : t.subdistricts) share(r, required);
            return;
        }
        // Communities count as covered when their own household share reaches community_share_covered.
        YIKE_ASSERT(target.community_share_covered.has_value());
        std::vector<std::uint32_t> passing(t.subdistricts.size(), 0), failing(t.subdistricts.size(), 0);
        std::uint32_t all_passing = 0, all_failing = 0;
        for (std::size_t c = 0; c < t.communities.size(); ++c) {
            auto& r = t.communities[c];
            share(r, *target.community_share_covered);
            if (!r.achieved) continue;
            const bool counted = meets(*r.achieved, *target.community_share_covered);
            (counted ? all_passing : all_failing) += 1;
            if (const auto s = areas().communities[c].parent; s != invalid) (counted ? passing[s] : failing[s]) += 1;
        }
        auto judge = [&](UnitResult& r, std::uint32_t p, std::uint32_t f) {
            const auto total = r.total, covered = r.covered, uncovered = r.uncovered, unsnapped = r.unsnapped;
            judge_units(r, p, f, 0, target);
            r.total = total; // the population tallies stay those of the demand points
            r.covered = covered;
            r.uncovered = uncovered;
            r.unsnapped = unsnapped;
        };
        judge(t.overall, all_passing, all_failing);
        for (std::size_t s = 0; s < t.subdistricts.size(); ++s) judge(t.subdistricts[s], passing[s], failing[s]);
    }

    // One unit's own presence or ratio result.
    void unit_presence(const Target& target, UnitResult& r, const std::vector<bool>& has_category) {
        std::size_t present = 0;
        for (std::size_t k = 0; k < target.categories.size(); ++k) {
            if (has_category[k]) ++present;
            else r.missing.push_back(target.categories[k]);
        }
        const bool ok = target.require == Require::any ? present > 0 : present == target.categories.size();
        if (target.require == Require::any && ok) r.missing.clear();
        r.achieved = target.require == Require::any
                         ? (ok ? 1.0 : 0.0)
                         : static_cast<double>(present) / static_cast<double>(target.categories.size());
        r.required = 1.0;
        r.status = target.report_only ? Status::report_only : (ok ? Status::pass : Status::fail);
    }

    void unit_ratio(const Target& target, UnitResult& r, const std::vector<std::uint32_t>& facilities, double households) {
        r.households = households;
        double sum = 0;
        std::uint32_t with_data = 0;
        for (const auto j : facilities) {
            const auto& f = data.facilities[j];
            const auto& value = target.ratio == RatioKind::staff_per_households ? f.staff : f.floor_area_m2;
            if (value) {
                sum += *value;
                ++with_data;
            } else {
                ++r.lacking_data;
            }
        }
        r.value = sum;
        switch (target.ratio) {
        case RatioKind::floor_area_per_100_households:
            r.required = target.min_floor_area_m2;
            if (r.lacking_data > 0) r.status = Status::not_assessable;
            else if (households <= 0) r.status = Status::no_demand;
            else r.achieved = sum / households * 100.0;
            break;
        case RatioKind::floor_area_per_community:
            r.required = target.min_floor_area_m2;
            if (r.lacking_data > 0) r.status = Status::not_assessable;
            else r.achieved = sum;
            break;
        case RatioKind::staff_per_households: {
            YIKE_ASSERT(target.households_per_staff > 0);
            double need = std::ceil(households / static_cast<double>(target.households_per_staff));
            if (!target.min_staff_below_households || households < *target.min_staff_below_households)
                need = std::max(need, static_cast<double>(target.min_staff));
            r.required = need;
            // Staff is a figure of the unit: without any facility stating it, the unit cannot be judged.
            if (with_data == 0) r.status = Status::not_assessable;
            else if (households <= 0) r.status = Status::no_demand;
            else r.achieved = sum;
            break;
        }
        case RatioKind::households_per_unit:
            // The unit's own size: its households against the smallest the standard accepts.
            r.value = households;
            r.required = target.min_households;
            if (households <= 0) r.status = Status::no_demand;
            else r.achieved = households;
            break;
        }
        if (r.achieved)
            r.status = target.report_only ? Status::report_only : (meets(*r.achieved, *r.required) ? Status::pass : Status::fail);
    }

    void per_unit(const Target& target, TargetResult& t) {
        const auto unit = target.unit;
        const auto& units = area_level(unit);
        auto& results = level(t, unit);
        const auto& where = facility_level(unit);
        // Facilities of the target's categories (all facilities for staff ratios without categories) per unit.
        std::vector<std::vector<std::uint32_t>> inside(units.size());
        std::vector<std::vector<bool>> has(units.size(), std::vector<bool>(target.categories.size(), false));
        for (std::size_t j = 0; j < data.facilities.size(); ++j) {
            const auto u = where[j];
            if (u == invalid) continue;
            const auto it = std::find(target.categories.begin(), target.categories.end(), data.facilities[j].category);
            if (it == target.categories.end() && !target.categories.empty()) continue;
            inside[u].push_back(static_cast<std::uint32_t>(j));
            if (it != target.categories.end()) has[u][static_cast<std::size_t>(it - target.categories.begin())] = true;
        }
        for (std::size_t u = 0; u < units.size(); ++u) {
            auto& r = results[u];
            if (target.kind == TargetKind::presence) unit_presence(target, r, has[u]);
            else unit_ratio(target, r, inside[u], units[u].demand.households);
            split_by_status(r, units[u].demand);
        }
        // Aggregates: the whole (over the target's units) and, for community targets, each sub-district.
        auto aggregate = [&](UnitResult& r, auto&& member) {
            std::uint32_t p = 0, f = 0, na = 0;
            for (std::size_t u = 0; u < units.size(); ++u) {
                if (!member(u)) continue;
                const auto status = results[u].status;
                if (status == Status::pass) ++p;
                else if (status == Status::fail) ++f;
                else if (status == Status::not_assessable) ++na;
                else if (status == Status::report_only) {
                    // report_only units count by their value, without a verdict
                    const auto& x = results[u];
                    ++((x.achieved && x.required && meets(*x.achieved, *x.required)) ? p : f);
                }
            }
            judge_units(r, p, f, na, target);
        };
        aggregate(t.overall, [](std::size_t) { return true; });
        // Demand outside every unit is part of the whole and never served by a unit; sums are
        // built by addition only so that no tally goes negative by rounding. A sub-district's
        // demand outside its communities (no community, or one without a sub-district) is uncovered.
        const auto& demand_unit = unit == AreaUnit::community ? areas().demand_community : areas().demand_subdistrict;
        std::vector<Weights> loose(t.subdistricts.size()); // per sub-district: its demand outside every community
        t.overall.total = out.demand;
        for (std::size_t u = 0; u < units.size(); ++u) {
            t.overall.covered.add(results[u].covered);
            t.overall.uncovered.add(results[u].uncovered);
        }
        for (std::size_t i = 0; i < data.demand.size(); ++i) {
            if (demand_unit[i] == invalid) t.overall.uncovered.add(data.demand[i]);
            const auto s = areas().demand_subdistrict[i];
            const auto c = areas().demand_community[i];
            if (unit == AreaUnit::community && s != invalid && (c == invalid || areas().communities[c].parent != s))
                loose[s].add(data.demand[i]);
        }
        if (unit == AreaUnit::community) {
            for (std::size_t s = 0; s < t.subdistricts.size(); ++s) {
                auto& r = t.subdistricts[s];
                aggregate(r, [&](std::size_t c) { return areas().communities[c].parent == s; });
                r.total = areas().subdistricts[s].demand;
                r.uncovered = loose[s];
            }
            for (std::size_t c = 0; c < units.size(); ++c) {
                const auto s = areas().communities[c].parent;
                if (s == invalid) continue;
                t.subdistricts[s].covered.add(results[c].covered);
                t.subdistricts[s].uncovered.add(results[c].uncovered);
            }
        } else {
            for (auto& r : t.communities) r.status = Status::not_applicable;
        }
    }
}; // struct Evaluator

// The target's categories no source gave a facility of although one could have: OSM was not
// searched, or OSM rarely maps the category, and no layer was given for it as a whole. Zero
// facilities of such a category says nothing about the city (doc/report.md, "no_data"). A target
// satisfied by any of its categories is judged on those present when there is one.
std::vector<std::string> categories_without_data(const CoverageData& data, const Target& target,
                                                 const std::set<std::string>& present) {
    std::vector<std::string> out;
    if (target.require == Require::any &&
        std::any_of(target.categories.begin(), target.categories.end(),
                    [&](const std::string& c) { return present.count(c) != 0; }))
        return out;
    const auto& layers = data.facility_sources.layer_categories;
    for (const auto& c : target.categories) {
        if (present.count(c) != 0) continue;
        if (std::find(layers.begin(), layers.end(), c) != layers.end()) continue; // a layer said: none here
        if (!data.facility_sources.osm || rarely_in_osm(data.categories, c)) out.push_back(c);
    }
    return out;
}

// The facility field a floor-area or staff ratio target needs when it has facilities but none of
// them carries the figure (the field was not given): "" otherwise.
std::string field_without_data(const CoverageData& data, const Target& target) {
    if (target.kind != TargetKind::ratio || target.ratio == RatioKind::households_per_unit) return {};
    const bool staff = target.ratio == RatioKind::staff_per_households;
    std::size_t relevant = 0;
    for (const auto& f : data.facilities) {
        if (!target.categories.empty() &&
            std::find(target.categories.begin(), target.categories.end(), f.category) == target.categories.end())
            continue;
        ++relevant;
        if (staff ? f.staff.has_value() : f.floor_area_m2.has_value()) return {};
    }
    if (relevant == 0) return {};
    return staff ? "staff_field" : "floor_area_field";
}

} // namespace

bool rarely_in_osm(const CategoryMapping& categories, const std::string& category) {
    const auto* c = categories.find(category);
    return c != nullptr && (c->osm_quality == "poor" || c->osm_quality == "none");
}

ReportResults evaluate(const CoverageData& data) {
    YIKE_ASSERT(data.demand_snaps.size() == data.demand.size());
    YIKE_ASSERT(data.facility_snaps.size() == data.facilities.size());
    for (const auto& costs : data.costs) {
        for (const auto* m : {&costs.length, &costs.walk_time, &costs.senior_time}) {
            YIKE_ASSERT(m->cost.size() == data.demand.size());
            YIKE_ASSERT(m->facility.size() == data.demand.size());
        }
        for (const auto j : costs.facilities) YIKE_ASSERT(j < data.facilities.size());
    }

    ReportResults out;
    out.areas = assign_areas(data);
    for (std::size_t i = 0; i < data.demand.size(); ++i) {
        out.demand.add(data.demand[i]);
        if (!data.demand_snaps[i].origin) out.unsnapped_demand.add(data.demand[i]);
        if (out.areas.demand_community[i] == invalid) out.outside_communities.push_back(static_cast<std::uint32_t>(i));
        if (out.areas.demand_subdistrict[i] == invalid) out.outside_subdistricts.push_back(static_cast<std::uint32_t>(i));
    }
    for (const auto& snap : data.facility_snaps)
        if (!snap.origin) ++out.unsnapped_facilities;

    Evaluator evaluator{data, out};
    std::set<std::string> present; // categories with at least one facility, from any source
    for (const auto& f : data.facilities) present.insert(f.category);
    const auto& targets = data.standard.targets;
    for (std::size_t k = 0; k < targets.size(); ++k) {
        const auto& target = targets[k];
        TargetResult t;
        t.target = k;
        t.communities.resize(out.areas.communities.size());
        t.subdistricts.resize(out.areas.subdistricts.size());
        if (target.kind == TargetKind::coverage) evaluator.coverage(target, t);
        else evaluator.per_unit(target, t);
        // Missing data is not a missing service: what would fail only shows that no source was asked.
        t.needs_categories = categories_without_data(data, target, present);
        if (!t.needs_categories.empty()) {
            auto no_data = [](UnitResult& r) {
                if (r.status == Status::fail) r.status = Status::no_data;
            };
            no_data(t.overall);
            for (auto& r : t.communities) no_data(r);
            for (auto& r : t.subdistricts) no_data(r);
        }
        // A ratio whose facilities all lack the figure was not given the field: the whole cannot be judged.
        t.needs_field = field_without_data(data, target);
        if (!t.needs_field.empty() && !target.report_only &&
            (t.overall.status == Status::fail || t.overall.status == Status::pass))
            t.overall.status = Status::not_assessable;
        const bool by_subdistrict = target.kind != TargetKind::coverage && target.unit == AreaUnit::subdistrict;
        for (const auto& r : by_subdistrict ? t.subdistricts : t.communities) {
            if (r.status == Status::fail) ++t.units_failing;
            else if (r.status == Status::not_assessable) ++t.units_not_assessable;
            else if (r.status == Status::no_demand) ++t.units_no_demand;
            else if (r.status == Status::no_data) ++t.units_no_data;
        }
        out.targets.push_back(std::move(t));
    }
    return out;
}

const CategoryCosts& costs_of(const CoverageData& data, const std::string& category) {
    const auto it = std::find_if(data.costs.begin(), data.costs.end(),
                                 [&](const CategoryCosts& c) { return c.category == category; });
    YIKE_ASSERT(it != data.costs.end());
    return *it;
}

CategoryCosts& costs_of(CoverageData& data, const std::string& category) {
    return const_cast<CategoryCosts&>(costs_of(static_cast<const CoverageData&>(data), category));
}

} // namespace yike::engine
