// The map options a user gives by name: layers, image formats by extension, paper sizes.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

#include "yike/error.hpp"
#include "yike/io/feature_writer.hpp"
#include "yike/viz/map_render.hpp"

namespace yike::viz {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

} // namespace

std::optional<MapLayer> parse_map_layer(std::string_view name) {
    if (name == "areas") {
        return MapLayer::areas;
    }
    if (name == "uncovered") {
        return MapLayer::uncovered;
    }
    if (name == "demand") {
        return MapLayer::demand;
    }
    if (name == "facilities") {
        return MapLayer::facilities;
    }
    if (name == "isochrones") {
        return MapLayer::isochrones;
    }
    return std::nullopt;
}

std::vector<MapLayer> parse_map_layers(std::string_view list) {
    std::vector<MapLayer> out;
    std::size_t i = 0;
    while (i <= list.size()) {
        const auto comma = std::min(list.find(',', i), list.size());
        const auto name = list.substr(i, comma - i);
        if (!name.empty()) {
            const auto layer = parse_map_layer(name);
            if (!layer) {
                throw config_error("map layer '" + std::string(name) +
                                   "' is not known (known: areas, uncovered, demand, facilities, isochrones)");
            }
            if (std::find(out.begin(), out.end(), *layer) == out.end()) {
                out.push_back(*layer);
            }
        }
        i = comma + 1;
    }
    if (out.empty()) {
        throw config_error("no map layer given (known: areas, uncovered, demand, facilities, isochrones)");
    }
    return out;
}

std::optional<ImageFormat> image_format_for(const std::filesystem::path& path) {
    const auto ext = lower(path.extension().string());
    if (ext == ".png") {
        return ImageFormat::png;
    }
    if (ext == ".svg") {
        return ImageFormat::svg;
    }
    if (ext == ".pdf") {
        return ImageFormat::pdf;
    }
    return std::nullopt;
}

std::optional<PaperSize> parse_paper_size(std::string_view name) {
    const std::string n = lower(std::string(name));
    if (n == "a4") {
        return PaperSize{210, 297};
    }
    if (n == "a3") {
        return PaperSize{297, 420};
    }
    if (n == "a4-landscape") {
        return PaperSize{297, 210};
    }
    if (n == "a3-landscape") {
        return PaperSize{420, 297};
    }
    return std::nullopt;
}

ImageSize image_size_for_paper(PaperSize paper, double dpi, ImageFormat format) {
    if (!std::isfinite(dpi) || dpi < 36 || dpi > 1200) {
        throw config_error("map: resolution " + io::format_number(dpi) + " dpi is outside 36..1200");
    }
    const double units_per_mm = (format == ImageFormat::png ? dpi : 72.0) / 25.4;
    ImageSize s;
    s.width = static_cast<int>(std::lround(paper.width_mm * units_per_mm));
    s.height = static_cast<int>(std::lround(paper.height_mm * units_per_mm));
    s.scale = format == ImageFormat::png ? dpi / 72.0 : 1.0;
    return s;
}

} // namespace yike::viz
