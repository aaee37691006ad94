#include "yike/io/categories.hpp"

#include "yike/error.hpp"
#include "yike/io/profile.hpp"

#include "detail/toml_reader.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace yike::io {

namespace {

constexpr std::array<std::string_view, 4> k_name_keys = {"name", "name:zh", "name:zh-Hans", "name:zh-Hant"};
constexpr std::array<std::string_view, 4> k_quality_values = {"good", "partial", "poor", "none"};

std::string_view tag_value(const Tags& tags, std::string_view key, bool& found) {
    for (const auto& [k, v] : tags) {
        if (k == key) {
            found = true;
            return v;
        }
    }
    found = false;
    return {};
}

bool conjunction_holds(const TagConjunction& conjunction, const Tags& tags) {
    return std::all_of(conjunction.begin(), conjunction.end(),
                       [&](const TagCondition& c) { return tag_condition_holds(c, tags); });
}

bool any_conjunction_holds(const std::vector<TagConjunction>& any, const Tags& tags) {
    return std::any_of(any.begin(), any.end(), [&](const TagConjunction& c) { return conjunction_holds(c, tags); });
}

bool contains_any(std::string_view text, const std::vector<std::string>& patterns) {
    return std::any_of(patterns.begin(), patterns.end(),
                       [&](const std::string& p) { return text.find(p) != std::string_view::npos; });
}

std::vector<std::string_view> object_names(const Tags& tags, std::string_view name) {
    std::vector<std::string_view> names;
    if (!name.empty()) {
        names.push_back(name);
    }
    for (const auto& [k, v] : tags) {
        if (!v.empty() && std::find(k_name_keys.begin(), k_name_keys.end(), k) != k_name_keys.end()) {
            names.emplace_back(v);
        }
    }
    return names;
}

bool name_matches(const Category& category, const Tags& tags, const std::vector<std::string_view>& names) {
    if (category.name_patterns.empty() || names.empty()) {
        return false;
    }
    if (!category.name_scope.empty() && !any_conjunction_holds(category.name_scope, tags)) {
        return false;
    }
    bool hit = false;
    for (const auto name : names) {
        // An excluded word anywhere in any of the object's names vetoes the name match, so that
        // e.g. "北京市第五中学高中部" does not count as a junior middle school through "中学".
        if (contains_any(name, category.name_exclude)) {
            return false;
        }
        hit = hit || contains_any(name, category.name_patterns);
    }
    return hit;
}

// Reads one category table; every error names file:line.
class MappingParser {
public:
    explicit MappingParser(std::filesystem::path file) : m_toml(std::move(file), detail::KeyStyle::quoted) {}

    CategoryMapping parse(const toml::table& root) {
        std::vector<Category> categories;
        for (const auto& [key, node] : root) {
            if (key.str() == "schema_version") {
                if (node.value<std::int64_t>() != 1) {
                    fail(node, "schema_version must be 1");
                }
                continue;
            }
            if (key.str() != "category") {
                fail(node, "unknown key '" + std::string(key.str()) + "' (expected schema_version or [[category]])");
            }
            const auto* array = node.as_array();
            if (array == nullptr || !array->is_array_of_tables()) {
                fail(node, "'category' must be an array of tables ([[category]])");
            }
            for (const auto& element : *array) {
                categories.push_back(parse_category(*element.as_table()));
            }
        }
        if (root.find("schema_version") == root.end()) {
            fail(root, "missing schema_version");
        }
        if (categories.empty()) {
            fail(root, "no [[category]] entries");
        }
        std::set<std::string, std::less<>> seen;
        for (const auto& c : categories) {
            if (!seen.insert(c.id).second) {
                throw config_error(m_toml.where(c.line) + ": duplicate category id '" + c.id + "'");
            }
        }
        return CategoryMapping(m_toml.file(), std::move(categories));
    }

private:
    detail::TomlReader m_toml;

    static int line_of(const toml::node& node) { return detail::TomlReader::line_of(node); }

