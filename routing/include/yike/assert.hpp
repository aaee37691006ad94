#pragma once
// YIKE_ASSERT checks invariants (bugs, never bad input). It aborts with a message by default;
// tests define YIKE_ASSERT_THROWS so a violated precondition becomes a testable assert_error.
#include <cstdio>
#include <cstdlib>

#include "yike/error.hpp"

namespace yike::detail {
[[noreturn]] inline void assert_failed(const char* expr, const char* file, int line) {
#ifdef YIKE_ASSERT_THROWS
    throw assert_error(std::string(file) + ":" + std::to_string(line) + ": assertion failed: " + expr);
#else
    std::fprintf(stderr, "yike: internal error at %s:%d: assertion failed: %s\n", file, line, expr);
    std::abort();
#endif
}
} // namespace yike::detail

#define YIKE_ASSERT(expr) \
    ((expr) ? static_cast<void>(0) : ::yike::detail::assert_failed(#expr, __FILE__, __LINE__))
