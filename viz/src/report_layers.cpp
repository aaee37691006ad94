// The report folder's map layers (demand, uncovered, communities, subdistricts, facilities) and the
// folder itself: every file of a coverage report, report.html included, written into one
// temporary folder that replaces the old one in a single step (io/output_folder.hpp).
#include "detail/report_parts.hpp"
#include "detail/siting_words.hpp"
#include "yike/assert.hpp"
#include "yike/engine/category_cost.hpp"
#include "yike/error.hpp"
#include "yike/io/feature_writer.hpp"
#include "yike/io/output_folder.hpp"
#include "yike/io/phase_log.hpp"
#include "yike/viz/html_report.hpp"
#include "yike/viz/report.hpp"

#include <algorithm>
#include <exception>
#include <functional>
#include <thread>

namespace yike::viz {

namespace detail {

namespace {

io::PropertyValue cost_value(routing::Cost cost, double divisor) {
    if (cost == routing::inf_cost) return std::monostate{};
    return static_cast<double>(cost) / divisor;
}

std::vector<const CategoryCosts*> sorted_costs(const CoverageData& data) {
    std::vector<const CategoryCosts*> out;
    for (const auto& c : data.costs) out.push_back(&c);
    std::sort(out.begin(), out.end(), [](const auto* a, const auto* b) { return a->category < b->category; });
    return out;
}

io::PropertyValue area_id(const std::vector<AreaInfo>& areas, std::uint32_t index) {
    if (index == invalid) return std::monostate{};
    return areas[index].id;
}

// Whether and how far a point snapped, and its exact start on the walking network (edge ids of
// `yike graph --out`), so that others can recompute the distances from the exported graph.
void add_snap_columns(std::vector<std::pair<std::string, io::PropertyValue>>& p, const SiteSnap& snap,
                      const std::string& prefix = "", bool exact_start = true) {
    p.emplace_back(prefix + "snapped", snap.origin.has_value());
    p.emplace_back(prefix + "snap_m", snap.origin ? io::PropertyValue{snap.distance_m} : io::PropertyValue{});
    if (!exact_start) return;
    auto value = [&](std::uint32_t v) { return snap.origin ? io::PropertyValue{std::int64_t{v}} : io::PropertyValue{}; };
    p.emplace_back(prefix + "snapped_edge", value(snap.origin ? snap.origin->edge : 0));
    p.emplace_back(prefix + "snapped_offset_cm", value(snap.origin ? snap.origin->offset_cm : 0));
    p.emplace_back(prefix + "offnet_cm", value(snap.origin ? snap.origin->offnet_cm : 0));
}

// Whether a target is searched on the senior network (minutes for a group of seniors): then the
// layers carry the senior snaps too, so that its costs and catchment can be recomputed.
bool uses_senior_network(const CoverageData& data) {
    if (data.demand_senior_snaps.size() != data.demand.size() ||
        data.facility_senior_snaps.size() != data.facilities.size())
        return false; // built without them (unit tests): nothing to carry
    return std::any_of(data.standard.targets.begin(), data.standard.targets.end(), [](const Target& t) {
        return t.kind == TargetKind::coverage && (t.threshold_m || t.threshold_minutes) &&
               target_measure(t).network == Network::senior;
    });
}

} // namespace


LayerData layer_data(const Context& ctx, bool full) {
    const auto& data = ctx.data;
    const auto& results = ctx.results;
    LayerData out;
    out.full = full;
    out.senior_snaps = uses_senior_network(data);
    const auto costs = sorted_costs(data);
    for (const auto* c : costs) {
        const auto name = field_name(c->category);
        out.cost_fields.push_back({c, name + "_m", name + "_min", name + "_senior_min", name + "_nearest",
                                   name + "_access_" + std::string(data.run.gaussian_decay ? "e2sfca" : "2sfca")});
    }
    for (std::uint32_t k = 0; k < results.targets.size(); ++k) {
        const auto& t = results.targets[k];
        const auto name = field_name(ctx.target(t).id);
        out.covered_fields.push_back(t.covered.empty() ? std::string() : "covered_" + name);
        out.status_fields.push_back(name + "_status");
        out.achieved_fields.push_back(name + "_achieved");
        if (t.covered.empty() || !full) continue;
        for (std::uint32_t i = 0; i < data.demand.size(); ++i)
            if (!t.covered[i]) out.uncovered.emplace_back(k, i);
    }


    // Demand each facility serves: points within the category's largest coverage threshold whose
    // nearest facility (under that target's measure) it is.
    out.served_by.resize(data.facilities.size());
    out.served.resize(data.facilities.size());
    out.ratio.resize(data.facilities.size());
    out.catchment_demand.resize(data.facilities.size());
    for (const auto* c : costs) {
        LayerData::Served best;
        double best_cm = -1;
        for (const auto& t : results.targets) {
            const auto& target = ctx.target(t);
            if (target.kind != TargetKind::coverage ||
                std::find(target.categories.begin(), target.categories.end(), c->category) == target.categories.end())
                continue;
            // The largest threshold as a walking distance, minutes at the speed of their network.
            const auto speed = target_measure(target).network == Network::senior ? data.run.senior_speed_mm_per_s
                                                                                 : data.run.walk_speed_mm_per_s;
            const double cm = threshold_cm(target, speed);
            if (cm > best_cm) {
                best_cm = cm;
                best.target = &target;
                best.budget = t.threshold;
                best.measure = &measure_of(*c, target);
            }
        }
        for (std::size_t k = 0; k < c->facilities.size(); ++k) {
            const auto j = c->facilities[k];
            out.served_by[j] = best;
            if (c->catchment) {
                out.ratio[j] = c->catchment->facility_ratio.at(k);
                out.catchment_demand[j] = c->catchment->facility_demand.at(k);
            }
        }
        if (!best.measure) continue;
        for (std::size_t i = 0; i < data.demand.size(); ++i) {
            const auto k = best.measure->facility[i];
            if (k == invalid || !data.demand_snaps[i].origin || best.measure->cost[i] > best.budget) continue;
            out.served[c->facilities.at(k)].add(data.demand[i]);
        }
    }
    return out;
}

// The report's map layers over `ld`, which must outlive them.
std::vector<io::LayerSource> layers(const Context& ctx, const LayerData& ld) {
    const std::size_t demand_count = ctx.data.demand.size();
    const std::size_t facility_count = ctx.data.facilities.size();
    std::vector<io::LayerSource> out;

    out.push_back({"demand", demand_count, [&ctx, &ld](std::size_t i, io::Feature& f) {
                       const auto& data = ctx.data;
                       const auto& results = ctx.results;
                       const auto& areas = results.areas;
                       const auto& d = data.demand[i];
                       const auto& snap = data.demand_snaps[i];
                       f.geometry = io::PointGeometry{d.location};
                       auto& p = f.properties;
                       p.emplace_back("id", d.id);
                       p.emplace_back("households", d.households);
                       p.emplace_back("population", d.population);
                       p.emplace_back("seniors", d.seniors);
                       p.emplace_back("children", d.children);
                       p.emplace_back("community", area_id(areas.communities, areas.demand_community[i]));
                       p.emplace_back("subdistrict", area_id(areas.subdistricts, areas.demand_subdistrict[i]));
                       add_snap_columns(p, snap, "", ld.full);
                       if (ld.senior_snaps && ld.full) add_snap_columns(p, data.demand_senior_snaps[i], "senior_");
                       for (const auto& cf : ld.cost_fields) {
                           const auto* c = cf.costs;
                           if (ld.full) p.emplace_back(cf.m, cost_value(c->length.cost[i], 100.0));
                           p.emplace_back(cf.min, cost_value(c->walk_time.cost[i], 60000.0));
                           if (ld.full || ld.senior_snaps) p.emplace_back(cf.senior_min, cost_value(c->senior_time.cost[i], 60000.0));
                           if (ld.full) {
                               const auto nearest = c->length.facility[i];
                               p.emplace_back(cf.nearest, nearest == invalid ? io::PropertyValue{}
                                                                             : io::PropertyValue{data.facilities[c->facilities.at(nearest)].id});
                           }
                           if (c->catchment) p.emplace_back(cf.access, c->catchment->demand_access.at(i));
                       }
                       for (std::size_t k = 0; k < results.targets.size(); ++k) {
                           const auto& t = results.targets[k];
                           if (!t.covered.empty()) p.emplace_back(ld.covered_fields[k], t.covered[i] != 0);
                       }
                   }});

    if (ld.full) out.push_back({"uncovered", ld.uncovered.size(), [&ctx, &ld](std::size_t n, io::Feature& f) {
                       const auto& data = ctx.data;
                       const auto& areas = ctx.results.areas;
                       const auto [k, i] = ld.uncovered[n];
                       const auto& d = data.demand[i];
                       f.geometry = io::PointGeometry{d.location};
                       auto& p = f.properties;
                       p.emplace_back("target", ctx.target(ctx.results.targets[k]).id);
                       p.emplace_back("demand_id", d.id);
                       p.emplace_back("households", d.households);
                       p.emplace_back("population", d.population);
                       p.emplace_back("seniors", d.seniors);
                       p.emplace_back("unsnapped", !data.demand_snaps[i].origin.has_value());
                       p.emplace_back("community", area_id(areas.communities, areas.demand_community[i]));
                       p.emplace_back("subdistrict", area_id(areas.subdistricts, areas.demand_subdistrict[i]));
                   }});

    auto area_layer = [&](bool communities) {
        const auto& units = communities ? ctx.results.areas.communities : ctx.results.areas.subdistricts;
        return io::LayerSource{
            communities ? "communities" : "subdistricts", units.size(), [&ctx, &ld, communities](std::size_t a, io::Feature& f) {
                const auto& results = ctx.results;
                const auto& areas = results.areas;
                const auto& list = communities ? areas.communities : areas.subdistricts;
                const auto& area = list[a];
                if (!area.geometry.polygons.empty()) f.geometry = area.geometry;
                auto& p = f.properties;
                p.emplace_back("id", area.id);
                p.emplace_back("name", area.name);
                if (communities) p.emplace_back("subdistrict", area_id(areas.subdistricts, area.parent));
                p.emplace_back("households", area.demand.households);
                p.emplace_back("population", area.demand.population);
                p.emplace_back("seniors", area.demand.seniors);
                p.emplace_back("facilities", static_cast<std::int64_t>(area.facilities));
                // The catchment's weighted mean access (weights: its basis; catchment.hpp).
                for (const auto& c : ctx.catchments) {
                    const auto& in_area = communities ? c.communities[a] : c.subdistricts[a];
                    p.emplace_back(field_name(c.category) + "_access_" + std::string(catchment_method(c.definition.options)),
                                   in_area.demand > 0 ? io::PropertyValue{in_area.mean_access} : io::PropertyValue{});
                }
                for (std::size_t k = 0; k < results.targets.size(); ++k) {
                    const auto& r = communities ? results.targets[k].communities[a] : results.targets[k].subdistricts[a];
                    p.emplace_back(ld.status_fields[k], std::string(to_string(r.status)));
                    p.emplace_back(ld.achieved_fields[k], r.achieved ? io::PropertyValue{*r.achieved} : io::PropertyValue{});
                }
            }};
    };
    out.push_back(area_layer(true));
    out.push_back(area_layer(false));

    out.push_back({"facilities", facility_count, [&ctx, &ld](std::size_t j, io::Feature& f) {
                       const auto& data = ctx.data;
                       const auto& areas = ctx.results.areas;
                       const auto& r = data.facilities[j];
                       const auto& snap = data.facility_snaps[j];
                       f.geometry = io::PointGeometry{r.location};
                       auto& p = f.properties;
                       auto opt = [](const std::optional<double>& v) { return v ? io::PropertyValue{*v} : io::PropertyValue{}; };
                       p.emplace_back("id", r.id);
                       p.emplace_back("name", r.name);
                       p.emplace_back("category", r.category);
                       p.emplace_back("community", area_id(areas.communities, areas.facility_community[j]));
                       p.emplace_back("subdistrict", area_id(areas.subdistricts, areas.facility_subdistrict[j]));
                       add_snap_columns(p, snap);
                       if (ld.senior_snaps) add_snap_columns(p, data.facility_senior_snaps[j], "senior_");
                       p.emplace_back("capacity", opt(r.capacity));
                       p.emplace_back("floor_area_m2", opt(r.floor_area_m2));
                       p.emplace_back("staff", opt(r.staff));
                       const auto& by = ld.served_by[j];
                       const auto& served = ld.served[j];
                       p.emplace_back("served_target", by.target ? io::PropertyValue{by.target->id} : io::PropertyValue{});
                       p.emplace_back("served_points",
                                      by.target ? io::PropertyValue{static_cast<std::int64_t>(served.points)} : io::PropertyValue{});
                       p.emplace_back("served_households", by.target ? io::PropertyValue{served.households} : io::PropertyValue{});
                       p.emplace_back("served_population", by.target ? io::PropertyValue{served.population} : io::PropertyValue{});
                       p.emplace_back("served_seniors", by.target ? io::PropertyValue{served.seniors} : io::PropertyValue{});
                       const std::string method = ctx.data.run.gaussian_decay ? "e2sfca" : "2sfca";
                       p.emplace_back("ratio_" + method, opt(ld.ratio[j]));
                       p.emplace_back("demand_" + method, opt(ld.catchment_demand[j]));
                   }});
    return out;
}

} // namespace detail

using namespace detail;

std::string report_markdown(const CoverageData& data, const ReportResults& results) {
    check_totals(results);
    return localize(markdown(Context{data, results}), data.run.language);
}

std::string report_summary_csv(const CoverageData& data, const ReportResults& results) {
    check_totals(results);
    return summary_csv(Context{data, results});
}

std::string report_area_csv(const CoverageData& data, const ReportResults& results, bool communities) {
    check_totals(results);
    return area_csv(Context{data, results}, communities);
}

std::string target_needs_text(const CoverageData& data, const TargetResult& t, bool code_ids) {
    const auto lang = data.run.language;
    std::vector<std::string> parts;
    if (!t.needs_categories.empty()) {
        std::vector<std::string> names;
        for (const auto& c : t.needs_categories) {
            const auto* cat = data.categories.find(c);
            names.push_back((code_ids ? "`" + c + "`" : c) +
                            (cat ? " " + (lang == Language::en ? cat->name_en : cat->name_zh) : std::string()));
        }
        const std::string why_en = data.facility_sources.osm ? " and OSM rarely maps it)" : " and OSM was not searched)";
        const std::string why_zh = data.facility_sources.osm ? "，且 OSM 很少收录）" : "，且未检索 OSM）";
        if (lang == Language::zh)
            parts.push_back("设施图层：" + join(names, "、") + "（--facilities FILE=CATEGORY 或类别列；没有来源提供" + why_zh);
        else
            parts.push_back(in_language(lang, "设施图层", "a facilities layer of", " / ") + " " + join(names, ", ") +
                            " (--facilities FILE=CATEGORY, or a category column; no source gave one" + why_en);
    }
    if (t.needs_field == "floor_area_field")
        parts.push_back(lang == Language::zh ? "建筑面积字段（--floor-area-field FIELD，如“建筑面积”列）"
                                             : in_language(lang, "建筑面积字段", "the facilities' floor area", " / ") +
                                                   (lang == Language::en ? " (--floor-area-field FIELD)"
                                                                         : " (--floor-area-field FIELD, e.g. a 建筑面积 column)"));
    else if (t.needs_field == "staff_field")
        parts.push_back(lang == Language::zh ? "人员字段（--staff-field FIELD）"
                                             : in_language(lang, "人员字段", "the facilities' staff numbers", " / ") +
                                                   " (--staff-field FIELD)");
    return join(parts, "; ");
}

std::string missing_data_warning(const CoverageData& data, const ReportResults& results) {
    const Context ctx{data, results};
    const bool zh = data.run.language == Language::zh;
    const SitingWords W{data.run.language};
    std::vector<std::string> items;
    for (const auto& t : results.targets) {
        if (!lacks_data(t)) continue;
        std::vector<std::string> what;
        if (!t.needs_categories.empty())
            what.push_back(zh ? join(t.needs_categories, "、") + " 的设施图层" : "a facilities layer of " + join(t.needs_categories, ", "));
        if (!t.needs_field.empty()) {
            std::string option = "--" + t.needs_field; // floor_area_field -> --floor-area-field
            std::replace(option.begin(), option.end(), '_', '-');
            what.push_back(option);
        }
        items.push_back(zh ? ctx.target(t).id + " " + W.status(t.overall.status) + "（需要 " + join(what, " 和 ") + "）"
                           : ctx.target(t).id + " " + std::string(to_string(t.overall.status)) + " (needs " + join(what, " and ") + ")");
    }
    if (items.empty()) return {};
    if (zh)
        return std::to_string(items.size()) + " 项目标因缺少数据无法评判：" + join(items, "；") + "（见 summary.md“缺少的数据”）";
    return std::to_string(items.size()) + " target(s) cannot be judged on the data given: " + join(items, "; ") +
           " (summary.md, Missing data)";
}

void with_report_layers(const CoverageData& data, const ReportResults& results,
                        const std::function<void(const std::vector<io::LayerSource>&)>& use, bool full_detail) {
    YIKE_ASSERT(results.targets.size() == data.standard.targets.size());
    YIKE_ASSERT(results.areas.demand_community.size() == data.demand.size());
    const Context ctx{data, results};
    const auto ld = layer_data(ctx, full_detail);
    use(layers(ctx, ld));
}

namespace {

// A task on a thread of its own; join() rethrows what it threw. Leaving a scope joins it (an
// exception on the calling thread waits for the task, whose failure is then dropped).
class Task {
public:
    explicit Task(std::function<void()> work)
        : m_thread([this, work = std::move(work)] {
              try {
                  work();
              } catch (...) {
                  m_failure = std::current_exception();
              }
          }) {}
    Task(const Task&) = delete;
    Task& operator=(const Task&) = delete;
    ~Task() {
        if (m_thread.joinable()) m_thread.join();
    }
    void join() {
        m_thread.join();
        if (m_failure) std::rethrow_exception(m_failure);
    }

private:
    std::exception_ptr m_failure;
    std::thread m_thread; // last: started once m_failure exists
};

// report.html of the folder: walking positions are the report's own facility snaps, senior ones
// the run's (or ReportOptions::facility_senior for a plan's after-state).
void write_page(const std::filesystem::path& path, const CoverageData& data, const ReportResults& results,
                const ReportOptions& options) {
    const auto& networks = *options.networks;
    std::vector<std::optional<routing::Origin>> walk;
    walk.reserve(data.facility_snaps.size());
    for (const auto& snap : data.facility_snaps) walk.push_back(snap.origin);
    const auto& senior = options.facility_senior ? *options.facility_senior : networks.facility_senior;
    HtmlReportOptions page;
    page.subtitle = options.subtitle;
    page.reach_cache = options.reach_cache;
    write_html_report(path, HtmlReportInput{data, results, networks.graph(false), networks.graph(true), walk, senior}, page);
}

} // namespace

void write_report(const std::filesystem::path& dir, const CoverageData& data, const ReportResults& results,
                  const ReportOptions& options) {
    if (options.layers && options.layer_format == io::VectorFormat::csv)
        throw config_error(dir.string() + ": report layers are written as GeoPackage or GeoJSON, not CSV");
    YIKE_ASSERT(results.targets.size() == data.standard.targets.size());
    YIKE_ASSERT(results.areas.demand_community.size() == data.demand.size());
    check_totals(results);
    const Context ctx{data, results}; // summarises the catchments once for every file
    io::write_output_folder(dir, options.writer, options.guard, [&](const std::filesystem::path& temp) {
        io::phase_mark("write_tables");
        io::write_text_file(temp / "summary.md", localize(markdown(ctx), data.run.language));
        io::write_csv_file(temp / "summary.csv", summary_csv(ctx));
        io::write_csv_file(temp / "subdistricts.csv", area_csv(ctx, false));
        io::write_csv_file(temp / "communities.csv", area_csv(ctx, true));
        io::write_csv_file(temp / "demand_issues.csv", demand_issues_csv(ctx));
        if (!data.facility_issues.empty()) io::write_csv_file(temp / "facility_issues.csv", facility_issues_csv(data));
        io::write_text_file(temp / "summary.json", summary_json(ctx));
        if (!ctx.catchments.empty()) io::write_csv_file(temp / "catchments.csv", catchments_csv(ctx));
        // summary.xlsx (its uncovered-households sheet is the largest table) and report.html (the
        // reach outlines) are made on threads of their own while the layers are written on this
        // one: they share only const data, and each file's bytes depend on nothing but that data.
        io::phase_mark("write_layers");
        Task xlsx([&] { io::write_xlsx_file(temp / "summary.xlsx", summary_sheets(ctx)); });
        Task page([&] {
            if (options.networks) write_page(temp / "report.html", data, results, options);
        });
        if (options.layers) {
            const auto ld = layer_data(ctx, options.full_layer_detail);
            io::write_layers(temp / (options.layer_format == io::VectorFormat::geojson ? "layers.geojson" : "layers.gpkg"),
                             layers(ctx, ld));
        }
        if (!options.batch_stamp.empty()) io::write_text_file(temp / batch_stamp_file, options.batch_stamp);
        io::phase_mark("write_html_wait");
        page.join();
        io::phase_mark("write_xlsx_wait");
        xlsx.join();
        io::phase_mark("write_swap");
    });
}

} // namespace yike::viz
