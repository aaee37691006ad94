#include "yike/viz/map_render.hpp"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <system_error>
#include <unistd.h>

#include "detail/map_painter.hpp"
#include "detail/map_style.hpp"
#include "detail/scale_bar.hpp"
#include "yike/assert.hpp"
#include "yike/error.hpp"
#include "detail/threshold_text.hpp"
#include "yike/io/number_text.hpp"
#include "yike/io/feature_writer.hpp"

namespace yike::viz {

namespace {

using namespace detail; // the maps' style and painter (detail/map_style.hpp, detail/map_painter.hpp)

using io::percent;
using io::thousands;

using detail::nice_length_m;

struct Bounds {
    double min_x = std::numeric_limits<double>::max();
    double min_y = std::numeric_limits<double>::max();
    double max_x = std::numeric_limits<double>::lowest();
    double max_y = std::numeric_limits<double>::lowest();
    void add(routing::XY p) noexcept {
        min_x = std::min(min_x, p.x_m);
        min_y = std::min(min_y, p.y_m);
        max_x = std::max(max_x, p.x_m);
        max_y = std::max(max_y, p.y_m);
    }
    [[nodiscard]] bool empty() const noexcept { return min_x > max_x; }
};

bool has_layer(const MapRenderOptions& o, MapLayer l) {
    return std::find(o.layers.begin(), o.layers.end(), l) != o.layers.end();
}

bool in_categories(const engine::Target& t, const std::string& category) {
    return std::find(t.categories.begin(), t.categories.end(), category) != t.categories.end();
}

// The areas the target is judged in: communities (or grid cells) unless it is checked per sub-district.
struct AreaLayer {
    const std::vector<engine::AreaInfo>* areas = nullptr;
    const std::vector<engine::UnitResult>* units = nullptr;
};
AreaLayer area_layer(const engine::ReportResults& results, const engine::TargetResult& tr) {
    const bool any_community = std::any_of(tr.communities.begin(), tr.communities.end(), [](const engine::UnitResult& u) {
        return u.status != engine::Status::not_applicable;
    });
    if (any_community || tr.subdistricts.empty()) {
        return {&results.areas.communities, &tr.communities};
    }
    return {&results.areas.subdistricts, &tr.subdistricts};
}

double point_radius(double households, double scale) {
    return scale * std::clamp(0.6 * std::sqrt(std::max(households, 0.0)) + 0.8, 1.4, 8.0);
}

// ---- drawing helpers ----------------------------------------------------------------------


struct LegendEntry {
    enum class Kind { swatch, dot, symbol, line, heading } kind = Kind::swatch;
    Rgb colour{};
    double alpha = 1;
    double radius = 0;     // dot
    Shape shape = Shape::square;
    std::string zh;        // first line (Chinese, or a heading)
    std::string en;        // following line(s), wrapped
};

struct Scene {
    const routing::WalkGraph& graph;
    const engine::CoverageData& data;
    const engine::ReportResults& results;
    const MapRenderOptions& options;
    const engine::Target& target;
    const engine::TargetResult& tr;
};

std::string category_label_zh(const engine::CoverageData& data, const std::string& id) {
    const auto* c = data.categories.find(id);
    return c != nullptr && !c->name_zh.empty() ? c->name_zh : id;
}
std::string category_label_en(const engine::CoverageData& data, const std::string& id) {
    const auto* c = data.categories.find(id);
    return c != nullptr && !c->name_en.empty() ? c->name_en : id;
}

std::string threshold_text(const engine::Target& t) { return detail::threshold_text(t, detail::ThresholdForm::map); }

std::string status_text(engine::Status status) {
    switch (status) {
    case engine::Status::pass: return "达标 pass";
    case engine::Status::fail: return "未达标 fail";
    case engine::Status::report_only: return "仅报告 report only";
    case engine::Status::not_assessable: return "无法评估 not assessable";
    case engine::Status::no_data: return "无数据 no data";
    case engine::Status::no_demand: return "无需求 no demand";
    case engine::Status::not_applicable: return "不适用 not applicable";
    }
    return {};
}

Rgb status_colour(engine::Status status) {
    switch (status) {
    case engine::Status::pass: return colour_pass;
    case engine::Status::fail: return colour_fail;
    case engine::Status::report_only: return colour_report_only;
    default: return colour_other;
    }
}

Rgb share_colour(double share) {
    const auto k = static_cast<std::size_t>(std::clamp(std::floor(share * 5.0), 0.0, 4.0));
    return share_ramp[k];
}

// Households behind each demand point the target leaves uncovered (empty for non-coverage targets).
std::vector<std::uint32_t> uncovered_points(const Scene& sc) {
    std::vector<std::uint32_t> out;
    for (std::uint32_t i = 0; i < sc.tr.covered.size() && i < sc.data.demand.size(); ++i) {
        if (sc.tr.covered[i] == 0) {
            out.push_back(i);
        }
    }
    return out;
}

// Per-area achieved values are shares only for coverage targets (ratios give m² or staff).
bool by_share(const Scene& sc) {
    return sc.options.areas_by_share && sc.target.kind == engine::TargetKind::coverage;
}

bool only_covered_demand(const Scene& sc) {
    return has_layer(sc.options, MapLayer::uncovered) && sc.tr.covered.size() == sc.data.demand.size();
}

void draw_map(const Painter& p, const Scene& sc, const MapFrame& f) {
    cairo_t* cr = p.cr();
    auto to_image = [&](double x_m, double y_m) {
        return routing::XY{f.left + (x_m - f.min_x_m) * f.units_per_m, f.top + (f.max_y_m - y_m) * f.units_per_m};
    };
    auto ring_path = [&](const std::vector<routing::LonLat>& ring) {
        for (std::size_t i = 0; i < ring.size(); ++i) {
            const auto q = f.image_point(ring[i]);
            if (i == 0) {
                cairo_move_to(cr, q.x_m, q.y_m);
            } else {
                cairo_line_to(cr, q.x_m, q.y_m);
            }
        }
        cairo_close_path(cr);
    };

    cairo_save(cr);
    cairo_rectangle(cr, f.left, f.top, f.map_width, f.map_height);
    cairo_clip(cr);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);

