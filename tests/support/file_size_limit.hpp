#pragma once
// A file system that refuses large files, for tests of what a writer leaves behind when a write
// fails half-way.
#include <gtest/gtest.h>

#include <csignal>
#include <cstdint>
#include <sys/resource.h>

namespace yike::test {

// Runs `write` with files limited to `max_bytes` (RLIMIT_FSIZE, with SIGXFSZ ignored so that a
// write past the limit fails instead of ending the process), then restores the limit and the
// handler. Wrap the call in ASSERT_NO_FATAL_FAILURE: a limit that cannot be set is fatal.
template <typename Write>
void with_file_size_limit(std::uintmax_t max_bytes, Write&& write) {
    const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit old_limit{};
    ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old_limit), 0);
    rlimit limit = old_limit;
    limit.rlim_cur = static_cast<rlim_t>(max_bytes);
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limit), 0);
    write();
    ::setrlimit(RLIMIT_FSIZE, &old_limit);
    std::signal(SIGXFSZ, old_handler);
}

} // namespace yike::test
