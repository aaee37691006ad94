#pragma once
// `yike serve`: the planner's page and JSON API over HTTP (cpp-httplib's routing, yike's own
// connection loop), bounded in every way a client controls: body size, sites and budgets per
// request (PlannerLimits), connections in all and per client address, a deadline for each whole
// request (a slow client holds no worker: requests reach the workers complete), queued requests
// and requests computing at once (beyond: 503), write timeouts. Every
// error is JSON {"error": "..."} with a 4xx/5xx status. Assets are served by name from the ones
// built into the binary; no request can name a file.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "yike/viz/planner.hpp"

namespace yike::viz {

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 8080;               // 0: any free port (see Server::port())
    unsigned threads = 8;          // workers answering complete requests
    std::size_t max_queued = 64;   // complete requests waiting for a worker; beyond: 503 at once
    std::size_t max_connections = 1000; // open at once; beyond, new ones wait in the listen backlog
    std::size_t max_per_address = 32;   // open at once from one client address; beyond: 429
    unsigned max_compute = 4;      // isochrone/scenario/export requests computing at once; beyond: 503
    int request_timeout_s = 10;    // a whole request (headers and body) from its first byte; beyond: 408
    int write_timeout_s = 5;       // each write of an answer
    int response_timeout_s = 60;   // a whole answer
    int keep_alive_timeout_s = 5;  // idle between requests
    std::size_t keep_alive_max_requests = 1000;
    int listen_backlog = 1024;     // connections the kernel holds before accept
}; // struct ServerOptions

// What the connection loop did since run() began.
struct ServerCounts {
    std::uint64_t accepted = 0;     // connections
    std::uint64_t requests = 0;     // complete requests handed to the workers
    std::uint64_t busy = 0;         // 503: the queue of complete requests was full
    std::uint64_t per_address = 0;  // 429 (or closed unanswered): too many connections from one address
    std::uint64_t timed_out = 0;    // 408: a request not complete by its deadline
    std::uint64_t refused = 0;      // 4xx decided from the headers (too large, chunked, bad length)
}; // struct ServerCounts

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
    [[nodiscard]] ServerCounts counts() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
}; // class Server

} // namespace yike::viz
