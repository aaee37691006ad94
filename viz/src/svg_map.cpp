#include "yike/viz/svg_map.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>

#include "detail/scale_bar.hpp"
#include "yike/io/feature_writer.hpp"
#include "yike/io/markup_text.hpp"

namespace yike::viz {

namespace {

// Colours from dark (smallest budget, drawn on top) to light, readable when printed in grey too.
constexpr std::array<const char*, 6> band_colours = {"#ef6a4c", "#f59e72", "#facba6", "#fde0c5", "#fdebd9", "#fef5ec"};

struct Frame {
    double min_x;
    double min_y;
    double max_x;
    double max_y;
    double scale; // px per metre
    int width;
    int height;
    [[nodiscard]] double px(double x_m) const { return (x_m - min_x) * scale; }
    [[nodiscard]] double py(double y_m) const { return (max_y - y_m) * scale; }
};

std::string num(double v) {
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(), "%.1f", v);
    return buf.data();
}

std::string escape(const std::string& s) { return io::markup_text(s, io::Markup::xml); }

using detail::nice_length_m;

} // namespace

std::string render_svg_map(const routing::WalkGraph& graph, const std::vector<SvgBand>& bands,
                           const std::vector<routing::LonLat>& origins, const SvgMapOptions& options) {
    const auto& proj = graph.projection;
    double min_x = std::numeric_limits<double>::max();
    double min_y = min_x;
    double max_x = std::numeric_limits<double>::lowest();
    double max_y = max_x;
    auto extend = [&](double x, double y) {
        min_x = std::min(min_x, x);
        max_x = std::max(max_x, x);
        min_y = std::min(min_y, y);
        max_y = std::max(max_y, y);
    };
    for (const auto& band : bands) {
        for (const auto& poly : band.polygon) {
            for (const auto& p : poly.exterior.points) {
                const auto xy = proj.forward(p);
                extend(xy.x_m, xy.y_m);
            }
        }
    }
    for (const auto& o : origins) {
        const auto xy = proj.forward(o);
        extend(xy.x_m, xy.y_m);
    }
    if (bands.empty()) {
        for (std::size_t i = 0; i < graph.point_x_m.size(); ++i) {
            extend(graph.point_x_m[i], graph.point_y_m[i]);
        }
    }
    if (min_x > max_x) {
        min_x = min_y = -500.0;
        max_x = max_y = 500.0;
    }
    min_x -= options.margin_m;
    min_y -= options.margin_m;
    max_x += options.margin_m;
    max_y += options.margin_m;
    Frame f{min_x, min_y, max_x, max_y, options.width_px / (max_x - min_x), options.width_px, 0};
    f.height = static_cast<int>(std::ceil((max_y - min_y) * f.scale));

    std::string s;
    s += R"(<svg xmlns="http://www.w3.org/2000/svg" width=")" + std::to_string(f.width) + R"(" height=")" +
         std::to_string(f.height) + R"(" viewBox="0 0 )" + std::to_string(f.width) + " " + std::to_string(f.height) +
         R"(" font-family="sans-serif">)" + "\n";
    s += R"(<rect width="100%" height="100%" fill="#ffffff"/>)" "\n";

    // Bands, largest first.
    for (std::size_t k = bands.size(); k-- > 0;) {
        const char* colour = band_colours[std::min(k, band_colours.size() - 1)];
        s += R"(<path fill-rule="evenodd" fill=")" + std::string(colour) + R"(" fill-opacity="0.85" stroke="#c0502e" stroke-width="0.8" d=")";
        for (const auto& poly : bands[k].polygon) {
            auto ring_path = [&](const engine::Ring& ring) {
                for (std::size_t i = 0; i < ring.points.size(); ++i) {
                    const auto xy = proj.forward(ring.points[i]);
                    s += (i == 0 ? "M" : "L") + num(f.px(xy.x_m)) + " " + num(f.py(xy.y_m));
                }
                s += "Z";
            };
            ring_path(poly.exterior);
            for (const auto& h : poly.holes) {
                ring_path(h);
            }
        }
        s += "\"/>\n";
    }

    // The network on top, thin, so streets stay readable inside the bands.
    s += R"(<path fill="none" stroke="#555555" stroke-width="0.7" stroke-linecap="round" d=")";
    for (std::uint32_t e = 0; e < graph.edge_count(); ++e) {
        bool inside = false;
        for (std::uint32_t k = graph.edge_first_point[e]; k < graph.edge_first_point[e + 1]; ++k) {
            const double x = graph.point_x_m[k];
            const double y = graph.point_y_m[k];
            inside = inside || (x >= f.min_x && x <= f.max_x && y >= f.min_y && y <= f.max_y);
        }
        if (!inside) {
            continue;
        }
        for (std::uint32_t k = graph.edge_first_point[e]; k < graph.edge_first_point[e + 1]; ++k) {
            s += (k == graph.edge_first_point[e] ? "M" : "L") + num(f.px(graph.point_x_m[k])) + " " +
                 num(f.py(graph.point_y_m[k]));
        }
    }
    s += "\"/>\n";

    for (const auto& o : origins) {
        const auto xy = proj.forward(o);
        s += R"(<circle r="5" fill="#1f4e9c" stroke="#ffffff" stroke-width="1.5" cx=")" + num(f.px(xy.x_m)) +
             R"(" cy=")" + num(f.py(xy.y_m)) + "\"/>\n";
    }

    // Legend.
    double ly = 20;
    if (!options.title.empty()) {
        s += R"(<text x="16" y="28" font-size="18" font-weight="bold">)" + escape(options.title) + "</text>\n";
        ly = 44;
    }
    for (std::size_t k = 0; k < bands.size(); ++k) {
        const char* colour = band_colours[std::min(k, band_colours.size() - 1)];
        s += R"(<rect x="16" width="18" height="12" stroke="#c0502e" stroke-width="0.8" fill=")" + std::string(colour) +
             R"(" y=")" + num(ly) + "\"/>";
        s += R"(<text x="40" font-size="13" y=")" + num(ly + 11) + "\">" + escape(bands[k].label) + "</text>\n";
        ly += 18;
    }

    // Scale bar (bottom left) and north arrow (top right): the projection is conformal and
    // centred on the data, so north is up to within a fraction of a degree.
    const double bar_m = nice_length_m((f.max_x - f.min_x) / 5.0);
    const double bar_px = bar_m * f.scale;
    const double by = f.height - 24.0;
    s += R"(<rect x="16" height="6" fill="#000000" y=")" + num(by) + R"(" width=")" + num(bar_px) + "\"/>";
    s += R"(<text x="16" font-size="12" y=")" + num(by - 6) + "\">" +
         (bar_m >= 1000 ? io::format_number(bar_m / 1000) + " km" : io::format_number(bar_m) + " m") + "</text>\n";
    const double ax = f.width - 30.0;
    s += R"(<path fill="#000000" d="M)" + num(ax) + " 14L" + num(ax - 9) + " 44L" + num(ax) + " 37L" + num(ax + 9) +
         " 44Z\"/>";
    s += R"(<text font-size="13" font-weight="bold" text-anchor="middle" x=")" + num(ax) + R"(" y="60">N</text>)" "\n";
    s += R"(<text font-size="11" fill="#333333" text-anchor="end" x=")" + num(f.width - 8.0) + R"(" y=")" +
         num(f.height - 8.0) + "\">" + escape(options.attribution) + "</text>\n";
    s += "</svg>\n";
    return s;
}

void write_svg_map(const std::filesystem::path& path, const routing::WalkGraph& graph,
                   const std::vector<SvgBand>& bands, const std::vector<routing::LonLat>& origins,
                   const SvgMapOptions& options) {
    io::write_text_file(path, render_svg_map(graph, bands, origins, options));
}

} // namespace yike::viz