    // Areas, filled under everything else.
    const AreaLayer al = area_layer(sc.results, sc.tr);
    const bool draw_areas = has_layer(sc.options, MapLayer::areas);
    if (draw_areas) {
        for (std::size_t a = 0; a < al.areas->size() && a < al.units->size(); ++a) {
            const auto& u = (*al.units)[a];
            if (u.status == engine::Status::not_applicable || u.status == engine::Status::no_demand) {
                continue;
            }
            const Rgb c = by_share(sc) && u.achieved ? share_colour(*u.achieved) : status_colour(u.status);
            cairo_new_path(cr);
            for (const auto& poly : (*al.areas)[a].geometry.polygons) {
                for (const routing::Ring* ring : routing::rings_of(poly)) {
                    ring_path(ring->points);
                }
            }
            p.colour(c, area_alpha);
            cairo_fill(cr);
        }
    }

    // Isochrone bands, largest first so that the smaller stay visible.
    if (has_layer(sc.options, MapLayer::isochrones)) {
        for (std::size_t k = sc.options.bands.size(); k-- > 0;) {
            cairo_new_path(cr);
            for (const auto& poly : sc.options.bands[k].polygon) {
                ring_path(poly.exterior.points);
                for (const auto& h : poly.holes) {
                    ring_path(h.points);
                }
            }
            p.colour(band_colours[std::min(k, band_colours.size() - 1)], 0.35);
            cairo_fill_preserve(cr);
            p.colour(hex(0x08519c), 0.8);
            cairo_set_line_width(cr, 0.8 * p.s());
            cairo_stroke(cr);
        }
    }

    // The walking network as a light base map.
    cairo_new_path(cr);
    const double x_lo = f.min_x_m - 50;
    const double x_hi = f.min_x_m + f.map_width / f.units_per_m + 50;
    const double y_hi = f.max_y_m + 50;
    const double y_lo = f.max_y_m - f.map_height / f.units_per_m - 50;
    for (std::uint32_t e = 0; e < sc.graph.edge_count(); ++e) {
        const auto first = sc.graph.edge_first_point[e];
        const auto last = sc.graph.edge_first_point[e + 1];
        bool inside = false;
        for (auto k = first; k < last && !inside; ++k) {
            const double x = sc.graph.point_x_m[k];
            const double y = sc.graph.point_y_m[k];
            inside = x >= x_lo && x <= x_hi && y >= y_lo && y <= y_hi;
        }
        if (!inside) {
            continue;
        }
        for (auto k = first; k < last; ++k) {
            const auto q = to_image(sc.graph.point_x_m[k], sc.graph.point_y_m[k]);
            if (k == first) {
                cairo_move_to(cr, q.x_m, q.y_m);
            } else {
                cairo_line_to(cr, q.x_m, q.y_m);
            }
        }
    }
    p.colour(colour_network);
    cairo_set_line_width(cr, 0.7 * p.s());
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);

