// Writes the HTML report of the Monaco coverage run with its size budgets set far below Monaco's
// counts, so that a small extract gives the page a big city gets: demand points gathered into
// cells, per-target uncovered cells, the network joined into lines and simplified at its cap, the
// reach outlines coarsened. report_cells.test.mjs opens it in the browser.
// Usage: write_budget_report OUT.html
#include <cstdio>
#include <exception>
#include <filesystem>

#include "yike/engine/coverage_run.hpp"
#include "yike/engine/report.hpp"
#include "yike/viz/html_report.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: write_budget_report OUT.html\n");
        return 2;
    }
    try {
        namespace engine = yike::engine;
        engine::CoverageSettings s;
        s.osm = std::filesystem::path(YIKE_DATA_DIR) / "osm" / "monaco.osm.pbf";
        s.threads = 2; // the default standard, beijing-15min
        engine::CoverageNetworks networks;
        const engine::CoverageData data = engine::run_coverage(s, {}, &networks);
        const engine::ReportResults results = engine::evaluate(data);
        yike::viz::HtmlReportOptions o;
        o.max_demand_points = data.demand.size() / 10;
        o.max_uncovered_points = 2'000;
        o.max_network_points = 2'000;
        o.max_reach_points = 2'000;
        o.subtitle = "预算测试 budget test";
        yike::viz::write_html_report(argv[1],
                                     {data, results, networks.graph(false), networks.graph(true), networks.facility_walk,
                                      networks.facility_senior},
                                     o);
        std::printf("%zu demand points, budget %zu\n", data.demand.size(), o.max_demand_points);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "write_budget_report: %s\n", e.what());
        return 1;
    }
}
