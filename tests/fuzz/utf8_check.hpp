#pragma once
// A UTF-8 validity check written for the fuzz targets on its own, so that a fault in the readers'
// decoder (io/src/detail/utf8.hpp) cannot hide itself.
#include <cstddef>
#include <string_view>

namespace yike::fuzz {

// Well-formed UTF-8 (RFC 3629), judged by its definition rather than by the byte ranges of its
// grammar that io's decoder checks: each sequence decodes to a code point, which must need exactly
// that many bytes (no overlong form), must not be a surrogate and must not exceed U+10FFFF.
inline bool valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto lead = static_cast<unsigned char>(s[i]);
        // The leading one bits of the first byte count the sequence's bytes (none: ASCII).
        std::size_t length = 0;
        while (length < 8 && (lead & (0x80U >> length)) != 0) {
            ++length;
        }
        if (length == 0) {
            ++i;
            continue;
        }
        if (length == 1 || length > 4 || s.size() - i < length) {
            return false;
        }
        char32_t code_point = lead & (0x7FU >> length);
        for (std::size_t k = 1; k < length; ++k) {
            const auto b = static_cast<unsigned char>(s[i + k]);
            if ((b & 0xC0U) != 0x80U) {
                return false;
            }
            code_point = (code_point << 6) | (b & 0x3FU);
        }
        const char32_t fewest = length == 2 ? 0x80 : (length == 3 ? 0x800 : 0x10000); // the least that needs `length` bytes
        if (code_point < fewest || (code_point >= 0xD800 && code_point <= 0xDFFF) || code_point > 0x10FFFF) {
            return false;
        }
        i += length;
    }
    return true;
}

} // namespace yike::fuzz
