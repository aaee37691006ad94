// HTTP binding of the planner (cpp-httplib). Handlers only translate: requests go through the
// planner's parsers, answers are the planner's JSON, and every failure becomes a JSON error.
#include "yike/viz/server.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "detail/connection_loop.hpp"
#include "yike/viz/assets.hpp"

namespace yike::viz {

namespace {

// The routes are cpp-httplib's; the connections are the loop's (detail/connection_loop.hpp),
// which hands each complete request to process_request.
class Routes : public httplib::Server {
public:
    bool serve(httplib::Stream& stream, bool close_connection, bool& connection_closed) {
        return process_request(stream, close_connection, connection_closed, nullptr);
    }
}; // class Routes

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
    Routes http;
    std::unique_ptr<detail::ConnectionLoop> loop;
    std::atomic<unsigned> computing{0};
    std::atomic<bool> stop_requested{false};
    std::atomic<bool> running{false};

    Impl(const Planner& p, ServerOptions o) : planner(p), options(std::move(o)) {
        http.set_payload_max_length(planner.limits().max_body_bytes);
        detail::LoopOptions lo;
        lo.host = options.host;
        lo.port = options.port;
        lo.workers = options.threads;
        lo.max_queued = options.max_queued;
        lo.max_connections = options.max_connections;
        lo.max_per_address = options.max_per_address;
        lo.request_timeout_s = options.request_timeout_s;
        lo.keep_alive_timeout_s = options.keep_alive_timeout_s;
        lo.write_timeout_s = options.write_timeout_s;
        lo.response_timeout_s = options.response_timeout_s;
        lo.keep_alive_max_requests = options.keep_alive_max_requests;
        lo.listen_backlog = options.listen_backlog;
        lo.frame.max_body_bytes = planner.limits().max_body_bytes;
        lo.refusal_headers = {{"X-Content-Type-Options", "nosniff"}, {"Referrer-Policy", "no-referrer"}};
        loop = std::make_unique<detail::ConnectionLoop>(
            std::move(lo), [this](httplib::Stream& s, bool close, bool& closed) { return http.serve(s, close, closed); });
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

int Server::bind() {
    auto& impl = *m_impl;
    if (impl.options.port < 0 || impl.options.port > 65535) {
        throw config_error("port " + std::to_string(impl.options.port) + ": must be within 0..65535");
    }
    return impl.loop->bind();
}

void Server::run() {
    auto& impl = *m_impl;
    impl.running = true;
    if (!impl.stop_requested) impl.loop->run();
    impl.running = false;
}

void Server::stop() {
    auto& impl = *m_impl;
    impl.stop_requested = true;
    impl.loop->stop();
    while (impl.running) std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

int Server::port() const noexcept { return m_impl->loop->port(); }

ServerCounts Server::counts() const {
    const detail::LoopCounts c = m_impl->loop->counts();
    return {c.accepted, c.requests, c.busy, c.per_address, c.timed_out, c.refused};
}

} // namespace yike::viz
