#pragma once
// One subcommand of `yike`: registered on the application (its options bound to state the runner
// owns), run by main.cpp when it was the one parsed.
#include <CLI/CLI.hpp>

#include <functional>

namespace yike::cli {

struct Command {
    CLI::App* app = nullptr;
    std::function<int()> run;
};

// In the order `yike --help` lists them.
Command add_graph_command(CLI::App& app);
Command add_isochrone_command(CLI::App& app);
Command add_coverage_command(CLI::App& app);
Command add_evaluate_command(CLI::App& app);
Command add_plan_command(CLI::App& app);
Command add_render_command(CLI::App& app);
Command add_serve_command(CLI::App& app);
Command add_standards_command(CLI::App& app);
Command add_tiles_command(CLI::App& app); // tiles.cpp
Command add_merge_command(CLI::App& app); // tiles.cpp
Command add_batch_command(CLI::App& app); // batch.cpp
Command add_template_command(CLI::App& app); // template.cpp

} // namespace yike::cli
