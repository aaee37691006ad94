#pragma once
// One subcommand of `yike`: registered on the application (its options bound to state the runner
// owns), run by main.cpp when it was the one parsed.
#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

namespace yike::cli {

struct Command {
    CLI::App* app = nullptr;
    std::function<int()> run;
};

// A subcommand NAME of `parent` with its options on the heap: CLI11 writes them while parsing, the
// runner reads them after, so the registration and the runner share them.
template <class Options>
std::pair<CLI::App*, std::shared_ptr<Options>> add_subcommand(CLI::App& parent, std::string name, std::string description) {
    return {parent.add_subcommand(std::move(name), std::move(description)), std::make_shared<Options>()};
}

// The command that calls `run(options)`, or `run(options, app)` for a runner that asks which flags
// were given. A runner that returns has succeeded (exit status 0): every failure is an exception
// that main.cpp turns into a message and an exit status.
template <class Options, class Run>
Command runs(CLI::App* app, std::shared_ptr<Options> options, Run run) {
    if constexpr (std::is_invocable_v<Run, Options&, CLI::App&>) {
        return {app, [app, options, run] {
                    run(*options, *app);
                    return 0;
                }};
    } else {
        return {app, [options, run] {
                    run(*options);
                    return 0;
                }};
    }
}

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
