#pragma once
// Facility categories and how OSM objects map onto them, read from a TOML data file
// (data/categories/osm.toml; the format is described in data/categories/README.md). The engine
// uses them under its own names (yike/engine/categories.hpp).
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace yike::io {

// One OSM tag condition: "key=value", "key=v1|v2", "key=*", "key!=value", "!key".
struct TagCondition {
    enum class Op { equals, present, not_equals, absent };
    std::string key;
    Op op = Op::present;
    std::vector<std::string> values; // any of these (equals) / none of these (not_equals)
}; // struct TagCondition

// All conditions must hold.
using TagConjunction = std::vector<TagCondition>;

using Tags = std::vector<std::pair<std::string, std::string>>; // as in yike/io/inputs.hpp

struct Category {
    std::string id;       // snake_case, e.g. "senior_dining"
    std::string name_zh;
    std::string name_en;
    std::string group;    // health, elderly, children, culture, sports, admin, commerce, ...
    // The object matches when any conjunction holds ...
    std::vector<TagConjunction> tags_any;
    // ... or when name / name:zh / name:zh-Hans / name:zh-Hant contains one of these substrings,
    // the object also satisfies one of name_scope (if any) and its name contains none of
    // name_exclude.
    std::vector<std::string> name_patterns;
    std::vector<TagConjunction> name_scope;
    std::vector<std::string> name_exclude;
    std::string osm_quality; // good, partial, poor, none: how well OSM covers this category
    bool proxy = false;      // the tag filter only approximates the category
    std::string note;
    int line = 0;            // where the category starts in its file
}; // struct Category

class CategoryMapping {
public:
    CategoryMapping() = default;
    CategoryMapping(std::filesystem::path source, std::vector<Category> categories);

    const std::filesystem::path& source() const { return m_source; }
    const std::vector<Category>& categories() const { return m_categories; }
    const Category* find(std::string_view id) const;
    bool contains(std::string_view id) const { return find(id) != nullptr; }

    // Ids of every category the object belongs to, in file order. `name` is the object's name
    // when the caller has already picked one; name-like tags in `tags` are checked as well.
    std::vector<std::string> match(const Tags& tags, std::string_view name = {}) const;

private:
    std::filesystem::path m_source;
    std::vector<Category> m_categories;
}; // class CategoryMapping

// True when the condition holds on the tags (exposed for tests and for the OSM reader's pre-filter).
bool tag_condition_holds(const TagCondition& condition, const Tags& tags);

// Parses "key=value" and friends; nullopt when the text is not a condition.
std::optional<TagCondition> parse_tag_condition(std::string_view text);

// The shipped mapping is data_dir()/categories/osm.toml; an empty argument loads it, anything else
// is a path. Throws config_error naming file:line on any malformed entry, io_error if unreadable.
CategoryMapping load_category_mapping(const std::filesystem::path& path = {});

} // namespace yike::io
