#include "yike/io/number_text.hpp"

#include <cmath>
#include <cstdio>

namespace yike::io {

std::string fixed(double value, int decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    std::string text = buffer;
    // "-0.00" of a tiny negative value (or of -0.0) reads as zero.
    if (text.front() == '-' && text.find_first_not_of("-0.") == std::string::npos) text.erase(0, 1);
    return text;
}

std::string percent(double share) { return fixed(share * 100.0, 1) + " %"; }

std::string thousands(double value) { return thousands(static_cast<std::int64_t>(std::llround(value))); }

std::string thousands(std::int64_t n) {
    const std::string digits = std::to_string(n < 0 ? 0ULL - static_cast<unsigned long long>(n) : static_cast<unsigned long long>(n));
    std::string out = n < 0 ? "-" : "";
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i != 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
        out.push_back(digits[i]);
    }
    return out;
}

} // namespace yike::io