    // Area outlines over the network so that cells stay distinct.
    if (draw_areas) {
        cairo_new_path(cr);
        for (std::size_t a = 0; a < al.areas->size() && a < al.units->size(); ++a) {
            if ((*al.units)[a].status == engine::Status::not_applicable) {
                continue;
            }
            for (const auto& poly : (*al.areas)[a].geometry.polygons) {
                for (const routing::Ring* ring : routing::rings_of(poly)) {
                    ring_path(ring->points);
                }
            }
        }
        p.colour(hex(0x5a5a5a), 0.7);
        cairo_set_line_width(cr, 0.6 * p.s());
        cairo_stroke(cr);
    }

    // Points: all demand, then the uncovered on top, largest first so that small ones stay visible.
    auto by_size_desc = [&](std::vector<std::uint32_t> ids) {
        std::stable_sort(ids.begin(), ids.end(), [&](std::uint32_t a, std::uint32_t b) {
            return sc.data.demand[a].households > sc.data.demand[b].households;
        });
        return ids;
    };
    if (has_layer(sc.options, MapLayer::demand)) {
        // Beside the uncovered layer only the covered are drawn, so that the grey reads as covered.
        const bool only_covered = only_covered_demand(sc);
        std::vector<std::uint32_t> all;
        for (std::uint32_t i = 0; i < sc.data.demand.size(); ++i) {
            if (!only_covered || sc.tr.covered[i] != 0) {
                all.push_back(i);
            }
        }
        for (const auto i : by_size_desc(std::move(all))) {
            const auto q = f.image_point(sc.data.demand[i].location);
            p.dot(q.x_m, q.y_m, point_radius(sc.data.demand[i].households, p.s()), colour_demand, 0.55, false);
        }
    }
    if (has_layer(sc.options, MapLayer::uncovered)) {
        for (const auto i : by_size_desc(uncovered_points(sc))) {
            const auto q = f.image_point(sc.data.demand[i].location);
            p.dot(q.x_m, q.y_m, point_radius(sc.data.demand[i].households, p.s()), colour_uncovered, 1.0, true);
        }
    }
    if (has_layer(sc.options, MapLayer::facilities)) {
        for (std::size_t ci = 0; ci < sc.target.categories.size(); ++ci) {
            for (const auto& fac : sc.data.facilities) {
                if (fac.category != sc.target.categories[ci]) {
                    continue;
                }
                const auto q = f.image_point(fac.location);
                p.symbol(category_shapes[ci % category_shapes.size()], q.x_m, q.y_m, 5.0 * p.s(),
                         category_colours[ci % category_colours.size()]);
            }
        }
    }
    cairo_restore(cr);

    // Frame line around the map.
    cairo_rectangle(cr, f.left, f.top, f.map_width, f.map_height);
    p.colour(hex(0x808080));
    cairo_set_line_width(cr, 0.8 * p.s());
    cairo_stroke(cr);
}

