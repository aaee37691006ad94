// yike.coverage, yike.evaluate, yike.plan and yike.standards: the settings of the command's
// options, the same engine runs (engine::run_coverage, run_site_evaluation, run_site_plan) and the
// same writers, so a result's write(folder) gives the folder the command writes.
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "convert.hpp"
#include "yike/engine/categories.hpp"
#include "yike/engine/coverage_run.hpp"
#include "yike/engine/report.hpp"
#include "yike/engine/siting.hpp"
#include "yike/engine/standards.hpp"
#include "yike/viz/report.hpp"
#include "yike/viz/siting_report.hpp"
#include "yike/viz/siting_tables.hpp"

namespace yike::python {
namespace {

template <typename T>
std::optional<T> get(const py::dict& d, const char* key) {
    if (!d.contains(key) || d[key].is_none()) return std::nullopt;
    return d[key].cast<T>();
}

// The settings `yike coverage` makes of its options (cli/coverage_options.cpp), from the keyword
// arguments of yike.coverage: None means the option was not given.
engine::CoverageSettings coverage_settings(const py::dict& a) {
    engine::CoverageSettings s;
    const auto scenario = get<std::string>(a, "scenario");
    const auto osm = get<std::string>(a, "osm");
    if (scenario) {
        s = engine::load_scenario(*scenario);
    } else if (!osm) {
        throw usage_error("give osm=FILE (or scenario=FILE)");
    }
    if (osm) s.osm = *osm;
    const auto crs = get<std::string>(a, "crs");
    if (const auto layers = get<std::vector<std::pair<std::string, std::string>>>(a, "facilities")) {
        s.facility_layers.clear();
        for (const auto& [path, category] : *layers) {
            engine::FacilityLayerSource f;
            f.path = path;
            const auto poi_format = get<std::string>(a, "poi_format");
            if (!category.empty()) {
                f.options.category = category;
            } else if (poi_format) {
                if (*poi_format != "amap" && *poi_format != "baidu") throw usage_error("poi_format: amap or baidu");
                f.options.poi_format = *poi_format;
            } else {
                f.options.category_field = get<std::string>(a, "category_field").value_or("category");
            }
            f.options.capacity_field = get<std::string>(a, "capacity_field").value_or("");
            f.options.floor_area_field = get<std::string>(a, "floor_area_field").value_or("");
            f.options.staff_field = get<std::string>(a, "staff_field").value_or("");
            // A POI export's format says its CRS (GCJ-02 for AMap, BD-09 for Baidu), as for the command.
            if (f.options.poi_format.empty()) f.options.crs = crs;
            s.facility_layers.push_back(std::move(f));
        }
    }
    if (get<bool>(a, "osm_facilities") == false) s.osm_facilities = false;
    const auto households = get<std::string>(a, "households");
    const auto raster = get<std::string>(a, "population_raster");
    const bool estimate = get<bool>(a, "estimate_households").value_or(false);
    if ((households ? 1 : 0) + (raster ? 1 : 0) + (estimate ? 1 : 0) > 1) {
        throw usage_error("give one of households, estimate_households and population_raster");
    }
    if (households) {
        s.demand_source = engine::DemandSource::households_layer;
        s.demand_path = *households;
    } else if (raster) {
        s.demand_source = engine::DemandSource::population_raster;
        s.demand_path = *raster;
    } else if (estimate) {
        s.demand_source = engine::DemandSource::estimate_from_buildings;
    }
    if (crs) {
        s.demand_options.crs = crs;
        s.community_options.crs = crs;
        s.subdistrict_options.crs = crs;
    }
    if (const auto v = get<std::string>(a, "communities")) s.communities = *v;
    if (const auto v = get<std::string>(a, "subdistricts")) s.subdistricts = *v;
    if (const auto v = get<std::string>(a, "parent_field")) s.community_options.parent_field = *v;
    if (const auto v = get<std::string>(a, "community_households")) s.community_options.households_field = *v;
    if (const auto grid = get<double>(a, "grid")) {
        if (!std::isfinite(*grid) || *grid < 50 || *grid > 10'000) {
            throw usage_error("grid: cell size must be between 50 and 10,000 m");
        }
        s.grid_cell_m = *grid;
    }
    if (const auto v = get<std::string>(a, "standard")) s.standard = *v;
    if (const auto v = get<std::string>(a, "profile")) s.walk_profile = *v;
    if (const auto v = get<std::string>(a, "senior_profile")) s.senior_profile = *v;
    if (const auto v = get<std::string>(a, "dem")) s.dem = *v;
    if (const auto v = get<double>(a, "max_snap")) {
        if (!std::isfinite(*v) || *v < 0) throw usage_error("max_snap: must be a non-negative number of metres");
        s.max_snap_m = *v;
    }
    if (const auto v = get<std::string>(a, "decay")) {
        if (*v != "none" && *v != "gaussian") throw usage_error("decay: none or gaussian");
        s.gaussian_decay = *v == "gaussian";
    }
    if (const auto v = get<std::string>(a, "layers")) {
        if (*v != "gpkg" && *v != "geojson") throw usage_error("layers: gpkg or geojson");
        s.layer_format = *v == "gpkg" ? io::VectorFormat::gpkg : io::VectorFormat::geojson;
    }
    if (const auto v = get<std::string>(a, "lang")) {
        const auto language = engine::parse_language(*v);
        if (!language) throw usage_error("lang: zh, en or both");
        s.language = *language;
    }
    if (const auto v = get<unsigned>(a, "threads")) s.threads = *v;
    if (const auto v = get<std::string>(a, "encoding")) {
        io::check_encoding_name(*v, "encoding");
        for (auto& f : s.facility_layers) f.options.encoding = *v;
        s.demand_options.encoding = *v;
        s.community_options.encoding = *v;
        s.subdistrict_options.encoding = *v;
    }
    return s;
}

// The settings `yike evaluate` and `yike plan` make of their options (cli/siting_options.cpp).
engine::SitingSettings siting_settings(const py::dict& a) {
    const auto candidates = get<std::string>(a, "candidates");
    const auto spacing = get<double>(a, "generate_candidates");
    if (candidates.has_value() == spacing.has_value()) {
        throw usage_error("give the candidates with candidates=FILE or generate_candidates=SPACING_M, one of them");
    }
    if (spacing && (!std::isfinite(*spacing) || *spacing < 10 || *spacing > 10'000)) {
        throw usage_error("generate_candidates: the spacing must be between 10 and 10,000 m");
    }
    const auto capacity = get<double>(a, "capacity");
    const auto capacity_field = get<std::string>(a, "candidate_capacity_field");
    if (capacity && (!std::isfinite(*capacity) || *capacity < 0)) throw usage_error("capacity: must be a non-negative number");
    if (capacity && capacity_field) throw usage_error("give capacity or candidate_capacity_field, not both");
    engine::SitingSettings s;
    s.coverage = coverage_settings(a);
    s.candidates.layer = candidates.value_or("");
    s.candidates.spacing_m = spacing.value_or(0.0);
    s.candidates.only_uncovered = get<bool>(a, "only_uncovered").value_or(false);
    s.candidates.mask = get<std::string>(a, "mask").value_or("");
    s.candidates.capacity_field = capacity_field.value_or("");
    s.candidates.floor_area_field = get<std::string>(a, "candidate_floor_area_field").value_or("");
    s.candidates.staff_field = get<std::string>(a, "candidate_staff_field").value_or("");
    if (!candidates && (!s.candidates.floor_area_field.empty() || !s.candidates.staff_field.empty())) {
        throw usage_error("candidate_floor_area_field and candidate_staff_field need a candidate layer (candidates=FILE)");
    }
    s.candidates.crs = get<std::string>(a, "crs");
    for (const auto& c : get<std::vector<std::string>>(a, "categories").value_or(std::vector<std::string>{})) {
        if (!c.empty() && std::find(s.categories.begin(), s.categories.end(), c) == s.categories.end()) {
            s.categories.push_back(c);
        }
    }
    s.target = get<std::string>(a, "target").value_or("");
    s.capacity = capacity;
    return s;
}


// The report's tables and layers of one evaluated coverage (a coverage run, or a plan's before
// and after).
py::dict report_tables(const engine::CoverageData& data, const engine::ReportResults& results) {
    std::string summary_csv, communities_csv, subdistricts_csv, markdown;
    std::vector<std::pair<std::string, TableBuilder>> layers;
    {
        py::gil_scoped_release release;
        summary_csv = viz::report_summary_csv(data, results);
        communities_csv = viz::report_area_csv(data, results, true);
        subdistricts_csv = viz::report_area_csv(data, results, false);
        markdown = viz::report_markdown(data, results);
        viz::with_report_layers(data, results, [&](const std::vector<io::LayerSource>& sources) {
            for (const auto& source : sources) {
                layers.emplace_back(source.name, TableBuilder{});
                layers.back().second.add(source);
            }
        });
    }
    py::dict out;
    // The bytes of the files, byte-order mark included (io::write_csv_file); pandas skips it.
    const std::string bom(io::utf8_bom);
    out["summary_csv"] = py::bytes(bom + summary_csv);
    out["communities_csv"] = py::bytes(bom + communities_csv);
    out["subdistricts_csv"] = py::bytes(bom + subdistricts_csv);
    out["summary_md"] = py::str(markdown);
    py::dict tables;
    for (auto& [name, table] : layers) tables[py::str(name)] = table.take();
    out["layers"] = tables;
    return out;
}

class CoverageRun {
public:
    explicit CoverageRun(engine::CoverageSettings settings) : m_settings(std::move(settings)) {
        py::gil_scoped_release release;
        m_data = engine::run_coverage(m_settings, {}, &m_networks);
        m_results = engine::evaluate(m_data);
    }

    // As the command: only an empty folder or one yike wrote is replaced unless `force`, and never
    // one holding an input of the run.
    void write(const std::string& folder, bool force) const {
        py::gil_scoped_release release;
        auto settings = m_settings;
        settings.force_out = force;
        viz::ReportOptions options;
        options.layer_format = m_settings.layer_format;
        options.networks = &m_networks;
        options.guard = engine::output_guard(settings);
        viz::write_report(folder, m_data, m_results, options);
    }

    py::dict tables() const { return report_tables(m_data, m_results); }
    [[nodiscard]] const std::vector<std::string>& warnings() const noexcept { return m_data.run.warnings; }
    [[nodiscard]] const std::string& standard() const noexcept { return m_data.standard.id; }

private:
    engine::CoverageSettings m_settings;
    engine::CoverageNetworks m_networks;
    engine::CoverageData m_data;
    engine::ReportResults m_results;
};

// The candidates that could not be snapped, as the command warns about them.
std::vector<std::string> candidate_warnings(const engine::SitingRun& run) {
    std::vector<std::string> out = run.before.run.warnings;
    if (const auto text = engine::unsnapped_candidates_warning(run)) out.push_back(*text);
    return out;
}

using engine::basis_name;

// A site of a unit plan as a row: what the row is about, the candidate site it places (as
// viz/siting_tables.hpp's tables start their rows), then the row's own columns. units.csv lists
// these sites per unit, so it has no such rows to share.
io::Feature candidate_row(const engine::Candidate& c, const std::string& category, const std::string& target,
                          std::vector<std::pair<std::string, io::PropertyValue>> head, const char* order_key,
                          std::int64_t order, std::vector<std::pair<std::string, io::PropertyValue>> own) {
    io::Feature f{io::PointGeometry{c.location}, {{"category", category}, {"target", target}}};
    for (auto& p : head) f.properties.push_back(std::move(p));
    f.properties.emplace_back(order_key, order);
    f.properties.emplace_back("candidate", c.id);
    f.properties.emplace_back("name", c.name);
    f.properties.emplace_back("lon", c.location.lon);
    f.properties.emplace_back("lat", c.location.lat);
    for (auto& p : own) f.properties.push_back(std::move(p));
    return f;
}

class SitingRun {
public:
    SitingRun(engine::SitingSettings settings, bool plan) : m_settings(std::move(settings)), m_plan(plan) {
        py::gil_scoped_release release;
        m_run = plan ? engine::run_site_plan(m_settings) : engine::run_site_evaluation(m_settings);
    }

    void write(const std::string& folder, bool force) const {
        py::gil_scoped_release release;
        auto settings = m_settings;
        settings.coverage.force_out = force;
        if (!m_plan) {
            viz::write_evaluation(folder, m_run, settings);
            return;
        }
        viz::write_plan(folder, m_run, settings); // the command's writer: the same files
    }

    // plan: one row per chosen site (the values of plan.csv, unrounded); evaluate: one row per
    // evaluated candidate (those of evaluation.csv).
    py::tuple rows() const {
        TableBuilder table;
        const auto& standard = m_run.before.standard;
        for (const auto& f : viz::plan_site_table(m_run).rows) table.add(f);
        // Presence and ratio targets: the sites of each unit plan (the rows of units.csv that
        // place a site); then every candidate judged per unit, and per coverage target.
        for (const auto& plan : m_run.unit_plans) {
            const auto& t = standard.targets[plan.target];
            const auto& areas = t.unit == engine::AreaUnit::community ? m_run.before_results.areas.communities
                                                                     : m_run.before_results.areas.subdistricts;
            std::int64_t order = 0;
            for (const auto& need : plan.needs) {
                if (!need.chosen) continue;
                std::vector<std::pair<std::string, std::uint32_t>> sites;
                if (need.site != routing::invalid_id) {
                    for (const auto& category : need.need) sites.emplace_back(category, need.site);
                } else {
                    for (const auto j : need.ratio_sites) sites.emplace_back(plan.categories.front(), j);
                }
                for (const auto& [category, j] : sites) {
                    const auto& c = m_run.candidates[j];
                    table.add(candidate_row(c, category, t.id, {{"basis", basis_name(plan.basis)}}, "order", ++order,
                                            {{"unit", areas[need.unit].id},
                                           {"unit_weight", need.weight},
                                           {"shortfall", need.shortfall}}));
                }
            }
        }
        for (const auto& f : viz::unit_evaluation_table(m_run).rows) table.add(f);
        for (const auto& f : viz::evaluation_table(m_run, m_settings.coverage.gaussian_decay).rows) table.add(f);
        return table.take();
    }

    py::str markdown() const {
        std::string md;
        {
            py::gil_scoped_release release;
            md = m_plan ? viz::plan_markdown(m_run, m_settings) : viz::evaluation_markdown(m_run, m_settings);
        }
        return md;
    }

    py::dict before() const { return report_tables(m_run.before, m_run.before_results); }
    py::dict after() const { return report_tables(m_run.after, m_run.after_results); }
    [[nodiscard]] std::vector<std::string> warnings() const { return candidate_warnings(m_run); }

private:
    engine::SitingSettings m_settings;
    bool m_plan;
    engine::SitingRun m_run;
};

std::unique_ptr<CoverageRun> run_coverage(const py::dict& args) {
    return std::make_unique<CoverageRun>(coverage_settings(args));
}

std::unique_ptr<SitingRun> run_evaluate(const py::dict& args) {
    auto s = siting_settings(args);
    if (s.categories.empty()) throw usage_error("give the category of the new facility with category=ID");
    return std::make_unique<SitingRun>(std::move(s), false);
}

// The checks and modes of `yike plan` (cli/plan.cpp).
std::unique_ptr<SitingRun> run_plan(const py::dict& args) {
    const auto k = get<long long>(args, "k");
    const auto share = get<double>(args, "target_share");
    if (k.has_value() == share.has_value()) {
        throw usage_error("give the number of sites with k=N or the share to reach with target_share=S, one of them");
    }
    if (k && *k <= 0) throw usage_error("k: plan at least one site");
    if (k && *k > 1'000'000) throw usage_error("k: at most 1,000,000 sites");
    if (share && (!std::isfinite(*share) || *share <= 0 || *share > 1)) {
        throw usage_error("target_share: a share in (0, 1], e.g. 0.9");
    }
    const bool capacitated = get<double>(args, "capacity").has_value() || get<std::string>(args, "candidate_capacity_field").has_value();
    if (capacitated && share) {
        throw usage_error("capacity-aware planning chooses k sites; target_share is for uncapacitated set covering");
    }
    auto s = siting_settings(args);
    s.mode = share ? engine::PlanMode::set_cover : (capacitated ? engine::PlanMode::capacitated : engine::PlanMode::maximal);
    s.k = static_cast<std::uint32_t>(k.value_or(0));
    s.target_share = share.value_or(0.0);
    s.plan.exact = get<bool>(args, "exact").value_or(false);
    return std::make_unique<SitingRun>(std::move(s), true);
}

py::list standards() {
    py::list out;
    for (const auto& info : engine::list_standards()) {
        py::dict d;
        d["id"] = info.id;
        d["name_zh"] = info.name_zh;
        d["name_en"] = info.name_en;
        d["targets"] = info.target_count;
        d["unconfirmed"] = info.unconfirmed_count;
        d["file"] = info.file.string();
        out.append(d);
    }
    return out;
}

std::string describe_standard(const std::string& id) {
    const auto mapping = engine::load_category_mapping();
    return engine::describe_standard(engine::load_standard(id, mapping), mapping);
}

} // namespace

void bind_runs(py::module_& m) {
    py::class_<CoverageRun>(m, "CoverageRun")
        .def("write", &CoverageRun::write, py::arg("folder"), py::arg("force"))
        .def("tables", &CoverageRun::tables)
        .def_property_readonly("warnings", &CoverageRun::warnings)
        .def_property_readonly("standard", &CoverageRun::standard);
    py::class_<SitingRun>(m, "SitingRun")
        .def("write", &SitingRun::write, py::arg("folder"), py::arg("force"))
        .def("rows", &SitingRun::rows)
        .def("markdown", &SitingRun::markdown)
        .def("before", &SitingRun::before)
        .def("after", &SitingRun::after)
        .def_property_readonly("warnings", &SitingRun::warnings);
    m.def("run_coverage", &run_coverage, py::arg("args"));
    m.def("run_evaluate", &run_evaluate, py::arg("args"));
    m.def("run_plan", &run_plan, py::arg("args"));
    m.def("standards", &standards);
    m.def("describe_standard", &describe_standard, py::arg("id"));
    m.def("describe_standard_list", [] { return engine::describe_standard_list(engine::list_standards()); });
}

} // namespace yike::python
