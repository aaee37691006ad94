// HTTP binding of the planner (cpp-httplib). Handlers only translate: requests go through the
// planner's parsers, answers are the planner's JSON, and every failure becomes a JSON error.
#include "yike/viz/server.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "yike/viz/assets.hpp"

namespace yike::viz {

namespace {

// Connection workers with a bounded queue: when it is full, the accepting thread waits, so
// further connections wait in the kernel's backlog instead of in memory.
class BoundedPool : public httplib::TaskQueue {
public:
    BoundedPool(unsigned threads, std::size_t max_queued) : m_max_queued(std::max<std::size_t>(1, max_queued)) {
        for (unsigned t = 0; t < std::max(1U, threads); ++t) m_threads.emplace_back([this] { work(); });
    }

    void enqueue(std::function<void()> fn) override {
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            m_space.wait(lock, [&] { return m_jobs.size() < m_max_queued || m_shutdown; });
            m_jobs.push_back(std::move(fn));
        }
        m_ready.notify_one();
    }

    void shutdown() override {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_shutdown = true;
        }
        m_ready.notify_all();
        m_space.notify_all();
        for (auto& t : m_threads) t.join();
    }

private:
    void work() {
        while (true) {
            std::function<void()> fn;
            {
                std::unique_lock<std::mutex> lock(m_mutex);
                m_ready.wait(lock, [&] { return !m_jobs.empty() || m_shutdown; });
                if (m_jobs.empty()) return; // shut down and drained
                fn = std::move(m_jobs.front());
                m_jobs.pop_front();
            }
            m_space.notify_one();
            fn();
        }
    }

    std::size_t m_max_queued;
    std::vector<std::thread> m_threads;
    std::deque<std::function<void()>> m_jobs;
    std::mutex m_mutex;
    std::condition_variable m_ready;
    std::condition_variable m_space;
    bool m_shutdown = false;
};

std::string error_body(const std::string& message) {
    return nlohmann::json{{"error", message}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void send_error(httplib::Response& res, int status, const std::string& message) {
    res.status = status;
    res.set_content(error_body(message), "application/json; charset=utf-8");
}

void send_json(httplib::Response& res, const std::string& body) {
    res.status = 200;
    res.set_header("Cache-Control", "no-store");
    res.set_content(body, "application/json; charset=utf-8");
}

std::string status_message(int status) {
    switch (status) {
    case 400: return "bad request";
    case 404: return "no such endpoint or asset";
    case 405: return "method not allowed";
    case 408: return "request timed out";
    case 413: return "request too large";
    case 414: return "request URI too long";
    case 416: return "range not satisfiable";
    case 503: return "server busy, try again";
    default: return status >= 500 ? "internal error" : "request refused";
    }
}

} // namespace

bool is_loopback(const std::string& host) {
    if (host == "localhost" || host == "::1") return true;
    in_addr addr{};
    if (::inet_pton(AF_INET, host.c_str(), &addr) == 1) return (ntohl(addr.s_addr) >> 24) == 127;
    return false;
}

struct Server::Impl {
    const Planner& planner;
    ServerOptions options;
    httplib::Server http;
    std::atomic<unsigned> computing{0};
    int bound_port = -1;
    std::atomic<bool> stop_requested{false};
    std::atomic<bool> running{false};

    Impl(const Planner& p, ServerOptions o) : planner(p), options(std::move(o)) {
        const unsigned threads = options.threads;
        const std::size_t queued = options.max_queued;
        http.new_task_queue = [threads, queued] { return new BoundedPool(threads, queued); };
        http.set_payload_max_length(planner.limits().max_body_bytes);
        http.set_read_timeout(options.read_timeout_s, 0);
        http.set_write_timeout(options.write_timeout_s, 0);
        http.set_keep_alive_timeout(options.keep_alive_timeout_s);
        http.set_keep_alive_max_count(options.keep_alive_max_requests);
        // Small answers (errors, info) written in pieces would otherwise wait for the client's
        // delayed acknowledgement (about 40 ms).
        http.set_tcp_nodelay(true);
        // The library's default also sets SO_REUSEPORT, which would let a second process bind the
        // same port and take a share of the connections; only SO_REUSEADDR (restart after
        // TIME_WAIT) is wanted.
        http.set_socket_options([](socket_t sock) {
            int yes = 1;
            ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        });
        http.set_default_headers({{"X-Content-Type-Options", "nosniff"}, {"Referrer-Policy", "no-referrer"}});

        // Statuses set by the library (404, 413, 414, ...) and by handlers without a body get
        // a JSON body; handlers' own JSON errors pass through.
        http.set_error_handler(httplib::Server::HandlerWithResponse(
            [](const httplib::Request&, httplib::Response& res) {
                if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
                send_error(res, res.status, status_message(res.status));
                return httplib::Server::HandlerResponse::Handled;
            }));
        http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
            try {
                std::rethrow_exception(ep);
            } catch (const std::bad_alloc&) {
                send_error(res, 503, "out of memory");
            } catch (const std::exception& e) {
                send_error(res, 500, std::string("internal error: ") + e.what());
            } catch (...) {
                send_error(res, 500, "internal error");
            }
        });

        http.Get("/", [](const httplib::Request&, httplib::Response& res) {
            const auto& page = asset("planner.html");
            res.set_header("Content-Security-Policy",
                           "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'");
            res.set_content(std::string(page.content), std::string(page.mime));
        });
        http.Get(R"(/assets/([A-Za-z0-9_.-]{1,100}))", [](const httplib::Request& req, httplib::Response& res) {
            const auto* a = find_asset(req.matches[1].str());
            if (a == nullptr) {
                send_error(res, 404, "no such asset");
                return;
            }
            res.set_header("Cache-Control", "max-age=3600");
            res.set_content(std::string(a->content), std::string(a->mime));
        });
        http.Get("/api/info", [this](const httplib::Request&, httplib::Response& res) { send_json(res, planner.info_json()); });
        http.Get("/api/layers", [this](const httplib::Request&, httplib::Response& res) { send_json(res, planner.layers_json()); });

        compute_endpoint("/api/isochrone", [this](const std::string& body) -> Compute {
            return [this, r = parse_isochrone_request(body, planner.limits())] { return planner.isochrone_json(r); };
        });
        compute_endpoint("/api/scenario", [this](const std::string& body) -> Compute {
            return [this, r = parse_scenario_request(body, planner.limits())] { return planner.scenario_json(r); };
        });
        compute_endpoint("/api/export", [this](const std::string& body) -> Compute {
            return [this, r = parse_scenario_request(body, planner.limits())] { return planner.export_json(r); };
        });
        for (const char* path : {"/api/info", "/api/layers"}) {
            http.Post(path, [](const httplib::Request&, httplib::Response& res) {
                res.set_header("Allow", "GET");
                send_error(res, 405, "use GET");
            });
        }
    }

    using Compute = std::function<std::string()>;

    // POST handler: the body is parsed first (cheap, bounded), then the work runs in one of the
    // compute slots; when all are taken the answer is 503. GET on the path answers 405.
    void compute_endpoint(const char* path, std::function<Compute(const std::string&)> parse) {
        http.Post(path, [this, parse = std::move(parse)](const httplib::Request& req, httplib::Response& res) {
            try {
                const Compute compute = parse(req.body);
                if (computing.fetch_add(1) >= options.max_compute) {
                    computing.fetch_sub(1);
                    res.set_header("Retry-After", "1");
                    send_error(res, 503, "server busy: " + std::to_string(options.max_compute) +
                                             " requests are computing; try again");
                    return;
                }
                struct Release {
                    std::atomic<unsigned>& n;
                    ~Release() { n.fetch_sub(1); }
                } release{computing};
                const auto start = std::chrono::steady_clock::now();
                send_json(res, compute());
                const auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();
                res.set_header("Server-Timing", "compute;dur=" + std::to_string(static_cast<double>(us) / 1000.0));
            } catch (const request_error& e) {
                send_error(res, e.status(), e.what());
            } catch (const yike::error& e) {
                send_error(res, 400, e.what());
            }
        });
        http.Get(path, [](const httplib::Request&, httplib::Response& res) {
            res.set_header("Allow", "POST");
            send_error(res, 405, "use POST with a JSON body");
        });
    }
};