void draw_furniture(const Painter& p, const Scene& sc, const MapFrame& f) {
    cairo_t* cr = p.cr();
    const double s = p.s();
    // Scale bar, bottom left of the map: a round length of about a fifth of the map's width.
    const double width_m = f.map_width / f.units_per_m;
    const double bar_m = nice_length_m(width_m / 5.0);
    const double bar = bar_m * f.units_per_m;
    const double bx = f.left + pad * s;
    const double by = f.top + f.map_height - pad * s - 4 * s;
    cairo_rectangle(cr, bx - 5 * s, by - 20 * s, bar + 10 * s, 30 * s);
    p.colour(hex(0xffffff), 0.85);
    cairo_fill(cr);
    cairo_rectangle(cr, bx, by, bar / 2, 5 * s);
    p.colour(colour_text);
    cairo_fill(cr);
    cairo_rectangle(cr, bx + bar / 2, by, bar / 2, 5 * s);
    p.colour(hex(0xffffff));
    cairo_fill_preserve(cr);
    p.colour(colour_text);
    cairo_set_line_width(cr, 0.8 * s);
    cairo_stroke(cr);
    cairo_rectangle(cr, bx, by, bar, 5 * s);
    cairo_stroke(cr);
    p.font(small_size);
    const std::string bar_label = bar_m >= 1000 ? io::format_number(bar_m / 1000) + " km" : io::format_number(bar_m) + " m";
    p.text(bx, by - 5 * s, "0");
    p.text(bx + bar - p.text_width(bar_label) / 2, by - 5 * s, bar_label);

    // North arrow, top right of the map: the local projection is conformal and centred on the
    // data, so grid north is true north to within a fraction of a degree.
    const double ax = f.left + f.map_width - pad * s - 12 * s;
    const double ay = f.top + pad * s;
    cairo_rectangle(cr, ax - 14 * s, ay - 4 * s, 28 * s, 52 * s);
    p.colour(hex(0xffffff), 0.85);
    cairo_fill(cr);
    cairo_move_to(cr, ax, ay);
    cairo_line_to(cr, ax + 9 * s, ay + 30 * s);
    cairo_line_to(cr, ax, ay + 23 * s);
    cairo_close_path(cr);
    p.colour(colour_text);
    cairo_fill(cr);
    cairo_move_to(cr, ax, ay);
    cairo_line_to(cr, ax - 9 * s, ay + 30 * s);
    cairo_line_to(cr, ax, ay + 23 * s);
    cairo_close_path(cr);
    cairo_set_line_width(cr, 0.9 * s);
    cairo_stroke(cr);
    p.font(text_size, true);
    p.text(ax - p.text_width("N") / 2, ay + 44 * s, "N");

    // Attribution, bottom right of the map.
    p.font(small_size);
    const double aw = p.text_width(sc.options.attribution);
    const double tx = f.left + f.map_width - aw - 6 * s;
    const double ty = f.top + f.map_height - 6 * s;
    cairo_rectangle(cr, tx - 4 * s, ty - small_size * s - 1 * s, aw + 8 * s, small_size * s + 6 * s);
    p.colour(hex(0xffffff), 0.85);
    cairo_fill(cr);
    p.text(tx, ty, sc.options.attribution, hex(0x333333));
}

