// `yike render`: a map image (PNG, SVG, PDF) of one target of a coverage run.
#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "arguments.hpp"
#include "command.hpp"
#include "yike/io/output_folder.hpp"
#include "common.hpp"
#include "coverage_options.hpp"
#include "yike/engine/categories.hpp"
#include "yike/engine/category_cost.hpp"
#include "yike/engine/isochrone.hpp"
#include "yike/engine/report.hpp"
#include "yike/engine/standards.hpp"
#include "yike/error.hpp"
#include "yike/io/feature_writer.hpp"
#include "yike/routing/search.hpp"
#include "yike/viz/map_render.hpp"

namespace yike::cli {
namespace {

struct RenderCli {
    CoverageCli coverage;
    std::string target;
    std::string map_layers = "areas,uncovered,facilities";
    std::optional<int> width;
    std::optional<int> height;
    std::string paper;
    std::optional<double> dpi;
    bool by_share = false;
    std::string title;
};

// The reach of the target's facilities within its threshold along the network it is judged on
// (engine::facility_reach, from the facilities' positions in the run), as the isochrones layer.
std::vector<viz::MapBand> target_bands(const routing::WalkGraph& graph, const engine::CoverageData& data,
                                       const engine::Target& t, const engine::CoverageNetworks& networks,
                                       const engine::IsochroneBarriers& barriers) {
    using namespace yike;
    if (!t.threshold_minutes && !t.threshold_m) {
        return {};
    }
    const auto reach = engine::facility_reach(data, t, t.categories, networks.facility_walk, networks.facility_senior);
    if (reach.origins.empty()) {
        return {};
    }
    const bool by_time = reach.measure.metric == routing::Metric::time_ms;
    const std::array<routing::Cost, 1> budget{reach.measure.budget};
    routing::BoundedSearch search(graph);
    engine::IsochroneOptions towards; // the households that walk to a facility in time
    towards.direction = routing::Direction::to_sources;
    towards.barriers = &barriers;     // no reach across a river, rail line or wall the walk did not cross
    auto bands = engine::build_isochrones(search, reach.origins, budget, reach.measure.metric, towards);
    const std::string text = by_time ? io::format_number(*t.threshold_minutes) + " 分钟步行可达|within " +
                                           io::format_number(*t.threshold_minutes) + " min walk of the facilities"
                                     : io::format_number(*t.threshold_m) + " 米步行可达|within " +
                                           io::format_number(*t.threshold_m) + " m walk of the facilities";
    return {viz::MapBand{std::move(bands.front().polygon), text}};
}

void run_render_command(const RenderCli& o, CLI::App& cmd) {
    using namespace yike;
    const std::filesystem::path out = o.coverage.out;
    if (out.empty()) {
        throw usage_error("give the image file with --out MAP.png, MAP.svg or MAP.pdf");
    }
    const auto format = viz::image_format_for(out);
    if (!format) {
        throw usage_error("--out " + out.string() + ": unknown image format '" + out.extension().string() +
                          "' (use .png, .svg or .pdf)");
    }
    viz::MapRenderOptions mo;
    try {
        mo.layers = viz::parse_map_layers(o.map_layers);
    } catch (const config_error& e) {
        throw usage_error(std::string("--layers: ") + e.what());
    }
    mo.target_id = o.target;
    mo.areas_by_share = o.by_share;
    mo.title = o.title;
    if (!o.paper.empty()) {
        const auto paper = viz::parse_paper_size(o.paper);
        if (!paper) {
            throw usage_error("--paper " + o.paper + ": a4, a3, a4-landscape or a3-landscape");
        }
        if (o.width || o.height) {
            throw usage_error("give --paper (with --dpi) or --width/--height, not both");
        }
        const double dpi = o.dpi.value_or(150.0);
        if (!std::isfinite(dpi) || dpi < 36 || dpi > 1200) {
            throw usage_error("--dpi: between 36 and 1200");
        }
        const auto size = viz::image_size_for_paper(*paper, dpi, *format);
        mo.width = size.width;
        mo.height = size.height;
        mo.scale = size.scale;
    } else {
        if (o.dpi) {
            throw usage_error("--dpi goes with --paper");
        }
        mo.width = o.width.value_or(1600);
        mo.height = o.height.value_or(0);
        if (mo.width < 200 || mo.width > 20'000 || (o.height && (mo.height < 200 || mo.height > 20'000))) {
            throw usage_error("--width/--height: between 200 and 20,000");
        }
    }
    // --layers names map layers here; the report's layer format is not used.
    CoverageCli cov = o.coverage;
    cov.layers = "gpkg";
    const auto s = coverage_settings(cov, cmd);
    io::check_output_file(out, engine::input_files(s));
    // Fail before the run when the target is not in the standard.
    {
        const auto mapping = engine::load_category_mapping(s.category_mapping);
        engine::CoverageData probe;
        probe.standard = engine::load_standard(s.standard, mapping);
        (void)viz::find_target(probe, o.target);
    }
    engine::CoverageNetworks networks;
    const auto data = engine::run_coverage(s, progress_printer(), &networks);
    const auto results = engine::evaluate(data);
    const auto& target = data.standard.targets[viz::find_target(data, o.target)];
    // The network the target is judged on: its base map and its reach.
    const bool thresholded = target.threshold_m || target.threshold_minutes;
    const bool senior = thresholded ? engine::target_measure(target).network == engine::Network::senior
                                    : engine::walking_network(target) == engine::Network::senior;
    const auto& graph = networks.graph(senior);
    if (std::find(mo.layers.begin(), mo.layers.end(), viz::MapLayer::isochrones) != mo.layers.end()) {
        // Indexed here, not in every coverage run: only the drawn reach needs it.
        const engine::IsochroneBarriers barriers(networks.barriers);
        mo.bands = target_bands(graph, data, target, networks, barriers);
    }
    viz::render_map(out, graph, data, results, mo);
    print_warnings(data.run);
    message("map: " + out.string());
}

} // namespace

Command add_render_command(CLI::App& app) {
    const auto [render, o] = add_subcommand<RenderCli>(app, "render", "draw a map image (PNG, SVG, PDF) of one target of a coverage run, for printed reports");
    add_coverage_options(*render, o->coverage);
    render->remove_option(render->get_option("--layers"));
    render->remove_option(render->get_option("--out"));
    render->add_option("--target", o->target, "target id of the standard to draw (see `yike standards show`)")->required();
    render->add_option("--layers", o->map_layers, "map layers: areas, uncovered, demand, facilities, isochrones (comma-separated)")->capture_default_str();
    render->add_flag("--by-share", o->by_share, "colour areas by achieved share instead of pass/fail");
    render->add_option("--width", o->width, "image width (PNG: pixels, SVG/PDF: points; default 1600)");
    render->add_option("--height", o->height, "image height (default: from the map's extent)");
    render->add_option("--paper", o->paper, "paper size instead of --width/--height: a4, a3, a4-landscape, a3-landscape");
    render->add_option("--dpi", o->dpi, "resolution of a PNG with --paper (default 150)");
    render->add_option("--title", o->title, "title (default: the target's Chinese and English names)");
    render->add_option("--out", o->coverage.out, "image file: .png, .svg or .pdf (written atomically)")->required();
    render->add_flag("-q,--quiet", g_quiet, "print nothing but errors");
    return runs(render, o, run_render_command);
}

} // namespace yike::cli
