#pragma once
// `yike serve`: the planner's page and JSON API over HTTP (cpp-httplib), bounded in every way a
// client controls: body size, sites and budgets per request (PlannerLimits), worker threads and
// queued connections, requests computing at once (beyond: 503), read and write timeouts. Every
// error is JSON {"error": "..."} with a 4xx/5xx status. Assets are served by name from the ones
// built into the binary; no request can name a file.
#include <cstddef>
#include <memory>
#include <string>

#include "yike/viz/planner.hpp"

namespace yike::viz {

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 8080;               // 0: any free port (see Server::port())
    unsigned threads = 8;          // connection workers (a keep-alive connection holds one)
    std::size_t max_queued = 64;   // accepted connections waiting for a worker; beyond, accepting pauses
    unsigned max_compute = 4;      // isochrone/scenario/export requests computing at once; beyond: 503
    int read_timeout_s = 5;
    int write_timeout_s = 5;
    int keep_alive_timeout_s = 5;
    std::size_t keep_alive_max_requests = 1000;
    int listen_backlog = 1024;     // connections the kernel holds before accept (the library's own: 5)
}; // struct ServerOptions

// True for 127.0.0.0/8, ::1 and "localhost".
[[nodiscard]] bool is_loopback(const std::string& host);

class Server {
public:
    Server(const Planner& planner, ServerOptions options);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds the listening socket; returns the port (the chosen one when options.port is 0).
    // Throws io_error when the address cannot be bound.
    int bind();
    // Serves until stop(); bind() first.
    void run();
    // Thread-safe and idempotent; run() returns soon after.
    void stop();

    [[nodiscard]] int port() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
}; // class Server

} // namespace yike::viz