std::vector<LegendEntry> legend_entries(const Scene& sc) {
    using K = LegendEntry::Kind;
    std::vector<LegendEntry> out;
    const auto& o = sc.options;
    if (has_layer(o, MapLayer::areas)) {
        const AreaLayer al = area_layer(sc.results, sc.tr);
        const bool sub = al.areas == &sc.results.areas.subdistricts;
        const bool grid = sc.results.areas.grid && !sub;
        LegendEntry h;
        h.kind = K::heading;
        h.zh = sub ? "街道 Sub-districts" : (grid ? "网格 Grid cells (" + io::format_number(sc.data.grid.cell_m) + " m)"
                                                 : "社区 Communities");
        out.push_back(h);
        if (by_share(sc)) {
            static constexpr std::array<const char*, 5> labels = {"0–20 %", "20–40 %", "40–60 %", "60–80 %", "80–100 %"};
            for (std::size_t k = 0; k < share_ramp.size(); ++k) {
                out.push_back({K::swatch, share_ramp[k], area_alpha, 0, Shape::square,
                               std::string("覆盖率 ") + labels[k], std::string("achieved ") + labels[k]});
            }
        } else {
            std::array<std::size_t, static_cast<std::size_t>(engine::Status::not_applicable) + 1> count{};
            for (std::size_t a = 0; a < al.units->size(); ++a) {
                ++count[static_cast<std::size_t>((*al.units)[a].status)];
            }
            for (const auto st : {engine::Status::pass, engine::Status::fail, engine::Status::report_only,
                                  engine::Status::not_assessable, engine::Status::no_data}) {
                const auto n = count[static_cast<std::size_t>(st)];
                if (n == 0 && st != engine::Status::pass && st != engine::Status::fail) {
                    continue;
                }
                const auto text = status_text(st);
                const auto sp = text.find(' ');
                out.push_back({K::swatch, status_colour(st), area_alpha, 0, Shape::square, text.substr(0, sp),
                               text.substr(sp + 1) + " (" + thousands(static_cast<double>(n)) + ")"});
            }
        }
    }
    if (has_layer(o, MapLayer::isochrones) && !o.bands.empty()) {
        LegendEntry h;
        h.kind = K::heading;
        h.zh = "步行范围 Walking reach";
        out.push_back(h);
        for (std::size_t k = 0; k < o.bands.size(); ++k) {
            const auto& label = o.bands[k].label;
            const auto sp = label.find('|');
            out.push_back({K::swatch, band_colours[std::min(k, band_colours.size() - 1)], 0.35, 0, Shape::square,
                           sp == std::string::npos ? label : label.substr(0, sp),
                           sp == std::string::npos ? "" : label.substr(sp + 1)});
        }
    }
    if (has_layer(o, MapLayer::uncovered)) {
        LegendEntry h;
        h.kind = K::heading;
        h.zh = "未覆盖住户 Uncovered households";
        out.push_back(h);
        if (sc.tr.covered.empty()) {
            out.push_back({K::line, colour_other, 0, 0, Shape::square, "", "not a walking-distance target"});
        } else {
            double households = 0;
            const auto ids = uncovered_points(sc);
            for (const auto i : ids) {
                households += sc.data.demand[i].households;
            }
            out.push_back({K::line, colour_other, 0, 0, Shape::square, "",
                           thousands(households) + " households in " + thousands(static_cast<double>(ids.size())) +
                               " buildings / points"});
            for (const double hh : {5.0, 25.0, 100.0}) {
                out.push_back({K::dot, colour_uncovered, 1.0, point_radius(hh, 1.0), Shape::circle,
                               io::format_number(hh) + " 户", io::format_number(hh) + " households"});
            }
        }
    }
    if (has_layer(o, MapLayer::demand) && only_covered_demand(sc)) {
        double households = 0;
        for (std::size_t i = 0; i < sc.data.demand.size(); ++i) {
            households += sc.tr.covered[i] != 0 ? sc.data.demand[i].households : 0.0;
        }
        out.push_back({K::dot, colour_demand, 0.55, point_radius(25, 1.0), Shape::circle, "已覆盖住户",
                       "covered households (" + thousands(households) + "), sized alike"});
    } else if (has_layer(o, MapLayer::demand)) {
        LegendEntry h;
        h.kind = K::heading;
        h.zh = "住户 Households";
        out.push_back(h);
        for (const double hh : {5.0, 25.0, 100.0}) {
            out.push_back({K::dot, colour_demand, 0.55, point_radius(hh, 1.0), Shape::circle,
                           io::format_number(hh) + " 户", io::format_number(hh) + " households"});
        }
    }
    if (has_layer(o, MapLayer::facilities)) {
        LegendEntry h;
        h.kind = K::heading;
        h.zh = "设施 Facilities";
        out.push_back(h);
        for (std::size_t ci = 0; ci < sc.target.categories.size(); ++ci) {
            const auto& id = sc.target.categories[ci];
            const auto n = std::count_if(sc.data.facilities.begin(), sc.data.facilities.end(),
                                         [&](const io::FacilityRecord& r) { return r.category == id; });
            out.push_back({K::symbol, category_colours[ci % category_colours.size()], 1.0, 0,
                           category_shapes[ci % category_shapes.size()], category_label_zh(sc.data, id),
                           category_label_en(sc.data, id) + " (" + thousands(static_cast<double>(n)) + ")"});
        }
    }
    out.push_back({K::heading, {}, 0, 0, Shape::square, "底图 Base map", ""});
    out.push_back({K::line, colour_network, 1.0, 0, Shape::square, "步行网络", "walking network"});
    return out;
}

// Draws the legend in the panel [x, x + w] from y; returns the y below it.
double draw_legend(const Painter& p, const std::vector<LegendEntry>& entries, double x, double y, double w) {
    using K = LegendEntry::Kind;
    cairo_t* cr = p.cr();
    const double s = p.s();
    const double key_w = 26 * s;
    const double line_h = text_size * 1.35 * s;
    for (const auto& e : entries) {
        if (e.kind == K::heading) {
            y += 0.6 * line_h;
            p.font(heading_size, true);
            for (const auto& l : p.wrap(e.zh, w)) {
                y += heading_size * 1.35 * s;
                p.text(x, y, l);
            }
            y += 0.25 * line_h;
            continue;
        }
        p.font(text_size);
        std::vector<std::string> lines = p.wrap(e.zh, w - key_w);
        const std::size_t zh_lines = lines.size();
        for (auto& l : p.wrap(e.en, w - key_w)) {
            lines.push_back(std::move(l));
        }
        const double top = y;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            y += line_h;
            p.text(x + (e.kind == K::line && e.zh.empty() ? 0 : key_w), y, lines[i],
                   i < zh_lines ? colour_text : hex(0x404040));
        }
        const double kx = x + key_w / 2 - 3 * s;
        const double ky = top + 0.5 * line_h + 0.3 * text_size * s;
        switch (e.kind) {
        case K::swatch:
            cairo_rectangle(cr, kx - 9 * s, ky - 6 * s, 18 * s, 12 * s);
            p.colour(e.colour, e.alpha);
            cairo_fill_preserve(cr);
            p.colour(hex(0x5a5a5a), 0.7);
            cairo_set_line_width(cr, 0.6 * s);
            cairo_stroke(cr);
            break;
        case K::dot:
            p.dot(kx, ky, e.radius * s, e.colour, e.alpha, true);
            break;
        case K::symbol:
            p.symbol(e.shape, kx, ky, 5.0 * s, e.colour);
            break;
        case K::line:
            if (!e.zh.empty()) {
                cairo_move_to(cr, kx - 10 * s, ky);
                cairo_line_to(cr, kx + 10 * s, ky);
                p.colour(e.colour);
                cairo_set_line_width(cr, 1.2 * s);
                cairo_stroke(cr);
            }
            break;
        case K::heading:
            break;
        }
        y += 0.25 * line_h;
    }
    return y;
}

