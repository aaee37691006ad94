#include "siting_options.hpp"

#include <algorithm>
#include <cmath>

#include "arguments.hpp"
#include "common.hpp"

namespace yike::cli {

void add_siting_options(CLI::App& cmd, SitingCli& o) {
    add_coverage_options(cmd, o.coverage);
    add_force_option(cmd, o.coverage.force);
    cmd.add_option("--candidates", o.candidates, "candidate sites FILE[:SHEET][@CRS]: points or polygons (GeoJSON, GeoPackage, Shapefile, XLSX or CSV with lon/lat, ...)");
    cmd.add_option("--generate-candidates", o.spacing_m, "generate candidates on the walking network on this spacing (m) inside the study area");
    cmd.add_flag("--only-uncovered", o.only_uncovered, "keep only candidates that would newly cover some demand");
    cmd.add_option("--mask", o.mask, "polygons FILE[:SHEET][@CRS] in which no candidate may lie");
    cmd.add_option("--target", o.target, "the target judging the sites: a coverage target (threshold and basis), or a presence or ratio target judged per community or sub-district (default: the first coverage target naming the category, else its first presence, else its first ratio target)");
    cmd.add_option("--candidate-floor-area-field", o.floor_area_field, "field of the candidate layer with each site's floor area (m², for ratio targets)");
    cmd.add_option("--candidate-staff-field", o.staff_field, "field of the candidate layer with each site's staff (workers, for ratio targets)");
    cmd.add_option("--candidate-capacity-field", o.capacity_field, "field of the candidate layer with each site's capacity (in units of the target's basis)");
    cmd.add_option("--capacity", o.capacity, "the same capacity for every candidate (in units of the target's basis)");
    cmd.add_flag("-q,--quiet", g_quiet, "print nothing but errors");
}

engine::SitingSettings siting_settings(const SitingCli& o, CLI::App& cmd) {
    using namespace yike;
    if (o.candidates.empty() == !o.spacing_m.has_value()) {
        throw usage_error("give the candidates with --candidates FILE or --generate-candidates SPACING_M, one of them");
    }
    if (o.spacing_m && (!std::isfinite(*o.spacing_m) || *o.spacing_m < 10 || *o.spacing_m > 10'000)) {
        throw usage_error("--generate-candidates: the spacing must be between 10 and 10,000 m");
    }
    if (o.capacity && (!std::isfinite(*o.capacity) || *o.capacity < 0)) {
        throw usage_error("--capacity: must be a non-negative number");
    }
    if (o.capacity && !o.capacity_field.empty()) {
        throw usage_error("give --capacity or --candidate-capacity-field, not both");
    }
    engine::SitingSettings s;
    s.coverage = coverage_settings(o.coverage, cmd);
    const io::LayerSpec candidates = io::parse_layer_spec(o.candidates);
    const io::LayerSpec mask = io::parse_layer_spec(o.mask);
    s.candidates.layer = candidates.path;
    s.candidates.sheet = candidates.layer;
    s.candidates.crs = candidates.crs;
    s.candidates.mask_sheet = mask.layer;
    s.candidates.mask_crs = mask.crs;
    s.candidates.encoding = o.coverage.encoding;
    s.candidates.spacing_m = o.spacing_m.value_or(0.0);
    s.candidates.only_uncovered = o.only_uncovered;
    s.candidates.mask = mask.path;
    s.candidates.capacity_field = o.capacity_field;
    s.candidates.floor_area_field = o.floor_area_field;
    s.candidates.staff_field = o.staff_field;
    if (o.candidates.empty() && (!o.floor_area_field.empty() || !o.staff_field.empty())) {
        throw usage_error("--candidate-floor-area-field and --candidate-staff-field need a candidate layer (--candidates FILE)");
    }
    if (cmd.count("--crs") > 0) {
        if (!s.candidates.crs) s.candidates.crs = o.coverage.crs;
        if (!s.candidates.mask_crs) s.candidates.mask_crs = o.coverage.crs;
    }
    for (const auto& c : o.categories) {
        if (!c.empty() && std::find(s.categories.begin(), s.categories.end(), c) == s.categories.end()) {
            s.categories.push_back(c);
        }
    }
    s.target = o.target;
    s.capacity = o.capacity;
    io::check_output_folder(s.coverage.out, engine::output_guard(s));
    return s;
}

namespace {

void warn_unsnapped_candidates(const engine::SitingRun& run) {
    if (const auto text = engine::unsnapped_candidates_warning(run)) message("warning: " + *text);
}

void warn_unit_notes(const engine::SitingRun& run) {
    std::vector<std::string> seen;
    auto say = [&](const std::string& note) {
        if (std::find(seen.begin(), seen.end(), note) != seen.end()) return;
        seen.push_back(note);
        message("note: " + note);
    };
    for (const auto& p : run.unit_plans)
        for (const auto& n : p.notes) say(n);
    for (const auto& e : run.unit_evaluations)
        for (const auto& n : e.notes) say(n);
}

} // namespace

void warn_siting_run(const engine::SitingRun& run) {
    print_warnings(run.before.run);
    warn_unsnapped_candidates(run);
    warn_unit_notes(run);
}

void finish_siting_run(const engine::SitingRun& run, const std::string& label, const std::filesystem::path& table) {
    message(label + ": " + table.string());
    print_missing_data_warning(run.before, run.before_results);
}

} // namespace yike::cli
