// The GeoJSON text writer's fast paths (JSON strings appended in runs, coordinates printed from
// integers) against the plain one-character-at-a-time and printf formulations they replace, on
// random input.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "yike/io/feature_writer.hpp"
#include "yike/io/json_text.hpp"

namespace {

std::uint64_t seed() {
    if (const char* env = std::getenv("YIKE_TEST_SEED"); env != nullptr && *env != '\0') {
        return std::stoull(env);
    }
    return 20261122;
}

std::string reference_json_string(const std::string& text, bool script_safe) {
    std::string out = "\"";
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"') {
            out += "\\\"";
        } else if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c < 0x20 || (script_safe && (c == '<' || c == '>' || c == '&'))) {
            std::array<char, 8> buf{};
            std::snprintf(buf.data(), buf.size(), "\\u%04x", c);
            out += buf.data();
        } else {
            out += ch;
        }
    }
    return out + "\"";
}

std::string reference_coordinate(double degrees) {
    std::array<char, 32> buf{};
    double rounded = std::round(degrees * 1e7) / 1e7;
    if (rounded == 0.0) {
        rounded = 0.0;
    }
    std::snprintf(buf.data(), buf.size(), "%.7f", rounded);
    std::string s(buf.data());
    while (!s.empty() && s.back() == '0') {
        s.pop_back();
    }
    if (!s.empty() && s.back() == '.') {
        s.pop_back();
    }
    return s;
}

TEST(JsonText, EscapesLikeTheCharacterByCharacterRule) {
    std::mt19937_64 rng(seed());
    // Mostly plain text, with quotes, backslashes, control bytes, '<>&' and UTF-8 bytes mixed in.
    const std::string special = "\"\\\n\r\t\x01\x1f<>&\x7f";
    for (int trial = 0; trial < 2000; ++trial) {
        std::string text;
        // Half the strings have escapes rarely, so long clean runs (read eight bytes at a time)
        // end at a byte needing one in every position of a word.
        const auto length = static_cast<int>(rng() % 100);
        const std::uint64_t scale = trial % 2 == 0 ? 10 : 100;
        for (int i = 0; i < length; ++i) {
            const auto pick = rng() % scale;
            if (pick < scale - 4) {
                text += static_cast<char>('a' + rng() % 26);
            } else if (pick < scale - 2) {
                text += special[rng() % special.size()];
            } else {
                text += static_cast<char>(0x80 + rng() % 0x80);
            }
        }
        for (const bool script_safe : {false, true}) {
            std::string out = "x";
            yike::io::append_json_string(out, text, script_safe);
            std::string expected = "x";
            expected += reference_json_string(text, script_safe);
            EXPECT_EQ(out, expected) << "trial " << trial;
        }
    }
    std::string empty;
    yike::io::append_json_string(empty, "");
    EXPECT_EQ(empty, "\"\"");
}

TEST(JsonText, CoordinatesPrintLikeFixedSevenDecimals) {
    std::mt19937_64 rng(seed() + 1);
    std::vector<double> values = {0.0, -0.0, 1e-9, -1e-9, 4.9e-8, -5e-8, 5e-8, 0.5, -0.5, 1.0, -1.0, 180.0, -180.0,
                                  90.0, 116.4, 39.9, 7.4246158, -0.0000001, 123456.7890123, 99999.99999995,
                                  1e15, -1e20, std::numeric_limits<double>::infinity()};
    std::uniform_real_distribution<double> lon(-180.0, 180.0);
    for (int i = 0; i < 20000; ++i) {
        values.push_back(lon(rng));
        // Values on and next to the 1e-7 grid, where rounding decides the last digit.
        const double on_grid = static_cast<double>(static_cast<std::int64_t>(rng() % 3'600'000'001ULL) - 1'800'000'000) / 1e7;
        values.push_back(on_grid);
        values.push_back(std::nextafter(on_grid, 1e9));
        values.push_back(on_grid + 0.5e-7);
    }
    yike::io::Layer layer{"points", {}};
    for (std::size_t i = 0; i + 1 < values.size(); i += 2) {
        layer.features.push_back({yike::io::PointGeometry{{values[i], values[i + 1]}}, {}});
    }
    std::string expected = "{\"type\":\"FeatureCollection\",\"features\":[\n";
    for (std::size_t i = 0; i + 1 < values.size(); i += 2) {
        expected += i == 0 ? "" : ",\n";
        expected += R"({"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[)" +
                    reference_coordinate(values[i]) + "," + reference_coordinate(values[i + 1]) + "]}}";
    }
    expected += "\n]}\n";
    EXPECT_EQ(yike::io::to_geojson({layer}), expected);
}

} // namespace
