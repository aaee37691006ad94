#pragma once
// Where one HTTP/1.1 request ends in the bytes received so far on a connection. The server's
// connection loop reads every request in full before a worker sees it, so that a client sending
// slowly holds nothing but its socket; this decides when "in full" is reached, or that the
// request is to be refused before it is.
#include <cstddef>
#include <string>
#include <string_view>

namespace yike::viz::detail {

struct FrameLimits {
    std::size_t max_header_bytes = 16 * 1024; // request line and headers, with the blank line
    std::size_t max_body_bytes = 64 * 1024;
}; // struct FrameLimits

struct Frame {
    enum class State { incomplete, complete, refused };
    State state = State::incomplete;
    std::size_t header_bytes = 0;  // set once the headers are in (0 before)
    std::size_t request_bytes = 0; // complete: headers and body
    bool expect_continue = false;  // the headers ask for "100 Continue" before the body is sent
    int status = 0;                // refused: the HTTP status to answer
    std::string message;           // refused: why, for the JSON error
}; // struct Frame

// Looks at the front of `received`: a request whose headers end with an empty line and whose
// body has the length its Content-Length says. Chunked request bodies are refused (411):
// browsers and the planner's page always send a length.
[[nodiscard]] Frame frame_request(std::string_view received, const FrameLimits& limits);

// Removes "Expect:" header lines from the first `header_bytes` of `request` (the loop has
// answered "100 Continue" itself) and returns how many bytes were removed.
std::size_t erase_expect_headers(std::string& request, std::size_t header_bytes);

} // namespace yike::viz::detail
