#include "yike/io/profile.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <vector>

#include "detail/toml_reader.hpp"
#include "yike/error.hpp"

namespace yike::io {

namespace {

constexpr double max_speed_m_per_s = 10.0;
constexpr double max_speed_factor = 2.0;

// Highway classes no profile may admit: walking there is illegal or the way does not exist yet.
constexpr std::string_view never_walkable[] = {"motorway", "motorway_link", "construction",
                                               "proposed", "abandoned",     "razed"};

constexpr std::string_view known_keys[] = {
    "name",             "description",        "speed_m_per_s",          "highway_speed_factor",
    "needs_sidewalk_or_foot", "forbidden_access", "allowed_foot",       "passable_barriers",
    "pedestrian_areas", "steps_need_ramp",    "wheelchair_tags",        "blocking_kerbs",
    "max_kerb_height_cm", "max_incline_percent", "blocked_surfaces",    "blocked_smoothness",
    "surface_speed_factor", "smoothness_speed_factor", "min_width_m",   "signal_delay_s",
    "separate_sidewalk_classes", "slope"};

// The values the OSM wiki documents for kerb=*, surface=* and smoothness=*: a list entry outside
// them is a typo that would silently never match.
constexpr std::string_view known_kerbs[] = {"raised", "lowered", "flush", "rolled", "no", "yes"};
constexpr std::string_view known_surfaces[] = {
    "paved",        "asphalt",       "chipseal",      "concrete",    "concrete:lanes", "concrete:plates",
    "paving_stones", "paving_stones:lanes", "grass_paver", "sett",     "unhewn_cobblestone", "cobblestone",
    "bricks",       "metal",         "metal_grid",    "wood",        "stepping_stones", "rubber",
    "tiles",        "unpaved",       "compacted",     "fine_gravel", "gravel",        "shells",
    "rock",         "pebblestone",   "ground",        "dirt",        "earth",         "grass",
    "mud",          "sand",          "woodchips",     "snow",        "ice",           "salt",
    "clay",         "tartan",        "artificial_turf", "acrylic",   "carpet",        "plastic"};
constexpr std::string_view known_smoothness[] = {"excellent", "good",     "intermediate",  "bad",
                                                 "very_bad",  "horrible", "very_horrible", "impassable"};

template <std::size_t N>
bool one_of(const std::string_view (&list)[N], std::string_view value) {
    return std::find(std::begin(list), std::end(list), value) != std::end(list);
}

template <std::size_t N>
std::string joined(const std::string_view (&list)[N]) {
    std::string out;
    for (const auto v : list) {
        out += (out.empty() ? "" : ", ") + std::string(v);
    }
    return out;
}

std::vector<std::string> shipped_profile_names() {
    std::vector<std::string> names;
    std::error_code ec;
    const auto dir = data_dir() / "profiles";
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() == ".toml") {
            names.push_back(it->path().stem().string());
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

class ProfileParser {
public:
    ProfileParser(std::filesystem::path file, const toml::table& table)
        : m_toml(std::move(file), detail::KeyStyle::profile), m_table(table) {}

    WalkProfile parse() {
        for (const auto& [key, value] : m_table) {
            const std::string_view k = key.str();
            if (std::find(std::begin(known_keys), std::end(known_keys), k) == std::end(known_keys)) {
                fail(k, "unknown key (known: " + joined(known_keys) + ")", &value);
            }
        }
        WalkProfile p;
        p.source = m_toml.file();
        p.name = required_string("name");
        if (p.name.empty()) {
            fail("name", "must not be empty", m_table.get("name"));
        }
        if (const auto* d = m_table.get("description"); d != nullptr && !d->is_string()) {
            fail("description", "must be a string", d);
        }
        const double speed = required_number("speed_m_per_s");
        if (!(speed > 0.0 && speed <= max_speed_m_per_s)) {
            fail("speed_m_per_s", "must be in (0, 10] m/s, got " + format(speed), m_table.get("speed_m_per_s"));
        }
        p.speed_mm_per_s = std::max<std::uint32_t>(1, static_cast<std::uint32_t>(std::llround(speed * 1000.0)));

        const toml::node* factors = m_table.get("highway_speed_factor");
        if (factors == nullptr) {
            fail("highway_speed_factor", "is missing", nullptr);
        }
        if (!factors->is_table()) {
            fail("highway_speed_factor", "must be a table of highway class = speed factor", factors);
        }
        for (const auto& [cls, value] : *factors->as_table()) {
            const std::string key = "highway_speed_factor." + std::string(cls.str());
            const double f = number(&value, key);
            if (!(f > 0.0 && f <= max_speed_factor)) {
                fail(key, "must be in (0, 2], got " + format(f), &value);
            }
            if (std::find(std::begin(never_walkable), std::end(never_walkable), cls.str()) != std::end(never_walkable)) {
                fail(key, "highway=" + std::string(cls.str()) + " is never walkable", &value);
            }
            p.highway_speed_factor.emplace(std::string(cls.str()), f);
        }
        if (p.highway_speed_factor.empty()) {
            fail("highway_speed_factor", "lists no walkable highway class", factors);
        }
        p.highway_needs_sidewalk_or_foot = string_set("needs_sidewalk_or_foot", false);
        for (const auto& cls : p.highway_needs_sidewalk_or_foot) {
            if (!p.highway_speed_factor.contains(cls)) {
                fail("needs_sidewalk_or_foot", "class '" + cls + "' has no entry in highway_speed_factor",
                     m_table.get("needs_sidewalk_or_foot"));
            }
        }
        p.forbidden_access = string_set("forbidden_access", true);
        p.allowed_foot = string_set("allowed_foot", true);
        for (const auto& v : p.allowed_foot) {
            if (p.forbidden_access.contains(v)) {
                fail("allowed_foot", "value '" + v + "' is also in forbidden_access", m_table.get("allowed_foot"));
            }
        }
        p.passable_barriers = string_set("passable_barriers", false);
        if (const auto* areas = m_table.get("pedestrian_areas"); areas != nullptr) {
            p.pedestrian_areas = m_toml.boolean(*areas, "pedestrian_areas");
        }
        parse_barrier_free(p);
        parse_crossings(p);
        parse_slope(p);
        return p;
    }

private:
    void parse_barrier_free(WalkProfile& p) const {
        p.steps_need_ramp = optional_bool("steps_need_ramp");
        p.wheelchair_tags = optional_bool("wheelchair_tags");
        p.blocking_kerbs = known_set("blocking_kerbs", known_kerbs);
        if (const auto cm = optional_limit("max_kerb_height_cm", 0.1, 100.0)) {
            p.max_kerb_height_mm = static_cast<std::uint32_t>(std::llround(*cm * 10.0));
        }
        // A limit of 0 would block every way with any incline mapped (even 1 %): almost surely a
        // mistake for "no limit", which is said by leaving the key out.
        if (const auto pct = optional_limit("max_incline_percent", 0.1, 100.0)) {
            p.max_incline_permille = static_cast<std::uint32_t>(std::llround(*pct * 10.0));
        }
        if (const auto w = optional_limit("min_width_m", 0.001, 20.0)) {
            p.min_width_mm = static_cast<std::uint32_t>(std::llround(*w * 1000.0));
        }
        p.blocked_surfaces = known_set("blocked_surfaces", known_surfaces);
        p.blocked_smoothness = known_set("blocked_smoothness", known_smoothness);
        p.surface_speed_factor = known_factors("surface_speed_factor", known_surfaces, p.blocked_surfaces, "blocked_surfaces");
        p.smoothness_speed_factor =
            known_factors("smoothness_speed_factor", known_smoothness, p.blocked_smoothness, "blocked_smoothness");
    }

    void parse_crossings(WalkProfile& p) const {
        if (const toml::node* n = m_table.get("signal_delay_s"); n != nullptr) {
            const double s = number(n, "signal_delay_s");
            if (!(s >= 0.0 && s <= 600.0)) {
                fail("signal_delay_s", "must be in [0, 600] s, got " + format(s), n);
            }
            p.signal_delay_ms = static_cast<std::uint32_t>(std::llround(s * 1000.0));
        }
        p.separate_sidewalk_classes = string_set("separate_sidewalk_classes", false);
        for (const auto& cls : p.separate_sidewalk_classes) {
            if (!p.highway_speed_factor.contains(cls)) {
                fail("separate_sidewalk_classes", "class '" + cls + "' has no entry in highway_speed_factor",
                     m_table.get("separate_sidewalk_classes"));
            }
        }
    }

    // [slope]: how a DEM's slopes change the walking time (only used with --dem).
    void parse_slope(WalkProfile& p) const {
        const toml::node* n = m_table.get("slope");
        if (n == nullptr) {
            return;
        }
        if (!n->is_table()) {
            fail("slope", "must be a table (model, b, c)", n);
        }
        const toml::table& t = *n->as_table();
        for (const auto& [key, value] : t) {
            if (key.str() != "model" && key.str() != "b" && key.str() != "c") {
                fail("slope." + std::string(key.str()), "unknown key (known: model, b, c)", &value);
            }
        }
        const toml::node* model = t.get("model");
        if (model == nullptr || !model->is_string() ||
            (model->as_string()->get() != "tobler" && model->as_string()->get() != "flat")) {
            fail("slope.model", "must be \"tobler\" or \"flat\"", model != nullptr ? model : n);
        }
        p.slope.tobler = model->as_string()->get() == "tobler";
        auto param = [&](std::string_view key, double low, double high, double fallback) {
            const toml::node* v = t.get(key);
            if (v == nullptr) {
                return fallback;
            }
            const double x = number(v, "slope." + std::string(key));
            if (!(x >= low && x <= high)) {
                fail("slope." + std::string(key), "must be in [" + format(low) + ", " + format(high) + "], got " + format(x), v);
            }
            return x;
        };
        p.slope.b = param("b", 0.0, 20.0, p.slope.b);
        p.slope.c = param("c", 0.0, 0.5, p.slope.c);
    }

    bool optional_bool(std::string_view key) const {
        const toml::node* n = m_table.get(key);
        if (n == nullptr) {
            return false;
        }
        return m_toml.boolean(*n, key);
    }

    double number(const toml::node* n, std::string_view key) const { return m_toml.number(*n, key); }

    // A limit in (0, max]; absent means no limit. Below `step` (the unit it is stored in) it would
    // round to 0 and block everything, so it is refused like 0.
    std::optional<double> optional_limit(std::string_view key, double step, double max) const {
        const toml::node* n = m_table.get(key);
        if (n == nullptr) {
            return std::nullopt;
        }
        const double v = number(n, key);
        if (!(v > 0.0 && v <= max)) {
            fail(key, "must be in (0, " + format(max) + "], got " + format(v) + " (leave the key out for no limit)", n);
        }
        if (v < step) {
            fail(key, "must be at least " + format(step) + ", got " + format(v) + " (leave the key out for no limit)", n);
        }
        return v;
    }

    template <std::size_t N>
    std::set<std::string, std::less<>> known_set(std::string_view key, const std::string_view (&known)[N]) const {
        auto out = string_set(key, false);
        for (const auto& v : out) {
            if (!one_of(known, v)) {
                fail(key, "value '" + v + "' is not a known value (known: " + joined(known) + ")", m_table.get(key));
            }
        }
        return out;
    }

    template <std::size_t N>
    std::map<std::string, double, std::less<>> known_factors(std::string_view key, const std::string_view (&known)[N],
                                                            const std::set<std::string, std::less<>>& blocked,
                                                            std::string_view blocked_key) const {
        std::map<std::string, double, std::less<>> out;
        const toml::node* n = m_table.get(key);
        if (n == nullptr) {
            return out;
        }
        if (!n->is_table()) {
            fail(key, "must be a table of value = speed factor", n);
        }
        for (const auto& [value, factor] : *n->as_table()) {
            const std::string name(value.str());
            const std::string full = std::string(key) + "." + name;
            if (!one_of(known, name)) {
                fail(full, "is not a known value (known: " + joined(known) + ")", &factor);
            }
            if (blocked.contains(name)) {
                fail(full, "is also in " + std::string(blocked_key), &factor);
            }
            const double f = number(&factor, full);
            if (!(f > 0.0 && f <= 1.0)) {
                fail(full, "must be in (0, 1], got " + format(f) + " (list the value in " + std::string(blocked_key) +
                               " to block it)", &factor);
            }
            out.emplace(name, f);
        }
        return out;
    }

    // "FILE:LINE: profile key 'KEY' WHAT"; without a line for a key that is missing.
    [[noreturn]] void fail(std::string_view key, const std::string& what, const toml::node* at) const {
        m_toml.fail_key(at != nullptr && detail::TomlReader::line_of(*at) != 0 ? at : nullptr, key, what);
    }

    static std::string format(double v) {
        std::ostringstream s;
        s << v;
        return s.str();
    }

    std::string required_string(std::string_view key) const {
        const toml::node* n = m_table.get(key);
        if (n == nullptr) {
            fail(key, "is missing", nullptr);
        }
        return m_toml.string(*n, key);
    }

    double required_number(std::string_view key) const {
        const toml::node* n = m_table.get(key);
        if (n == nullptr) {
            fail(key, "is missing", nullptr);
        }
        return number(n, key);
    }

    std::set<std::string, std::less<>> string_set(std::string_view key, bool required) const {
        std::set<std::string, std::less<>> out;
        const toml::node* n = m_table.get(key);
        if (n == nullptr) {
            if (required) {
                fail(key, "is missing", nullptr);
            }
            return out;
        }
        if (!n->is_array()) {
            fail(key, "must be an array of strings", n);
        }
        for (const auto& item : *n->as_array()) {
            if (!item.is_string() || item.as_string()->get().empty()) {
                fail(key, "must hold only non-empty strings", &item);
            }
            out.insert(item.as_string()->get());
        }
        return out;
    }

    detail::TomlReader m_toml;
    const toml::table& m_table;
}; // class ProfileParser

WalkProfile load_profile_file(const std::filesystem::path& file) {
    const toml::table table =
        detail::read_toml_file(file, {.what = "profile file", .missing_is_config_error = true, .syntax_prefix = "malformed TOML: "});
    return ProfileParser(file, table).parse();
}

} // namespace

std::filesystem::path data_dir() {
    if (const char* env = std::getenv("YIKE_DATA_DIR"); env != nullptr && *env != '\0') {
        return std::filesystem::path(env);
    }
    return std::filesystem::path(YIKE_DATA_DIR);
}

WalkProfile load_profile(std::string_view name_or_path) {
    const bool is_path = name_or_path.find('/') != std::string_view::npos || name_or_path.ends_with(".toml");
    if (is_path) {
        return load_profile_file(std::filesystem::path(name_or_path));
    }
    if (name_or_path.empty()) {
        throw config_error("profile name is empty");
    }
    const auto file = data_dir() / "profiles" / (std::string(name_or_path) + ".toml");
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        std::string known;
        for (const auto& n : shipped_profile_names()) {
            known += (known.empty() ? "" : ", ") + n;
        }
        throw config_error(file.string() + ": unknown profile '" + std::string(name_or_path) +
                           "' (shipped profiles: " + (known.empty() ? "none found" : known) + ")");
    }
    return load_profile_file(file);
}

WalkProfile with_speed(WalkProfile profile, double speed_m_per_s) {
    if (!(speed_m_per_s > 0.0 && speed_m_per_s <= max_speed_m_per_s)) {
        std::ostringstream msg;
        msg << "--speed " << speed_m_per_s << " m/s for profile " << profile.name << " (" << profile.source.string()
            << ") is out of range: must be in (0, 10] m/s";
        throw config_error(msg.str());
    }
    profile.speed_mm_per_s = std::max<std::uint32_t>(1, static_cast<std::uint32_t>(std::llround(speed_m_per_s * 1000.0)));
    return profile;
}

} // namespace yike::io
