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
        // Barrier-free and crossing keys: limits are positive when set, factors in (0, 1], no value
        // both blocked and slowed, the delay within its range.
        YIKE_FUZZ_CHECK(!profile.max_incline_permille || *profile.max_incline_permille > 0);
        YIKE_FUZZ_CHECK(!profile.min_width_mm || *profile.min_width_mm > 0);
        YIKE_FUZZ_CHECK(!profile.max_kerb_height_mm || *profile.max_kerb_height_mm > 0);
        YIKE_FUZZ_CHECK(profile.signal_delay_ms <= 600'000);
        for (const auto& [value, factor] : profile.surface_speed_factor) {
            YIKE_FUZZ_CHECK(factor > 0.0 && factor <= 1.0 && !profile.blocked_surfaces.contains(value));
        }
        for (const auto& [value, factor] : profile.smoothness_speed_factor) {
            YIKE_FUZZ_CHECK(factor > 0.0 && factor <= 1.0 && !profile.blocked_smoothness.contains(value));
        }
        for (const auto& cls : profile.separate_sidewalk_classes) {
            YIKE_FUZZ_CHECK(profile.highway_speed_factor.contains(cls));
        }
        YIKE_FUZZ_CHECK(yike::io::with_speed(profile, 0.8).speed_mm_per_s == 800);
    } catch (const yike::error&) {
        // bad input, reported with a message: what the reader must do
    }
    return 0;
}
