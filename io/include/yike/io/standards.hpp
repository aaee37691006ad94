#pragma once
// Planning standards: named profiles of coverage, presence and ratio targets read from TOML data
// files (data/standards/ID.toml; the format is described in data/standards/README.md). The engine
// uses them under its own names and adds what it computes on them (yike/engine/standards.hpp).
#include "yike/io/categories.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace yike::io {

// How far a number has been checked (the research notes' tags).
enum class Confidence {
    stated,   // [S] stated in one of the source documents
    web,      // [W] seen in a secondary web or repository source quoting the text
    recalled, // [R] recalled from the standard's text, not confirmed against it
    derived,  // [D] computed from other numbers
};

enum class TargetKind {
    coverage, // share of a group within a walking threshold of the target's categories
    presence, // at least one facility inside each community / sub-district
    ratio,    // floor area or staff per households or per community
};

enum class Serves { all, households, seniors, children };

// The run's two walking networks: the --profile one and the --senior-profile one (e.g. wheelchair).
enum class Network : std::uint8_t { walk, senior };

// What required_share of a coverage target is a share of.
enum class Basis {
    households,
    population,
    seniors,
    children,
    communities, // communities counted as covered when community_share_covered of their households are
};

// Whether every listed category must be reachable/present, or any one of them suffices.
enum class Require { any, each };

// Administrative unit a presence or ratio target is checked in.
enum class AreaUnit { community, subdistrict };

enum class RatioKind {
    floor_area_per_100_households, // m² of the categories' floor area per 100 households
    floor_area_per_community,      // m² of the categories' floor area in each community
    staff_per_households,          // one worker per N households, with an optional minimum
    households_per_unit,           // the unit's size: at least min_households households (a size norm)
};

struct Target {
    std::string id;
    std::string name_zh;
    std::string name_en;
    TargetKind kind = TargetKind::coverage;
    std::string level;                   // free text: 5min, 10min, 15min, block, community, ...
    std::vector<std::string> categories; // empty only for staff ratios
    Require require = Require::each;
    Serves serves = Serves::all;

    // coverage: exactly one of the thresholds is set. Minutes convert with the walking profile of
    // the served group (engine::walking_network(), category_cost.hpp); metres are network distances.
    std::optional<double> threshold_minutes;
    std::optional<double> threshold_m;
    Basis basis = Basis::population;
    // coverage in minutes: which of the run's two networks the target is judged on (the `profile`
    // key, "walk" or "senior"); unset: by the group served (engine::walking_network(), category_cost.hpp).
    std::optional<Network> profile;
    std::optional<double> community_share_covered; // set exactly when basis == communities

    // coverage and presence: share of the basis (or of units) that must be covered, in (0, 1].
    // Unset only for report_only targets, which are reported but never pass or fail.
    std::optional<double> required_share;
    bool report_only = false;

    // presence and ratio
    AreaUnit unit = AreaUnit::community;

    // ratio
    RatioKind ratio = RatioKind::floor_area_per_100_households;
    double min_floor_area_m2 = 0;           // per 100 households, or per community
    std::uint32_t households_per_staff = 0; // staff_per_households
    std::uint32_t min_staff = 0;            // staff_per_households: floor ...
    std::optional<std::uint32_t> min_staff_below_households; // ... applying only below this size (unset: always)
    std::uint32_t min_households = 0;                        // households_per_unit: smallest acceptable unit
    std::optional<std::uint32_t> norm_households;            // households_per_unit: the stated norm, reported

    std::string source;
    Confidence confidence = Confidence::recalled;
    bool confirmed = false; // false: every report using the target must say its numbers are unconfirmed
    std::string note;
    int line = 0;           // where the target starts in its file
    std::string standard;   // id of the standard that defines it (several can be combined in one run)
}; // struct Target

// One of the standards a run combines (`--standard dongcheng-2020,gb50180-2018`).
struct StandardPart {
    std::string id;
    std::string name_zh;
    std::string name_en;
    std::string source;
    std::string note;
    std::filesystem::path file;
}; // struct StandardPart

struct Standard {
    std::string id;      // e.g. "dongcheng-2020"
    std::string name_zh;
    std::string name_en;
    std::string source;  // the source document (file in shared/sources, or a citation)
    std::string note;
    std::filesystem::path file;
    std::vector<Target> targets; // grouped by part, each part's targets in its file's order
    std::vector<StandardPart> parts; // the standards combined, in the order given; one for a single standard

    const Target* find(std::string_view target_id) const;
    std::size_t unconfirmed_count() const;
}; // struct Standard

struct StandardInfo {
    std::string id;
    std::string name_zh;
    std::string name_en;
    std::filesystem::path file;
    std::size_t target_count = 0;
    std::size_t unconfirmed_count = 0;
}; // struct StandardInfo

// Loads data_dir()/standards/ID.toml, or a file when the argument contains '/' or ends in .toml.
// Throws config_error naming file:line on any malformed entry (unknown key, unknown category,
// threshold <= 0, share outside (0, 1], missing source or confidence, ...), io_error if unreadable.
// A comma-separated list ("dongcheng-2020,gb50180-2018") combines several standards into one: its
// id joins theirs with '+', its targets keep their ids (which must be distinct across the list) and
// name their standard, and `parts` lists the standards in the order given.
Standard load_standard(std::string_view id_or_path, const CategoryMapping& categories);

// Every shipped standard, sorted by id, loaded and validated against the shipped category mapping.
std::vector<StandardInfo> list_standards();

// "S", "W", "R", "D" and the names used in the files and reports.
std::string_view confidence_tag(Confidence confidence);
std::string_view to_string(TargetKind kind);
std::string_view to_string(Serves serves);
std::string_view to_string(Network network);
std::string_view to_string(Basis basis);
std::string_view to_string(Require require);
std::string_view to_string(AreaUnit unit);
std::string_view to_string(RatioKind ratio);

} // namespace yike::io
