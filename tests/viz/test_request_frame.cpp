// Where a request ends in the bytes received so far (the server's connection loop hands only
// complete requests to its workers).
#include <gtest/gtest.h>

#include <string>

#include "../viz/src/detail/request_frame.hpp"

namespace yike::viz::detail {
namespace {

using State = Frame::State;

const std::string get = "GET /api/info HTTP/1.1\r\nHost: x\r\n\r\n";
const std::string post = "POST /api/isochrone HTTP/1.1\r\nHost: x\r\ncontent-LENGTH:  12 \r\n\r\n{\"lon\": 7.4}";

TEST(RequestFrame, CompleteOnlyAtItsLastByteAtEverySplit) {
    for (const std::string& request : {get, post}) {
        for (std::size_t n = 0; n < request.size(); ++n) {
            EXPECT_EQ(frame_request(request.substr(0, n), {}).state, State::incomplete) << n << " bytes of " << request;
        }
        const Frame f = frame_request(request, {});
        EXPECT_EQ(f.state, State::complete);
        EXPECT_EQ(f.request_bytes, request.size());
    }
    EXPECT_EQ(frame_request(post, {}).header_bytes, post.size() - 12);
}

TEST(RequestFrame, PipelinedRequestsAreFramedOneAtATime) {
    const std::string two = post + get;
    const Frame first = frame_request(two, {});
    ASSERT_EQ(first.state, State::complete);
    EXPECT_EQ(first.request_bytes, post.size());
    const Frame second = frame_request(std::string_view(two).substr(first.request_bytes), {});
    ASSERT_EQ(second.state, State::complete);
    EXPECT_EQ(second.request_bytes, get.size());
}

TEST(RequestFrame, BareLineFeedsEndTheHeadersToo) {
    const Frame f = frame_request("GET / HTTP/1.1\nHost: x\n\nrest", {});
    ASSERT_EQ(f.state, State::complete);
    EXPECT_EQ(f.request_bytes, 24U);
}

TEST(RequestFrame, RefusalsDecidedFromTheHeaders) {
    FrameLimits limits;
    limits.max_header_bytes = 64;
    limits.max_body_bytes = 10;
    // Headers that never end within the limit: 431, even before the limit's last byte arrives
    // when they are already longer.
    const Frame long_headers = frame_request("GET / HTTP/1.1\r\nX: " + std::string(100, 'a'), limits);
    EXPECT_EQ(long_headers.state, State::refused);
    EXPECT_EQ(long_headers.status, 431);
    EXPECT_EQ(frame_request("GET / HTTP/1.1\r\nX: " + std::string(20, 'a'), limits).state, State::incomplete);
    // A body over the limit is refused as soon as its length is known.
    const Frame big = frame_request("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", limits);
    EXPECT_EQ(big.state, State::refused);
    EXPECT_EQ(big.status, 413);
    EXPECT_EQ(frame_request("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n", limits).state, State::incomplete);
    EXPECT_EQ(frame_request("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", limits).status, 411);
    EXPECT_EQ(frame_request("POST / HTTP/1.1\r\nTransfer-Encoding: identity\r\n\r\n", limits).state, State::complete);
    for (const char* bad : {"Content-Length: x", "Content-Length: -1", "Content-Length: 1 2", "Content-Length:",
                            "Content-Length: 99999999999999999999999", "Content-Length: 1\r\nContent-Length: 2"}) {
        const Frame f = frame_request(std::string("POST / HTTP/1.1\r\n") + bad + "\r\n\r\n", limits);
        EXPECT_EQ(f.state, State::refused) << bad;
        EXPECT_EQ(f.status, 400) << bad;
    }
    // The same length twice is no contradiction.
    EXPECT_EQ(frame_request("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", limits).state,
              State::complete);
}

TEST(RequestFrame, ExpectContinueIsSeenAndErased) {
    std::string request = "POST /a HTTP/1.1\r\nHost: x\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\n";
    const Frame waiting = frame_request(request, {});
    EXPECT_EQ(waiting.state, State::incomplete);
    EXPECT_TRUE(waiting.expect_continue);
    request += "{}";
    const Frame f = frame_request(request, {});
    ASSERT_EQ(f.state, State::complete);
    const std::size_t removed = erase_expect_headers(request, f.header_bytes);
    EXPECT_EQ(removed, std::string("Expect: 100-Continue\r\n").size());
    EXPECT_EQ(request, "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
    const Frame again = frame_request(request, {});
    EXPECT_FALSE(again.expect_continue);
    EXPECT_EQ(again.request_bytes, f.request_bytes - removed);
    // Only in the headers: a body that looks like a header stays.
    std::string body_like = "POST /a HTTP/1.1\r\nContent-Length: 11\r\n\r\nExpect: 1\r\n";
    EXPECT_EQ(erase_expect_headers(body_like, frame_request(body_like, {}).header_bytes), 0U);
}

} // namespace
} // namespace yike::viz::detail
