// `yike serve`: loads one coverage run, then serves the planner until SIGINT/SIGTERM.
#include "serve.hpp"

#include <malloc.h>
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <memory>
#include <thread>

#include "command.hpp"
#include "common.hpp"
#include "coverage_options.hpp"
#include "yike/engine/report.hpp"
#include "yike/viz/planner.hpp"
#include "yike/viz/server.hpp"

namespace yike::cli {

void add_serve_options(CLI::App& cmd, ServeCli& o) {
    cmd.add_option("--host", o.host, "address to listen on; anything but loopback exposes the planner to the network")->capture_default_str();
    cmd.add_option("--port", o.port, "port (0: any free port; the chosen one is printed)")->check(CLI::Range(0, 65535))->capture_default_str();
    cmd.add_option("--workers", o.threads, "connection worker threads")->check(CLI::Range(1, 256))->capture_default_str();
    cmd.add_option("--max-compute", o.max_compute, "requests computing at once; more are answered 503")->check(CLI::Range(1, 64))->capture_default_str();
    cmd.add_option("--max-per-address", o.max_per_address, "connections open at once from one client address; more are answered 429")
        ->check(CLI::Range(1, 1000))->capture_default_str();
    cmd.add_option("--request-timeout", o.request_timeout_s, "seconds for a whole request (headers and body) to arrive; later: 408")
        ->check(CLI::Range(1, 600))->capture_default_str();
}

int run_serve(const engine::CoverageSettings& settings, const ServeCli& o, bool quiet) {
    // Signals are taken by one thread with sigwait; every thread started from here on
    // (coverage workers, connection workers) inherits the blocked mask.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    // glibc gives each busy thread its own allocator arena, and each arena keeps the peak of the
    // work it once served: with many connection workers the resident memory of a long-running
    // server creeps up for minutes as arena after arena sees a large scenario. Bounding the arenas
    // by the cores keeps it near the working set (benchmarks/serve_load.sh samples it).
    mallopt(M_ARENA_MAX, static_cast<int>(std::max(2U, std::thread::hardware_concurrency())));

    const auto say = [quiet](const std::string& m) {
        if (!quiet) std::cerr << m << '\n';
    };
    if (!viz::is_loopback(o.host)) {
        std::cerr << "warning: listening on " << o.host
                  << ", not loopback: anyone who can reach this machine can use the planner\n";
    }
    const auto start = std::chrono::steady_clock::now();
    auto networks = std::make_unique<engine::CoverageNetworks>();
    auto data = engine::run_coverage(settings, [&](const std::string& m) { say(m + "..."); }, networks.get());
    for (const auto& w : data.run.warnings) say("warning: " + w);
    viz::PlannerOptions po;
    po.max_snap_m = settings.max_snap_m;
    po.gaussian_decay = settings.gaussian_decay;
    const viz::Planner planner(std::move(data), std::move(networks), po);
    const auto loaded_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    say("planner ready: " + std::to_string(planner.data().demand.size()) + " demand points, " +
        std::to_string(planner.data().facilities.size()) + " facilities, standard " + planner.data().standard.id +
        " (loaded in " + std::to_string(loaded_ms) + " ms)");

    viz::Server server(planner, o);
    const int port = server.bind();
    const std::string shown = o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host;
    std::cerr << "listening on http://" << shown << ':' << port << std::endl;

    std::atomic<int> received{0};
    std::thread waiter([&] {
        int sig = 0;
        sigwait(&signals, &sig);
        received = sig;
        server.stop();
    });
    server.run();
    if (received == 0) {
        // run() ended without a signal: wake the waiter.
        pthread_kill(waiter.native_handle(), SIGTERM);
    }
    waiter.join();
    say("stopped");
    return 0;
}

Command add_serve_command(CLI::App& app) {
    auto coverage = std::make_shared<CoverageCli>();
    auto o = std::make_shared<ServeCli>();
    auto* serve = app.add_subcommand("serve", "local web planner: isochrones on click, add/move/remove facilities, live target table");
    add_coverage_options(*serve, *coverage);
    serve->remove_option(serve->get_option("--out"));
    serve->remove_option(serve->get_option("--layers"));
    add_serve_options(*serve, *o);
    serve->add_flag("-q,--quiet", g_quiet, "print nothing but errors (and the address)");
    return {serve, [coverage, o, serve] { return run_serve(coverage_settings(*coverage, *serve, false), *o, g_quiet); }};
}

} // namespace yike::cli
