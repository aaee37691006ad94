// The HTML report on the Monaco run: self-contained (nothing loaded from elsewhere), the target
// table and bilingual names, the embedded map data decoded back and checked against the run, the
// reach polygons, determinism, and report.html written by the report folder's writer inside its atomic replacement.
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <regex>
#include <stdexcept>
#include <set>
#include <string>
#include <vector>

#include "support/file_size_limit.hpp"
#include "support/temp_dir.hpp"
#include "yike/engine/coverage_run.hpp"
#include "yike/engine/report.hpp"
#include "yike/io/markup_text.hpp"
#include "yike/viz/html_report.hpp"
#include "yike/viz/report.hpp"

namespace yike::viz {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
    std::ifstream f(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), {}};
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

// The page without the contents of its <script> blocks (Leaflet's source names URLs in strings
// it never loads here).
std::string markup_only(const std::string& html) {
    std::string out;
    std::size_t at = 0;
    while (true) {
        const auto open = html.find("<script", at);
        if (open == std::string::npos) break;
        const auto body = html.find('>', open);
        const auto close = html.find("</script>", body);
        EXPECT_NE(close, std::string::npos);
        out += html.substr(at, body + 1 - at);
        at = close;
    }
    return out + html.substr(at);
}

std::string escaped(const std::string& text) { return yike::io::markup_text(text, yike::io::Markup::html); }

std::string thousands(double v) {
    const std::string digits = std::to_string(std::llround(v));
    std::string s;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i != 0 && (digits.size() - i) % 3 == 0) s.push_back(',');
        s.push_back(digits[i]);
    }
    return s;
}

class HtmlReportTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        engine::CoverageSettings s;
        s.osm = fs::path(YIKE_DATA_DIR) / "osm" / "monaco.osm.pbf";
        s.threads = 2; // the default standard, beijing-15min
        s_networks = std::make_unique<engine::CoverageNetworks>();
        s_data = std::make_unique<engine::CoverageData>(engine::run_coverage(s, {}, s_networks.get()));
        s_results = std::make_unique<engine::ReportResults>(engine::evaluate(*s_data));
        s_html = std::make_unique<std::string>(render_html_report(input()));
    }
    static void TearDownTestSuite() {
        s_html.reset();
        s_results.reset();
        s_data.reset();
        s_networks.reset();
    }
    static HtmlReportInput input() {
        return HtmlReportInput{*s_data, *s_results, s_networks->graph(false), s_networks->graph(true),
                               s_networks->facility_walk, s_networks->facility_senior};
    }
    static nlohmann::json embedded_data(const std::string& html) {
        const std::string open = "<script type=\"application/json\" id=\"yike-data\">";
        const auto begin = html.find(open);
        EXPECT_NE(begin, std::string::npos);
        const auto end = html.find("</script>", begin);
        return nlohmann::json::parse(html.substr(begin + open.size(), end - begin - open.size()));
    }

    static std::unique_ptr<engine::CoverageNetworks> s_networks;
    static std::unique_ptr<engine::CoverageData> s_data;
    static std::unique_ptr<engine::ReportResults> s_results;
    static std::unique_ptr<std::string> s_html;
    yike::test::TempDir m_tmp;
    const fs::path& m_dir = m_tmp.dir();
};
std::unique_ptr<engine::CoverageNetworks> HtmlReportTest::s_networks;
std::unique_ptr<engine::CoverageData> HtmlReportTest::s_data;
std::unique_ptr<engine::ReportResults> HtmlReportTest::s_results;
std::unique_ptr<std::string> HtmlReportTest::s_html;

