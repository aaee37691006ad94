#include "connection_loop.hpp"

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "yike/error.hpp"

namespace yike::viz::detail {

struct ConnectionLoop::Connection {
    int fd = -1;
    std::string peer_ip;
    int peer_port = 0;
    std::string local_ip;
    int local_port = 0;
    std::string received;          // bytes read and not yet answered (pipelined requests stay here)
    std::size_t request_bytes = 0; // the complete request at the front, while a worker has it
    std::size_t served = 0;
    Clock::time_point deadline;
    bool in_request = false;       // a request has begun: the deadline is the whole-request one
    bool continue_sent = false;
    bool peer_closed = false;      // the client shut down its side; answer what is complete, then close
    int refuse_status = 0;         // answer this instead (too many connections from the address)
    bool keep = false;             // set by the worker: the connection may carry another request
}; // struct ConnectionLoop::Connection

namespace {

using Clock = std::chrono::steady_clock;

std::string reason_phrase(int status) {
    switch (status) {
    case 400: return "Bad Request";
    case 408: return "Request Timeout";
    case 411: return "Length Required";
    case 413: return "Payload Too Large";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    default: return "Error";
    }
}

// Numeric address and port of a socket's peer or local end; IPv4-mapped IPv6 addresses are
// shown (and counted) as the IPv4 address they are.
void describe(const sockaddr_storage& a, std::string& ip, int& port) {
    char text[INET6_ADDRSTRLEN] = {};
    if (a.ss_family == AF_INET) {
        const auto& v4 = reinterpret_cast<const sockaddr_in&>(a);
        ::inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
        port = ntohs(v4.sin_port);
    } else if (a.ss_family == AF_INET6) {
        const auto& v6 = reinterpret_cast<const sockaddr_in6&>(a);
        if (IN6_IS_ADDR_V4MAPPED(&v6.sin6_addr)) {
            ::inet_ntop(AF_INET, &v6.sin6_addr.s6_addr[12], text, sizeof text);
        } else {
            ::inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
        }
        port = ntohs(v6.sin6_port);
    }
    ip = text;
}

int milliseconds_until(Clock::time_point t, Clock::time_point now) {
    if (t <= now) return 0;
    return static_cast<int>(std::min<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(t - now).count() + 1, 60'000));
}

// The request a worker answers: read from the bytes the loop received, written to the socket
// (non-blocking) within a timeout per write and a deadline for the whole answer.
class RequestStream final : public httplib::Stream {
public:
    RequestStream(int fd, std::string_view request, const std::string& peer_ip, int peer_port, const std::string& local_ip,
                  int local_port, int write_timeout_s, int response_timeout_s)
        : m_fd(fd), m_request(request), m_peer_ip(peer_ip), m_peer_port(peer_port), m_local_ip(local_ip),
          m_local_port(local_port), m_write_timeout_ms(write_timeout_s * 1000),
          m_deadline(Clock::now() + std::chrono::seconds(response_timeout_s)) {}

    bool is_readable() const override { return m_read < m_request.size(); }
    bool is_writable() const override { return !m_failed; }

    ssize_t read(char* out, size_t size) override {
        const std::size_t n = std::min(size, m_request.size() - m_read);
        std::memcpy(out, m_request.data() + m_read, n);
        m_read += n;
        return static_cast<ssize_t>(n);
    }

    ssize_t write(const char* data, size_t size) override {
        std::size_t done = 0;
        while (done < size && !m_failed) {
            const ssize_t n = ::send(m_fd, data + done, size - done, MSG_NOSIGNAL);
            if (n > 0) {
                done += static_cast<std::size_t>(n);
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                const auto now = Clock::now();
                const int wait_ms = std::min(m_write_timeout_ms, milliseconds_until(m_deadline, now));
                pollfd p{m_fd, POLLOUT, 0};
                const int r = wait_ms > 0 ? ::poll(&p, 1, wait_ms) : 0;
                if (r > 0 || (r < 0 && errno == EINTR)) continue;
            }
            m_failed = true; // peer gone, or too slow to take the answer
        }
        return m_failed ? -1 : static_cast<ssize_t>(size);
    }

    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        ip = m_peer_ip;
        port = m_peer_port;
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override {
        ip = m_local_ip;
        port = m_local_port;
    }
    socket_t socket() const override { return m_fd; }

    [[nodiscard]] bool failed() const { return m_failed; }

private:
    int m_fd;
    std::string_view m_request;
    std::size_t m_read = 0;
    const std::string& m_peer_ip;
    int m_peer_port;
    const std::string& m_local_ip;
    int m_local_port;
    int m_write_timeout_ms;
    Clock::time_point m_deadline;
    bool m_failed = false;
}; // class RequestStream

} // namespace

ConnectionLoop::ConnectionLoop(LoopOptions options, RequestHandler handler)
    : m_options(std::move(options)), m_handler(std::move(handler)) {
    if (::pipe2(m_wake, O_NONBLOCK | O_CLOEXEC) != 0) throw io_error(std::string("cannot create a pipe: ") + std::strerror(errno));
    // Each connection is a descriptor: stay clear of the process's limit (files, the workers' own).
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
        const auto room = limit.rlim_cur > 128 ? static_cast<std::size_t>(limit.rlim_cur - 128) : std::size_t{16};
        m_options.max_connections = std::min(m_options.max_connections, room);
    }
    m_options.max_connections = std::max<std::size_t>(m_options.max_connections, 1);
    m_options.max_per_address = std::max<std::size_t>(m_options.max_per_address, 1);
    m_options.workers = std::max(m_options.workers, 1U);
}

ConnectionLoop::~ConnectionLoop() {
    if (m_listen_fd >= 0) ::close(m_listen_fd);
    ::close(m_wake[0]);
    ::close(m_wake[1]);
}

int ConnectionLoop::bind() {
    const std::string where = m_options.host + ":" + std::to_string(m_options.port);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    if (::getaddrinfo(m_options.host.c_str(), std::to_string(m_options.port).c_str(), &hints, &found) != 0 || found == nullptr) {
        throw io_error("cannot listen on " + where + " (address not known)");
    }
    for (const addrinfo* a = found; a != nullptr && m_listen_fd < 0; a = a->ai_next) {
        const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) continue;
        // Restart after TIME_WAIT; not SO_REUSEPORT, which would let a second process share the port.
        int yes = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, m_options.listen_backlog) == 0) {
            m_listen_fd = fd;
        } else {
            ::close(fd);
        }
    }
    ::freeaddrinfo(found);
    if (m_listen_fd < 0) throw io_error("cannot listen on " + where + " (address in use or not available)");
    sockaddr_storage bound{};
    socklen_t len = sizeof bound;
    ::getsockname(m_listen_fd, reinterpret_cast<sockaddr*>(&bound), &len);
    std::string ip;
    describe(bound, ip, m_port);
    return m_port;
}