    [[noreturn]] void fail(const toml::node& node, const std::string& message) const { m_toml.fail(node, message); }

    std::string string_of(const toml::node& node, std::string_view key) const { return m_toml.string(node, key); }

    std::vector<std::string> strings_of(const toml::node& node, std::string_view key) const {
        const auto* array = node.as_array();
        if (array == nullptr) {
            fail(node, "'" + std::string(key) + "' must be an array of strings");
        }
        std::vector<std::string> out;
        for (const auto& element : *array) {
            auto s = string_of(element, key);
            if (s.empty()) {
                fail(element, "empty string in '" + std::string(key) + "'");
            }
            out.push_back(std::move(s));
        }
        return out;
    }

    TagCondition condition_of(const toml::node& node, std::string_view key) const {
        const auto text = string_of(node, key);
        auto condition = parse_tag_condition(text);
        if (!condition) {
            fail(node, "bad tag condition '" + text + "' in '" + std::string(key) +
                           "' (use key=value, key=v1|v2, key=*, key!=value or !key)");
        }
        return *condition;
    }

    // Elements are a condition string (a one-condition conjunction) or an array of conditions
    // that must all hold.
    std::vector<TagConjunction> conjunctions_of(const toml::node& node, std::string_view key) const {
        const auto* array = node.as_array();
        if (array == nullptr) {
            fail(node, "'" + std::string(key) + "' must be an array");
        }
        std::vector<TagConjunction> out;
        for (const auto& element : *array) {
            if (const auto* inner = element.as_array()) {
                TagConjunction conjunction;
                for (const auto& c : *inner) {
                    conjunction.push_back(condition_of(c, key));
                }
                if (conjunction.empty()) {
                    fail(element, "empty condition list in '" + std::string(key) + "'");
                }
                out.push_back(std::move(conjunction));
            } else {
                out.push_back({condition_of(element, key)});
            }
        }
        return out;
    }

    Category parse_category(const toml::table& table) {
        Category c;
        c.line = line_of(table);
        bool has_id = false, has_zh = false, has_en = false, has_quality = false;
        for (const auto& [key_node, node] : table) {
            const std::string_view key = key_node.str();
            if (key == "id") {
                c.id = string_of(node, key);
                has_id = true;
                const bool snake = !c.id.empty() && std::all_of(c.id.begin(), c.id.end(), [](char ch) {
                    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
                });
                if (!snake) {
                    fail(node, "category id '" + c.id + "' must be snake_case ([a-z0-9_]+)");
                }
            } else if (key == "name_zh") {
                c.name_zh = string_of(node, key);
                has_zh = true;
            } else if (key == "name_en") {
                c.name_en = string_of(node, key);
                has_en = true;
            } else if (key == "group") {
                c.group = string_of(node, key);
            } else if (key == "tags_any") {
                c.tags_any = conjunctions_of(node, key);
            } else if (key == "name_patterns") {
                c.name_patterns = strings_of(node, key);
            } else if (key == "name_scope") {
                c.name_scope = conjunctions_of(node, key);
            } else if (key == "name_exclude") {
                c.name_exclude = strings_of(node, key);
            } else if (key == "osm_quality") {
                c.osm_quality = string_of(node, key);
                has_quality = true;
                if (std::find(k_quality_values.begin(), k_quality_values.end(), c.osm_quality) ==
                    k_quality_values.end()) {
                    fail(node, "osm_quality must be good, partial, poor or none, not '" + c.osm_quality + "'");
                }
            } else if (key == "proxy") {
                c.proxy = m_toml.boolean(node, key);
            } else if (key == "note") {
                c.note = string_of(node, key);
            } else {
                fail(node, "unknown key '" + std::string(key) + "' in [[category]]");
            }
        }
        if (!has_id) {
            fail(table, "[[category]] without id");
        }
        if (!has_zh || !has_en) {
            fail(table, "category '" + c.id + "' needs name_zh and name_en");
        }
        if (!has_quality) {
            fail(table, "category '" + c.id + "' needs osm_quality (good, partial, poor or none)");
        }
        if (!c.name_exclude.empty() && c.name_patterns.empty()) {
            fail(table, "category '" + c.id + "' has name_exclude without name_patterns");
        }
        if (!c.name_scope.empty() && c.name_patterns.empty()) {
            fail(table, "category '" + c.id + "' has name_scope without name_patterns");
        }
        if (c.tags_any.empty() && c.name_patterns.empty() && c.osm_quality != "none") {
            fail(table, "category '" + c.id + "' matches nothing in OSM: give tags_any or name_patterns, "
                        "or set osm_quality = \"none\" (user layer only)");
        }
        return c;
    }
}; // class MappingParser

} // namespace

