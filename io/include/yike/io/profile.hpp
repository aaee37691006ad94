#pragma once
// Walking profiles: which OSM ways are walkable and how fast, read from a TOML data file.
#include <cstdint>
#include <filesystem>
#include <map>
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
}; // struct WalkProfile

// Loads a shipped profile by name ("walk", "senior") or a TOML file by path. Throws
// yike::config_error naming the file and the key on any missing or malformed entry.
WalkProfile load_profile(std::string_view name_or_path);

// The same profile at another base speed (from --speed, in m/s); throws config_error if the speed
// is not in (0, 10] m/s.
WalkProfile with_speed(WalkProfile profile, double speed_m_per_s);

} // namespace yike::io