void ConnectionLoop::stop() {
    m_stop = true;
    const char byte = 's';
    [[maybe_unused]] const auto n = ::write(m_wake[1], &byte, 1); // a full pipe is awake already
}

LoopCounts ConnectionLoop::counts() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_counts;
}

void ConnectionLoop::run() {
    if (m_listen_fd < 0 && !m_stop) bind();
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < m_options.workers; ++t) workers.emplace_back([this] { work(); });

    std::vector<pollfd> fds;
    while (!m_stop) {
        take_returned();
        fds.clear();
        fds.push_back({m_wake[0], POLLIN, 0});
        const bool accepting = m_open < m_options.max_connections;
        if (accepting) fds.push_back({m_listen_fd, POLLIN, 0});
        const auto now = Clock::now();
        auto next = now + std::chrono::seconds(1);
        for (const auto& [fd, c] : m_polled) {
            fds.push_back({fd, POLLIN, 0});
            next = std::min(next, c->deadline);
        }
        const int r = ::poll(fds.data(), fds.size(), milliseconds_until(next, now));
        if (r < 0 && errno != EINTR) break;
        if (m_stop) break;
        if (r > 0) {
            if (fds[0].revents != 0) {
                char drain[256];
                while (::read(m_wake[0], drain, sizeof drain) > 0) {
                }
            }
            std::size_t i = 1;
            if (accepting) {
                if (fds[1].revents != 0) accept_ready();
                i = 2;
            }
            for (; i < fds.size(); ++i) {
                if (fds[i].revents == 0) continue;
                const auto it = m_polled.find(fds[i].fd);
                if (it != m_polled.end()) read_ready(*it->second);
            }
        }
        // Requests not complete by their deadline, and idle connections past theirs.
        const auto later = Clock::now();
        std::vector<int> expired;
        for (const auto& [fd, c] : m_polled) {
            if (c->deadline <= later) expired.push_back(fd);
        }
        for (const int fd : expired) {
            auto node = m_polled.extract(fd);
            auto c = std::move(node.mapped());
            if (c->in_request) {
                {
                    std::lock_guard<std::mutex> lock(m_mutex);
                    ++m_counts.timed_out;
                }
                answer_and_close(std::move(c), 408, "request not complete within " + std::to_string(m_options.request_timeout_s) + " s");
            } else {
                close_connection(std::move(c));
            }
        }
    }

    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_workers_stop = true;
    }
    m_ready.notify_all();
    for (auto& t : workers) t.join();
    take_returned(); // m_stop: closes them
    for (auto& job : m_jobs) close_connection(std::move(job));
    m_jobs.clear();
    for (auto& [fd, c] : m_polled) close_connection(std::move(c));
    m_polled.clear();
    if (m_listen_fd >= 0) ::close(m_listen_fd);
    m_listen_fd = -1;
}

