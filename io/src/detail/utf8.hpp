#pragma once
// UTF-8 validation for text read from user files (GDAL passes other encodings through unchanged).
#include <cstddef>
#include <string_view>

namespace yike::io::detail {

// The offset of the first byte where `s` stops being well-formed UTF-8 (no overlong forms,
// surrogates or values past U+10FFFF); npos when all of it is.
inline std::size_t first_invalid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t more = 0;
        unsigned char lo = 0x80;
        unsigned char hi = 0xBF;
        if (c < 0x80) {
            ++i;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            more = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            more = 2;
            lo = c == 0xE0 ? 0xA0 : 0x80;
            hi = c == 0xED ? 0x9F : 0xBF;
        } else if (c >= 0xF0 && c <= 0xF4) {
            more = 3;
            lo = c == 0xF0 ? 0x90 : 0x80;
            hi = c == 0xF4 ? 0x8F : 0xBF;
        } else {
            return i;
        }
        if (i + more >= s.size()) {
            return i;
        }
        for (std::size_t k = 1; k <= more; ++k) {
            const auto b = static_cast<unsigned char>(s[i + k]);
            if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) {
                return i;
            }
        }
        i += more + 1;
    }
    return std::string_view::npos;
}

// True when `s` is well-formed UTF-8.
inline bool is_utf8(std::string_view s) { return first_invalid_utf8(s) == std::string_view::npos; }

} // namespace yike::io::detail
