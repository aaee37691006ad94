// Walking profiles (data/profiles/*.toml) through load_profile and with_speed.
#include <cstddef>
#include <cstdint>

#include "fuzz_input.hpp"
#include "yike/error.hpp"
#include "yike/io/profile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const yike::fuzz::InputFile file("profile.toml");
    try {
        const auto profile = yike::io::load_profile(file.write(data, size).string());
        YIKE_FUZZ_CHECK(profile.speed_mm_per_s >= 1 && profile.speed_mm_per_s <= 10'000);
        YIKE_FUZZ_CHECK(!profile.highway_speed_factor.empty());
        for (const auto& [highway, factor] : profile.highway_speed_factor) {
            YIKE_FUZZ_CHECK(!highway.empty() && factor > 0.0 && factor <= 2.0);
        }
        YIKE_FUZZ_CHECK(yike::io::with_speed(profile, 0.8).speed_mm_per_s == 800);
    } catch (const yike::error&) {
        // bad input, reported with a message: what the reader must do
    }
    return 0;
}
