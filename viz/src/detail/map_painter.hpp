#pragma once
// Drawing primitives of the maps on a cairo context, in points multiplied by the map's scale.
#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "map_style.hpp"
#include "yike/viz/map_render.hpp"

namespace yike::viz::detail {

struct CairoDeleter {
    void operator()(cairo_t* cr) const noexcept { cairo_destroy(cr); }
    void operator()(cairo_surface_t* s) const noexcept { cairo_surface_destroy(s); }
};
using CairoPtr = std::unique_ptr<cairo_t, CairoDeleter>;
using SurfacePtr = std::unique_ptr<cairo_surface_t, CairoDeleter>;

class Painter {
public:
    Painter(cairo_t* cr, const MapRenderOptions& options, double scale) : m_cr(cr), m_options(options), m_scale(scale) {}

    void colour(Rgb c, double alpha = 1.0) const { cairo_set_source_rgba(m_cr, c.r, c.g, c.b, alpha); }

    void font(double size_pt, bool bold = false) const {
        cairo_select_font_face(m_cr, m_options.font.c_str(), CAIRO_FONT_SLANT_NORMAL,
                               bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(m_cr, size_pt * m_scale);
    }

    [[nodiscard]] double text_width(const std::string& text) const {
        cairo_text_extents_t e{};
        cairo_text_extents(m_cr, text.c_str(), &e);
        return e.x_advance;
    }

    // Baseline at y.
    void text(double x, double y, const std::string& text, Rgb c = colour_text) const {
        colour(c);
        cairo_move_to(m_cr, x, y);
        cairo_show_text(m_cr, text.c_str());
        cairo_new_path(m_cr);
    }

    // Text on a white halo so that it reads over the map.
    void halo_text(double x, double y, const std::string& text) const {
        cairo_move_to(m_cr, x, y);
        cairo_text_path(m_cr, text.c_str());
        colour(hex(0xffffff), 0.9);
        cairo_set_line_width(m_cr, 3.0 * m_scale);
        cairo_set_line_join(m_cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke_preserve(m_cr);
        colour(colour_text);
        cairo_fill(m_cr);
    }

    // Lines no wider than max_width: broken at spaces, and a word too wide on its own (Chinese
    // has no spaces) between UTF-8 characters.
    [[nodiscard]] std::vector<std::string> wrap(const std::string& text, double max_width) const {
        std::vector<std::string> lines;
        std::string line;
        std::size_t i = 0;
        while (i <= text.size()) {
            const auto sp = std::min(text.find(' ', i), text.size());
            std::string word = text.substr(i, sp - i);
            i = sp + 1;
            const std::string candidate = line.empty() ? word : line + " " + word;
            if (text_width(candidate) <= max_width) {
                line = candidate;
                continue;
            }
            if (!line.empty()) {
                lines.push_back(line);
                line.clear();
            }
            while (text_width(word) > max_width) {
                std::size_t cut = 0; // longest prefix of whole characters that fits (at least one)
                for (std::size_t k = 1; k <= word.size(); ++k) {
                    if (k < word.size() && (static_cast<unsigned char>(word[k]) & 0xC0) == 0x80) {
                        continue; // inside a character
                    }
                    if (cut != 0 && text_width(word.substr(0, k)) > max_width) {
                        break;
                    }
                    cut = k;
                }
                if (cut >= word.size()) {
                    break;
                }
                lines.push_back(word.substr(0, cut));
                word.erase(0, cut);
            }
            line = word;
        }
        if (!line.empty()) {
            lines.push_back(line);
        }
        return lines;
    }

    void symbol(Shape shape, double x, double y, double half, Rgb fill) const {
        cairo_new_path(m_cr);
        switch (shape) {
        case Shape::square:
            cairo_rectangle(m_cr, x - half, y - half, 2 * half, 2 * half);
            break;
        case Shape::triangle:
            cairo_move_to(m_cr, x, y - 1.2 * half);
            cairo_line_to(m_cr, x + 1.1 * half, y + 0.85 * half);
            cairo_line_to(m_cr, x - 1.1 * half, y + 0.85 * half);
            cairo_close_path(m_cr);
            break;
        case Shape::diamond:
            cairo_move_to(m_cr, x, y - 1.3 * half);
            cairo_line_to(m_cr, x + 1.3 * half, y);
            cairo_line_to(m_cr, x, y + 1.3 * half);
            cairo_line_to(m_cr, x - 1.3 * half, y);
            cairo_close_path(m_cr);
            break;
        case Shape::circle:
            cairo_arc(m_cr, x, y, 1.1 * half, 0, 2 * M_PI);
            break;
        case Shape::cross: {
            const double a = 1.2 * half;
            const double b = 0.42 * half;
            cairo_move_to(m_cr, x - b, y - a);
            cairo_line_to(m_cr, x + b, y - a);
            cairo_line_to(m_cr, x + b, y - b);
            cairo_line_to(m_cr, x + a, y - b);
            cairo_line_to(m_cr, x + a, y + b);
            cairo_line_to(m_cr, x + b, y + b);
            cairo_line_to(m_cr, x + b, y + a);
            cairo_line_to(m_cr, x - b, y + a);
            cairo_line_to(m_cr, x - b, y + b);
            cairo_line_to(m_cr, x - a, y + b);
            cairo_line_to(m_cr, x - a, y - b);
            cairo_line_to(m_cr, x - b, y - b);
            cairo_close_path(m_cr);
            break;
        }
        }
        colour(hex(0xffffff));
        cairo_set_line_width(m_cr, 2.4 * m_scale);
        cairo_set_line_join(m_cr, CAIRO_LINE_JOIN_MITER);
        cairo_stroke_preserve(m_cr);
        colour(fill);
        cairo_fill(m_cr);
    }

    void dot(double x, double y, double r, Rgb fill, double alpha, bool outline) const {
        cairo_new_path(m_cr);
        cairo_arc(m_cr, x, y, r, 0, 2 * M_PI);
        if (outline) {
            colour(hex(0xffffff));
            cairo_set_line_width(m_cr, 0.5 * m_scale);
            cairo_stroke_preserve(m_cr);
        }
        colour(fill, alpha);
        cairo_fill(m_cr);
    }

    [[nodiscard]] cairo_t* cr() const { return m_cr; }
    [[nodiscard]] double s() const { return m_scale; }

private:
    cairo_t* m_cr;
    const MapRenderOptions& m_options;
    double m_scale;
};

} // namespace yike::viz::detail