std::string subtitle_standard(const Scene& sc) {
    return sc.data.standard.name_zh + "  " + sc.data.standard.name_en;
}

// "target · threshold · achieved x %, required y % → result": spaces inside numbers are
// no-break spaces so that wrapping never separates a number from its unit.
std::string subtitle_result(const Scene& sc) {
    const auto& t = sc.target;
    const auto& ov = sc.tr.overall;
    std::string sub = t.id;
    const auto th = threshold_text(t);
    if (!th.empty()) {
        sub += " · " + th;
    }
    // Overall results are shares (of the basis, or of the areas passing).
    auto value = [&](double v) {
        auto text = percent(v);
        text.replace(text.find(' '), 1, "\u00a0");
        return text;
    };
    if (ov.achieved) {
        sub += " · achieved " + value(*ov.achieved);
        if (t.kind != engine::TargetKind::coverage || t.basis == engine::Basis::communities) {
            sub += " (" + std::to_string(ov.units_passing) + "/" + std::to_string(ov.units) + " areas)";
        }
        if (ov.required) {
            sub += ", required " + value(*ov.required);
        }
    }
    sub += " → " + status_text(ov.status);
    if (!t.confirmed) {
        sub += " · 未核实 unconfirmed";
    }
    return sub;
}

void draw_titles(const Painter& p, const Scene& sc, const MapFrame& f) {
    const double s = p.s();
    const auto& t = sc.target;
    std::string title = sc.options.title;
    if (title.empty()) {
        title = t.name_zh.empty() ? t.name_en : t.name_zh + "  " + t.name_en;
    }
    p.font(title_size, true);
    double y = pad * s;
    for (const auto& l : p.wrap(title, f.width - 2 * pad * s)) {
        y += title_size * 1.25 * s;
        p.text(pad * s, y, l);
    }
    p.font(subtitle_size);
    for (const auto& line : {subtitle_standard(sc), subtitle_result(sc)}) {
        for (const auto& l : p.wrap(line, f.width - 2 * pad * s)) {
            y += subtitle_size * 1.4 * s;
            p.text(pad * s, y, l, hex(0x333333));
        }
    }
}

// Height of the title block (so that the map starts below it).
double titles_height(const Painter& p, const Scene& sc, int width) {
    const double s = p.s();
    const auto& t = sc.target;
    std::string title = sc.options.title.empty() ? (t.name_zh.empty() ? t.name_en : t.name_zh + "  " + t.name_en)
                                                 : sc.options.title;
    p.font(title_size, true);
    const auto n_title = p.wrap(title, width - 2 * pad * s).size();
    p.font(subtitle_size);
    const auto n_sub = p.wrap(subtitle_standard(sc), width - 2 * pad * s).size() +
                       p.wrap(subtitle_result(sc), width - 2 * pad * s).size();
    return pad * s + static_cast<double>(n_title) * title_size * 1.25 * s +
           static_cast<double>(n_sub) * subtitle_size * 1.4 * s + pad * s;
}

