#pragma once
// Map images for printed reports: one target of a coverage run drawn on the walking network
// (light base map, in the graph's local projection) with the chosen layers, a bilingual legend,
// a title, a scale bar, a north arrow and the OSM attribution, written as PNG, SVG or PDF
// (chosen by the file's extension). Text is set in a CJK font so that Chinese names print.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "yike/engine/isochrone.hpp"
#include "yike/engine/report.hpp"
#include "yike/routing/graph.hpp"

namespace yike::viz {

enum class MapLayer {
    areas,      // communities / grid cells coloured by pass/fail of the target (or achieved share)
    uncovered,  // demand points the target leaves uncovered, sized by households
    demand,     // every demand point, sized by households
    facilities, // facilities of the target's categories, one symbol and colour per category
    isochrones, // bands given in MapRenderOptions::bands
};

// "areas", "uncovered", "demand", "facilities", "isochrones"; nullopt for anything else.
std::optional<MapLayer> parse_map_layer(std::string_view name);
// Comma-separated names; throws config_error naming the bad name and the known ones.
std::vector<MapLayer> parse_map_layers(std::string_view list);

enum class ImageFormat { png, svg, pdf };
// From the extension (.png, .svg, .pdf, any case); nullopt for anything else.
std::optional<ImageFormat> image_format_for(const std::filesystem::path& path);

// A band of the isochrones layer (e.g. the reach of the target's facilities within its threshold).
struct MapBand {
    engine::MultiPolygon polygon;
    // Legend text; "中文|English" prints the two on separate lines.
    std::string label;
};

// Page sizes: ISO A4/A3 in millimetres, portrait; landscape swaps them.
struct PaperSize {
    double width_mm = 0;
    double height_mm = 0;
};
// "a4", "a3", "a4-landscape", "a3-landscape"; nullopt for anything else.
std::optional<PaperSize> parse_paper_size(std::string_view name);

struct MapRenderOptions {
    std::string target_id; // a target of the run's standard
    std::vector<MapLayer> layers{MapLayer::areas, MapLayer::uncovered, MapLayer::facilities};
    bool areas_by_share = false; // coverage targets: colour areas by achieved share instead of pass/fail

    // Image size: PNG in pixels, SVG and PDF in points (1/72 in). height 0: from the map's extent.
    int width = 1600;
    int height = 0;
    // Text and line size: 1 unit = scale * 1 pt. 0: chosen from the width (about 1 at 1200).
    double scale = 0;

    std::string title; // empty: the target's Chinese and English names
    std::string attribution = "© OpenStreetMap contributors, ODbL";
    std::string font = "Noto Sans CJK SC";
    double margin_m = 120.0; // around the drawn data
    std::vector<MapBand> bands; // drawn by the isochrones layer, largest first
}; // struct MapRenderOptions

// Image size from a paper size and a resolution: PNG in pixels at `dpi`, SVG/PDF in points; the
// matching scale for text and lines.
struct ImageSize {
    int width = 0;
    int height = 0;
    double scale = 1;
};
ImageSize image_size_for_paper(PaperSize paper, double dpi, ImageFormat format);

// Finds a target of the run's standard; throws config_error naming the target and the standard.
std::size_t find_target(const engine::CoverageData& data, std::string_view target_id);

// Where the map sits in the image: projected metres (graph.projection) to image units.
struct MapFrame {
    routing::LocalProjection projection;
    double min_x_m = 0; // west edge of the drawn extent
    double max_y_m = 0; // north edge
    double left = 0;    // image position of (min_x_m, max_y_m)
    double top = 0;
    double units_per_m = 1;
    double map_width = 0; // size of the map panel in image units
    double map_height = 0;
    int width = 0;        // whole image
    int height = 0;
    double scale = 1;     // text and line scale
    [[nodiscard]] routing::XY image_point(routing::LonLat p) const noexcept;
}; // struct MapFrame

// The frame render_map() draws in (for tests and for placing extra marks).
MapFrame map_frame(const routing::WalkGraph& graph, const engine::CoverageData& data,
                   const engine::ReportResults& results, const MapRenderOptions& options);

// Draws the map and writes it to `path` (format from the extension) atomically: the image is
// written under a temporary name beside `path` and renamed when complete. Throws config_error for
// an unknown target, an unknown extension or bad sizes, io_error naming the path when writing fails.
void render_map(const std::filesystem::path& path, const routing::WalkGraph& graph,
                const engine::CoverageData& data, const engine::ReportResults& results,
                const MapRenderOptions& options);

} // namespace yike::viz