void ConnectionLoop::accept_ready() {
    while (m_open < m_options.max_connections) {
        sockaddr_storage peer{};
        socklen_t len = sizeof peer;
        const int fd = ::accept4(m_listen_fd, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            return; // none waiting (or out of descriptors: the rest wait in the backlog)
        }
        auto c = std::make_unique<Connection>();
        c->fd = fd;
        describe(peer, c->peer_ip, c->peer_port);
        sockaddr_storage local{};
        len = sizeof local;
        if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) == 0) describe(local, c->local_ip, c->local_port);
        // Small answers written in pieces would otherwise wait for the client's delayed
        // acknowledgement (about 40 ms).
        int yes = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);

        std::size_t& from_address = m_per_address[c->peer_ip];
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            ++m_counts.accepted;
            // Far over the limit: not even an answer (each refusal costs a descriptor while it is read).
            if (from_address >= 2 * m_options.max_per_address) {
                ++m_counts.per_address;
                ::close(fd);
                continue;
            }
        }
        if (from_address >= m_options.max_per_address) c->refuse_status = 429;
        ++from_address;
        ++m_open;
        c->deadline = Clock::now() + std::chrono::seconds(m_options.keep_alive_timeout_s);
        const int key = c->fd;
        m_polled.emplace(key, std::move(c));
    }
}