MapFrame compute_frame(const Scene& sc, const Painter* painter) {
    const auto& o = sc.options;
    MapFrame f;
    f.projection = sc.graph.projection;
    f.width = o.width;
    f.scale = o.scale > 0 ? o.scale : std::max(0.5, o.width / 1200.0);
    const double s = f.scale;

    Bounds b;
    const auto& proj = sc.graph.projection;
    for (const auto& d : sc.data.demand) {
        b.add(proj.forward(d.location));
    }
    for (const auto& fac : sc.data.facilities) {
        if (in_categories(sc.target, fac.category)) {
            b.add(proj.forward(fac.location));
        }
    }
    if (has_layer(o, MapLayer::areas)) {
        const AreaLayer al = area_layer(sc.results, sc.tr);
        for (std::size_t a = 0; a < al.areas->size() && a < al.units->size(); ++a) {
            if ((*al.units)[a].status == engine::Status::not_applicable) {
                continue;
            }
            for (const auto& poly : (*al.areas)[a].geometry.polygons) {
                for (const routing::Ring* ring : routing::rings_of(poly)) {
                    for (const auto& q : ring->points) {
                        b.add(proj.forward(q));
                    }
                }
            }
        }
    }
    if (has_layer(o, MapLayer::isochrones)) {
        for (const auto& band : o.bands) {
            for (const auto& poly : band.polygon) {
                for (const auto& q : poly.exterior.points) {
                    b.add(proj.forward(q));
                }
            }
        }
    }
    if (b.empty()) {
        for (std::size_t i = 0; i < sc.graph.point_x_m.size(); ++i) {
            b.add({sc.graph.point_x_m[i], sc.graph.point_y_m[i]});
        }
    }
    if (b.empty()) {
        b.add({-500, -500});
        b.add({500, 500});
    }
    b.min_x -= o.margin_m;
    b.min_y -= o.margin_m;
    b.max_x += o.margin_m;
    b.max_y += o.margin_m;
    const double dx = b.max_x - b.min_x;
    const double dy = b.max_y - b.min_y;

    const double title_h = painter != nullptr ? titles_height(*painter, sc, o.width) : 80 * s;
    const double panel = std::min(panel_width * s, 0.4 * o.width);
    f.map_width = o.width - panel - 2 * pad * s;
    if (f.map_width <= 0) {
        throw config_error("map: width " + std::to_string(o.width) + " is too small for the legend");
    }
    // The data stays clear of the north arrow (top right) and the scale bar (bottom left).
    const double inset_x = 34 * s;
    const double inset_y = 60 * s;
    if (o.height > 0) {
        f.height = o.height;
    } else {
        double legend_h = 0;
        if (painter != nullptr) {
            const double lw = o.width - (pad * s + f.map_width + pad * s) - pad * s;
            legend_h = draw_legend(*painter, legend_entries(sc), 0, 0, lw) + 2 * pad * s;
        }
        const double natural = std::max(title_h + (f.map_width - 2 * inset_x) * dy / dx + 2 * inset_y + pad * s,
                                        title_h + legend_h);
        f.height = static_cast<int>(std::ceil(std::clamp(natural, 0.4 * o.width, 2.0 * o.width)));
    }
    f.map_height = f.height - title_h - pad * s;
    if (f.map_height <= 0) {
        throw config_error("map: height " + std::to_string(f.height) + " leaves no room for the map");
    }
    f.units_per_m = std::min(std::max(f.map_width - 2 * inset_x, 0.5 * f.map_width) / dx,
                             std::max(f.map_height - 2 * inset_y, 0.5 * f.map_height) / dy);
    // Centre the extent in the map panel.
    const double cx = (b.min_x + b.max_x) / 2;
    const double cy = (b.min_y + b.max_y) / 2;
    f.left = pad * s;
    f.top = title_h;
    f.min_x_m = cx - f.map_width / 2 / f.units_per_m;
    f.max_y_m = cy + f.map_height / 2 / f.units_per_m;
    return f;
}

Scene make_scene(const routing::WalkGraph& graph, const engine::CoverageData& data,
                 const engine::ReportResults& results, const MapRenderOptions& options) {
    const auto t = find_target(data, options.target_id);
    YIKE_ASSERT(t < results.targets.size());
    return Scene{graph, data, results, options, data.standard.targets[t], results.targets[t]};
}

void check_surface(cairo_surface_t* surface, const std::filesystem::path& path) {
    const auto st = cairo_surface_status(surface);
    if (st != CAIRO_STATUS_SUCCESS) {
        throw io_error(path.string() + ": cannot write the map image: " + cairo_status_to_string(st));
    }
}

} // namespace

routing::XY MapFrame::image_point(routing::LonLat p) const noexcept {
    const auto xy = projection.forward(p);
    return {left + (xy.x_m - min_x_m) * units_per_m, top + (max_y_m - xy.y_m) * units_per_m};
}

std::size_t find_target(const engine::CoverageData& data, std::string_view target_id) {
    const auto& targets = data.standard.targets;
    for (std::size_t i = 0; i < targets.size(); ++i) {
        if (targets[i].id == target_id) {
            return i;
        }
    }
    std::string known;
    for (const auto& t : targets) {
        known += (known.empty() ? "" : ", ") + t.id;
    }
    throw config_error("target '" + std::string(target_id) + "' is not in standard '" + data.standard.id +
                       "' (targets: " + known + ")");
}

