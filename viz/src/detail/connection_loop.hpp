#pragma once
// The server's connections: one thread accepts and reads every connection (poll), workers only
// ever see a request that has arrived in full. cpp-httplib's own loop gives each connection a
// worker from accept on, with a timeout per read, so ten clients sending a byte a second held every
// worker and no other request was answered (issue 18). Here a slow client holds only its socket
// and is cut at a deadline for the whole request; a full queue is answered 503 at once, and one
// client address can hold only so many connections.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "request_frame.hpp"

namespace yike::viz::detail {

struct LoopOptions {
    std::string host = "127.0.0.1";
    int port = 8080;                      // 0: any free port
    unsigned workers = 8;                 // threads answering complete requests
    std::size_t max_queued = 64;          // complete requests waiting for a worker; beyond: 503
    std::size_t max_connections = 1000;   // open at once (also bounded by the descriptor limit); beyond, accepting pauses
    std::size_t max_per_address = 32;     // open at once from one client address; beyond: 429
    int request_timeout_s = 10;           // whole request (headers and body) from its first byte; beyond: 408
    int keep_alive_timeout_s = 5;         // idle between requests
    int write_timeout_s = 5;              // each write of an answer
    int response_timeout_s = 60;          // a whole answer
    std::size_t keep_alive_max_requests = 1000;
    int listen_backlog = 1024;
    FrameLimits frame;
    std::vector<std::pair<std::string, std::string>> refusal_headers; // added to the loop's own answers
}; // struct LoopOptions

// Answers one request read in full from the stream; close_connection asks for "Connection:
// close"; connection_closed is set when the answer closes the connection. Returns false when
// the connection is to be dropped.
using RequestHandler = std::function<bool(httplib::Stream&, bool close_connection, bool& connection_closed)>;

struct LoopCounts {
    std::uint64_t accepted = 0;
    std::uint64_t requests = 0;       // handed to workers
    std::uint64_t busy = 0;           // 503: queue full
    std::uint64_t per_address = 0;    // 429: too many connections from one address
    std::uint64_t timed_out = 0;      // 408: request not complete by its deadline
    std::uint64_t refused = 0;        // 4xx decided from the headers (size, length)
}; // struct LoopCounts

class ConnectionLoop {
public:
    ConnectionLoop(LoopOptions options, RequestHandler handler);
    ~ConnectionLoop();
    ConnectionLoop(const ConnectionLoop&) = delete;
    ConnectionLoop& operator=(const ConnectionLoop&) = delete;

    // Binds and listens; returns the port. Throws io_error when the address cannot be bound.
    int bind();
    // Serves until stop(); returns after the workers have finished their requests.
    void run();
    // Thread-safe, idempotent, allowed before run(); run() returns soon after.
    void stop();

    [[nodiscard]] int port() const noexcept { return m_port; }
    [[nodiscard]] LoopCounts counts() const;

private:
    struct Connection;
    using Clock = std::chrono::steady_clock;

    void accept_ready();
    void read_ready(Connection& c);
    void examine(std::unique_ptr<Connection> c);
    void answer_and_close(std::unique_ptr<Connection> c, int status, const std::string& message);
    void close_connection(std::unique_ptr<Connection> c);
    void take_returned();
    void work();

    LoopOptions m_options;
    RequestHandler m_handler;
    int m_listen_fd = -1;
    int m_wake[2] = {-1, -1};
    int m_port = -1;
    std::atomic<bool> m_stop{false};

    // Owned by the loop's thread.
    std::unordered_map<int, std::unique_ptr<Connection>> m_polled;
    std::unordered_map<std::string, std::size_t> m_per_address;
    std::size_t m_open = 0;

    // Shared with the workers.
    mutable std::mutex m_mutex;
    std::condition_variable m_ready;
    std::deque<std::unique_ptr<Connection>> m_jobs;
    std::vector<std::unique_ptr<Connection>> m_returned;
    bool m_workers_stop = false;
    LoopCounts m_counts;
}; // class ConnectionLoop

} // namespace yike::viz::detail
