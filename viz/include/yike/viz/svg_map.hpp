#pragma once
// A quick-look map as SVG: the walking network as the base map, isochrone bands on top, origins as
// dots, with a scale bar, a north arrow and the OSM attribution. Opens in any browser; no tiles.
#include <filesystem>
#include <string>
#include <vector>

#include "yike/engine/isochrone.hpp"
#include "yike/routing/graph.hpp"

namespace yike::viz {

struct SvgBand {
    engine::MultiPolygon polygon;
    std::string label; // e.g. "15 min"
};

struct SvgMapOptions {
    int width_px = 1200;
    double margin_m = 150.0;  // around the bands (or the whole network when there are none)
    std::string title;
    std::string attribution = "© OpenStreetMap contributors, ODbL";
};

// Renders the map as SVG text. Bands are drawn largest first so smaller ones stay visible.
std::string render_svg_map(const routing::WalkGraph& graph, const std::vector<SvgBand>& bands,
                           const std::vector<routing::LonLat>& origins, const SvgMapOptions& options = {});

// Writes render_svg_map() to `path` atomically; throws yike::io_error naming the path on failure.
void write_svg_map(const std::filesystem::path& path, const routing::WalkGraph& graph,
                   const std::vector<SvgBand>& bands, const std::vector<routing::LonLat>& origins,
                   const SvgMapOptions& options = {});

} // namespace yike::viz