MapFrame map_frame(const routing::WalkGraph& graph, const engine::CoverageData& data,
                   const engine::ReportResults& results, const MapRenderOptions& options) {
    const Scene sc = make_scene(graph, data, results, options);
    // Text is measured on a small image surface: the layout is the same for every format.
    const SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 4, 4));
    const CairoPtr cr(cairo_create(surface.get()));
    const double scale = options.scale > 0 ? options.scale : std::max(0.5, options.width / 1200.0);
    const Painter painter(cr.get(), options, scale);
    return compute_frame(sc, &painter);
}

void render_map(const std::filesystem::path& path, const routing::WalkGraph& graph,
                const engine::CoverageData& data, const engine::ReportResults& results,
                const MapRenderOptions& options) {
    const auto format = image_format_for(path);
    if (!format) {
        throw config_error(path.string() + ": unknown image format '" + path.extension().string() +
                           "' (use .png, .svg or .pdf)");
    }
    if (options.width < 200 || options.width > 20'000 || options.height < 0 || options.height > 20'000) {
        throw config_error("map: size " + std::to_string(options.width) + " x " + std::to_string(options.height) +
                           " is outside 200..20000");
    }
    const Scene sc = make_scene(graph, data, results, options);
    const MapFrame f = map_frame(graph, data, results, options);

    const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    const auto temp = dir / ("." + path.filename().string() + ".tmp" + std::to_string(::getpid()));
    SurfacePtr surface;
    switch (*format) {
    case ImageFormat::png:
        surface.reset(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, f.width, f.height));
        break;
    case ImageFormat::svg:
        surface.reset(cairo_svg_surface_create(temp.c_str(), f.width, f.height));
        break;
    case ImageFormat::pdf:
        surface.reset(cairo_pdf_surface_create(temp.c_str(), f.width, f.height));
        // A fixed date instead of the time of writing: the same inputs give the same bytes.
        cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, "2000-01-01T00:00:00Z");
        cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "yike");
        break;
    }
    try {
        check_surface(surface.get(), temp);
        {
            const CairoPtr cr(cairo_create(surface.get()));
            const Painter p(cr.get(), options, f.scale);
            cairo_rectangle(cr.get(), 0, 0, f.width, f.height);
            p.colour(hex(0xffffff));
            cairo_fill(cr.get());
            draw_map(p, sc, f);
            draw_furniture(p, sc, f);
            draw_titles(p, sc, f);
            const double lx = f.left + f.map_width + pad * f.scale;
            const double lw = f.width - lx - pad * f.scale;
            const auto entries = legend_entries(sc);
            // A legend taller than the map (a wide, low image) is drawn smaller so that it fits.
            double legend_scale = f.scale;
            {
                const SurfacePtr scratch(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 4, 4));
                const CairoPtr scratch_cr(cairo_create(scratch.get()));
                const double need = draw_legend(Painter(scratch_cr.get(), options, f.scale), entries, 0, 0, lw);
                const double room = f.map_height;
                if (need > room && need > 0) {
                    legend_scale = f.scale * std::max(0.4, room / need * 0.97);
                }
            }
            const Painter lp(cr.get(), options, legend_scale);
            draw_legend(lp, entries, lx, f.top - 0.6 * text_size * 1.35 * legend_scale, lw);
            const auto st = cairo_status(cr.get());
            if (st != CAIRO_STATUS_SUCCESS) {
                throw io_error(path.string() + ": cannot draw the map: " + cairo_status_to_string(st));
            }
        }
        if (*format == ImageFormat::png) {
            const auto st = cairo_surface_write_to_png(surface.get(), temp.c_str());
            if (st != CAIRO_STATUS_SUCCESS) {
                throw io_error(path.string() + ": cannot write the map image: " + cairo_status_to_string(st));
            }
        } else {
            cairo_surface_finish(surface.get());
            check_surface(surface.get(), path);
        }
        surface.reset();
        std::error_code ec;
        std::filesystem::rename(temp, path, ec);
        if (ec) {
            throw io_error(path.string() + ": cannot write the map image: " + ec.message());
        }
    } catch (...) {
        surface.reset();
        std::error_code ignored;
        std::filesystem::remove(temp, ignored);
        throw;
    }
}

} // namespace yike::viz
