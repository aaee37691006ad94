#pragma once
// The maps' colours, symbols and type sizes (map_render.cpp and its painter).
#include <array>

namespace yike::viz::detail {

struct Rgb {
    double r;
    double g;
    double b;
};
constexpr Rgb hex(unsigned v) {
    return {((v >> 16) & 0xff) / 255.0, ((v >> 8) & 0xff) / 255.0, (v & 0xff) / 255.0};
}

// Colours chosen to stay apart when printed, and to read for red-green colour blindness by
// lightness as well as hue (pass light green, fail orange; uncovered dark magenta on top).
constexpr Rgb colour_pass = hex(0x66bd63);
constexpr Rgb colour_fail = hex(0xf46d43);
constexpr Rgb colour_other = hex(0xbdbdbd);
constexpr Rgb colour_report_only = hex(0x74add1);
constexpr std::array<Rgb, 5> share_ramp = {hex(0xd73027), hex(0xfc8d59), hex(0xfee08b), hex(0x91cf60), hex(0x1a9850)};
constexpr double area_alpha = 0.45;
constexpr Rgb colour_uncovered = hex(0xc51b7d);
constexpr Rgb colour_demand = hex(0x4d4d4d);
constexpr Rgb colour_network = hex(0xa8a8a8);
constexpr Rgb colour_text = hex(0x1a1a1a);
// Dark enough to stand out on the light area fills; no orange (the fail fill) or magenta (uncovered).
constexpr std::array<Rgb, 8> category_colours = {hex(0x1f4e9c), hex(0x6a3d9a), hex(0x1b7837), hex(0x252525),
                                                 hex(0x8c510a), hex(0x01665e), hex(0x4393c3), hex(0x762a83)};
constexpr std::array<Rgb, 4> band_colours = {hex(0x3182bd), hex(0x6baed6), hex(0x9ecae1), hex(0xc6dbef)};

enum class Shape { square, triangle, diamond, circle, cross };
constexpr std::array<Shape, 5> category_shapes = {Shape::square, Shape::triangle, Shape::diamond, Shape::circle,
                                                  Shape::cross};

// Layout in points (multiplied by the scale).
constexpr double title_size = 19;
constexpr double subtitle_size = 11.5;
constexpr double heading_size = 11.5;
constexpr double text_size = 10.5;
constexpr double small_size = 9;
constexpr double pad = 12;
constexpr double panel_width = 250;

} // namespace yike::viz::detail
