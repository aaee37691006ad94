#include "yike/engine/catchment.hpp"
#include "yike/engine/category_cost.hpp"

#include "yike/assert.hpp"

#include <algorithm>
#include <cmath>

namespace yike::engine {

std::optional<CatchmentDefinition> catchment_definition(const Standard& standard, const std::string& category,
                                                        bool gaussian) {
    for (std::size_t k = 0; k < standard.targets.size(); ++k) {
        const Target& t = standard.targets[k];
        if (t.kind != TargetKind::coverage || !(t.threshold_m || t.threshold_minutes) ||
            std::find(t.categories.begin(), t.categories.end(), category) == t.categories.end()) {
            continue;
        }
        CatchmentDefinition d;
        d.target = k;
        d.options.gaussian_decay = gaussian;
        // Judged as the target is: the catchment's d0 is the target's threshold on its network.
        const TargetMeasure measure = target_measure(t);
        d.options.metric = measure.metric;
        d.options.threshold = measure.budget;
        d.senior_network = measure.network == Network::senior;
        d.basis = t.basis == Basis::communities ? Basis::households : t.basis;
        return d;
    }
    return std::nullopt;
}

double basis_weight(const io::DemandRecord& d, Basis basis) {
    switch (basis) {
    case Basis::households: return d.households;
    case Basis::population: return d.population;
    case Basis::seniors: return d.seniors;
    case Basis::children: return d.children;
    case Basis::communities: return d.households;
    }
    YIKE_ASSERT(false);
    return 0;
}

std::string_view catchment_method(const CatchmentOptions& options) { return options.gaussian_decay ? "e2sfca" : "2sfca"; }

double gaussian_beta(const CatchmentOptions& options) {
    if (!options.gaussian_decay) return 0.0;
    if (options.gaussian_beta > 0.0) return options.gaussian_beta;
    return half_weight_beta(static_cast<double>(options.threshold));
}

CatchmentResult category_catchment(const CatchmentDefinition& definition, routing::BoundedSearch& walk,
                                   routing::BoundedSearch& senior, const std::vector<io::DemandRecord>& demand,
                                   const CatchmentSites& sites) {
    std::vector<double> weight(demand.size());
    for (std::size_t i = 0; i < demand.size(); ++i) weight[i] = std::max(0.0, basis_weight(demand[i], definition.basis));
    return definition.senior_network
               ? floating_catchment(senior, sites.demand_senior, weight, sites.facilities_senior, sites.capacity,
                                    definition.options)
               : floating_catchment(walk, sites.demand_walk, weight, sites.facilities_walk, sites.capacity, definition.options);
}

std::vector<CatchmentSummary> summarize_catchments(const CoverageData& data, const AreaAssignment& areas) {
    std::vector<const CategoryCosts*> costs;
    for (const auto& c : data.costs) {
        if (c.catchment) costs.push_back(&c);
    }
    std::sort(costs.begin(), costs.end(), [](const CategoryCosts* a, const CategoryCosts* b) { return a->category < b->category; });
    std::vector<CatchmentSummary> out;
    for (const auto* c : costs) {
        const auto definition = catchment_definition(data.standard, c->category, data.run.gaussian_decay);
        YIKE_ASSERT(definition.has_value()); // a catchment is only computed under a definition
        CatchmentSummary s;
        s.category = c->category;
        s.definition = *definition;
        s.facilities = static_cast<std::uint32_t>(c->facilities.size());
        for (const auto j : c->facilities) {
            if (const auto& cap = data.facilities.at(j).capacity) {
                ++s.facilities_with_capacity;
                s.total_capacity += *cap;
            }
        }
        const auto& access = c->catchment->demand_access;
        YIKE_ASSERT(access.size() == data.demand.size());
        s.communities.assign(areas.communities.size(), {});
        s.subdistricts.assign(areas.subdistricts.size(), {});
        // Sums in demand order, so the figures do not depend on anything but the inputs.
        auto add = [](AccessFigures& f, double w, double a) {
            f.demand += w;
            if (a > 0) f.within_reach += w;
            f.mean_access += w * a; // a sum until finished below
        };
        std::vector<double> positive;
        for (std::size_t i = 0; i < data.demand.size(); ++i) {
            const double w = std::max(0.0, basis_weight(data.demand[i], definition->basis));
            const double a = access[i];
            add(s.all, w, a);
            if (areas.demand_community[i] < s.communities.size()) add(s.communities[areas.demand_community[i]], w, a);
            if (areas.demand_subdistrict[i] < s.subdistricts.size()) add(s.subdistricts[areas.demand_subdistrict[i]], w, a);
            if (w > 0) positive.push_back(a);
        }
        auto finish = [](AccessFigures& f) {
            f.mean_access = f.demand > 0 ? f.mean_access / f.demand : 0.0;
            f.zero_access_share = f.demand > 0 ? (f.demand - f.within_reach) / f.demand : 0.0;
        };
        finish(s.all);
        for (auto& f : s.communities) finish(f);
        for (auto& f : s.subdistricts) finish(f);
        if (s.all.demand > 0) s.supply_per_1000 = s.total_capacity / s.all.demand * 1000.0;
        if (!positive.empty()) {
            std::sort(positive.begin(), positive.end());
            const auto n = positive.size();
            s.access_min = positive.front();
            s.access_max = positive.back();
            s.access_median = n % 2 == 1 ? positive[n / 2] : (positive[n / 2 - 1] + positive[n / 2]) / 2.0;
        }
        out.push_back(std::move(s));
    }
    return out;
}

} // namespace yike::engine