TEST_F(HtmlReportTest, IsSelfContainedWithBilingualTableAndChart) {
    const std::string& html = *s_html;
    ASSERT_EQ(html.rfind("<!DOCTYPE html>", 0), 0U);
    const std::string markup = markup_only(html);
    // Nothing is loaded from a file or a server: no external scripts, stylesheets, images or frames.
    EXPECT_EQ(count(markup, "<script src"), 0U);
    EXPECT_EQ(count(markup, "<link"), 0U);
    EXPECT_EQ(count(markup, "<img"), 0U);
    EXPECT_EQ(count(markup, "<iframe"), 0U);
    EXPECT_FALSE(std::regex_search(markup, std::regex(R"((src|href)\s*=\s*["']?\s*(https?:)?//)", std::regex::icase)));
    EXPECT_EQ(count(markup, "url("), 0U) << "a stylesheet would load an image";
    EXPECT_EQ(count(markup, "@import"), 0U);
    // Leaflet and the page's own script and style are inlined.
    EXPECT_NE(html.find("L.map('map'"), std::string::npos);
    EXPECT_NE(html.find(".leaflet-pane"), std::string::npos);
    EXPECT_NE(html.find("#chart .req"), std::string::npos);
    EXPECT_EQ(count(html, "<script>"), 2U);
    // Mark-up outside the scripts names no http(s) address at all but the SVG namespace.
    std::string rest = markup;
    for (auto at = rest.find("http://www.w3.org/2000/svg"); at != std::string::npos; at = rest.find("http://www.w3.org/2000/svg"))
        rest.erase(at, 26);
    EXPECT_EQ(rest.find("http://"), std::string::npos);
    EXPECT_EQ(rest.find("https://"), std::string::npos);
    // The table, the chart and the bilingual labels.
    EXPECT_NE(html.find("© OpenStreetMap contributors, ODbL"), std::string::npos);
    EXPECT_NE(html.find("15分钟生活圈覆盖报告"), std::string::npos);
    EXPECT_NE(html.find(escaped(s_data->standard.name_zh)), std::string::npos);
    EXPECT_NE(html.find(escaped(s_data->standard.name_en)), std::string::npos);
    ASSERT_FALSE(s_results->targets.empty());
    std::size_t coverage_targets = 0;
    for (const auto& tr : s_results->targets) {
        const auto& t = s_data->standard.targets[tr.target];
        const std::string open = "<tr data-target=\"" + t.id + "\"";
        ASSERT_EQ(count(html, open), 1U) << t.id;
        const auto row_begin = html.find(open);
        const std::string row = html.substr(row_begin, html.find("</tr>", row_begin) - row_begin);
        EXPECT_NE(row.find(escaped(t.name_zh)), std::string::npos) << t.id;
        EXPECT_NE(row.find(escaped(t.name_en)), std::string::npos) << t.id;
        for (const auto& c : t.categories) {
            const auto* category = s_data->categories.find(c);
            ASSERT_NE(category, nullptr) << c;
            EXPECT_NE(row.find(escaped(category->name_zh)), std::string::npos) << t.id << " " << c;
            EXPECT_NE(row.find(escaped(category->name_en)), std::string::npos) << t.id << " " << c;
        }
        const bool pass = tr.overall.status == engine::Status::pass;
        const bool fail = tr.overall.status == engine::Status::fail;
        // Results carry each language in its own span (--lang hides one).
        EXPECT_EQ(row.find(">达标</span> <span class=\"en\">pass<") != std::string::npos && row.find("未达标") == std::string::npos,
                  pass) << t.id;
        EXPECT_EQ(row.find(">未达标</span> <span class=\"en\">fail<") != std::string::npos, fail) << t.id;
        if (t.kind == engine::TargetKind::coverage) {
            ++coverage_targets;
            char achieved[32];
            std::snprintf(achieved, sizeof achieved, "%.1f %%", 100.0 * tr.overall.achieved.value_or(0));
            if (t.basis != engine::Basis::communities) {
                EXPECT_NE(row.find(std::string("<td>") + achieved + "</td>"), std::string::npos) << t.id << " " << achieved;
            }
            if (t.required_share) {
                char required[32];
                std::snprintf(required, sizeof required, "%.1f %%", 100.0 * *t.required_share);
                EXPECT_NE(row.find(required), std::string::npos) << t.id;
            }
            EXPECT_NE(row.find("<td class=\"num\">" + thousands(tr.overall.uncovered.households) + "</td>"), std::string::npos)
                << t.id;
            // One bar per coverage target in the chart.
            EXPECT_EQ(count(html, "<g class=\"bar " + std::string(engine::to_string(tr.overall.status)) +
                                      "\" data-target=\"" + t.id + "\">"),
                      1U)
                << t.id;
        }
    }
    EXPECT_GT(coverage_targets, 0U);
    EXPECT_EQ(count(html, "<g class=\"bar "), coverage_targets);
}

TEST_F(HtmlReportTest, EmbeddedDataAndReachMatchTheRun) {
    const auto j = embedded_data(*s_html);
    const auto& d = *s_data;
    ASSERT_EQ(j["facilities"]["cat"].size(), d.facilities.size());
    ASSERT_EQ(j["facilities"]["xy"].size(), 2 * d.facilities.size());
    ASSERT_EQ(j["demand"]["hh"].size(), d.demand.size());
    ASSERT_EQ(j["targets"].size(), s_results->targets.size());
    ASSERT_EQ(j["communities"].size(), s_results->areas.communities.size());
    // Facility positions decode to the records' locations (1e-6 degrees) and categories.
    long long x = 0;
    long long y = 0;
    for (std::size_t i = 0; i < d.facilities.size(); ++i) {
        x += j["facilities"]["xy"][2 * i].get<long long>();
        y += j["facilities"]["xy"][2 * i + 1].get<long long>();
        EXPECT_NEAR(static_cast<double>(x) * 1e-6, d.facilities[i].location.lon, 6e-7);
        EXPECT_NEAR(static_cast<double>(y) * 1e-6, d.facilities[i].location.lat, 6e-7);
        const auto cat = j["facilities"]["cat"][i].get<std::size_t>();
        EXPECT_EQ(j["categories"][cat]["id"].get<std::string>(), d.facilities[i].category);
    }
    // The network decodes into polylines inside the graph's bounding box.
    const auto& g = s_networks->graph(false);
    const auto [lon_min, lon_max] = std::minmax_element(g.point_lon_e7.begin(), g.point_lon_e7.end());
    const auto [lat_min, lat_max] = std::minmax_element(g.point_lat_e7.begin(), g.point_lat_e7.end());
    const auto& net = j["network"];
    std::size_t i = 0;
    std::size_t lines = 0;
    x = 0;
    y = 0;
    while (i < net.size()) {
        const auto n = net[i++].get<std::size_t>();
        ASSERT_GE(n, 2U);
        for (std::size_t k = 0; k < n; ++k) {
            x += net[i++].get<long long>();
            y += net[i++].get<long long>();
            ASSERT_GE(x * 10, *lon_min - 10);
            ASSERT_LE(x * 10, *lon_max + 10);
            ASSERT_GE(y * 10, *lat_min - 10);
            ASSERT_LE(y * 10, *lat_max + 10);
        }
        ++lines;
    }
    EXPECT_EQ(i, net.size());
    EXPECT_GT(lines, g.edge_count() * 9 / 10); // only edges shorter than the rounding vanish
    // Uncovered demand per target: exactly the points the evaluation left uncovered.
    for (std::size_t k = 0; k < s_results->targets.size(); ++k) {
        const auto& tr = s_results->targets[k];
        std::vector<std::uint32_t> expected;
        for (std::uint32_t p = 0; p < tr.covered.size(); ++p) {
            if (tr.covered[p] == 0) expected.push_back(p);
        }
        std::vector<std::uint32_t> got;
        std::uint32_t at = 0;
        for (std::size_t u = 0; u < j["targets"][k]["uncovered"].size(); ++u) {
            const auto v = j["targets"][k]["uncovered"][u].get<std::uint32_t>();
            at = u == 0 ? v : at + v;
            got.push_back(at);
        }
        EXPECT_EQ(got, expected) << j["targets"][k]["id"];
        EXPECT_EQ(j["targets"][k]["area_status"].get<std::string>().size(),
                  j["targets"][k]["areas"] == "communities" ? tr.communities.size() : tr.subdistricts.size());
    }
    // The reach of every coverage target's categories.
    std::size_t polygons = 0;
    for (std::size_t k = 0; k < s_results->targets.size(); ++k) {
        const auto& t = s_data->standard.targets[s_results->targets[k].target];
        const auto& reach = j["targets"][k]["reach"];
        if (t.kind != engine::TargetKind::coverage) {
            EXPECT_TRUE(reach.empty());
            continue;
        }
        ASSERT_EQ(reach.size(), t.categories.size()) << t.id;
        for (std::size_t c = 0; c < t.categories.size(); ++c) {
            const bool has_facility = std::any_of(s_data->facilities.begin(), s_data->facilities.end(),
                                                  [&](const io::FacilityRecord& f) { return f.category == t.categories[c]; });
            EXPECT_EQ(!reach[c]["poly"].empty(), has_facility) << t.id << " " << t.categories[c];
            polygons += reach[c]["poly"].size();
            // Each facility of the category lies inside (or within the corridor of) its reach:
            // decode the exterior rings and test the facilities' snapped points.
            if (reach[c]["poly"].empty()) continue;
            std::vector<std::vector<routing::LonLat>> rings;
            long long rx = 0;
            long long ry = 0;
            for (const auto& poly : reach[c]["poly"]) {
                for (std::size_t r = 0; r < poly.size(); ++r) {
                    std::vector<routing::LonLat> ring;
                    const auto n = poly[r][0].get<std::size_t>();
                    ASSERT_EQ(poly[r].size(), 1 + 2 * n);
                    for (std::size_t p = 0; p < n; ++p) {
                        rx += poly[r][1 + 2 * p].get<long long>();
                        ry += poly[r][2 + 2 * p].get<long long>();
                        ring.push_back({static_cast<double>(rx) * 1e-6, static_cast<double>(ry) * 1e-6});
                    }
                    rings.push_back(std::move(ring));
                }
            }
            auto inside = [&](routing::LonLat q) { // even-odd over all rings
                bool in = false;
                for (const auto& ring : rings) {
                    for (std::size_t a = 0, b = ring.size() - 1; a < ring.size(); b = a++) {
                        if ((ring[a].lat > q.lat) != (ring[b].lat > q.lat) &&
                            q.lon < (ring[b].lon - ring[a].lon) * (q.lat - ring[a].lat) / (ring[b].lat - ring[a].lat) + ring[a].lon)
                            in = !in;
                    }
                }
                return in;
            };
            for (std::size_t f = 0; f < s_data->facilities.size(); ++f) {
                if (s_data->facilities[f].category != t.categories[c] || !s_data->facility_snaps[f].origin) continue;
                EXPECT_TRUE(inside(s_data->facility_snaps[f].snapped)) << t.id << " " << s_data->facilities[f].id;
            }
        }
    }
    EXPECT_GT(polygons, 0U);
}

TEST_F(HtmlReportTest, BigNetworksAreSimplifiedToTheirPointBudget) {
    const auto full = embedded_data(*s_html)["stats"];
    EXPECT_EQ(full["network_simplify_m"].get<double>(), 1.0);
    const auto points = full["network_points"].get<std::size_t>();
    HtmlReportOptions o;
    o.max_network_points = points * 3 / 4;
    const auto j = embedded_data(render_html_report(input(), o));
    EXPECT_GT(j["stats"]["network_simplify_m"].get<double>(), 1.0);
    EXPECT_LE(j["stats"]["network_points"].get<std::size_t>(), o.max_network_points);
    // Every edge keeps at least its two ends.
    std::size_t n = 0;
    for (std::size_t i = 0; i < j["network"].size(); i += 1 + 2 * j["network"][i].get<std::size_t>()) {
        EXPECT_GE(j["network"][i].get<std::size_t>(), 2U);
        ++n;
    }
    EXPECT_GT(n, s_networks->graph(false).edge_count() * 9 / 10);
}

// A network that does not fit its budget even at 64 m (each edge keeps its two ends) has its edges
// joined into lines, simplified from the finest tolerance again: fewer points than edges, and every
// junction still within the tolerance of a drawn line.
TEST_F(HtmlReportTest, NetworksOverTheirBudgetAt64mAreJoinedIntoLines) {
    const auto& g = s_networks->graph(false);
    EXPECT_FALSE(embedded_data(*s_html)["stats"].contains("network_chained"));
    HtmlReportOptions o;
    o.max_network_points = g.edge_count();
    const auto html = render_html_report(input(), o);
    EXPECT_EQ(html, render_html_report(input(), o));
    const auto j = embedded_data(html);
    EXPECT_TRUE(j["stats"]["network_chained"].get<bool>());
    const auto tolerance = j["stats"]["network_simplify_m"].get<double>();
    EXPECT_LE(j["stats"]["network_points"].get<std::size_t>(), o.max_network_points);
    // Lines as segments in metres (equirectangular at Monaco).
    constexpr double m_per_deg = 111'319.49;
    const double kx = m_per_deg * std::cos(43.73 * M_PI / 180.0);
    std::vector<std::array<double, 4>> segments;
    std::size_t lines = 0;
    std::size_t points = 0;
    std::int64_t x = 0, y = 0;
    const auto& net = j["network"];
    for (std::size_t i = 0; i < net.size();) {
        const auto n = net[i].get<std::size_t>();
        ASSERT_GE(n, 2U);
        ++lines;
        points += n;
        double px = 0, py = 0;
        for (std::size_t k = 0; k < n; ++k) {
            x += net[i + 1 + 2 * k].get<std::int64_t>();
            y += net[i + 2 + 2 * k].get<std::int64_t>();
            const double mx = static_cast<double>(x) * 1e-6 * kx;
            const double my = static_cast<double>(y) * 1e-6 * m_per_deg;
            if (k > 0) segments.push_back({px, py, mx, my});
            px = mx;
            py = my;
        }
        i += 1 + 2 * n;
    }
    EXPECT_EQ(points, j["stats"]["network_points"].get<std::size_t>());
    EXPECT_LT(lines, g.edge_count() / 2);
    std::size_t checked = 0;
    for (routing::EdgeId e = 0; e < g.edge_count(); e += 5) {
        for (const auto node : {g.edge_tail[e], g.edge_head[e]}) {
            const double nx = g.node_lon_e7[node] * 1e-7 * kx;
            const double ny = g.node_lat_e7[node] * 1e-7 * m_per_deg;
            double best = 1e18;
            for (const auto& [ax, ay, bx, by] : segments) {
                const double dx = bx - ax, dy = by - ay;
                const double len2 = dx * dx + dy * dy;
                const double t = len2 > 0 ? std::clamp(((nx - ax) * dx + (ny - ay) * dy) / len2, 0.0, 1.0) : 0.0;
                best = std::min(best, std::hypot(nx - ax - t * dx, ny - ay - t * dy));
            }
            EXPECT_LE(best, tolerance + 1.0) << "edge " << e;
            ++checked;
        }
    }
    EXPECT_GT(checked, 100U);
}

TEST_F(HtmlReportTest, ReachIsDrawnAtAnySizeAndSimplifiedToItsPointBudget) {
    const auto full = embedded_data(*s_html);
    EXPECT_EQ(full["stats"]["reach_simplify_m"].get<double>(), 2.0);
    const auto points = full["stats"]["reach_points"].get<std::size_t>();
    auto drawn_points = [](const nlohmann::json& j, std::size_t& polygons) {
        std::size_t n = 0;
        std::set<std::string> seen; // targets sharing a category's reach carry the same polygons
        for (const auto& t : j["targets"]) {
            for (const auto& r : t["reach"]) {
                if (!seen.insert(r.dump()).second) continue;
                polygons += r["poly"].size();
                for (const auto& poly : r["poly"]) {
                    for (const auto& ring : poly) n += ring[0].get<std::size_t>();
                }
            }
        }
        return n;
    };
    std::size_t polygons = 0;
    EXPECT_EQ(drawn_points(full, polygons), points);
    ASSERT_GT(polygons, 0U);
    EXPECT_EQ(s_html->find("The reach outlines are simplified by"), std::string::npos);

    // A smaller budget: coarser outlines within it, the same categories still drawn, and the page
    // says how much they were simplified.
    HtmlReportOptions o;
    o.max_reach_points = points / 3;
    const auto html = render_html_report(input(), o);
    const auto j = embedded_data(html);
    EXPECT_GT(j["stats"]["reach_simplify_m"].get<double>(), 2.0);
    EXPECT_LE(j["stats"]["reach_points"].get<std::size_t>(), o.max_reach_points);
    std::size_t coarse_polygons = 0;
    EXPECT_EQ(drawn_points(j, coarse_polygons), j["stats"]["reach_points"].get<std::size_t>());
    ASSERT_EQ(j["targets"].size(), full["targets"].size());
    for (std::size_t k = 0; k < j["targets"].size(); ++k) {
        const auto& a = full["targets"][k]["reach"];
        const auto& b = j["targets"][k]["reach"];
        ASSERT_EQ(a.size(), b.size());
        for (std::size_t c = 0; c < a.size(); ++c) EXPECT_EQ(a[c]["poly"].empty(), b[c]["poly"].empty());
    }
    EXPECT_NE(html.find("The reach outlines are simplified by"), std::string::npos);
}

// Outlines shared through a cache (a plan's before and after pages) give the bytes of pages drawn
// alone: reused where the category's facilities are the same, drawn anew where one moved.
TEST_F(HtmlReportTest, ReachOutlinesSharedThroughACacheGiveTheBytesOfPagesDrawnAlone) {
    HtmlReportOptions cached;
    cached.reach_cache = make_reach_outline_cache();
    EXPECT_EQ(render_html_report(input(), cached), *s_html);
    // One facility off the network: its category's reach changes, the others' do not.
    std::vector<std::optional<routing::Origin>> walk(s_networks->facility_walk.begin(), s_networks->facility_walk.end());
    const auto moved = std::find_if(walk.begin(), walk.end(), [](const auto& o) { return o.has_value(); });
    ASSERT_NE(moved, walk.end());
    moved->reset();
    const HtmlReportInput changed{*s_data, *s_results, s_networks->graph(false), s_networks->graph(true), walk,
                                  s_networks->facility_senior};
    const std::string alone = render_html_report(changed);
    EXPECT_NE(alone, *s_html);
    EXPECT_EQ(render_html_report(changed, cached), alone);
    EXPECT_EQ(render_html_report(input(), cached), *s_html);
}

// Above the demand budgets the points are embedded as cells: within the budgets, every point in
// exactly one cell, households and each target's uncovered households summed (to the printed
// 0.1), the page saying so in both languages and where every point is; below them nothing changes.
TEST_F(HtmlReportTest, DemandPointsAreAggregatedIntoCellsAboveTheirBudget) {
    const auto& demand = s_data->demand;
    ASSERT_GT(demand.size(), 100U);
    const auto full = embedded_data(*s_html);
    EXPECT_EQ(full["demand"]["hh"].size(), demand.size());
    EXPECT_FALSE(full["demand"].contains("cell_m"));
    EXPECT_FALSE(full["stats"].contains("demand_cells"));
    EXPECT_EQ(s_html->find("demand points are aggregated"), std::string::npos);
    std::size_t uncovered_points = 0;
    for (const auto& t : full["targets"]) {
        EXPECT_FALSE(t.contains("uncovered_cell_hh"));
        if (t["has_points"].get<bool>()) uncovered_points += t["uncovered"].size();
    }
    ASSERT_GT(uncovered_points, 10U);

    double households = 0;
    for (const auto& p : demand) households += p.households;
    int cell_m = 0; // of the last check
    auto check = [&](const HtmlReportOptions& o) {
        const auto html = render_html_report(input(), o);
        EXPECT_EQ(html, render_html_report(input(), o));
        const auto j = embedded_data(html);
        const auto& dj = j["demand"];
        const std::size_t cells = dj["hh"].size();
        cell_m = dj.value("cell_m", 0);
        EXPECT_LE(cells, o.max_demand_points);
        EXPECT_LT(cells, demand.size());
        EXPECT_EQ(j["stats"]["demand_cells"].get<std::size_t>(), cells);
        EXPECT_EQ(dj["points"].get<std::size_t>(), demand.size());
        EXPECT_EQ(dj["xy"].size(), 2 * cells);
        ASSERT_EQ(dj["n"].size(), cells);
        std::size_t points = 0;
        double sum = 0;
        for (std::size_t c = 0; c < cells; ++c) {
            EXPECT_GE(dj["n"][c].get<std::size_t>(), 1U);
            points += dj["n"][c].get<std::size_t>();
            sum += dj["hh"][c].get<double>();
        }
        EXPECT_EQ(points, demand.size());
        EXPECT_NEAR(sum, households, 0.05 * static_cast<double>(cells) + 1e-6);
        // Cell positions are means of their points: inside the points' bounding box.
        double lon_min = 1e9, lon_max = -1e9, lat_min = 1e9, lat_max = -1e9;
        for (const auto& p : demand) {
            lon_min = std::min(lon_min, p.location.lon);
            lon_max = std::max(lon_max, p.location.lon);
            lat_min = std::min(lat_min, p.location.lat);
            lat_max = std::max(lat_max, p.location.lat);
        }
        std::int64_t x = 0, y = 0;
        for (std::size_t c = 0; c < cells; ++c) {
            x += dj["xy"][2 * c].get<std::int64_t>();
            y += dj["xy"][2 * c + 1].get<std::int64_t>();
            EXPECT_GE(static_cast<double>(x), lon_min * 1e6 - 1);
            EXPECT_LE(static_cast<double>(x), lon_max * 1e6 + 1);
            EXPECT_GE(static_cast<double>(y), lat_min * 1e6 - 1);
            EXPECT_LE(static_cast<double>(y), lat_max * 1e6 + 1);
        }
        std::size_t listed = 0;
        ASSERT_EQ(j["targets"].size(), s_results->targets.size());
        for (std::size_t k = 0; k < s_results->targets.size(); ++k) {
            const auto& t = j["targets"][k];
            const auto& tr = s_results->targets[k];
            if (!t["has_points"].get<bool>()) {
                EXPECT_FALSE(t.contains("uncovered_cell_hh"));
                continue;
            }
            double uncovered = 0;
            for (std::size_t i = 0; i < tr.covered.size(); ++i) uncovered += tr.covered[i] == 0 ? demand[i].households : 0.0;
            ASSERT_EQ(t["uncovered_cell_hh"].size(), t["uncovered"].size());
            double drawn = 0;
            std::size_t c = 0;
            for (std::size_t e = 0; e < t["uncovered"].size(); ++e) {
                c = e == 0 ? t["uncovered"][e].get<std::size_t>() : c + t["uncovered"][e].get<std::size_t>();
                EXPECT_LT(c, cells);
                EXPECT_LE(t["uncovered_cell_hh"][e].get<double>(), dj["hh"][c].get<double>() + 1e-9) << t["id"];
                drawn += t["uncovered_cell_hh"][e].get<double>();
            }
            EXPECT_NEAR(drawn, uncovered, 0.05 * static_cast<double>(t["uncovered"].size()) + 1e-6) << t["id"];
            listed += t["uncovered"].size();
        }
        EXPECT_LE(listed, o.max_uncovered_points);
        EXPECT_NE(html.find("个需求点已按 " + dj["cell_m"].dump() + " 米网格汇总"), std::string::npos);
        EXPECT_NE(html.find("demand points are aggregated into"), std::string::npos);
        EXPECT_NE(html.find("demand layer of layers.gpkg"), std::string::npos);
    };
    HtmlReportOptions few_points;
    few_points.max_demand_points = demand.size() / 10;
    check(few_points);
    EXPECT_GE(cell_m, 50);
    HtmlReportOptions few_uncovered;
    few_uncovered.max_uncovered_points = uncovered_points / 4;
    check(few_uncovered);
    EXPECT_GE(cell_m, 50);
    // Exactly at the budgets: every point, as before.
    HtmlReportOptions at_budget;
    at_budget.max_demand_points = demand.size();
    at_budget.max_uncovered_points = uncovered_points;
    EXPECT_EQ(render_html_report(input(), at_budget), *s_html);
}

TEST_F(HtmlReportTest, IsDeterministicAndWrittenInsideTheAtomicReplacement) {
    // A second, independent rendering (reach searches and all) gives the same bytes.
    write_html_report(m_dir / "a.html", input());
    EXPECT_EQ(slurp(m_dir / "a.html"), *s_html);
    // report.html written by the report folder's writer, inside its atomic replacement.
    const fs::path out = m_dir / "report";
    ReportOptions options;
    options.layers = false;
    options.networks = s_networks.get();
    write_report(out, *s_data, *s_results, options);
    EXPECT_TRUE(fs::exists(out / "summary.md"));
    EXPECT_EQ(slurp(out / "report.html"), *s_html);
    std::uintmax_t largest_other = 0;
    for (const auto& e : fs::directory_iterator(out))
        if (e.path().filename() != "report.html") largest_other = std::max(largest_other, e.file_size());
    ASSERT_GT(s_html->size(), largest_other + 100);

    // A page that cannot be written (the file system refuses files larger than every other file of
    // the folder) leaves the previous report as it was, and no temporary folder behind.
    auto changed = *s_data;
    changed.run.inputs.emplace_back("changed", "yes");
    ASSERT_NO_FATAL_FAILURE(test::with_file_size_limit(largest_other + 50, [&] {
        EXPECT_THROW(write_report(out, changed, *s_results, options), std::runtime_error);
    }));
    EXPECT_EQ(slurp(out / "report.html"), *s_html);
    EXPECT_EQ(slurp(out / "summary.md").find("changed"), std::string::npos);
    for (const auto& e : fs::directory_iterator(m_dir)) {
        EXPECT_NE(e.path().filename().string().rfind(".report.tmp", 0), 0U) << e.path();
    }
}

} // namespace
} // namespace yike::viz