std::optional<TagCondition> parse_tag_condition(std::string_view text) {
    auto valid_key = [](std::string_view k) {
        return !k.empty() && k.find_first_of("=!|* ") == std::string_view::npos;
    };
    TagCondition c;
    if (text.starts_with('!')) {
        c.key = std::string(text.substr(1));
        c.op = TagCondition::Op::absent;
        return valid_key(c.key) ? std::optional(c) : std::nullopt;
    }
    auto eq = text.find('=');
    if (eq == std::string_view::npos || eq == 0) {
        return std::nullopt;
    }
    std::string_view key = text.substr(0, eq);
    std::string_view values = text.substr(eq + 1);
    if (key.ends_with('!')) {
        key.remove_suffix(1);
        c.op = TagCondition::Op::not_equals;
    } else if (values == "*") {
        c.op = TagCondition::Op::present;
    } else {
        c.op = TagCondition::Op::equals;
    }
    if (!valid_key(key)) {
        return std::nullopt;
    }
    c.key = std::string(key);
    if (c.op != TagCondition::Op::present) {
        for (std::size_t start = 0;;) {
            const auto bar = values.find('|', start);
            const auto v = values.substr(start, bar == std::string_view::npos ? values.npos : bar - start);
            if (v.empty() || v == "*") {
                return std::nullopt;
            }
            c.values.emplace_back(v);
            if (bar == std::string_view::npos) {
                break;
            }
            start = bar + 1;
        }
    }
    return c;
}

bool tag_condition_holds(const TagCondition& condition, const Tags& tags) {
    bool found = false;
    const auto value = tag_value(tags, condition.key, found);
    const auto listed = [&] {
        return std::find(condition.values.begin(), condition.values.end(), value) != condition.values.end();
    };
    switch (condition.op) {
    case TagCondition::Op::present: return found;
    case TagCondition::Op::absent: return !found;
    case TagCondition::Op::equals: return found && listed();
    case TagCondition::Op::not_equals: return !found || !listed();
    }
    return false;
}

CategoryMapping::CategoryMapping(std::filesystem::path source, std::vector<Category> categories)
    : m_source(std::move(source)), m_categories(std::move(categories)) {}

const Category* CategoryMapping::find(std::string_view id) const {
    const auto it = std::find_if(m_categories.begin(), m_categories.end(),
                                 [&](const Category& c) { return c.id == id; });
    return it == m_categories.end() ? nullptr : &*it;
}

std::vector<std::string> CategoryMapping::match(const Tags& tags, std::string_view name) const {
    std::vector<std::string> ids;
    const auto names = object_names(tags, name);
    for (const auto& c : m_categories) {
        if (any_conjunction_holds(c.tags_any, tags) || name_matches(c, tags, names)) {
            ids.push_back(c.id);
        }
    }
    return ids;
}

CategoryMapping load_category_mapping(const std::filesystem::path& path) {
    const auto file = path.empty() ? io::data_dir() / "categories" / "osm.toml" : path;
    const toml::table root = detail::read_toml_file(file, "category mapping");
    return MappingParser(file).parse(root);
}

} // namespace yike::io