void ConnectionLoop::read_ready(Connection& c) {
    // Never more than one request's worth at a time: the rest waits in the kernel.
    const std::size_t cap = m_options.frame.max_header_bytes + m_options.frame.max_body_bytes + 1;
    char buffer[16384];
    const std::size_t before = c.received.size();
    while (c.received.size() < cap) {
        const ssize_t n = ::recv(c.fd, buffer, std::min(sizeof buffer, cap - c.received.size()), 0);
        if (n > 0) {
            c.received.append(buffer, static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        c.peer_closed = true; // end of stream or reset
        break;
    }
    if (c.received.size() > before && !c.in_request) {
        c.in_request = true;
        c.deadline = Clock::now() + std::chrono::seconds(m_options.request_timeout_s);
    }
    if (c.received.size() > before || c.peer_closed) {
        auto node = m_polled.extract(c.fd);
        examine(std::move(node.mapped()));
    }
}

// Decides what to do with a connection whose received bytes changed (or that came back from a
// worker): wait for more, refuse, or hand the complete request to a worker.
void ConnectionLoop::examine(std::unique_ptr<Connection> c) {
    const Frame frame = frame_request(c->received, m_options.frame);
    if (frame.state == Frame::State::refused) {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            ++m_counts.refused;
        }
        answer_and_close(std::move(c), frame.status, frame.message);
        return;
    }
    if (frame.state == Frame::State::incomplete) {
        if (c->peer_closed) {
            close_connection(std::move(c));
            return;
        }
        if (frame.expect_continue && !c->continue_sent && c->refuse_status == 0) {
            static constexpr char continue_line[] = "HTTP/1.1 100 Continue\r\n\r\n";
            ::send(c->fd, continue_line, sizeof continue_line - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
            c->continue_sent = true;
        }
        const int key = c->fd;
        m_polled.emplace(key, std::move(c));
        return;
    }
    if (c->refuse_status != 0) {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            ++m_counts.per_address;
        }
        const int status = c->refuse_status;
        const std::string message = "too many connections from " + c->peer_ip + " (at most " +
                                    std::to_string(m_options.max_per_address) + " at once); try again";
        answer_and_close(std::move(c), status, message);
        return;
    }
    // The loop answered "100 Continue" itself (or the body came anyway): the handler must not
    // answer it a second time.
    c->request_bytes = frame.request_bytes;
    if (frame.expect_continue) c->request_bytes -= erase_expect_headers(c->received, frame.header_bytes);
    std::unique_lock<std::mutex> lock(m_mutex);
    if (m_jobs.size() >= m_options.max_queued) {
        ++m_counts.busy;
        lock.unlock();
        answer_and_close(std::move(c), 503,
                         "server busy: " + std::to_string(m_options.max_queued) + " requests are waiting; try again");
        return;
    }
    ++m_counts.requests;
    m_jobs.push_back(std::move(c));
    lock.unlock();
    m_ready.notify_one();
}

void ConnectionLoop::answer_and_close(std::unique_ptr<Connection> c, int status, const std::string& message) {
    const std::string body =
        nlohmann::json{{"error", message}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::string answer = "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) +
                         "\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: " + std::to_string(body.size()) +
                         "\r\nConnection: close\r\n";
    if (status == 429 || status == 503) answer += "Retry-After: 1\r\n";
    for (const auto& [name, value] : m_options.refusal_headers) answer += name + ": " + value + "\r\n";
    answer += "\r\n" + body;
    // One try without waiting: the answer is small and the socket's buffer empty, and a client
    // that does not read gets nothing more from us.
    ::send(c->fd, answer.data(), answer.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    ::shutdown(c->fd, SHUT_WR);
    // Bytes still unread at close() turn it into a reset that can discard the answer at the
    // client: read what has arrived.
    char buffer[4096];
    for (int k = 0; k < 64 && ::recv(c->fd, buffer, sizeof buffer, MSG_DONTWAIT) > 0; ++k) {
    }
    close_connection(std::move(c));
}

void ConnectionLoop::close_connection(std::unique_ptr<Connection> c) {
    ::close(c->fd);
    const auto it = m_per_address.find(c->peer_ip);
    if (it != m_per_address.end() && --it->second == 0) m_per_address.erase(it);
    --m_open;
}

void ConnectionLoop::take_returned() {
    std::vector<std::unique_ptr<Connection>> returned;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        returned.swap(m_returned);
    }
    const auto now = Clock::now();
    for (auto& c : returned) {
        if (!c->keep || m_stop) {
            close_connection(std::move(c));
            continue;
        }
        c->continue_sent = false;
        c->in_request = !c->received.empty(); // a pipelined request already begun
        c->deadline = now + std::chrono::seconds(c->in_request ? m_options.request_timeout_s : m_options.keep_alive_timeout_s);
        examine(std::move(c));
    }
}

void ConnectionLoop::work() {
    while (true) {
        std::unique_ptr<Connection> c;
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            m_ready.wait(lock, [&] { return !m_jobs.empty() || m_workers_stop; });
            if (m_jobs.empty()) return;
            c = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        const bool close = c->peer_closed || c->served + 1 >= m_options.keep_alive_max_requests || m_stop;
        bool closed = false;
        bool ok = false;
        {
            RequestStream stream(c->fd, std::string_view(c->received).substr(0, c->request_bytes), c->peer_ip, c->peer_port,
                                 c->local_ip, c->local_port, m_options.write_timeout_s, m_options.response_timeout_s);
            try {
                ok = m_handler(stream, close, closed) && !stream.failed();
            } catch (...) {
                ok = false; // the handler's own exception handler answers; anything left drops the connection
            }
        }
        c->received.erase(0, c->request_bytes);
        c->request_bytes = 0;
        ++c->served;
        c->keep = ok && !closed && !close;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_returned.push_back(std::move(c));
        }
        const char byte = 'r';
        [[maybe_unused]] const auto n = ::write(m_wake[1], &byte, 1);
    }
}

} // namespace yike::viz::detail
