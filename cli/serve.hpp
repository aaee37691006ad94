#pragma once
// `yike serve`: the local web planner. Its input options are the coverage command's (coverage_options.hpp).
#include <CLI/CLI.hpp>

#include <string>

#include "yike/engine/coverage_run.hpp"
#include "yike/viz/server.hpp"

namespace yike::cli {

// The command's options are the server's own (the same defaults); those without an option keep theirs.
using ServeCli = viz::ServerOptions;

// --host, --port, --workers, --max-compute, --max-per-address, --request-timeout.
void add_serve_options(CLI::App& cmd, ServeCli& options);

// Runs the coverage once, then serves until SIGINT or SIGTERM. Messages go to stderr unless
// quiet; "listening on http://HOST:PORT" is printed even when quiet, since scripts read it.
int run_serve(const engine::CoverageSettings& settings, const ServeCli& options, bool quiet);

} // namespace yike::cli
