#include "request_frame.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace yike::viz::detail {

namespace {

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
    }
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

Frame refuse(int status, std::string message) {
    Frame f;
    f.state = Frame::State::refused;
    f.status = status;
    f.message = std::move(message);
    return f;
}

// Header lines end with LF (CRLF in practice); the headers end with an empty line. Returns the
// offset just past that empty line, or npos while it has not arrived.
std::size_t end_of_headers(std::string_view received) {
    std::size_t line_start = 0;
    while (true) {
        const std::size_t lf = received.find('\n', line_start);
        if (lf == std::string_view::npos) return std::string_view::npos;
        const std::string_view line = received.substr(line_start, lf - line_start);
        if (line_start > 0 && (line.empty() || line == "\r")) return lf + 1;
        line_start = lf + 1;
    }
}

} // namespace

Frame frame_request(std::string_view received, const FrameLimits& limits) {
    const std::size_t header_end = end_of_headers(received.substr(0, std::min(received.size(), limits.max_header_bytes)));
    if (header_end == std::string_view::npos) {
        if (received.size() >= limits.max_header_bytes) {
            return refuse(431, "request headers over " + std::to_string(limits.max_header_bytes) + " bytes");
        }
        return {};
    }
    Frame frame;
    frame.header_bytes = header_end;
    bool has_length = false;
    std::size_t length = 0;
    std::size_t pos = received.find('\n') + 1; // past the request line
    while (pos < header_end) {
        const std::size_t lf = received.find('\n', pos);
        const std::string_view line = received.substr(pos, lf - pos);
        pos = lf + 1;
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue; // the empty line, or junk the parser will refuse
        const std::string_view name = trim(line.substr(0, colon));
        const std::string_view value = trim(line.substr(colon + 1));
        if (iequals(name, "content-length")) {
            std::size_t n = 0;
            const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
            if (value.empty() || ec != std::errc() || end != value.data() + value.size()) {
                return refuse(400, "Content-Length is not a number");
            }
            if (has_length && n != length) return refuse(400, "two different Content-Length headers");
            has_length = true;
            length = n;
        } else if (iequals(name, "transfer-encoding") && !iequals(value, "identity")) {
            return refuse(411, "send the body with a Content-Length (chunked request bodies are not accepted)");
        } else if (iequals(name, "expect") && iequals(value, "100-continue")) {
            frame.expect_continue = true;
        }
    }
    if (length > limits.max_body_bytes) {
        return refuse(413, "request body over " + std::to_string(limits.max_body_bytes) + " bytes");
    }
    if (received.size() - header_end >= length) {
        frame.state = Frame::State::complete;
        frame.request_bytes = header_end + length;
    }
    return frame;
}

std::size_t erase_expect_headers(std::string& request, std::size_t header_bytes) {
    std::size_t removed = 0;
    std::size_t pos = request.find('\n') + 1;
    while (pos < header_bytes - removed) {
        const std::size_t lf = request.find('\n', pos);
        const std::string_view line(request.data() + pos, lf - pos);
        const std::size_t colon = line.find(':');
        if (colon != std::string_view::npos && iequals(trim(line.substr(0, colon)), "expect")) {
            request.erase(pos, lf + 1 - pos);
            removed += lf + 1 - pos;
            continue;
        }
        pos = lf + 1;
    }
    return removed;
}

} // namespace yike::viz::detail
