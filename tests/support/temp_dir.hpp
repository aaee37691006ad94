#pragma once
// Helpers shared by the tests that write small input files: a temporary folder removed at the end
// of the test, and the message of the exception a call throws.
#include <gtest/gtest.h>
#include <unistd.h>

#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

namespace yike::test {

class TempDir {
public:
    TempDir() {
        static int counter = 0;
        m_path = std::filesystem::temp_directory_path() /
                 ("yike_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
        std::filesystem::remove_all(m_path);
        std::filesystem::create_directories(m_path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    // Writes `content` to NAME in the folder; returns its path.
    std::filesystem::path file(const std::string& name, const std::string& content) const {
        const std::filesystem::path p = m_path / name;
        std::ofstream out(p, std::ios::binary);
        out << content;
        return p;
    }
    std::filesystem::path path(const std::string& name) const { return m_path / name; }
    const std::filesystem::path& dir() const { return m_path; }

private:
    std::filesystem::path m_path;
};

// The message of the exception `fn` throws, or "(no exception)".
template <typename Fn>
std::string error_of(Fn&& fn) {
    try {
        fn();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "(no exception)";
}

// The message of the E that `fn` throws; no exception, or one of another type, fails the test.
template <typename E, typename Fn>
std::string message_of(Fn&& fn) {
    try {
        fn();
    } catch (const E& e) {
        return e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "threw an exception of another type than expected: " << e.what();
        return e.what();
    }
    ADD_FAILURE() << "no exception";
    return "(no exception)";
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

} // namespace yike::test
