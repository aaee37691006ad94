#pragma once
// Walking profiles: which OSM ways are walkable and how fast, read from a TOML data file.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace yike::io {

// The folder holding profiles, standards and the bundled sample: $YIKE_DATA_DIR if set, else the
// source tree's data/ folder recorded at build time.
std::filesystem::path data_dir();

struct WalkProfile {
    std::string name;                 // e.g. "walk"
    std::filesystem::path source;     // the file it was read from
    std::uint32_t speed_mm_per_s = 1000; // base walking speed
    // Walkable highway classes with their speed factor (1.0 = base speed; steps are slower).
    std::map<std::string, double, std::less<>> highway_speed_factor;
    // Highway classes walkable only with a sidewalk on the way (sidewalk=yes|both|left|right or
    // sidewalk:both|left|right=yes; not sidewalk=separate) or with foot=* in allowed_foot.
    std::set<std::string, std::less<>> highway_needs_sidewalk_or_foot;
    // access=* / foot=* values that forbid walking (unless foot=* allows it explicitly).
    std::set<std::string, std::less<>> forbidden_access; // e.g. no, private
    std::set<std::string, std::less<>> allowed_foot;     // e.g. yes, designated, permissive
    // barrier=* values on nodes that are passable (gate, bollard, ...) unless access forbids it or
    // locked=yes; any other barrier value blocks unless foot=* is in allowed_foot.
    std::set<std::string, std::less<>> passable_barriers;
    bool pedestrian_areas = true; // area=yes highway=pedestrian rings are walkable outlines

    // ---- barrier-free rules (data/profiles/README.md); the defaults leave a profile unchanged ----
    // highway=steps only with ramp=yes or ramp:wheelchair=yes.
    bool steps_need_ramp = false;
    // wheelchair=no on a way or node blocks it; wheelchair=yes|limited|designated exempts it from
    // the physical rules below (steps, kerb, incline, surface, smoothness, width).
    bool wheelchair_tags = false;
    // kerb=* values on nodes that block (e.g. raised); kerb:height above the limit blocks too and,
    // when given, decides over kerb=*.
    std::set<std::string, std::less<>> blocking_kerbs;
    std::optional<std::uint32_t> max_kerb_height_mm;
    // |incline| above this (tenths of a percent) blocks; "up"/"down"/unparsable values do not.
    std::optional<std::uint32_t> max_incline_permille;
    // surface=* / smoothness=* values that block, and factors on the speed of the others.
    std::set<std::string, std::less<>> blocked_surfaces;
    std::set<std::string, std::less<>> blocked_smoothness;
    std::map<std::string, double, std::less<>> surface_speed_factor;
    std::map<std::string, double, std::less<>> smoothness_speed_factor;
    // width=* below this blocks; unparsable widths do not.
    std::optional<std::uint32_t> min_width_mm;

    // ---- crossings ----
    // Time lost at a node with highway=traffic_signals or crossing=traffic_signals; 0 = none.
    std::uint32_t signal_delay_ms = 0;
    // Classes not walked along when their sidewalks are mapped as separate ways
    // (sidewalk=separate, sidewalk:both=separate, or sidewalk:left and :right both separate).
    std::set<std::string, std::less<>> separate_sidewalk_classes;

    // ---- slope (used only when a DEM is given: --dem) ----
    // Tobler's hiking function normalised to the profile's speed on the flat: on a slope s (rise
    // over run, signed in the walking direction) the speed is
    //   speed x exp(-b |s + c|) / exp(-b c)
    // (Tobler 1993: 6 km/h x exp(-3.5 |s + 0.05|); the 6 km/h peak at s = -c becomes the
    // profile's own speed times exp(b c), 1.19 for b = 3.5, c = 0.05). `tobler` false: flat
    // (the DEM then only serves max_incline_permille).
    struct Slope {
        bool tobler = false;
        double b = 3.5;
        double c = 0.05;
    };
    Slope slope;
}; // struct WalkProfile

// Loads a shipped profile by name ("walk", "senior", "wheelchair") or a TOML file by path. Throws
// yike::config_error naming the file and the key on any missing or malformed entry.
WalkProfile load_profile(std::string_view name_or_path);

// The same profile at another base speed (from --speed, in m/s); throws config_error if the speed
// is not in (0, 10] m/s.
WalkProfile with_speed(WalkProfile profile, double speed_m_per_s);

} // namespace yike::io