Server::Server(const Planner& planner, ServerOptions options) : m_impl(std::make_unique<Impl>(planner, std::move(options))) {}

Server::~Server() { stop(); }

namespace {

// cpp-httplib 0.11 (Debian 12) listens with the backlog compiled into the library: 5. A burst of
// 200 connections then overflows the listen queue and clients wait for SYN retries (seconds). On
// Linux, listen() on a socket that already listens sets its backlog anew, so the bound socket is
// found among the process's descriptors (listening, on our port) and given a backlog for bursts.
void widen_listen_backlog(int port, int backlog) {
    const long max_fd = std::min<long>(::sysconf(_SC_OPEN_MAX), 65536);
    for (int fd = 3; fd < max_fd; ++fd) {
        int listening = 0;
        socklen_t len = sizeof listening;
        if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || listening == 0) continue;
        sockaddr_storage addr{};
        socklen_t addr_len = sizeof addr;
        if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &addr_len) != 0) continue;
        int bound = -1;
        if (addr.ss_family == AF_INET) bound = ntohs(reinterpret_cast<const sockaddr_in*>(&addr)->sin_port);
        if (addr.ss_family == AF_INET6) bound = ntohs(reinterpret_cast<const sockaddr_in6*>(&addr)->sin6_port);
        if (bound == port) ::listen(fd, backlog);
    }
}

} // namespace

int Server::bind() {
    auto& impl = *m_impl;
    if (impl.options.port < 0 || impl.options.port > 65535) {
        throw config_error("port " + std::to_string(impl.options.port) + ": must be within 0..65535");
    }
    if (impl.options.port == 0) {
        impl.bound_port = impl.http.bind_to_any_port(impl.options.host);
    } else if (impl.http.bind_to_port(impl.options.host, impl.options.port)) {
        impl.bound_port = impl.options.port;
    }
    if (impl.bound_port <= 0) {
        throw io_error("cannot listen on " + impl.options.host + ":" + std::to_string(impl.options.port) +
                       " (address in use or not available)");
    }
    widen_listen_backlog(impl.bound_port, impl.options.listen_backlog);
    return impl.bound_port;
}

void Server::run() {
    auto& impl = *m_impl;
    impl.running = true;
    if (!impl.stop_requested) impl.http.listen_after_bind();
    impl.running = false;
}

// The library ignores stop() until its loop has started; repeating it until run() has returned
// closes the window between the two.
void Server::stop() {
    auto& impl = *m_impl;
    impl.stop_requested = true;
    impl.http.stop();
    while (impl.running) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        impl.http.stop();
    }
}

int Server::port() const noexcept { return m_impl->bound_port; }

} // namespace yike::viz
