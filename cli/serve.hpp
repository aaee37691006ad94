#pragma once
// `yike serve`: the local web planner. Its input options are the coverage command's (coverage_options.hpp).
#include <CLI/CLI.hpp>

#include <string>

#include "yike/engine/coverage_run.hpp"

namespace yike::cli {

struct ServeCli {
    std::string host = "127.0.0.1";
    int port = 8080;
    unsigned workers = 8;
    unsigned max_compute = 4;
    unsigned max_per_address = 32;
    int request_timeout_s = 10;
};

// --host, --port, --workers, --max-compute, --max-per-address, --request-timeout.
void add_serve_options(CLI::App& cmd, ServeCli& options);

// Runs the coverage once, then serves until SIGINT or SIGTERM. Messages go to stderr unless
// quiet; "listening on http://HOST:PORT" is printed even when quiet, since scripts read it.
int run_serve(const engine::CoverageSettings& settings, const ServeCli& options, bool quiet);

} // namespace yike::cli
