#pragma once
// The HTML report (report.html in every coverage report folder): one self-contained page that
// opens offline from file:// — Leaflet and yike's own script and style are inlined, the data is
// embedded as JSON, and nothing is requested from the network (no tiles: the walking network
// drawn from the data is the base map). It shows facilities by category, the reach of a chosen
// target's facilities, uncovered households as points and as a density grid, communities (or
// grid cells) coloured by pass/fail, the target table and a bar chart of coverage against the
// targets, with Chinese and English labels and the OSM attribution. Byte-identical for the same
// inputs. Described in doc/report.md.
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "yike/engine/coverage_run.hpp"
#include "yike/engine/report.hpp"
#include "yike/routing/graph.hpp"
#include "yike/routing/search.hpp"

namespace yike::viz {

struct HtmlReportInput {
    const engine::CoverageData& data;
    const engine::ReportResults& results;
    const routing::WalkGraph& walk_graph;   // the base map; reach of walking-time and metre targets
    const routing::WalkGraph& senior_graph; // reach of senior targets (minutes on the senior profile)
    // Per facility record of `data`: its position on each graph (unset: not snapped).
    std::span<const std::optional<routing::Origin>> facility_walk;
    std::span<const std::optional<routing::Origin>> facility_senior;
};

// Reach outlines kept for the next page drawn on the same networks: a plan's before and after pages
// share every category but the planned ones. An outline is reused only for the same graph, measure
// (network, metric, budget) and origins, so a page is the same bytes with or without it. Safe to
// share between threads.
class ReachOutlineCache;
[[nodiscard]] std::shared_ptr<ReachOutlineCache> make_reach_outline_cache();

struct HtmlReportOptions {
    std::string title_zh = "15分钟生活圈覆盖报告";
    std::string title_en = "15-minute walking access report";
    std::string subtitle;    // e.g. "规划后 After planning"; empty: none
    // Street geometry is simplified (Douglas-Peucker, in metres) and every coordinate rounded to
    // 1e-6 degrees (about 0.1 m) to keep the file small.
    double simplify_m = 1.0;
    // When the network still has more points than this, the tolerance doubles (up to 64 m) until
    // it fits: a big city's streets stay readable at district zoom and the file stays a few MB. When
    // even 64 m is not enough (every edge keeps its two ends), the edges are joined into lines
    // through the junctions and simplified again from simplify_m, up to max_network_simplify_m
    // (stats.network_chained).
    std::size_t max_network_points = 300'000;
    // Reach polygons (30 m corridors traced on a lattice of 2 m, coarser for reaches wider than a
    // district: engine::reach_outline) are simplified likewise; when all of them together still have
    // more points than max_reach_points, the tolerance doubles (up to 64 m: coarser, the ring
    // simplification keeps small rings whole and the page grows) and the page says so.
    double reach_simplify_m = 2.0;
    std::size_t max_reach_points = 400'000;
    // The coarsest tolerance of the joined network lines. At 5×10⁶ way-nodes (a city 35 km across,
    // seen whole at city zoom) 64 m left 402,321 points and the page over 20 MB; 128 m fits.
    double max_network_simplify_m = 256.0;
    // Demand points embedded (each with its households), and entries of the per-target lists of
    // uncovered points, all targets together. Above either, the points are gathered into square
    // cells (50 m, doubling until both hold) carrying summed households and, per target, summed
    // uncovered households; the page says so and where every point is (the demand layer).
    std::size_t max_demand_points = 200'000;
    std::size_t max_uncovered_points = 500'000;
    std::string attribution = "© OpenStreetMap contributors, ODbL";
    std::shared_ptr<ReachOutlineCache> reach_cache; // none: every outline is drawn anew
}; // struct HtmlReportOptions

// The page. Asserts that the facility positions have one entry per facility record.
[[nodiscard]] std::string render_html_report(const HtmlReportInput& input, const HtmlReportOptions& options = {});

// Writes render_html_report() to `path`; throws io_error naming the path on failure.
void write_html_report(const std::filesystem::path& path, const HtmlReportInput& input,
                       const HtmlReportOptions& options = {});

} // namespace yike::viz
