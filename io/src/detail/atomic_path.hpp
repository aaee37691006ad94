#pragma once
// Files that appear whole or not at all: written under a temporary name beside the target, then
// renamed over it.
#include <filesystem>
#include <string>
#include <system_error>

#include <unistd.h>

#include "yike/error.hpp"

namespace yike::io::detail {

// A temporary file beside the target; removed on destruction unless committed by rename.
class AtomicPath {
public:
    explicit AtomicPath(std::filesystem::path target) : m_target(std::move(target)) {
        const auto dir = m_target.has_parent_path() ? m_target.parent_path() : std::filesystem::path(".");
        std::error_code ec;
        if (!std::filesystem::is_directory(dir, ec)) {
            throw io_error(m_target.string() + ": cannot write: folder '" + dir.string() + "' does not exist");
        }
        // Keep the extension last: GDAL picks drivers by it.
        std::string name = ".";
        name.append(m_target.stem().string());
        name.append(".tmp");
        name.append(std::to_string(::getpid()));
        name.append(m_target.extension().string());
        m_temp = dir / name;
    }
    AtomicPath(const AtomicPath&) = delete;
    AtomicPath& operator=(const AtomicPath&) = delete;
    ~AtomicPath() {
        if (!m_committed) {
            std::error_code ec;
            std::filesystem::remove(m_temp, ec);
        }
    }
    [[nodiscard]] const std::filesystem::path& temp() const noexcept { return m_temp; }
    void commit() {
        std::error_code ec;
        std::filesystem::rename(m_temp, m_target, ec);
        if (ec) {
            throw io_error(m_target.string() + ": cannot write: " + ec.message());
        }
        m_committed = true;
    }

private:
    std::filesystem::path m_target;
    std::filesystem::path m_temp;
    bool m_committed = false;
}; // class AtomicPath

} // namespace yike::io::detail
