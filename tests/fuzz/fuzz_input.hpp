#pragma once
// Fuzz inputs reach the readers as real files, through the same path a user's file takes: every
// reader checks its path with std::filesystem before opening it, so GDAL's in-memory /vsimem/
// files cannot stand in for them. One folder per process, removed at exit, one file per name,
// rewritten for every input.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>

#include <unistd.h>

#include "yike/routing/geo.hpp"

// What a reader returns must hold whatever the input was; a violation is a silently wrong answer,
// reported as a crash so libFuzzer keeps the input.
#define YIKE_FUZZ_CHECK(expr) \
    ((expr) ? static_cast<void>(0) : ::yike::fuzz::check_failed(#expr, __FILE__, __LINE__))

namespace yike::fuzz {

[[noreturn]] inline void check_failed(const char* expr, const char* file, int line) {
    std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n", file, line, expr);
    std::abort();
}

inline bool valid_lonlat(const routing::LonLat& p) {
    return std::isfinite(p.lon) && std::isfinite(p.lat) && p.lon >= -180.0 && p.lon <= 180.0 && p.lat >= -90.0 &&
           p.lat <= 90.0;
}

inline bool valid_amount(double v) { return std::isfinite(v) && v >= 0.0; }

class InputFile {
public:
    // `name` carries the extension the reader looks at (".toml", ".csv", ".geojson"); it may start
    // with a folder ("a/layer.csv"), so that two files can have the same name.
    explicit InputFile(const std::string& name)
        : m_dir(std::filesystem::temp_directory_path() / ("yike-fuzz-" + std::to_string(::getpid()))),
          m_path(m_dir / name) {
        std::filesystem::create_directories(m_path.parent_path());
    }
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;
    ~InputFile() {
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
    }

    const std::filesystem::path& write(const std::uint8_t* data, std::size_t size) const {
        std::ofstream out(m_path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
        out.close();
        if (!out) {
            throw std::runtime_error(m_path.string() + ": cannot write the fuzz input");
        }
        return m_path;
    }

private:
    std::filesystem::path m_dir;
    std::filesystem::path m_path;
};

} // namespace yike::fuzz
