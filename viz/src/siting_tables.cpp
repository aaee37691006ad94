#include "yike/viz/siting_tables.hpp"

#include <cstdint>
#include <optional>
#include <type_traits>
#include <variant>

#include "yike/assert.hpp"
#include "yike/engine/catchment.hpp"
#include "yike/io/number_text.hpp"

namespace yike::viz {
namespace {

using namespace yike::engine;

io::PropertyValue optional_value(const std::optional<double>& v) { return v ? io::PropertyValue{*v} : io::PropertyValue{}; }

// A row in the table's column order: `head`, the candidate it places or ranks (id, name, lon, lat),
// then the row's own columns. A row that misses or adds a column is a bug.
void add_row(SitingTable& table, const Candidate& c, std::vector<io::PropertyValue> head, std::vector<io::PropertyValue> own) {
    YIKE_ASSERT(head.size() + 4 + own.size() == table.columns.size());
    io::Feature f{io::PointGeometry{c.location}, {}};
    f.properties.reserve(table.columns.size());
    std::size_t i = 0;
    auto put = [&](io::PropertyValue v) { f.properties.emplace_back(table.columns[i++].name, std::move(v)); };
    for (auto& v : head) put(std::move(v));
    put(c.id);
    put(c.name);
    put(c.location.lon);
    put(c.location.lat);
    for (auto& v : own) put(std::move(v));
    table.rows.push_back(std::move(f));
}

} // namespace

SitingTable plan_site_table(const SitingRun& run) {
    SitingTable table{{{"category"}, {"target"}, {"basis"}, {"order"}, {"candidate"}, {"name"}, {"lon", 7}, {"lat", 7},
                       {"marginal_gain", 3}, {"cumulative", 3}, {"cumulative_share", 6}, {"served", 3}, {"capacity", 3},
                       {"objective", 3}, {"upper_bound", 3}, {"gap", 6}, {"optimal"}},
                      {}};
    for (const auto& plan : run.plans) {
        const auto& ct = plan.target;
        const auto& t = run.before.standard.targets[ct.target];
        const auto& r = plan.result;
        for (const auto& site : plan_site_rows(plan)) {
            const auto& c = run.candidates[site.candidate];
            add_row(table, c, {ct.category, t.id, basis_name(t.basis), static_cast<std::int64_t>(site.order)},
                    {site.marginal_gain, site.cumulative, site.cumulative_share, optional_value(site.served),
                     optional_value(c.capacity), r.objective, r.upper_bound, r.gap, r.optimal});
        }
    }
    return table;
}

SitingTable evaluation_table(const SitingRun& run, bool gaussian_decay) {
    CatchmentOptions method;
    method.gaussian_decay = gaussian_decay;
    SitingTable table{{{"category"},
                       {"target"},
                       {"basis"},
                       {"rank"},
                       {"candidate"},
                       {"name"},
                       {"lon", 7},
                       {"lat", 7},
                       {"newly_covered", 3},
                       {"newly_covered_households", 3},
                       {"newly_covered_population", 3},
                       {"newly_covered_seniors", 3},
                       {"newly_covered_children", 3},
                       {"served", 3},
                       {"overlap", 3},
                       {"nearest_existing", 2},
                       {"nearest_existing_unit"},
                       {"capacity", 3},
                       {"ratio_" + std::string(catchment_method(method)), 6}, // catchment.hpp
                       {"ratio_per"},
                       {"load", 6},
                       {"snap_distance_m", 2}},
                      {}};
    for (const auto& ev : run.evaluations) {
        const auto& t = run.before.standard.targets[ev.target.target];
        for (std::size_t k = 0; k < ev.rows.size(); ++k) {
            const auto& e = ev.rows[k];
            const auto& c = run.candidates[e.candidate];
            add_row(table, c, {ev.target.category, t.id, basis_name(t.basis), static_cast<std::int64_t>(k + 1)},
                    {e.newly_covered, e.newly_covered_households, e.newly_covered_population, e.newly_covered_seniors,
                     e.newly_covered_children, e.served, e.overlap, optional_value(e.nearest_existing),
                     std::string(ev.target.metric == routing::Metric::length_cm ? "m" : "min"), optional_value(c.capacity),
                     optional_value(e.catchment_ratio),
                     ev.catchment && e.catchment_ratio ? basis_name(ev.catchment->basis) : std::string(),
                     optional_value(e.load), (ev.target.senior ? c.senior : c.walk).distance_m});
        }
    }
    return table;
}

SitingTable unit_evaluation_table(const SitingRun& run) {
    SitingTable table{{{"category"}, {"target"}, {"kind"}, {"basis"}, {"rank"}, {"candidate"}, {"name"}, {"lon", 7},
                       {"lat", 7}, {"unit"}, {"unit_name"}, {"unit_basis", 3}, {"makes_unit_pass"}, {"effect"},
                       {"served_5min", 3}, {"served_10min", 3}, {"served_15min", 3}, {"gain_15min", 3},
                       {"nearest_existing_m", 2}, {"snap_distance_m", 2}},
                      {}};
    for (const auto& ev : run.unit_evaluations) {
        const auto& t = run.before.standard.targets[ev.target];
        const auto& areas = t.unit == AreaUnit::community ? run.before_results.areas.communities
                                                           : run.before_results.areas.subdistricts;
        for (std::size_t k = 0; k < ev.rows.size(); ++k) {
            const auto& e = ev.rows[k];
            const auto& c = run.candidates[e.candidate];
            const bool in_unit = e.unit != routing::invalid_id;
            add_row(table, c,
                    {ev.category, t.id, std::string(to_string(t.kind)), basis_name(ev.basis), static_cast<std::int64_t>(k + 1)},
                    {in_unit ? areas[e.unit].id : std::string(), in_unit ? areas[e.unit].name : std::string(), e.unit_weight,
                     e.makes_pass, e.effect, e.served[0], e.served[1], e.served[2], e.gain_15min,
                     optional_value(e.nearest_existing_m), c.walk.distance_m});
        }
    }
    return table;
}

std::string csv_text(const SitingTable& table) {
    std::vector<std::string> cells;
    for (const auto& column : table.columns) cells.push_back(column.name);
    std::string csv = io::csv_row(cells);
    for (const auto& row : table.rows) {
        cells.clear();
        for (std::size_t i = 0; i < row.properties.size(); ++i) {
            const int decimals = table.columns[i].decimals;
            cells.push_back(std::visit(
                [decimals](const auto& v) -> std::string {
                    using T = std::decay_t<decltype(v)>;
                    if constexpr (std::is_same_v<T, std::monostate>) {
                        return {};
                    } else if constexpr (std::is_same_v<T, bool>) {
                        return v ? "true" : "false";
                    } else if constexpr (std::is_same_v<T, std::int64_t>) {
                        return std::to_string(v);
                    } else if constexpr (std::is_same_v<T, double>) {
                        return io::fixed(v, decimals);
                    } else {
                        return v;
                    }
                },
                row.properties[i].second));
        }
        csv += io::csv_row(cells);
    }
    return csv;
}

} // namespace yike::viz
