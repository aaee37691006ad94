#pragma once
// Numbers as every table, page and message of yike prints them: one rule each, so that the same
// figure reads the same in summary.md, plan.md, report.html, a map legend and the command's lines.
// The shortest exact form is io::format_number (feature_writer.hpp).
#include <concepts>
#include <cstdint>
#include <string>

namespace yike::io {

// `decimals` fixed decimals ("%.*f"). Never a negative zero ("-0", "-0.0"): a value that rounds
// to zero prints without its sign.
std::string fixed(double value, int decimals);

// A share (0.123) as "12.3 %".
std::string percent(double share);

// With a comma every three digits ("-1,234,567"); a double is rounded to an integer first.
std::string thousands(std::int64_t value);
std::string thousands(double value);
template <std::integral T>
std::string thousands(T value) {
    return thousands(static_cast<std::int64_t>(value));
}

} // namespace yike::io
