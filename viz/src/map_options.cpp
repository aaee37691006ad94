// The map options a user gives by name: layers, image formats by extension, paper sizes.
#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <string>
#include <utility>

#include "yike/error.hpp"
#include "yike/io/feature_writer.hpp"
#include "yike/viz/map_render.hpp"

namespace yike::viz {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// The names a user gives for each value, in the order messages list them.
template <class T, std::size_t N>
using NameTable = std::array<std::pair<std::string_view, T>, N>;

template <class T, std::size_t N>
std::optional<T> find_name(const NameTable<T, N>& table, std::string_view name) {
    for (const auto& [known, value] : table) {
        if (known == name) {
            return value;
        }
    }
    return std::nullopt;
}

constexpr NameTable<MapLayer, 5> k_layers{{{"areas", MapLayer::areas},
                                           {"uncovered", MapLayer::uncovered},
                                           {"demand", MapLayer::demand},
                                           {"facilities", MapLayer::facilities},
                                           {"isochrones", MapLayer::isochrones}}};
constexpr NameTable<ImageFormat, 3> k_extensions{{{".png", ImageFormat::png}, {".svg", ImageFormat::svg}, {".pdf", ImageFormat::pdf}}};
constexpr NameTable<PaperSize, 4> k_papers{{{"a4", PaperSize{210, 297}},
                                            {"a3", PaperSize{297, 420}},
                                            {"a4-landscape", PaperSize{297, 210}},
                                            {"a3-landscape", PaperSize{420, 297}}}};

// "(known: areas, uncovered, demand, facilities, isochrones)"
std::string known_layers() {
    std::string list;
    for (const auto& entry : k_layers) {
        list += (list.empty() ? "" : ", ") + std::string(entry.first);
    }
    return "(known: " + list + ")";
}

} // namespace

std::optional<MapLayer> parse_map_layer(std::string_view name) { return find_name(k_layers, name); }

std::vector<MapLayer> parse_map_layers(std::string_view list) {
    std::vector<MapLayer> out;
    std::size_t i = 0;
    while (i <= list.size()) {
        const auto comma = std::min(list.find(',', i), list.size());
        const auto name = list.substr(i, comma - i);
        if (!name.empty()) {
            const auto layer = parse_map_layer(name);
            if (!layer) {
                throw config_error("map layer '" + std::string(name) + "' is not known " + known_layers());
            }
            if (std::find(out.begin(), out.end(), *layer) == out.end()) {
                out.push_back(*layer);
            }
        }
        i = comma + 1;
    }
    if (out.empty()) {
        throw config_error("no map layer given " + known_layers());
    }
    return out;
}

std::optional<ImageFormat> image_format_for(const std::filesystem::path& path) {
    return find_name(k_extensions, lower(path.extension().string()));
}

std::optional<PaperSize> parse_paper_size(std::string_view name) {
    return find_name(k_papers, lower(std::string(name)));
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
