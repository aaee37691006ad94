#pragma once
// A UTF-8 validity check written for the fuzz targets on its own, so that a fault in the readers'
// decoder (io/src/detail/utf8.hpp) cannot hide itself.
#include <cstddef>
#include <string_view>

namespace yike::fuzz {

// Well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
inline bool valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        unsigned lo = 0x80;
        unsigned hi = 0xBF;
        if (c < 0x80) {
            ++i;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            lo = c == 0xE0 ? 0xA0 : 0x80;
            hi = c == 0xED ? 0x9F : 0xBF;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            lo = c == 0xF0 ? 0x90 : 0x80;
            hi = c == 0xF4 ? 0x8F : 0xBF;
        } else {
            return false;
        }
        for (std::size_t k = 1; k <= n; ++k) {
            if (i + k >= s.size()) {
                return false;
            }
            const auto b = static_cast<unsigned char>(s[i + k]);
            // The second byte's range depends on the first (overlongs, surrogates, > U+10FFFF).
            if (b < (k == 1 ? lo : 0x80U) || b > (k == 1 ? hi : 0xBFU)) {
                return false;
            }
        }
        i += n + 1;
    }
    return true;
}

} // namespace yike::fuzz
