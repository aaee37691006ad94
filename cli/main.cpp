// The `yike` command: registers the subcommands (one file each) and runs the one given.
// Exceptions are caught only here: bad data exits 1, bad usage exits 2.
#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>
#include <new>
#include <vector>

#include "arguments.hpp"
#include "command.hpp"
#include "common.hpp"
#include "yike/error.hpp"
#include "yike/io/phase_log.hpp"

int main(int argc, char** argv) {
    using namespace yike::cli;
    CLI::App app{"yike: which households reach which services within a 15-minute walk"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "yike 0.1.0");
    app.add_flag("-q,--quiet", g_quiet, "print nothing but errors");

    const std::vector<Command> commands{add_graph_command(app),    add_isochrone_command(app), add_coverage_command(app),
                                        add_evaluate_command(app), add_plan_command(app),      add_render_command(app),
                                        add_serve_command(app),    add_standards_command(app), add_tiles_command(app),
                                        add_merge_command(app),    add_batch_command(app),     add_template_command(app)};

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "yike: error: " << e.what() << " (see yike --help)\n";
        return 2;
    }

    try {
        for (const auto& command : commands) {
            if (command.app->parsed()) {
                yike::io::phase_mark("start");
                const int status = command.run();
                yike::io::phase_mark("exit");
                return status;
            }
        }
    } catch (const usage_error& e) {
        std::cerr << "yike: error: " << e.what() << '\n';
        return 2;
    } catch (const yike::error& e) {
        std::cerr << "yike: error: " << e.what() << '\n';
        return 1;
    } catch (const std::bad_alloc&) {
        std::cerr << "yike: error: out of memory\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "yike: internal error: " << e.what() << '\n';
        return 1;
    }
    return 2;
}
